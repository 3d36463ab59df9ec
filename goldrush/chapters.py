"""The book's chapters, each declared once: notebook, datasets, the claims at home in it, and the
range of each date parameter, read from the data the chapter uses.

The declaration feeds the provenance box (``datasets``), the live preflight (``datasets``), the
checks (``claims``) and the validator (``ranges``): a date outside its range is refused before any
kernel starts, and every date inside it runs.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from goldrush import paths
from goldrush.errors import GoldrushError

if TYPE_CHECKING:  # pandas is imported where a date range is read: `goldrush book` with nothing to do never needs it
    import pandas as pd


@dataclass(frozen=True)
class Edge:
    """One end of a parameter's range, from data: the first or last date in ``dataset`` (its first date
    column, or ``column``), or of its one row whose ``event_en`` contains ``phrase``, plus ``days``."""

    dataset: str
    column: str | None = None
    phrase: str | None = None
    days: int = 0

    def dates(self, frame: pd.DataFrame) -> pd.Series:
        import pandas as pd

        from goldrush import data

        column = self.column or next(f["name"] for f in data.entry(self.dataset)["schema"]["fields"] if f["type"] == "date")
        if self.phrase:
            frame = frame[frame["event_en"].str.contains(self.phrase, regex=False)]
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            return values.dropna().dt.normalize()  # the day of each timestamp
        return pd.to_datetime(values.astype(str).str[:10], errors="coerce").dropna()

    def first(self, frame: pd.DataFrame) -> date:
        return (self.dates(frame).min() + timedelta(days=self.days)).date()

    def last(self, frame: pd.DataFrame) -> date:
        return (self.dates(frame).max() + timedelta(days=self.days)).date()


@dataclass(frozen=True)
class DateRange:
    """A date parameter lies from the latest of ``lo`` (first dates) to the earliest of ``hi`` (last dates)."""

    lo: tuple[Edge, ...]
    hi: tuple[Edge, ...]
    why: str  # what the range protects, for `goldrush chapters`


@dataclass(frozen=True)
class Chapter:
    number: int
    slug: str
    notebook: str
    title: str
    datasets: tuple[str, ...] = ()
    ranges: dict[str, DateRange] = field(default_factory=dict)
    window: tuple[str, str] | None = None  # the (earlier, later) pair of date parameters
    min_window: Edge | None = None  # shortest window: the longest gap between consecutive dates of a dataset ...
    min_window_times: int = 1  # ... times this many (so a window always holds that many of its dates)
    min_window_why: str = ""
    gathers: bool = False  # takes every other chapter's parameters (the fact-check)

    @property
    def source(self) -> Path:
        return paths.NOTEBOOKS / self.notebook

    @property
    def executed(self) -> Path:
        return paths.CHAPTERS_OUT / self.notebook

    def defaults(self) -> dict[str, Any]:
        """The values in the notebook's ``parameters`` cell (the single source of defaults)."""
        return _defaults(self.source)

    def claims(self) -> list[str]:
        """The claims at home in this chapter (``chapter`` in seeds/claims.yml)."""
        from goldrush import checks

        return checks.chapter_claims(self.slug)

    def bounds(self, source: str = "snapshot", today: date | None = None) -> dict[str, tuple[date, date]]:
        """Each date parameter's earliest and latest value: from the snapshot, or up to today with ``live``."""
        today = today or datetime.now(UTC).date()
        measured = self._measured()
        out = {}
        for name in self.ranges:
            lo, hi = (date.fromisoformat(d) for d in measured["bounds"][name])
            out[name] = (lo, min(today if source == "live" else hi, today))
        return out

    def shortest_window(self) -> int:
        """The shortest window in days (0 for chapters without one)."""
        return int(self._measured()["shortest_window"])

    def _measured(self) -> dict[str, Any]:
        """What the snapshot's data say of this chapter's ranges (``_measure``), kept with the
        environment (``goldrush.assets.kept``) until a dataset they read, or this code, changes:
        a run checks its dates without loading the data (or importing pandas)."""
        from goldrush import assets, data, snapshot

        edges = [e for r in self.ranges.values() for e in (*r.lo, *r.hi)] + ([self.min_window] if self.min_window else [])
        hashes = {r["name"]: r.get("hash") for r in data.package()["resources"]}  # datapackage.json read once
        key = " ".join(
            [repr((self.ranges, self.min_window, self.min_window_times)), snapshot.sha256(Path(__file__))]
            + [f"{name} {hashes.get(name)}" for name in sorted({e.dataset for e in edges})]
        )
        return json.loads(assets.kept(f"ranges-{self.slug}.json", key, lambda: json.dumps(self._measure()).encode()))

    def _measure(self) -> dict[str, Any]:
        """Each date parameter's first and last date in the snapshot, and the shortest window in days."""
        from goldrush import data

        bounds = {
            name: [
                max(edge.first(data.load(edge.dataset)) for edge in rng.lo).isoformat(),
                min(edge.last(data.load(edge.dataset)) for edge in rng.hi).isoformat(),
            ]
            for name, rng in self.ranges.items()
        }
        shortest = 0
        if self.min_window is not None:
            gaps = self.min_window.dates(data.load(self.min_window.dataset)).sort_values().diff().dt.days
            shortest = int(gaps.max()) * self.min_window_times + self.min_window.days
        return {"bounds": bounds, "shortest_window": shortest}


