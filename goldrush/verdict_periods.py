"""A claim's verdict over time as runs of equal verdicts, and the name its series is published under.

Plain Python, no pandas: the fact-check's charts (``goldrush.timeline``) and the site builder's claim
pages (``goldrush.claimpages``, reading the published CSV) share it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple


class Period(NamedTuple):
    """Consecutive dates with the same verdict."""

    verdict: str
    first: Any
    last: Any
    dates: int


def runs(rows: Iterable[tuple[Any, str]]) -> list[Period]:
    """The periods of ``(date, verdict)`` rows, in their order."""
    found: list[Period] = []
    for day, verdict in rows:
        if found and found[-1].verdict == verdict:
            found[-1] = found[-1]._replace(last=day, dates=found[-1].dates + 1)
        else:
            found.append(Period(verdict, day, day, 1))
    return found


def series_name(claim_id: str) -> str:
    """The name of a claim's published verdict-over-time files (``.csv``, ``.html``, the chart's)."""
    return f"verdict-over-time-{claim_id}"
