"""Checks for chapter 2, "Gaming cards as money printers" (claims C07-C19, C21-C23)."""

from __future__ import annotations

import math
import re

import pandas as pd

from goldrush import method
from goldrush import transforms as tf
from goldrush.analysis import claim_source
from goldrush.analysis.money_printers import (
    COLLAPSE,
    EARLY_2021,
    MID_2020,
    PEAK_YEAR,
    SLUMP_QUARTER,
    SLUMP_YEAR,
    SOARED,
    SPLIT_2024,
    drawdown,
    event,
    first_and_last,
    hash_rate_collapse,
    quarter,
    quarter_start,
    run_up,
)
from goldrush.checks import Claim, Finding, decide, unverifiable, window_gap
from goldrush.context import WindowContext
from goldrush.method import Band, Part, Verdict, day, plural
from goldrush.transforms import BILLION


def _year(y: int) -> tuple[str, str]:
    return f"{y}-01-01", f"{y}-12-31"


def boom_2017(claim: Claim, ctx: WindowContext) -> Finding:
    evidence = ["btc_daily", "eth_daily", "gpu_prices"]
    unit = "price multiple over 2017"
    if gap := window_gap(ctx, *_year(2017), "2017"):
        return unverifiable(claim, unit, gap, evidence)
    btc0, btc1 = first_and_last(ctx.load("btc_daily"), "price_usd", 2017)
    eth0, eth1 = first_and_last(ctx.load("eth_daily"), "price_usd", 2017)
    hash0, hash1 = first_and_last(ctx.load("eth_daily"), "hash_rate_ths", 2017)
    btc_x, eth_x = btc1["price_usd"] / btc0["price_usd"], eth1["price_usd"] / eth0["price_usd"]
    gpu_2017 = ctx.load("gpu_prices")["date"].astype(str).str.startswith("2017").any()
    parts = [
        method.quantity("bitcoin over 2017", SOARED, btc_x, claim.tol, "at least", "{:.1f}", "x"),
        method.quantity("ether over 2017", SOARED, eth_x, claim.tol, "at least", "{:.1f}", "x"),
        Part(
            "GPU mining (ether's hash rate)",
            "miners bought up GPUs",
            f"{hash0['hash_rate_ths']:.2f} to {hash1['hash_rate_ths']:.0f} TH/s",
            Verdict.ACCURATE if hash1["hash_rate_ths"] > hash0["hash_rate_ths"] else Verdict.WRONG,
        ),
        Part("graphics-card prices", "jumped", "in the data" if gpu_2017 else "no 2017 prices in the data", Verdict.UNVERIFIABLE),
    ]
    why = (
        f"Over 2017 bitcoin went from ${btc0['price_usd']:,.0f} to ${btc1['price_usd']:,.0f} ({btc_x:.1f}x) and ether "
        f'from ${eth0["price_usd"]:,.2f} to ${eth1["price_usd"]:,.0f} ({eth_x:.0f}x) ("soared": at least {SOARED}x); '
        f"ether's hash rate, mined on GPUs, rose from {hash0['hash_rate_ths']:.2f} to {hash1['hash_rate_ths']:.0f} TH/s. "
        f"Graphics-card prices of 2017 are not in the data; what would decide it: {claim.would_decide}."
    )
    return decide(claim, f"BTC {btc_x:.1f}x, ETH {eth_x:.0f}x", unit, parts, why, evidence)


