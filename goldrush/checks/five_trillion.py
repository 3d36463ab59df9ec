"""Checks for chapter 1, "Five trillion" (claims C01-C05)."""

from __future__ import annotations

import pandas as pd

from goldrush import method
from goldrush import transforms as tf
from goldrush.analysis.five_trillion import SHARE_ROUNDING, peer_market_caps, share_band
from goldrush.checks import Claim, Finding, decide, unverifiable
from goldrush.context import AsOfContext
from goldrush.method import MAX_AGE, Band, Part, Verdict, day, grade, plural
from goldrush.transforms import TRILLION

LATE_OCTOBER_2025 = ("2025-10-20", "2025-10-31")
RECORD_WINDOW_DAYS = 30  # "new highs": a record close within this many days of as_of
CAP = ["nvda_daily", "nvda_shares_outstanding"]
LAST_COUNT = method.MaxAge(method.LAST_COUNT_DAYS, f"one quarter plus the {method.FILING_LAG_DAYS}-day filing lag")


def cap_gap(ctx: AsOfContext) -> str | None:
    """Why NVIDIA's market value cannot be known on ``as_of`` (stale share count or prices), else None."""
    caps = ctx.nvda_market_cap
    prices = tf.up_to(ctx.load("nvda_daily"), ctx.as_of)
    if prices.empty or (late := method.stale("NVIDIA close", prices["date"].max(), ctx.as_of, MAX_AGE["nvda_daily"])):
        return late or f"NVIDIA's prices begin after {ctx.as_of}."
    if caps.empty or caps["date"].max() < prices["date"].max():
        shares = tf.up_to(ctx.load("nvda_shares_outstanding"), ctx.as_of, "as_of_date")
        if shares.empty:
            return f"The snapshot holds no NVIDIA share count dated on or before {ctx.as_of}."
        return method.stale("NVIDIA share count", shares["as_of_date"].max(), ctx.as_of, LAST_COUNT)
    return None


def first_five_trillion_close(claim: Claim, ctx: AsOfContext) -> Finding:
    caps = ctx.nvda_market_cap
    evidence = CAP + ["aapl_daily", "msft_daily", "aapl_msft_weighted_shares"]
    unit = "USD trillion (first close at or above $5T)"
    if gap := cap_gap(ctx):
        return unverifiable(claim, unit, gap, evidence, "staleness")
    threshold = claim.article_value * TRILLION
    crossing = tf.first_crossings(caps, [threshold])
    if crossing.empty:
        if pd.Timestamp(ctx.as_of) < pd.Timestamp(LATE_OCTOBER_2025[1]):
            peak = caps.loc[caps["market_cap"].idxmax()] if len(caps) else None
            so_far = (
                f" Its highest close so far was ${peak['market_cap'] / TRILLION:.2f}T on {day(peak['date'])}."
                if peak is not None
                else ""
            )
            return unverifiable(
                claim,
                "USD trillion (highest close-based market cap so far)",
                method.not_yet("The close in late October 2025", "late October 2025", ctx.as_of) + so_far,
                evidence,
                "time: an event after the chosen date",
                None if peak is None else round(peak["market_cap"] / TRILLION, 3),
            )
        when = Part("first close at or above $5T", "late October 2025", f"none by {ctx.as_of}", Verdict.WRONG)
        return decide(claim, None, unit, [when], f"NVIDIA had not closed at $5T or more by {ctx.as_of}.", evidence)
    first = crossing.iloc[0]
    peers = peer_market_caps(ctx)
    peers_before = peers[peers["date"] <= first["date"]]
    peer_max = peers_before.loc[peers_before["market_cap"].idxmax()]

    def in_window(when: pd.Timestamp) -> Verdict:
        return Verdict.ACCURATE if LATE_OCTOBER_2025[0] <= day(when) <= LATE_OCTOBER_2025[1] else Verdict.WRONG

    parts = [
        Part("first close at or above $5T", "late October 2025", day(first["date"]), in_window(first["date"])),
        Part(
            "the first company ever",
            "no company before",
            f"largest other: {peer_max['ticker']} ${peer_max['market_cap'] / TRILLION:.2f}T",
            Verdict.ACCURATE if peer_max["market_cap"] < threshold else Verdict.WRONG,
        ),
    ]
    low, high = share_band(caps)
    ends = []
    for series in (low, high):
        above = caps[series >= threshold]
        ends.append(method.worst(in_window(above["date"].iloc[0]) if len(above) else Verdict.WRONG, parts[1].verdict))
    low_share, high_share = share_band(caps[caps["date"] == first["date"]])
    band = Band(
        float(low_share.iloc[0]) / TRILLION,
        float(high_share.iloc[0]) / TRILLION,
        "USD trillion",
        SHARE_ROUNDING,
        (ends[0], ends[1]),
    )
    why = (
        f"NVIDIA's first close at or above $5T was on {day(first['date'])}: ${first['close']:.2f} x "
        f"{first['shares_outstanding'] / 1e9:.1f}bn shares = ${first['market_cap'] / TRILLION:.3f}T. "
        f"Neither Apple nor Microsoft had closed near it (largest: {peer_max['ticker']} "
        f"${peer_max['market_cap'] / TRILLION:.2f}T on {day(peer_max['date'])})."
    )
    return decide(claim, round(first["market_cap"] / TRILLION, 3), unit, parts, why, evidence, band)


