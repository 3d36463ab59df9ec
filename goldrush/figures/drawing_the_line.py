"""Charts for chapter 3, "Drawing the line"."""

from __future__ import annotations

import altair as alt
import pandas as pd
from IPython.display import Markdown

from goldrush import charts
from goldrush import transforms as tf
from goldrush.analysis.drawing_the_line import short_dates, without_remark
from goldrush.charts import NVIDIA_GREEN, PALETTE, Figure
from goldrush.sources import Store

GREY = PALETTE[7]


def _nothing_to_draw(what: str) -> Markdown:
    """Said in place of a chart when the page's dates leave it no data."""
    return Markdown(f"*No {what} fall between this page's start and end dates.*")


def _merge_rule(merge: pd.Timestamp, label: str = "Ethereum's Merge") -> alt.LayerChart:
    """A dashed vertical rule at the Merge, labelled at the top."""
    mark = pd.DataFrame({"date": [merge], "label": [label]})
    rule = alt.Chart(mark).mark_rule(strokeDash=[4, 3], color="#444").encode(x=alt.X("date:T"))
    text = (
        alt.Chart(mark)
        .mark_text(align="right", baseline="top", dx=-4, y=2, fontSize=11, color="#444")
        .encode(x=alt.X("date:T"), text=alt.Text("label:N"))
    )
    return rule + text


def sec_quarters(window: pd.DataFrame, *, store: Store) -> Figure:
    """Gaming revenue by quarter around fiscal 2018, the quarters in the SEC's findings highlighted."""
    named, other = "named by the SEC", "other quarters"
    data = window.assign(
        kind=[named if s else other for s in window["sec"]],
        growth=[f"{g:+.0%}" if s else "" for g, s in zip(window["gaming_yoy"], window["sec"], strict=True)],
    )[["label", "period_end", "gaming", "gaming_year_ago", "gaming_yoy", "kind", "growth"]]
    order = list(data["label"])
    x = alt.X("label:N", sort=order, title="NVIDIA fiscal quarter", axis=alt.Axis(labelAngle=-45))
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("gaming:Q", title="Gaming revenue (USD million)"),
            color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=[named, other], range=[NVIDIA_GREEN, GREY])),
            tooltip=[
                alt.Tooltip("label:N", title="quarter"),
                alt.Tooltip("period_end:T", title="ended"),
                alt.Tooltip("gaming:Q", title="gaming, USD m", format=","),
                alt.Tooltip("gaming_yoy:Q", title="on a year earlier", format="+.1%"),
            ],
        )
    )
    labels = (
        alt.Chart(data)
        .mark_text(dy=-6, baseline="bottom", fontSize=11, fontWeight="bold")
        .encode(x=x, y=alt.Y("gaming:Q"), text=alt.Text("growth:N"))
    )
    sec = data[data["kind"] == named]
    chart = (bars + labels).properties(
        width="container",
        title=alt.Title(
            "The quarters the SEC examined",
            subtitle="NVIDIA gaming revenue per fiscal quarter; labels: growth on the same quarter a year earlier",
        ),
        description=(
            f"Bar chart of NVIDIA's gaming revenue from {data.label.iloc[0]} to {data.label.iloc[-1]}. "
            + "; ".join(f"{r.label}: ${r.gaming:,} million, {r.gaming_yoy:+.0%} on a year earlier" for r in sec.itertuples())
            + ". These are the quarters named in the SEC settlement."
        ),
    )
    return charts.figure(
        chart, "drawing-the-line-sec-quarters", ["nvidia_quarterly", "nvidia_claim_sources"], data=data, store=store
    )


