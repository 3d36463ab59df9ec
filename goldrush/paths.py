"""Where things live: the repository, the snapshot, the reference copies and the build."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def find_root() -> Path:
    """The project folder: ``GOLDRUSH_ROOT``; else the nearest folder from the working directory
    upward that holds ``data/datapackage.json`` (a repository clone or an unzipped course pack);
    else the package's parent (the repository, for an editable install)."""
    if "GOLDRUSH_ROOT" in os.environ:
        return Path(os.environ["GOLDRUSH_ROOT"])
    cwd = Path.cwd().resolve()
    for folder in (cwd, *cwd.parents):
        if (folder / "data" / "datapackage.json").is_file():
            return folder
    return Path(__file__).resolve().parent.parent


ROOT = find_root()
DATA = ROOT / "data"
DATAPACKAGE = DATA / "datapackage.json"
REFERENCE = DATA / "reference"  # reference copies of public data the snapshot is built from (kept across rebuilds)
SEEDS = ROOT / "seeds"
NOTEBOOKS = ROOT / "notebooks"
BOOK = ROOT / "book"
CHAPTERS_OUT = BOOK / "chapters"  # executed chapter notebooks (generated)
STATIC_VEGA = BOOK / "_static" / "vega"  # self-hosted Vega bundle (generated)
BUILD = ROOT / "_build"
SITE_WORK = BUILD / "site"  # Jupyter Book's own output dir (incremental)
HTML = BUILD / "html"  # the published site
SCRATCH = BUILD / ".scratch"  # runs execute and stage here, outside the Sphinx sources
LOCK = BUILD / ".goldrush.lock"  # one run at a time (run, book, data build/refresh)
# Assets derived from installed packages only (the Vega bundle, the icon-font subsets), kept with
# the environment so that a fresh clone does not remake them
ENVIRONMENT_ASSETS = Path(sys.prefix) / "share" / "goldrush"


def shared_data() -> Path:
    """The reference copies the snapshot is built from: ``data/reference/`` in the repository
    (``GOLDRUSH_SHARED_DATA`` points elsewhere)."""
    return Path(os.environ.get("GOLDRUSH_SHARED_DATA", REFERENCE))
