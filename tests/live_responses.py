"""Full-range answers of every live provider, in each API's documented format, built from data/.

These are recorded-format responses generated from the snapshot, not recordings of live calls:
each body has the layout the provider documents and the client in ``goldrush/live/`` parses (see
the READMEs in ``tests/fixtures/live/``), and every figure in it is read from ``data/``. A chapter
run with ``--source live`` against them therefore tells the snapshot's story through the live code.

Where a provider says more than the snapshot holds, the gap is filled as follows:

- Yahoo chart: bars are stamped at the 09:30 New York open, prices written as float32 (as Yahoo
  sends them); the S&P 500 has only closes, so its open, high, low and volume are null. The split
  events are those ``data/market/SOURCES.md`` lists.
- SEC companyfacts: cover-page share counts are the snapshot's, divided back by the splits after
  their date (as reported); quarterly facts are the snapshot's quarters, the fiscal year their sum
  (Q4 is reported only inside the year, as NVIDIA does). Accession numbers come from the
  snapshot's source notes where they name one, else ``0001045810-YY-000000`` (a sequence EDGAR
  never issues, marking a stand-in); ``filed`` is the period's end date.
- Coin Metrics: ``PriceUSD`` and ``CapMrktCurUSD`` of a day are the snapshot's values dated the
  day after (its 00:00 UTC convention); ``HashRate`` is the snapshot's Coin Metrics series to
  2020-07-27, then blockchain.com's daily estimate carried over its four-day sampling. ETH's
  ``HashRate`` is the snapshot's Etherscan series.
- CoinGecko ``/global``: the snapshot's last total, ``updated_at`` at 00:00 UTC of its date.
- World Bank: ``lastupdated`` is the date in the snapshot's vintage; country ids repeat the ISO3
  code and a country's region is left blank (the snapshot has neither; the client reads only
  "Aggregates").
- IMF DataMapper: the snapshot's WEO codes; the snapshot does not say which aggregates DataMapper
  lists as regions and which as groups, so ``/regions`` and ``/groups`` both list all of them.
"""

from __future__ import annotations

import http.server
import json
import math
import re
from collections.abc import Callable
from datetime import UTC, datetime, time
from functools import cache, partial
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from goldrush import data

# Base path of each provider's API, as the real base URLs have it (GOLDRUSH_<PROVIDER>_URL = server + this).
PREFIXES = {
    "yahoo": "",
    "stooq": "",
    "sec": "",
    "coinmetrics": "/v4",
    "blockchain": "",
    "coingecko": "/api/v3",
    "worldbank": "/v2",
    "imf": "/external/datamapper/api/v1",
}
EXCHANGE_ZONE = ZoneInfo("America/New_York")  # NYSE and Nasdaq; Yahoo's meta.exchangeTimezoneName
SESSION_OPEN = time(9, 30, tzinfo=EXCHANGE_ZONE)  # Yahoo stamps a daily bar with its session's opening time
# (dataset, instrument type, split events as (day, numerator, denominator)) per Yahoo symbol.
# NVDA's splits as data/market/SOURCES.md (nvda_daily) lists them, but 2:1 in 2000, not 3:2: the
# cumulative factor it states, 480, needs 2:1 (2 x 2 x 2 x 1.5 x 4 x 10); AAPL's from aapl_daily's notes.
CHARTS = {
    "NVDA": ("nvda_daily", "EQUITY", [("2000-06-27", 2, 1), ("2001-09-17", 2, 1), ("2006-04-07", 2, 1),
                                      ("2007-09-11", 3, 2), ("2021-07-20", 4, 1), ("2024-06-10", 10, 1)]),
    "AAPL": ("aapl_daily", "EQUITY", [("2014-06-09", 7, 1), ("2020-08-31", 4, 1)]),
    "MSFT": ("msft_daily", "EQUITY", []),
    "^GSPC": ("sp500_daily", "INDEX", []),
}
CIK = "0001045810"  # NVIDIA Corporation at the SEC (EDGAR company search)
MILLION = 1_000_000
BILLION = 1e9  # IMF NGDPD is in billions of US dollars
TH_PER_EH = 1e6
BLOCKCHAIN_SAMPLING = 4  # days between points of blockchain.com's sampled charts (data/crypto/SOURCES.md)
ACCESSION = re.compile(r"\d{10}-\d{2}-\d{6}")
Answer = tuple[int, str, bytes]  # status, content type, body


