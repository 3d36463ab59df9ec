"""Checks for chapter 3, "Drawing the line" (claims C24-C29), and the tables its charts draw.

The tables are built here, beside the checks, so that the page and the verdicts use the same
figures: NVIDIA's quarters, the SEC settlement, CMP revenue, RTX 30 resale prices, bitcoin's hash
rate and the miners' AI deals.
"""

from __future__ import annotations

import re

import pandas as pd

from goldrush import transforms as tf
from goldrush import method
from goldrush.checks import Claim, Finding, WindowContext, decide, unverifiable
from goldrush.method import Part, Verdict, day, plural
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


# ------------------------------------------------------------------ dated events and claim sources


def parse_reported_date(text: str) -> tuple[pd.Timestamp, str]:
    """The first day of a reported date ("2024-06-03", "2024-06", "2024 (early ...)") and its precision."""
    found = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text)
    if not found:
        raise ValueError(f"no date in {text!r}")
    year, month, day = found.groups()
    precision = "day" if day else "month" if month else "year"
    return pd.Timestamp(int(year), int(month or 1), int(day or 1)), precision


def event(ctx: WindowContext, category: str, keyword: str) -> pd.Series:
    """The one row of ``events`` in ``category`` whose text names ``keyword``, with its date parsed.

    Adds ``when`` (first day of the reported date) and ``approximate`` (the date is not day-exact).
    """
    events = ctx.load("events")
    rows = events[(events["category"] == category) & events["event_en"].str.contains(keyword, regex=False)]
    if len(rows) != 1:
        raise LookupError(f"expected one {category} event naming {keyword!r}, found {len(rows)}")
    row = rows.iloc[0].astype(object)
    row["when"], _ = parse_reported_date(row["date"])
    row["approximate"] = row["date_precision"] != "day"
    return row


def merge_day(ctx: WindowContext) -> pd.Timestamp:
    """The day of Ethereum's Merge, from ``events``."""
    return event(ctx, "ethereum", "Merge")["when"]


def claim_source(ctx: WindowContext, claim_id: str) -> pd.Series:
    """A row of ``nvidia_claim_sources`` (the figures NVIDIA's filings give for a claim)."""
    table = ctx.load("nvidia_claim_sources").set_index("claim_id")
    return table.loc[claim_id]


def sec_quarters_named(ctx: WindowContext) -> tuple[int, list[int]]:
    """The fiscal year and quarters the SEC settlement concerned, as NVIDIA's 10-Q names them (C24b)."""
    text = claim_source(ctx, "C24b")["source_value"]
    year = re.search(r"fiscal (\d{4})", text)
    quarters = [int(q) for q in re.findall(r"\bQ(\d)\b", text)]
    if not year or not quarters:
        raise LookupError(f"no fiscal quarters in {text!r}")
    return int(year.group(1)), quarters


# ------------------------------------------------------------------ NVIDIA's quarters


def quarters(ctx: WindowContext) -> pd.DataFrame:
    """NVIDIA's quarters with a label ("Q2 FY18"), the quarter's first day and gaming growth on a year earlier."""
    q = ctx.load("nvidia_quarterly").sort_values("period_end").reset_index(drop=True)
    typical = q["period_end"].diff().median()
    q["period_start"] = (q["period_end"].shift() + pd.Timedelta(days=1)).fillna(q["period_end"] - typical + pd.Timedelta(days=1))
    q["label"] = [f"Q{fq} FY{fy % 100:02d}" for fy, fq in zip(q["fiscal_year"], q["fiscal_quarter"])]
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


def describe_sec_quarters(window: pd.DataFrame) -> pd.DataFrame:
    """The quarters the SEC examined: gaming revenue, a year earlier and growth (strings, for a stable print)."""
    rows = window[window["sec"]]
    return pd.DataFrame(
        {
            "quarter": rows["label"],
            "ended": rows["period_end"].dt.strftime("%Y-%m-%d"),
            "gaming (USD m)": rows["gaming"].map("{:,}".format),
            "a year earlier (USD m)": rows["gaming_year_ago"].map("{:,}".format),
            "growth": rows["gaming_yoy"].map("{:+.1%}".format),
        }
    ).set_index("quarter")


def cmp_quarters(ctx: WindowContext) -> pd.DataFrame:
    """Quarters of the fiscal years with CMP revenue and of the year after, with CMP's share of revenue."""
    q = quarters(ctx)
    years = q.loc[q["cmp"].notna(), "fiscal_year"].unique()
    window = q[q["fiscal_year"].between(years.min(), years.max() + 1)].copy()
    window["cmp_share"] = window["cmp"] / window["revenue"]
    return window[["label", "fiscal_year", "period_end", "cmp", "revenue", "cmp_share"]].reset_index(drop=True)


def describe_cmp(window: pd.DataFrame) -> pd.DataFrame:
    """CMP revenue by quarter, as printed strings ("not reported" where NVIDIA gave no figure)."""
    return pd.DataFrame(
        {
            "quarter": window["label"],
            "CMP (USD m)": window["cmp"].map(lambda v: "not reported" if pd.isna(v) else f"{v:,}"),
            "revenue (USD m)": window["revenue"].map("{:,}".format),
            "CMP share": window["cmp_share"].map(lambda v: "" if pd.isna(v) else f"{v:.1%}"),
        }
    ).set_index("quarter")


