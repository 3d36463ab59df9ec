"""Chapter 4, "Selling shovels": NVIDIA's Data Center quarters, the hyperscalers' capex and the Goldman Sachs
forecast, the DeepSeek day and the path from $1T to $5T.

NVIDIA's fiscal quarters end about four weeks after calendar quarters (Oracle's two months
after), so quarters are compared in calendar time by the calendar quarter that holds each fiscal
quarter's middle day.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from goldrush import transforms as tf
from goldrush.analysis import find_event, long_date
from goldrush.analysis.five_trillion import peer_market_caps
from goldrush.context import AsOfContext

# The sell-off day the article describes: the 2025-01-27 row (category market_cap) of events.csv.
DEEPSEEK_DAY = pd.Timestamp("2025-01-27")


GS_TOTAL = "US hyperscalers (total)"  # how the Goldman Sachs file names the five companies' total


def midpoint_quarter(period_end: pd.Series) -> pd.Series:
    """The calendar quarter holding the middle day of each fiscal quarter (one company, sorted).

    A quarter's length is the gap to the previous quarter end; the first row takes the next one's.
    """
    length = period_end.diff().bfill()
    return (period_end - length / 2).dt.to_period("Q")


def nvidia_quarters(ctx: AsOfContext) -> pd.DataFrame:
    """NVIDIA's quarters ended by ``as_of``: revenue, Data Center, the rest, GAAP gross margin."""
    return tf.up_to(ctx.derived("nvidia_quarters", lambda: _all_nvidia_quarters(ctx)), ctx.as_of, "period_end").reset_index(
        drop=True
    )


def _all_nvidia_quarters(ctx: AsOfContext) -> pd.DataFrame:
    q = ctx.load("nvidia_quarterly").sort_values("period_end").reset_index(drop=True)
    q = q.assign(
        quarter=midpoint_quarter(q["period_end"]),
        fiscal=[f"FY{y} Q{n}" for y, n in zip(q["fiscal_year"], q["fiscal_quarter"], strict=True)],
        other=q["revenue"] - q["data_center"],
        gross_margin=(q["gross_profit"] / q["revenue"]).astype(float),
        data_center_share=(q["data_center"] / q["revenue"]).astype(float),
    )
    columns = [
        "fiscal",
        "period_end",
        "quarter",
        "revenue",
        "data_center",
        "other",
        "gross_profit",
        "gross_margin",
        "data_center_share",
    ]
    return q[columns]


def last_quarter_before(quarters: pd.DataFrame, when: pd.Timestamp | str) -> pd.Series:
    """The last NVIDIA quarter that ended before ``when`` (raises LookupError if there is none)."""
    earlier = quarters[quarters["period_end"] < pd.Timestamp(when)]
    if earlier.empty:
        raise LookupError(f"no NVIDIA quarter in the data ended before {when}")
    return earlier.iloc[-1]


def hyperscaler_quarters(ctx: AsOfContext) -> pd.DataFrame:
    """Each company's cash capex per calendar quarter (USD million), quarters ended by ``as_of``."""

    def whole() -> pd.DataFrame:
        capex = ctx.load("hyperscaler_capex").sort_values(["ticker", "period_end"])
        capex = capex.assign(quarter=capex.groupby("ticker")["period_end"].transform(midpoint_quarter))
        return capex.dropna(subset=["capex_musd"])[["company", "ticker", "fiscal_period", "period_end", "quarter", "capex_musd"]]

    return tf.up_to(ctx.derived("hyperscaler_quarters", whole), ctx.as_of, "period_end").reset_index(drop=True)


def complete_quarters(capex: pd.DataFrame) -> pd.DataFrame:
    """Capex rows of the unbroken run of calendar quarters, up to the latest, in which every company has a figure."""
    counts = capex.groupby("quarter")["ticker"].nunique()
    full = counts == capex["ticker"].nunique()
    last = full[full].index.max()
    gaps = full[~full & (full.index < last)].index
    first = gaps.max() + 1 if len(gaps) else full.index.min()
    return capex[(capex["quarter"] >= first) & (capex["quarter"] <= last)].reset_index(drop=True)