def _stamp(day: pd.Timestamp, at: time = time()) -> int:
    """Unix seconds of ``day`` at ``at`` (UTC unless ``at`` has a zone)."""
    return int(datetime.combine(day.date(), at, at.tzinfo or UTC).timestamp())


def _number(value: Any) -> float | None:
    return None if pd.isna(value) else float(value)


def _float32(value: Any) -> float:
    """A price as Yahoo sends it: the nearest float32 (207.04 becomes 207.0399932861328)."""
    return float(np.float32(value))


# --- Yahoo Finance chart API -----------------------------------------------------------------


@cache
def _bars(symbol: str) -> pd.DataFrame:
    frame = data.load(CHARTS[symbol][0])
    return frame.assign(stamp=[_stamp(day, SESSION_OPEN) for day in frame["date"]])


def _column(bars: pd.DataFrame, name: str, kind: Callable[[Any], Any]) -> list[Any]:
    """A quote array; null where the snapshot has no value (the S&P 500 has only closes)."""
    if name not in bars:
        return [None] * len(bars)
    return [None if pd.isna(v) else kind(v) for v in bars[name]]


def yahoo_chart(symbol: str, period1: int, period2: int) -> dict[str, Any]:
    """``/v8/finance/chart/{symbol}`` with daily bars and split events from ``period1`` to ``period2``."""
    _, instrument, splits = CHARTS[symbol]
    bars = _bars(symbol)
    bars = bars[(bars["stamp"] >= period1) & (bars["stamp"] < period2)]
    quote = {c: _column(bars, c, _float32) for c in ("open", "high", "low", "close")}
    quote["volume"] = _column(bars, "volume", int)
    closes = quote["close"]
    stamps = bars["stamp"].tolist()
    meta = {
        "currency": "USD",
        "symbol": symbol,
        "instrumentType": instrument,
        "firstTradeDate": int(_bars(symbol)["stamp"].iloc[0]),
        "exchangeTimezoneName": EXCHANGE_ZONE.key,
        "regularMarketPrice": closes[-1] if closes else None,
        "chartPreviousClose": closes[0] if closes else None,
        "dataGranularity": "1d",
        "range": "",
    }
    events = {}
    for day, numerator, denominator in splits:
        when = _stamp(pd.Timestamp(day), SESSION_OPEN)
        if period1 <= when < period2:
            ratio = {"numerator": numerator, "denominator": denominator, "splitRatio": f"{numerator}:{denominator}"}
            events[str(when)] = {"date": when, **ratio}
    indicators = {"quote": [quote], "adjclose": [{"adjclose": closes}]}
    result = {"meta": meta, "timestamp": stamps, "indicators": indicators}
    if events:
        result["events"] = {"splits": events}
    return {"chart": {"result": [result], "error": None}}


# --- SEC EDGAR companyfacts ------------------------------------------------------------------


def _splits_after(day: pd.Timestamp) -> float:
    return math.prod(n / d for when, n, d in CHARTS["NVDA"][2] if pd.Timestamp(when) > day)


def _stand_in(day: pd.Timestamp) -> str:
    return f"{CIK}-{day:%y}-000000"


def _cover_pages() -> list[dict[str, Any]]:
    """``dei:EntityCommonStockSharesOutstanding``: the snapshot's counts as reported on their date."""
    facts = []
    for row in data.load("nvda_shares_outstanding").itertuples():
        named = ACCESSION.search(row.source)
        facts.append(
            {
                "end": f"{row.as_of_date:%Y-%m-%d}",
                "val": round(row.shares_outstanding / _splits_after(row.as_of_date)),
                "accn": named.group() if named else _stand_in(row.as_of_date),
                "form": "10-Q" if "10-Q" in row.source else "10-K",
                "filed": f"{row.as_of_date:%Y-%m-%d}",
            }
        )
    return facts


