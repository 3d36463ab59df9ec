"""Typed chapter contexts: the parameters a chapter ran with, and its data loaded once.

Two shapes of chapter, two types: ``AsOfContext`` looks from one day back to a base day;
``WindowContext`` shows a window of days. ``context(slug, **given)`` validates the parameters
against the chapter's declaration and builds the right one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

from goldrush import sources

if TYPE_CHECKING:  # frames come from the store; pandas is imported where one is read
    import pandas as pd


@dataclass
class Context:
    """What every chapter context has: the source, and the store its datasets are read from."""

    source: str = "snapshot"
    store: sources.Store = field(default_factory=sources.Store, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.store.source != self.source:
            self.store = sources.Store(self.source)

    def load(self, name: str) -> pd.DataFrame:
        """Dataset ``name`` from the context's source, loaded once per store."""
        return self.store.load(name)

    def derived(self, name: str, make: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        """A whole series derived from the datasets (not cut at the context's dates), made once per store."""
        return self.store.derived(name, make)

    def parameters(self) -> dict[str, Any]:
        """The parameters as plain JSON values (ISO dates)."""
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "store"}
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()}


@dataclass
class AsOfContext(Context):
    """A chapter that looks from one day (``as_of``) back to a base day (``since``)."""

    as_of: date = date(2025, 10, 29)
    since: date = date(2022, 11, 30)

    @cached_property
    def nvda_market_cap(self) -> pd.DataFrame:
        """NVIDIA's daily market cap (step series, only days its share count still covers), up to ``as_of``."""
        from goldrush import transforms

        caps = self.derived(
            "nvda_market_cap",
            lambda: transforms.covered(transforms.market_cap(self.load("nvda_daily"), self.load("nvda_shares_outstanding"))),
        )
        return transforms.up_to(caps, self.as_of)


@dataclass
class WindowContext(Context):
    """A chapter that shows a window of days, ``start`` to ``end``."""

    start: date = date(2016, 1, 1)
    end: date = date(2022, 12, 31)


def context(slug: str, **given: Any) -> AsOfContext | WindowContext:
    """A chapter's typed context from its parameters, validated (bad values raise GoldrushError)."""
    from goldrush import chapters, params

    chapter = chapters.get(slug)
    values = params.validate(chapter, given)
    dates: dict[str, Any] = {k: date.fromisoformat(values[k]) for k in chapter.ranges}
    kind = WindowContext if "start" in dates else AsOfContext
    return kind(source=sources.check_source(values.get("source", "snapshot")), **dates)
