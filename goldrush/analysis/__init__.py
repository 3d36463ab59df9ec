"""Chapter analysis: one module per chapter, one function per fact, reading data through a chapter context.

This package holds the lookups every chapter shares (events, claim sources, reported dates); checks
(``goldrush.checks``) and display tables (``goldrush.tables``) build on it.
"""

from __future__ import annotations

import re

import pandas as pd


def long_date(when: object, fmt: str = "%-d %B %Y") -> str:
    """A date as the prose writes it ("21 May 2021"; ``fmt`` "%B %Y" for a month)."""
    return pd.Timestamp(when).strftime(fmt)


def parse_reported_date(text: str) -> tuple[pd.Timestamp, str]:
    """The first day of a reported date ("2024-06-03", "2024-06", "2024 (early ...)") and its precision."""
    found = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text)
    if not found:
        raise ValueError(f"no date in {text!r}")
    year, month, day = found.groups()
    precision = "day" if day else "month" if month else "year"
    return pd.Timestamp(int(year), int(month or 1), int(day or 1)), precision


def find_event(events: pd.DataFrame, phrase: str, category: str | None = None) -> pd.Series:
    """The one event whose text contains ``phrase`` (case-insensitive), in ``category`` if given.

    Adds ``when`` (first day of the reported date) and ``approximate`` (the date is not day-exact).
    Raises LookupError unless exactly one event matches.
    """
    rows = events[events["event_en"].str.contains(phrase, case=False, regex=False)]
    if category is not None:
        rows = rows[rows["category"] == category]
    if len(rows) != 1:
        raise LookupError(f"expected one event naming {phrase!r}{f' in {category}' if category else ''}, found {len(rows)}")
    row = rows.iloc[0].astype(object)
    row["when"], _ = parse_reported_date(row["date"])
    row["approximate"] = row["date_precision"] != "day"
    return row


def claim_source(sources: pd.DataFrame, row_id: str) -> pd.Series:
    """A row of ``nvidia_claim_sources`` (the compiled reference figures for a claim), by its id."""
    rows = sources[sources["claim_id"] == row_id]
    if rows.empty:
        raise LookupError(f"no claim source {row_id!r}")
    return rows.iloc[0]
