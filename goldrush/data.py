"""Load snapshot resources as typed pandas frames, after checking hash and schema."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from goldrush import paths
from goldrush.errors import GoldrushError
from goldrush.snapshot import check_file, check_shape

if TYPE_CHECKING:  # pandas is imported where a frame is made: the data package alone does not need it
    import pandas as pd

_INT = "Int64"  # nullable: several integer columns have gaps


def package(folder: Path | None = None) -> dict[str, Any]:
    """The parsed ``datapackage.json``."""
    file = (folder or paths.DATA) / "datapackage.json"
    if not file.is_file():
        raise GoldrushError(f"{file} is missing; run `goldrush data build`")
    try:
        descriptor = json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise GoldrushError(f"{file} is not valid JSON ({exc.msg}); run `goldrush data build`") from None
    check_shape(descriptor, file)
    return descriptor


def entry(name: str, folder: Path | None = None) -> dict[str, Any]:
    """A resource's descriptor (schema and provenance) from the data package."""
    for res in package(folder)["resources"]:
        if res["name"] == name:
            return res
    known = ", ".join(r["name"] for r in package(folder)["resources"])
    raise GoldrushError(f"unknown dataset {name!r}; known datasets: {known}")


def typed(frame: pd.DataFrame, fields: list[dict[str, Any]], origin: str) -> pd.DataFrame:
    """Check the columns against a Table Schema and convert them to their declared types."""
    import pandas as pd

    expected = [f["name"] for f in fields]
    if list(frame.columns) != expected:
        raise GoldrushError(f"{origin}: columns {list(frame.columns)} do not match the schema's {expected}")
    out = frame.copy()
    for f in fields:
        col, kind = f["name"], f["type"]
        try:
            if kind == "date":
                out[col] = pd.to_datetime(out[col], format="%Y-%m-%d")
            elif kind == "datetime":
                out[col] = pd.to_datetime(out[col], utc=True)
            elif kind == "integer":
                out[col] = pd.to_numeric(out[col]).astype(_INT)
            elif kind == "number":
                out[col] = pd.to_numeric(out[col]).astype("float64")
            else:
                out[col] = out[col].astype("string")
        except (ValueError, TypeError) as exc:
            raise GoldrushError(f"{origin}: column {col!r} is not a valid {kind}: {exc}") from None
    return out


@cache
def _load_cached(name: str, folder: Path, stamp: tuple[float, int]) -> pd.DataFrame:
    import pandas as pd

    res = entry(name, folder)
    check_file(folder, res)
    file = folder / res["path"]
    raw = pd.read_csv(file, dtype=str, keep_default_na=False, na_values=[""])
    frame = typed(raw, res["schema"]["fields"], f"data/{res['path']}")
    key = res["schema"].get("primaryKey", [])
    if key and frame.duplicated(key).any():
        raise GoldrushError(f"data/{res['path']}: duplicate rows for primary key {key}")
    return frame


def load(name: str, folder: Path | None = None) -> pd.DataFrame:
    """A snapshot resource as a typed frame. Raises GoldrushError if the file is damaged."""
    folder = folder or paths.DATA
    res = entry(name, folder)
    file = folder / res["path"]
    stat = file.stat() if file.exists() else None
    stamp = (stat.st_mtime, stat.st_size) if stat else (0.0, -1)
    return _load_cached(name, folder, stamp).copy()
