"""Build and verify the snapshot in ``data/``: a Frictionless Data Package.

``build`` reads the reference copies in ``data/reference/`` (inside the repository, each group with a
README recording where its files came from), applies only the transformations the catalogue
declares (today: dropping exact duplicate rows), writes tidy CSVs, each group's README and
``datapackage.json`` into a temporary folder, validates it with Frictionless and only then swaps
it into place. ``verify`` checks every file's sha256, row count and schema.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from goldrush import paths
from goldrush.catalog import Resource, catalog
from goldrush.errors import GoldrushError

Progress = Callable[[str], None]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise GoldrushError(f"{path}: empty file")
    return rows[0], rows[1:]


def _write_rows(path: Path, header: list[str], rows: Iterable[list[str]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def _tidy(res: Resource, header: list[str], rows: list[list[str]], origin: str) -> list[list[str]]:
    if header != res.field_names:
        raise GoldrushError(f"{origin}: columns {header} do not match the catalogue's {res.field_names}")
    if res.dedupe:
        seen: set[tuple[str, ...]] = set()
        unique = []
        for r in rows:
            if tuple(r) not in seen:
                seen.add(tuple(r))
                unique.append(r)
        rows = unique
    return rows


def resource_descriptor(res: Resource, file: Path, rows: int) -> dict[str, Any]:
    """The Frictionless resource descriptor, with our provenance properties."""
    cat = catalog()
    return {
        "name": res.name,
        "path": res.path,
        "title": res.title,
        "description": res.description,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": file.stat().st_size,
        "hash": f"sha256:{sha256(file)}",
        "rows": rows,
        "schema": {"fields": res.fields, "primaryKey": res.primary_key},
        "sources": res.sources,
        "licenses": [cat.licenses[key] for key in res.licenses],
        "retrieved": cat.retrieved,
        "transformation": res.transformation,
        "doubts": res.doubts,
        "referenceCopy": f"reference/{res.source_file}",
        "sourcesDocument": cat.groups[res.group]["readme"],
    }


def package_descriptor(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": "gold-rush-snapshot",
        "title": "Gold Rush: the embedded data snapshot",
        "description": (
            "Market, crypto, NVIDIA financial and macro data behind the Gold Rush book, built by "
            "`goldrush data build` from reference copies of public data. Each resource names its "
            "provider, original URL, carrying repository at its commit, licence and doubts; each "
            "group's README.md, kept beside its CSVs, says where its reference copies came from."
        ),
        "version": catalog().retrieved,
        "profile": "tabular-data-package",
        "resources": resources,
    }


def write_package(folder: Path, descriptor: dict[str, Any]) -> None:
    text = json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
    (folder / "datapackage.json").write_text(text, encoding="utf-8")


def validate_with_frictionless(folder: Path, names: Iterable[str] | None = None) -> None:
    """Validate resources (types, constraints, primary keys) with Frictionless."""
    from frictionless import Resource as FlResource
    from frictionless import Schema

    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    wanted = set(names) if names is not None else None
    for entry in descriptor["resources"]:
        if wanted is not None and entry["name"] not in wanted:
            continue
        fl = FlResource(
            path=entry["path"],
            basepath=str(folder),
            schema=Schema.from_descriptor(entry["schema"]),
            format="csv",
            encoding="utf-8",
        )
        report = fl.validate()
        if not report.valid:
            first = report.flatten(["rowNumber", "fieldName", "type", "message"])[:1]
            detail = first[0][3] if first else "invalid"
            raise GoldrushError(f"data/{entry['path']}: schema check failed: {detail}")


def swap_into_place(staged: Path, target: Path) -> None:
    """Replace ``target`` with ``staged`` by two renames; restore ``target`` if the second fails.

    A process killed between the renames leaves ``target.old`` and no ``target``: the next command's
    sweep (``goldrush.workspace.sweep``) renames it back."""
    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    try:
        staged.rename(target)
    except OSError:
        if old.exists():
            old.rename(target)
        raise
    if old.exists():
        shutil.rmtree(old)


def build(source: Path | None = None, target: Path | None = None, progress: Progress = print) -> Path:
    """Rebuild the snapshot from the reference copies. Nothing is written to ``target`` on failure."""
    source = source or paths.shared_data()
    target = target or paths.DATA
    if not source.is_dir():
        raise GoldrushError(f"reference copies not found at {source}")
    cat = catalog()
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=".data-build-", dir=target.parent))
    try:
        for group, info in cat.groups.items():
            readme = source / info["readme"]
            if not readme.is_file():
                raise GoldrushError(f"provenance missing: {readme}")
            (staged / group).mkdir()
            shutil.copyfile(readme, staged / group / "README.md")
        descriptors = []
        for res in cat.resources.values():
            origin = source / res.source_file
            if not origin.is_file():
                raise GoldrushError(f"reference copy missing: {origin}")
            header, rows = _read_rows(origin)
            rows = _tidy(res, header, rows, str(origin))
            out = staged / res.path
            count = _write_rows(out, header, rows)
            descriptors.append(resource_descriptor(res, out, count))
            progress(f"  {res.path:<48} {count:>6} rows")
        write_package(staged, package_descriptor(descriptors))
        progress("  validating with Frictionless ...")
        validate_with_frictionless(staged)
        _carry_reference(target, staged)
        swap_into_place(staged, target)
    finally:
        if staged.exists():
            shutil.rmtree(staged)
    return target


def _carry_reference(target: Path, staged: Path) -> None:
    """Keep ``target``'s reference copies (``data/reference/``) in the staged package, as hard links,
    so the swap replaces the built files and never the copies they are built from."""
    kept = target / paths.REFERENCE.name
    if kept.is_dir():
        shutil.copytree(kept, staged / kept.name, copy_function=os.link)


def verify(folder: Path | None = None, names: Iterable[str] | None = None, schema: bool = True) -> int:
    """Check sha256, row counts and (optionally) schemas. Returns the number of files checked."""
    folder = folder or paths.DATA
    package = folder / "datapackage.json"
    if not package.is_file():
        raise GoldrushError(f"{package} is missing; run `goldrush data build`")
    try:
        descriptor = json.loads(package.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise GoldrushError(f"{package} is not valid JSON ({exc.msg}); run `goldrush data build`") from None
    check_shape(descriptor, package)
    known = [entry["name"] for entry in descriptor["resources"]]
    unknown = [name for name in names or () if name not in known]
    if unknown:
        raise GoldrushError(f"unknown dataset {', '.join(map(repr, unknown))}; known datasets: {', '.join(known)}")
    wanted = set(names) if names is not None else None
    checked = []
    for entry in descriptor["resources"]:
        if wanted is not None and entry["name"] not in wanted:
            continue
        check_file(folder, entry)
        checked.append(entry["name"])
    if schema:
        validate_with_frictionless(folder, checked)
    return len(checked)


RESOURCE_KEYS = {"name": str, "path": str, "hash": str, "schema": dict}


def check_shape(descriptor: Any, origin: Path) -> None:
    """Raise unless ``descriptor`` has the shape the book reads: resources with a name, path, hash and schema."""
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list):
        raise GoldrushError(f"{origin} has no list of resources; run `goldrush data build`")
    for i, entry in enumerate(resources):
        wrong = [k for k, kind in RESOURCE_KEYS.items() if not isinstance(entry, dict) or not isinstance(entry.get(k), kind)]
        if wrong:
            raise GoldrushError(f"{origin}: resource {i + 1} lacks a valid {', '.join(wrong)}; run `goldrush data build`")
        if not isinstance(entry["schema"].get("fields"), list):
            raise GoldrushError(f"{origin}: resource {entry['name']!r} has no schema fields; run `goldrush data build`")


def check_file(folder: Path, entry: dict[str, Any]) -> None:
    """Raise if a resource's file is missing or its sha256 differs from the package's."""
    file = folder / entry["path"]
    if not file.is_file():
        raise GoldrushError(f"data/{entry['path']} is missing; run `goldrush data build`")
    expected = entry["hash"].removeprefix("sha256:")
    actual = sha256(file)
    if actual != expected:
        raise GoldrushError(
            f"data/{entry['path']} is damaged: sha256 {actual[:12]}... does not match "
            f"datapackage.json ({expected[:12]}...); run `goldrush data build` to restore it"
        )