def multiple_since_chatgpt(claim: Claim, ctx: AsOfContext) -> Finding:
    prices = ctx.load("nvda_daily")
    unit = "times (share price)"
    end = tf.last_on_or_before(prices[["date", "close"]], ctx.as_of)
    if late := method.stale("NVIDIA close", end["date"], ctx.as_of, MAX_AGE["nvda_daily"]):
        return unverifiable(claim, unit, late, ["nvda_daily"], "staleness")
    base = tf.first_on_or_after(prices, ctx.since)
    multiple = end["close"] / base["close"]
    part = method.quantity(
        "price multiple since ChatGPT", claim.article_value, multiple, claim.tol, claim.qualifier, "{:.2f}", "x"
    )
    why = (
        f"Close {day(end['date'])} ${end['close']:.2f} / close {day(base['date'])} ${base['close']:.2f} = "
        f"{multiple:.1f}x (split-adjusted)."
    )
    year_end = prices[prices["date"] <= pd.Timestamp(ctx.since).replace(month=12, day=31)].iloc[-1]
    if year_end["date"] < end["date"]:
        why += (
            f" From the last close of {year_end['date'].year} (${year_end['close']:.2f}) "
            f"it is {end['close'] / year_end['close']:.1f}x."
        )
    return decide(claim, round(multiple, 2), unit, [part], why, ["nvda_daily"])


def sp500_record(claim: Claim, ctx: AsOfContext) -> Finding:
    index = ctx.load("sp500_daily")
    upto = tf.up_to(index, ctx.as_of).reset_index(drop=True)
    unit = "index points (latest record close)"
    if upto.empty or method.stale("S&P 500 close", upto["date"].iloc[-1], ctx.as_of, MAX_AGE["sp500_daily"]):
        last = index["date"].max() if upto.empty else upto["date"].iloc[-1]
        return unverifiable(claim, unit, method.not_covered("S&P 500", last, ctx.as_of), ["sp500_daily"])
    records = upto[upto["close"] >= upto["close"].cummax()]
    last_record = records.iloc[-1]
    recent = records[records["date"] >= pd.Timestamp(ctx.as_of) - pd.Timedelta(days=RECORD_WINDOW_DAYS)]
    parts = [
        Part(
            f"a record close in the {RECORD_WINDOW_DAYS} days to {ctx.as_of}",
            "new highs",
            plural(len(recent), "record close"),
            Verdict.ACCURATE if len(recent) else Verdict.WRONG,
        ),
        Part("caused by the AI trade", "yes", "a causal reading prices cannot test", Verdict.OPINION),
    ]
    why = (
        f"The S&P 500 set {plural(len(recent), 'record close')} in the {RECORD_WINDOW_DAYS} days to {ctx.as_of}; "
        f"the latest record was {last_record['close']:,.2f} on {day(last_record['date'])}."
    )
    return decide(claim, float(last_record["close"]), unit, parts, why, ["sp500_daily"])


