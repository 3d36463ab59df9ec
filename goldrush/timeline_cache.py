"""Verdicts over time kept between runs, so that a rerun with a new ``as_of`` checks only the
dates it adds (the Fridays stay the same; ``as_of`` itself is one more date).

A claim's verdict at a date depends on the check code, the claim register, the data snapshot, the
chapter's other parameters and that date, never on the run's ``as_of`` (``goldrush.timeline`` checks
each date with ``as_of`` set to it). So rows are kept per claim and date in one file per chapter,
``_build/verdicts/<chapter>-<key>.json``, the key hashing all of those inputs but the dates. Verdicts
on live data are never kept.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from goldrush import assets, fingerprints, paths

Rows = dict[str, dict[str, dict[str, Any]]]  # claim id -> ISO date -> row (timeline.COLUMNS)


def folder() -> Path:
    return paths.BUILD / "verdicts"


def key(slug: str, parameters: dict[str, Any]) -> str | None:
    """What the verdicts of chapter ``slug`` at any date depend on; None for live data."""
    if parameters.get("source", "snapshot") != "snapshot":
        return None
    others = {k: str(v) for k, v in parameters.items() if k != "as_of"}
    digest = hashlib.sha256(fingerprints.checks().encode())
    digest.update(json.dumps([slug, others], sort_keys=True).encode())
    return digest.hexdigest()[:20]


def read(slug: str, cache_key: str | None) -> Rows:
    """The rows kept for ``cache_key`` (none when nothing, or something unreadable, is kept)."""
    if cache_key is None:
        return {}
    try:
        rows: Rows = json.loads((folder() / f"{slug}-{cache_key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return rows


def write(slug: str, cache_key: str | None, frames: dict[str, pd.DataFrame]) -> None:
    """Keep ``frames`` (claim id -> verdicts over time) under ``cache_key``, replacing what was kept
    for the chapter's other keys."""
    if cache_key is None:
        return
    rows = {
        claim: {r["date"].isoformat(): {**r, "date": r["date"].isoformat()} for r in frame.to_dict("records")}
        for claim, frame in frames.items()
    }
    target = folder() / f"{slug}-{cache_key}.json"
    assets.write_atomically(target, json.dumps(rows, default=_plain).encode())
    for old in folder().glob(f"{slug}-*.json"):
        if old != target:
            old.unlink(missing_ok=True)


def row(kept: dict[str, Any]) -> dict[str, Any]:
    """A kept row as ``timeline.over_time`` makes it (the date as a date)."""
    return {**kept, "date": date.fromisoformat(kept["date"])}


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):  # a NumPy scalar
        return value.item()
    raise TypeError(f"cannot keep {type(value).__name__} in the verdict cache")
