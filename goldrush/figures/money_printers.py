"""Charts for chapter 2, "Gaming cards as money printers"."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from goldrush import charts
from goldrush import transforms as tf
from goldrush.analysis.money_printers import SPLIT_2024
from goldrush.charts import NVIDIA_GREEN, PALETTE, Figure
from goldrush.sources import Store

EVENT_GREY = "#777777"
MARKER_GAP = 0.06  # share of the time axis two markers need between them to sit on the same text row
# NVIDIA's fiscal quarters run 13 weeks (14 in a 53-week year); used only to draw the first quarter in the data.
FISCAL_QUARTER = pd.Timedelta(weeks=13)
PLATFORMS = {  # nvidia_quarterly column -> label; CMP is carved out of OEM & Other, not added to it
    "data_center": "Data Center",
    "gaming": "Gaming",
    "professional_visualization": "Professional Visualization",
    "automotive": "Automotive",
    "oem_excl_cmp": "OEM & Other (excl. CMP)",
    "cmp": "CMP mining cards",
}
PLATFORM_COLORS = [PALETTE[0], NVIDIA_GREEN, PALETTE[4], PALETTE[5], PALETTE[7], PALETTE[3]]


def numbered(events: pd.DataFrame) -> pd.DataFrame:
    """One marker per event day (same-day events share it), numbered in date order: ``date, n, label``."""
    days = events.groupby("date", sort=True)["label"].agg(" and ".join).reset_index()
    days.insert(1, "n", range(1, len(days) + 1))
    return days


def marker_rows(dates: pd.Series, min_gap: pd.Timedelta) -> list[int]:
    """A text row for each marker: the lowest row whose previous marker is at least ``min_gap`` earlier."""
    last: list[pd.Timestamp] = []
    rows = []
    for when in dates:
        row = next((i for i, previous in enumerate(last) if when - previous >= min_gap), len(last))
        last[row : row + 1] = [when]
        rows.append(row)
    return rows


def event_key(events: pd.DataFrame) -> str:
    """The caption's key to the numbered markers."""
    days = numbered(events)
    return "Events: " + "; ".join(f"{r.n} {r.label} ({r.date:%-d %b %Y})" for r in days.itertuples()) + "." if len(days) else ""


