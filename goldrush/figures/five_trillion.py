"""Charts for chapter 1, "Five trillion"."""

from __future__ import annotations

import altair as alt
import pandas as pd

from goldrush import charts
from goldrush import transforms as tf
from goldrush.charts import NVIDIA_GREEN, PALETTE, Figure
from goldrush.sources import Store

CAP = ["nvda_daily", "nvda_shares_outstanding"]


def market_value(caps: pd.DataFrame, milestones: pd.DataFrame, *, store: Store) -> Figure:
    """NVIDIA's weekly market value with the first close above each trillion marked."""
    weekly = tf.resample(caps).assign(market_value_tn=lambda d: d.market_cap / tf.TRILLION)
    weekly = weekly[["date", "close", "shares_outstanding", "market_value_tn"]]
    marks = milestones.assign(
        market_value_tn=milestones.market_cap / tf.TRILLION,
        label=[f"${t / tf.TRILLION:.0f}T {d:%b %Y}" for t, d in zip(milestones.threshold, milestones.date, strict=True)],
    )
    area = (
        alt.Chart(weekly)
        .mark_area(line={"color": NVIDIA_GREEN}, color=NVIDIA_GREEN, opacity=0.25)
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("market_value_tn:Q", title="Market value (USD trillion)"),
            tooltip=[alt.Tooltip("date:T", title="week ending"), alt.Tooltip("market_value_tn:Q", title="USD tn", format=".2f")],
        )
    )
    dots = (
        alt.Chart(marks)
        .mark_point(filled=True, size=60, color=NVIDIA_GREEN)
        .encode(x=alt.X("date:T"), y=alt.Y("market_value_tn:Q"))
    )
    labels = (
        alt.Chart(marks)
        .mark_text(align="right", dx=-8, fontSize=11)
        .encode(x=alt.X("date:T"), y=alt.Y("market_value_tn:Q"), text=alt.Text("label:N"))
    )
    first, last = weekly.iloc[0], weekly.iloc[-1]
    chart = (area + dots + labels).properties(
        width="container",
        title=alt.Title(
            "NVIDIA's market value",
            subtitle=f"Weekly closes x reported shares, {first.date:%Y} to {last.date:%b %Y}; dots: first close above each "
            "trillion",
        ),
        description=(
            f"Area chart of NVIDIA's market value from {first.date:%B %Y} (${first.market_value_tn:.2f} trillion) "
            f"to {last.date:%B %Y} (${last.market_value_tn:.2f} trillion). "
            + "; ".join(f"first close above {label}" for label in marks.label)
        ),
    )
    return charts.figure(chart, "five-trillion-market-value", CAP, data=weekly, store=store)


def against_index(indexed: pd.DataFrame, since: pd.Timestamp, as_of: pd.Timestamp, *, store: Store) -> Figure:
    """NVIDIA and the S&P 500 indexed to 100 at ``since``, weekly, log scale."""
    weekly = indexed.groupby("series", group_keys=False)[["date", "series", "index"]].apply(tf.resample)
    ends = indexed.groupby("series").last()
    lines = (
        alt.Chart(weekly)
        .mark_line()
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("index:Q", title=f"Index, {since:%-d %b %Y} = 100 (log scale)", scale=alt.Scale(type="log")),
            color=alt.Color("series:N", title=None, scale=alt.Scale(range=[NVIDIA_GREEN, PALETTE[0]])),
            tooltip=[alt.Tooltip("series:N"), alt.Tooltip("date:T", title="week ending"), alt.Tooltip("index:Q", format=".0f")],
        )
    )
    chart = lines.properties(
        width="container",
        title=alt.Title("NVIDIA against the S&P 500", subtitle=f"Weekly closes indexed to 100 on {since:%-d %b %Y}"),
        description=(
            f"Line chart on a log scale from {since:%B %Y} to {as_of:%B %Y}, both series starting at 100: "
            + ", ".join(f"{name} ends at {row['index']:.0f}" for name, row in ends.iterrows())
            + "."
        ),
    )
    return charts.figure(chart, "five-trillion-vs-sp500", ["nvda_daily", "sp500_daily"], data=weekly, store=store)


