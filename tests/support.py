"""Helpers for tests that run the real CLI on a scratch copy of the repository."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from goldrush import paths
from goldrush.book import copy_sources as copy_repo  # noqa: F401  (a scratch copy: sources and snapshot)


def goldrush(*args: str, root: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    """Run the real CLI against the repository copy at ``root``."""
    env = {**os.environ, "GOLDRUSH_ROOT": str(root), "GOLDRUSH_SHARED_DATA": str(paths.shared_data())}
    return subprocess.run(
        [sys.executable, "-m", "goldrush.cli", *args], env=env, capture_output=True, text=True, timeout=timeout
    )
