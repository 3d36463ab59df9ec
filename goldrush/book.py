"""The book pipeline: execute chapters with papermill, build with Jupyter Book, publish atomically.

- ``execute`` runs a chapter notebook with validated parameters into ``book/chapters/``; it is
  skipped when the notebook, its parameters, the data package and the package code are unchanged
  (a content hash kept in the executed notebook's metadata). A failed run leaves the previous
  executed chapter in place.
- ``build_site`` runs ``jupyter-book build`` (warnings are errors) into ``_build/site`` and then
  swaps the result into ``_build/html``, so a failed build never replaces the published site.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat

from goldrush import coursepack, paths
from goldrush.chapters import Chapter
from goldrush.errors import GoldrushError
from goldrush.methods import write_methods_page
from goldrush.snapshot import swap_into_place

Progress = Callable[[str], None]
CHART_DATA = "data"  # folder of chart CSVs beside the executed chapters
QUIET_KERNEL = ["--IPKernelApp.log_level=ERROR"]  # keeps ipykernel's start-up warnings out of the progress output


BOOK_SOURCES = ("data", "notebooks", "seeds", "book", "_config.yml", "_toc.yml")


def copy_sources(target: Path) -> Path:
    """Copy what a book build needs (no build output) into ``target``, for builds on a scratch copy
    (tests and benchmarks point ``GOLDRUSH_ROOT`` at it)."""
    skip = shutil.ignore_patterns("chapters", "vega", "__pycache__", ".ipynb_checkpoints")
    for name in BOOK_SOURCES:
        source = paths.ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=skip)
        else:
            shutil.copy2(source, target / name)
    return target


def _tree_hash(folder: Path, pattern: str) -> str:
    digest = hashlib.sha256()
    for file in sorted(folder.rglob(pattern)):
        digest.update(file.relative_to(folder).as_posix().encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def cache_key(chapter: Chapter, parameters: dict[str, Any]) -> str:
    """Hash of everything a chapter's output depends on."""
    digest = hashlib.sha256()
    digest.update(chapter.source.read_bytes())
    digest.update(json.dumps(parameters, sort_keys=True).encode())
    digest.update(paths.DATAPACKAGE.read_bytes())
    digest.update(_tree_hash(Path(__file__).parent, "*.py").encode())
    digest.update(_tree_hash(paths.SEEDS, "*.yml").encode())
    return digest.hexdigest()


def _kernel_env() -> None:
    """Make the kernel start from this environment's Python, whatever PATH the caller had."""
    bin_dir = str(Path(sys.executable).parent)
    if not os.environ.get("PATH", "").startswith(bin_dir):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def _tidy_for_page(nb: nbformat.NotebookNode) -> None:
    """Hide the parameter cells (the provenance box shows the values used)."""
    for cell in nb.cells:
        tags = cell.metadata.setdefault("tags", [])
        if ("parameters" in tags or "injected-parameters" in tags) and "remove-cell" not in tags:
            tags.append("remove-cell")


