"""Checks for chapter 1, "Five trillion" (claims C01-C05 and C39)."""

from __future__ import annotations

import pandas as pd

from goldrush import transforms as tf
from goldrush.checks import Claim, Context, Finding, Verdict, day, graded
from goldrush.transforms import TRILLION

LATE_OCTOBER_2025 = ("2025-10-20", "2025-10-31")
STALE_DAYS = 7  # a crypto total older than this is not compared with NVIDIA on as_of



def peer_market_caps(ctx: Context) -> pd.DataFrame:
    """Approximate daily market caps of Apple and Microsoft (close x latest weighted basic shares).

    The snapshot has only weighted-average shares per quarter for them (see data/market/SOURCES.md),
    so these are indicative, good enough to see whether either came near $5T.
    """
    shares = ctx.load("aapl_msft_weighted_shares")
    frames = []
    for ticker in ("AAPL", "MSFT"):
        steps = shares[shares["ticker"] == ticker].rename(
            columns={"earnings_release_date": "as_of_date", "weighted_avg_basic_shares": "shares_outstanding"}
        )
        caps = tf.market_cap(ctx.load(f"{ticker.lower()}_daily"), steps)
        frames.append(tf.up_to(caps, ctx.as_of).assign(ticker=ticker))
    return pd.concat(frames, ignore_index=True)


def first_five_trillion_close(claim: Claim, ctx: Context) -> Finding:
    caps = ctx.nvda_market_cap
    evidence = ["nvda_daily", "nvda_shares_outstanding", "aapl_daily", "msft_daily", "aapl_msft_weighted_shares"]
    crossing = tf.first_crossings(caps, [5 * TRILLION])
    if crossing.empty:
        peak = caps.loc[caps["market_cap"].idxmax()]
        return Finding(
            claim.id,
            round(peak["market_cap"] / TRILLION, 3),
            "USD trillion (highest close-based market cap so far)",
            Verdict.UNVERIFIABLE,
            f"Up to {ctx.as_of} NVIDIA never closed at $5T or more; its highest was "
            f"${peak['market_cap'] / TRILLION:.2f}T on {day(peak['date'])}.",
            evidence,
        )
    first = crossing.iloc[0]
    peers = peer_market_caps(ctx)
    peers_before = peers[peers["date"] <= first["date"]]
    peer_max = peers_before.loc[peers_before["market_cap"].idxmax()]
    in_late_october = LATE_OCTOBER_2025[0] <= day(first["date"]) <= LATE_OCTOBER_2025[1]
    first_ever = peer_max["market_cap"] < 5 * TRILLION
    verdict = Verdict.ACCURATE if in_late_october and first_ever else Verdict.WRONG
    why = (
        f"NVIDIA's first close at or above $5T was on {day(first['date'])}: ${first['close']:.2f} x "
        f"{first['shares_outstanding'] / 1e9:.1f}bn shares = ${first['market_cap'] / TRILLION:.3f}T. "
        f"Neither Apple nor Microsoft had closed near it (largest: {peer_max['ticker']} "
        f"${peer_max['market_cap'] / TRILLION:.2f}T on {day(peer_max['date'])})."
    )
    return Finding(claim.id, round(first["market_cap"] / TRILLION, 3), "USD trillion (first close at or above $5T)", verdict, why, evidence)


def multiple_since_chatgpt(claim: Claim, ctx: Context) -> Finding:
    prices = ctx.load("nvda_daily")
    since = ctx.since or pd.Timestamp("2022-11-30")
    base = tf.first_on_or_after(prices, since)
    end = tf.last_on_or_before(prices[["date", "close"]], ctx.as_of)
    multiple = end["close"] / base["close"]
    year_end = tf.last_on_or_before(prices[["date", "close"]], "2022-12-31")
    verdict = Verdict.ACCURATE if multiple >= claim.article_value else graded(claim.article_value, multiple, claim.tolerance)
    why = (
        f"Close {day(end['date'])} ${end['close']:.2f} / close {day(base['date'])} ${base['close']:.2f} = "
        f"{multiple:.1f}x (split-adjusted); from the last close of 2022 (${year_end['close']:.2f}) it is "
        f"{end['close'] / year_end['close']:.1f}x."
    )
    return Finding(claim.id, round(multiple, 2), "times (share price)", verdict, why, ["nvda_daily"])