def cmp_revenue(window: pd.DataFrame, *, store: Store) -> Figure:
    """CMP revenue per quarter in the fiscal year NVIDIA reported it, and the year after (no figure)."""
    data = window.assign(
        status=["reported" if pd.notna(v) else "not reported" for v in window["cmp"]],
        cmp_shown=window["cmp"].fillna(0).astype(float),
        text=[f"{v:,}" if pd.notna(v) else "none reported" for v in window["cmp"]],
    )
    order = list(data["label"])
    x = alt.X("label:N", sort=order, title="NVIDIA fiscal quarter", axis=alt.Axis(labelAngle=-45))
    bars = (
        alt.Chart(data)
        .mark_bar(color=NVIDIA_GREEN)
        .encode(
            x=x,
            y=alt.Y("cmp_shown:Q", title="CMP revenue (USD million)"),
            tooltip=[
                alt.Tooltip("label:N", title="quarter"),
                alt.Tooltip("text:N", title="CMP, USD m"),
                alt.Tooltip("cmp_share:Q", title="share of revenue", format=".1%"),
            ],
        )
    )
    reported = (
        alt.Chart(data)
        .mark_text(dy=-4, baseline="bottom", fontSize=11)
        .encode(x=x, y=alt.Y("cmp_shown:Q"), text=alt.Text("text:N"))
        .transform_filter("datum.status == 'reported'")
    )
    missing = (
        alt.Chart(data)
        .mark_text(angle=270, align="left", dx=-4, fontSize=11, color="#555")
        .encode(x=x, y=alt.Y("cmp_shown:Q"), text=alt.Text("text:N"))
        .transform_filter("datum.status == 'not reported'")
    )
    shown = data[data["status"] == "reported"]
    chart = (bars + reported + missing).properties(
        width="container",
        title=alt.Title(
            "Revenue from mining cards (CMP)",
            subtitle="CMP revenue per fiscal quarter as NVIDIA disclosed it; no quarterly figure after it became nominal",
        ),
        description=(
            "Bar chart of revenue from NVIDIA's Cryptocurrency Mining Processor cards: "
            + ", ".join(f"{r.label} ${r.cmp:,} million ({r.cmp_share:.1%} of revenue)" for r in shown.itertuples())
            + f"; total ${int(shown.cmp.sum()):,} million. No CMP revenue is reported for "
            + f"{data.label[data.status == 'not reported'].iloc[0]} to {data.label.iloc[-1]}."
        ),
    )
    return charts.figure(
        chart,
        "drawing-the-line-cmp",
        ["nvidia_quarterly", "nvidia_claim_sources"],
        data=data[["label", "period_end", "cmp", "revenue", "cmp_share"]],
        store=store,
    )


def gaming_merge(window: pd.DataFrame, merge: pd.Timestamp, *, store: Store) -> Figure:
    """Quarterly gaming revenue, each bar spanning its fiscal quarter, before and after the Merge."""
    eras = ["before the Merge", "quarter of the Merge", "after the Merge"]
    data = window[["label", "period_start", "period_end", "gaming", "gaming_yoy", "era"]]
    bars = (
        alt.Chart(data)
        .mark_bar(stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X("period_start:T", title=None, axis=alt.Axis(format="%Y", labelOverlap="greedy", labelSeparation=6)),
            x2=alt.X2("period_end:T"),
            y=alt.Y("gaming:Q", title="Gaming revenue (USD million per quarter)"),
            y2=alt.datum(0),
            color=alt.Color(
                "era:N",
                title=None,
                scale=alt.Scale(domain=eras, range=[PALETTE[1], GREY, NVIDIA_GREEN]),
                legend=alt.Legend(columns=2),
            ),
            tooltip=[
                alt.Tooltip("label:N", title="quarter"),
                alt.Tooltip("period_end:T", title="ended"),
                alt.Tooltip("gaming:Q", title="gaming, USD m", format=","),
                alt.Tooltip("gaming_yoy:Q", title="on a year earlier", format="+.1%"),
            ],
        )
    )
    first, last = data.iloc[0], data.iloc[-1]
    before = data[data["era"] == "before the Merge"]
    peak = before.loc[before["gaming"].idxmax()] if len(before) else None
    since = data[data["era"] != "before the Merge"]
    trough = since.loc[since["gaming"].idxmin()] if len(since) else None
    parts = [f"Bar chart of NVIDIA's gaming revenue per fiscal quarter from {first.label} to {last.label}"]
    if peak is not None:
        parts.append(f"highest before the Merge {peak.label} ${peak.gaming:,} million")
    if trough is not None:
        parts.append(f"lowest from the Merge on {trough.label} ${trough.gaming:,} million")
    parts.append(f"last {last.label} ${last.gaming:,} million")
    layers = bars + _merge_rule(merge) if data["period_start"].min() <= merge <= data["period_end"].max() else bars
    chart = layers.properties(
        width="container",
        title=alt.Title(
            "Gaming revenue and the Merge",
            subtitle=f"NVIDIA gaming revenue per fiscal quarter; dashed line: Ethereum's Merge, {merge:%-d %b %Y}",
        ),
        description="; ".join(parts) + ".",
    )
    return charts.figure(chart, "drawing-the-line-gaming", ["nvidia_quarterly", "events"], data=data, store=store)


