"""Shared fixtures: the context of chapter 1 at the article's date, and a scratch copy of the repo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from goldrush import checks, paths

REPO = paths.ROOT
COPY_IGNORE = shutil.ignore_patterns(".venv", "_build", ".git", "book/chapters", "__pycache__", ".pytest_cache", "*.egg-info")


@pytest.fixture
def article_day() -> checks.Context:
    """Chapter 1's defaults: the day NVIDIA first closed above $5T, ChatGPT's launch as base."""
    return checks.Context(as_of=date(2025, 10, 29), since=date(2022, 11, 30))


def copy_repo(target: Path) -> Path:
    """A scratch copy of the repository's sources and snapshot (no build output, no venv)."""
    for name in ("data", "notebooks", "seeds", "book", "_config.yml", "_toc.yml"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("chapters", "vega", "__pycache__"))
        else:
            shutil.copy2(source, target / name)
    return target


def goldrush(*args: str, root: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    """Run the real CLI against the repository copy at ``root``."""
    env = {**os.environ, "GOLDRUSH_ROOT": str(root), "GOLDRUSH_SHARED_DATA": str(paths.shared_data())}
    return subprocess.run(
        [sys.executable, "-m", "goldrush.cli", *args], env=env, capture_output=True, text=True, timeout=timeout
    )
