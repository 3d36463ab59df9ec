"""Chapter 4, "Selling shovels": the tables it shows and the checks for claims C30-C37.

NVIDIA's fiscal quarters end about four weeks after calendar quarters (Oracle's two months
after), so quarters are compared in calendar time by the calendar quarter that holds each fiscal
quarter's middle day. C39 ($1T to $5T) is checked here too.
"""

from __future__ import annotations

import re

import pandas as pd

from goldrush import transforms as tf
from goldrush import method
from goldrush.checks import AsOfContext, Claim, Finding, decide, unverifiable
from goldrush.checks.five_trillion import SHARE_ROUNDING, cap_gap, peer_market_caps, share_band
from goldrush.method import Band, Part, Verdict, day, grade

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


def nvidia_quarters(ctx: AsOfContext) -> pd.DataFrame:
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


def hyperscaler_quarters(ctx: AsOfContext) -> pd.DataFrame:
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


def capex_vs_data_center(ctx: AsOfContext) -> pd.DataFrame:
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


def deepseek_day(ctx: AsOfContext) -> dict[str, object]:
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
    frames = [daily_value_changes(ctx.nvda_market_cap).assign(company="NVIDIA")]
    names = {"AAPL": "Apple", "MSFT": "Microsoft"}
    for ticker, caps in peer_market_caps(ctx).groupby("ticker"):
        frames.append(daily_value_changes(caps.reset_index(drop=True)).assign(company=names[ticker]))
    start = max(f["date"].iloc[0] for f in frames)
    every = pd.concat(frames, ignore_index=True)
    every = every[every["date"] >= start]
    return every.sort_values("value_change")[["date", "company", "change", "value_change"]].reset_index(drop=True)


# ---------------------------------------------------------------- $1T to $5T
def trillion_path(ctx: AsOfContext) -> pd.DataFrame:
    """First close at or above each whole trillion, with the days since the previous one."""
    crossings = tf.first_crossings(ctx.nvda_market_cap, [n * tf.TRILLION for n in range(1, 6)])
    return crossings.assign(days=crossings["date"].diff().dt.days)


# ---------------------------------------------------------------- checks
def event(ctx: AsOfContext, text: str) -> pd.Series:
    """The first event whose description contains ``text`` (case-insensitive)."""
    events = ctx.load("events")
    found = events[events["event_en"].str.contains(text, case=False, regex=False)]
    if found.empty:
        raise LookupError(f"no event mentions {text!r}")
    return found.iloc[0]


def _after(dated: str, ctx: AsOfContext) -> bool:
    return pd.Timestamp(dated) > pd.Timestamp(ctx.as_of)


def chatgpt_launch(claim: Claim, ctx: AsOfContext) -> Finding:
    launch = event(ctx, "ChatGPT")
    if _after(launch["date"], ctx):
        return unverifiable(claim, "month", method.not_yet("ChatGPT's launch", launch["date"], ctx.as_of), ["events"])
    month = launch["date"][:7]
    parts = [Part("month", str(claim.article_value), month, Verdict.ACCURATE if month == claim.article_value else Verdict.WRONG)]
    why = f"Dated event: {launch['event_en']} on {launch['date']} ({launch['date_precision']} precision)."
    return decide(claim, month, "month", parts, why, ["events"])


def cost_in_event(text: str) -> float:
    """The dollar figure written after "cost" in an event description, in USD."""
    match = re.search(r"cost \$([\d,]+)", text)
    if not match:
        raise LookupError(f"no cost in event {text!r}")
    return float(match.group(1).replace(",", ""))


def deepseek_training_cost(claim: Claim, ctx: AsOfContext) -> Finding:
    v3, r1 = event(ctx, "DeepSeek-V3"), event(ctx, "DeepSeek-R1")
    unit = "USD million (DeepSeek's stated V3 training cost)"
    if _after(v3["date"], ctx):
        return unverifiable(claim, unit, method.not_yet("DeepSeek's V3 report", v3["date"], ctx.as_of), ["events"])
    cost = cost_in_event(v3["event_en"]) / 1e6
    released = not _after(r1["date"], ctx)
    parts = [
        method.quantity("training cost DeepSeek stated", claim.article_value, cost, claim.tol, claim.qualifier, "${:.3f}", "M"),
        Part("then released R1", "after V3", r1["date"] if released else f"not yet on {ctx.as_of}",
             (Verdict.ACCURATE if v3["date"] < r1["date"] else Verdict.WRONG) if released else Verdict.UNVERIFIABLE),
    ]
    why = (
        f"DeepSeek's V3 report ({v3['date']}) puts the cost at ${cost:.3f}M, its own estimate for the final training "
        f"run only; " + (f"R1 followed on {r1['date']}. " if released else f"R1 had not been released by {ctx.as_of}. ")
        + "'GPT-4 class' is DeepSeek's benchmark claim, not tested here."
    )
    return decide(claim, round(cost, 3), unit, parts, why, ["events"])


