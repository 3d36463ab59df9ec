"""Shared fixtures: chapter 1's context at the article's date, scratch copies of the repository and
the CLI run in-process against them."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from support import Cli, copy_repo, goldrush, point_paths_at  # noqa: F401  (re-exported for scratch scripts)

from goldrush import checks


@pytest.fixture
def article_day() -> checks.Context:
    """Chapter 1's defaults: the day NVIDIA first closed above $5T, ChatGPT's launch as base."""
    return checks.AsOfContext(as_of=date(2025, 10, 29), since=date(2022, 11, 30))


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    """``cli(*args, root=copy)``: ``goldrush.cli.main`` in-process on a repository copy, as a CompletedProcess."""
    from goldrush import cli as command

    def run(*args: str, root: Path) -> subprocess.CompletedProcess[str]:
        with monkeypatch.context() as patch:
            point_paths_at(root, patch)
            capsys.readouterr()
            try:
                code = command.main(list(args))
            except SystemExit as exc:  # argparse's usage errors
                code = int(exc.code or 0)
            out, err = capsys.readouterr()
        return subprocess.CompletedProcess(["goldrush", *args], code, out, err)

    return run


@pytest.fixture
def scratch_repo(tmp_path: Path) -> Path:
    """A fresh copy of the book's sources and snapshot."""
    return copy_repo(tmp_path / "repo")
