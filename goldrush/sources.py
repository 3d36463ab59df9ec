"""One entry point for every dataset: the embedded snapshot or a live public API.

Both return the same tidy frame (the snapshot's schema), so a chapter never knows which it got,
except to print it in its provenance box. With ``live``, a dataset that no public API serves
(hand-collected events, claim sources, forecasts) comes from the snapshot, and its provenance
says so. A ``Store`` reads each dataset once and keeps what a live fetch recorded (URL, time
retrieved) beside it, for the provenance box and chart captions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from goldrush import data
from goldrush.errors import GoldrushError

if TYPE_CHECKING:  # the frames come from goldrush.data, which imports pandas when it reads one
    import pandas as pd

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
    return Store(source).load(name)


def provenance(name: str, source: str, fetched: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Where dataset ``name`` came from when read from ``source``, for provenance boxes, chart
    captions and the fact-check's evidence: title, provider, URL, licence, retrieved, and the hash
    or, for a live dataset, what its fetch recorded (``fetched``: ``Store.provenance`` passes it)."""
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
    elif fetched is None:
        raise GoldrushError(f"the provenance of live {name!r} needs its fetch record (read it through a Store)")
    else:
        record |= fetched
        record["providers"] = [urlparse(record["url"]).netloc + " (live)"]
    return record


@dataclass
class Store:
    """Datasets read once from one source, what each live fetch recorded, and whole series derived
    from the datasets (computed once).

    Contexts that differ only in their dates (``dataclasses.replace``) share their store: a claim
    checked at 200 dates reads and derives each series once.
    """

    source: str = "snapshot"
    frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)  # datasets, by name
    fetched: dict[str, Mapping[str, Any]] = field(default_factory=dict, repr=False)  # live fetch records, by name
    series: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)  # derived series, by name

    def __post_init__(self) -> None:
        check_source(self.source)

    def load(self, name: str) -> pd.DataFrame:
        """Dataset ``name`` from the store's source."""
        if name not in self.frames:
            if used(name, self.source) == "snapshot":
                self.frames[name] = data.load(name)
            else:
                from goldrush import live

                got = live.fetch(name)
                self.frames[name], self.fetched[name] = got.frame, got.record
        return self.frames[name]

    def provenance(self, name: str) -> dict[str, Any]:
        """Where dataset ``name`` came from (``provenance``); a live dataset not read yet is fetched first."""
        if used(name, self.source) == "live":
            self.load(name)
        return provenance(name, self.source, self.fetched.get(name))

    def derived(self, name: str, make: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        """The series called ``name``, made by ``make()`` the first time it is asked for."""
        if name not in self.series:
            self.series[name] = make()
        return self.series[name]
