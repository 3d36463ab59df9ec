"""Verdict over time: a date-bound claim checked at every week's end across the data's range.

A claim is date-bound when its chapter takes an ``as_of`` date and the claim is about the market
(market values, multiples, rankings, "bigger than"): its verdict depends on the day chosen. The
same check code runs at every Friday from the chapter's ``since`` to the end of the data, with the
chapter's other parameters unchanged; the datasets are loaded once and shared by every date.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import altair as alt
import pandas as pd

from goldrush import charts, checks, fingerprints, timeline_cache
from goldrush.chapters import get as chapter
from goldrush.checks import Verdict
from goldrush.context import AsOfContext
from goldrush.verdict_periods import Period, runs, series_name

FREQUENCY = "W-FRI"
COLUMNS = ["date", "verdict", "data_value", "unit", "why"]
VERDICT_COLOURS = dict(
    zip([v.value for v in Verdict], ["#2e7d32", "#9e9d24", "#c62828", "#ef6c00", "#78909c", "#8e6bb0"], strict=True)
)


def date_bound(claim: checks.Claim) -> bool:
    """True when the claim's verdict depends on the chosen day."""
    return claim.kind == "market" and "as_of" in chapter(claim.chapter).ranges and claim.check is not None


def dates(slug: str, parameters: dict[str, Any]) -> list[date]:
    """Every Friday after ``since`` up to the end of the data ``as_of`` may take, plus ``as_of`` itself."""
    low, high = chapter(slug).bounds(str(parameters.get("source", "snapshot")))["as_of"]
    since = date.fromisoformat(str(parameters["since"])) if parameters.get("since") else low
    fridays = pd.date_range(max(low, since), high, freq=FREQUENCY)
    days = {d.date() for d in fridays if d.date() > since} | {date.fromisoformat(str(parameters["as_of"]))}
    return sorted(days)


def over_time(
    ids: list[str], slug: str, parameters: dict[str, Any], known: timeline_cache.Rows | None = None
) -> dict[str, pd.DataFrame]:
    """For each claim in ``ids`` (all in chapter ``slug``), its verdict, data value and why at every
    date; the rows in ``known`` (checked before with the same inputs, see ``goldrush.timeline_cache``)
    are taken as they are."""
    known = known or {}
    base = checks.context(slug, **parameters)
    assert isinstance(base, AsOfContext), f"{slug}: verdicts over time need a chapter with an as_of date"
    rows: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    for day in dates(slug, parameters):
        todo = [i for i in ids if day.isoformat() not in known.get(i, {})]
        ctx = dataclasses.replace(base, as_of=day)  # shares base's store: every date reads the same datasets
        checked = {f.claim_id: f for f in checks.evaluate(todo, ctx)} if todo else {}
        for i in ids:
            finding = checked.get(i)
            rows[i].append(
                timeline_cache.row(known[i][day.isoformat()])
                if finding is None
                else {
                    "date": day,
                    "verdict": finding.verdict.value,
                    "data_value": finding.data_value,
                    "unit": finding.unit,
                    "why": finding.why,
                }
            )
    return {i: pd.DataFrame(r, columns=COLUMNS) for i, r in rows.items()}


def periods(frame: pd.DataFrame) -> pd.DataFrame:
    """Consecutive dates with the same verdict, as ``verdict, first, last, dates`` (``verdict_periods.runs``)."""
    return pd.DataFrame(runs(zip(frame["date"], frame["verdict"], strict=True)), columns=Period._fields)


