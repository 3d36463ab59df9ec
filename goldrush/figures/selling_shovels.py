"""Charts for chapter 4, "Selling shovels"."""

from __future__ import annotations

import altair as alt
import pandas as pd

from goldrush import charts
from goldrush import transforms as tf
from goldrush.charts import NVIDIA_GREEN, PALETTE, Figure
from goldrush.sources import Store

CAP = ["nvda_daily", "nvda_shares_outstanding"]
COMPANIES = ["Alphabet", "Amazon", "Meta", "Microsoft", "Oracle"]
QUARTER_AXIS = alt.Axis(format="%Y", tickCount="year", title=None)


def _quarter_start(quarters: pd.Series) -> pd.Series:
    return quarters.dt.start_time


def _since_rule(since: pd.Timestamp) -> alt.Chart:
    marker = pd.DataFrame({"date": [since], "label": [f"{since:%-d %b %Y}"]})
    rule = alt.Chart(marker).mark_rule(strokeDash=[4, 3], color="#888").encode(x=alt.X("date:T"))
    text = (
        alt.Chart(marker)
        .mark_text(align="left", dx=4, dy=-4, baseline="bottom", fontSize=11)
        .encode(x=alt.X("date:T"), y=alt.YValue(0), text=alt.Text("label:N"))
    )
    return rule + text


def data_center_revenue(quarters: pd.DataFrame, since: pd.Timestamp, *, store: Store) -> Figure:
    """NVIDIA's quarterly revenue split into Data Center and everything else, stacked, USD billion."""
    long = quarters.melt(
        id_vars=["fiscal", "quarter"], value_vars=["data_center", "other"], var_name="platform", value_name="musd"
    )
    data = pd.DataFrame(
        {
            "quarter_start": _quarter_start(long["quarter"]),
            "fiscal_quarter": long["fiscal"],
            "platform": long["platform"].map({"data_center": "Data Center", "other": "Other platforms"}),
            "revenue_bn": long["musd"].astype(float) / 1000,
        }
    )
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("yearquarter(quarter_start):T", axis=QUARTER_AXIS),
            y=alt.Y("sum(revenue_bn):Q", title="Revenue per quarter (USD billion)"),
            color=alt.Color(
                "platform:N",
                title=None,
                scale=alt.Scale(domain=["Data Center", "Other platforms"], range=[NVIDIA_GREEN, PALETTE[7]]),
            ),
            order=alt.Order("platform:N", sort="descending"),
            tooltip=[
                alt.Tooltip("fiscal_quarter:N"),
                alt.Tooltip("platform:N"),
                alt.Tooltip("revenue_bn:Q", title="USD bn", format=".2f"),
            ],
        )
    )
    first, last = quarters.iloc[0], quarters.iloc[-1]
    chart = (bars + _since_rule(since)).properties(
        width="container",
        title=alt.Title(
            "NVIDIA's revenue by platform", subtitle="Per fiscal quarter, shown in the calendar quarter that holds its middle day"
        ),
        description=(
            f"Stacked bar chart of NVIDIA's quarterly revenue from {first.fiscal} to {last.fiscal}. Data Center grows from "
            f"${first.data_center / 1000:.2f} billion ({first.data_center_share:.0%} of revenue) to "
            f"${last.data_center / 1000:.1f} billion ({last.data_center_share:.0%})."
        ),
    )
    return charts.figure(chart, "selling-shovels-data-center", ["nvidia_quarterly"], data=data, store=store)


def gross_margin(quarters: pd.DataFrame, since: pd.Timestamp, *, store: Store) -> Figure:
    """NVIDIA's GAAP gross margin per quarter (gross profit / revenue)."""
    data = pd.DataFrame(
        {
            "quarter_start": _quarter_start(quarters["quarter"]),
            "fiscal_quarter": quarters["fiscal"],
            "gross_margin_pct": quarters["gross_margin"] * 100,
        }
    )
    line = (
        alt.Chart(data)
        .mark_line(color=NVIDIA_GREEN, point=alt.OverlayMarkDef(color=NVIDIA_GREEN))
        .encode(
            x=alt.X("yearquarter(quarter_start):T", axis=QUARTER_AXIS),
            y=alt.Y("gross_margin_pct:Q", title="GAAP gross margin (% of revenue)", scale=alt.Scale(zero=False)),
            tooltip=[alt.Tooltip("fiscal_quarter:N"), alt.Tooltip("gross_margin_pct:Q", title="%", format=".1f")],
        )
    )
    low = quarters.loc[quarters["gross_margin"].idxmin()]
    high = quarters.loc[quarters["gross_margin"].idxmax()]
    chart = (line + _since_rule(since)).properties(
        width="container",
        height=240,
        title=alt.Title("NVIDIA's gross margin", subtitle="GAAP gross profit divided by revenue, per fiscal quarter"),
        description=(
            f"Line chart of NVIDIA's quarterly GAAP gross margin from {quarters.fiscal.iloc[0]} to {quarters.fiscal.iloc[-1]}: "
            f"lowest {low.gross_margin:.1%} in {low.fiscal}, highest {high.gross_margin:.1%} in {high.fiscal}, "
            f"latest {quarters.gross_margin.iloc[-1]:.1%}."
        ),
    )
    return charts.figure(chart, "selling-shovels-gross-margin", ["nvidia_quarterly"], data=data, store=store)


