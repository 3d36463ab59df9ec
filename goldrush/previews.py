"""Preview images for link sharing (Open Graph): a PNG of the chart that comes first on a page.

The site build learns each page's first chart once Sphinx has read the pages (``goldrush.sphinx``).
It then hands the pictures to draw to ``start``, which draws them in a process of its own while
Sphinx writes the pages, and collects that process with ``wait`` after the pages are written (or
ends it with ``stop`` if the build failed). Drawn
after the writing, the pictures (vl-convert's 0.5 s start, then about 0.06 s each) were the build's
last, single-core step; vl-convert cannot run in Sphinx's forked writers, hence a fresh process,
which imports vl-convert alone.

``python -m goldrush.previews BACKGROUND`` reads ``[svg, png]`` path pairs (JSON) on stdin and
draws each SVG on the ``BACKGROUND`` colour into its PNG, written atomically.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from goldrush import assets
from goldrush.errors import GoldrushError

SCALE = 1.5  # the wide picture (720 px) becomes a 1080 px PNG, near the 1200 px link previews use


def on_background(svg: str, colour: str) -> str:
    """``svg`` with a rectangle of ``colour`` under everything (vl-convert's pictures are transparent)."""
    return re.sub(r"(<svg\b[^>]*>)", rf'\1<rect width="100%" height="100%" fill="{colour}"/>', svg, count=1)


def png(svg: str, background: str) -> bytes:
    """The preview image of a chart's light, wide SVG, on ``background``."""
    import vl_convert

    return vl_convert.svg_to_png(on_background(svg, background), scale=SCALE)


def start(jobs: list[tuple[Path, Path]], background: str) -> subprocess.Popen[bytes] | None:
    """Start drawing each ``(svg, png)`` of ``jobs`` in a process of its own (None when there is nothing to draw)."""
    if not jobs:
        return None
    process = subprocess.Popen(
        [sys.executable, "-m", "goldrush.previews", background],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert process.stdin is not None
    process.stdin.write(json.dumps([[str(svg), str(target)] for svg, target in jobs]).encode())
    process.stdin.close()
    return process


def wait(process: subprocess.Popen[bytes] | None) -> None:
    """Wait for the drawing ``start`` began; a failure is a ``GoldrushError`` with its last line."""
    if process is None:
        return
    assert process.stderr is not None
    with process.stderr:
        errors = process.stderr.read().decode(errors="replace")
    if process.wait() != 0:
        lines = errors.strip().splitlines() or [f"exit status {process.returncode}"]
        raise GoldrushError(f"drawing the preview images failed: {lines[-1]}")


def stop(process: subprocess.Popen[bytes] | None) -> None:
    """End the drawing ``start`` began, unfinished (the build failed: its pictures are not wanted)."""
    if process is None:
        return
    process.kill()
    process.wait()
    assert process.stderr is not None
    process.stderr.close()


def main() -> None:
    background = sys.argv[1]
    for svg, target in json.load(sys.stdin):
        assets.write_atomically(Path(target), png(Path(svg).read_text(encoding="utf-8"), background))


if __name__ == "__main__":
    main()
