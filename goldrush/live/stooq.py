"""Stooq's daily CSV (``/q/d/l/?s=nvda.us&i=d``): the fallback when Yahoo fails.

The body is ``Date,Open,High,Low,Close,Volume`` with ISO dates, oldest first. Stooq answers
HTTP 200 with a line of plain text instead of CSV when it has nothing ("No data") or when the
daily quota is used up ("Exceeded the daily hits limit").
"""

from __future__ import annotations

import io
from datetime import date, datetime, timezone

import pandas as pd

from goldrush.live.http import LiveError, base_url, full_url, get_text

DEFAULT_URL = "https://stooq.com"
COLUMNS = {"Date": "date", "Open": "open", "High": "high", "Low": "low", "Close": "close", "Volume": "volume"}


def daily(symbol: str, start: date) -> tuple[pd.DataFrame, str]:
    """Daily bars of ``symbol`` (Stooq's spelling, e.g. ``nvda.us``, ``^spx``) since ``start``, and the URL."""
    url = f"{base_url('stooq', DEFAULT_URL)}/q/d/l/"
    today = datetime.now(timezone.utc).date()
    params = {"s": symbol, "i": "d", "d1": f"{start:%Y%m%d}", "d2": f"{today:%Y%m%d}"}
    full = full_url(url, params)
    text = get_text(url, params).strip()
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