def gaming_window(ctx: WindowContext) -> pd.DataFrame:
    """Quarters that ended between ``start`` and ``end``, marked before or after the Merge."""
    merge = merge_day(ctx)
    q = tf.between(quarters(ctx), ctx.start, ctx.end, column="period_end").copy()
    if q.empty:
        raise GoldrushError(f"no NVIDIA fiscal quarter ended between {ctx.start} and {ctx.end}; widen the window")
    q["era"] = ["after the Merge" if start > merge else "before the Merge" for start in q["period_start"]]
    q.loc[(q["period_start"] <= merge) & (q["period_end"] >= merge), "era"] = "quarter of the Merge"
    return q.reset_index(drop=True)


def gaming_summary(ctx: WindowContext) -> pd.DataFrame:
    """Gaming revenue at the boom's peak, after the Merge's trough and at the last quarter (strings)."""
    q = gaming_window(ctx)
    rows = {}
    before = q[q["era"] == "before the Merge"]
    if not before.empty:
        rows["highest before the Merge"] = before.loc[before["gaming"].idxmax()]
    after = q[q["era"] != "before the Merge"]
    if not after.empty:
        rows["lowest from the Merge on"] = after.loc[after["gaming"].idxmin()]
        rows["last quarter"] = after.iloc[-1]
    table = pd.DataFrame(rows).T
    return pd.DataFrame(
        {
            "quarter": table["label"],
            "ended": pd.to_datetime(table["period_end"]).dt.strftime("%Y-%m-%d"),
            "gaming (USD m)": table["gaming"].map("{:,}".format),
            "growth": table["gaming_yoy"].map("{:+.1%}".format),
        }
    )


# ------------------------------------------------------------------ graphics-card prices


def ebay_vs_msrp(ctx: WindowContext) -> pd.DataFrame:
    """Monthly eBay average sold prices of RTX 30 cards against their US launch prices, from start to end."""
    prices = ctx.load("gpu_prices")
    msrp = prices[(prices["price_type"] == "msrp") & (prices["market"] == "US")].set_index("model")["price"]
    ebay = prices[prices["price_type"] == "ebay_avg"]
    table = pd.DataFrame(
        {
            "model": ebay["model"].str.removeprefix("GeForce "),
            "month": pd.to_datetime(ebay["date"], format="%Y-%m"),
            "ebay_usd": ebay["price"],
            "msrp_usd": ebay["model"].map(msrp),
        }
    )
    table["ratio"] = table["ebay_usd"] / table["msrp_usd"]
    inside = table["month"].between(_month(ctx.start), _month(ctx.end))
    return table[inside].sort_values(["month", "model"]).reset_index(drop=True)


# ------------------------------------------------------------------ bitcoin's hash rate


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


def hash_rate_summary(ctx: WindowContext) -> pd.DataFrame:
    """Bitcoin's hash rate at start and end, and over the 30 days after the Merge (strings)."""
    rates = btc_hash_rate(ctx)
    first, last = rates.iloc[0], rates.iloc[-1]
    rows = [("first sample", first["date"], first["hash_rate_ehs"]), ("last sample", last["date"], last["hash_rate_ehs"])]
    merge = merge_day(ctx)
    if merge + pd.Timedelta(days=HASH_WINDOW_DAYS) <= last["date"] and merge >= first["date"]:
        at = tf.last_on_or_before(rates, merge)
        after = tf.last_on_or_before(rates, merge + pd.Timedelta(days=HASH_WINDOW_DAYS))
        rows[1:1] = [
            ("at the Merge", at["date"], at["hash_rate_ehs"]),
            (f"{HASH_WINDOW_DAYS} days later", after["date"], after["hash_rate_ehs"]),
        ]
    return pd.DataFrame(
        {"sample": [r[0] for r in rows], "date": [day(r[1]) for r in rows], "EH/s": [f"{r[2]:,.1f}" for r in rows]}
    ).set_index("sample")


def eth_pow_end(ctx: WindowContext) -> pd.DataFrame:
    """Ether's last day with a proof-of-work hash rate, and the full day before it (TH/s)."""
    eth = ctx.load("eth_daily").dropna(subset=["hash_rate_ths"])
    return eth.iloc[-2:][["date", "hash_rate_ths"]].reset_index(drop=True)


# ------------------------------------------------------------------ miners' AI deals


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


def describe_deals(deals: pd.DataFrame) -> pd.DataFrame:
    """The deals as a display table: date as reported (flagged where unverified), value and what it counts."""
    return pd.DataFrame(
        {
            "date": short_dates(deals),
            "company": deals["company"],
            "counterparty": without_remark(deals["counterparty"]),
            "USD bn": deals["value_bn"].map("{:.2f}".format),
            "value is": deals["flag"],
        }
    ).set_index("date")


# ------------------------------------------------------------------ checks


