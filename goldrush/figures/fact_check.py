"""Charts for chapter 5, "Fact check"."""

from __future__ import annotations

import json
import textwrap

import altair as alt
import pandas as pd

from goldrush import charts
from goldrush.charts import Figure
from goldrush.checks import Verdict

# verdict colours, in the order of the vocabulary (kept close to the badges in goldrush.css)
VERDICT_COLOURS = ["#2e7d32", "#9e9d24", "#c62828", "#ef6c00", "#78909c", "#8e6bb0"]


def _wrapped_labels(titles: list[str], width: int = 24) -> str:
    """A Vega expression that shows each title on lines of at most ``width`` characters."""
    return f"{json.dumps({t: textwrap.wrap(t, width) for t in titles})}[datum.label] || datum.label"


def verdicts_by_section(records: list[dict], section_titles: dict[str, str]) -> Figure:
    """How many claims of each section got each verdict (stacked bars)."""
    frame = pd.DataFrame(records)
    counts = (
        frame.assign(section=frame["section"].map(section_titles))
        .groupby(["section", "verdict"], sort=False)
        .size()
        .reset_index(name="claims")
    )
    order = list(section_titles.values())
    vocabulary = [v.value for v in Verdict]
    bars = (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            # section titles wrap onto short lines, so the bars and the legend keep their width on a phone
            y=alt.Y("section:N", sort=order, title=None, axis=alt.Axis(labelLimit=170, labelExpr=_wrapped_labels(order))),
            x=alt.X("claims:Q", title="Number of claims", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("verdict:N", title="Verdict", scale=alt.Scale(domain=vocabulary, range=VERDICT_COLOURS)),
            order=alt.Order("verdict_rank:Q"),
            tooltip=[alt.Tooltip("section:N"), alt.Tooltip("verdict:N"), alt.Tooltip("claims:Q")],
        )
        .transform_calculate(verdict_rank=f"indexof({vocabulary}, datum.verdict)")
    )
    totals = frame["verdict"].value_counts()
    chart = bars.properties(
        width="container",
        height=260,
        title=alt.Title("Verdicts on the article's claims", subtitle="Claims per section of the article, by verdict"),
        description=(
            f"Stacked bar chart of the {len(frame)} claims by section and verdict. Overall: "
            + ", ".join(f"{v} {totals.get(v, 0)}" for v in vocabulary)
            + "."
        ),
    )
    note = "Source: this book's claim checks, computed from the datasets named for each claim in the table below."
    return charts.figure(chart, "fact-check-verdicts", [], data=counts, note=note)