def _periods() -> pd.DataFrame:
    """The snapshot's quarters with their first day (the day after the previous period ended)."""
    quarters = data.load("nvidia_quarterly").sort_values("period_end").reset_index(drop=True)
    annual = data.load("nvidia_annual").set_index("fiscal_year")["fiscal_year_end"]
    before = annual[quarters["fiscal_year"].iloc[0] - 1]  # the year before the first quarter
    previous_end = quarters["period_end"].shift(1).fillna(before)
    return quarters.assign(start=previous_end + pd.Timedelta(days=1))


def _flow(start: pd.Timestamp, end: pd.Timestamp, millions: int, fy: int, fp: str) -> dict[str, Any]:
    return {
        "start": f"{start:%Y-%m-%d}",
        "end": f"{end:%Y-%m-%d}",
        "val": int(millions) * MILLION,
        "accn": _stand_in(end),
        "fy": fy,
        "fp": fp,
        "form": "10-K" if fp == "FY" else "10-Q",
        "filed": f"{end:%Y-%m-%d}",
    }


def _flows(column: str) -> list[dict[str, Any]]:
    """Three-month facts for Q1-Q3 and fiscal-year facts (sum of the four quarters) for whole years."""
    periods = _periods().dropna(subset=[column])
    facts = []
    for year, quarters in periods.groupby("fiscal_year"):
        for q in quarters[quarters["fiscal_quarter"] < 4].itertuples():
            facts.append(_flow(q.start, q.period_end, getattr(q, column), int(year), f"Q{q.fiscal_quarter}"))
        if sorted(quarters["fiscal_quarter"]) == [1, 2, 3, 4]:
            first, last = quarters["start"].min(), quarters["period_end"].max()
            facts.append(_flow(first, last, quarters[column].sum(), int(year), "FY"))
    return facts


def sec_companyfacts() -> dict[str, Any]:
    """``/api/xbrl/companyfacts/CIK0001045810.json`` with the four concepts the client reads."""

    def concept(label: str, unit: str, facts: list[dict[str, Any]]) -> dict[str, Any]:
        return {"label": label, "description": label, "units": {unit: facts}}

    return {
        "cik": int(CIK),
        "entityName": "NVIDIA CORP",
        "facts": {
            "dei": {
                "EntityCommonStockSharesOutstanding": concept(
                    "Entity Common Stock, Shares Outstanding", "shares", _cover_pages()
                )
            },
            "us-gaap": {
                "RevenueFromContractWithCustomerExcludingAssessedTax": concept(
                    "Revenue from Contract with Customer, Excluding Assessed Tax", "USD", _flows("revenue")
                ),
                "GrossProfit": concept("Gross Profit", "USD", _flows("gross_profit")),
                "NetIncomeLoss": concept("Net Income (Loss) Attributable to Parent", "USD", _flows("net_income")),
            },
        },
    }


# --- Coin Metrics, blockchain.com, CoinGecko -------------------------------------------------


def _hash_series(name: str) -> pd.Series:
    rates = data.load("btc_hash_rate_sources")
    return rates[rates["series"] == name].set_index("date")["hash_rate_ehs"]


@cache
def _asset_days(asset: str) -> pd.DataFrame:
    """Per day described: PriceUSD, CapMrktCurUSD, HashRate (TH/s), NaN where the snapshot has none."""
    frame = data.load(f"{asset}_daily").set_index("date")
    prices = frame[["price_usd", "market_cap_usd"]].set_axis(frame.index - pd.Timedelta(days=1))
    prices.columns = ["PriceUSD", "CapMrktCurUSD"]
    if asset == "btc":
        coinmetrics = _hash_series("coinmetrics_daily")
        sampled = _hash_series("blockchain_com_1d")
        daily = sampled.asfreq("D").ffill(limit=BLOCKCHAIN_SAMPLING - 1)
        hashes = pd.concat([coinmetrics, daily[daily.index > coinmetrics.index.max()]]) * TH_PER_EH
    else:
        hashes = frame["hash_rate_ths"]
    days = prices.join(hashes.rename("HashRate"), how="outer")
    return days.dropna(how="all")


