"""Chapter 2, "Gaming cards as money printers": the named events, bitcoin's hash-rate collapse of 2021,
NVIDIA's quarters and its 2021-2022 share-price drawdown."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from goldrush import transforms as tf
from goldrush.analysis import find_event, long_date

# NVIDIA's 10-for-1 split took effect on 2024-06-10 (data/market/SOURCES.md, nvda_daily: "Splits
# reflected"). nvda_daily is on today's basis; a price quoted in 2022 is this many times larger.
SPLIT_2024 = 10


# How we read the article's words (conventions, not data).
SOARED = 2  # "soared" over a year: the price at least doubled


MID_2020 = ("2020-06-01", "2020-09-30")


EARLY_2021 = ("2021-01-01", "2021-05-31")  # the first five months


FEW_HUNDRED = 1_000  # "a few hundred dollars": under $1,000


COLLAPSE = ("2021-05-01", "2021-07-31")  # window of bitcoin's hash-rate fall after China's crackdown


PEAK_YEAR, SLUMP_YEAR = 2021, 2022


SLUMP_QUARTER = (2023, 3)  # NVIDIA's fiscal Q3 FY2023 (Aug-Oct 2022), the article's "Q3 2022"


@dataclass(frozen=True)
class EventKey:
    """How to find one event in data/macro/events.csv: its category and a phrase of its text."""

    category: str
    phrase: str
    label: str  # a short label for charts


KEY_EVENTS = {
    "limiter": EventKey("nvidia_crypto", "limit hash rate", "RTX 3060 limiter"),
    "cmp": EventKey("nvidia_crypto", "CMP HX", "CMP mining cards"),
    "bypass": EventKey("nvidia_crypto", "dummy HDMI", "limiter bypassed"),
    "lhr": EventKey("nvidia_crypto", "LHR", "LHR on more cards"),
    "crackdown": EventKey("china_policy", "State Council", "China: mining crackdown"),
    "ban": EventKey("china_policy", "illegal financial", "China: crypto declared illegal"),
    "merge": EventKey("ethereum", "Merge", "Ethereum's Merge"),
}


def event(events: pd.DataFrame, key: str) -> pd.Series:
    """The one event that ``KEY_EVENTS[key]`` names (LookupError if it is missing or ambiguous)."""
    wanted = KEY_EVENTS[key]
    return find_event(events, wanted.phrase, wanted.category)


def key_events(events: pd.DataFrame, start: str | pd.Timestamp, end: str | pd.Timestamp) -> pd.DataFrame:
    """The named events known to the day, from ``start`` to ``end``: ``date``, ``label``, ``event``."""
    rows = []
    for key, wanted in KEY_EVENTS.items():
        row = event(events, key)
        if row["date_precision"].startswith("day"):
            rows.append({"date": pd.Timestamp(row["date"]), "label": wanted.label, "event": row["event_en"]})
    frame = pd.DataFrame(rows, columns=["date", "label", "event"])
    return tf.between(frame, start, end).sort_values("date", kind="stable").reset_index(drop=True)


def hash_rate_collapse(btc: pd.DataFrame, window: tuple[str, str] = COLLAPSE) -> pd.Series:
    """Bitcoin's hash-rate peak in ``window`` and the lowest point after it, with prices on both days."""
    sampled = tf.between(btc.dropna(subset=["hash_rate_ehs"]), *window).reset_index(drop=True)
    peak = sampled.loc[sampled["hash_rate_ehs"].idxmax()]
    after = sampled[sampled["date"] >= peak["date"]]
    trough = after.loc[after["hash_rate_ehs"].idxmin()]
    return pd.Series(
        {
            "peak_date": peak["date"],
            "peak_ehs": peak["hash_rate_ehs"],
            "trough_date": trough["date"],
            "trough_ehs": trough["hash_rate_ehs"],
            "hash_rate_change": trough["hash_rate_ehs"] / peak["hash_rate_ehs"] - 1,
            "peak_price": peak["price_usd"],
            "trough_price": trough["price_usd"],
            "price_change": trough["price_usd"] / peak["price_usd"] - 1,
        }
    )


def quarter(quarterly: pd.DataFrame, fiscal_year: int, fiscal_quarter: int) -> pd.Series:
    """One fiscal quarter of ``nvidia_quarterly`` (LookupError if it is not there)."""
    rows = quarterly[(quarterly["fiscal_year"] == fiscal_year) & (quarterly["fiscal_quarter"] == fiscal_quarter)]
    if rows.empty:
        raise LookupError(f"no quarter Q{fiscal_quarter} FY{fiscal_year}")
    return rows.iloc[0]


def quarter_start(quarterly: pd.DataFrame, fiscal_year: int, fiscal_quarter: int) -> pd.Timestamp:
    """First day of a fiscal quarter: the day after the previous quarter ended."""
    ends = quarterly.sort_values("period_end")["period_end"].reset_index(drop=True)
    this = quarter(quarterly, fiscal_year, fiscal_quarter)["period_end"]
    position = ends[ends == this].index[0]
    if position == 0:
        raise LookupError("the first quarter in the data has no known start")
    return ends[position - 1] + pd.Timedelta(days=1)


def drawdown(prices: pd.DataFrame, peak_year: int = PEAK_YEAR, low_year: int = SLUMP_YEAR) -> pd.Series:
    """The highest close of ``peak_year``, the lowest close of ``low_year`` and the fall between them."""
    closes = prices[["date", "close"]]
    in_peak_year = closes[closes["date"].dt.year == peak_year]
    in_low_year = closes[closes["date"].dt.year == low_year]
    peak = in_peak_year.loc[in_peak_year["close"].idxmax()]
    low = in_low_year.loc[in_low_year["close"].idxmin()]
    return pd.Series(
        {
            "peak_date": peak["date"],
            "peak_close": peak["close"],
            "low_date": low["date"],
            "low_close": low["close"],
            "change": low["close"] / peak["close"] - 1,
        }
    )


