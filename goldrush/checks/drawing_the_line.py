"""Checks for chapter 3, "Drawing the line" (claims C24-C29)."""

from __future__ import annotations

import pandas as pd

from goldrush import method
from goldrush import transforms as tf
from goldrush.analysis import parse_reported_date
from goldrush.analysis.drawing_the_line import (
    HASH_WINDOW_DAYS,
    _end,
    _month,
    ai_deals,
    btc_hash_rate,
    changes_over,
    ebay_vs_msrp,
    eth_pow_end,
    event,
    filing_figure,
    gaming_window,
    merge_day,
    quarters,
    sec_quarters_named,
    sec_window,
    without_remark,
)
from goldrush.checks import Claim, Finding, decide, unverifiable
from goldrush.context import WindowContext
from goldrush.method import Part, Verdict, day, plural


def sec_settlement(claim: Claim, ctx: WindowContext) -> Finding:
    """C24: the $5.5M penalty, its month, and the two fiscal-2018 quarters it concerned."""
    evidence = ["nvidia_claim_sources", "events", "nvidia_quarterly"]
    unit = "USD million (civil penalty)"
    settled = event(ctx, "regulation", "SEC")
    if settled["when"] > _end(ctx):
        return unverifiable(claim, unit, method.not_yet("The SEC settlement", settled["date"], ctx.end), evidence)
    penalty = float(filing_figure(ctx, "C24a")["source_value"])
    year, named = sec_quarters_named(ctx)
    window = sec_window(ctx)
    examined = window[window["sec"]]
    consecutive = named == list(range(named[0], named[0] + len(named)))
    said_month, said_quarters = str(claim.stated("month")[0]), claim.stated("quarters")[0]
    parts = [
        method.quantity("civil penalty", claim.article_value, penalty, claim.tol, claim.qualifier, "${:g}", "M"),
        Part(
            "month settled",
            said_month,
            settled["when"].strftime("%Y-%m"),
            Verdict.ACCURATE if settled["when"].strftime("%Y-%m") == said_month else Verdict.WRONG,
        ),
        Part(
            f"quarters of fiscal {year} concerned",
            f"{said_quarters} consecutive",
            f"{len(named)}{' consecutive' if consecutive else ''}",
            Verdict.ACCURATE if consecutive and len(named) == said_quarters else Verdict.WRONG,
        ),
    ]
    growth = " and ".join(f"{r.label} (ended {day(r.period_end)}) {r.gaming_yoy:+.0%}" for r in examined.itertuples())
    why = (
        f"NVIDIA's 10-Q reports a ${penalty:g}M civil penalty in the SEC settlement of {settled['date']}; the findings "
        f"concern the 10-Qs for {plural(len(named), ('consecutive ' if consecutive else '') + 'quarter')} of fiscal {year}, "
        f"whose gaming revenue grew {growth} on a year earlier."
    )
    return decide(claim, penalty, unit, parts, why, evidence)


def normal_after_merge(claim: Claim, ctx: WindowContext) -> Finding:
    """C25: after the Merge, RTX 30 resale prices at or under list price, gaming revenue back without mining."""
    evidence = ["gpu_prices", "nvidia_quarterly", "events"]
    merge = merge_day(ctx)
    unit = "times MSRP (highest monthly eBay average of any RTX 30 card from the Merge month on)"
    if merge > _end(ctx):
        return unverifiable(claim, unit, method.not_yet("The Merge", day(merge), ctx.end), evidence)
    prices = ebay_vs_msrp(ctx)
    after = prices[prices["month"] >= _month(merge)]
    before = prices[prices["month"] < _month(merge)]
    games = gaming_window(ctx) if not tf.between(quarters(ctx), ctx.start, ctx.end, column="period_end").empty else pd.DataFrame()
    if after.empty:
        last = ctx.load("gpu_prices")
        last_month = pd.to_datetime(last.loc[last["price_type"] == "ebay_avg", "date"], format="%Y-%m").max()
        return unverifiable(
            claim,
            unit,
            f"No eBay price of an RTX 30 card between the Merge ({day(merge)}) and {ctx.end} "
            f"in the data (the series ends in {last_month:%B %Y}).",
            evidence,
        )
    top = after.loc[after["ratio"].idxmax()]
    parts = [
        Part(
            "resale prices from the Merge on",
            "back to normal (at or under list price)",
            f"highest {top['ratio']:.2f}x list",
            Verdict.ACCURATE if top["ratio"] <= 1 else Verdict.WRONG,
        )
    ]
    earlier = ""
    if not before.empty:
        below = before.groupby("month")["ratio"].max()
        first_below = below[below <= 1]
        peak_month = before.loc[before["ratio"].idxmax()]
        earlier = (
            f" The premium had been shrinking since {peak_month['month']:%B %Y} "
            f"({peak_month['model']} at {peak_month['ratio']:.2f}x)"
            + (f"; every card was under MSRP from {first_below.index[0]:%B %Y}." if len(first_below) else ".")
        )
    revenue = ""
    since = games[games["era"] != "before the Merge"] if len(games) else games
    if len(since):
        trough, last = since.loc[since["gaming"].idxmin()], since.iloc[-1]
        revenue = (
            f" Gaming revenue bottomed in {trough['label']} (${trough['gaming']:,}M) "
            f"and reached ${last['gaming']:,}M in {last['label']}."
        )
    why = (
        f"From {merge:%B %Y} on, the highest monthly eBay average of any RTX 30 card was {top['model']} at "
        f"{top['ratio']:.2f}x its US list price in {top['month']:%B %Y}.{earlier}{revenue}"
    )
    return decide(claim, round(float(top["ratio"]), 2), unit, parts, why, evidence)


