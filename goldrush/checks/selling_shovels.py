"""Chapter 4, "Selling shovels": the tables it shows and the checks for claims C30-C37.

NVIDIA's fiscal quarters end about four weeks after calendar quarters (Oracle's two months
after), so quarters are compared in calendar time by the calendar quarter that holds each fiscal
quarter's middle day. C39 is checked by ``five_trillion.one_to_five_trillion``.
"""

from __future__ import annotations

import re

import pandas as pd

from goldrush import transforms as tf
from goldrush.checks import Claim, Context, Finding, Verdict, graded
from goldrush.checks.five_trillion import peer_market_caps
from goldrush.errors import GoldrushError

BILLION = 1e9
# The sell-off day the article describes: the 2025-01-27 row (category market_cap) of events.csv.
DEEPSEEK_DAY = pd.Timestamp("2025-01-27")
# The article's "February 2025 results": the month of the earnings event it refers to (events.csv).
RESULTS_MONTH = "2025-02"
GS_TOTAL = "US hyperscalers (total)"  # how the Goldman Sachs file names the five companies' total

CAP = ["nvda_daily", "nvda_shares_outstanding"]


# ---------------------------------------------------------------- quarters in calendar time
def midpoint_quarter(period_end: pd.Series) -> pd.Series:
    """The calendar quarter holding the middle day of each fiscal quarter (one company, sorted).

    A quarter's length is the gap to the previous quarter end; the first row takes the next one's.
    """
    length = period_end.diff().bfill()
    return (period_end - length / 2).dt.to_period("Q")


def nvidia_quarters(ctx: Context) -> pd.DataFrame:
    """NVIDIA's quarters ended by ``as_of``: revenue, Data Center, the rest, GAAP gross margin."""
    q = ctx.load("nvidia_quarterly").sort_values("period_end").reset_index(drop=True)
    q = q.assign(
        quarter=midpoint_quarter(q["period_end"]),
        fiscal=[f"FY{y} Q{n}" for y, n in zip(q["fiscal_year"], q["fiscal_quarter"])],
        other=q["revenue"] - q["data_center"],
        gross_margin=(q["gross_profit"] / q["revenue"]).astype(float),
        data_center_share=(q["data_center"] / q["revenue"]).astype(float),
    )
    columns = ["fiscal", "period_end", "quarter", "revenue", "data_center", "other", "gross_profit", "gross_margin", "data_center_share"]
    return tf.up_to(q, ctx.as_of, "period_end")[columns].reset_index(drop=True)


def last_quarter_before(quarters: pd.DataFrame, when: pd.Timestamp | str) -> pd.Series:
    """The last NVIDIA quarter that ended before ``when`` (raises LookupError if there is none)."""
    earlier = quarters[quarters["period_end"] < pd.Timestamp(when)]
    if earlier.empty:
        raise LookupError(f"no NVIDIA quarter in the data ended before {when}")
    return earlier.iloc[-1]


def require_dates(ctx: Context) -> None:
    """The chapter's story needs the DeepSeek day on or before ``as_of`` and a quarter ended before ``since``."""
    first_end = ctx.load("nvidia_quarterly")["period_end"].min()
    if pd.Timestamp(ctx.as_of) < DEEPSEEK_DAY:
        raise GoldrushError(f"--as-of {ctx.as_of} is before the DeepSeek day; this chapter needs {DEEPSEEK_DAY:%Y-%m-%d} or later")
    if pd.Timestamp(ctx.since) <= first_end:
        raise GoldrushError(f"--since {ctx.since} is before NVIDIA's first quarter in the data; use a date after {first_end:%Y-%m-%d}")


def hyperscaler_quarters(ctx: Context) -> pd.DataFrame:
    """Each company's cash capex per calendar quarter (USD million), quarters ended by ``as_of``."""
    capex = ctx.load("hyperscaler_capex").sort_values(["ticker", "period_end"])
    capex = capex.assign(quarter=capex.groupby("ticker")["period_end"].transform(midpoint_quarter))
    capex = tf.up_to(capex.dropna(subset=["capex_musd"]), ctx.as_of, "period_end")
    return capex[["company", "ticker", "fiscal_period", "period_end", "quarter", "capex_musd"]].reset_index(drop=True)


