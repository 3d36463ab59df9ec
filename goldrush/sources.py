"""One entry point for every dataset: the embedded snapshot or a live public API.

Both return the same tidy frame (the snapshot's schema), so a chapter never knows which it got,
except to print it in its provenance box. With ``live``, a dataset that no public API serves
(hand-collected events, claim sources, forecasts) comes from the snapshot, and its provenance
says so.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pandas as pd

from goldrush import data
from goldrush.errors import GoldrushError

SOURCES = ("snapshot", "live")


def check_source(source: str) -> str:
    if source not in SOURCES:
        raise GoldrushError(f"unknown source {source!r}; use one of: {', '.join(SOURCES)}")
    return source


def used(name: str, source: str) -> str:
    """The source ``name`` is read from: live only where a live client exists."""
    if check_source(source) == "snapshot":
        return "snapshot"
    from goldrush import live

    return "live" if name in live.datasets() else "snapshot"


def load(name: str, source: str = "snapshot") -> pd.DataFrame:
    """Dataset ``name`` from ``source`` ("snapshot" or "live") as a typed frame."""
    if used(name, source) == "snapshot":
        return data.load(name)
    from goldrush import live

    return live.fetch(name)


def provenance(name: str, source: str) -> dict[str, Any]:
    """Where dataset ``name`` came from when read from ``source``, for provenance boxes, chart
    captions and the fact-check's evidence: title, provider, URL, licence, retrieved, and the hash
    or the live note."""
    res = data.entry(name)
    record = {
        "name": name,
        "title": res["title"],
        "providers": sorted({s["provider"] for s in res["sources"]}),
        "urls": [s["path"] for s in res["sources"]],
        "licenses": [lic["name"] for lic in res["licenses"]],
        "source": used(name, source),
        "asked": source,
    }
    if record["source"] == "snapshot":
        record |= {"retrieved": res["retrieved"], "sha256": res["hash"].removeprefix("sha256:"), "rows": res["rows"]}
    else:
        from goldrush import live

        record |= live.fetch_record(name)
        record["providers"] = [urlparse(record["url"]).netloc + " (live)"]
    return record
