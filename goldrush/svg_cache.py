"""Static chart pictures kept between runs, so that a chart whose spec did not change is not drawn again.

vl-convert draws an SVG from a Vega-Lite spec alone: the same spec, Vega-Lite version and
vl-convert version give the same picture. Each drawing is kept in ``_build/svg/<digest>.svg``, the
digest hashing all three. A rerun with a new ``as_of`` then draws only the charts that the new date
changed (and skips vl-convert's start-up when none did). Using a picture marks it as used;
``prune`` keeps the most recently used ones. ``static_name`` names the pictures a chapter publishes
(the build counts them without importing ``goldrush.charts``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from importlib import metadata
from pathlib import Path
from typing import Any

from goldrush import assets, paths

KEEP_PER_PUBLISHED = 4  # pictures kept for each one the book publishes: a few reruns' worth


def static_name(name: str, theme: str, layout: str) -> str:
    """The file name of chart ``name``'s static picture in ``theme`` and ``layout`` (either may be ``*``, a glob)."""
    return f"{name}.{theme}-{layout}.svg"


def folder() -> Path:
    return paths.BUILD / "svg"


def key(spec: dict[str, Any], vl_version: str) -> str:
    """What the picture of ``spec`` depends on: the spec, the Vega-Lite version and vl-convert's."""
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode())
    digest.update(f"{vl_version} {metadata.version('vl-convert-python')}".encode())
    return digest.hexdigest()[:24]


def svg(spec: dict[str, Any], vl_version: str) -> str:
    """The SVG vl-convert draws for ``spec``, drawn once and kept (a read-only build just does not keep it)."""
    file = folder() / f"{key(spec, vl_version)}.svg"
    try:
        kept = file.read_text(encoding="utf-8")
    except OSError:
        kept = None
    if kept is not None:
        with contextlib.suppress(OSError):
            os.utime(file)  # used now: pruned last
        return kept
    import vl_convert

    picture = vl_convert.vegalite_to_svg(spec, vl_version=vl_version)
    with contextlib.suppress(OSError):
        assets.write_atomically(file, picture.encode("utf-8"))
    return picture


def prune(published: int) -> int:
    """Delete all but the ``KEEP_PER_PUBLISHED * published`` most recently used pictures; returns how many went."""
    kept = sorted(folder().glob("*.svg"), key=_used, reverse=True)
    gone = kept[KEEP_PER_PUBLISHED * published :]
    for file in gone:
        file.unlink(missing_ok=True)
    return len(gone)


def _used(file: Path) -> int:
    try:
        return file.stat().st_mtime_ns
    except OSError:
        return 0