def _run_up(claim: Claim, ctx: WindowContext, dataset: str, coin: str, start: tuple[str, str]) -> Finding:
    unit = f"USD per {coin} (peak, January-May 2021)"
    if gap := window_gap(ctx, MID_2020[0], EARLY_2021[1], "mid-2020 to early 2021"):
        return unverifiable(claim, unit, gap, [dataset])
    prices = ctx.load(dataset)
    before, peak = run_up(prices)
    said_from, qualifier = claim.stated(start[0])
    parts = [
        method.quantity(
            f"{coin} high, June-September 2020", said_from, before["price_usd"].max(), claim.tol, qualifier, "${:,.0f}"
        ),
        method.quantity(
            f"{coin} peak, January-May 2021", claim.article_value, peak["price_usd"], claim.tol, claim.qualifier, "${:,.0f}"
        ),
    ]
    above = prices[(prices["price_usd"] > claim.article_value) & (prices["date"] >= MID_2020[0])]
    crossed = f", first stood above ${claim.article_value:,} on {day(above['date'].iloc[0])}" if len(above) else ""
    why = (
        f"{start[1]} traded between ${before['price_usd'].min():,.0f} and ${before['price_usd'].max():,.0f} from June to "
        f"September 2020{crossed} and reached ${peak['price_usd']:,.0f} on {day(peak['date'])} (daily 00:00 UTC prices)."
    )
    return decide(claim, round(float(peak["price_usd"])), unit, parts, why, [dataset])


def btc_run_up(claim: Claim, ctx: WindowContext) -> Finding:
    return _run_up(claim, ctx, "btc_daily", "BTC", ("from", "Bitcoin"))


def eth_run_up(claim: Claim, ctx: WindowContext) -> Finding:
    return _run_up(claim, ctx, "eth_daily", "ETH", ("from", "Ether"))


def rtx_china_prices(claim: Claim, ctx: WindowContext) -> Finding:
    unit = "CNY (RTX 3060 list price; no street price from China in the data)"
    if gap := window_gap(ctx, *EARLY_2021, "early 2021"):
        return unverifiable(claim, unit, gap, ["gpu_prices"])
    prices = ctx.load("gpu_prices")
    sourced = prices[prices["price_type"] != "article_claim"]

    def price(model: str, market: str, kind: str) -> pd.Series:
        return sourced[(sourced["model"] == model) & (sourced["market"] == market) & (sourced["price_type"] == kind)].iloc[0]

    list_3060, list_3090 = price("GeForce RTX 3060", "CN", "msrp"), price("GeForce RTX 3090", "CN", "msrp")
    china_street = sourced[(sourced["market"] == "CN") & (sourced["price_type"] != "msrp")]
    eu_list, eu_street = price("GeForce RTX 3060", "DE/AT retail", "msrp"), price("GeForce RTX 3060", "DE/AT retail", "street")
    said_list, _ = claim.stated("list")
    said_3090, q3090 = claim.stated("rtx3090")
    street = "none from China" if china_street.empty else f"{china_street['price'].max():,.0f}"
    parts = [
        method.quantity("RTX 3060 list price", said_list, list_3060["price"], claim.tol, "", "{:,.0f}", " yuan"),
        Part(
            "RTX 3060 street price",
            f"{claim.article_value:,} yuan",
            street,
            Verdict.UNVERIFIABLE if china_street.empty else claim.grade(china_street["price"].max()),
        ),
        Part("RTX 3090 street price", f"{q3090} {said_3090:,} yuan".strip(), "none from China", Verdict.UNVERIFIABLE),
    ]
    why = (
        f"The data confirm the RTX 3060's list price of {list_3060['price']:,.0f} yuan (RTX 3090: {list_3090['price']:,.0f}), "
        f"but hold no street price from China, so {claim.article_value:,} yuan "
        f"({claim.article_value / list_3060['price']:.1f}x list) cannot be checked; what would decide it: {claim.would_decide}. "
        f"For scale, in Germany and Austria ({eu_street['date']}) the RTX 3060 sold for {eu_street['price']:,.0f} euros "
        f"against a list price of {eu_list['price']:,.0f} ({eu_street['price'] / eu_list['price']:.1f}x)."
    )
    return decide(claim, int(list_3060["price"]), unit, parts, why, ["gpu_prices"])


