"""Stooq's daily CSV (``/q/d/l/?s=nvda.us&i=d&apikey=...``): the fallback when Yahoo fails.

Since early 2026 Stooq answers only requests that carry an ``apikey`` (a free key from its site,
read here from ``GOLDRUSH_STOOQ_APIKEY``); without one it is not asked at all. The body is
``Date,Open,High,Low,Close,Volume`` with ISO dates, oldest first. Stooq answers HTTP 200 in every
case, so the body is what tells: a line of plain text instead of CSV when it has nothing ("No
data") or the daily quota is used up ("Exceeded the daily hits limit"), and an HTML page when the
key is missing or wrong (or a proof-of-work page for clients it takes for robots).
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import pandas as pd

from goldrush.live import providers
from goldrush.live.http import LiveError, base_url, full_url, get_text

PROVIDER = providers.PROVIDERS["stooq"]
DEFAULT_URL = PROVIDER.default_url
COLUMNS = {"Date": "date", "Open": "open", "High": "high", "Low": "low", "Close": "close", "Volume": "volume"}
HTML = re.compile(r"^\s*(<!doctype html|<html|<head|<body|<script|<meta|<title)", re.IGNORECASE)


def daily(symbol: str, start: date) -> tuple[pd.DataFrame, str]:
    """Daily bars of ``symbol`` (Stooq's spelling, e.g. ``nvda.us``, ``^spx``) since ``start``, and the URL."""
    url = f"{base_url('stooq', DEFAULT_URL)}/q/d/l/"
    lack = providers.needs("stooq")
    if lack:
        raise LiveError(f"{url}: not asked: {lack}")
    today = datetime.now(UTC).date()
    params = {"s": symbol, "i": "d", "d1": f"{start:%Y%m%d}", "d2": f"{today:%Y%m%d}"}
    params["apikey"] = providers.value(providers.STOOQ_KEY.variable) or ""
    full = full_url(url, params)
    text = get_text(url, params).strip()
    if HTML.match(text):
        title = re.search(r"<title[^>]*>([^<]{0,80})", text, re.IGNORECASE)
        named = f" titled {' '.join(title.group(1).split())!r}" if title else ""
        raise LiveError(
            f"{full}: Stooq sent an HTML page{named}, not CSV (a missing or rejected apikey, or a robot check); "
            f"check {providers.STOOQ_KEY.variable}"
        )
    first_line = text.splitlines()[0] if text else ""
    if "," not in first_line:
        said = f"Stooq says {first_line[:80]!r}" if first_line else "the body is empty"
        raise LiveError(f"{full}: no CSV ({said})")
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, ValueError) as exc:
        raise LiveError(f"{full}: malformed CSV ({' '.join(str(exc).split())})") from None
    missing = [c for c in ("Date", "Close") if c not in frame.columns]
    if missing:
        raise LiveError(
            f"{full}: no {', '.join(missing)} column in the CSV header {list(frame.columns)} (has the format changed?)"
        )
    if frame.empty:
        raise LiveError(f"{full}: the CSV has a header but no rows")
    frame = frame.rename(columns=COLUMNS)
    return frame[frame["date"] < f"{today:%Y-%m-%d}"].reset_index(drop=True), full  # today's bar is still moving
