"""Chapter 3, "Drawing the line": NVIDIA's quarters, the SEC settlement, CMP revenue, RTX 30 resale prices,
bitcoin's hash rate and the miners' AI deals."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from goldrush import transforms as tf
from goldrush.analysis import claim_source, find_event, long_date, parse_reported_date
from goldrush.context import WindowContext
from goldrush.errors import GoldrushError

HASH_SERIES = "blockchain_com_7d_avg"  # the only hash-rate series reaching 2025 (data/crypto/SOURCES.md)


HASH_WINDOW_DAYS = 30  # the span over which bitcoin's hash rate is compared before and after the Merge


# GB200/GB300 are NVIDIA's Grace Blackwell systems; deal texts name them without always saying "NVIDIA".
NVIDIA_HARDWARE = re.compile(r"\bNVIDIA\b|\bGB\d{3}\b")


POWER_AND_SITES = re.compile(r"\d\s*(?:MW|GW)\b")  # a deal sized in power capacity (megawatts, gigawatts)


DEAL_FLAGS = {"cumulative": "cumulative value", "equipment": "equipment deal", "lower bound": "lower bound"}


def _end(ctx: WindowContext) -> pd.Timestamp:
    return pd.Timestamp(ctx.end)


def _month(when: object) -> pd.Timestamp:
    """The first day of the month ``when`` falls in."""
    return pd.Timestamp(when).to_period("M").to_timestamp()


def event(ctx: WindowContext, category: str, keyword: str) -> pd.Series:
    """The one row of ``events`` in ``category`` whose text names ``keyword``, with its date parsed.

    Adds ``when`` (first day of the reported date) and ``approximate`` (the date is not day-exact).
    """
    return find_event(ctx.load("events"), keyword, category)


def merge_day(ctx: WindowContext) -> pd.Timestamp:
    """The day of Ethereum's Merge, from ``events``."""
    return event(ctx, "ethereum", "Merge")["when"]


def filing_figure(ctx: WindowContext, claim_id: str) -> pd.Series:
    """A row of ``nvidia_claim_sources`` (the figures NVIDIA's filings give for a claim)."""
    return claim_source(ctx.load("nvidia_claim_sources"), claim_id)


def sec_quarters_named(ctx: WindowContext) -> tuple[int, list[int]]:
    """The fiscal year and quarters the SEC settlement concerned, as NVIDIA's 10-Q names them (C24b)."""
    text = filing_figure(ctx, "C24b")["source_value"]
    year = re.search(r"fiscal (\d{4})", text)
    quarters = [int(q) for q in re.findall(r"\bQ(\d)\b", text)]
    if not year or not quarters:
        raise LookupError(f"no fiscal quarters in {text!r}")
    return int(year.group(1)), quarters


def quarters(ctx: WindowContext) -> pd.DataFrame:
    """NVIDIA's quarters with a label ("Q2 FY18"), the quarter's first day and gaming growth on a year earlier."""
    q = ctx.load("nvidia_quarterly").sort_values("period_end").reset_index(drop=True)
    typical = q["period_end"].diff().median()
    q["period_start"] = (q["period_end"].shift() + pd.Timedelta(days=1)).fillna(q["period_end"] - typical + pd.Timedelta(days=1))
    q["label"] = [f"Q{fq} FY{fy % 100:02d}" for fy, fq in zip(q["fiscal_year"], q["fiscal_quarter"], strict=True)]
    year_ago = q[["fiscal_year", "fiscal_quarter", "gaming"]].assign(fiscal_year=q["fiscal_year"] + 1)
    q = q.merge(year_ago.rename(columns={"gaming": "gaming_year_ago"}), on=["fiscal_year", "fiscal_quarter"], how="left")
    q["gaming_yoy"] = q["gaming"] / q["gaming_year_ago"] - 1
    return q


def sec_window(ctx: WindowContext) -> pd.DataFrame:
    """The quarters of the fiscal years before, of and after the settlement's, with the named ones flagged."""
    year, named = sec_quarters_named(ctx)
    q = quarters(ctx)
    window = q[q["fiscal_year"].between(year - 1, year + 1)].copy()
    window["sec"] = (window["fiscal_year"] == year) & window["fiscal_quarter"].isin(named)
    return window.reset_index(drop=True)