def growth_sources(claim: Claim, ctx: WindowContext) -> Finding:
    """C26: a statement attributed to Jensen Huang; the data hold no record of it (the revenue mix is context)."""
    q = tf.between(quarters(ctx), ctx.start, ctx.end, column="period_end")
    unit = "% of revenue from Data Center"
    why = f"The data hold no record of what Jensen Huang said; what would decide it: {claim.would_decide}."
    if len(q) >= 2:
        first, last = (row[["data_center", "automotive"]] / row["revenue"] for row in (q.iloc[0], q.iloc[-1]))
        labels = q["label"].iloc[0], q["label"].iloc[-1]
        why += (
            f" For context, Data Center went from {first['data_center']:.0%} of NVIDIA's revenue in {labels[0]} to "
            f"{last['data_center']:.0%} in {labels[1]}, while Automotive, where self-driving chips are booked, went from "
            f"{first['automotive']:.1%} to {last['automotive']:.1%}."
        )
        unit = f"% of revenue from Data Center ({labels[1]})"
        value: float | None = round(float(last["data_center"]) * 100, 1)
    else:
        value = None
    return unverifiable(claim, unit, why, ["nvidia_quarterly"], "kinds: what someone said, with no record in the data", value)


def inception_rule(claim: Claim, ctx: WindowContext) -> Finding:
    """C27: the Inception programme's crypto exclusion, as reported (NVIDIA's own page was not read)."""
    evidence = ["events"]
    row = event(ctx, "nvidia_crypto", "Inception")
    if row["when"] > _end(ctx):
        return unverifiable(
            claim, "month reported", method.not_yet("The only report of the rule in the data", row["date"], ctx.end), evidence
        )
    precision = " (date known to the month only)" if row["approximate"] else ""
    parts = [Part("crypto projects excluded", "yes", f"reported {row['when']:%B %Y}", Verdict.ACCURATE)]
    why = (
        f"Reported in {row['when']:%B %Y}{precision}: press accounts of NVIDIA's Ignition accelerator say the "
        "Inception criteria exclude crypto projects. The date is approximate, and NVIDIA's own programme page "
        "was not read, so the rule and its start date rest on those reports."
    )
    return decide(claim, row["date"], "month reported", parts, why, evidence)