def _event_layers(events: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> list[alt.Chart]:
    days = numbered(events)
    days["row"] = marker_rows(days["date"], (end - start) * MARKER_GAP)
    rules = (
        alt.Chart(days)
        .mark_rule(color=EVENT_GREY, strokeDash=[4, 3], strokeWidth=1)
        .encode(x=alt.X("date:T"), tooltip=[alt.Tooltip("date:T"), alt.Tooltip("label:N", title="event")])
    )
    markers = [
        alt.Chart(days[days["row"] == row])
        .mark_text(fontSize=11, fontWeight="bold", color=EVENT_GREY, dx=5, align="left")
        .encode(
            x=alt.X("date:T"),
            y=alt.YValue(charts.HEIGHT - 8 - 13 * row),
            text=alt.Text("n:N"),
            tooltip=[alt.Tooltip("date:T"), alt.Tooltip("label:N", title="event")],
        )
        for row in sorted(days["row"].unique())
    ]
    return [rules, *markers]


def _years(start: pd.Timestamp, end: pd.Timestamp) -> alt.X:
    """A time axis over the chapter's whole window, so that the event markers line up across charts."""
    return alt.X(
        "date:T",
        title=None,
        axis=alt.Axis(format="%Y", tickCount="year"),
        scale=alt.Scale(domain=[start.strftime("%Y-%m-%d"), end.strftime("%Y-%m-%d")]),
    )


def _usd(value: float) -> str:
    return f"${value:,.0f}" if value >= 100 else f"${value:,.2f}"


def _powers_of_ten(values: pd.Series) -> list[float]:
    low, high = math.floor(math.log10(values.min())), math.ceil(math.log10(values.max()))
    return [10.0**k for k in range(low, high + 1)]


def _empty(
    name: str, title: str, datasets: list[str], what: str, start: pd.Timestamp, end: pd.Timestamp, *, store: Store
) -> Figure:
    """A placeholder chart when the window holds no data for this figure (so a rerun never breaks the page)."""
    message = f"No {what} between {start:%-d %b %Y} and {end:%-d %b %Y}"
    chart = (
        alt.Chart(pd.DataFrame({"message": [message]}))
        .mark_text(fontSize=13, color=EVENT_GREY)
        .encode(text=alt.Text("message:N"))
        .properties(width="container", height=80, title=title, description=message + ".")
    )
    return charts.figure(chart, name, datasets, store=store)


def _events_sentence(events: pd.DataFrame) -> str:
    return f"Dashed lines mark {len(numbered(events))} numbered events, listed under the chart."


def crypto_prices(
    btc: pd.DataFrame, eth: pd.DataFrame, events: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, *, store: Store
) -> Figure:
    """Bitcoin and ether prices, weekly, log scale, with the chapter's events."""
    frames = []
    for name, frame in (("Bitcoin", btc), ("Ether", eth)):
        weekly = tf.resample(tf.between(frame.dropna(subset=["price_usd"]), start, end))
        frames.append(pd.DataFrame({"date": weekly["date"], "asset": name, "price_usd": weekly["price_usd"]}))
    data = pd.concat(frames, ignore_index=True)
    lines = (
        alt.Chart(data)
        .mark_line()
        .encode(
            x=_years(start, end),
            y=alt.Y(
                "price_usd:Q",
                title="Price (USD, log scale)",
                scale=alt.Scale(type="log"),
                axis=alt.Axis(format="$,~g", values=_powers_of_ten(data["price_usd"])),
            ),
            color=alt.Color("asset:N", title=None, scale=alt.Scale(range=[PALETTE[1], PALETTE[0]])),
            tooltip=[
                alt.Tooltip("asset:N"),
                alt.Tooltip("date:T", title="week ending"),
                alt.Tooltip("price_usd:Q", title="USD", format=",.0f"),
            ],
        )
    )
    ends = data.groupby("asset").agg(first=("price_usd", "first"), last=("price_usd", "last"), top=("price_usd", "max"))
    chart = alt.layer(lines, *_event_layers(events, start, end)).properties(
        width="container",
        title=alt.Title("Bitcoin and ether prices", subtitle=f"Weekly, {start:%Y} to {end:%Y}; dashed lines: numbered events"),
        description=(
            f"Line chart on a log scale from {start:%B %Y} to {end:%B %Y}. "
            + "; ".join(
                f"{a} starts at {_usd(r['first'])}, peaks at {_usd(r['top'])} and ends at {_usd(r['last'])}"
                for a, r in ends.iterrows()
            )
            + ". "
            + _events_sentence(events)
        ),
    )
    return charts.figure(
        chart,
        "money-printers-crypto-prices",
        ["btc_daily", "eth_daily", "events"],
        data=data,
        note=event_key(events),
        store=store,
    )


def btc_hash_rate(
    btc: pd.DataFrame, events: pd.DataFrame, collapse: pd.Series, start: pd.Timestamp, end: pd.Timestamp, *, store: Store
) -> Figure:
    """Bitcoin's hash rate as sampled (7-day averages every 4 days), with the 2021 collapse marked."""
    data = tf.between(btc.dropna(subset=["hash_rate_ehs"]), start, end)[["date", "hash_rate_ehs"]].reset_index(drop=True)
    marks = pd.DataFrame(
        {
            "date": [collapse["peak_date"], collapse["trough_date"]],
            "hash_rate_ehs": [collapse["peak_ehs"], collapse["trough_ehs"]],
            "label": [
                f"{collapse['peak_ehs']:.0f} EH/s",
                f"{collapse['trough_ehs']:.0f} EH/s ({collapse['hash_rate_change']:.0%})",
            ],
        }
    )
    line = (
        alt.Chart(data)
        .mark_line(color=PALETTE[1])
        .encode(
            x=_years(start, end),
            y=alt.Y("hash_rate_ehs:Q", title="Hash rate (EH/s, 7-day average)"),
            tooltip=[alt.Tooltip("date:T"), alt.Tooltip("hash_rate_ehs:Q", title="EH/s", format=".1f")],
        )
    )
    dots = (
        alt.Chart(marks).mark_point(filled=True, size=50, color=PALETTE[3]).encode(x=alt.X("date:T"), y=alt.Y("hash_rate_ehs:Q"))
    )
    peak_label = (
        alt.Chart(marks.iloc[:1])
        .mark_text(align="right", dx=-6, dy=-8, fontSize=11)
        .encode(x=alt.X("date:T"), y=alt.Y("hash_rate_ehs:Q"), text=alt.Text("label:N"))
    )
    trough_label = (
        alt.Chart(marks.iloc[1:])
        .mark_text(align="center", dy=16, fontSize=11)
        .encode(x=alt.X("date:T"), y=alt.Y("hash_rate_ehs:Q"), text=alt.Text("label:N"))
    )
    chart = alt.layer(line, dots, peak_label, trough_label, *_event_layers(events, start, end)).properties(
        width="container",
        title=alt.Title(
            "Bitcoin's hash rate", subtitle=f"{start:%Y} to {end:%Y}; dots: the 2021 peak and the low after China's crackdown"
        ),
        description=(
            f"Line chart of bitcoin's network hash rate from {start:%B %Y} ({data['hash_rate_ehs'].iloc[0]:.1f} EH/s) to "
            f"{end:%B %Y} ({data['hash_rate_ehs'].iloc[-1]:.1f} EH/s). It fell from {collapse['peak_ehs']:.1f} EH/s on "
            f"{collapse['peak_date']:%-d %B %Y} to {collapse['trough_ehs']:.1f} EH/s on {collapse['trough_date']:%-d %B %Y}. "
            + _events_sentence(events)
        ),
    )
    return charts.figure(
        chart, "money-printers-btc-hash-rate", ["btc_daily", "events"], data=data, note=event_key(events), store=store
    )


def eth_hash_rate(eth: pd.DataFrame, events: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, *, store: Store) -> Figure:
    """Ether's hash rate (mined on graphics cards until the Merge), weekly."""
    data = tf.resample(tf.between(eth.dropna(subset=["hash_rate_ths"]), start, end))[["date", "hash_rate_ths"]]
    title = "Ether's hash rate"
    if data.empty:
        return _empty(
            "money-printers-eth-hash-rate", title, ["eth_daily"], "proof-of-work hash rate for ether", start, end, store=store
        )
    top = data.loc[data["hash_rate_ths"].idxmax()]
    line = (
        alt.Chart(data)
        .mark_area(color=PALETTE[0], opacity=0.3, line={"color": PALETTE[0]})
        .encode(
            x=_years(start, end),
            y=alt.Y("hash_rate_ths:Q", title="Hash rate (TH/s)"),
            tooltip=[alt.Tooltip("date:T", title="week ending"), alt.Tooltip("hash_rate_ths:Q", title="TH/s", format=",.0f")],
        )
    )
    chart = alt.layer(line, *_event_layers(events, start, end)).properties(
        width="container",
        title=alt.Title(title, subtitle="Weekly; mined on graphics cards until the Merge"),
        description=(
            f"Area chart of ether's network hash rate from {data['date'].iloc[0]:%B %Y} "
            f"({data['hash_rate_ths'].iloc[0]:,.1f} TH/s) "
            f"to its last proof-of-work week, {data['date'].iloc[-1]:%B %Y}; the highest weekly value is "
            f"{top['hash_rate_ths']:,.0f} TH/s in {top['date']:%B %Y}. " + _events_sentence(events)
        ),
    )
    return charts.figure(
        chart, "money-printers-eth-hash-rate", ["eth_daily", "events"], data=data, note=event_key(events), store=store
    )


def platform_revenue(quarterly: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, *, store: Store) -> Figure:
    """NVIDIA's revenue by market platform per fiscal quarter, CMP cards shown inside OEM & Other."""
    ordered = quarterly.sort_values("period_end")
    previous_end = ordered["period_end"].shift().fillna(ordered["period_end"] - FISCAL_QUARTER)
    ordered = ordered.assign(quarter_start=previous_end + pd.Timedelta(days=1))
    window = tf.between(ordered, start, end, column="period_end").copy()
    title = "NVIDIA's revenue by market platform"
    if window.empty:
        return _empty(
            "money-printers-platform-revenue", title, ["nvidia_quarterly"], "fiscal quarter ending", start, end, store=store
        )
    window["cmp"] = window["cmp"].fillna(0)
    window["oem_excl_cmp"] = window["oem_other"] - window["cmp"]
    window["quarter"] = "Q" + window["fiscal_quarter"].astype(str) + " FY" + window["fiscal_year"].astype(str)
    data = window.melt(
        id_vars=["quarter", "quarter_start", "period_end", "revenue"],
        value_vars=list(PLATFORMS),
        var_name="platform",
        value_name="usd_m",
    )
    data["platform"] = data["platform"].map(PLATFORMS)
    data["order"] = data["platform"].map({label: i for i, label in enumerate(PLATFORMS.values())})
    data = data.astype({"usd_m": "int64", "revenue": "int64"}).sort_values(["period_end", "order"]).reset_index(drop=True)
    bars = (
        alt.Chart(data)
        .mark_bar(stroke="white", strokeWidth=0.3)
        .encode(
            x=alt.X("quarter_start:T", title="Fiscal quarter (calendar dates)", axis=alt.Axis(format="%Y", tickCount="year")),
            x2=alt.X2("period_end:T"),
            y=alt.Y("sum(usd_m):Q", title="Revenue (USD million)", stack="zero"),
            color=alt.Color(
                "platform:N",
                title=None,
                sort=list(PLATFORMS.values()),
                scale=alt.Scale(domain=list(PLATFORMS.values()), range=PLATFORM_COLORS),
                legend=alt.Legend(columns=2),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("quarter:N"),
                alt.Tooltip("platform:N"),
                alt.Tooltip("usd_m:Q", title="USD m", format=","),
                alt.Tooltip("revenue:Q", title="quarter total", format=","),
            ],
        )
    )
    cmp = window[window["cmp"] > 0]
    cmp_text = (
        "CMP mining cards appear in "
        + ", ".join(f"{q} (${v:,.0f} million)" for q, v in zip(cmp["quarter"], cmp["cmp"], strict=True))
        if len(cmp)
        else "No quarter in this window reports CMP revenue"
    )
    best = window.loc[window["revenue"].idxmax()]
    chart = bars.properties(
        width="container",
        title=alt.Title(title, subtitle="Per fiscal quarter; CMP mining cards are part of OEM & Other, drawn separately"),
        description=(
            f"Stacked bar chart of NVIDIA's quarterly revenue from {window['quarter'].iloc[0]} to {window['quarter'].iloc[-1]}. "
            f"The largest quarter is {best['quarter']} with ${best['revenue']:,} million. {cmp_text}."
        ),
    )
    return charts.figure(
        chart, "money-printers-platform-revenue", ["nvidia_quarterly"], data=data.drop(columns="order"), store=store
    )


def gpu_price_multiples(prices: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, *, store: Store) -> Figure:
    """What RTX 30 cards sold for, as a multiple of their list price in the same market and currency."""
    paid = tf.price_vs_list(prices)
    paid = tf.between(paid[paid["market"].isin(["US eBay (sold listings)", "DE/AT retail"])], start, end).copy()
    paid["model"] = paid["model"].str.replace("GeForce ", "", regex=False)
    data = paid[["date", "model", "market", "price", "currency", "list_price", "multiple"]].reset_index(drop=True)
    title = "RTX 30 cards against their list prices"
    if data.empty:
        return _empty("money-printers-gpu-prices", title, ["gpu_prices"], "RTX 30 street or eBay prices", start, end, store=store)
    models = sorted(data["model"].unique())
    color = alt.Color(
        "model:N",
        title=None,
        sort=models,
        scale=alt.Scale(domain=models, range=PALETTE[: len(models)]),
        legend=alt.Legend(columns=3),
    )
    tooltip: list[str | alt.Tooltip] = [
        "model:N",
        "market:N",
        alt.Tooltip("date:T", format="%b %Y"),
        alt.Tooltip("price:Q", format=",.0f"),
        "currency:N",
        alt.Tooltip("list_price:Q", title="list price", format=",.0f"),
        alt.Tooltip("multiple:Q", title="x list", format=".2f"),
    ]
    base = alt.Chart(data).encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", tickCount=4), scale=alt.Scale(padding=12)),
        y=alt.Y("multiple:Q", title="Price paid ÷ list price"),
        color=color,
        tooltip=tooltip,
    )
    ebay = base.mark_line(point=True).transform_filter("datum.market == 'US eBay (sold listings)'")
    street = base.mark_point(shape="square", filled=True, size=90).transform_filter("datum.market == 'DE/AT retail'")
    par = (
        alt.Chart(pd.DataFrame({"multiple": [1.0]})).mark_rule(color=EVENT_GREY, strokeDash=[4, 3]).encode(y=alt.Y("multiple:Q"))
    )
    top = data.loc[data["multiple"].idxmax()]
    last = data[data["date"] == data["date"].max()]
    chart = alt.layer(par, ebay, street).properties(
        width="container",
        title=alt.Title(
            title,
            subtitle="Lines: US eBay monthly average sold price ÷ US list price; squares: German and Austrian shops ÷ euro "
            "list price",
        ),
        description=(
            f"Line chart of RTX 30-series prices as multiples of list price from {data['date'].min():%B %Y} to "
            f"{data['date'].max():%B %Y}. "
            f"The highest is the {top['model']} at {top['multiple']:.1f} times list ({top['market']}, {top['date']:%B %Y}); "
            f"the dashed line marks the list price. In {last['date'].max():%B %Y} prices range from "
            f"{last['multiple'].min():.2f} to {last['multiple'].max():.2f} times list."
        ),
    )
    return charts.figure(chart, "money-printers-gpu-prices", ["gpu_prices"], data=data, store=store)


