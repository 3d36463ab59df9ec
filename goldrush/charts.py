"""One Altair theme and one way to put a chart on a page.

``figure(chart, name, datasets)`` returns a displayable figure. On the page it is one
``role="img"`` element named by the chart's description, holding static SVGs of the chart (made
here by vl-convert, one per theme and per width, so the page paints with no script), a data table
in a ``<details>`` for screen readers, a caption naming the sources and a link to the data as CSV.
The chart's spec is a JSON file beside the page (or, when not published, escaped JSON in the page);
``goldrush-charts.js`` fetches it and draws it with Vega (served once from the site's ``_static``)
only when a reader interacts or the chart nears the viewport.

Colours and layout are chosen per theme and width here, and the same rules reach the browser in
each chart's JSON, so the static and the live chart look the same.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import os
import re
import shutil
import tempfile
import textwrap
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from goldrush import paths, sources, svg_cache
from goldrush.chart_themes import THEMES
from goldrush.errors import GoldrushError

# Okabe-Ito: distinguishable with the common colour-vision deficiencies. Each theme below maps the
# colours that lack contrast on its background to a darker (light theme) or lighter (dark) shade.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#999999"]
NVIDIA_GREEN = "#4E9A06"
CHART_DIR_ENV = "GOLDRUSH_CHART_DIR"  # where the book build writes each chart's CSV, SVGs and spec
HEIGHT = 300
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
NARROW_BELOW = 600  # container width (px) under which a chart uses its narrow layout
STATIC_WIDTHS = {"wide": 720, "narrow": 360}  # widths of the static SVGs (vl-convert cannot measure a container)
TABLE_ROWS = 60  # at most this many rows in a chart's data table (every n-th row of longer data)
Y_TITLE_CHARS = 36  # a y-axis title runs along the plot's 300 px height: longer titles wrap onto more lines
# Static pictures: vl-convert measures text with its own fonts and a browser draws it with the
# reader's, often wider (Chromium's DejaVu Sans on Debian: up to 13 px on a 140 px label). The
# padding leaves room for y-axis labels (left; at most axis.labelLimit, 180 px, as measured) and the
# last x-axis label (right, centred on the edge) drawn 15 % wider than measured.
STATIC_PADDING = {"left": 28, "right": 16, "top": 5, "bottom": 5}

LAYOUTS: dict[str, dict[str, Any]] = {  # title wrap widths (characters) and legend layout per width
    "wide": {"title": 60, "subtitle": 80, "legend": {"columns": 2, "labelLimit": 220}},
    "narrow": {"title": 34, "subtitle": 46, "legend": {"columns": 1, "labelLimit": 300}},
}


@alt.theme.register("goldrush", enable=True)
def goldrush_theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "background": None,  # type: ignore[typeddict-item]  # Vega-Lite takes null; altair's ThemeConfig says str
            "aria": False,  # the page names each chart once; Vega's per-mark labels would be read one by one
            "font": FONT,
            "view": {"continuousHeight": HEIGHT, "continuousWidth": 600, "stroke": None},
            "title": {"anchor": "start", "fontSize": 15, "subtitleFontSize": 12, "offset": 10},
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "labelLimit": 180, "gridOpacity": 0.8},
            "legend": {"orient": "bottom", "direction": "horizontal", "labelFontSize": 11, "titleFontSize": 12},
            "range": {"category": PALETTE},
            "line": {"strokeWidth": 2},
        }
    }


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        out[key] = _merge(base.get(key) or {}, value) if isinstance(value, dict) else value
    return out


def _recolour(node: Any, colours: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {k: _recolour(v, colours) for k, v in node.items()}
    if isinstance(node, list):
        return [_recolour(v, colours) for v in node]
    if isinstance(node, str):
        return colours.get(node.lower(), node)
    return node


def themed(spec: dict[str, Any], theme: str) -> dict[str, Any]:
    """``spec`` in a theme's colours (the same rules the browser applies)."""
    rules = THEMES[theme]
    colours = {k.lower(): v for k, v in rules["colors"].items()}
    recoloured = {k: v if k == "datasets" else _recolour(v, colours) for k, v in spec.items()}
    recoloured["config"] = _merge(recoloured.get("config") or {}, rules["config"])
    return recoloured