def capex_vs_data_center(ctx: AsOfContext) -> pd.DataFrame:
    """Per complete calendar quarter: the five companies' capex and NVIDIA's Data Center revenue (USD million)."""
    capex = complete_quarters(hyperscaler_quarters(ctx)).groupby("quarter")["capex_musd"].sum()
    nvidia = nvidia_quarters(ctx).set_index("quarter")[["fiscal", "data_center"]]
    both = nvidia.join(capex, how="inner").reset_index()
    both["data_center_to_capex"] = (both["data_center"] / both["capex_musd"]).astype(float)
    return both


def _years(period: str) -> tuple[int, int]:
    first, last = period.split("-")
    return int(first), int(last)


def gs_rows(ctx: AsOfContext) -> pd.DataFrame:
    """The Goldman Sachs forecast file without its superseded earlier estimate."""
    gs = ctx.load("hyperscaler_capex_forecast_gs")
    return gs[gs["basis"].str.startswith(("forecast", "actual"))].reset_index(drop=True)


def gs_totals(ctx: AsOfContext) -> dict[str, pd.Series]:
    """The five companies' total as Goldman Sachs gives it: ``forecast`` (2025-27) and ``base`` (2022-24)."""
    gs = gs_rows(ctx)
    totals = gs[gs["company"] == GS_TOTAL]
    return {
        "forecast": totals[totals["basis"].str.startswith("forecast")].iloc[0],
        "base": totals[totals["basis"].str.startswith("actual")].iloc[0],
    }


def capex_in_years(capex: pd.DataFrame, first: int, last: int) -> pd.Series:
    """Each company's capex summed over calendar years ``first``-``last`` (USD million).

    Raises LookupError when a company lacks any quarter of those years.
    """
    years = capex[capex["quarter"].dt.year.between(first, last)]
    counts = years.groupby("company")["quarter"].nunique().reindex(capex["company"].unique(), fill_value=0)
    short = counts[counts < 4 * (last - first + 1)]
    if len(short):
        raise LookupError(f"capex incomplete for {first}-{last}: {', '.join(short.index)}")
    return years.groupby("company")["capex_musd"].sum()


def forecast_comparison(ctx: AsOfContext) -> pd.DataFrame:
    """Per company, USD billion: our capex over GS's base years and over the last of them, and GS's own figures.

    Columns: ``<base> ours``, ``<last base year> ours``, then ``GS <period>`` for each period GS gives per
    company. The ``Total`` row adds a column only where every company has a figure.
    """
    totals = gs_totals(ctx)
    first, last = _years(totals["base"]["period"])
    capex = hyperscaler_quarters(ctx)
    ours = pd.DataFrame(
        {
            f"{first}-{last} ours": capex_in_years(capex, first, last) / 1000,
            f"{last} ours": capex_in_years(capex, last, last) / 1000,
        }
    )
    gs = gs_rows(ctx)
    gs = gs[gs["company"] != GS_TOTAL].assign(company=lambda d: d["company"].replace({"Amazon Web Services": "Amazon"}))
    table = ours.join(gs.pivot(index="company", columns="period", values="capex_busd").add_prefix("GS "), how="outer").astype(
        float
    )
    table.loc["Total"] = table.sum(min_count=len(table))
    return table


def daily_value_changes(caps: pd.DataFrame) -> pd.DataFrame:
    """Close-to-close change in price (fraction) and in market value (USD) for a ``market_cap`` frame.

    The value change is the price change times the shares counted the day before, so a new
    share count on a cover page never shows up as a gain or a loss.
    """
    out = caps[["date", "close"]].copy()
    out["previous_close"] = caps["close"].shift()
    out["change"] = caps["close"].pct_change()
    out["shares"] = caps["shares_outstanding"].shift()
    out["value_change"] = caps["close"].diff() * out["shares"]
    return out.dropna(subset=["change"]).reset_index(drop=True)


