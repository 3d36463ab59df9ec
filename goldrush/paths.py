"""Where things live: the repository, the snapshot, the reference copies and the build."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("GOLDRUSH_ROOT", Path(__file__).resolve().parent.parent))
DATA = ROOT / "data"
DATAPACKAGE = DATA / "datapackage.json"
SEEDS = ROOT / "seeds"
NOTEBOOKS = ROOT / "notebooks"
BOOK = ROOT / "book"
CHAPTERS_OUT = BOOK / "chapters"          # executed chapter notebooks (generated)
STATIC_VEGA = BOOK / "_static" / "vega"   # self-hosted Vega bundle (generated)
BUILD = ROOT / "_build"
SITE_WORK = BUILD / "site"                # Jupyter Book's own output dir (incremental)
HTML = BUILD / "html"                     # the published site
SCRATCH = BUILD / ".scratch"              # runs execute and stage here, outside the Sphinx sources
LOCK = BUILD / ".goldrush.lock"           # one run at a time (run, book, data build/refresh)


def shared_data() -> Path:
    """The reference copies of public data (``../shared/data`` beside the repository)."""
    return Path(os.environ.get("GOLDRUSH_SHARED_DATA", ROOT.parent / "shared" / "data"))