def _colour_roles(theme: str) -> dict[str, str]:
    """Each colour a theme draws, keyed by what asks for it (a config setting or a spec colour)."""
    rules = THEMES[theme]
    roles = {
        f"{part}.{key}": value for part, settings in rules["config"].items() for key, value in settings.items() if "olor" in key
    }
    for colour in {*PALETTE, *THEMES["light"]["colors"], *THEMES["dark"]["colors"]}:
        roles[colour.lower()] = rules["colors"].get(colour, colour)
    return roles


def light_to_dark() -> dict[str, str]:
    """The dark theme's colour (as the theme writes it) for each colour the light theme draws (lower-case).

    Raises GoldrushError when one light colour would need two dark ones (the themes must differ in
    colour only, one for one, for ``dark_svg`` to be exact)."""
    light, dark = _colour_roles("light"), _colour_roles("dark")
    mapping: dict[str, str] = {}
    for role, colour in light.items():
        wanted = dark[role]
        if mapping.setdefault(colour.lower(), wanted).lower() != wanted.lower():
            raise GoldrushError(f"light colour {colour} would be both {mapping[colour.lower()]} and {wanted} in the dark theme")
    return {k: v for k, v in mapping.items() if k != v}


PAINT = re.compile(r'\b(fill|stroke)="(#[0-9a-fA-F]{3,8})"')


def dark_svg(light: str, mapping: dict[str, str]) -> str:
    """A light-theme SVG from vl-convert in the dark theme's colours (``mapping`` from ``light_to_dark``)."""
    return PAINT.sub(lambda m: f'{m.group(1)}="{mapping.get(m.group(2).lower(), m.group(2))}"', light)


def _wrap(text: Any, width: int) -> Any:
    joined = " ".join(text) if isinstance(text, list) else text
    lines = textwrap.wrap(joined, width) if isinstance(joined, str) else joined
    return lines[0] if isinstance(lines, list) and len(lines) == 1 else lines


def _title(title: Any, layout: str) -> Any:
    widths = LAYOUTS[layout]
    if isinstance(title, dict):
        out = dict(title, text=_wrap(title.get("text", ""), widths["title"]))
        if title.get("subtitle"):
            out["subtitle"] = _wrap(title["subtitle"], widths["subtitle"])
        return out
    return _wrap(title, widths["title"])