def complete_quarters(capex: pd.DataFrame) -> pd.DataFrame:
    """Capex rows of the unbroken run of calendar quarters, up to the latest, in which every company has a figure."""
    counts = capex.groupby("quarter")["ticker"].nunique()
    full = counts == capex["ticker"].nunique()
    last = full[full].index.max()
    gaps = full[~full & (full.index < last)].index
    first = gaps.max() + 1 if len(gaps) else full.index.min()
    return capex[(capex["quarter"] >= first) & (capex["quarter"] <= last)].reset_index(drop=True)


def capex_vs_data_center(ctx: Context) -> pd.DataFrame:
    """Per complete calendar quarter: the five companies' capex and NVIDIA's Data Center revenue (USD million)."""
    capex = complete_quarters(hyperscaler_quarters(ctx)).groupby("quarter")["capex_musd"].sum()
    nvidia = nvidia_quarters(ctx).set_index("quarter")[["fiscal", "data_center"]]
    both = nvidia.join(capex, how="inner").reset_index()
    both["data_center_to_capex"] = (both["data_center"] / both["capex_musd"]).astype(float)
    return both


# ---------------------------------------------------------------- the Goldman Sachs forecast
def _years(period: str) -> tuple[int, int]:
    first, last = period.split("-")
    return int(first), int(last)


def gs_rows(ctx: Context) -> pd.DataFrame:
    """The Goldman Sachs forecast file without its superseded earlier estimate."""
    gs = ctx.load("hyperscaler_capex_forecast_gs")
    return gs[gs["basis"].str.startswith(("forecast", "actual"))].reset_index(drop=True)


def gs_totals(ctx: Context) -> dict[str, pd.Series]:
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


def forecast_comparison(ctx: Context) -> pd.DataFrame:
    """Per company, USD billion: our capex over GS's base years and over the last of them, and GS's own figures.

    Columns: ``<base> ours``, ``<last base year> ours``, then ``GS <period>`` for each period GS gives per
    company. The ``Total`` row adds a column only where every company has a figure.
    """
    totals = gs_totals(ctx)
    first, last = _years(totals["base"]["period"])
    capex = hyperscaler_quarters(ctx)
    ours = pd.DataFrame(
        {f"{first}-{last} ours": capex_in_years(capex, first, last) / 1000, f"{last} ours": capex_in_years(capex, last, last) / 1000}
    )
    gs = gs_rows(ctx)
    gs = gs[gs["company"] != GS_TOTAL].assign(company=lambda d: d["company"].replace({"Amazon Web Services": "Amazon"}))
    table = ours.join(gs.pivot(index="company", columns="period", values="capex_busd").add_prefix("GS "), how="outer").astype(float)
    table.loc["Total"] = table.sum(min_count=len(table))
    return table


# ---------------------------------------------------------------- one-day losses
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


def deepseek_day(ctx: Context) -> dict[str, object]:
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


def one_day_losses(ctx: Context) -> pd.DataFrame:
    """One-day changes in market value of NVIDIA, Apple and Microsoft, worst first, over the days all three have one.

    Apple and Microsoft values are approximate (close x latest weighted-average shares).
    """
    frames = [daily_value_changes(ctx.nvda_market_cap).assign(company="NVIDIA")]
    names = {"AAPL": "Apple", "MSFT": "Microsoft"}
    for ticker, caps in peer_market_caps(ctx).groupby("ticker"):
        frames.append(daily_value_changes(caps.reset_index(drop=True)).assign(company=names[ticker]))
    start = max(f["date"].iloc[0] for f in frames)
    every = pd.concat(frames, ignore_index=True)
    every = every[every["date"] >= start]
    return every.sort_values("value_change")[["date", "company", "change", "value_change"]].reset_index(drop=True)


# ---------------------------------------------------------------- $1T to $5T
def trillion_path(ctx: Context) -> pd.DataFrame:
    """First close at or above each whole trillion, with the days since the previous one."""
    crossings = tf.first_crossings(ctx.nvda_market_cap, [n * tf.TRILLION for n in range(1, 6)])
    return crossings.assign(days=crossings["date"].diff().dt.days)


# ---------------------------------------------------------------- checks
def _day(ts: pd.Timestamp) -> str:
    return ts.strftime("%Y-%m-%d")


def event(ctx: Context, text: str) -> pd.Series:
    """The first event whose description contains ``text`` (case-insensitive)."""
    events = ctx.load("events")
    found = events[events["event_en"].str.contains(text, case=False, regex=False)]
    if found.empty:
        raise LookupError(f"no event mentions {text!r}")
    return found.iloc[0]