def bigger_than_crypto(claim: Claim, ctx: AsOfContext) -> Finding:
    evidence = CAP + ["total_crypto_market_cap"]
    unit = "times the total crypto market cap"
    if gap := cap_gap(ctx):
        return unverifiable(claim, unit, gap, evidence, "staleness")
    totals = ctx.load("total_crypto_market_cap")
    earlier = tf.up_to(totals, ctx.as_of)
    if earlier.empty:
        return unverifiable(claim, unit, f"The crypto totals begin on {day(totals['date'].min())}, after {ctx.as_of}.", evidence)
    total = earlier.iloc[-1]
    if old := method.stale("total crypto market cap", total["date"], ctx.as_of, MAX_AGE["total_crypto_market_cap"]):
        return unverifiable(claim, unit, old, evidence, "staleness")
    caps = ctx.nvda_market_cap
    nvda = caps.iloc[-1]
    ratio = nvda["market_cap"] / total["total_market_cap_usd"]
    part = method.quantity("NVIDIA / whole crypto market", 1, ratio, claim.tol, claim.qualifier, "{:.2f}", "x")
    low, high = (s.iloc[-1] / total["total_market_cap_usd"] for s in share_band(caps.iloc[-1:]))
    band = Band(
        low, high, "x", SHARE_ROUNDING, (grade(1, low, claim.tol, claim.qualifier), grade(1, high, claim.tol, claim.qualifier))
    )
    why = (
        f"NVIDIA ${nvda['market_cap'] / TRILLION:.2f}T ({day(nvda['date'])} close) vs the whole crypto market "
        f"${total['total_market_cap_usd'] / TRILLION:.2f}T ({total['provider']}, {day(total['date'])}): {ratio:.2f}x."
    )
    return decide(claim, round(ratio, 2), unit, [part], why, evidence, band)


def gdp_rank(claim: Claim, ctx: AsOfContext) -> Finding:
    evidence = ["gdp_by_country"] + CAP
    unit = "rank among economies (IMF 2025 projection)"
    if gap := cap_gap(ctx):
        return unverifiable(claim, unit, gap, evidence, "staleness")
    gdp = ctx.load("gdp_by_country")
    caps = ctx.nvda_market_cap
    nvda = caps.iloc[-1]
    low, high = (float(s.iloc[-1]) for s in share_band(caps.iloc[-1:]))
    vintage = tf.latest_vintage(gdp)
    leagues = {
        year: ctx.derived(f"gdp_league {year} {vintage}", lambda year=year: tf.gdp_league(gdp, year, vintage))  # type: ignore[misc]
        for year in (2024, 2025)
    }
    parts, ends = [], []
    for year, league in leagues.items():
        rank = tf.rank_against(league, nvda["market_cap"])
        parts.append(
            method.quantity(f"rank against {vintage} GDPs for {year}", claim.article_value, rank, 0.0, claim.qualifier, "{:d}")
        )
        ends.append(tuple(grade(claim.article_value, tf.rank_against(league, v), 0.0) for v in (low, high)))
    third = leagues[2025].iloc[int(claim.article_value) - 1]
    margin = nvda["market_cap"] / third["gdp_usd"] - 1
    band = Band(
        low / TRILLION,
        high / TRILLION,
        "USD trillion",
        SHARE_ROUNDING,
        (method.worst(*(e[0] for e in ends)), method.worst(*(e[1] for e in ends))),
    )
    why = (
        f"NVIDIA's ${nvda['market_cap'] / TRILLION:.2f}T ({day(nvda['date'])}) ranks {parts[0].data} against "
        f"{vintage} GDPs for 2024 and {parts[1].data} against its 2025 projections, where "
        f"{third['country']} (${third['gdp_usd'] / TRILLION:.2f}T) is {abs(margin):.1%} "
        f"{'below' if margin > 0 else 'above'} it."
    )
    return decide(claim, int(parts[1].data), unit, parts, why, evidence, band)