def capex_and_data_center(capex: pd.DataFrame, both: pd.DataFrame, *, store: Store) -> Figure:
    """The five hyperscalers' capex per calendar quarter, stacked, with NVIDIA's Data Center revenue as a line."""
    spend = pd.DataFrame(
        {
            "quarter_start": _quarter_start(capex["quarter"]),
            "series": capex["company"],
            "usd_bn": capex["capex_musd"].astype(float) / 1000,
        }
    )
    nvidia = pd.DataFrame(
        {
            "quarter_start": _quarter_start(both["quarter"]),
            "series": "NVIDIA Data Center",
            "usd_bn": both["data_center"].astype(float) / 1000,
        }
    )
    data = pd.concat([spend, nvidia], ignore_index=True)
    colors = alt.Scale(domain=COMPANIES + ["NVIDIA Data Center"], range=PALETTE[: len(COMPANIES)] + [NVIDIA_GREEN])
    x = alt.X("yearquarter(quarter_start):T", axis=QUARTER_AXIS)
    tooltip = [
        "series:N",
        alt.Tooltip("yearquarter(quarter_start):T", title="quarter"),
        alt.Tooltip("usd_bn:Q", title="USD bn", format=".1f"),
    ]
    bars = (
        alt.Chart(spend)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("sum(usd_bn):Q", title="USD billion per quarter"),
            color=alt.Color("series:N", title=None, scale=colors, legend=alt.Legend(columns=3)),
            tooltip=tooltip,
        )
    )
    line = (
        alt.Chart(nvidia)
        .mark_line(point=True, strokeWidth=3)
        .encode(
            x=alt.X("yearquarter(quarter_start):T", bandPosition=0.5),
            y=alt.Y("usd_bn:Q"),
            color=alt.Color("series:N", scale=colors),
            tooltip=tooltip,
        )
    )
    first, last = both.iloc[0], both.iloc[-1]
    chart = (bars + line).properties(
        width="container",
        title=alt.Title(
            "Big buyers' capex, NVIDIA's sales",
            subtitle="Cash capex of Alphabet, Amazon, Meta, Microsoft and Oracle (bars) and NVIDIA's Data Center revenue "
            "(line), by calendar quarter",
        ),
        description=(
            f"Stacked bars of the five companies' capital spending per calendar quarter from {first.quarter} to {last.quarter}: "
            f"${first.capex_musd / 1000:.1f} billion, then ${last.capex_musd / 1000:.1f} billion. NVIDIA's Data Center revenue "
            f"over the same quarters goes from ${first.data_center / 1000:.1f} to ${last.data_center / 1000:.1f} billion."
        ),
    )
    return charts.figure(chart, "selling-shovels-capex", ["hyperscaler_capex", "nvidia_quarterly"], data=data, store=store)


def forecast(table: pd.DataFrame, gs_base: pd.Series, gs_forecast: pd.Series, *, store: Store) -> Figure:
    """Three bars: our 2022-24 capex by company, Goldman Sachs's 2022-24 total, its 2025-27 forecast by company."""
    ours_column, forecast_column = table.columns[0], f"GS {gs_forecast['period']}"
    companies = table.drop("Total")
    ours_label = f"{gs_base['period']} filings"
    base_label = f"{gs_base['period']} GS"
    forecast_label = f"{gs_forecast['period']} GS forecast"
    data = pd.concat(
        [
            pd.DataFrame({"bar": ours_label, "company": companies.index, "usd_bn": companies[ours_column].values}),
            pd.DataFrame({"bar": [base_label], "company": ["GS total"], "usd_bn": [gs_base["capex_busd"]]}),
            pd.DataFrame({"bar": forecast_label, "company": companies.index, "usd_bn": companies[forecast_column].values}),
        ],
        ignore_index=True,
    )
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("bar:N", title=None, sort=[ours_label, base_label, forecast_label]),
            x=alt.X("sum(usd_bn):Q", title="USD billion over three years"),
            color=alt.Color(
                "company:N",
                title=None,
                scale=alt.Scale(domain=COMPANIES + ["GS total"], range=PALETTE[: len(COMPANIES)] + [PALETTE[7]]),
                legend=alt.Legend(columns=2),
            ),
            tooltip=[alt.Tooltip("bar:N"), alt.Tooltip("company:N"), alt.Tooltip("usd_bn:Q", title="USD bn", format=",.0f")],
        )
    )
    ours_total = table.loc["Total", ours_column]
    chart = bars.properties(
        width="container",
        height=200,
        title=alt.Title(
            "Three years of capex",
            subtitle="Company filings (cash) and Goldman Sachs (GS), whose past total is not split and whose forecast counts "
            "AWS, not all of Amazon",
        ),
        description=(
            f"Horizontal stacked bars: the five companies' cash capex in {gs_base['period']} from their filings adds up to "
            f"${ours_total:,.0f} billion; Goldman Sachs puts the same years at ${gs_base['capex_busd']:,.0f} billion and "
            f"forecasts ${gs_forecast['capex_busd']:,.0f} billion for {gs_forecast['period']}."
        ),
    )
    return charts.figure(
        chart, "selling-shovels-forecast", ["hyperscaler_capex", "hyperscaler_capex_forecast_gs"], data=data, store=store
    )