def _tidied(node: Any) -> Any:
    """Every mapping of a spec (its data and config left as they are), bottom up, with legend columns
    left to the layout (narrow or wide, not each chart) and y-axis titles longer than
    ``Y_TITLE_CHARS`` as lines of at most that many characters."""
    if isinstance(node, list):
        return [_tidied(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: v if k in ("datasets", "config") else _tidied(v) for k, v in node.items()}
    if isinstance(out.get("legend"), dict):
        out["legend"] = {k: v for k, v in out["legend"].items() if k != "columns"}
    for channel in ("y", "y2"):
        field = out.get(channel)
        if isinstance(field, dict) and isinstance(field.get("title"), str) and len(field["title"]) > Y_TITLE_CHARS:
            out[channel] = {**field, "title": textwrap.wrap(field["title"], Y_TITLE_CHARS, break_on_hyphens=False)}
    return out


def layout_overrides(spec: dict[str, Any], layout: str) -> dict[str, Any]:
    """The top-level keys that differ between the wide and the narrow chart."""
    return {
        "title": _title(spec["title"], layout),
        "config": _merge(spec.get("config") or {}, {"legend": LAYOUTS[layout]["legend"]}),
    }


def static_spec(spec: dict[str, Any], theme: str, layout: str) -> dict[str, Any]:
    """The spec vl-convert renders: themed, laid out, with an explicit width. As in the browser
    (Vega-Lite's ``width: "container"``), the width is fitted and the height is what the chart needs."""
    out = themed({**spec, **layout_overrides(spec, layout)}, theme)
    if out.get("width") == "container":
        out["width"] = STATIC_WIDTHS[layout]
        out["autosize"] = {"type": "fit-x", "contains": "padding"}
    out["padding"] = STATIC_PADDING
    return out


def _chart_dir() -> Path | None:
    folder = os.environ.get(CHART_DIR_ENV)
    if not folder:
        return None
    Path(folder).mkdir(parents=True, exist_ok=True)
    return Path(folder)


def publish_text(name: str, text: str) -> None:
    """Write a file for the site beside the chapter (chart CSVs, claims.json), when the book build asks for it."""
    folder = _chart_dir()
    if folder:
        (folder / name).write_text(text, encoding="utf-8")


def published_once(name: str, inputs: str, publish: Callable[[], None]) -> None:
    """Call ``publish``, which writes the files ``<name>.*`` beside the chapter, unless it did for
    the same ``inputs`` (a text naming everything they depend on) in an earlier run: then the files
    it wrote, kept in ``_build/figures/<name>-<digest>/``, are copied instead. Only the last
    inputs' files are kept for each name."""
    folder = _chart_dir()
    if folder is None:
        publish()
        return
    versions = " ".join(metadata.version(p) for p in ("altair", "vl-convert-python"))
    digest = hashlib.sha256(f"{inputs}\n{versions}".encode()).hexdigest()[:20]
    kept = paths.BUILD / "figures" / f"{name}-{digest}"
    if kept.is_dir():
        for file in kept.iterdir():
            shutil.copyfile(file, folder / file.name)
        return
    publish()
    with contextlib.suppress(OSError):  # not kept in a read-only build
        kept.parent.mkdir(parents=True, exist_ok=True)
        staged = Path(tempfile.mkdtemp(prefix=".staged-", dir=kept.parent))
        for file in folder.glob(f"{name}.*"):
            shutil.copyfile(file, staged / file.name)
        for old in kept.parent.glob(f"{name}-*"):
            shutil.rmtree(old, ignore_errors=True)
        staged.rename(kept)


def script_json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>``, ``&`` or line separators left that
    the HTML parser (or an old JavaScript parser) could read as markup or a line end."""
    text = json.dumps(value, separators=(",", ":"), default=str, ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text


def _chart_id(spec: dict[str, Any]) -> str:
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()
    return f"gr-{digest[:12]}"


def _caption(datasets: list[str], store: sources.Store | None, note: str | None) -> str:
    if not datasets:
        return note or ""
    if store is None:
        raise GoldrushError(f"a chart crediting {', '.join(datasets)} must name the store they were read from")
    parts = []
    for name in datasets:
        record = store.provenance(name)
        credit = f"; {record['note']}" if record.get("note") else ""
        parts.append(f"{', '.join(record['providers'])} ({record['title']}{credit})")
    text = "Source: " + "; ".join(dict.fromkeys(parts)) + "."
    return " ".join(t for t in (text, note) if t)


def _svg_size(svg: str) -> tuple[int, int]:
    match = re.search(r'<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"', svg)
    return (round(float(match.group(1))), round(float(match.group(2)))) if match else (STATIC_WIDTHS["wide"], HEIGHT)


def _table(frame: pd.DataFrame) -> tuple[str, str]:
    """The chart's data as an HTML table (every n-th row of long data) and a sentence saying which rows."""
    step = max(1, -(-len(frame) // TABLE_ROWS))
    shown = frame.iloc[::step]
    if step > 1 and shown.index[-1] != frame.index[-1]:
        shown = pd.concat([shown, frame.iloc[[-1]]])
    shown = shown.copy()
    for column in shown.columns:
        if pd.api.types.is_datetime64_any_dtype(shown[column]):
            shown[column] = shown[column].dt.strftime("%Y-%m-%d")
    table = shown.to_html(index=False, border=0, classes="goldrush-data-table", na_rep="", float_format=lambda v: f"{v:,.4g}")
    table = table.replace('<tr style="text-align: right;">', "<tr>")
    note = f"Every {step}th of {len(frame)} rows, and the last; the CSV has them all." if step > 1 else f"All {len(frame)} rows."
    return table, note


class Figure:
    """A chart ready for a book page (HTML) and for a terminal (plain text)."""

    def __init__(
        self,
        chart: alt.TopLevelMixin,
        name: str,
        datasets: list[str],
        store: sources.Store | None,
        data: pd.DataFrame | None = None,
        note: str | None = None,
    ):
        spec = chart.to_dict()
        title = spec.get("title")
        description = spec.get("description")
        if not title or not description:
            raise GoldrushError(f"chart {name!r} needs a title and a description (for screen readers)")
        self.name = name
        self.spec = _tidied({**spec, **layout_overrides(spec, "wide")})
        self.title = " ".join(t for t in ([title["text"]] if isinstance(title, dict) else [title]) if isinstance(t, str)) or str(
            title
        )
        self.description = description
        self.caption = _caption(datasets, store, note)
        self.data = data if data is not None else chart.data if isinstance(chart.data, pd.DataFrame) else None
        self.csv_name = f"{name}.csv"
        self.static: dict[str, tuple[str, int, int]] = {}  # "light-wide" -> (file name, width, height)
        self._publish()

    def _publish(self) -> None:
        if _chart_dir() is None:
            return
        if self.data is not None:
            publish_text(self.csv_name, self.data.to_csv(index=False, date_format="%Y-%m-%d"))
        version = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]
        dark = light_to_dark()
        for layout in STATIC_WIDTHS:
            light = svg_cache.svg(static_spec(self.spec, "light", layout), version)
            for theme, svg in (("light", light), ("dark", dark_svg(light, dark))):
                file = svg_cache.static_name(self.name, theme, layout)
                publish_text(file, svg)
                self.static[f"{theme}-{layout}"] = (file, *_svg_size(svg))
        publish_text(f"{self.name}.chart.json", json.dumps(self.payload(), separators=(",", ":"), default=str))

    def _pictures(self) -> str:
        if not self.static:  # not published with a page (a notebook in JupyterLab): the chart inline, light theme
            import vl_convert

            version = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]
            svg = vl_convert.vegalite_to_svg(static_spec(self.spec, "light", "wide"), vl_version=version)
            return f'<div class="goldrush-static" aria-hidden="true">{svg}</div>'
        parts = []
        for theme in THEMES:
            narrow, wide = self.static[f"{theme}-narrow"], self.static[f"{theme}-wide"]
            parts.append(
                f'<picture class="goldrush-static-{theme}">'
                f'<source media="(max-width: {NARROW_BELOW - 1}px)" srcset="data/{narrow[0]}" width="{narrow[1]}" '
                f'height="{narrow[2]}">'
                f'<img src="data/{wide[0]}" width="{wide[1]}" height="{wide[2]}" alt="" loading="lazy" decoding="async">'
                f"</picture>"
            )
        return f'<div class="goldrush-static" aria-hidden="true">{"".join(parts)}</div>'

    def payload(self) -> dict[str, Any]:
        """What the browser needs to draw the chart: the spec, its narrow layout and the themes."""
        return {
            "spec": self.spec,
            "narrow": layout_overrides(self.spec, "narrow"),
            "narrowBelow": NARROW_BELOW,
            "themes": {name: {"config": t["config"], "colors": t["colors"]} for name, t in THEMES.items()},
        }

    def _repr_html_(self) -> str:
        chart_id = _chart_id(self.spec)
        link = f' <a href="data/{self.csv_name}" download>Download the data (CSV)</a>.' if self.data is not None else ""
        table = ""
        if self.data is not None and len(self.data):
            rows, which = _table(self.data)
            table = (
                f'<details class="goldrush-data"><summary>The chart\'s data as a table</summary>'
                f'<p>{html.escape(which)}</p><div class="goldrush-table-scroll">{rows}</div></details>'
            )
        if self.static:  # published with the page: the spec is fetched only when the chart is drawn
            spec = ""
            attributes = f' data-preview="data/{self.name}.png" data-spec="data/{self.name}.chart.json"'
        else:
            spec = f'<script type="application/json" class="goldrush-spec">{script_json(self.payload())}</script>'
            attributes = ""
        return (
            f'<figure class="goldrush-figure">'
            f'<div id="{chart_id}" class="goldrush-chart" role="img" aria-label="{html.escape(self.description)}"{attributes}>'
            f"{self._pictures()}"
            f'<div class="goldrush-live" aria-hidden="true"></div></div>{spec}'
            f"<figcaption>{html.escape(self.caption)}{link}</figcaption>{table}</figure>"
        )

    def __repr__(self) -> str:
        return f"Chart: {self.title}\n{self.description}\n{self.caption}"


def figure(
    chart: alt.TopLevelMixin,
    name: str,
    datasets: list[str],
    *,
    store: sources.Store | None = None,
    data: pd.DataFrame | None = None,
    note: str | None = None,
) -> Figure:
    """Wrap a titled, described Altair chart for the page, with its sources and its data as CSV.

    The caption credits ``datasets`` as read through ``store`` (the chapter context's: snapshot or
    live, with what a live fetch recorded; required when there are datasets); ``data`` is the table
    offered as CSV (default: the chart's own data).
    """
    return Figure(chart, name, datasets, store, data, note)
