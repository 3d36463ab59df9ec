"""Helpers for tests that run the real CLI on a scratch copy of the repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from goldrush import paths

REPO = paths.ROOT


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