def against_crypto(
    caps: pd.DataFrame, crypto: pd.DataFrame, changes: pd.DataFrame, start: str, as_of: pd.Timestamp, *, store: Store
) -> Figure:
    """NVIDIA's market value and the total crypto market cap, each provider drawn separately."""
    nvda = tf.resample(tf.between(caps, start, as_of))
    nvda = pd.DataFrame({"date": nvda.date, "series": "NVIDIA", "value_tn": nvda.market_cap / tf.TRILLION})
    window = tf.between(crypto, start, as_of)
    totals = window.groupby("provider", group_keys=False)[["date", "provider", "total_market_cap_usd"]].apply(tf.resample)
    totals = pd.DataFrame(
        {
            "date": totals.date,
            "series": "Crypto market (" + totals.provider + ")",
            "value_tn": totals.total_market_cap_usd / tf.TRILLION,
        }
    )
    data = pd.concat([nvda, totals], ignore_index=True)
    colors = alt.Scale(
        domain=["NVIDIA", "Crypto market (CoinGecko)", "Crypto market (CoinMarketCap)"],
        range=[NVIDIA_GREEN, PALETTE[1], PALETTE[3]],
    )
    base = alt.Chart(data).encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y", tickCount="year")),
        y=alt.Y("value_tn:Q", title="Market value (USD trillion)"),
        color=alt.Color("series:N", title=None, scale=colors),
        tooltip=[alt.Tooltip("series:N"), alt.Tooltip("date:T"), alt.Tooltip("value_tn:Q", title="USD tn", format=".2f")],
    )
    points = base.mark_point(filled=True, size=40).transform_filter("datum.series == 'Crypto market (CoinMarketCap)'")
    last_change = f", most recently on {changes.date.iloc[-1]:%-d %B %Y}" if len(changes) else ""
    chart = (base.mark_line() + points).properties(
        width="container",
        title=alt.Title(
            "NVIDIA against the whole crypto market",
            subtitle="Weekly; crypto totals from two providers, none between mid-August and late October 2025",
        ),
        description=(
            f"Line chart from {start[:4]} to {as_of:%B %Y} of NVIDIA's market value and the total value of all crypto "
            f"assets. The lead changed {len(changes)} times in the days both series cover{last_change}."
        ),
    )
    return charts.figure(chart, "five-trillion-vs-crypto", CAP + ["total_crypto_market_cap"], data=data, store=store)


def among_economies(league: pd.DataFrame, nvda: pd.Series, year: int, top: int = 8, *, store: Store) -> Figure:
    """The largest economies' GDP with NVIDIA's market value inserted."""
    economy, company_kind = f"GDP {year} (IMF)", f"NVIDIA market value, {nvda.date:%-d %b %Y}"
    economies = league.head(top).assign(kind=economy)
    company = pd.DataFrame([{"country": "NVIDIA", "gdp_usd": nvda.market_cap, "kind": company_kind}])
    data = pd.concat([economies, company], ignore_index=True)
    data = data.assign(value_tn=data.gdp_usd / tf.TRILLION)[["country", "value_tn", "kind"]]
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("country:N", sort="-x", title=None),
            x=alt.X("value_tn:Q", title="USD trillion"),
            # no legend (it would not fit beside long country names on a phone): the subtitle says what green is
            color=alt.Color(
                "kind:N",
                title=None,
                legend=None,
                scale=alt.Scale(domain=[economy, company_kind], range=[PALETTE[0], NVIDIA_GREEN]),
            ),
            tooltip=[alt.Tooltip("country:N"), alt.Tooltip("value_tn:Q", title="USD tn", format=".2f")],
        )
    )
    ranked = data.sort_values("value_tn", ascending=False)
    chart = bars.properties(
        width="container",
        height=280,
        title=alt.Title(
            "NVIDIA's value among the largest economies",
            subtitle=f"GDP in current US dollars, {league['vintage'].iloc[0]}, {year}; in green, {company_kind}",
        ),
        description=(
            f"Bar chart of the {top} largest economies' {year} GDP with NVIDIA's market value inserted: "
            + ", ".join(f"{r.country} {r.value_tn:.2f}" for r in ranked.itertuples())
            + " (USD trillion)."
        ),
    )
    return charts.figure(chart, "five-trillion-vs-gdp", ["gdp_by_country"] + CAP, data=data, store=store)
