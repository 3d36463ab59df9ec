"""Chapter 1, "Five trillion": NVIDIA's market value against its peers, and its rounding band."""

from __future__ import annotations

import pandas as pd

from goldrush import method
from goldrush import transforms as tf
from goldrush.context import AsOfContext


def peer_market_caps(ctx: AsOfContext) -> pd.DataFrame:
    """Approximate daily market caps of Apple and Microsoft (close x latest weighted basic shares).

    The snapshot has only weighted-average shares per quarter for them (see data/market/SOURCES.md),
    so these are indicative, good enough to see whether either came near $5T.
    """
    shares = ctx.load("aapl_msft_weighted_shares")
    frames = []
    for ticker in ("AAPL", "MSFT"):
        steps = shares[shares["ticker"] == ticker].rename(
            columns={"earnings_release_date": "as_of_date", "weighted_avg_basic_shares": "shares_outstanding"}
        )
        caps = tf.market_cap(ctx.load(f"{ticker.lower()}_daily"), steps)
        frames.append(tf.up_to(caps, ctx.as_of).assign(ticker=ticker))
    return pd.concat(frames, ignore_index=True)


def share_band(caps: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Market caps with each share count at the low and high end of its rounding (half its last stated digit)."""
    half = caps["shares_outstanding"].map(method.precision) / 2
    return caps["close"] * (caps["shares_outstanding"] - half), caps["close"] * (caps["shares_outstanding"] + half)


SHARE_ROUNDING = "NVIDIA states its share count rounded, to half its last digit either way"