def chatgpt_launch(claim: Claim, ctx: Context) -> Finding:
    launch = event(ctx, "ChatGPT")
    month = launch["date"][:7]
    verdict = Verdict.ACCURATE if month == claim.article_value else Verdict.WRONG
    why = f"Dated event: {launch['event_en']} on {launch['date']} ({launch['date_precision']} precision)."
    return Finding(claim.id, month, "month", verdict, why, ["events"])


def cost_in_event(text: str) -> float:
    """The dollar figure written after "cost" in an event description, in USD."""
    match = re.search(r"cost \$([\d,]+)", text)
    if not match:
        raise LookupError(f"no cost in event {text!r}")
    return float(match.group(1).replace(",", ""))


def deepseek_training_cost(claim: Claim, ctx: Context) -> Finding:
    v3, r1 = event(ctx, "DeepSeek-V3"), event(ctx, "DeepSeek-R1")
    cost = cost_in_event(v3["event_en"]) / 1e6
    in_order = v3["date"] < r1["date"]
    verdict = graded(claim.article_value, cost, claim.tolerance) if in_order else Verdict.WRONG
    why = (
        f"DeepSeek's V3 report ({v3['date']}) puts the cost at ${cost:.3f}M, its own estimate for the final training "
        f"run only; R1 followed on {r1['date']}. 'GPT-4 class' is DeepSeek's benchmark claim, not tested here."
    )
    return Finding(claim.id, round(cost, 3), "USD million (DeepSeek's stated V3 training cost)", verdict, why, ["events"])


def deepseek_loss(claim: Claim, ctx: Context) -> Finding:
    evidence = CAP + ["aapl_daily", "msft_daily", "aapl_msft_weighted_shares"]
    try:
        day = deepseek_day(ctx)
    except LookupError:
        return Finding(claim.id, None, claim.unit, Verdict.UNVERIFIABLE, f"{_day(DEEPSEEK_DAY)} is after as_of {ctx.as_of}.", evidence)
    lost, pct = -day["value_change"] / BILLION, day["change"] * 100
    verdict = _worst(
        graded(claim.article_value, lost, claim.tolerance),
        graded(_stated(claim.unit, r"about (-?[\d.]+)%"), pct, claim.tolerance),
    )
    losses = one_day_losses(ctx)
    top = losses.iloc[0]
    why = (
        f"Close {_day(day['date'])} ${day['close']:.2f} against ${day['previous_close']:.2f}: {pct:.2f}%, "
        f"${lost:.1f}bn of value at {day['shares'] / BILLION:.2f}bn shares. Among NVIDIA's one-day changes it ranks "
        f"{day['rank_usd']} of {day['days_usd']:,} in dollars (since {_day(day['since_usd'])}) and {day['rank_pct']} of "
        f"{day['days_pct']:,} in percent (since {_day(day['since_pct'])}). The largest one-day fall of NVIDIA, Apple and "
        f"Microsoft since {_day(losses['date'].min())} is {top['company']}'s on {_day(top['date'])}; no other US stock is in the snapshot, so "
        "'US market history' cannot be ranked here."
    )
    return Finding(claim.id, round(lost, 1), "USD billion (one-day loss of market value)", verdict, why, evidence)


_ORDER = [Verdict.ACCURATE, Verdict.ROUGHLY_RIGHT, Verdict.WRONG]


def _worst(*verdicts: Verdict) -> Verdict:
    """The most severe of graded verdicts."""
    return max(verdicts, key=_ORDER.index)


def _stated(unit: str, pattern: str) -> float:
    """A second figure the article states, as recorded in the claim's unit (e.g. "about -17%")."""
    match = re.search(pattern, unit)
    if not match:
        raise LookupError(f"no figure matching {pattern!r} in {unit!r}")
    return float(match.group(1))


