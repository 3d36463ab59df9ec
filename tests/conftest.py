"""Shared fixtures: the context of chapter 1 at the article's date."""

from __future__ import annotations

from datetime import date

import pytest

from goldrush import checks
from support import copy_repo, goldrush  # noqa: F401  (re-exported for scratch scripts)


@pytest.fixture
def article_day() -> checks.Context:
    """Chapter 1's defaults: the day NVIDIA first closed above $5T, ChatGPT's launch as base."""
    return checks.AsOfContext(as_of=date(2025, 10, 29), since=date(2022, 11, 30))
