"""The "Data and methods" page, generated from ``data/datapackage.json``."""

from __future__ import annotations

from pathlib import Path

from goldrush import data

INTRO = """\
# Data and methods

Every number in this book is computed from the datasets below, or, when a chapter is run with
`source = "live"`, from the same datasets fetched from their public APIs. This page is generated
from the snapshot's `datapackage.json` (a [Frictionless Data Package](https://datapackage.org/)),
so it always describes the files the book was built from.

## How the data flow

1. **Reference copies.** Public data gathered with a written record of where every file came from
   and what is doubtful (`SOURCES.md`, kept beside the CSVs in `data/`).
2. **Snapshot.** `goldrush data build` copies them into `data/` as tidy CSVs, records each file's
   schema, sha256, row count, licence and sources, validates everything with Frictionless and only
   then replaces the old snapshot. `goldrush data verify` re-checks hashes and schemas.
3. **Chapters.** Before any chapter uses a file, the loader checks its sha256 against the package
   and its columns against the schema. Chapters are notebooks run by papermill with their
   parameters; the page shows which parameters and which files it used.

## Derived series

**NVIDIA market capitalisation** is not a dataset but a computation (`goldrush.transforms.market_cap`):
each daily close (split-adjusted, not dividend-adjusted) times the latest shares-outstanding
figure dated on or before that day, a step series. NVIDIA rounds its cover-page share counts
(for example "24.3 billion", about ±0.2%), so a close within about 0.3% of a round threshold is
uncertain; intraday crossings are not visible in closing data.

**Apple and Microsoft market capitalisation** (used only to ask whether either reached $5T
first) use quarterly weighted-average basic shares, the only series the snapshot has for them:
indicative, not exact.

## Datasets
"""


def anchor(dataset: str) -> str:
    """The HTML id of a dataset's section on the page (evidence links point here)."""
    return "data-" + dataset.replace("_", "-")


def _resource_section(res: dict) -> str:
    lines = [f"({anchor(res['name'])})=", f"### {res['title']}", "", res["description"], ""]
    lines.append(f"- File: `data/{res['path']}`, {res['rows']:,} rows, sha256 `{res['hash'].removeprefix('sha256:')[:16]}…`")
    fields = ", ".join(f"`{f['name']}`" + (f" ({f['unit']})" if f.get("unit") else "") for f in res["schema"]["fields"])
    lines.append(f"- Columns: {fields}")
    lines.append("- Licence: " + "; ".join(lic["title"] for lic in res["licenses"]))
    copy = f" (reference copy `{res['referenceCopy']}`)" if "referenceCopy" in res else " (from the live API)"
    lines.append(f"- Retrieved: {res['retrieved']}{copy}")
    lines.append("- Sources:")
    for src in res["sources"]:
        via = f", carried by `{src['via']}`" if src.get("via") else ""
        lines.append(f"  - {src['provider']}: [{src['title']}]({src['path']}){via}")
    lines.append(f"- Transformation: {res['transformation']}")
    if res["doubts"]:
        lines.append("- Doubts and gaps:")
        lines += [f"  - {doubt}" for doubt in res["doubts"]]
    return "\n".join(lines) + "\n"


def methods_markdown() -> str:
    package = data.package()
    sections = [INTRO] + [_resource_section(res) for res in package["resources"]]
    return "\n".join(sections)


def write_methods_page(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(methods_markdown(), encoding="utf-8")
    return target