def sec_settlement(claim: Claim, ctx: WindowContext) -> Finding:
    """C24: the $5.5M penalty, its month, and the two fiscal-2018 quarters it concerned."""
    evidence = ["nvidia_claim_sources", "events", "nvidia_quarterly"]
    unit = "USD million (civil penalty)"
    settled = event(ctx, "regulation", "SEC")
    if settled["when"] > _end(ctx):
        return unverifiable(claim, unit, method.not_yet("The SEC settlement", settled["date"], ctx.end), evidence)
    penalty = float(claim_source(ctx, "C24a")["source_value"])
    year, named = sec_quarters_named(ctx)
    window = sec_window(ctx)
    examined = window[window["sec"]]
    consecutive = named == list(range(named[0], named[0] + len(named)))
    said_month, said_quarters = claim.stated("month")[0], claim.stated("quarters")[0]
    parts = [
        method.quantity("civil penalty", claim.article_value, penalty, claim.tol, claim.qualifier, "${:g}", "M"),
        Part("month settled", said_month, settled["when"].strftime("%Y-%m"),
             Verdict.ACCURATE if settled["when"].strftime("%Y-%m") == said_month else Verdict.WRONG),
        Part(f"quarters of fiscal {year} concerned", f"{said_quarters} consecutive",
             f"{len(named)}{' consecutive' if consecutive else ''}",
             Verdict.ACCURATE if consecutive and len(named) == said_quarters else Verdict.WRONG),
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
        return unverifiable(claim, unit, f"No eBay price of an RTX 30 card between the Merge ({day(merge)}) and {ctx.end} "
                            f"in the data (the series ends in {last_month:%B %Y}).", evidence)
    top = after.loc[after["ratio"].idxmax()]
    parts = [Part("resale prices from the Merge on", "back to normal (at or under list price)", f"highest {top['ratio']:.2f}x list",
                  Verdict.ACCURATE if top["ratio"] <= 1 else Verdict.WRONG)]
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
        revenue = f" Gaming revenue bottomed in {trough['label']} (${trough['gaming']:,}M) and reached ${last['gaming']:,}M in {last['label']}."
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
        return unverifiable(claim, "month reported", method.not_yet("The only report of the rule in the data", row["date"], ctx.end), evidence)
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
        parts = [Part("miners no longer compete for GPUs", "yes", f"ether GPU-mined at {eth['hash_rate_ths']:,.0f} TH/s on {ctx.end}",
                      Verdict.WRONG), asics]
        why = f"On {ctx.end} ether was still mined with GPUs ({eth['hash_rate_ths']:,.0f} TH/s), so miners still wanted graphics cards. {growth}."
        return decide(claim, value, unit, parts, why, evidence)
    merge = merge_day(ctx)
    changes = changes_over(rates, HASH_WINDOW_DAYS)
    context = ""
    if not changes.empty and changes["date"].min() <= merge <= changes["date"].max():
        at_merge = tf.last_on_or_before(changes, merge)
        larger = (changes["change"] > at_merge["change"]).mean()
        context = (f" In the {HASH_WINDOW_DAYS} days after the Merge it changed {at_merge['change']:+.0%}; "
                   f"{larger:.0%} of all {HASH_WINDOW_DAYS}-day changes in the period were larger.")
    parts = [Part("miners no longer compete for GPUs", "yes", f"ether's GPU mining stops on {day(final['date'])}", Verdict.ACCURATE), asics]
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
        why = (method.not_yet("The first miner's AI deal in the data", day(first), ctx.end) if first > _end(ctx)
               else f"No miner's AI or HPC deal is dated between {ctx.start} and {ctx.end} in the data.")
        return unverifiable(claim, unit, why, ["miners_ai_pivot"])
    hosting = deals[deals["power_and_sites"]]
    nvidia = deals[deals["nvidia_hardware"]]
    named = without_remark(hosting["counterparty"])
    customers = list(named[~named.str.startswith(("undisclosed", "("))].value_counts().index[:2])
    parts = [
        Part("miners turning to AI computing", "yes", plural(len(deals), "deal"), Verdict.ACCURATE),
        Part("using their power and sites", "yes", f"{len(hosting)} sized in MW or GW",
             Verdict.ACCURATE if len(hosting) else Verdict.UNVERIFIABLE),
        Part("becoming NVIDIA customers", "yes", f"{plural(len(nvidia), 'deal')} naming NVIDIA hardware",
             Verdict.ACCURATE if len(nvidia) else Verdict.UNVERIFIABLE),
    ]
    why = (
        f"{plural(len(deals), 'deal')} by {plural(deals['company'].nunique(), 'crypto miner')}; {len(hosting)} of them "
        f"sized in power capacity at the miners' sites (MW or GW)"
        + (f", with AI customers such as {' and '.join(customers)}. " if customers else ". ")
    )
    if nvidia.empty:
        why += f"None names NVIDIA hardware; what would decide it: {claim.would_decide}."
    else:
        why += f"{plural(len(nvidia), 'deal names', 'deals name')} NVIDIA hardware ({', '.join(dict.fromkeys(nvidia['company']))})."
    return decide(claim, len(deals), unit, parts, why, ["miners_ai_pivot"])
