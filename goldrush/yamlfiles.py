"""Reading the project's YAML files (registers, configuration): parsed once per version of a file,
with libyaml's C parser when it is there."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read(path: Path) -> Any:
    """The YAML document in ``path`` (safe types only; a fresh copy the caller may change)."""
    stat = path.stat()
    return copy.deepcopy(_parsed(str(path), stat.st_mtime_ns, stat.st_size))


@cache
def _parsed(path: str, mtime_ns: int, size: int) -> Any:
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=LOADER)  # noqa: S506  (a safe loader)
