"""The book's chapters: slug, notebook, and the data range each date parameter must fall in."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from goldrush import paths
from goldrush.errors import GoldrushError


@dataclass(frozen=True)
class Coverage:
    """A date parameter must lie between the latest first date of ``starts`` and the earliest last date of ``ends``."""

    starts: tuple[str, ...]
    ends: tuple[str, ...]


@dataclass(frozen=True)
class Chapter:
    number: int
    slug: str
    notebook: str
    title: str
    coverage: dict[str, Coverage] = field(default_factory=dict)
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


@cache
def _defaults(notebook: Path) -> dict[str, Any]:
    import papermill

    found = papermill.inspect_notebook(str(notebook))
    return {name: ast.literal_eval(info["default"]) for name, info in found.items()}


_NVDA_PRICES = Coverage(("nvda_daily",), ("nvda_daily",))
_NVDA_CAP = Coverage(("nvda_daily", "nvda_shares_outstanding"), ("nvda_daily",))
# chapter 2 charts crypto prices and hash rates and NVIDIA's share price over start..end
_CRYPTO_AND_PRICES = Coverage(("btc_daily", "eth_daily", "nvda_daily"), ("btc_daily", "eth_daily", "nvda_daily"))
# chapter 3 charts quarters and bitcoin's hash rate; its end may pass the last quarter (the hash rate runs on)
_CH3_START = Coverage(("nvidia_quarterly", "btc_hash_rate_sources"), ("nvidia_quarterly",))
_CH3_END = Coverage(("nvidia_quarterly",), ("btc_hash_rate_sources",))

CHAPTERS: list[Chapter] = [
    Chapter(1, "five-trillion", "01_five_trillion.ipynb", "Five trillion", {"as_of": _NVDA_CAP, "since": _NVDA_PRICES}),
    Chapter(2, "money-printers", "02_money_printers.ipynb", "Gaming cards as money printers",
            {"start": _CRYPTO_AND_PRICES, "end": _CRYPTO_AND_PRICES}),
    Chapter(3, "drawing-the-line", "03_drawing_the_line.ipynb", "Drawing the line", {"start": _CH3_START, "end": _CH3_END}),
    Chapter(4, "selling-shovels", "04_selling_shovels.ipynb", "Selling shovels", {"as_of": _NVDA_CAP, "since": _NVDA_PRICES}),
    # the fact-check stays last: it gathers the parameters of every chapter above
    Chapter(5, "fact-check", "05_fact_check.ipynb", "Fact check", gathers=True),
]


def get(slug: str) -> Chapter:
    for chapter in CHAPTERS:
        if chapter.slug == slug:
            return chapter
    known = ", ".join(c.slug for c in CHAPTERS)
    raise GoldrushError(f"unknown chapter {slug!r}; chapters are: {known}")
