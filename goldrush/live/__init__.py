"""Live sources: one client module per provider, each returning the snapshot's tidy frame.

A provider module registers a fetcher per dataset with ``@register("dataset")``; ``fetch``
validates what it returns against the snapshot's schema (columns, types, not empty, no duplicate
keys, no future dates) before any chapter sees it. ``fetch_record`` tells the provenance box
which URL was read and when. ``preflight`` checks, in a few seconds, that the providers a chapter
needs can be reached at all, so that ``--source live`` without a network fails before anything runs.
"""

from __future__ import annotations

import ast
import importlib
import json
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from goldrush import data
from goldrush.errors import GoldrushError
from goldrush.live import http
from goldrush.live.http import LiveError

# Provider modules in this package; importing one registers its fetchers.
PROVIDERS: tuple[str, ...] = ("yahoo", "sec", "coinmetrics", "blockchain", "coingecko", "gdp")


@dataclass
class Fetched:
    """What a fetcher returns: the frame (snapshot columns) and the URL it came from."""

    frame: pd.DataFrame
    url: str
    note: str = ""  # what the provider cannot give (for example, history beyond the free plan)


Fetcher = Callable[[], Fetched]
FETCHERS: dict[str, Fetcher] = {}
ENDPOINTS: dict[str, dict[str, str]] = {}  # dataset -> {provider: default base URL}
_RECORDS: dict[str, dict[str, Any]] = {}


def register(dataset: str, endpoints: Mapping[str, str] | None = None) -> Callable[[Fetcher], Fetcher]:
    """Register the fetcher of ``dataset``.

    ``endpoints`` maps each provider the fetcher may call to its default base URL (as given to
    ``http.base_url``); the preflight needs one of them to answer.
    """

    def wrap(fn: Fetcher) -> Fetcher:
        FETCHERS[dataset] = fn
        ENDPOINTS[dataset] = dict(endpoints or {})
        return fn

    return wrap


def _load_providers() -> None:
    for module in PROVIDERS:
        importlib.import_module(f"goldrush.live.{module}")


def datasets() -> list[str]:
    """The datasets that have a live source."""
    _load_providers()
    return sorted(FETCHERS)


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
        if f["type"] == "number" and typed[f["name"]].abs().eq(float("inf")).any():
            raise LiveError(f"{name} from {fetched.url}: infinite values in {f['name']}")
    return typed


def fetch(name: str) -> pd.DataFrame:
    """Dataset ``name`` from its live provider, validated."""
    _load_providers()
    if name not in FETCHERS:
        live = ", ".join(sorted(FETCHERS)) or "none"
        raise GoldrushError(f"no live source for {name!r} (live datasets: {live}); use --source snapshot")
    try:
        fetched = FETCHERS[name]()
    except LiveError as exc:
        raise LiveError(f"{name}: {exc}") from None
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


def datasets_in(notebook: Path) -> list[str]:
    """The datasets a chapter notebook names in its code (string literals that are dataset names)."""
    known = {res["name"] for res in data.package()["resources"]}
    found: list[str] = []
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "code":
            continue
        try:
            tree = ast.parse("".join(cell["source"]))
        except SyntaxError:  # IPython magics
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value in known and node.value not in found:
                found.append(node.value)
    return found


def preflight(
    datasets: Iterable[str],
    who: str = "--source live",
    advice: str = "rerun with --source snapshot to use the embedded data",
) -> None:
    """Raise LiveError, on one line, unless each dataset's provider (or one of its fallbacks) answers."""
    _load_providers()
    wanted = {name: [http.base_url(p, url) for p, url in ENDPOINTS.get(name, {}).items()] for name in datasets}
    urls = sorted({url for group in wanted.values() for url in group})
    if not urls:
        return
    with ThreadPoolExecutor(max_workers=len(urls)) as pool:
        problems = dict(zip(urls, pool.map(http.unreachable, urls), strict=True))
    for name, group in wanted.items():
        if group and all(problems[url] for url in group):
            raise LiveError(f"{who} needs the network, but {problems[group[0]]} (for {name}); {advice}")