def price_changes(prices: pd.DataFrame) -> pd.DataFrame:
    """Close-to-close price change (fraction) for a daily price frame."""
    out = prices[["date", "close"]].assign(change=prices["close"].pct_change())
    return out.dropna(subset=["change"]).reset_index(drop=True)


def rank_of(values: pd.Series, value: float) -> int:
    """Rank of ``value`` among ``values`` when sorted from the most negative (1 = worst)."""
    return int((values < value).sum()) + 1


def deepseek_day(ctx: AsOfContext) -> dict[str, Any]:
    """The DeepSeek day's close-to-close change, value lost and ranks among NVIDIA's one-day falls up to ``as_of``."""
    values = daily_value_changes(ctx.nvda_market_cap)
    prices = price_changes(tf.up_to(ctx.load("nvda_daily"), ctx.as_of))
    day = values[values["date"] == DEEPSEEK_DAY]
    if day.empty:
        raise LookupError(f"no NVIDIA close on {DEEPSEEK_DAY:%Y-%m-%d} up to {ctx.as_of}")
    row = day.iloc[0]
    return {
        "date": row["date"],
        "previous_close": row["previous_close"],
        "close": row["close"],
        "change": row["change"],
        "value_change": row["value_change"],
        "shares": row["shares"],
        "rank_usd": rank_of(values["value_change"], row["value_change"]),
        "days_usd": len(values),
        "since_usd": values["date"].iloc[0],
        "rank_pct": rank_of(prices["change"], row["change"]),
        "days_pct": len(prices),
        "since_pct": prices["date"].iloc[0],
    }


def one_day_losses(ctx: AsOfContext) -> pd.DataFrame:
    """One-day changes in market value of NVIDIA, Apple and Microsoft, worst first, over the days all three have one.

    Apple and Microsoft values are approximate (close x latest weighted-average shares).
    """

    def whole() -> pd.DataFrame:
        everyday = dataclasses.replace(ctx, as_of=pd.Timestamp.max.date())
        frames = [daily_value_changes(everyday.nvda_market_cap).assign(company="NVIDIA")]
        names = {"AAPL": "Apple", "MSFT": "Microsoft"}
        for ticker, caps in peer_market_caps(everyday).groupby("ticker"):
            frames.append(daily_value_changes(caps.reset_index(drop=True)).assign(company=names[ticker]))
        start = max(f["date"].iloc[0] for f in frames)
        every = pd.concat(frames, ignore_index=True)
        every = every[every["date"] >= start]
        return every.sort_values("value_change", kind="stable")[["date", "company", "change", "value_change"]]

    return tf.up_to(ctx.derived("one_day_losses", whole), ctx.as_of).reset_index(drop=True)


def trillion_path(ctx: AsOfContext) -> pd.DataFrame:
    """First close at or above each whole trillion, with the days since the previous one."""
    crossings = tf.first_crossings(ctx.nvda_market_cap, [n * tf.TRILLION for n in range(1, 6)])
    return crossings.assign(days=crossings["date"].diff().dt.days)


def event(ctx: AsOfContext, text: str) -> pd.Series:
    """The first event whose description contains ``text`` (case-insensitive)."""
    return find_event(ctx.load("events"), text)


def cost_in_event(text: str) -> float:
    """The dollar figure written after "cost" in an event description, in USD."""
    match = re.search(r"cost \$([\d,]+)", text)
    if not match:
        raise LookupError(f"no cost in event {text!r}")
    return float(match.group(1).replace(",", ""))


@dataclass(frozen=True)
class ShovelCounter:
    """Data Center revenue in the last quarter before ``since`` and in the latest quarter."""

    before_fiscal: str
    since: str
    latest_fiscal: str
    dc_before_bn: float
    dc_latest_bn: float
    dc_multiple: float
    share_before: float
    share_latest: float
    margin_before: float
    margin_latest: float


