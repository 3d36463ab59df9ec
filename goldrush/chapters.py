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

CHAPTERS: list[Chapter] = [
    Chapter(1, "five-trillion", "01_five_trillion.ipynb", "Five trillion", {"as_of": _NVDA_CAP, "since": _NVDA_PRICES}),
]


def get(slug: str) -> Chapter:
    for chapter in CHAPTERS:
        if chapter.slug == slug:
            return chapter
    known = ", ".join(c.slug for c in CHAPTERS)
    raise GoldrushError(f"unknown chapter {slug!r}; chapters are: {known}")