def hash_rate_and_price(claim: Claim, ctx: WindowContext) -> Finding:
    unit = "% BTC hash-rate change, peak to trough"
    if gap := window_gap(ctx, *COLLAPSE, "May to July 2021"):
        return unverifiable(claim, unit, gap, ["btc_daily"])
    c = hash_rate_collapse(ctx.load("btc_daily"))
    parts = [
        Part(
            "bitcoin's hash rate",
            "fell",
            f"{c['hash_rate_change']:+.1%}",
            Verdict.ACCURATE if c["hash_rate_change"] < 0 else Verdict.WRONG,
        ),
        Part(
            "bitcoin's price", "fell", f"{c['price_change']:+.1%}", Verdict.ACCURATE if c["price_change"] < 0 else Verdict.WRONG
        ),
    ]
    why = (
        f"Bitcoin's hash rate (7-day average, sampled every 4 days) fell from {c['peak_ehs']:.1f} EH/s on "
        f"{day(c['peak_date'])} to {c['trough_ehs']:.1f} EH/s on {day(c['trough_date'])} ({c['hash_rate_change']:.1%}); "
        f"the price went from ${c['peak_price']:,.0f} to ${c['trough_price']:,.0f} ({c['price_change']:.1%}) between "
        "the same days."
    )
    return decide(claim, round(100 * c["hash_rate_change"], 1), unit, parts, why, ["btc_daily"])


def peak_market_cap_2021(claim: Claim, ctx: WindowContext) -> Finding:
    evidence = ["nvda_daily", "nvda_shares_outstanding"]
    unit = f"USD billion (highest {PEAK_YEAR} close x shares)"
    if gap := window_gap(ctx, *_year(PEAK_YEAR), str(PEAK_YEAR)):
        return unverifiable(claim, unit, gap, evidence)
    prices = ctx.load("nvda_daily")
    caps = tf.covered(tf.market_cap(prices, ctx.load("nvda_shares_outstanding")))
    year = caps[caps["date"].dt.year == PEAK_YEAR]
    if year.empty:
        return unverifiable(claim, unit, f"No share count in the data stands for {PEAK_YEAR}.", evidence, "staleness")
    top = year.loc[year["market_cap"].idxmax()]
    threshold = claim.article_value * BILLION
    days_above = int((year["market_cap"] > threshold).sum())
    highs = prices[prices["date"].dt.year == PEAK_YEAR]
    high = highs.loc[highs["high"].idxmax()]
    part = method.quantity(
        f"highest {PEAK_YEAR} close x shares",
        claim.article_value,
        top["market_cap"] / BILLION,
        claim.tol,
        claim.qualifier,
        "${:,.0f}",
        "bn",
    )
    half = method.precision(top["shares_outstanding"]) / 2
    low, hi = (top["close"] * (top["shares_outstanding"] + d) / BILLION for d in (-half, half))
    band = Band(
        low,
        hi,
        "USD billion",
        "NVIDIA states its share count rounded, to half its last digit either way",
        (claim.grade(low), claim.grade(hi)),
    )
    why = (
        f"Computed from closes: NVIDIA's highest {PEAK_YEAR} value was ${top['market_cap'] / BILLION:,.0f}bn on "
        f"{day(top['date'])} (close ${top['close']:.2f} today's basis x {top['shares_outstanding'] / BILLION:.1f}bn shares "
        f"reported {day(top['shares_as_of'])}); it closed above ${claim.article_value}bn on {plural(days_above, 'day')}. "
        f"The press figure was intraday: the year's highest price, ${high['high']:.2f} on {day(high['date'])}, gives "
        f"${high['high'] * top['shares_outstanding'] / BILLION:,.0f}bn."
    )
    return decide(claim, round(top["market_cap"] / BILLION, 1), unit, [part], why, evidence, band)


