"""Coin Metrics Community API v4: BTC and ETH daily price, market cap and hash rate.

``GET /timeseries/asset-metrics`` answers ``{"data": [{"asset", "time", "<Metric>": "<number as
string>", ...}], "next_page_token", "next_page_url"}``; pages are followed with ``next_page_token``
(sent to our own base URL, so ``GOLDRUSH_COINMETRICS_URL`` also redirects the later pages).

The Community API (``community-api.coinmetrics.io``) needs no key. With
``GOLDRUSH_COINMETRICS_API_KEY`` set, requests go to the host the docs give for keyed access,
``api.coinmetrics.io``, with the key as ``api_key`` (``GOLDRUSH_COINMETRICS_URL`` still wins). A
401 or 403 is reported on one line naming that variable.

Dates follow the snapshot's conventions. A daily ``PriceUSD`` / ``CapMrktCurUSD`` row is the value
"as of the end of the day in UTC" (docs.coinmetrics.io, Price), so it is dated the next day, like
the snapshot's CoinGecko 00:00 UTC values. ``HashRate`` (TH/s) describes the day it is dated, like
the snapshot's blockchain.com and Etherscan series.
"""

from __future__ import annotations

import pandas as pd

from goldrush.live import Fetched, LiveSource, providers
from goldrush.live.http import LiveError, StatusError, get_json

PROVIDER = providers.PROVIDERS["coinmetrics"]
BASE = PROVIDER.default_url
KEY = providers.COINMETRICS_KEY.variable
PAGE_SIZE = 10_000  # the documented maximum page size
BTC_METRICS = ("PriceUSD", "CapMrktCurUSD", "HashRate")
ETH_METRICS = BTC_METRICS
TH_PER_EH = 1e6
HASH_RATE_WINDOW = 7  # days; the snapshot's btc_daily hash rate is blockchain.com's 7-day average
# Ethereum's last proof-of-work day: Coin Metrics gives ETH hash rate "up to 9/15/2022"
# (docs.coinmetrics.io, Average Hashrate); data/crypto/SOURCES.md ends the Etherscan series there too.
MERGE_DATE = pd.Timestamp("2022-09-15")
CREDIT = "Coin Metrics Community Data (coinmetrics.io), licensed CC BY-NC 4.0: credit Coin Metrics, non-commercial use only."


def endpoint() -> str:
    return f"{PROVIDER.endpoint()}/timeseries/asset-metrics"


def _refused(exc: StatusError) -> LiveError:
    """A 401/403 as one line that names the key variable."""
    if providers.value(KEY):
        return LiveError(f"{exc}; Coin Metrics refused the key in {KEY}: check it, or unset it to use the keyless Community API")
    return LiveError(f"{exc}; the Community API refused a request without a key: set {KEY} to a Coin Metrics API key")


def _pages(url: str, params: dict[str, str | int]) -> list[dict]:
    """Every row of a paginated answer."""
    rows: list[dict] = []
    seen: set[str] = set()
    token = None
    key = providers.value(KEY)
    while True:
        try:
            page = get_json(url, params | ({"next_page_token": token} if token else {}) | ({"api_key": key} if key else {}))
        except StatusError as exc:
            raise _refused(exc) if exc.status in (401, 403) else exc from None
        if not isinstance(page, dict) or not isinstance(page.get("data"), list):
            raise LiveError(f"{url}: the response has no 'data' list (has the API changed?)")
        rows += page["data"]
        token = page.get("next_page_token")
        if not token:
            return rows
        if token in seen:
            raise LiveError(f"{url}: next_page_token {token!r} repeats; pagination does not advance")
        seen.add(token)


def asset_metrics(asset: str, metrics: tuple[str, ...]) -> tuple[pd.DataFrame, str]:
    """Daily ``metrics`` of ``asset`` as floats: columns ``day`` (the day described) and the metrics."""
    url = endpoint()
    params: dict[str, str | int] = {"assets": asset, "metrics": ",".join(metrics), "frequency": "1d", "page_size": PAGE_SIZE}
    rows = _pages(url, params)
    if not rows:
        raise LiveError(f"{url}: no rows for {asset} ({', '.join(metrics)})")
    frame = pd.DataFrame(rows)
    # A metric missing from some rows is documented ("not supported" there); missing from all is drift.
    absent = [name for name in ("time", *metrics) if name not in frame.columns]
    if absent:
        raise LiveError(f"{url}: field(s) {', '.join(absent)} in no row for {asset} (has the API changed?)")
    try:
        day = pd.to_datetime(frame["time"], utc=True).dt.tz_localize(None).dt.normalize()
        values = frame[list(metrics)].apply(pd.to_numeric).astype("float64")
    except (ValueError, TypeError) as exc:
        raise LiveError(f"{url}: unreadable time or metric value for {asset} ({exc})") from None
    out = pd.concat([day.rename("day"), values], axis=1).sort_values("day").reset_index(drop=True)
    if out["day"].duplicated().any():
        raise LiveError(f"{url}: more than one row per day for {asset}")
    return out, url


def _daily(metrics: pd.DataFrame, hash_rate: pd.Series, hash_column: str) -> pd.DataFrame:
    """Prices dated the day after they close, hash rate on its own day, merged on ``date``."""
    prices = pd.DataFrame(
        {
            "date": metrics["day"] + pd.Timedelta(days=1),
            "price_usd": metrics["PriceUSD"],
            "market_cap_usd": metrics["CapMrktCurUSD"],
        }
    )
    hashes = pd.DataFrame({"date": metrics["day"], hash_column: hash_rate.to_numpy()})
    merged = prices.merge(hashes, on="date", how="outer").sort_values("date")
    return merged.dropna(how="all", subset=["price_usd", "market_cap_usd", hash_column]).reset_index(drop=True)


def btc_hash_rate_ehs(metrics: pd.DataFrame) -> pd.Series:
    """Daily BTC hash rate in EH/s."""
    return metrics["HashRate"] / TH_PER_EH


def btc_daily() -> Fetched:
    metrics, url = asset_metrics("btc", BTC_METRICS)
    daily = btc_hash_rate_ehs(metrics).set_axis(metrics["day"])
    # trailing mean over the 7 calendar days ending on the date, only when all 7 are present
    week = daily.rolling(f"{HASH_RATE_WINDOW}D", min_periods=HASH_RATE_WINDOW).mean()
    frame = _daily(metrics, week, "hash_rate_ehs")
    note = (
        f"{CREDIT} Price and market cap are Coin Metrics' end-of-day values, dated the next day "
        "(the snapshot's CoinGecko 00:00 UTC convention); hash rate is the mean of Coin Metrics' "
        "daily HashRate over the 7 days ending on the date (the snapshot uses blockchain.com's "
        "7-day average, every 4 days)."
    )
    return Fetched(frame, url, note)


def eth_daily() -> Fetched:
    metrics, url = asset_metrics("eth", ETH_METRICS)
    hash_rate = metrics["HashRate"].where(metrics["day"] <= MERGE_DATE)
    frame = _daily(metrics, hash_rate, "hash_rate_ths")
    note = (
        f"{CREDIT} Hash rate is Coin Metrics' (TH/s), empty after {MERGE_DATE.date()} (proof of work "
        "ended); it runs about 7% below the snapshot's Etherscan series (data/crypto/SOURCES.md)."
    )
    return Fetched(frame, url, note)


CLIENTS = {
    "btc_daily": LiveSource(btc_daily, {"coinmetrics": BASE}),
    "eth_daily": LiveSource(eth_daily, {"coinmetrics": BASE}),
}
