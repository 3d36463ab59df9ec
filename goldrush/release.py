"""Releases: bump the version, store the default-parameter ``claims.json`` as the corrections
baseline, and record the release (version, date, commit, every claim's verdict and data value).

``book/corrections/releases.yml`` is the history the claim pages date themselves from: a claim's
``datePublished`` is the first release that carried it, its ``dateModified`` the last release in
which its verdict or data value changed. No page reads the build clock.

    python -m goldrush.release --bump minor     # what `make release` runs
    python -m goldrush.release --baseline-only  # re-store the baseline for the current version
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from goldrush import corrections, paths, site
from goldrush.errors import GoldrushError

PARTS = ("major", "minor", "patch")
# where the version is written: file, and the pattern whose group 2 is the version
VERSION_FILES = (
    ("pyproject.toml", r'^(version\s*=\s*")([^"]+)(")'),
    ("goldrush/__init__.py", r'^(__version__\s*=\s*")([^"]+)(")'),
    ("CITATION.cff", r'^(version:\s*"?)([^"\s]+)("?)'),
)


def releases_path() -> Path:
    return corrections.folder() / "releases.yml"


def releases() -> list[dict[str, Any]]:
    """Every release, oldest first."""
    from goldrush import yamlfiles

    path = releases_path()
    return ((yamlfiles.read(path) or {}).get("releases") or []) if path.exists() else []


def latest() -> dict[str, Any] | None:
    history = releases()
    return history[-1] if history else None


def claim_dates(claim_id: str, history: list[dict[str, Any]] | None = None) -> tuple[str, str] | None:
    """(datePublished, dateModified) of a claim's review: the first release that carried it and the
    last release in which its verdict or data value changed; None if no release carried it."""
    history = releases() if history is None else history
    published: str | None = None
    modified = ""
    previous = None
    for rel in history:
        current = rel.get("claims", {}).get(claim_id)
        if current is None:
            continue
        if published is None:
            published = modified = str(rel["date"])
        elif current != previous:
            modified = str(rel["date"])
        previous = current
    return (published, modified) if published is not None else None


def bump(version: str, part: str) -> str:
    """The next version: ``major``, ``minor`` or ``patch`` (semantic versioning)."""
    numbers = [int(n) for n in version.split(".")[:3]]
    index = PARTS.index(part)
    numbers[index] += 1
    numbers[index + 1 :] = [0] * (2 - index)
    return ".".join(map(str, numbers))


def write_version(version: str) -> list[str]:
    """Write ``version`` into every file that states it; returns the files changed."""
    changed = []
    for name, pattern in VERSION_FILES:
        path = paths.ROOT / name
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        new, count = re.subn(pattern, lambda m: m.group(1) + version + m.group(3), text, count=1, flags=re.MULTILINE)
        if count != 1:
            raise GoldrushError(f"no version line found in {name}")
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(name)
    return changed


def _digest(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["id"]: {f: c.get(f) for f in corrections.FIELDS} for c in doc["claims"]}


def release(part: str | None, today: date | None = None, progress=print) -> str:
    """Make a release: refuse if a verdict or data value changed without a correction entry, bump
    the version (unless ``part`` is None), store the baseline and record the release."""
    from goldrush import factcheck

    progress("  checking every claim with every chapter's default parameters ...")
    current = factcheck.document(factcheck.default_records())
    missing = corrections.unexplained(current)
    if missing:
        raise GoldrushError(
            f"{len(missing)} change(s) since the last release have no entry in {corrections.log_path().relative_to(paths.ROOT)}: "
            + "; ".join(map(str, missing))
        )
    version = bump(site.version(), part) if part else site.version()
    day = (today or date.today()).isoformat()
    changed = write_version(version)
    stamped = corrections.stamp_pending(version, day)
    commit = factcheck.commit()
    current["book"]["version"] = version
    current["release"] = {"version": version, "date": day, "commit": commit}
    corrections.folder().mkdir(parents=True, exist_ok=True)
    corrections.baseline_path().write_text(factcheck.dumps(current), encoding="utf-8")
    history = [r for r in releases() if r["version"] != version]
    history.append({"version": version, "date": day, "commit": commit, "claims": _digest(current)})
    body = yaml.safe_dump({"releases": history}, allow_unicode=True, sort_keys=False, width=100, default_flow_style=None)
    releases_path().write_text("# Released versions of the book; written by `goldrush.release`.\n" + body, encoding="utf-8")
    progress(f"  version {version}: {', '.join(changed) or 'version unchanged'}; {stamped} pending correction(s) dated")
    progress(f"  baseline stored: {corrections.baseline_path().relative_to(paths.ROOT)} ({len(current['claims'])} claims)")
    return version


def main(argv: Sequence[str] | None = None) -> int:
    from goldrush.cli import Parser  # usage mistakes in one line

    parser = Parser(prog="python -m goldrush.release", description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--bump", choices=PARTS, default="minor", help="which part of the version to raise (default: minor)")
    group.add_argument(
        "--baseline-only", action="store_true", help="keep the version; re-store the baseline and its release record"
    )
    args = parser.parse_args(argv)
    try:
        version = release(None if args.baseline_only else args.bump)
    except GoldrushError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    files = " ".join(["book/corrections"] + [name for name, _ in VERSION_FILES if (paths.ROOT / name).exists()])
    print(
        f"Release {version} recorded. Commit it, then tag and push:\n"
        f"  git add {files} && git commit -m 'Release v{version}'\n"
        f"  git tag v{version} && git push origin v{version}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