@cache
def _defaults(notebook: Path) -> dict[str, Any]:
    """``name = literal`` assignments of the cell tagged ``parameters`` (as papermill reads them),
    read without importing papermill: every chapter's kernel validates its parameters."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    cell = next((c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if cell is None:
        return {}
    source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    return {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
    }


_PRICES = DateRange((Edge("nvda_daily"),), (Edge("nvda_daily"), Edge("sp500_daily")), "NVIDIA's and the S&P 500's daily closes")
_CLOSES_GAP = Edge("nvda_daily")
_TWO_CLOSES = "twice the longest gap between NVIDIA's closes, so every window holds at least two closes"
_CAP = DateRange(
    (Edge("nvda_daily"), Edge("nvda_shares_outstanding", days=1)),
    (Edge("nvda_daily"),),
    "NVIDIA's closes and its first share count",
)
_CRYPTO = DateRange(
    (Edge("btc_daily"), Edge("eth_daily"), Edge("nvda_daily")),
    (Edge("btc_daily"), Edge("eth_daily"), Edge("nvda_daily")),
    "bitcoin, ether and NVIDIA daily data",
)
_QUARTERS = DateRange(
    (Edge("nvidia_quarterly", "period_end", days=-90), Edge("btc_hash_rate_sources")),
    (Edge("nvidia_quarterly", "period_end", days=90), Edge("btc_hash_rate_sources")),
    "NVIDIA's quarters and bitcoin's hash rate",
)
_AFTER_DEEPSEEK = DateRange(
    (Edge("events", "date", phrase="fall about 17%"), Edge("nvda_daily")),
    (Edge("nvda_daily"),),
    "the DeepSeek sell-off (events) and NVIDIA's daily closes",
)
_AFTER_FIRST_QUARTER = DateRange(
    (Edge("nvidia_quarterly", "period_end", days=1),), (Edge("nvda_daily"),), "a quarter of NVIDIA's before it"
)
_QUARTERLY_GAP = Edge("nvidia_quarterly", "period_end", days=1)

CHAPTERS: list[Chapter] = [
    Chapter(
        1,
        "five-trillion",
        "01_five_trillion.ipynb",
        "Five trillion",
        (
            "nvda_daily",
            "nvda_shares_outstanding",
            "sp500_daily",
            "total_crypto_market_cap",
            "gdp_by_country",
            "aapl_daily",
            "msft_daily",
            "aapl_msft_weighted_shares",
        ),
        {"as_of": _CAP, "since": _PRICES},
        ("since", "as_of"),
        _CLOSES_GAP,
        2,
        _TWO_CLOSES,
    ),
    Chapter(
        2,
        "money-printers",
        "02_money_printers.ipynb",
        "Gaming cards as money printers",
        (
            "btc_daily",
            "eth_daily",
            "events",
            "nvidia_quarterly",
            "nvidia_annual",
            "nvidia_claim_sources",
            "gpu_prices",
            "nvda_daily",
            "nvda_shares_outstanding",
        ),
        {"start": _CRYPTO, "end": _CRYPTO},
        ("start", "end"),
        _QUARTERLY_GAP,
        1,
        "the longest gap between NVIDIA's quarter ends, so every window holds a quarter",
    ),
    Chapter(
        3,
        "drawing-the-line",
        "03_drawing_the_line.ipynb",
        "Drawing the line",
        (
            "nvidia_quarterly",
            "nvidia_claim_sources",
            "events",
            "gpu_prices",
            "btc_hash_rate_sources",
            "eth_daily",
            "miners_ai_pivot",
        ),
        {"start": _QUARTERS, "end": _QUARTERS},
        ("start", "end"),
        _QUARTERLY_GAP,
        1,
        "the longest gap between NVIDIA's quarter ends, so every window holds a quarter",
    ),
    Chapter(
        4,
        "selling-shovels",
        "04_selling_shovels.ipynb",
        "Selling shovels",
        (
            "nvidia_quarterly",
            "hyperscaler_capex",
            "hyperscaler_capex_forecast_gs",
            "events",
            "nvidia_claim_sources",
            "nvda_daily",
            "nvda_shares_outstanding",
            "sp500_daily",
            "aapl_daily",
            "msft_daily",
            "aapl_msft_weighted_shares",
        ),
        {"as_of": _AFTER_DEEPSEEK, "since": _AFTER_FIRST_QUARTER},
        ("since", "as_of"),
        _CLOSES_GAP,
        2,
        _TWO_CLOSES,
    ),
    # the fact-check stays last: it gathers the parameters of every chapter above
    Chapter(5, "fact-check", "05_fact_check.ipynb", "Fact check", gathers=True),
]


def get(slug: str) -> Chapter:
    for chapter in CHAPTERS:
        if chapter.slug == slug:
            return chapter
    known = ", ".join(c.slug for c in CHAPTERS)
    raise GoldrushError(f"unknown chapter {slug!r}; chapters are: {known}")
