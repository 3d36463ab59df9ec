"""Checks for chapter 4, "Selling shovels" (claims C30-C37 and C39)."""

from __future__ import annotations

import re

import pandas as pd

from goldrush import method
from goldrush import transforms as tf
from goldrush.analysis import claim_source
from goldrush.analysis.five_trillion import SHARE_ROUNDING, share_band
from goldrush.analysis.selling_shovels import (
    DEEPSEEK_DAY,
    _years,
    capex_in_years,
    capex_vs_data_center,
    cost_in_event,
    deepseek_day,
    event,
    forecast_comparison,
    gs_totals,
    hyperscaler_quarters,
    last_quarter_before,
    nvidia_quarters,
    one_day_losses,
)
from goldrush.checks import Claim, Finding, decide, unverifiable
from goldrush.checks.five_trillion import cap_gap
from goldrush.context import AsOfContext
from goldrush.method import Band, Part, Verdict, day, grade
from goldrush.transforms import BILLION

# The article's "February 2025 results": the month of the earnings event it refers to (events.csv).
RESULTS_MONTH = "2025-02"
CAP = ["nvda_daily", "nvda_shares_outstanding"]


def _consensus(text: str) -> float:
    match = re.search(r"~([\d,]+) consensus", text)
    if not match:
        raise LookupError(f"no consensus figure in {text!r}")
    return float(match.group(1).replace(",", ""))


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


def deepseek_training_cost(claim: Claim, ctx: AsOfContext) -> Finding:
    v3, r1 = event(ctx, "DeepSeek-V3"), event(ctx, "DeepSeek-R1")
    unit = "USD million (DeepSeek's stated V3 training cost)"
    if _after(v3["date"], ctx):
        return unverifiable(claim, unit, method.not_yet("DeepSeek's V3 report", v3["date"], ctx.as_of), ["events"])
    cost = cost_in_event(v3["event_en"]) / 1e6
    released = not _after(r1["date"], ctx)
    parts = [
        method.quantity("training cost DeepSeek stated", claim.article_value, cost, claim.tol, claim.qualifier, "${:.3f}", "M"),
        Part(
            "then released R1",
            "after V3",
            r1["date"] if released else f"not yet on {ctx.as_of}",
            (Verdict.ACCURATE if v3["date"] < r1["date"] else Verdict.WRONG) if released else Verdict.UNVERIFIABLE,
        ),
    ]
    why = (
        f"DeepSeek's V3 report ({v3['date']}) puts the cost at ${cost:.3f}M, its own estimate for the final training "
        f"run only; "
        + (f"R1 followed on {r1['date']}. " if released else f"R1 had not been released by {ctx.as_of}. ")
        + "'GPT-4 class' is DeepSeek's benchmark claim, not tested here."
    )
    return decide(claim, round(cost, 3), unit, parts, why, ["events"])