def share_price_2022(claim: Claim, ctx: WindowContext) -> Finding:
    unit = f"USD per share ({SLUMP_YEAR} low close, 2022 basis)"
    if gap := window_gap(ctx, f"{PEAK_YEAR}-01-01", f"{SLUMP_YEAR}-12-31", f"{PEAK_YEAR}-{SLUMP_YEAR}"):
        return unverifiable(claim, unit, gap, ["nvda_daily"])
    prices = ctx.load("nvda_daily")
    fall = drawdown(prices)
    low_2022_basis, peak_2022_basis = fall["low_close"] * SPLIT_2024, fall["peak_close"] * SPLIT_2024
    said_fall, fall_qualifier = claim.stated("fall")
    parts = [
        method.quantity(
            f"{SLUMP_YEAR} low close (2022 basis)", claim.article_value, low_2022_basis, claim.tol, claim.qualifier, "${:,.2f}"
        ),
        method.quantity("fall from the peak", said_fall, -100 * fall["change"], claim.tol, fall_qualifier, "{:.0f}", "%"),
    ]
    year = prices[prices["date"].dt.year == SLUMP_YEAR]
    near = year[year["close"] * SPLIT_2024 <= claim.article_value]
    passed = (
        f" It first closed at ${claim.article_value} or less on {day(near['date'].iloc[0])} "
        f"({near['close'].iloc[0] * SPLIT_2024 / peak_2022_basis - 1:.0%} from the peak), then kept falling."
        if not near.empty
        else ""
    )
    why = (
        f"On the basis of 2022 (today's prices x{SPLIT_2024}, undoing the 2024 split) the {PEAK_YEAR} peak close was "
        f"${peak_2022_basis:.2f} on {day(fall['peak_date'])} and the {SLUMP_YEAR} low close ${low_2022_basis:.2f} on "
        f"{day(fall['low_date'])}, a fall of {-fall['change']:.0%}.{passed}"
    )
    return decide(claim, round(low_2022_basis, 2), unit, parts, why, ["nvda_daily"])


def _quarter_gap(ctx: WindowContext, fiscal_year: int, fiscal_quarter: int) -> str | None:
    q = ctx.load("nvidia_quarterly")
    return window_gap(
        ctx,
        quarter_start(q, fiscal_year, fiscal_quarter),
        quarter(q, fiscal_year, fiscal_quarter)["period_end"],
        f"fiscal Q{fiscal_quarter} FY{fiscal_year}",
    )


def miners_share_q1_2021(claim: Claim, ctx: WindowContext) -> Finding:
    evidence = ["nvidia_claim_sources", "nvidia_quarterly"]
    if gap := _quarter_gap(ctx, 2022, 1):
        return unverifiable(claim, claim.unit, gap, evidence)
    ref = claim_source(ctx.load("nvidia_claim_sources"), claim.id)
    match = re.match(r"(?P<value>[\d.]+) \((?P<publisher>.+?) estimate: (?P<detail>[^)]+)\)", ref["source_value"])
    if match is None:
        return unverifiable(claim, claim.unit, "No sourced estimate of miners' share is in the data.", evidence, "kinds")
    value, publisher = float(match["value"]), match["publisher"]
    q = ctx.load("nvidia_quarterly")
    q1 = quarter(q, 2022, 1)
    parts = [
        method.quantity("miners' share of cards shipped", claim.article_value, value, claim.tol, claim.qualifier, "{:g}", "%"),
        Part(
            "source", "NVIDIA's results", publisher, Verdict.ACCURATE if publisher.startswith("NVIDIA") else Verdict.MISATTRIBUTED
        ),
    ]
    why = (
        f"The {value:g}% is {publisher}'s estimate ({match['detail']}), not a figure "
        f"from NVIDIA's results. For its nearest quarter ({day(quarter_start(q, 2022, 1))} to {day(q1['period_end'])}) "
        f"NVIDIA disclosed only CMP mining-card revenue, ${q1['cmp']:,}M or {q1['cmp'] / q1['revenue']:.1%} of its "
        f"${q1['revenue']:,}M."
    )
    finding = decide(claim, value, f"% of graphics-card shipments ({publisher} estimate)", parts, why, evidence)
    finding.rule = "compound: the worst part decides (a right figure from another source is misattributed)"
    return finding