def deepseek_loss(claim: Claim, ctx: AsOfContext) -> Finding:
    evidence = CAP + ["aapl_daily", "msft_daily", "aapl_msft_weighted_shares"]
    unit = "USD billion (one-day loss of market value)"
    if DEEPSEEK_DAY > pd.Timestamp(ctx.as_of):
        return unverifiable(claim, unit, method.not_yet("The DeepSeek sell-off", day(DEEPSEEK_DAY), ctx.as_of), evidence)
    try:
        found = deepseek_day(ctx)
    except LookupError:
        return unverifiable(claim, unit, f"No NVIDIA market value in the data for {day(DEEPSEEK_DAY)}.", evidence, "staleness")
    lost, pct = -found["value_change"] / BILLION, found["change"] * 100
    said_change, change_qualifier = claim.stated("change")
    losses = one_day_losses(ctx)
    top = losses.iloc[0]
    parts = [
        method.quantity("value lost", claim.article_value, lost, claim.tol, claim.qualifier, "${:,.1f}", "bn"),
        method.quantity("close-to-close change", said_change, pct, claim.tol, change_qualifier, "{:.2f}", "%"),
        Part("one of the largest one-day losses in US market history", "yes",
             f"largest of NVIDIA, Apple and Microsoft since {day(losses['date'].min())}", Verdict.UNVERIFIABLE),
    ]
    half = method.precision(found["shares"]) / 2
    low, high = ((found["previous_close"] - found["close"]) * (found["shares"] + d) / BILLION for d in (-half, half))
    band = Band(low, high, "USD billion", SHARE_ROUNDING,
                (method.worst(claim.grade(low), *(p.verdict for p in parts[1:])), method.worst(claim.grade(high), *(p.verdict for p in parts[1:]))))
    why = (
        f"Close {day(found['date'])} ${found['close']:.2f} against ${found['previous_close']:.2f}: {pct:.2f}%, "
        f"${lost:.1f}bn of value at {found['shares'] / BILLION:.2f}bn shares. Among NVIDIA's one-day changes it ranks "
        f"{found['rank_usd']} of {found['days_usd']:,} in dollars (since {day(found['since_usd'])}) and {found['rank_pct']} of "
        f"{found['days_pct']:,} in percent (since {day(found['since_pct'])}). The largest one-day fall of NVIDIA, Apple and "
        f"Microsoft since {day(losses['date'].min())} is {top['company']}'s on {day(top['date'])}; no other US stock is in "
        f"the snapshot, so 'US market history' cannot be ranked here. What would decide it: {claim.would_decide}."
    )
    return decide(claim, round(lost, 1), unit, parts, why, evidence, band)


