"""Live sources: one client module per provider, each returning the snapshot's tidy frame.

A provider module registers a fetcher per dataset with ``@register("dataset")``; ``fetch``
validates what it returns against the snapshot's schema (columns, types, not empty, no duplicate
keys, no future dates) before any chapter sees it. ``fetch_record`` tells the provenance box
which URL was read and when.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import pandas as pd

from goldrush import data
from goldrush.errors import GoldrushError
from goldrush.live.http import LiveError

# Provider modules in this package; importing one registers its fetchers.
PROVIDERS: tuple[str, ...] = ()


@dataclass
class Fetched:
    """What a fetcher returns: the frame (snapshot columns) and the URL it came from."""

    frame: pd.DataFrame
    url: str
    note: str = ""  # what the provider cannot give (for example, history beyond the free plan)


Fetcher = Callable[[], Fetched]
FETCHERS: dict[str, Fetcher] = {}
_RECORDS: dict[str, dict[str, Any]] = {}


def register(dataset: str) -> Callable[[Fetcher], Fetcher]:
    def wrap(fn: Fetcher) -> Fetcher:
        FETCHERS[dataset] = fn
        return fn

    return wrap


def _load_providers() -> None:
    for module in PROVIDERS:
        importlib.import_module(f"goldrush.live.{module}")


def validate(name: str, fetched: Fetched) -> pd.DataFrame:
    """The fetched frame, typed to the snapshot's schema; LiveError if it does not fit."""
    res = data.entry(name)
    fields = res["schema"]["fields"]
    frame = fetched.frame
    if frame.empty:
        raise LiveError(f"{name} from {fetched.url}: the response holds no rows")
    missing = [f["name"] for f in fields if f["name"] not in frame.columns]
    if missing:
        raise LiveError(f"{name} from {fetched.url}: missing field(s) {', '.join(missing)} (has the API changed?)")
    try:
        typed = data.typed(frame[[f["name"] for f in fields]], fields, f"{name} from {fetched.url}")
    except GoldrushError as exc:
        raise LiveError(str(exc)) from None
    key = res["schema"].get("primaryKey", [])
    if key and typed.duplicated(key).any():
        raise LiveError(f"{name} from {fetched.url}: duplicate rows for {', '.join(key)}")
    now = pd.Timestamp.now(tz="UTC").tz_localize(None)
    for f in fields:
        if f["type"] == "date" and (typed[f["name"]] > now).any():
            raise LiveError(f"{name} from {fetched.url}: dates in the future in {f['name']}")
    return typed


def fetch(name: str) -> pd.DataFrame:
    """Dataset ``name`` from its live provider, validated."""
    _load_providers()
    if name not in FETCHERS:
        live = ", ".join(sorted(FETCHERS)) or "none"
        raise GoldrushError(f"no live source for {name!r} (live datasets: {live}); use --source snapshot")
    fetched = FETCHERS[name]()
    frame = validate(name, fetched)
    _RECORDS[name] = {
        "url": fetched.url,
        "retrieved": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "rows": len(frame),
        "note": fetched.note,
    }
    return frame


def fetch_record(name: str) -> dict[str, Any]:
    """URL and time of this process's last fetch of ``name`` (fetching it if needed)."""
    if name not in _RECORDS:
        fetch(name)
    return _RECORDS[name]