def shovel_counter(before: pd.Series, latest: pd.Series, since: object) -> ShovelCounter:
    return ShovelCounter(
        before["fiscal"],
        long_date(since),
        latest["fiscal"],
        float(before["data_center"] / 1000),
        float(latest["data_center"] / 1000),
        float(latest["data_center"] / before["data_center"]),
        float(before["data_center_share"]),
        float(latest["data_center_share"]),
        float(before["gross_margin"]),
        float(latest["gross_margin"]),
    )


@dataclass(frozen=True)
class CapexGrowth:
    """The five companies' quarterly capex from the first to the last complete quarter, against NVIDIA's Data Center."""

    first_quarter: str
    last_quarter: str
    first_bn: float
    last_bn: float
    multiple: float
    dc_ratio_first: float
    dc_ratio_last: float


def capex_growth(both: pd.DataFrame) -> CapexGrowth:
    first, last = both.iloc[0], both.iloc[-1]
    return CapexGrowth(
        str(first["quarter"]),
        str(last["quarter"]),
        float(first["capex_musd"] / 1000),
        float(last["capex_musd"] / 1000),
        float(last["capex_musd"] / first["capex_musd"]),
        float(first["data_center_to_capex"]),
        float(last["data_center_to_capex"]),
    )


@dataclass(frozen=True)
class ForecastFacts:
    """The Goldman Sachs forecast against its base and against the companies' own filings (USD billion)."""

    forecast_bn: float
    base_bn: float
    multiple: float
    ours_base_bn: float
    ours_multiple: float
    msft_2024_bn: float
    msft_2024_gs_bn: float


def forecast_facts(comparison: pd.DataFrame, gs: dict[str, pd.Series]) -> ForecastFacts:
    forecast, base = float(gs["forecast"]["capex_busd"]), float(gs["base"]["capex_busd"])
    ours = float(comparison.loc["Total", comparison.columns[0]])
    return ForecastFacts(
        forecast,
        base,
        forecast / base,
        ours,
        forecast / ours,
        float(comparison.loc["Microsoft", comparison.columns[1]]),
        float(comparison.loc["Microsoft", "GS 2024"]),
    )


@dataclass(frozen=True)
class Releases:
    """DeepSeek's V3 and R1 releases before the sell-off."""

    v3_day: str
    r1_day: str
    days_to_selloff: int
    v3_cost_musd: float


def releases(ctx: AsOfContext) -> Releases:
    v3, r1 = event(ctx, "DeepSeek-V3"), event(ctx, "DeepSeek-R1")
    return Releases(
        long_date(v3["date"]),
        long_date(r1["date"]),
        int((DEEPSEEK_DAY - pd.Timestamp(r1["date"])).days),
        cost_in_event(v3["event_en"]) / 1e6,
    )


@dataclass(frozen=True)
class SellOff:
    """The DeepSeek day: NVIDIA's fall, the S&P 500's move, the ranks, and the worst fall of its peers."""

    day: str
    fall: float
    loss_bn: float
    sp500: float
    rank_pct: int
    since_pct: str
    since_usd: str
    peers_since: str
    apple_worst_bn: float
    apple_worst_day: str


def sell_off(ctx: AsOfContext, found: dict[str, Any], losses: pd.DataFrame) -> SellOff:
    sp500 = price_changes(ctx.load("sp500_daily")).set_index("date")
    apple = losses[losses["company"] == "Apple"].iloc[0]
    when = pd.Timestamp(found["date"])
    return SellOff(
        long_date(when),
        float(-found["change"]),
        float(-found["value_change"] / 1e9),
        float(sp500.loc[when, "change"]),
        int(found["rank_pct"]),
        f"{pd.Timestamp(found['since_pct']):%Y}",
        f"{pd.Timestamp(found['since_usd']):%Y}",
        f"{losses['date'].min():%B %Y}",
        float(-apple["value_change"] / 1e9),
        long_date(apple["date"]),
    )