def share_price(
    prices: pd.DataFrame, fall: pd.Series, article_price: float, start: pd.Timestamp, end: pd.Timestamp, *, store: Store
) -> Figure:
    """NVIDIA's weekly close on the share basis of 2022, with the 2021 peak, the 2022 low and the article's level."""
    weekly = tf.resample(tf.between(prices, start, end))
    data = pd.DataFrame({"date": weekly["date"], "close_2022_basis": weekly["close"] * SPLIT_2024})
    marks = pd.DataFrame(
        {
            "date": [fall["peak_date"], fall["low_date"]],
            "close_2022_basis": [fall["peak_close"] * SPLIT_2024, fall["low_close"] * SPLIT_2024],
            "label": [
                f"peak ${fall['peak_close'] * SPLIT_2024:.0f}",
                f"low ${fall['low_close'] * SPLIT_2024:.0f} ({fall['change']:.0%})",
            ],
        }
    )
    line = (
        alt.Chart(data)
        .mark_line(color=NVIDIA_GREEN)
        .encode(
            x=_years(start, end),
            y=alt.Y("close_2022_basis:Q", title="Close (USD per share, 2022 basis)"),
            tooltip=[
                alt.Tooltip("date:T", title="week ending"),
                alt.Tooltip("close_2022_basis:Q", title="USD (2022 basis)", format=".2f"),
            ],
        )
    )
    dots = (
        alt.Chart(marks)
        .mark_point(filled=True, size=50, color=PALETTE[3])
        .encode(x=alt.X("date:T"), y=alt.Y("close_2022_basis:Q"))
    )
    labels = (
        alt.Chart(marks)
        .mark_text(align="right", dx=-7, fontSize=11)
        .encode(x=alt.X("date:T"), y=alt.Y("close_2022_basis:Q"), text=alt.Text("label:N"))
    )
    level = pd.DataFrame({"close_2022_basis": [article_price], "label": [f"article: ${article_price:.0f}"]})
    rule = alt.Chart(level).mark_rule(color=EVENT_GREY, strokeDash=[4, 3]).encode(y=alt.Y("close_2022_basis:Q"))
    rule_label = (
        alt.Chart(level)
        .mark_text(align="left", dy=-6, fontSize=11, color=EVENT_GREY)
        .encode(x=alt.XValue(4), y=alt.Y("close_2022_basis:Q"), text=alt.Text("label:N"))
    )
    chart = alt.layer(line, rule, rule_label, dots, labels).properties(
        width="container",
        title=alt.Title(
            "NVIDIA's share price, 2022 basis",
            subtitle=f"Weekly closes x{SPLIT_2024} (undoing the 2024 split); dots: {fall['peak_date']:%Y} peak and "
            f"{fall['low_date']:%Y} low",
        ),
        description=(
            f"Line chart of NVIDIA's weekly close from {start:%B %Y} to {end:%B %Y} in dollars of 2022, before the 2024 "
            f"ten-for-one split. The highest close of {fall['peak_date']:%Y} was ${fall['peak_close'] * SPLIT_2024:.2f} on "
            f"{fall['peak_date']:%-d %B}; the lowest of {fall['low_date']:%Y} was ${fall['low_close'] * SPLIT_2024:.2f} on "
            f"{fall['low_date']:%-d %B}, {-fall['change']:.0%} lower. A dashed line marks the article's ${article_price:.0f}."
        ),
    )
    return charts.figure(chart, "money-printers-share-price", ["nvda_daily"], data=data, store=store)