def resale_prices(prices: pd.DataFrame, merge: pd.Timestamp, *, store: Store) -> Figure | Markdown:
    """Monthly eBay average sold price of each RTX 30 card as a multiple of its US launch price."""
    if prices.empty:
        return _nothing_to_draw("eBay prices")
    data = prices[["month", "model", "ebay_usd", "msrp_usd", "ratio"]]
    models = sorted(data["model"].unique())
    lines = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=18))
        .encode(
            x=alt.X("month:T", title=None, axis=alt.Axis(format="%b %Y", labelOverlap="greedy", labelSeparation=6)),
            y=alt.Y("ratio:Q", title="eBay average ÷ US launch price (×)"),
            color=alt.Color(
                "model:N", title=None, scale=alt.Scale(domain=models, range=PALETTE[: len(models)]), legend=alt.Legend(columns=3)
            ),
            tooltip=[
                alt.Tooltip("model:N"),
                alt.Tooltip("month:T", format="%b %Y"),
                alt.Tooltip("ebay_usd:Q", title="eBay average, USD", format=",.0f"),
                alt.Tooltip("msrp_usd:Q", title="launch price, USD", format=",.0f"),
                alt.Tooltip("ratio:Q", title="times launch price", format=".2f"),
            ],
        )
    )
    par = alt.Chart(pd.DataFrame({"ratio": [1.0], "label": ["launch price"]}))
    par_line = par.mark_rule(color="#444").encode(y=alt.Y("ratio:Q"))
    par_text = par.mark_text(align="right", baseline="bottom", dy=-3, x="width", dx=-2, fontSize=11, color="#444").encode(
        y=alt.Y("ratio:Q"), text=alt.Text("label:N")
    )
    layers = lines + par_line + par_text
    if data["month"].min() <= merge <= data["month"].max():
        layers = layers + _merge_rule(merge, "Merge")
    first, last = data["month"].min(), data["month"].max()
    peak = data.loc[data["ratio"].idxmax()]
    at_end = data[data["month"] == last]
    chart = layers.properties(
        width="container",
        title=alt.Title(
            "RTX 30 cards on eBay",
            subtitle="Monthly average sold price ÷ US launch price (MSRP); above 1 means a premium",
        ),
        description=(
            f"Line chart of five RTX 30 cards from {first:%B %Y} to {last:%B %Y}. The highest premium was "
            f"{peak.model} at {peak.ratio:.2f} times its launch price in {peak.month:%B %Y}; in {last:%B %Y} the cards "
            f"sold for {at_end.ratio.min():.2f} to {at_end.ratio.max():.2f} times their launch prices."
        ),
    )
    return charts.figure(
        chart,
        "drawing-the-line-resale",
        ["gpu_prices", "events"],
        data=data,
        note="Tom's Hardware's eBay averages; October 2023 is missing.",
        store=store,
    )