def deepseek_loss(claim: Claim, ctx: AsOfContext) -> Finding:
    evidence = CAP + ["aapl_daily", "msft_daily", "aapl_msft_weighted_shares"]
    unit = "USD billion (one-day loss of market value)"
    if pd.Timestamp(ctx.as_of) < DEEPSEEK_DAY:
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
        Part(
            "one of the largest one-day losses in US market history",
            "yes",
            f"largest of NVIDIA, Apple and Microsoft since {day(losses['date'].min())}",
            Verdict.UNVERIFIABLE,
        ),
    ]
    half = method.precision(found["shares"]) / 2
    low, high = ((found["previous_close"] - found["close"]) * (found["shares"] + d) / BILLION for d in (-half, half))
    band = Band(
        low,
        high,
        "USD billion",
        SHARE_ROUNDING,
        (
            method.worst(claim.grade(low), *(p.verdict for p in parts[1:])),
            method.worst(claim.grade(high), *(p.verdict for p in parts[1:])),
        ),
    )
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
        return unverifiable(
            claim, claim.unit, method.not_yet("The Goldman Sachs forecast", reported["date"], ctx.as_of), evidence
        )
    totals = gs_totals(ctx)
    forecast, base = totals["forecast"], totals["base"]
    gs_multiple = forecast["capex_busd"] / base["capex_busd"]
    said_multiple, multiple_qualifier = claim.stated("multiple")
    parts = [
        method.quantity(
            "forecast as reported",
            claim.article_value,
            forecast["capex_busd"] / 1000,
            claim.tol,
            claim.qualifier,
            "${:,.2f}",
            "T",
        ),
        method.quantity(
            "multiple of the previous three years", said_multiple, gs_multiple, claim.tol, multiple_qualifier, "{:.1f}", "x"
        ),
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


def data_center_beat(claim: Claim, ctx: AsOfContext) -> Finding:
    evidence = ["nvidia_quarterly", "nvidia_claim_sources", "events"]
    unit = "USD million (Data Center revenue, vs consensus)"
    events = ctx.load("events")
    results = events[(events["category"] == "earnings") & events["date"].str.startswith(RESULTS_MONTH)].iloc[0]
    if _after(results["date"], ctx):
        return unverifiable(claim, unit, method.not_yet("The February 2025 results", results["date"], ctx.as_of), evidence)
    quarter = last_quarter_before(nvidia_quarters(ctx), results["date"])
    consensus = _consensus(claim_source(ctx.load("nvidia_claim_sources"), "C37a")["source_value"])
    beat = quarter["data_center"] / consensus - 1
    half = method.precision(consensus) / 2
    parts = [
        method.quantity(
            "Data Center revenue against the consensus",
            consensus,
            quarter["data_center"],
            claim.tol,
            claim.qualifier,
            "${:,.0f}",
            "M",
        ),
        Part("well above", "well", f"{beat:+.1%}", Verdict.OPINION),
    ]
    ends = (
        grade(consensus + half, quarter["data_center"], claim.tol, claim.qualifier),
        grade(consensus - half, quarter["data_center"], claim.tol, claim.qualifier),
    )
    band = Band(
        quarter["data_center"] / (consensus + half) - 1,
        quarter["data_center"] / (consensus - half) - 1,
        "beat (fraction)",
        "the consensus is reported rounded, to half its last digit either way",
        ends,
    )
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
        return unverifiable(
            claim,
            unit,
            method.not_yet(f"A quarter ended after {day(DEEPSEEK_DAY)}", "later", ctx.as_of)
            if pd.Timestamp(ctx.as_of) < DEEPSEEK_DAY
            else f"No NVIDIA quarter ended between {day(DEEPSEEK_DAY)} and {ctx.as_of}.",
            evidence,
        )
    base, latest = last_quarter_before(quarters, DEEPSEEK_DAY), after.iloc[-1]
    path = pd.concat([pd.Series([base["data_center"]]), after["data_center"]], ignore_index=True)
    rising = bool((path.diff().dropna() > 0).all())
    growth = latest["data_center"] / base["data_center"] - 1
    parts = [
        Part(
            "demand for computing grew (Data Center revenue, every quarter)",
            "grew",
            f"{growth:+.0%}",
            Verdict.ACCURATE if rising else Verdict.WRONG,
        ),
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
    row = claim_source(ctx.load("nvidia_claim_sources"), claim.id)
    match = re.search(r"(\d+)%-(\d+)%", row["source_value"])
    if not match:
        raise LookupError(f"no share range in {row['source_value']!r}")
    low, high = (int(g) for g in match.groups())
    ends = (claim.grade(low), claim.grade(high))
    band = Band(low, high, "%", "third-party estimates disagree and define the market differently", ends)
    unit = "% (range of third-party estimates)"
    if ends[0] is ends[1]:
        part = Part("market share", f"{claim.qualifier} {claim.article_value}%", f"{low}-{high}%", ends[0])
        return decide(
            claim,
            f"{low}-{high}",
            unit,
            [part],
            f"NVIDIA's filings give no market share; third-party estimates range from {low}% to {high}%.",
            ["nvidia_claim_sources"],
            band,
        )
    why = (
        f"NVIDIA's filings give no market share; third-party estimates range from {low}% to {high}%, on both sides "
        f"of {claim.article_value}%: {ends[0].value} at the low end, {ends[1].value} at the high end. What would decide "
        f"it: {claim.would_decide}."
    )
    finding = unverifiable(
        claim, unit, why, ["nvidia_claim_sources"], "uncertainty: the band straddles the verdict", f"{low}-{high}"
    )
    finding.band = band.as_record(Verdict.UNVERIFIABLE)
    return finding


def one_to_five_trillion(claim: Claim, ctx: AsOfContext) -> Finding:
    evidence = CAP
    if gap := cap_gap(ctx):
        return unverifiable(claim, "years", gap, evidence, "staleness")
    caps = ctx.nvda_market_cap
    crossings = tf.first_crossings(caps, [1 * tf.TRILLION, 5 * tf.TRILLION])
    if len(crossings) < 2:
        return unverifiable(
            claim, "years", method.not_yet("NVIDIA's first closes at both $1T and $5T", "later", ctx.as_of), evidence
        )
    one, five = crossings.iloc[0], crossings.iloc[1]
    years = tf.years_between(one["date"], five["date"])
    part = method.quantity(
        "years from the first $1T close to the first $5T close", claim.article_value, years, claim.tol, claim.qualifier, "{:.2f}"
    )
    spans = []
    for series in share_band(caps):
        reached = [caps.loc[series >= t, "date"] for t in (1 * tf.TRILLION, 5 * tf.TRILLION)]
        spans.append(tf.years_between(reached[0].iloc[0], reached[1].iloc[0]) if all(len(r) for r in reached) else years)
    band = Band(min(spans), max(spans), "years", SHARE_ROUNDING, (claim.grade(min(spans)), claim.grade(max(spans))))
    why = f"First close at $1T or more on {day(one['date'])}, at $5T or more on {day(five['date'])}: {years:.2f} years."
    return decide(claim, round(years, 2), "years", [part], why, evidence, band)