def first_and_last(frame: pd.DataFrame, column: str, year: int) -> tuple[pd.Series, pd.Series]:
    """The first and last rows of ``year`` that have a ``column`` value."""
    rows = frame[frame["date"].dt.year == year].dropna(subset=[column])
    return rows.iloc[0], rows.iloc[-1]


def run_up(prices: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Prices in mid-2020, and the highest price of early 2021."""
    before = tf.between(prices.dropna(subset=["price_usd"]), *MID_2020)
    early = tf.between(prices, *EARLY_2021)
    return before, early.loc[early["price_usd"].idxmax()]


@dataclass(frozen=True)
class Boom:
    """One coin's 2017 rise and its early-2021 peak."""

    multiple_2017: float
    peak_2021: float
    peak_day: str


def boom(prices: pd.DataFrame) -> Boom:
    first, last = first_and_last(prices, "price_usd", 2017)
    _, peak = run_up(prices)
    return Boom(float(last["price_usd"] / first["price_usd"]), float(peak["price_usd"]), long_date(peak["date"]))


def event_day(events: pd.DataFrame, key: str) -> str:
    """The day of a named event (``KEY_EVENTS``), as the prose writes it."""
    return long_date(event(events, key)["date"])


@dataclass(frozen=True)
class EthHashRate:
    """Ether's proof-of-work hash rate: its top, and its last day in the data."""

    top_ths: float
    top_month: str
    last_day: str


def eth_hash_rate(eth: pd.DataFrame) -> EthHashRate:
    mined = eth.dropna(subset=["hash_rate_ths"])
    top = mined.loc[mined["hash_rate_ths"].idxmax()]
    return EthHashRate(float(top["hash_rate_ths"]), long_date(top["date"], "%B %Y"), long_date(mined["date"].iloc[-1]))


def recovery(btc: pd.DataFrame, collapse: pd.Series) -> str:
    """The month bitcoin's hash rate was back above its May 2021 peak, or that the data do not reach it."""
    back = btc[(btc["date"] > collapse["trough_date"]) & (btc["hash_rate_ehs"] >= collapse["peak_ehs"])]
    return long_date(back["date"].iloc[0], "%B %Y") if len(back) else "not within the data"


@dataclass(frozen=True)
class FiscalYear:
    """NVIDIA's revenue in one fiscal year and what crypto-mining cards and Gaming brought."""

    revenue_bn: float
    growth: float
    cmp_musd: float
    cmp_share: float
    gaming_share: float


def fiscal_year(annual: pd.DataFrame, quarterly: pd.DataFrame, year: int) -> FiscalYear:
    rows = annual.set_index("fiscal_year")
    now, before = rows.loc[year], rows.loc[year - 1]
    cmp_total = float(quarterly.loc[quarterly["fiscal_year"] == year, "cmp"].sum())
    return FiscalYear(
        float(now["revenue"] / 1000),
        float(now["revenue"] / before["revenue"] - 1),
        cmp_total,
        cmp_total / float(now["revenue"]),
        float(now["gaming"] / now["revenue"]),
    )


@dataclass(frozen=True)
class Resale:
    """RTX 30 cards' monthly eBay prices against their US list prices, up to a day."""

    first_under: str  # the first month any card sold under its list price
    last_month: str
    under: int  # cards under list price in the last month
    cards: int


def resale(prices: pd.DataFrame, end: object) -> Resale:
    from goldrush.analysis.drawing_the_line import resale_vs_list

    table = resale_vs_list(prices)
    table = table[table["month"] <= pd.Timestamp(end)]
    if table.empty:
        return Resale("no month of this window", "the end of this window", 0, 0)
    under = table[table["ratio"] < 1]
    last = table[table["month"] == table["month"].max()]
    return Resale(
        long_date(under["month"].min(), "%B %Y") if len(under) else "no month of this window",
        long_date(table["month"].max(), "%B %Y"),
        int((last["ratio"] < 1).sum()),
        len(last),
    )


def gaming_fall(quarterly: pd.DataFrame) -> float:
    """How much Gaming revenue fell in the slump quarter against a year earlier (a fraction)."""
    now, before = quarter(quarterly, *SLUMP_QUARTER), quarter(quarterly, SLUMP_QUARTER[0] - 1, SLUMP_QUARTER[1])
    return float(1 - now["gaming"] / before["gaming"])


@dataclass(frozen=True)
class Slump:
    """The 2021 peak and 2022 low close on the basis of 2022 (before the 2024 split), and the fall."""

    peak: float
    peak_day: str
    low: float
    low_day: str
    fall: float


def slump(fall: pd.Series) -> Slump:
    return Slump(
        float(fall["peak_close"] * SPLIT_2024),
        long_date(fall["peak_date"]),
        float(fall["low_close"] * SPLIT_2024),
        long_date(fall["low_date"]),
        float(-fall["change"]),
    )


@dataclass(frozen=True)
class Falls:
    """How much bitcoin's hash rate and price fell from the hash-rate peak to its trough (fractions)."""

    hash_rate: float
    price: float


def falls(collapse: pd.Series) -> Falls:
    return Falls(float(-collapse["hash_rate_change"]), float(-collapse["price_change"]))