def cmp_quarters(ctx: WindowContext) -> pd.DataFrame:
    """Quarters of the fiscal years with CMP revenue and of the year after, with CMP's share of revenue."""
    q = quarters(ctx)
    years = q.loc[q["cmp"].notna(), "fiscal_year"].unique()
    window = q[q["fiscal_year"].between(years.min(), years.max() + 1)].copy()
    window["cmp_share"] = window["cmp"] / window["revenue"]
    return window[["label", "fiscal_year", "period_end", "cmp", "revenue", "cmp_share"]].reset_index(drop=True)


def gaming_window(ctx: WindowContext) -> pd.DataFrame:
    """Quarters that ended between ``start`` and ``end``, marked before or after the Merge."""
    merge = merge_day(ctx)
    q = tf.between(quarters(ctx), ctx.start, ctx.end, column="period_end").copy()
    if q.empty:
        raise GoldrushError(f"no NVIDIA fiscal quarter ended between {ctx.start} and {ctx.end}; widen the window")
    q["era"] = ["after the Merge" if start > merge else "before the Merge" for start in q["period_start"]]
    q.loc[(q["period_start"] <= merge) & (q["period_end"] >= merge), "era"] = "quarter of the Merge"
    return q.reset_index(drop=True)


def resale_vs_list(prices: pd.DataFrame) -> pd.DataFrame:
    """Every month's eBay average sold price of each RTX 30 card against its US list price (``ratio``),
    from ``transforms.price_vs_list``."""
    ebay = tf.price_vs_list(prices)
    ebay = ebay[ebay["price_type"] == "ebay_avg"]
    table = pd.DataFrame(
        {
            "model": ebay["model"].str.removeprefix("GeForce "),
            "month": ebay["date"],
            "ebay_usd": ebay["price"],
            "msrp_usd": ebay["list_price"],
            "ratio": ebay["multiple"],
        }
    )
    return table.sort_values(["month", "model"]).reset_index(drop=True)


def ebay_vs_msrp(ctx: WindowContext) -> pd.DataFrame:
    """``resale_vs_list`` for the months from ``start`` to ``end``."""
    table = resale_vs_list(ctx.load("gpu_prices"))
    return table[table["month"].between(_month(ctx.start), _month(ctx.end))].reset_index(drop=True)


def btc_hash_rate(ctx: WindowContext) -> pd.DataFrame:
    """Bitcoin's hash rate (EH/s, blockchain.com 7-day average, one point every 4 days), start to end."""
    rates = ctx.load("btc_hash_rate_sources")
    series = rates[rates["series"] == HASH_SERIES][["date", "hash_rate_ehs"]]
    window = tf.between(series, ctx.start, ctx.end).reset_index(drop=True)
    if len(window) < 2:
        raise GoldrushError(f"fewer than two hash-rate samples between {ctx.start} and {ctx.end}; widen the window")
    return window


def changes_over(rates: pd.DataFrame, days: int) -> pd.DataFrame:
    """For each sample, the relative change to the last sample on or before ``days`` later."""
    later = rates.assign(date=rates["date"] - pd.Timedelta(days=days)).rename(columns={"hash_rate_ehs": "later"})
    joined = pd.merge_asof(rates, later, on="date", direction="backward", allow_exact_matches=True)
    joined = joined[joined["date"] + pd.Timedelta(days=days) <= rates["date"].max()]
    return joined.assign(change=joined["later"] / joined["hash_rate_ehs"] - 1)[["date", "hash_rate_ehs", "change"]]


def eth_pow_end(ctx: WindowContext) -> pd.DataFrame:
    """Ether's last day with a proof-of-work hash rate, and the full day before it (TH/s)."""
    eth = ctx.load("eth_daily").dropna(subset=["hash_rate_ths"])
    return eth.iloc[-2:][["date", "hash_rate_ths"]].reset_index(drop=True)


