"""Chapter 1, "Five trillion": NVIDIA's market value against its peers, and its rounding band."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from goldrush import method
from goldrush import transforms as tf
from goldrush.analysis import long_date
from goldrush.context import AsOfContext


def peer_market_caps(ctx: AsOfContext) -> pd.DataFrame:
    """Approximate daily market caps of Apple and Microsoft (close x latest weighted basic shares).

    The snapshot has only weighted-average shares per quarter for them (see data/market/SOURCES.md),
    so these are indicative, good enough to see whether either came near $5T.
    """

    def whole() -> pd.DataFrame:
        shares = ctx.load("aapl_msft_weighted_shares")
        frames = []
        for ticker in ("AAPL", "MSFT"):
            steps = shares[shares["ticker"] == ticker].rename(
                columns={"earnings_release_date": "as_of_date", "weighted_avg_basic_shares": "shares_outstanding"}
            )
            frames.append(tf.market_cap(ctx.load(f"{ticker.lower()}_daily"), steps).assign(ticker=ticker))
        return pd.concat(frames, ignore_index=True)

    return tf.up_to(ctx.derived("peer_market_caps", whole), ctx.as_of).reset_index(drop=True)


def share_band(caps: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Market caps with each share count at the low and high end of its rounding (half its last stated digit)."""
    counts = caps["shares_outstanding"]
    half = counts.map({n: method.precision(n) / 2 for n in counts.unique()})
    return caps["close"] * (caps["shares_outstanding"] - half), caps["close"] * (caps["shares_outstanding"] + half)


SHARE_ROUNDING = "NVIDIA states its share count rounded, to half its last digit either way"


@dataclass(frozen=True)
class LatestValue:
    """NVIDIA's market value on the last trading day of the run."""

    day: str  # as the prose writes it
    trillions: float


def latest_value(ctx: AsOfContext) -> LatestValue:
    """NVIDIA's last close-based market value on or before ``as_of`` (while its share count covers it)."""
    caps = ctx.nvda_market_cap
    if caps.empty:
        raise LookupError(f"no NVIDIA market value on or before {ctx.as_of}")
    last = caps.iloc[-1]
    return LatestValue(long_date(last["date"]), float(last["market_cap"] / tf.TRILLION))


@dataclass(frozen=True)
class Multiples:
    """How many times NVIDIA's price and the S&P 500 multiplied from ``since`` to ``as_of``."""

    nvidia: float
    sp500: float


def multiples(indexed: pd.DataFrame) -> Multiples:
    """The last value of each rebased series (``transforms.rebased``), as a multiple."""
    ends = indexed.groupby("series")["index"].last() / 100
    return Multiples(float(ends.get("NVIDIA", float("nan"))), float(ends.get("S&P 500", float("nan"))))


@dataclass(frozen=True)
class CryptoLead:
    """How often NVIDIA and the whole crypto market swapped the lead, on the days both have data."""

    swaps: pd.DataFrame  # the days the lead changed
    changes: int
    first_ahead: str  # the year NVIDIA first pulled ahead (from 2018, when crypto had grown large), or "-"
    last_change: str  # the last swap, as the prose writes it, or "never"


def crypto_lead(caps: pd.DataFrame, crypto: pd.DataFrame) -> CryptoLead:
    both = tf.overlap(caps, crypto, "market_cap", "total_market_cap_usd")
    changes = tf.lead_changes(both)
    ahead = both[both["left_larger"] & (both["date"].dt.year >= 2018)]
    return CryptoLead(
        changes,
        len(changes),
        f"{ahead['date'].iloc[0]:%Y}" if len(ahead) else "-",
        long_date(changes["date"].iloc[-1]) if len(changes) else "never",
    )
