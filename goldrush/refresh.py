"""``goldrush data refresh``: replace snapshot datasets with today's data from their live APIs.

Every dataset is fetched and validated first. Then ``data/`` is copied to a staging folder beside
it, the new CSVs and their ``datapackage.json`` entries (bytes, sha256, rows, retrieval date, the
URL read) are written there, Frictionless validates the result, and only then is the staging folder
swapped into place. On any failure ``data/`` is left byte for byte as it was; a run killed midway
leaves at most a ``.data-refresh-*`` folder beside it, never a half-written ``data/``.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from goldrush import data, live, paths, snapshot
from goldrush.errors import GoldrushError
from goldrush.live import http

Progress = Callable[[str], None]
STAGING_PREFIX = ".data-refresh-"


def _cell(value: Any, kind: str) -> str:
    """One CSV cell in the snapshot's spelling."""
    if pd.isna(value):
        return ""
    if kind == "date":
        return f"{value:%Y-%m-%d}"
    if kind == "datetime":
        return value.isoformat()
    if kind == "integer":
        return str(int(value))
    if kind == "number":
        return repr(float(value))
    return str(value)


def csv_rows(frame: pd.DataFrame, fields: list[dict[str, Any]]) -> list[list[str]]:
    kinds = [(f["name"], f["type"]) for f in fields]
    return [[_cell(row[name], kind) for name, kind in kinds] for _, row in frame.iterrows()]


def _provider(name: str, url: str) -> str:
    """The host of the provider whose base URL ``url`` starts with (its real host, even when served locally)."""
    for provider, default in live.endpoints(name).items():
        if url.startswith(http.base_url(provider, default)):
            return urlsplit(default).netloc
    return urlsplit(url).netloc


def updated_entry(entry: dict[str, Any], file: Path, rows: int, record: Mapping[str, Any]) -> dict[str, Any]:
    """The resource's descriptor after a refresh: new size, hash, rows, date and source."""
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    provider = _provider(entry["name"], record["url"])
    new = {k: v for k, v in entry.items() if k != "referenceCopy"}  # no longer a copy of ../shared/data
    new |= {
        "bytes": file.stat().st_size,
        "hash": f"sha256:{snapshot.sha256(file)}",
        "rows": rows,
        "retrieved": day,
        "sources": [{"title": f"{provider}, read by goldrush data refresh", "provider": provider, "path": record["url"]}],
        "transformation": (
            f"Fetched by `goldrush data refresh` on {day} from the URL above, validated against this schema "
            "and written as fetched."
        ),
        "doubts": [record["note"]] if record["note"] else [],
    }
    return new


def _check_names(names: Sequence[str]) -> list[str]:
    available = live.datasets()
    for name in names:
        data.entry(name)  # unknown dataset: a clear error listing the known ones
        if name not in available:
            raise GoldrushError(f"{name} has no live source; datasets that can be refreshed: {', '.join(available)}")
    return list(dict.fromkeys(names)) or available


def refresh(names: Sequence[str] = (), target: Path | None = None, progress: Progress = print) -> list[str]:
    """Refresh ``names`` (default: every dataset with a live source) in ``target`` (default ``data/``)."""
    target = target or paths.DATA
    names = _check_names(names)
    live.preflight(names, "goldrush data refresh", "data/ was not changed")
    fetched = {}
    for name in names:
        progress(f"  {name}: fetching")
        try:
            got = live.fetch(name)
        except GoldrushError as exc:
            raise GoldrushError(f"{exc}; data/ was not changed") from None
        fetched[name] = got
        progress(f"  {name}: {len(got.frame):,} rows from {got.record['url']}")
    staged = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=target.parent))
    try:
        try:
            _stage(target, staged, fetched, progress)
        except OSError as exc:
            raise GoldrushError(f"cannot write the refreshed data ({exc}); data/ was not changed") from None
        snapshot.swap_into_place(staged, target)
    finally:
        if staged.exists():
            shutil.rmtree(staged)
    return names


def _stage(target: Path, staged: Path, fetched: dict[str, live.LiveData], progress: Progress) -> None:
    """Copy ``target`` to ``staged``, write the fetched datasets there and validate them."""
    shutil.copytree(target, staged, dirs_exist_ok=True)
    descriptor = json.loads((staged / "datapackage.json").read_text(encoding="utf-8"))
    index = {entry["name"]: i for i, entry in enumerate(descriptor["resources"])}
    for name, got in fetched.items():
        entry = descriptor["resources"][index[name]]
        file = staged / entry["path"]
        fields = entry["schema"]["fields"]
        count = snapshot._write_rows(file, [f["name"] for f in fields], csv_rows(got.frame, fields))
        descriptor["resources"][index[name]] = updated_entry(entry, file, count, got.record)
        progress(f"  {name}: written to data/{entry['path']}")
    snapshot.write_package(staged, descriptor)
    progress("  validating with Frictionless ...")
    for name, got in fetched.items():
        try:
            snapshot.validate_with_frictionless(staged, [name])
        except GoldrushError as exc:
            raise GoldrushError(f"{name} from {got.record['url']}: {exc}; data/ was not changed") from None