def coinmetrics_page(
    asset: str, metrics: list[str], page_size: int, start: str | None = None, end: str | None = None
) -> dict[str, Any]:
    """``/timeseries/asset-metrics`` (frequency 1d): the days of ``asset`` from ``start`` to ``end`` (default:
    all) in one page; values as strings."""
    days = _asset_days(asset)[metrics].dropna(how="all").loc[start:end]
    if len(days) > page_size:
        raise ValueError(f"{asset}: {len(days)} rows do not fit one page of {page_size}; paginate")
    rows = []
    for day, values in days.iterrows():
        row = {"asset": asset, "time": f"{day:%Y-%m-%dT%H:%M:%S}.000000000Z"}
        row |= {metric: repr(float(v)) for metric, v in values.items() if pd.notna(v)}
        rows.append(row)
    return {"data": rows}


def blockchain_hash_rate(rolling: bool) -> dict[str, Any]:
    """``/charts/hash-rate`` (timespan=all, sampled): blockchain.com's daily or 7-day series in TH/s."""
    series = _hash_series("blockchain_com_7d_avg" if rolling else "blockchain_com_1d")
    return {
        "status": "ok",
        "name": "Hash Rate",
        "unit": "Hash Rate TH/s",
        "period": "day",
        "description": (
            "The estimated number of terahashes per second the bitcoin network is performing in the last 24 hours."
        ),
        "values": [{"x": _stamp(day), "y": float(v) * TH_PER_EH} for day, v in series.items()],
    }


def coingecko_global() -> dict[str, Any]:
    """``/global``: the snapshot's latest total crypto market cap."""
    last = data.load("total_crypto_market_cap").iloc[-1]
    total = {"total_market_cap": {"usd": float(last["total_market_cap_usd"])}, "updated_at": _stamp(last["date"])}
    return {"data": total}


# --- World Bank and IMF ----------------------------------------------------------------------


def _gdp(series: str) -> pd.DataFrame:
    gdp = data.load("gdp_by_country")
    return gdp[gdp["series"] == series]


def _worldbank_page(rows: list[dict[str, Any]], query: dict[str, str], extra: dict[str, Any]) -> list[Any]:
    per_page, page = int(query.get("per_page", 50)), int(query.get("page", 1))
    pages = max(1, math.ceil(len(rows) / per_page))
    header = {"page": page, "pages": pages, "per_page": per_page, "total": len(rows), **extra}
    return [header, rows[(page - 1) * per_page : page * per_page]]


def worldbank_gdp(query: dict[str, str]) -> list[Any]:
    """``/country/all/indicator/NY.GDP.MKTP.CD?format=json&date=Y1:Y2``: [page header, rows]."""
    first, last = (int(y) for y in query["date"].split(":"))
    gdp = _gdp("NY.GDP.MKTP.CD")
    gdp = gdp[gdp["year"].between(first, last)]
    updated = re.search(r"\d{4}-\d{2}-\d{2}", gdp["vintage"].iloc[0]).group()
    rows = [
        {
            "indicator": {"id": "NY.GDP.MKTP.CD", "value": "GDP (current US$)"},
            "country": {"id": r.iso3, "value": r.country},
            "countryiso3code": r.iso3,
            "date": str(r.year),
            "value": _number(r.gdp_usd_current),
            "unit": "",
            "obs_status": r.estimate_flag if pd.notna(r.estimate_flag) else "",
            "decimal": 0,
        }
        for r in gdp.itertuples()
    ]
    return _worldbank_page(rows, query, {"sourceid": "2", "lastupdated": updated})


def worldbank_countries(query: dict[str, str]) -> list[Any]:
    """``/country?format=json``: every economy of the snapshot's World Bank rows, aggregates marked."""
    blank = {"id": "", "iso2code": "", "value": ""}
    aggregate = {"id": "NA", "iso2code": "NA", "value": "Aggregates"}
    economies = _gdp("NY.GDP.MKTP.CD").drop_duplicates("iso3")
    rows = [
        {"id": r.iso3, "iso2Code": r.iso3, "name": r.country, "region": aggregate if r.is_aggregate else blank,
         "adminregion": blank, "incomeLevel": aggregate if r.is_aggregate else blank, "lendingType": blank,
         "capitalCity": "", "longitude": "", "latitude": ""}
        for r in economies.itertuples()
    ]
    return _worldbank_page(rows, query, {})