def hash_rate(rates: pd.DataFrame, merge: pd.Timestamp, *, store: Store) -> Figure:
    """Bitcoin's hash rate, weekly, on a log scale, with the Merge marked."""
    weekly = tf.resample(rates)
    line = (
        alt.Chart(weekly)
        .mark_line(color=PALETTE[1])
        .encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y", labelOverlap="greedy", labelSeparation=6)),
            y=alt.Y("hash_rate_ehs:Q", title="Hash rate (EH/s, log scale)", scale=alt.Scale(type="log")),
            tooltip=[alt.Tooltip("date:T"), alt.Tooltip("hash_rate_ehs:Q", title="EH/s", format=",.1f")],
        )
    )
    layers = line + _merge_rule(merge) if weekly["date"].min() <= merge <= weekly["date"].max() else line
    first, last = weekly.iloc[0], weekly.iloc[-1]
    chart = layers.properties(
        width="container",
        title=alt.Title(
            "Bitcoin's hash rate",
            subtitle="Exahashes per second, 7-day average (blockchain.com), log scale; dashed line: Ethereum's Merge",
        ),
        description=(
            f"Line chart on a log scale of bitcoin's hash rate from {first.date:%B %Y} ({first.hash_rate_ehs:,.1f} EH/s) "
            f"to {last.date:%B %Y} ({last.hash_rate_ehs:,.0f} EH/s), a {last.hash_rate_ehs / first.hash_rate_ehs:,.0f}-fold rise."
        ),
    )
    return charts.figure(chart, "drawing-the-line-hash-rate", ["btc_hash_rate_sources", "events"], data=weekly, store=store)


def ai_deals(deals: pd.DataFrame, *, store: Store) -> Figure | Markdown:
    """The miners' AI/HPC deals by date and reported value; hollow marks: dates known to the month only."""
    dated = deals[deals["precision"] != "year"]
    if dated.empty:
        return _nothing_to_draw("deals with a known month")
    left_out = len(deals) - len(dated)
    data = dated.assign(
        date=short_dates(dated),
        counterparty=without_remark(dated["counterparty"]),
        date_known=dated["precision"].map({"day": "to the day", "month": "to the month"}),
    )[["when", "date", "company", "counterparty", "value_bn", "flag", "date_known", "deal_en"]]
    companies = list(dict.fromkeys(data["company"]))
    flags = sorted(data["flag"].unique())
    palette = alt.Scale(domain=companies, range=PALETTE[: len(companies)])
    base = alt.Chart(data).encode(
        x=alt.X(
            "when:T",
            title=None,
            axis=alt.Axis(format="%b %Y", labelOverlap="greedy", labelSeparation=6),
            scale=alt.Scale(padding=14),
        ),
        y=alt.Y("value_bn:Q", title="Value as reported (USD billion)"),
        color=alt.Color("company:N", title=None, scale=palette, legend=alt.Legend(columns=3)),
    )
    stems = base.mark_rule(opacity=0.5).encode(y2=alt.datum(0))
    points = base.mark_point(size=120, strokeWidth=2).encode(
        shape=alt.Shape(
            "flag:N",
            title="value is",
            scale=alt.Scale(domain=flags),
            legend=alt.Legend(symbolStrokeColor="#555", symbolFillColor="#555", orient="top", direction="horizontal"),
        ),
        fill=alt.Fill("company:N", scale=palette, title=None),
        fillOpacity=alt.condition("datum.date_known == 'to the day'", alt.value(1), alt.value(0)),
        tooltip=[
            alt.Tooltip("company:N"),
            alt.Tooltip("counterparty:N"),
            alt.Tooltip("date:N", title="date reported"),
            alt.Tooltip("value_bn:Q", title="USD bn", format=".2f"),
            alt.Tooltip("flag:N", title="value is"),
            alt.Tooltip("deal_en:N", title="deal"),
        ],
    )
    subtitle = "Headline value as reported; hollow: date known only to the month"
    if left_out:
        subtitle += f"; {left_out} deal dated only to the year is in the table"
    chart = (stems + points).properties(
        width="container",
        title=alt.Title("Crypto miners' AI and HPC deals", subtitle=subtitle),
        description=(
            f"Chart of {len(data)} deals from {data.when.min():%B %Y} to {data.when.max():%B %Y}: "
            + "; ".join(
                f"{r.company} with {r.counterparty}, {r.date}, ${r.value_bn:.2f} billion ({r.flag})" for r in data.itertuples()
            )
            + "."
        ),
    )
    return charts.figure(
        chart,
        "drawing-the-line-ai-deals",
        ["miners_ai_pivot"],
        data=deals.drop(columns=["when"]),
        note="Cumulative values include earlier deals; do not add them up.",
        store=store,
    )