def cmp_q1_fy2022(claim: Claim, ctx: WindowContext) -> Finding:
    unit = "USD million (CMP revenue, Q1 FY2022)"
    if gap := _quarter_gap(ctx, 2022, 1):
        return unverifiable(claim, unit, gap, ["nvidia_quarterly"])
    q = ctx.load("nvidia_quarterly")
    q1 = quarter(q, 2022, 1)
    begins = quarter_start(q, 2022, 1)
    part = method.quantity("CMP revenue", claim.article_value, q1["cmp"], claim.tol, claim.qualifier, "${:,.0f}", "M")
    why = (
        f"NVIDIA reported ${q1['cmp']:,}M of CMP revenue in fiscal Q1 FY2022, the quarter from {day(begins)} to "
        f"{day(q1['period_end'])} (not calendar Q1 2021); it sits inside OEM & Other (${q1['oem_other']:,}M) "
        f"of ${q1['revenue']:,}M revenue."
    )
    return decide(claim, int(q1["cmp"]), unit, [part], why, ["nvidia_quarterly"])


def revenue_fy2022(claim: Claim, ctx: WindowContext) -> Finding:
    evidence = ["nvidia_annual", "nvidia_quarterly", "nvidia_claim_sources"]
    unit = "USD billion (fiscal 2022 revenue)"
    annual = ctx.load("nvidia_annual").set_index("fiscal_year")
    fy22, fy21 = annual.loc[2022], annual.loc[2021]
    if gap := window_gap(ctx, fy21["fiscal_year_end"] + pd.Timedelta(days=1), fy22["fiscal_year_end"], "fiscal 2022"):
        return unverifiable(claim, unit, gap, evidence)
    growth = 100 * (fy22["revenue"] / fy21["revenue"] - 1)
    q = ctx.load("nvidia_quarterly")
    cmp_total = int(q[q["fiscal_year"] == 2022]["cmp"].sum())
    parts = [
        method.quantity("revenue", claim.article_value, fy22["revenue"] / 1000, claim.tol, claim.qualifier, "${:,.3f}", "bn"),
        method.quantity(
            "growth on a year earlier",
            claim_source(ctx.load("nvidia_claim_sources"), "C15b")["article_value"],
            growth,
            claim.tol,
            "",
            "{:.1f}",
            "%",
        ),
    ]
    why = (
        f'NVIDIA\'s "2021" is fiscal 2022 (to {day(fy22["fiscal_year_end"])}): revenue ${fy22["revenue"]:,}M against '
        f"${fy21['revenue']:,}M a year earlier, up {growth:.1f}%. Crypto's part is smaller than the article implies: "
        f"CMP cards brought ${cmp_total:,}M ({cmp_total / fy22['revenue']:.1%}), Gaming ${fy22['gaming']:,}M and "
        f"Data Center ${fy22['data_center']:,}M."
    )
    return decide(claim, round(fy22["revenue"] / 1000, 3), unit, parts, why, evidence)


def q3_fy2023_slump(claim: Claim, ctx: WindowContext) -> Finding:
    fy, fq = SLUMP_QUARTER
    unit = f"USD billion (revenue, Q3 FY{fy})"
    evidence = ["nvidia_quarterly", "nvidia_claim_sources"]
    if gap := _quarter_gap(ctx, fy, fq):
        return unverifiable(claim, unit, gap, evidence)
    q = ctx.load("nvidia_quarterly")
    now, before = quarter(q, fy, fq), quarter(q, fy - 1, fq)
    said_income = claim_source(ctx.load("nvidia_claim_sources"), "C22c")["article_value"]
    said_revenue_change, said_income_change = (
        claim_source(ctx.load("nvidia_claim_sources"), "C22b")["article_value"],
        claim_source(ctx.load("nvidia_claim_sources"), "C22d")["article_value"],
    )
    revenue_change = 100 * (now["revenue"] / before["revenue"] - 1)
    income_change = 100 * (now["net_income"] / before["net_income"] - 1)
    claimed_revenue = claim.article_value * 1000
    parts = [
        method.quantity("revenue", claimed_revenue, now["revenue"], claim.tol, "", "${:,.0f}", "M"),
        method.quantity("net income", said_income, now["net_income"], claim.tol, "", "${:,.0f}", "M"),
        method.quantity("revenue change", said_revenue_change, revenue_change, claim.tol, "", "{:.1f}", "%"),
        method.quantity("net income change", said_income_change, income_change, claim.tol, "", "{:.1f}", "%"),
    ]
    scales = {
        10 ** round(math.log10(said / actual))
        for said, actual in ((claimed_revenue, now["revenue"]), (said_income, now["net_income"]))
    }
    size = f"{scales.pop()}x too large, a decimal place slipped" if len(scales) == 1 and max(scales) > 1 else "wrong"
    why = (
        f"In fiscal Q3 FY{fy} (to {day(now['period_end'])}) revenue was ${now['revenue']:,}M, i.e. "
        f"${now['revenue'] / 1000:.2f}bn, "
        f"not ${claim.article_value}bn, and net income ${now['net_income']:,}M, not ${said_income / 1000:.1f}bn: both "
        "figures are "
        f"{size}. The falls are right: revenue {revenue_change:.1f}% (from ${before['revenue']:,}M) and net income "
        f"{income_change:.1f}% (from ${before['net_income']:,}M), which round to the article's "
        f"{said_revenue_change:.0f}% and {said_income_change:.0f}%."
    )
    return decide(claim, round(now["revenue"] / 1000, 3), unit, parts, why, evidence)