def capex_forecast(claim: Claim, ctx: Context) -> Finding:
    evidence = ["hyperscaler_capex_forecast_gs", "hyperscaler_capex", "events"]
    reported = event(ctx, "Goldman Sachs")
    if pd.Timestamp(reported["date"]) > pd.Timestamp(ctx.as_of):
        return Finding(claim.id, None, claim.unit, Verdict.UNVERIFIABLE, f"The forecast was reported on {reported['date']}, after {ctx.as_of}.", evidence)
    totals = gs_totals(ctx)
    forecast, base = totals["forecast"], totals["base"]
    gs_multiple = forecast["capex_busd"] / base["capex_busd"]
    table = forecast_comparison(ctx)
    ours = table.loc["Total", f"{base['period']} ours"]
    parts = table.loc["Total", f"GS {forecast['period']}"]
    stated_multiple = _stated(claim.unit, r"about ([\d.]+)x")
    verdict = _worst(
        graded(claim.article_value, forecast["capex_busd"] / 1000, claim.tolerance),
        graded(stated_multiple, gs_multiple, claim.tolerance),
    )
    why = (
        f"Goldman Sachs (as reported on {reported['date']}) forecasts ${forecast['capex_busd']:,.0f}bn for {forecast['period']} "
        f"(its company figures add up to ${parts:,.0f}bn), {gs_multiple:.1f}x its ${base['capex_busd']:,.0f}bn for {base['period']}. "
        f"Our filings give ${ours:,.0f}bn for those years ({forecast['capex_busd'] / ours:.1f}x): cash purchases of property "
        "and equipment, Amazon whole and gross, Oracle derived; GS counts AWS only and does not state its definitions."
    )
    return Finding(claim.id, round(forecast["capex_busd"] / 1000, 2), "USD trillion (GS forecast, 2025-2027)", verdict, why, evidence)


def _consensus(text: str) -> float:
    match = re.search(r"~([\d,]+) consensus", text)
    if not match:
        raise LookupError(f"no consensus figure in {text!r}")
    return float(match.group(1).replace(",", ""))


def data_center_beat(claim: Claim, ctx: Context) -> Finding:
    evidence = ["nvidia_quarterly", "nvidia_claim_sources", "events"]
    events = ctx.load("events")
    results = events[(events["category"] == "earnings") & events["date"].str.startswith(RESULTS_MONTH)].iloc[0]
    if pd.Timestamp(results["date"]) > pd.Timestamp(ctx.as_of):
        return Finding(claim.id, None, claim.unit, Verdict.UNVERIFIABLE, f"The results came out on {results['date']}, after {ctx.as_of}.", evidence)
    quarter = last_quarter_before(nvidia_quarters(ctx), results["date"])
    sources = ctx.load("nvidia_claim_sources").set_index("claim_id")
    consensus = _consensus(sources.loc["C37a", "source_value"])
    beat = quarter["data_center"] / consensus - 1
    verdict = Verdict.WRONG if beat <= 0 else Verdict.ACCURATE if beat >= claim.tolerance else Verdict.ROUGHLY_RIGHT
    why = (
        f"{quarter['fiscal']} (ended {_day(quarter['period_end'])}, reported {results['date']}): Data Center revenue "
        f"${quarter['data_center']:,}M against a consensus of about ${consensus:,.0f}M, {beat:+.1%}. "
        + (f"Above expectations, but a beat under {claim.tolerance:.0%} hardly makes 'well above'; " if verdict is Verdict.ROUGHLY_RIGHT else "")
        + "the consensus comes from a reposted press story, not a data vendor."
    )
    return Finding(claim.id, int(quarter["data_center"]), "USD million (Data Center revenue, vs consensus)", verdict, why, evidence)


def compute_demand_after_deepseek(claim: Claim, ctx: Context) -> Finding:
    evidence = ["nvidia_quarterly", "hyperscaler_capex"]
    quarters = nvidia_quarters(ctx)
    after = quarters[quarters["period_end"] > DEEPSEEK_DAY]
    if after.empty:
        return Finding(claim.id, None, claim.unit, Verdict.UNVERIFIABLE, f"No NVIDIA quarter ended between {_day(DEEPSEEK_DAY)} and {ctx.as_of}.", evidence)
    base, latest = last_quarter_before(quarters, DEEPSEEK_DAY), after.iloc[-1]
    path = pd.concat([pd.Series([base["data_center"]]), after["data_center"]], ignore_index=True)
    rising = bool((path.diff().dropna() > 0).all())
    growth = latest["data_center"] / base["data_center"] - 1
    capex = capex_vs_data_center(ctx).set_index("quarter")["capex_musd"]
    why = (
        f"Data Center revenue went from ${base['data_center']:,}M ({base['fiscal']}) to ${latest['data_center']:,}M "
        f"({latest['fiscal']}), {growth:+.0%}"
    )
    if base["quarter"] in capex.index:
        why += (
            f"; the five hyperscalers' quarterly capex went from ${capex.loc[base['quarter']] / 1000:.1f}bn "
            f"({base['quarter']}) to ${capex.iloc[-1] / 1000:.1f}bn ({capex.index[-1]})"
        )
    if not rising:
        return Finding(claim.id, round(growth * 100, 1), "% change in Data Center revenue", Verdict.WRONG, why + ": not a steady rise.", evidence)
    why += (
        ". Data Center revenue rose every quarter; that cheaper training caused it (the Jevons paradox) is the "
        "article's reading, which revenue and capex cannot test."
    )
    return Finding(claim.id, round(growth * 100, 1), "% change in Data Center revenue after the DeepSeek day", Verdict.OPINION, why, evidence)


