"""One Altair theme and one way to put a chart on a page.

``figure(chart, name, datasets)`` returns a displayable figure: the chart as a small
``<div>`` plus a ``goldrushEmbed`` call (the Vega scripts are served once from the site's
``_static``, never from a CDN), a caption naming the sources, a text description for screen
readers and a link to the chart's data as CSV. Every chart must carry a title and a description.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import textwrap
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from goldrush import sources
from goldrush.errors import GoldrushError

# Okabe-Ito: distinguishable with the common colour-vision deficiencies, on light and dark pages.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#999999"]
NVIDIA_GREEN = "#4E9A06"
CHART_DIR_ENV = "GOLDRUSH_CHART_DIR"  # where the book build writes each chart's CSV
HEIGHT = 300
SUBTITLE_WIDTH = 48  # characters per subtitle line, so a phone-width chart keeps its full plot width


@alt.theme.register("goldrush", enable=True)
def goldrush_theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "background": None,
            "font": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
            "view": {"continuousHeight": HEIGHT, "continuousWidth": 600, "stroke": None},
            "title": {"anchor": "start", "fontSize": 15, "subtitleFontSize": 12, "offset": 10},
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "labelLimit": 180, "gridOpacity": 0.5},
            "legend": {"orient": "bottom", "labelFontSize": 11, "titleFontSize": 12, "labelLimit": 220},
            "range": {"category": PALETTE},
            "line": {"strokeWidth": 2},
        }
    }


def publish_text(name: str, text: str) -> None:
    """Write a file for the site beside the chapter (chart CSVs, claims.json), when the book build asks for it."""
    folder = os.environ.get(CHART_DIR_ENV)
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / name).write_text(text, encoding="utf-8")


def _chart_id(spec: dict[str, Any]) -> str:
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()
    return f"gr-{digest[:12]}"


def _caption(datasets: list[str], note: str | None) -> str:
    parts = []
    for name in datasets:
        record = sources.provenance(name)
        credit = f"; {record['note']}" if record.get("note") else ""
        parts.append(f"{', '.join(record['providers'])} ({record['title']}{credit})")
    text = "Source: " + "; ".join(dict.fromkeys(parts)) + "." if parts else ""
    return " ".join(t for t in (text, note) if t)


class Figure:
    """A chart ready for a book page (HTML) and for a terminal (plain text)."""

    def __init__(
        self,
        chart: alt.TopLevelMixin,
        name: str,
        datasets: list[str],
        data: pd.DataFrame | None = None,
        note: str | None = None,
    ):
        spec = chart.to_dict()
        title = spec.get("title")
        description = spec.get("description")
        if not title or not description:
            raise GoldrushError(f"chart {name!r} needs a title and a description (for screen readers)")
        if isinstance(title, dict) and isinstance(title.get("subtitle"), str):
            # a long one-line subtitle would make Vega shrink the plot to fit it on a narrow screen
            title["subtitle"] = textwrap.wrap(title["subtitle"], SUBTITLE_WIDTH)
        self.name = name
        self.spec = spec
        self.title = title["text"] if isinstance(title, dict) else title
        self.description = description
        self.caption = _caption(datasets, note)
        self.data = data if data is not None else chart.data if isinstance(chart.data, pd.DataFrame) else None
        self.csv_name = f"{name}.csv"
        self._publish_csv()

    def _publish_csv(self) -> None:
        if self.data is not None:
            publish_text(self.csv_name, self.data.to_csv(index=False, date_format="%Y-%m-%d"))

    def _repr_html_(self) -> str:
        chart_id = _chart_id(self.spec)
        spec_json = json.dumps(self.spec, separators=(",", ":"), default=str).replace("</", "<\\/")
        link = f' <a href="data/{self.csv_name}" download>Download the data (CSV)</a>.' if self.data is not None else ""
        return (
            f'<figure class="goldrush-figure">'
            f'<div id="{chart_id}" class="goldrush-chart" role="img" aria-label="{html.escape(self.description)}"></div>'
            f'<script>goldrushEmbed("{chart_id}", {spec_json});</script>'
            f'<figcaption><span class="goldrush-description">{html.escape(self.description)}</span> '
            f"{html.escape(self.caption)}{link}</figcaption></figure>"
        )

    def __repr__(self) -> str:
        return f"Chart: {self.title}\n{self.description}\n{self.caption}"


def figure(
    chart: alt.TopLevelMixin,
    name: str,
    datasets: list[str],
    data: pd.DataFrame | None = None,
    note: str | None = None,
) -> Figure:
    """Wrap a titled, described Altair chart for the page, with its sources and its data as CSV.

    ``data`` is the table offered as CSV (default: the chart's own data).
    """
    return Figure(chart, name, datasets, data, note)