def execute(chapter: Chapter, parameters: dict[str, Any], progress: Progress = print, force: bool = False) -> bool:
    """Execute ``chapter`` with ``parameters`` (already validated). Returns False when skipped as unchanged."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    key = cache_key(chapter, parameters)
    target = chapter.executed
    if not force and target.exists():
        previous = nbformat.read(target, as_version=4).metadata.get("goldrush", {})
        if previous.get("cache_key") == key:
            progress(f"  {chapter.slug}: unchanged, not re-executed")
            return False
    progress(f"  {chapter.slug}: executing {chapter.notebook} with {parameters}")
    _kernel_env()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".run-", dir=target.parent) as tmp:
        staged_nb = Path(tmp) / chapter.notebook
        charts = Path(tmp) / CHART_DATA
        os.environ["GOLDRUSH_CHART_DIR"] = str(charts)
        try:
            papermill.execute_notebook(
                str(chapter.source),
                str(staged_nb),
                parameters=parameters,
                cwd=str(paths.NOTEBOOKS),
                kernel_name="python3",
                progress_bar=False,
                log_output=False,
                extra_arguments=QUIET_KERNEL,
            )
        except PapermillExecutionError as exc:
            raise GoldrushError(
                f"chapter {chapter.slug!r} failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue.splitlines()[0] if exc.evalue else ''}"
            ) from None
        finally:
            os.environ.pop("GOLDRUSH_CHART_DIR", None)
        nb = nbformat.read(staged_nb, as_version=4)
        _tidy_for_page(nb)
        nb.metadata["goldrush"] = {"cache_key": key, "chapter": chapter.slug, "parameters": parameters}
        nbformat.write(nb, staged_nb)
        published_charts = target.parent / CHART_DATA
        published_charts.mkdir(exist_ok=True)
        for file in sorted(charts.iterdir()) if charts.exists() else []:  # chart CSVs and claims.json
            os.replace(file, published_charts / file.name)
        os.replace(staged_nb, target)
    return True


def executed_parameters() -> dict[str, dict[str, Any]]:
    """The parameters each executed chapter (other than the fact-check) last ran with."""
    from goldrush.chapters import CHAPTERS

    found = {}
    for chapter in CHAPTERS:
        if not chapter.gathers and chapter.executed.exists():
            meta = nbformat.read(chapter.executed, as_version=4).metadata.get("goldrush", {})
            if "parameters" in meta:
                found[chapter.slug] = meta["parameters"]
    return found


def vega_bundle() -> Path:
    """Write the self-hosted Vega/Vega-Lite/vega-embed bundle (from vl-convert) once."""
    import altair as alt
    import vl_convert

    version = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]
    target = paths.STATIC_VEGA / "vega-bundle.js"
    stamp = paths.STATIC_VEGA / "VERSION"
    wanted = f"vega {vl_convert.get_vega_version()} vega-lite {version} vega-embed {vl_convert.get_vega_embed_version()} (wrapped)"
    if not target.exists() or not stamp.exists() or stamp.read_text() != wanted:
        paths.STATIC_VEGA.mkdir(parents=True, exist_ok=True)
        # Wrapped in a function: the bundle's top-level names (such as `_`) would clash with Sphinx's globals.
        bundle = vl_convert.javascript_bundle(vl_version=version)
        target.write_text(f"(function () {{\n{bundle}\n}})();\n", encoding="utf-8")
        stamp.write_text(wanted)
    return target


def build_site(progress: Progress = print) -> Path:
    """Build the site from the executed chapters and publish it to ``_build/html``."""
    vega_bundle()
    write_methods_page(paths.CHAPTERS_OUT / "data-and-methods.md")
    progress("  jupyter-book build (warnings are errors) ...")
    command = [
        str(Path(sys.executable).parent / "jupyter-book"), "build", str(paths.ROOT),
        "--path-output", str(paths.SITE_WORK), "--warningiserror", "--keep-going", "--quiet",
    ]
    result = subprocess.run(command, capture_output=True, text=True, cwd=paths.ROOT)
    if result.returncode != 0:
        log = paths.BUILD / "jupyter-book.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(result.stdout + result.stderr, encoding="utf-8")
        warnings = [line for line in (result.stdout + result.stderr).splitlines() if "WARNING" in line or "ERROR" in line]
        first = warnings[0] if warnings else "see the log"
        raise GoldrushError(f"jupyter-book build failed ({first}); full log: {log}; the previous site is unchanged")
    built = paths.SITE_WORK / "_build" / "html"
    staged = Path(tempfile.mkdtemp(prefix=".html-", dir=paths.BUILD))
    shutil.rmtree(staged)
    shutil.copytree(built, staged)
    charts = paths.CHAPTERS_OUT / CHART_DATA
    if charts.exists():
        shutil.copytree(charts, staged / "book" / "chapters" / CHART_DATA, dirs_exist_ok=True)
        if (charts / "claims.json").exists():
            shutil.copy(charts / "claims.json", staged / "claims.json")
    coursepack.publish(staged)  # student notebooks and the course pack, for download
    swap_into_place(staged, paths.HTML)
    return paths.HTML


CHECKED = "nbval-check-output"


def store_reference(chapter: Chapter, progress: Progress = print) -> Path:
    """Run a chapter with its defaults and keep, in its source notebook, only the plain-text outputs
    of the headline cells (tagged ``nbval-check-output``): what nbval compares in ``make test``.
    """
    import papermill

    _kernel_env()
    source = nbformat.read(chapter.source, as_version=4)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / chapter.notebook
        papermill.execute_notebook(
            str(chapter.source),
            str(out),
            cwd=str(paths.NOTEBOOKS),
            kernel_name="python3",
            progress_bar=False,
            extra_arguments=QUIET_KERNEL,
        )
        executed = {cell.id: cell for cell in nbformat.read(out, as_version=4).cells}
    kept = 0
    for cell in source.cells:
        if cell.cell_type != "code":
            continue
        cell.execution_count = None
        cell.outputs = []
        if CHECKED in cell.metadata.get("tags", []):
            cell.execution_count = executed[cell.id].execution_count  # nbval skips cells it thinks unrun
            for output in executed[cell.id].outputs:
                if "data" in output and "text/plain" in output["data"]:
                    output["data"] = {"text/plain": output["data"]["text/plain"]}
                    output["metadata"] = {}
                    cell.outputs.append(output)
            kept += 1
    nbformat.write(source, chapter.source)
    progress(f"  {chapter.notebook}: reference outputs stored for {kept} headline cells")
    return chapter.source
