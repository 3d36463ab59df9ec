"""CoinGecko ``/api/v3/global``: today's total crypto market capitalisation.

``GET /global`` answers ``{"data": {"total_market_cap": {"usd": ...}, "updated_at": unix seconds,
...}}`` (docs.coingecko.com, Crypto Global Market Data; refreshed every 10 minutes). The history
of that total (``/global/market_cap_chart``) is for paid plans only, so the live dataset is the
snapshot's history with today's CoinGecko total as its newest row: a chapter comparing a date in
the past still finds the total it had, and one asking about today gets CoinGecko's current figure.
A demo key, if you have one, is read from ``GOLDRUSH_COINGECKO_DEMO_KEY`` (not needed for /global).
"""

from __future__ import annotations

import pandas as pd

from goldrush import data
from goldrush.live import Fetched, LiveSource, providers
from goldrush.live.http import LiveError, base_url, get_json

BASE = providers.PROVIDERS["coingecko"].default_url
KEY_VARIABLE = providers.COINGECKO_KEY.variable
PROVIDER = "CoinGecko"
METHOD = "CoinGecko /api/v3/global data.total_market_cap.usd (live, the value at updated_at)"
NOTE = (
    "CoinGecko's free and demo plans give only the current total (/global); its history needs a "
    "paid plan, so rows before today are the snapshot's (CoinGecko to 2025-08-15, then "
    "CoinMarketCap), and days between the snapshot's last row and today are missing."
)


def current_total() -> tuple[dict[str, object], str]:
    """Today's total as a row of ``total_crypto_market_cap``."""
    url = f"{base_url('coingecko', BASE)}/global"
    key = providers.value(KEY_VARIABLE)
    body = get_json(url, headers={"x-cg-demo-api-key": key} if key else None)
    block = body.get("data") if isinstance(body, dict) else None
    if not isinstance(block, dict) or not block:
        raise LiveError(f"{url}: the response has no 'data' object")
    total = (block.get("total_market_cap") or {}).get("usd")
    if total is None or "updated_at" not in block:
        raise LiveError(f"{url}: no data.total_market_cap.usd or data.updated_at (has the API changed?)")
    try:
        when = pd.to_datetime(block["updated_at"], unit="s", utc=True)
        total = float(total)
    except (ValueError, TypeError) as exc:
        raise LiveError(f"{url}: unreadable total or updated_at ({exc})") from None
    if total <= 0:
        raise LiveError(f"{url}: total market cap {total} is not positive")
    row = {
        "date": when.tz_localize(None).normalize(),
        "total_market_cap_usd": total,
        "provider": PROVIDER,
        "method": METHOD,
        "as_of_utc": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    return row, url


def total_crypto_market_cap() -> Fetched:
    row, url = current_total()
    history = data.load("total_crypto_market_cap")
    history = history[history["date"] != row["date"]]
    frame = pd.concat([history, pd.DataFrame([row])], ignore_index=True).sort_values("date")
    return Fetched(frame.reset_index(drop=True), url, NOTE)


CLIENTS = {
    "total_crypto_market_cap": LiveSource(total_crypto_market_cap, {"coingecko": BASE}),
}