def largest_losses(losses: pd.DataFrame, top: int = 10, *, store: Store) -> Figure:
    """The largest one-day falls in market value among NVIDIA, Apple and Microsoft, as horizontal bars."""
    worst = losses.head(top)
    data = pd.DataFrame(
        {
            "day": worst["date"].dt.strftime("%Y-%m-%d") + " " + worst["company"],
            "company": worst["company"],
            "change_pct": worst["change"] * 100,
            "loss_bn": -worst["value_change"] / 1e9,
        }
    )
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("day:N", sort="-x", title=None),
            x=alt.X("loss_bn:Q", title="Value lost in a day (USD billion)"),
            color=alt.Color(
                "company:N",
                title=None,
                scale=alt.Scale(domain=["NVIDIA", "Apple", "Microsoft"], range=[NVIDIA_GREEN, PALETTE[0], PALETTE[1]]),
            ),
            tooltip=[
                alt.Tooltip("day:N"),
                alt.Tooltip("loss_bn:Q", title="USD bn", format=".1f"),
                alt.Tooltip("change_pct:Q", title="% change", format=".2f"),
            ],
        )
    )
    first = worst.iloc[0]
    chart = bars.properties(
        width="container",
        height=22 * len(data),
        title=alt.Title(
            f"The {len(data)} largest one-day falls in value",
            subtitle=f"NVIDIA, Apple and Microsoft, close to close, since {losses['date'].min():%-d %b %Y} (Apple, Microsoft "
            "approximate)",
        ),
        description=(
            f"Horizontal bars of the {len(data)} largest one-day losses of market value among NVIDIA, Apple and Microsoft. "
            f"The largest is {first.company}'s on {first.date:%-d %B %Y}, ${-first.value_change / 1e9:.0f} billion "
            f"({first.change:.1%}); " + ", ".join(f"{r.day} ${r.loss_bn:.0f}bn" for r in data.iloc[1:].itertuples()) + "."
        ),
    )
    return charts.figure(
        chart,
        "selling-shovels-losses",
        CAP + ["aapl_daily", "msft_daily", "aapl_msft_weighted_shares"],
        data=data,
        note="Apple and Microsoft values use weighted-average share counts, so they are approximate.",
        store=store,
    )


def trillion_path(path: pd.DataFrame, *, store: Store) -> Figure:
    """Days NVIDIA took to add each trillion of market value (first closes)."""
    steps = path.dropna(subset=["days"]).reset_index(drop=True)
    labels = [
        f"${a / tf.TRILLION:.0f}T to ${b / tf.TRILLION:.0f}T"
        for a, b in zip(path["threshold"], path["threshold"].iloc[1:], strict=False)
    ]
    data = pd.DataFrame({"step": labels, "days": steps["days"].astype(int), "reached": steps["date"].dt.strftime("%Y-%m-%d")})
    bars = (
        alt.Chart(data)
        .mark_bar(color=NVIDIA_GREEN)
        .encode(
            y=alt.Y("step:N", sort=labels, title=None),
            x=alt.X("days:Q", title="Calendar days between first closes"),
            tooltip=[alt.Tooltip("step:N"), alt.Tooltip("days:Q"), alt.Tooltip("reached:N", title="first close")],
        )
    )
    text = bars.mark_text(align="left", dx=4, fontSize=11).encode(text=alt.Text("days:Q"))
    chart = (bars + text).properties(
        width="container",
        height=55 * len(data),
        title=alt.Title(
            "One trillion at a time",
            subtitle="Calendar days from the first close above one trillion to the first close above the next",
        ),
        description="Horizontal bars of the days NVIDIA took to add each trillion of market value: "
        + ", ".join(f"{r.step} {r.days} days" for r in data.itertuples())
        + ".",
    )
    return charts.figure(chart, "selling-shovels-trillions", CAP, data=data, store=store)