def publish(frames: dict[str, pd.DataFrame], chosen: dict[str, str]) -> None:
    """Publish each claim's verdict over time beside the chart data: its chart (static pictures,
    spec and CSV, as every chart of the book) and the chart's HTML, which its claim page embeds.
    ``chosen`` is each claim's ``as_of`` in this run (the dashed rule)."""
    code = fingerprints.checks()
    for claim_id, frame in frames.items():
        as_text = frame.assign(date=pd.to_datetime(frame["date"]).dt.strftime("%Y-%m-%d"))  # as its CSV holds them

        def publish_one(claim_id: str = claim_id, as_text: pd.DataFrame = as_text) -> None:
            fig = figure(claim_id, as_text, chosen[claim_id])
            charts.publish_text(series_name(claim_id) + ".html", fig._repr_html_())

        inputs = "\n".join([code, claim_id, chosen[claim_id], as_text.to_csv(index=False)])
        charts.published_once(series_name(claim_id), inputs, publish_one)  # a claim whose history did not change: as before


def describe(claim_id: str, frame: pd.DataFrame) -> str:
    spans = periods(frame)
    parts = [
        f"{p.verdict} from {p.first} to {p.last}" if p.first != p.last else f"{p.verdict} on {p.first}"
        for p in spans.itertuples()
    ]
    return (
        f"Strip chart of the verdict on {claim_id} at {len(frame)} dates from {frame['date'].iloc[0]} to "
        f"{frame['date'].iloc[-1]}: " + "; ".join(parts) + "."
    )


def figure(claim_id: str, frame: pd.DataFrame, chosen: str) -> charts.Figure:
    """The verdict over time: a band per run of equal verdicts (colour), the data value checked on
    each date as a step line with its reason in the tooltip, and a rule at the date the book uses."""
    days = pd.to_datetime(frame["date"])
    spans = periods(frame)
    starts = pd.to_datetime(spans["first"])
    bands = spans.assign(start=starts, end=starts.shift(-1).fillna(days.iloc[-1] + pd.Timedelta(days=7)))
    values = pd.DataFrame(  # only what the chart needs; the CSV keeps every column
        {
            "date": days,
            "value": pd.to_numeric(frame["data_value"], errors="coerce"),
            "verdict": frame["verdict"],
            "why": frame["why"],
        }
    )
    unit = frame["unit"].mode().iloc[0]
    used = [v for v in VERDICT_COLOURS if v in set(frame["verdict"])]
    colour = alt.Color("verdict:N", title="Verdict", scale=alt.Scale(domain=used, range=[VERDICT_COLOURS[v] for v in used]))
    x = alt.X("start:T", title="Date the claim is checked on (as_of)")
    band = (
        alt.Chart(bands)
        .mark_rect(opacity=0.35)
        .encode(
            x=x,
            x2=alt.X2("end:T"),
            color=colour,
            tooltip=[
                alt.Tooltip("verdict:N"),
                alt.Tooltip("first:N", title="from"),
                alt.Tooltip("last:N", title="to"),
                alt.Tooltip("dates:Q", title="dates checked"),
            ],
        )
    )
    line = (
        alt.Chart(values)
        .mark_line(interpolate="step-after", color=charts.PALETTE[0])
        .encode(x=alt.X("date:T"), y=alt.Y("value:Q", title=unit, scale=alt.Scale(zero=False)))
    )
    points = (
        alt.Chart(values)
        .mark_point(filled=True, size=18, color=charts.PALETTE[0])
        .encode(
            x=alt.X("date:T"),
            y=alt.Y("value:Q"),
            tooltip=[
                alt.Tooltip("date:T", title="as of"),
                alt.Tooltip("verdict:N"),
                alt.Tooltip("value:Q", title="data say"),
                alt.Tooltip("why:N"),
            ],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"date": [pd.Timestamp(chosen)]}))
        .mark_rule(strokeDash=[4, 3], color="#888")
        .encode(x=alt.X("date:T"))
    )
    chart = (band + line + points + rule).properties(
        width="container",
        title=alt.Title(
            f"{claim_id}: the verdict on every date",
            subtitle="Checked at every Friday by the same code. Bands: the verdict; line: what the data say; dashed: the "
            f"book's date, {chosen}",
        ),
        description=describe(claim_id, frame),
    )
    return charts.figure(
        chart,
        series_name(claim_id),
        [],
        data=frame,
        note="Source: this book's check of the claim, rerun on each date; the datasets are listed below.",
    )