def sp500_record(claim: Claim, ctx: Context) -> Finding:
    index = ctx.load("sp500_daily")
    upto = tf.up_to(index, ctx.as_of).reset_index(drop=True)
    records = upto[upto["close"] >= upto["close"].cummax()]
    last_record = records.iloc[-1]
    window_start = pd.Timestamp(ctx.as_of) - pd.Timedelta(days=30)
    recent = records[records["date"] >= window_start]
    data_end = day(upto["date"].iloc[-1])
    if recent.empty:
        return Finding(
            claim.id,
            float(last_record["close"]),
            "index points (latest record close)",
            Verdict.WRONG,
            f"No record close in the 30 days to {ctx.as_of} (data to {data_end}); the last record was "
            f"{last_record['close']:.2f} on {day(last_record['date'])}.",
            ["sp500_daily"],
        )
    return Finding(
        claim.id,
        float(last_record["close"]),
        "index points (latest record close)",
        Verdict.ACCURATE,
        f"The S&P 500 set {len(recent)} record close(s) in the 30 days to {ctx.as_of}, the latest "
        f"{last_record['close']:.2f} on {day(last_record['date'])}; that the AI trade caused them is "
        "the article's reading, which prices alone cannot test.",
        ["sp500_daily"],
    )


def bigger_than_crypto(claim: Claim, ctx: Context) -> Finding:
    totals = ctx.load("total_crypto_market_cap")
    total = tf.last_on_or_before(totals[["date", "total_market_cap_usd", "provider"]], ctx.as_of)
    nvda = tf.last_on_or_before(ctx.nvda_market_cap[["date", "market_cap"]], ctx.as_of)
    ratio = nvda["market_cap"] / total["total_market_cap_usd"]
    age = (pd.Timestamp(ctx.as_of) - total["date"]).days
    evidence = ["nvda_daily", "nvda_shares_outstanding", "total_crypto_market_cap"]
    comparison = (
        f"NVIDIA ${nvda['market_cap'] / TRILLION:.2f}T ({day(nvda['date'])} close) vs the whole crypto market "
        f"${total['total_market_cap_usd'] / TRILLION:.2f}T ({total['provider']}, {day(total['date'])})"
    )
    if age > STALE_DAYS:
        return Finding(
            claim.id,
            round(ratio, 2),
            "times the total crypto market cap",
            Verdict.UNVERIFIABLE,
            f"{comparison}: the nearest crypto total is {age} days older than {ctx.as_of}, too old to compare.",
            evidence,
        )
    verdict = Verdict.ACCURATE if ratio > 1 else Verdict.WRONG
    return Finding(claim.id, round(ratio, 2), "times the total crypto market cap", verdict, f"{comparison}: {ratio:.2f}x.", evidence)


def gdp_rank(claim: Claim, ctx: Context) -> Finding:
    gdp = ctx.load("gdp_by_country")
    nvda = tf.last_on_or_before(ctx.nvda_market_cap[["date", "market_cap"]], ctx.as_of)
    vintage = tf.latest_vintage(gdp)
    ranks = {}
    for year in (2024, 2025):
        league = tf.gdp_league(gdp, year, vintage)
        ranks[year] = (tf.rank_against(league, nvda["market_cap"]), league)
    rank_2025, league_2025 = ranks[2025]
    rank_2024, _ = ranks[2024]
    third = league_2025.iloc[2]
    matches = [r == claim.article_value for r in (rank_2024, rank_2025)]
    verdict = Verdict.ACCURATE if all(matches) else Verdict.ROUGHLY_RIGHT if any(matches) else Verdict.WRONG
    margin = nvda["market_cap"] / third["gdp_usd"] - 1
    why = (
        f"NVIDIA's ${nvda['market_cap'] / TRILLION:.2f}T ({day(nvda['date'])}) ranks {rank_2024} against "
        f"{vintage} GDPs for 2024 and {rank_2025} against its 2025 projections, where "
        f"{third['country']} (${third['gdp_usd'] / TRILLION:.2f}T) is {abs(margin):.1%} "
        f"{'below' if margin > 0 else 'above'} it."
    )
    return Finding(claim.id, rank_2025, "rank among economies (IMF 2025 projection)", verdict, why, ["gdp_by_country", "nvda_daily", "nvda_shares_outstanding"])


def one_to_five_trillion(claim: Claim, ctx: Context) -> Finding:
    crossings = tf.first_crossings(ctx.nvda_market_cap, [1 * TRILLION, 5 * TRILLION])
    evidence = ["nvda_daily", "nvda_shares_outstanding"]
    if len(crossings) < 2:
        return Finding(claim.id, None, "years", Verdict.UNVERIFIABLE, f"NVIDIA had not closed at both $1T and $5T by {ctx.as_of}.", evidence)
    one, five = crossings.iloc[0], crossings.iloc[1]
    years = tf.years_between(one["date"], five["date"])
    why = f"First close at $1T or more on {day(one['date'])}, at $5T or more on {day(five['date'])}: {years:.2f} years."
    return Finding(claim.id, round(years, 2), "years", graded(claim.article_value, years, claim.tolerance), why, evidence)
