"""Files other processes may read or write at the same time: written through a temporary name,
and assets derived from installed packages only (the Vega bundle, the icon-font subsets), kept
with the environment (``paths.ENVIRONMENT_ASSETS``) so that a fresh clone does not remake them."""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from goldrush import paths


def write_atomically(file: Path, content: bytes) -> None:
    """Write ``file`` through a temporary name: a reader sees the old file or the new one, never half."""
    file.parent.mkdir(parents=True, exist_ok=True)
    staged = file.with_name(f"{file.name}.{os.getpid()}.tmp")
    staged.write_bytes(content)
    os.replace(staged, file)


def kept(kind: str, key: str, make: Callable[[], bytes]) -> bytes:
    """The asset ``kind`` for ``key`` (what it was made from), made by ``make()`` and kept the first time.

    A read-only environment just does not keep it."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    file = paths.ENVIRONMENT_ASSETS / f"{digest}-{kind}"
    if file.exists():
        return file.read_bytes()
    content = make()
    with contextlib.suppress(OSError):
        write_atomically(file, content)
    return content
