"""Hashes of what results depend on: a result kept under the hash is reused only while every input
it was made from is unchanged."""

from __future__ import annotations

import hashlib
import sys
from importlib import metadata
from pathlib import Path

from goldrush import paths


def tree(folder: Path, pattern: str, skip: tuple[str, ...] = ()) -> str:
    """Hash of the names and bytes of the files under ``folder`` matching ``pattern`` (none under ``skip``)."""
    digest = hashlib.sha256()
    for file in sorted(folder.rglob(pattern)):
        relative = file.relative_to(folder).as_posix()
        if file.is_file() and not relative.startswith(skip) and "__pycache__" not in relative:
            digest.update(relative.encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def checks() -> str:
    """Hash of what every computed figure and verdict depends on besides its parameters: the
    package's code, the claim register and the other seeds, the data snapshot's manifest, and the
    versions of Python and of the libraries that compute."""
    versions = " ".join(f"{name} {metadata.version(name)}" for name in ("pandas", "numpy"))  # without importing them
    digest = hashlib.sha256(f"{sys.version} {versions}".encode())
    digest.update(paths.DATAPACKAGE.read_bytes())
    digest.update(tree(Path(__file__).parent, "*.py").encode())
    digest.update(tree(paths.SEEDS, "*.yml").encode())
    return digest.hexdigest()
