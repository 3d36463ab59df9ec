"""The corrections log: every verdict or data value that changed between released versions, with the reason.

A release stores the default-parameter ``claims.json`` as ``book/corrections/baseline.json``. A
build on default parameters is compared with it: each verdict or data value that differs needs an
entry in ``book/corrections/corrections.yml`` (claim, field, old, new, reason). An entry without a
``version`` is pending: the next release stamps it with its version and date. Builds on other
dates are not compared.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from goldrush import paths, yamlfiles

FIELDS = ("verdict", "data_value")  # what a correction must explain


def folder() -> Path:
    return paths.BOOK / "corrections"


def baseline_path() -> Path:
    return folder() / "baseline.json"


def log_path() -> Path:
    return folder() / "corrections.yml"


@dataclass(frozen=True)
class Change:
    """A verdict or data value of one claim that differs from the released baseline."""

    claim: str
    field: str
    old: Any
    new: Any

    def __str__(self) -> str:
        return f"{self.claim} {self.field}: {self.old!r} -> {self.new!r}"


def baseline() -> dict[str, Any] | None:
    """The claims.json of the latest release (None before the first release)."""
    path = baseline_path()
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def entries() -> list[dict[str, Any]]:
    """The correction entries, as written in ``corrections.yml``."""
    path = log_path()
    if not path.exists():
        return []
    return (yamlfiles.read(path) or {}).get("corrections") or []


def _values(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["id"]: {f: c.get(f) for f in FIELDS} for c in doc["claims"]}


def changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every verdict or data value that differs between two claims.json documents (a claim added or
    removed counts as a change of verdict from or to None)."""
    before, after = _values(old), _values(new)
    found = []
    for claim in sorted(before.keys() | after.keys()):
        for field in FIELDS:
            a, b = before.get(claim, {}).get(field), after.get(claim, {}).get(field)
            if a != b:
                found.append(Change(claim, field, a, b))
    return found


def explains(entry: dict[str, Any], change: Change) -> bool:
    return (
        entry.get("claim") == change.claim
        and entry.get("field") == change.field
        and entry.get("old") == change.old
        and entry.get("new") == change.new
        and bool(str(entry.get("reason") or "").strip())
    )


def unexplained(
    current: dict[str, Any], base: dict[str, Any] | None = None, log: list[dict[str, Any]] | None = None
) -> list[Change]:
    """Changes from the baseline (default: the stored one) that no entry with a reason explains."""
    base = baseline() if base is None else base
    if base is None:
        return []
    log = entries() if log is None else log
    return [c for c in changes(base, current) if not any(explains(e, c) for e in log)]


def stamp_pending(version: str, day: str) -> int:
    """Give pending entries (no ``version``) the release's version and date; returns how many."""
    log = entries()
    pending = [e for e in log if not e.get("version")]
    for entry in pending:
        entry["version"], entry["date"] = version, day
    if pending:
        write_log(log)
    return len(pending)


HEADER = """\
# Corrections to the fact-check: one entry per verdict or data value that changed between released
# versions of the book. Written by hand (claim, field: verdict or data_value, old, new, reason);
# `goldrush release` fills in version and date. The tests fail when a default build differs from
# book/corrections/baseline.json without an entry here.
"""


def write_log(log: list[dict[str, Any]]) -> None:
    body = yaml.safe_dump({"corrections": log}, allow_unicode=True, sort_keys=False, width=100)
    log_path().write_text(HEADER + body, encoding="utf-8")


def _cell(value: Any) -> str:
    return "none" if value is None else str(value).replace("|", "\\|")


def page(releases: list[dict[str, Any]]) -> str:
    """The corrections log as a MyST page."""
    lines = [
        "# Corrections log",
        "",
        "Every verdict or data value of the fact-check that changed between released versions of this",
        "book, with the reason, newest first. Each release stores the verdicts of a build on every",
        "chapter's default parameters; the tests compare every later build on default parameters with",
        "it and fail when something changed without an entry here. Reruns on other dates are not",
        "compared: a verdict that depends on the chosen date shows its history on its own page.",
        "",
        "## Releases",
        "",
    ]
    if releases:
        lines += ["| version | date | commit |", "|---|---|---|"]
        lines += [f"| {r['version']} | {r['date']} | `{(r.get('commit') or 'unknown')[:12]}` |" for r in reversed(releases)]
    else:
        lines.append("No version has been released yet.")
    lines += ["", "## Corrections", ""]
    log = entries()
    if not log:
        lines.append("No verdict or data value has changed since the first release.")
    else:
        lines += ["| released | claim | what changed | before | after | why |", "|---|---|---|---|---|---|"]
        ordered = sorted(log, key=lambda e: (str(e.get("date") or "9999"), e["claim"]), reverse=True)
        for e in ordered:
            when = f"{e['version']} ({e['date']})" if e.get("version") else "next release"
            field = "verdict" if e["field"] == "verdict" else "data value"
            lines.append(
                f"| {when} | [{e['claim']}]({e['claim']}.md) | {field} | {_cell(e.get('old'))} | "
                f"{_cell(e.get('new'))} | {_cell(e.get('reason'))} |"
            )
    return "\n".join(lines) + "\n"
