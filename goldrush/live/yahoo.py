"""Daily share prices and the S&P 500 from Yahoo Finance's chart API; Stooq's daily CSV if Yahoo fails.

Yahoo turns away clients by their TLS fingerprint, so the request goes through ``curl_cffi``
impersonating a current Chrome (``http.get(..., browser=True)``): Chrome's TLS and HTTP/2
fingerprint and the headers Chrome sends (User-Agent, ``sec-ch-ua``, ``sec-fetch-*``, Accept,
Accept-Language), as yfinance does. Not through yfinance itself: it writes its hosts into its code
and retries by its own rules, so it could neither be pointed at a recorded response served locally
nor share our limits and cache. We read the endpoint its ``history()`` reads,
``/v8/finance/chart/{symbol}`` (daily bars, splits as events), and keep ``indicators.quote[0]``:
what ``history(auto_adjust=False)`` returns, prices split-adjusted and not dividend-adjusted, the
snapshot's basis. ``indicators.adjclose`` (dividend-adjusted) is not used.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pandas as pd

from goldrush import data
from goldrush.errors import GoldrushError
from goldrush.live import Fetched, LiveSource, http, providers, stooq
from goldrush.live.http import LiveError, base_url, full_url, get_json

DEFAULT_URL = providers.PROVIDERS["yahoo"].default_url
ENDPOINTS = {"yahoo": DEFAULT_URL, "stooq": stooq.DEFAULT_URL}
PRICES = ["open", "high", "low", "close"]
# dataset -> (Yahoo symbol, Stooq symbol, columns)
SERIES = {
    "nvda_daily": ("NVDA", "nvda.us", ["date", *PRICES, "volume"]),
    "aapl_daily": ("AAPL", "aapl.us", ["date", *PRICES, "volume"]),
    "msft_daily": ("MSFT", "msft.us", ["date", *PRICES, "volume"]),
    "sp500_daily": ("^GSPC", "^spx", ["date", "close"]),
}


@dataclass
class Chart:
    """One chart response: daily bars, split events (date, new shares per old share) and its URL."""

    bars: pd.DataFrame
    splits: list[tuple[date, float]]
    url: str


def chart_url(symbol: str) -> str:
    return f"{base_url('yahoo', DEFAULT_URL)}/v8/finance/chart/{symbol}"


def _epoch(day: date) -> int:
    return int(datetime.combine(day, time(), UTC).timestamp())


def first_day(name: str) -> date:
    """Where a refresh starts: the snapshot's first date, so a dataset keeps its span (else 1970)."""
    try:
        return data.load(name)["date"].min().date()
    except (GoldrushError, OSError):
        return date(1970, 1, 1)


def chart(symbol: str, start: date) -> Chart:
    """Daily bars of ``symbol`` from ``start`` to the last completed session, and its splits."""
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)  # same URL all day: the cache can answer
    url = chart_url(symbol)
    params = {"period1": _epoch(start), "period2": _epoch(tomorrow), "interval": "1d", "events": "splits"}
    return _parse(get_json(url, params, browser=True), symbol, full_url(url, params))


def _parse(body: Any, symbol: str, url: str) -> Chart:
    try:
        error = body["chart"]["error"]
        results = body["chart"]["result"]
    except (KeyError, TypeError):
        raise LiveError(f"{url}: no chart.result in the response (has the API changed?)") from None
    if error:
        raise LiveError(f"{url}: Yahoo says {error.get('code')}: {error.get('description')}")
    if not results:
        return Chart(pd.DataFrame(columns=["date", *PRICES, "volume"]), [], url)
    result = results[0]
    answered = (result.get("meta") or {}).get("symbol", symbol)
    if answered != symbol:
        raise LiveError(f"{url}: the answer is for {answered}, not {symbol}")
    try:
        zone = result["meta"]["exchangeTimezoneName"]
        stamps = result.get("timestamp", [])
        quote = result["indicators"]["quote"][0]
        bars = pd.DataFrame({"stamp": stamps, **{c: quote[c] for c in [*PRICES, "volume"]}} if stamps else {})
    except (KeyError, IndexError, TypeError) as exc:
        raise LiveError(f"{url}: field {exc} missing from chart.result[0] (has the API changed?)") from None
    except ValueError as exc:  # arrays of different lengths
        raise LiveError(f"{url}: malformed chart.result[0] ({exc})") from None
    if bars.empty:
        return Chart(pd.DataFrame(columns=["date", *PRICES, "volume"]), [], url)
    local = pd.to_datetime(bars.pop("stamp"), unit="s", utc=True).dt.tz_convert(zone)
    today = datetime.now(UTC).astimezone(local.dt.tz).date()
    bars.insert(0, "date", local.dt.strftime("%Y-%m-%d"))
    # a bar for today is still moving; nulls are days Yahoo lists without a trade
    keep = (local.dt.date < today) & bars["close"].notna()
    bars = bars[keep].reset_index(drop=True)
    # Yahoo sends float32 numbers (207.04 arrives as 207.0399932861328): the shortest decimal
    # that is the same float32 gives the price back
    bars[PRICES] = bars[PRICES].astype("float32").astype(str).astype("float64")
    splits = []
    for event in result.get("events", {}).get("splits", {}).values():
        try:
            when = pd.Timestamp(event["date"], unit="s", tz="UTC").tz_convert(zone).date()
            splits.append((when, event["numerator"] / event["denominator"]))
        except (KeyError, TypeError, ZeroDivisionError) as exc:
            raise LiveError(f"{url}: malformed split event {event} ({exc})") from None
    return Chart(bars, sorted(splits), url)


def _daily(name: str) -> Fetched:
    symbol, stooq_symbol, columns = SERIES[name]
    start = first_day(name)
    try:
        with http.transaction():  # a Yahoo answer that fails here is not cached, even if Stooq then serves
            found = chart(symbol, start)
            if found.bars.empty:
                raise LiveError(f"{found.url}: no daily bars since {start}")
        return Fetched(
            found.bars[columns],
            found.url,
            "Yahoo Finance chart API: prices split-adjusted, not dividend-adjusted.",
            tuple(found.splits),
        )
    except LiveError as yahoo:
        try:
            frame, url = stooq.daily(stooq_symbol, start)
        except LiveError as fallback:
            raise LiveError(f"{yahoo}; the Stooq fallback failed too: {fallback}") from None
        note = (
            f"Yahoo failed ({yahoo}), so Stooq's daily CSV was used. Stooq does not document whether its "
            "stock prices are dividend-adjusted; closes may differ slightly from the snapshot's basis."
        )
        return Fetched(frame[columns], url, note)


CLIENTS = {name: LiveSource(functools.partial(_daily, name), ENDPOINTS) for name in SERIES}