def asic_era(claim: Claim, ctx: WindowContext) -> Finding:
    """C28: ether's GPU mining ended at the Merge; which machines mine bitcoin is not in the data."""
    evidence = ["btc_hash_rate_sources", "eth_daily", "events"]
    rates = btc_hash_rate(ctx)
    first, last = rates.iloc[0], rates.iloc[-1]
    unit = "EH/s (bitcoin hash rate, 7-day average, last sample)"
    growth = (
        f"Bitcoin's hash rate went from {first['hash_rate_ehs']:,.1f} EH/s on {day(first['date'])} to "
        f"{last['hash_rate_ehs']:,.1f} EH/s on {day(last['date'])} ({last['hash_rate_ehs'] / first['hash_rate_ehs']:,.1f}-fold)"
    )
    pow_end = eth_pow_end(ctx)
    eve, final = pow_end.iloc[0], pow_end.iloc[1]
    value = round(float(last["hash_rate_ehs"]), 1)
    asics = Part("bitcoin is mined with ASICs", "yes", "hash rates do not show which machines mine", Verdict.UNVERIFIABLE)
    if _end(ctx) < final["date"]:
        eth = tf.last_on_or_before(ctx.load("eth_daily")[["date", "hash_rate_ths"]], ctx.end)
        parts = [
            Part(
                "miners no longer compete for GPUs",
                "yes",
                f"ether GPU-mined at {eth['hash_rate_ths']:,.0f} TH/s on {ctx.end}",
                Verdict.WRONG,
            ),
            asics,
        ]
        why = (
            f"On {ctx.end} ether was still mined with GPUs ({eth['hash_rate_ths']:,.0f} TH/s), "
            f"so miners still wanted graphics cards. {growth}."
        )
        return decide(claim, value, unit, parts, why, evidence)
    merge = merge_day(ctx)
    changes = changes_over(rates, HASH_WINDOW_DAYS)
    context = ""
    if not changes.empty and changes["date"].min() <= merge <= changes["date"].max():
        at_merge = tf.last_on_or_before(changes, merge)
        larger = (changes["change"] > at_merge["change"]).mean()
        context = (
            f" In the {HASH_WINDOW_DAYS} days after the Merge it changed {at_merge['change']:+.0%}; "
            f"{larger:.0%} of all {HASH_WINDOW_DAYS}-day changes in the period were larger."
        )
    parts = [
        Part("miners no longer compete for GPUs", "yes", f"ether's GPU mining stops on {day(final['date'])}", Verdict.ACCURATE),
        asics,
    ]
    why = (
        f"Ether's GPU-mined hash rate stops on {day(final['date'])} ({eve['hash_rate_ths']:,.0f} TH/s the day "
        f"before). {growth}.{context} Hash rates do not show which machines mine; what would decide it: {claim.would_decide}."
    )
    return decide(claim, value, unit, parts, why, evidence)


def miners_to_ai(claim: Claim, ctx: WindowContext) -> Finding:
    """C29: miners' AI/HPC deals from start to end: how many, who, and whether they name NVIDIA hardware."""
    deals = ai_deals(ctx)
    unit = f"deals reported from {ctx.start} to {ctx.end}"
    if deals.empty:
        first = min(parse_reported_date(d)[0] for d in ctx.load("miners_ai_pivot")["date"])
        why = (
            method.not_yet("The first miner's AI deal in the data", day(first), ctx.end)
            if first > _end(ctx)
            else f"No miner's AI or HPC deal is dated between {ctx.start} and {ctx.end} in the data."
        )
        return unverifiable(claim, unit, why, ["miners_ai_pivot"])
    hosting = deals[deals["power_and_sites"]]
    nvidia = deals[deals["nvidia_hardware"]]
    named = without_remark(hosting["counterparty"])
    customers = list(named[~named.str.startswith(("undisclosed", "("))].value_counts().index[:2])
    parts = [
        Part("miners turning to AI computing", "yes", plural(len(deals), "deal"), Verdict.ACCURATE),
        Part(
            "using their power and sites",
            "yes",
            f"{len(hosting)} sized in MW or GW",
            Verdict.ACCURATE if len(hosting) else Verdict.UNVERIFIABLE,
        ),
        Part(
            "becoming NVIDIA customers",
            "yes",
            f"{plural(len(nvidia), 'deal')} naming NVIDIA hardware",
            Verdict.ACCURATE if len(nvidia) else Verdict.UNVERIFIABLE,
        ),
    ]
    why = (
        f"{plural(len(deals), 'deal')} by {plural(deals['company'].nunique(), 'crypto miner')}; {len(hosting)} of them "
        f"sized in power capacity at the miners' sites (MW or GW)"
        + (f", with AI customers such as {' and '.join(customers)}. " if customers else ". ")
    )
    if nvidia.empty:
        why += f"None names NVIDIA hardware; what would decide it: {claim.would_decide}."
    else:
        why += (
            f"{plural(len(nvidia), 'deal names', 'deals name')} NVIDIA hardware ({', '.join(dict.fromkeys(nvidia['company']))})."
        )
    return decide(claim, len(deals), unit, parts, why, ["miners_ai_pivot"])
