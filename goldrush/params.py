"""Validate a chapter's parameters before anything runs: names, ISO dates, order, data coverage."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from goldrush.chapters import Chapter
from goldrush.errors import GoldrushError
from goldrush.sources import check_source


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
    dates = {k: parse_date(k, v) for k, v in values.items() if k in chapter.ranges}
    today = today or datetime.now(UTC).date()
    for name, when in dates.items():
        if when > today:
            raise GoldrushError(f"{option(name)} {when} is in the future")
    source = values.get("source", "snapshot")
    bounds = chapter.bounds(source, today)
    for name, when in dates.items():
        lo, hi = bounds[name]
        if not lo <= when <= hi:
            where = "the snapshot's data" if source == "snapshot" else "the data, up to today"
            hint = "; or use --source live" if source == "snapshot" and when > hi else ""
            raise GoldrushError(f"{option(name)} {when} is outside {where} for this chapter: use a date from {lo} to {hi}{hint}")
    if chapter.window:
        earlier, later = chapter.window
        shortest = chapter.shortest_window()
        if dates[earlier] >= dates[later]:
            raise GoldrushError(f"{option(earlier)} {dates[earlier]} must be before {option(later)} {dates[later]}")
        if (dates[later] - dates[earlier]).days < shortest:
            raise GoldrushError(
                f"{option(earlier)} {dates[earlier]} to {option(later)} {dates[later]} is shorter than this chapter's "
                f"shortest window of {shortest} days ({chapter.min_window_why})"
            )
    return {**values, **{k: v.isoformat() for k, v in dates.items()}}