def _date_part(claim: Claim, row: pd.Series) -> Part:
    """The event's date as the article gives it (to its precision) against the events record."""
    said = str(claim.article_value)
    agrees = row["date"].startswith(said) or said.startswith(row["date"])
    return Part("date", said, row["date"], Verdict.ACCURATE if agrees else Verdict.WRONG)


def _event_gap(ctx: WindowContext, row: pd.Series, what: str) -> str | None:
    when = pd.Timestamp(row["date"][:10] if len(row["date"]) >= 10 else row["date"][:7] + "-01")
    if when > pd.Timestamp(ctx.end):
        return method.not_yet(what, row["date"], ctx.end)
    return window_gap(ctx, when, when, what)


def hash_rate_limiter(claim: Claim, ctx: WindowContext) -> Finding:
    events = ctx.load("events")
    limiter, lhr, bypass = event(events, "limiter"), event(events, "lhr"), event(events, "bypass")
    if gap := _event_gap(ctx, limiter, "The RTX 3060 limiter"):
        return unverifiable(claim, "% hash-rate limit", gap, ["events"])
    found = re.search(r"by about (\d+)%", limiter["event_en"])
    assert found is not None, "the limiter event states its cut as 'by about N%'"
    percent = int(found.group(1))
    parts = [
        method.quantity("hash-rate cut", claim.article_value, percent, claim.tol, claim.qualifier, "{:.0f}", "%"),
        Part(
            "first card limited",
            "RTX 3060",
            f"RTX 3060 on {limiter['date']}, more cards on {lhr['date']}",
            Verdict.ACCURATE if "RTX 3060" in limiter["event_en"] and limiter["date"] < lhr["date"] else Verdict.WRONG,
        ),
        Part("bypass with a dummy HDMI plug", "yes", f"reported, dated {bypass['date']}", Verdict.ACCURATE),
    ]
    why = (
        f"On {limiter['date']} NVIDIA said the RTX 3060's driver would cut its Ethereum hash rate by about {percent:.0f}%; "
        f'on {lhr["date"]} it extended the limit ("LHR") to newly made RTX 3080, 3070 and 3060 Ti cards. The dummy-HDMI '
        f"bypass is reported, dated only to {bypass['date']}"
        + (", and that month is unverified." if "UNVERIFIED" in bypass["date_precision"] else ".")
    )
    return decide(claim, percent, "% hash-rate limit", parts, why, ["events"])