def capex_forecast(claim: Claim, ctx: AsOfContext) -> Finding:
    evidence = ["hyperscaler_capex_forecast_gs", "hyperscaler_capex", "events"]
    reported = event(ctx, "Goldman Sachs")
    if _after(reported["date"], ctx):
        return unverifiable(claim, claim.unit, method.not_yet("The Goldman Sachs forecast", reported["date"], ctx.as_of), evidence)
    totals = gs_totals(ctx)
    forecast, base = totals["forecast"], totals["base"]
    gs_multiple = forecast["capex_busd"] / base["capex_busd"]
    said_multiple, multiple_qualifier = claim.stated("multiple")
    parts = [
        method.quantity("forecast as reported", claim.article_value, forecast["capex_busd"] / 1000, claim.tol, claim.qualifier, "${:,.2f}", "T"),
        method.quantity("multiple of the previous three years", said_multiple, gs_multiple, claim.tol, multiple_qualifier, "{:.1f}", "x"),
    ]
    first, last = _years(forecast["period"])
    why = f"Goldman Sachs (as reported on {reported['date']}) forecasts ${forecast['capex_busd']:,.0f}bn for {forecast['period']}"
    try:
        table = forecast_comparison(ctx)
        ours = table.loc["Total", f"{base['period']} ours"]
        parts_sum = table.loc["Total", f"GS {forecast['period']}"]
        why += (
            f" (its company figures add up to ${parts_sum:,.0f}bn), {gs_multiple:.1f}x its ${base['capex_busd']:,.0f}bn for "
            f"{base['period']}. Our filings give ${ours:,.0f}bn for those years ({forecast['capex_busd'] / ours:.1f}x): cash "
            "purchases of property and equipment, Amazon whole and gross, Oracle derived; GS counts AWS only and does not "
            "state its definitions."
        )
    except LookupError:
        why += f", {gs_multiple:.1f}x its ${base['capex_busd']:,.0f}bn for {base['period']}."
    try:
        outcome = capex_in_years(hyperscaler_quarters(ctx), first, last).sum() / 1000
        why += f" Its period has passed: the companies spent ${outcome:,.0f}bn."
        parts.append(method.quantity("outcome", forecast["capex_busd"] / 1000, outcome / 1000, claim.tol, "", "${:,.2f}", "T"))
    except LookupError:
        why += f" The forecast's period ends in {last}; outcomes are not yet in the data."
    return decide(claim, round(forecast["capex_busd"] / 1000, 2), "USD trillion (GS forecast, 2025-2027)", parts, why, evidence)


def _consensus(text: str) -> float:
    match = re.search(r"~([\d,]+) consensus", text)
    if not match:
        raise LookupError(f"no consensus figure in {text!r}")
    return float(match.group(1).replace(",", ""))


def data_center_beat(claim: Claim, ctx: AsOfContext) -> Finding:
    evidence = ["nvidia_quarterly", "nvidia_claim_sources", "events"]
    unit = "USD million (Data Center revenue, vs consensus)"
    events = ctx.load("events")
    results = events[(events["category"] == "earnings") & events["date"].str.startswith(RESULTS_MONTH)].iloc[0]
    if _after(results["date"], ctx):
        return unverifiable(claim, unit, method.not_yet("The February 2025 results", results["date"], ctx.as_of), evidence)
    quarter = last_quarter_before(nvidia_quarters(ctx), results["date"])
    sources = ctx.load("nvidia_claim_sources").set_index("claim_id")
    consensus = _consensus(sources.loc["C37a", "source_value"])
    beat = quarter["data_center"] / consensus - 1
    half = method.precision(consensus) / 2
    parts = [
        method.quantity("Data Center revenue against the consensus", consensus, quarter["data_center"], claim.tol, claim.qualifier, "${:,.0f}", "M"),
        Part("well above", "well", f"{beat:+.1%}", Verdict.OPINION),
    ]
    ends = tuple(grade(consensus + d, quarter["data_center"], claim.tol, claim.qualifier) for d in (half, -half))
    band = Band(quarter["data_center"] / (consensus + half) - 1, quarter["data_center"] / (consensus - half) - 1, "beat (fraction)",
                "the consensus is reported rounded, to half its last digit either way", ends)
    why = (
        f"{quarter['fiscal']} (ended {day(quarter['period_end'])}, reported {results['date']}): Data Center revenue "
        f"${quarter['data_center']:,}M against a consensus of about ${consensus:,.0f}M, {beat:+.1%}. How much above is "
        "'well above' is a characterisation; the consensus comes from a reposted press story, not a data vendor."
    )
    return decide(claim, int(quarter["data_center"]), unit, parts, why, evidence, band)