IMF_API = {"version": "1", "output-method": "json"}


def imf_values(periods: str) -> dict[str, Any]:
    """``/NGDPD?periods=...``: billions of US dollars per code and year."""
    years = set(periods.split(","))
    values: dict[str, dict[str, float]] = {}
    for r in _gdp("NGDPD").itertuples():
        if str(r.year) in years and pd.notna(r.gdp_usd_current):
            values.setdefault(r.iso3, {})[str(r.year)] = r.gdp_usd_current / BILLION
    return {"values": {"NGDPD": values}, "api": IMF_API}


def imf_indicators() -> dict[str, Any]:
    """``/indicators``: NGDPD with its WEO release, from the snapshot's vintage ("IMF WEO October 2025")."""
    month, year = _gdp("NGDPD")["vintage"].iloc[0].split()[-2:]
    ngdpd = {"label": "GDP, current prices", "description": "GDP, current prices",
             "source": f"World Economic Outlook ({month} {year})", "unit": "Billions of U.S. dollars", "dataset": "WEO"}
    return {"indicators": {"NGDPD": ngdpd}, "api": IMF_API}


def imf_labels(kind: str) -> dict[str, Any]:
    """``/countries``, ``/regions`` or ``/groups``: code -> label."""
    economies = _gdp("NGDPD").drop_duplicates("iso3")
    wanted = economies[economies["is_aggregate"] == (0 if kind == "countries" else 1)]
    return {kind: {r.iso3: {"label": r.country} for r in wanted.itertuples()}, "api": IMF_API}


# --- routing and serving ---------------------------------------------------------------------

JSON = "application/json"


def _route(path: str, query: dict[str, str]) -> Callable[[], Any] | None:
    """What answers ``path`` (the real APIs' paths), or None."""
    if path.startswith("/v8/finance/chart/"):
        symbol = path.removeprefix("/v8/finance/chart/")
        if symbol in CHARTS and query.get("interval") == "1d":
            return partial(yahoo_chart, symbol, int(query["period1"]), int(query["period2"]))
        return None
    imf = "/external/datamapper/api/v1/"
    routes: dict[str, Callable[[], Any]] = {
        f"/api/xbrl/companyfacts/CIK{CIK}.json": sec_companyfacts,
        "/v4/timeseries/asset-metrics": lambda: coinmetrics_page(
            query["assets"], query["metrics"].split(","), int(query.get("page_size", 100)),
            query.get("start_time"), query.get("end_time"),
        ),
        "/charts/hash-rate": lambda: blockchain_hash_rate(query.get("rollingAverage") == "7days"),
        "/api/v3/global": coingecko_global,
        "/v2/country/all/indicator/NY.GDP.MKTP.CD": lambda: worldbank_gdp(query),
        "/v2/country": lambda: worldbank_countries(query),
        imf + "NGDPD": lambda: imf_values(query.get("periods", "")),
        imf + "indicators": imf_indicators,
        **{imf + kind: partial(imf_labels, kind) for kind in ("countries", "regions", "groups")},
    }
    return routes.get(path)


class Responses:
    """Every answer, as (status, content type, body); a log of what was asked."""

    def __init__(self) -> None:
        self.log: list[tuple[str, dict[str, str], int]] = []

    def answer(self, path: str, query: dict[str, str]) -> Answer:
        route = _route(path, query)
        if route is None:
            answer: Answer = (404, "text/plain", f"no recorded response for {path}".encode())
        else:
            answer = (200, JSON, json.dumps(route(), separators=(",", ":")).encode())
        self.log.append((path, query, answer[0]))
        return answer


class Handler(http.server.BaseHTTPRequestHandler):
    """GET only; answers from ``responses``."""

    def __init__(self, *args: Any, responses: Responses, **kwargs: Any) -> None:
        self.answers = responses  # not `responses`: BaseHTTPRequestHandler has a table of that name
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        parts = urlsplit(self.path)
        status, kind, body = self.answers.answer(unquote(parts.path), dict(parse_qsl(parts.query)))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def handler(responses: Responses) -> Callable[..., Handler]:
    return partial(Handler, responses=responses)