def cmp_cards(claim: Claim, ctx: WindowContext) -> Finding:
    evidence = ["events", "nvidia_quarterly"]
    launch = event(ctx.load("events"), "cmp")
    q = ctx.load("nvidia_quarterly").dropna(subset=["cmp"]).sort_values("period_end")
    peak, last = q.loc[q["cmp"].idxmax()], q.iloc[-1]
    unit = f"USD million (CMP revenue, last reported quarter, Q{last['fiscal_quarter']} FY{last['fiscal_year']})"
    if gap := window_gap(ctx, launch["date"], last["period_end"], "the CMP launch and its last reported quarter"):
        return unverifiable(claim, unit, gap, evidence)
    parts = [
        Part("CMP cards launched", "without display outputs", f"announced {launch['date']}", Verdict.ACCURATE),
        Part(
            "CMP revenue faded",
            "yes",
            f"${peak['cmp']:,}M at best, ${last['cmp']:,}M last",
            Verdict.ACCURATE if last["cmp"] < peak["cmp"] else Verdict.WRONG,
        ),
        Part("because GeForce cards kept their resale value", "yes", "a causal reading revenue cannot test", Verdict.OPINION),
    ]
    series = ", ".join(f"${v:,}M" for v in q["cmp"])
    why = (
        f"NVIDIA announced CMP cards with no display outputs on {launch['date']}. Their revenue by quarter was {series} "
        f"(Q1 to Q4 FY{int(last['fiscal_year'])}), and no later quarter reports it."
    )
    return decide(claim, int(last["cmp"]), unit, parts, why, evidence)


def china_crackdown(claim: Claim, ctx: WindowContext) -> Finding:
    row = event(ctx.load("events"), "crackdown")
    evidence = ["events", "btc_daily"]
    if gap := _event_gap(ctx, row, "The State Council's call"):
        return unverifiable(claim, "date (events record)", gap, evidence)
    parts = [
        _date_part(claim, row),
        Part("mines in Xinjiang, Qinghai and Sichuan closed", "yes", "not in the data", Verdict.UNVERIFIABLE),
    ]
    why = (
        f"The events record dates it {row['date']}: {row['event_en']}. The closure of mines in named provinces is not in our data"
    )
    if window_gap(ctx, *COLLAPSE, "") is None:
        c = hash_rate_collapse(ctx.load("btc_daily"))
        why += f"; bitcoin's hash rate fell {-c['hash_rate_change']:.0%} in the weeks after (C18)"
    why += f". What would decide it: {claim.would_decide}."
    return decide(claim, row["date"], "date (events record)", parts, why, evidence)


def china_ban(claim: Claim, ctx: WindowContext) -> Finding:
    row = event(ctx.load("events"), "ban")
    if gap := _event_gap(ctx, row, "The ban"):
        return unverifiable(claim, "date (events record)", gap, ["events"])
    parts = [
        _date_part(claim, row),
        Part(
            "crypto business declared illegal",
            "all crypto transactions",
            row["event_en"],
            Verdict.ACCURATE if "illegal" in row["event_en"] else Verdict.WRONG,
        ),
        Part("mining ordered cleaned up nationwide", "yes", "not in the record", Verdict.UNVERIFIABLE),
    ]
    why = (
        f"The events record dates it {row['date']}: {row['event_en']}. Caveat in the record: {row['notes']}. "
        f"The record does not mention mining; what would decide it: {claim.would_decide}."
    )
    return decide(claim, row["date"], "date (events record)", parts, why, ["events"])


def the_merge(claim: Claim, ctx: WindowContext) -> Finding:
    row = event(ctx.load("events"), "merge")
    evidence = ["events", "eth_daily"]
    if gap := _event_gap(ctx, row, "The Merge"):
        return unverifiable(claim, "date (events record)", gap, evidence)
    eth = ctx.load("eth_daily").dropna(subset=["hash_rate_ths"])
    last = eth.iloc[-1]
    parts = [
        _date_part(claim, row),
        Part(
            "GPU mining of ether ended",
            "yes",
            f"proof-of-work hash rate ends {day(last['date'])}",
            Verdict.ACCURATE if day(last["date"]) == row["date"][:10] else Verdict.WRONG,
        ),
    ]
    why = (
        f"The events record dates it {row['date']}: {row['event_en']}. Ether's proof-of-work hash rate in the data "
        f"ends on {day(last['date'])} (a partial day)."
    )
    return decide(claim, row["date"], "date (events record)", parts, why, evidence)
