"""Live sources: one client module per provider, each returning the snapshot's tidy frame.

Each provider module declares its clients in ``CLIENTS`` (dataset -> ``LiveSource``). ``fetch``
validates what a client returns against the snapshot's schema (columns, types, not empty, no
duplicate keys, no future dates) and for plausibility (positive prices, no gap inside a price series
where the snapshot has none, dates in order, no one-day move beyond ``MAX_DAY_FACTOR`` unless a
split explains it) before any chapter sees it; only then are the answers it read cached
(``http.transaction``). It returns the frame with its record (which URL was read, and when the
answer was retrieved), which the reader's ``sources.Store`` keeps for the provenance box and the
chart captions. ``preflight`` checks, in a few seconds and before any request, that the keys a
chapter's providers require are set and that the providers can be reached, so that
``--source live`` fails before anything runs.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from types import MappingProxyType
from typing import Any

import pandas as pd

from goldrush import data
from goldrush.errors import GoldrushError
from goldrush.live import http, providers
from goldrush.live.http import LiveError

# Provider modules in this package; each declares its clients in CLIENTS.
PROVIDERS: tuple[str, ...] = ("yahoo", "sec", "coinmetrics", "blockchain", "coingecko", "gdp")


@dataclass
class Fetched:
    """What a fetcher returns: the frame (snapshot columns) and the URL it came from."""

    frame: pd.DataFrame
    url: str
    note: str = ""  # what the provider cannot give (for example, history beyond the free plan)
    splits: tuple[tuple[date, float], ...] = ()  # (day, new shares per old share): explains a price jump


Fetcher = Callable[[], Fetched]


@dataclass(frozen=True)
class LiveSource:
    """A dataset's live client: its fetcher, and each provider it may call with that provider's
    default base URL (as given to ``http.base_url``; the preflight needs one of them to answer)."""

    fetch: Fetcher
    endpoints: Mapping[str, str]


@dataclass(frozen=True)
class LiveData:
    """A validated live dataset and its record: ``url``, ``retrieved`` (UTC, ISO 8601; with several
    answers, the oldest one's), ``cached``, ``rows`` and ``note``."""

    frame: pd.DataFrame
    record: Mapping[str, Any]


PRICES = ("open", "high", "low", "close", "price_usd", "market_cap_usd", "total_market_cap_usd")  # must be > 0
MOVES = ("close", "price_usd")  # columns whose one-day move is bounded
MAX_DAY_FACTOR = 3.0  # a price more than triples or falls below a third in a day: implausible without a split


@cache
def clients() -> Mapping[str, LiveSource]:
    """Every dataset's live client, read from the provider modules' ``CLIENTS``."""
    found: dict[str, LiveSource] = {}
    for module in PROVIDERS:
        found |= importlib.import_module(f"goldrush.live.{module}").CLIENTS
    return MappingProxyType(found)


def datasets() -> list[str]:
    """The datasets that have a live source."""
    return sorted(clients())


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
    plausible(name, typed, fetched)
    return typed


def plausible(name: str, typed: pd.DataFrame, fetched: Fetched) -> None:
    """LiveError unless ``typed`` looks like real data (see the module's docstring)."""
    where = f"{name} from {fetched.url}"
    snapshot = data.load(name)
    for column in [c for c in PRICES if c in typed]:
        # a gap inside the series (rows before its first value may hold other measures, like hash rate)
        values = typed[column].reset_index(drop=True)
        inside = values.loc[values.first_valid_index() : values.last_valid_index()]
        if inside.isna().any() and column in snapshot and not snapshot[column].isna().any():
            row = int(inside.isna().idxmax())
            raise LiveError(f"{where}: no value in {column} at row {row + 1} (NaN or empty; the snapshot has none)")
    for column in [c for c in PRICES if c in typed]:
        if (typed[column] <= 0).any():
            raise LiveError(f"{where}: {column} is not positive ({typed[column].min():g})")
    if "date" in typed and data.entry(name)["schema"].get("primaryKey") == ["date"]:
        days = typed["date"]
        if not days.is_monotonic_increasing:
            row = int((days.diff() < pd.Timedelta(0)).to_numpy().argmax())
            raise LiveError(f"{where}: dates out of order ({days.iloc[row - 1]:%Y-%m-%d} before {days.iloc[row]:%Y-%m-%d})")
        splits = dict(fetched.splits)
        for column in [c for c in MOVES if c in typed]:
            series = typed[["date", column]].dropna()
            ratio = series[column] / series[column].shift()
            for i in ratio.index[(ratio > MAX_DAY_FACTOR) | (ratio < 1 / MAX_DAY_FACTOR)]:
                day = series.at[i, "date"].date()
                adjusted = ratio[i] * splits.get(day, 1.0)  # an unadjusted price falls by the split ratio
                if 1 / MAX_DAY_FACTOR <= adjusted <= MAX_DAY_FACTOR:
                    continue
                raise LiveError(
                    f"{where}: {column} moves by a factor of {ratio[i]:.3g} on {day} (more than {MAX_DAY_FACTOR:g} "
                    "in one day, and no split explains it)"
                )


def fetch(name: str) -> LiveData:
    """Dataset ``name`` from its live provider, validated, with its record."""
    if name not in clients():
        live = ", ".join(datasets()) or "none"
        raise GoldrushError(f"no live source for {name!r} (live datasets: {live}); use --source snapshot")
    with http.transaction() as answers:  # the answers are cached only if the dataset validates
        try:
            fetched = clients()[name].fetch()
        except LiveError as exc:
            raise LiveError(f"{name}: {exc}") from None
        frame = validate(name, fetched)
    # the oldest answer used: a cached answer keeps the time it was retrieved from the network
    retrieved = min((a.retrieved for a in answers), default=datetime.now(UTC))
    record = {
        "url": fetched.url,
        "retrieved": retrieved.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "cached": any(a.from_cache for a in answers),
        "rows": len(frame),
        "note": fetched.note,
    }
    return LiveData(frame, MappingProxyType(record))


def endpoints(name: str) -> Mapping[str, str]:
    """The providers dataset ``name``'s live client may call, with their default base URLs ({} if it has none)."""
    client = clients().get(name)
    return client.endpoints if client else {}


def preflight(
    datasets: Iterable[str],
    who: str = "--source live",
    advice: str = "rerun with --source snapshot to use the embedded data",
) -> None:
    """Raise LiveError, on one line, unless each dataset's providers have their keys and one of them answers.

    A provider that is only a fallback (Stooq) and lacks its key is left out; any other provider
    lacking a required key stops the run before a request is made.
    """
    wanted: dict[str, list[str]] = {}
    for name in datasets:
        group = []
        for provider in endpoints(name):
            lack = providers.needs(provider)
            if lack and not providers.PROVIDERS[provider].fallback:
                raise LiveError(f"{who}: {lack} (for {name}); {advice}")
            if not lack:
                group.append(providers.PROVIDERS[provider].endpoint())
        wanted[name] = group
    urls = sorted({url for group in wanted.values() for url in group})
    if not urls:
        return
    with ThreadPoolExecutor(max_workers=len(urls)) as pool:
        problems = dict(zip(urls, pool.map(http.unreachable, urls), strict=True))
    for name, group in wanted.items():
        if group and all(problems[url] for url in group):
            raise LiveError(f"{who} needs the network, but {problems[group[0]]} (for {name}); {advice}")


def sources() -> list[str]:
    """Lines for ``goldrush data sources``: each provider, its endpoint, the datasets it serves and its keys."""
    lines = ["Live providers (each endpoint can be replaced with GOLDRUSH_<PROVIDER>_URL):"]
    for provider in providers.PROVIDERS.values():
        served = sorted(name for name, client in clients().items() if provider.name in client.endpoints)
        lack = providers.needs(provider.name)
        if not lack:
            state = "ready"
        elif provider.fallback:
            state = f"skipped (a fallback) until {provider.missing()[0].variable} is set"
        else:
            state = f"not usable until {provider.missing()[0].variable} is set"
        lines += [
            f"{provider.name}: {provider.title} [{state}]",
            f"  endpoint: {provider.endpoint()}",
            f"  datasets: {', '.join(served) or 'none'}",
        ]
        for key in provider.keys:
            kind = "required" if key.required else "optional"
            status = "set" if providers.value(key.variable) else "not set"
            lines.append(f"  {key.variable} ({kind}, {status}): sent {key.sent_as}; {key.where}")
        if not provider.keys:
            lines.append("  keys: none needed")
    return lines