def compute_demand_after_deepseek(claim: Claim, ctx: AsOfContext) -> Finding:
    evidence = ["nvidia_quarterly", "hyperscaler_capex"]
    unit = "% change in Data Center revenue after the DeepSeek day"
    quarters = nvidia_quarters(ctx)
    after = quarters[quarters["period_end"] > DEEPSEEK_DAY]
    if after.empty:
        return unverifiable(claim, unit, method.not_yet(f"A quarter ended after {day(DEEPSEEK_DAY)}", "later", ctx.as_of)
                            if DEEPSEEK_DAY > pd.Timestamp(ctx.as_of) else
                            f"No NVIDIA quarter ended between {day(DEEPSEEK_DAY)} and {ctx.as_of}.", evidence)
    base, latest = last_quarter_before(quarters, DEEPSEEK_DAY), after.iloc[-1]
    path = pd.concat([pd.Series([base["data_center"]]), after["data_center"]], ignore_index=True)
    rising = bool((path.diff().dropna() > 0).all())
    growth = latest["data_center"] / base["data_center"] - 1
    parts = [
        Part("demand for computing grew (Data Center revenue, every quarter)", "grew", f"{growth:+.0%}",
             Verdict.ACCURATE if rising else Verdict.WRONG),
        Part("the Jevons paradox (cheaper training caused it)", "yes", "a causal reading revenue cannot test", Verdict.OPINION),
    ]
    why = (
        f"Data Center revenue went from ${base['data_center']:,}M ({base['fiscal']}) to ${latest['data_center']:,}M "
        f"({latest['fiscal']}), {growth:+.0%}, " + ("rising every quarter" if rising else "not a steady rise")
    )
    capex = capex_vs_data_center(ctx).set_index("quarter")["capex_musd"]
    if base["quarter"] in capex.index:
        why += (
            f"; the five hyperscalers' quarterly capex went from ${capex.loc[base['quarter']] / 1000:.1f}bn "
            f"({base['quarter']}) to ${capex.iloc[-1] / 1000:.1f}bn ({capex.index[-1]})"
        )
    return decide(claim, round(growth * 100, 1), unit, parts, why + ".", evidence)


def share_estimate(claim: Claim, ctx: AsOfContext) -> Finding:
    row = ctx.load("nvidia_claim_sources").set_index("claim_id").loc[claim.id]
    match = re.search(r"(\d+)%-(\d+)%", row["source_value"])
    if not match:
        raise LookupError(f"no share range in {row['source_value']!r}")
    low, high = (int(g) for g in match.groups())
    ends = (claim.grade(low), claim.grade(high))
    band = Band(low, high, "%", "third-party estimates disagree and define the market differently", ends)
    unit = "% (range of third-party estimates)"
    if ends[0] is ends[1]:
        part = Part("market share", f"{claim.qualifier} {claim.article_value}%", f"{low}-{high}%", ends[0])
        return decide(claim, f"{low}-{high}", unit, [part], f"NVIDIA's filings give no market share; third-party estimates range from {low}% to {high}%.",
                      ["nvidia_claim_sources"], band)
    why = (f"NVIDIA's filings give no market share; third-party estimates range from {low}% to {high}%, on both sides "
           f"of {claim.article_value}%: {ends[0].value} at the low end, {ends[1].value} at the high end. What would decide "
           f"it: {claim.would_decide}.")
    finding = unverifiable(claim, unit, why, ["nvidia_claim_sources"], "uncertainty: the band straddles the verdict", f"{low}-{high}")
    finding.band = band.as_record(Verdict.UNVERIFIABLE)
    return finding


def one_to_five_trillion(claim: Claim, ctx: AsOfContext) -> Finding:
    evidence = CAP
    if gap := cap_gap(ctx):
        return unverifiable(claim, "years", gap, evidence, "staleness")
    caps = ctx.nvda_market_cap
    crossings = tf.first_crossings(caps, [1 * tf.TRILLION, 5 * tf.TRILLION])
    if len(crossings) < 2:
        return unverifiable(claim, "years", method.not_yet("NVIDIA's first closes at both $1T and $5T", "later", ctx.as_of), evidence)
    one, five = crossings.iloc[0], crossings.iloc[1]
    years = tf.years_between(one["date"], five["date"])
    part = method.quantity("years from the first $1T close to the first $5T close", claim.article_value, years, claim.tol, claim.qualifier, "{:.2f}")
    spans = []
    for series in share_band(caps):
        reached = [caps.loc[series >= t, "date"] for t in (1 * tf.TRILLION, 5 * tf.TRILLION)]
        spans.append(tf.years_between(reached[0].iloc[0], reached[1].iloc[0]) if all(len(r) for r in reached) else years)
    band = Band(min(spans), max(spans), "years", SHARE_ROUNDING, (claim.grade(min(spans)), claim.grade(max(spans))))
    why = f"First close at $1T or more on {day(one['date'])}, at $5T or more on {day(five['date'])}: {years:.2f} years."
    return decide(claim, round(years, 2), "years", [part], why, evidence, band)


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
