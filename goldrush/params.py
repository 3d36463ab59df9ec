"""Validate a chapter's parameters before anything runs: names, ISO dates, order, data coverage."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from goldrush import data
from goldrush.chapters import Chapter, Coverage
from goldrush.errors import GoldrushError
from goldrush.sources import check_source

ORDERED_PAIRS = (("since", "as_of"), ("start", "end"))


def option(name: str) -> str:
    """How a parameter is spelled on the command line."""
    return "--" + name.replace("_", "-")


def parse_date(name: str, value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise GoldrushError(f"{option(name)} {value!r} is not a date; use YYYY-MM-DD") from None


def date_range(name: str) -> tuple[date, date]:
    """First and last date of a snapshot dataset (its first date column)."""
    res = data.entry(name)
    column = next(f["name"] for f in res["schema"]["fields"] if f["type"] == "date")
    dates = data.load(name)[column].dropna()
    return dates.min().date(), dates.max().date()


def coverage_bounds(coverage: Coverage) -> tuple[date, date]:
    start = max(date_range(name)[0] for name in coverage.starts)
    end = min(date_range(name)[1] for name in coverage.ends)
    return start, end


def _validate_nested(chapter_params: Any, today: date | None) -> dict[str, dict[str, Any]]:
    """The fact-check's ``chapter_params``: each chapter's parameters, validated like its own."""
    from goldrush import chapters

    if not isinstance(chapter_params, dict):
        raise GoldrushError("chapter_params must map chapter slugs to their parameters")
    return {slug: validate(chapters.get(slug), given, today) for slug, given in chapter_params.items()}


def validate(chapter: Chapter, given: dict[str, Any], today: date | None = None) -> dict[str, Any]:
    """The chapter's full parameter set (defaults overridden by ``given``), checked.

    Returns JSON-ready values (ISO date strings), as papermill injects them.
    """
    defaults = chapter.defaults()
    unknown = [k for k in given if k not in defaults]
    if unknown:
        accepted = ", ".join(option(k) for k in defaults)
        raise GoldrushError(f"chapter {chapter.slug!r} takes {accepted}; not {', '.join(option(k) for k in unknown)}")
    values = {**defaults, **{k: v for k, v in given.items() if v is not None}}
    check_source(values.get("source", "snapshot"))
    if "chapter_params" in values:
        values["chapter_params"] = _validate_nested(values["chapter_params"], today)
    dates = {k: parse_date(k, v) for k, v in values.items() if k in chapter.coverage}
    for earlier, later in ORDERED_PAIRS:
        if earlier in dates and later in dates and dates[earlier] >= dates[later]:
            raise GoldrushError(
                f"{option(earlier)} {dates[earlier]} must be before {option(later)} {dates[later]}"
            )
    today = today or pd.Timestamp.now(tz="UTC").date()
    for name, when in dates.items():
        if when > today:
            raise GoldrushError(f"{option(name)} {when} is in the future")
        if values.get("source", "snapshot") == "snapshot":
            lo, hi = coverage_bounds(chapter.coverage[name])
            if not lo <= when <= hi:
                raise GoldrushError(
                    f"{option(name)} {when} is outside the snapshot's data for this chapter "
                    f"({lo} to {hi}); pick a date in that range or use --source live"
                )
    return {**values, **{k: v.isoformat() for k, v in dates.items()}}