def ai_deals(ctx: WindowContext) -> pd.DataFrame:
    """The miners' AI/HPC deals reported from start to end: parsed date, precision and a flag on the value."""
    deals = ctx.load("miners_ai_pivot")
    parsed = [parse_reported_date(d) for d in deals["date"]]
    notes = deals["notes"].fillna("").str.lower()
    flags = [next((label for key, label in DEAL_FLAGS.items() if key in n), "contract value") for n in notes]
    table = deals.assign(
        when=[p[0] for p in parsed],
        precision=[p[1] for p in parsed],
        unverified=deals["date"].str.contains("UNVERIFIED"),
        value_bn=deals["value_usd"] / 1e9,
        flag=flags,
        nvidia_hardware=deals["deal_en"].str.contains(NVIDIA_HARDWARE),
        power_and_sites=deals["deal_en"].str.contains(POWER_AND_SITES),
    )
    table = tf.between(table, ctx.start, ctx.end, column="when").sort_values("when", kind="stable")
    return table.reset_index(drop=True)


def deals_after(ctx: WindowContext) -> int:
    """How many deals in the data are dated after ``end``."""
    dates = [parse_reported_date(d)[0] for d in ctx.load("miners_ai_pivot")["date"]]
    return sum(when > _end(ctx) for when in dates)


def without_remark(text: pd.Series) -> pd.Series:
    """Values without a trailing parenthetical remark ("2025-07 (announced ...)" -> "2025-07"); all-remark values stay."""
    return text.str.replace(r"^(.*?\S)\s*\(.*\)$", r"\1", regex=True)


def short_dates(deals: pd.DataFrame) -> pd.Series:
    """Reported dates without remarks, marked "(unverified)" where the source could not confirm them."""
    return without_remark(deals["date"]) + deals["unverified"].map({True: " (unverified)", False: ""})


@dataclass(frozen=True)
class Settlement:
    """The SEC settlement: the fiscal year it concerned, its span, the quarters named, the day and the penalty."""

    fiscal_year: int
    span: str
    quarters: int
    day: str
    penalty_musd: float
    growth_named: str  # gaming growth in the named quarters ("52% and 25%")
    growth_others: str  # in the rest of that fiscal year


def settlement(ctx: WindowContext) -> Settlement:
    year, named = sec_quarters_named(ctx)
    fiscal = quarters(ctx).query("fiscal_year == @year")
    window = sec_window(ctx)
    flagged, others = window[window["sec"]], window[(window["fiscal_year"] == year) & ~window["sec"]]
    return Settlement(
        year,
        f"{long_date(fiscal['period_start'].min(), '%B %Y')} to {long_date(fiscal['period_end'].max(), '%B %Y')}",
        len(named),
        long_date(event(ctx, "regulation", "SEC")["when"]),
        float(filing_figure(ctx, "C24a")["source_value"]),
        " and ".join(f"{g:.0%}" for g in flagged["gaming_yoy"]),
        " and ".join(f"{g:.0%}" for g in others["gaming_yoy"]),
    )


@dataclass(frozen=True)
class CmpYear:
    """NVIDIA's CMP mining cards: the launch month, the fiscal year with CMP revenue, its total against the 10-K."""

    launch: str
    fiscal_year: int
    span: str
    total_musd: float
    matches_10k: str  # "matches" or "does not match"
    peak_share: float
    later: str  # how the 10-K describes later CMP revenue ("nominal" or "not described")


def cmp_year(ctx: WindowContext) -> CmpYear:
    q = quarters(ctx).query("cmp.notna()")
    tenk = filing_figure(ctx, "C14x")
    window = cmp_quarters(ctx)
    total = float(window["cmp"].sum())
    return CmpYear(
        long_date(event(ctx, "nvidia_crypto", "CMP")["when"], "%B %Y"),
        int(q["fiscal_year"].iloc[0]),
        f"{long_date(q['period_start'].min(), '%B %Y')} to {long_date(q['period_end'].max(), '%B %Y')}",
        total,
        "matches" if total == float(tenk["source_value"]) else "does not match",
        float(window["cmp_share"].max()),
        "nominal" if "nominal" in str(tenk["note"]) else "not described",
    )


def first_deal(ctx: WindowContext) -> pd.Timestamp:
    """The earliest reported date of a miner's AI deal in the data (whatever the window)."""
    return min(parse_reported_date(d)[0] for d in ctx.load("miners_ai_pivot")["date"])