def share_estimate(claim: Claim, ctx: Context) -> Finding:
    row = ctx.load("nvidia_claim_sources").set_index("claim_id").loc[claim.id]
    match = re.search(r"(\d+)%-(\d+)%", row["source_value"])
    if not match:
        raise LookupError(f"no share range in {row['source_value']!r}")
    low, high = (int(g) for g in match.groups())
    if low > claim.article_value:
        verdict, where = Verdict.ACCURATE, "all above"
    elif high <= claim.article_value:
        verdict, where = Verdict.WRONG, "none above"
    else:
        verdict, where = Verdict.UNVERIFIABLE, "on both sides of"
    why = (
        f"NVIDIA's filings give no market share; third-party estimates range from {low}% to {high}%, "
        f"{where} {claim.article_value}%, and define the market differently."
    )
    return Finding(claim.id, f"{low}-{high}", "% (range of third-party estimates)", verdict, why, ["nvidia_claim_sources"])


# ---------------------------------------------------------------- display tables (strings, so they print the same everywhere)
def describe_quarters(rows: pd.DataFrame) -> pd.DataFrame:
    """NVIDIA quarters as a small display table."""
    table = pd.DataFrame(
        {
            "quarter ended": rows["period_end"].dt.strftime("%Y-%m-%d"),
            "revenue (USD m)": rows["revenue"].map("{:,}".format),
            "Data Center (USD m)": rows["data_center"].map("{:,}".format),
            "Data Center share": rows["data_center_share"].map("{:.1%}".format),
            "gross margin": rows["gross_margin"].map("{:.1%}".format),
        }
    )
    return table.set_index(rows["fiscal"].rename("fiscal quarter"))


def describe_capex(capex: pd.DataFrame, both: pd.DataFrame, last: int = 4) -> pd.DataFrame:
    """The last ``last`` complete calendar quarters: capex by company, their sum and NVIDIA's Data Center revenue (USD bn)."""
    wide = capex.pivot_table(index="quarter", columns="company", values="capex_musd", aggfunc="sum") / 1000
    wide = wide.join(both.set_index("quarter")[["capex_musd", "data_center", "fiscal"]]).tail(last)
    table = wide[sorted(capex["company"].unique())].map("{:.1f}".format)
    table["all five"] = (wide["capex_musd"] / 1000).map("{:.1f}".format)
    table["NVIDIA DC"] = (wide["data_center"] / 1000).map("{:.1f}".format)
    table["NVIDIA quarter"] = wide["fiscal"]
    table.index = table.index.astype(str)
    return table


def describe_forecast(table: pd.DataFrame) -> pd.DataFrame:
    """The forecast comparison in whole USD billions ("-" where a source gives no figure)."""
    return table.map(lambda v: "-" if pd.isna(v) else f"{v:,.0f}")


def describe_day(day: dict[str, object]) -> pd.Series:
    """The DeepSeek day's figures as display strings."""
    return pd.Series(
        {
            "day": f"{day['date']:%Y-%m-%d}",
            "close before (USD)": f"{day['previous_close']:.2f}",
            "close (USD)": f"{day['close']:.2f}",
            "change": f"{day['change']:.2%}",
            "shares (bn)": f"{day['shares'] / BILLION:.2f}",
            "value lost (USD bn)": f"{-day['value_change'] / BILLION:.1f}",
            "rank in USD": f"{day['rank_usd']} of {day['days_usd']:,} days since {day['since_usd']:%Y-%m-%d}",
            "rank in %": f"{day['rank_pct']} of {day['days_pct']:,} days since {day['since_pct']:%Y-%m-%d}",
        },
        name="NVIDIA",
    )


def describe_path(path: pd.DataFrame) -> pd.DataFrame:
    """First closes above each trillion, with the calendar days since the previous one."""
    days = path["days"].map(lambda d: "" if pd.isna(d) else f"{d:.0f}")
    return tf.describe_crossings(path).assign(**{"days after previous": days.values})
