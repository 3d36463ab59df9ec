"""The book pipeline: execute chapters with papermill, build with Jupyter Book, publish as one transaction.

- A run (``Run``) executes its chapters in parallel (one kernel per core; the fact-check needs only
  the other chapters' parameters, so it runs beside them) into ``_build/.scratch/run-…``, outside
  the book's sources. A chapter is skipped when the notebook, its parameters, the data package and
  the package code are unchanged (a content hash in the executed notebook's metadata); a
  ``--source live`` chapter is never skipped.
- ``publish`` then moves the executed notebooks and everything they wrote (chart CSVs, claims.json)
  into ``book/chapters/`` together; ``build_site`` runs Jupyter Book (incrementally, warnings are
  errors) into ``_build/site`` and swaps a staged copy into ``_build/html``. A failed, cancelled
  or killed run publishes nothing (see ``goldrush.workspace``).
- The published site records the key of its inputs: when nothing changed the build is skipped.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import math
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from goldrush import assets, fingerprints, paths, svg_cache, workspace
from goldrush.chapters import Chapter
from goldrush.errors import GoldrushError

Progress = Callable[[str], None]
CHART_DATA = "data"  # folder of chart CSVs beside the executed chapters
# ipykernel's start-up warnings kept out of the progress output; the history in memory, as nbclient has it
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.hist_file=:memory:"]
CHART_DIR_ENV = "GOLDRUSH_CHART_DIR"  # read by goldrush.charts in the kernel
WHEN_TOLD = "GOLDRUSH_BUILD_WHEN_TOLD"  # set for the site builder: Sphinx reads the pages once told (goldrush.sphinx)

# Jupyter Book in a process started with the chapters: its slow imports (Sphinx, myst-nb, the
# theme, the book's extensions), the Vega bundle and Sphinx's set-up (up to its builder, see
# goldrush.sphinx.wait_until_told) overlap their execution; it reads and writes the pages when
# told to, on every core (see site_jobs; goldrush.sphinx declares the extensions that do not say
# so parallel-safe).
SITE_BUILDER = """
import functools, importlib, multiprocessing, os, sys
import jupyter_book.sphinx, jupyter_book.cli.main, myst_nb.sphinx_ext, sphinx_book_theme, sphinx.builders.html
from goldrush import book, paths, yamlfiles
for extension in yamlfiles.read(paths.ROOT / "_config.yml")["sphinx"]["extra_extensions"]:
    importlib.import_module(extension)
book.vega_bundle()
jupyter_book.sphinx.build_sphinx = functools.partial(jupyter_book.sphinx.build_sphinx, jobs=book.site_jobs())
sys.argv = ["jupyter-book", *sys.argv[1:]]
code = 0
try:
    jupyter_book.cli.main.main()
except SystemExit as finished:
    if isinstance(finished.code, str):
        print(finished.code)
    code = finished.code if isinstance(finished.code, int) else 0 if finished.code is None else 1
for child in multiprocessing.active_children():  # sphinx-sitemap's queue manager
    child.terminate()
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)  # at once: tearing down the interpreter's big heap takes about a second
"""

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


def is_live(parameters: Any) -> bool:
    """Whether any (nested) ``source`` parameter asks for live data."""
    if isinstance(parameters, dict):
        return parameters.get("source") == "live" or any(is_live(v) for v in parameters.values())
    return False


def cache_key(chapter: Chapter, parameters: dict[str, Any]) -> str | None:
    """Hash of everything a chapter's output depends on; None for live data (never reused)."""
    if is_live(parameters):
        return None
    digest = hashlib.sha256()
    digest.update(chapter.source.read_bytes())
    digest.update(json.dumps(parameters, sort_keys=True).encode())
    digest.update(fingerprints.checks().encode())
    return digest.hexdigest()


def book_key() -> str:
    """Hash of every input of a default ``goldrush book``: when the published site has it, nothing changed."""
    digest = hashlib.sha256()
    for name in ("_config.yml", "_toc.yml"):
        digest.update((paths.ROOT / name).read_bytes())
    for folder in (paths.DATA, paths.NOTEBOOKS, paths.SEEDS, Path(__file__).parent):
        digest.update(fingerprints.tree(folder, "*").encode())
    built = ("chapters", "claims", "_static/vega")  # what builds write
    digest.update(fingerprints.tree(paths.BOOK, "*", skip=built).encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def published_chapters() -> str:
    """A cheap fingerprint (names, sizes, times) of ``book/chapters/``: what the site was built from."""
    digest = hashlib.sha256()
    for file in sorted(paths.CHAPTERS_OUT.rglob("*")) if paths.CHAPTERS_OUT.exists() else []:
        stat = file.stat()
        digest.update(f"{file.relative_to(paths.CHAPTERS_OUT)} {stat.st_size} {stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def site_stamp() -> dict[str, Any]:
    try:
        return json.loads((paths.HTML / workspace.SITE_STAMP).read_text())
    except (OSError, ValueError):
        return {}


def up_to_date() -> bool:
    """Whether the published site was built by ``goldrush book`` from exactly today's inputs."""
    from goldrush.chapters import CHAPTERS

    stamp = site_stamp()
    return (
        bool(stamp.get("book"))
        and all(chapter.executed.exists() for chapter in CHAPTERS)
        and stamp.get("chapters") == published_chapters()
        and stamp["book"] == book_key()
    )


def _kernel_env() -> None:
    """Make the kernel start from this environment's Python, whatever PATH the caller had."""
    bin_dir = str(Path(sys.executable).parent)
    if not os.environ.get("PATH", "").startswith(bin_dir):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def _tidy_for_page(nb: Any) -> None:
    """Hide the parameter cells (the provenance box shows the values used)."""
    for cell in nb.cells:
        tags = cell.metadata.setdefault("tags", [])
        if ("parameters" in tags or "injected-parameters" in tags) and "remove-cell" not in tags:
            tags.append("remove-cell")


class Kernels:
    """The kernels a run started: one per worker, reused from chapter to chapter (its imports stay
    warm), stopped together when the run ends or is cancelled."""

    def __init__(self) -> None:
        self.managers: list[Any] = []
        self.cancelled = threading.Event()

    def manager(self, log: Path) -> Any:
        """A kernel manager (its kernel starts with the first chapter) whose kernel writes its own stdout/stderr to ``log``."""
        from jupyter_client.asynchronous import AsyncKernelClient
        from jupyter_client.manager import AsyncKernelManager

        class Client(AsyncKernelClient):
            async def wait_for_ready(self, timeout: float | None = None) -> None:
                """Ready once the kernel answers ``kernel_info`` and IOPub is connected (a message
                came on it), as jupyter_client waits, less its closing 0.2 s wait for more IOPub
                messages to drop: nbclient skips every message that does not answer its request."""
                deadline = time.monotonic() + (math.inf if timeout is None else timeout)
                while time.monotonic() < deadline:
                    self.kernel_info()
                    try:
                        reply = await self.shell_channel.get_msg(timeout=1)
                        if reply["msg_type"] == "kernel_info_reply":
                            await self.iopub_channel.get_msg(timeout=0.2)
                            self._handle_kernel_info_reply(reply)
                            return
                    except queue.Empty:
                        pass
                    if not await self.is_alive():
                        raise RuntimeError("Kernel died before replying to kernel_info")
                raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")

        class Manager(AsyncKernelManager):
            async def _async_pre_start_kernel(self, **kw: Any) -> Any:
                if kernels.cancelled.is_set():
                    raise KeyboardInterrupt
                handle = open(log, "ab")  # noqa: SIM115  (the kernel process keeps it)
                kw.update(env=dict(os.environ), stdout=handle, stderr=handle)
                return await super()._async_pre_start_kernel(**kw)

        kernels = self
        manager = Manager(kernel_name="python3", client_factory=Client)
        self.managers.append(manager)
        return manager

    def start(self, manager: Any, chapter: Chapter) -> None:
        """Start ``manager``'s kernel for ``chapter`` as nbclient would (in the notebooks' folder,
        history in memory), without waiting for it: it boots while papermill is imported."""
        from jupyter_client.utils import run_sync

        try:
            run_sync(manager.start_kernel)(extra_arguments=KERNEL_ARGUMENTS, cwd=str(paths.NOTEBOOKS))
        except Exception as exc:
            raise _could_not_run(chapter, exc) from None

    def stop(self) -> None:
        """Stop every kernel (each runs in its own session) and refuse to start more."""
        self.cancelled.set()
        for manager in self.managers:
            process = getattr(manager.provisioner, "process", None)
            if process is not None and process.poll() is None:
                with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(5)
            manager.cleanup_connection_file()


# The first cell of every chapter a kernel runs (taken out of the executed notebook): a clean
# namespace, as in a fresh kernel, and the folder where this chapter's charts and findings go.
FRESH_START = """get_ipython().run_line_magic("reset", "-f")
import os
os.environ[{name!r}] = {folder!r}
del os"""


def _could_not_run(chapter: Chapter, exc: Exception) -> GoldrushError:
    """The one-line error for a chapter whose kernel could not start or run it."""
    return GoldrushError(f"chapter {chapter.slug!r} could not run: {type(exc).__name__}: {exc}")


def _renumbered(nb: Any) -> None:
    """Execution counts from 1, as a fresh kernel gives them (a reused kernel counts on)."""
    count = 0
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            count += 1
            cell.execution_count = count
            for output in cell.outputs:
                if "execution_count" in output:
                    output["execution_count"] = count


def execute_into(
    chapter: Chapter, parameters: dict[str, Any], key: str | None, folder: Path, kernels: Kernels, manager: Any
) -> Path:
    """Execute ``chapter`` into ``folder`` with the kernel of ``manager`` (started if need be): the
    notebook, recording ``key`` (its ``cache_key``), and ``data/`` (what it published). Returns the notebook."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    folder.mkdir(parents=True)
    notebook = folder / chapter.notebook
    charts = folder / CHART_DATA
    charts.mkdir()
    source = nbformat.read(chapter.source, as_version=4)
    start = nbformat.v4.new_code_cell(FRESH_START.format(name=CHART_DIR_ENV, folder=str(charts)))
    source.cells.insert(0, start)
    try:
        # no output path: papermill would otherwise write the whole notebook (JSON, validated) twice
        # per cell, which cost the run about 5 CPU-seconds; it is written once, below
        nb = papermill.execute_notebook(
            source,
            None,
            parameters=parameters,
            cwd=str(paths.NOTEBOOKS),
            kernel_name="python3",
            km=manager,
            progress_bar=False,
            log_output=False,
            extra_arguments=KERNEL_ARGUMENTS,
        )
    except PapermillExecutionError as exc:
        first = exc.evalue.splitlines()[0] if exc.evalue else ""
        hint = "; run `make book` to repair .venv" if exc.ename == "ModuleNotFoundError" else ""
        raise GoldrushError(f"chapter {chapter.slug!r} failed in cell {exc.cell_index}: {exc.ename}: {first}{hint}") from None
    except Exception as exc:
        if kernels.cancelled.is_set():
            raise KeyboardInterrupt from None
        raise _could_not_run(chapter, exc) from None
    nb.cells = [cell for cell in nb.cells if cell.get("id") != start.id]
    # papermill records the input it was handed (here the whole notebook) and no output: name both files
    nb.metadata.papermill.update(
        input_path=chapter.source.relative_to(paths.ROOT).as_posix(),
        output_path=(paths.CHAPTERS_OUT / chapter.notebook).relative_to(paths.ROOT).as_posix(),
    )
    _renumbered(nb)
    _tidy_for_page(nb)
    nb.metadata["goldrush"] = {"cache_key": key, "chapter": chapter.slug, "parameters": parameters}
    nbformat.write(nb, notebook)
    return notebook


def _published_meta(chapter: Chapter) -> dict[str, Any]:
    """The goldrush metadata of a published chapter ({} if there is none or it cannot be read: it reruns),
    with ``seconds``, how long its run took (papermill's record)."""
    try:
        metadata = json.loads(chapter.executed.read_bytes())["metadata"]  # the metadata alone: not validated as a notebook
        return {**metadata.get("goldrush", {}), "seconds": float(metadata.get("papermill", {}).get("duration") or 0)}
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        return {}


def executed_parameters() -> dict[str, dict[str, Any]]:
    """The parameters each published chapter (other than the fact-check) last ran with."""
    from goldrush.chapters import CHAPTERS

    found = {}
    for chapter in CHAPTERS:
        meta = {} if chapter.gathers else _published_meta(chapter)
        if "parameters" in meta:
            found[chapter.slug] = meta["parameters"]
    return found


def jobs() -> int:
    """How many chapters run at once: one per core (``GOLDRUSH_JOBS`` overrides)."""
    try:
        return max(1, int(os.environ.get("GOLDRUSH_JOBS") or os.cpu_count() or 1))
    except ValueError:
        raise GoldrushError("GOLDRUSH_JOBS must be a whole number") from None


def site_jobs() -> int:
    """Sphinx's processes: in a parallel build its main process resolves each page and feeds the
    search index while the others write pages, so one more than ``jobs()`` keeps every core busy."""
    return jobs() + 1 if jobs() > 1 else 1


class Run:
    """One transaction: chapters executed into scratch space, published together, the site swapped in."""

    def __init__(self, progress: Progress = print, build: bool = True):
        self.progress = progress
        self.folder = workspace.scratch("run")
        self.transaction = workspace.Transaction(self.folder)
        self.executed: list[tuple[Chapter, Path]] = []
        self.build = build
        self.builder: subprocess.Popen[str] | None = None

    def start_builder(self) -> None:
        """Start Jupyter Book (once, if this run builds the site) so that it has imported everything
        by the time the chapters are done; started first thing, its imports take the core that
        this process leaves idle while it imports and plans."""
        if self.build and self.builder is None:
            command = [
                sys.executable,
                "-c",
                SITE_BUILDER,
                "build",
                str(paths.ROOT),
                "--path-output",
                str(paths.SITE_WORK),
                "--warningiserror",
                "--keep-going",
                "--quiet",
            ]
            with open(self.folder / "jupyter-book.log", "w") as log:  # a file: a stray grandchild cannot hold it open
                self.builder = subprocess.Popen(
                    command,
                    env={**os.environ, WHEN_TOLD: "1"},
                    stdin=subprocess.PIPE,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    text=True,
                    cwd=paths.ROOT,
                    start_new_session=True,  # its own process group, ended with it (see _stop_builder)
                )

    def _stop_builder(self) -> None:
        """End the site builder, if it still runs, and whatever it started (Sphinx's workers)."""
        if self.builder is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.builder.pid, signal.SIGKILL)
            self.builder.wait()

    def __enter__(self) -> Run:
        return self

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None:
        if self.builder is not None and self.builder.returncode is None:  # build_site has not ended it
            self._stop_builder()
        try:
            if error is None or workspace.site_transaction() == self.transaction.name:
                self.transaction.commit()
            else:
                self.transaction.rollback()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def execute(self, plan: list[tuple[Chapter, dict[str, Any]]], force: bool = False) -> int:
        """Execute the changed chapters of ``plan`` (validated parameters), in parallel. Returns how many ran."""
        todo: list[tuple[Chapter, dict[str, Any], str | None]] = []
        seconds = {}
        for chapter, parameters in plan:
            key, published = cache_key(chapter, parameters), _published_meta(chapter)
            if not force and key is not None and key == published.get("cache_key"):
                self.progress(f"==> chapter {chapter.number}: {chapter.title}")
                self.progress(f"  {chapter.slug}: unchanged, not re-executed")
            else:
                todo.append((chapter, parameters, key))
                seconds[chapter.slug] = published.get("seconds", 0.0)
        if not todo:
            return 0
        # Longest first, so that the last to finish is a short one: the fact-check (it rechecks every
        # claim at every date) whatever the record says, then the others by their last run's time.
        todo.sort(key=lambda item: (not item[0].gathers, -seconds[item[0].slug]))
        _kernel_env()
        self.start_builder()  # if not started yet: its imports and the Vega bundle share the cores with the chapters
        logging.getLogger("papermill").disabled = True  # failures are reported once, as GoldrushError
        kernels = Kernels()
        results: dict[str, Path | BaseException] = {}
        queue = list(todo)
        lock = threading.Lock()

        def worker(number: int) -> None:
            manager = kernels.manager(self.folder / f"kernel-{number}.log")
            while not kernels.cancelled.is_set():
                with lock:
                    if not queue:
                        return
                    chapter, parameters, key = queue.pop(0)
                    # under the lock: two workers' lines never run into each other
                    self.progress(f"==> chapter {chapter.number}: {chapter.title}")
                    self.progress(f"  {chapter.slug}: executing {chapter.notebook} with {parameters}")
                try:
                    if not manager.has_kernel:
                        kernels.start(manager, chapter)
                    results[chapter.slug] = execute_into(chapter, parameters, key, self.folder / chapter.slug, kernels, manager)
                    with lock:
                        self.progress(f"  {chapter.slug}: done")
                except BaseException as exc:  # reported by the main thread
                    results[chapter.slug] = exc
                    kernels.stop()

        threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(min(jobs(), len(todo)))]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                while thread.is_alive():
                    thread.join(0.2)
        except BaseException:
            kernels.stop()
            for thread in threads:
                if thread.ident is not None:  # started
                    thread.join(10)
            raise
        kernels.stop()
        for chapter, *_ in todo:
            outcome = results.get(chapter.slug)
            if isinstance(outcome, GoldrushError):
                raise outcome
        for chapter, *_ in todo:
            outcome = results.get(chapter.slug)
            if not isinstance(outcome, Path):
                raise outcome if isinstance(outcome, BaseException) else KeyboardInterrupt
            self.executed.append((chapter, outcome))
        return len(todo)

    def publish(self) -> None:
        """Move every executed chapter and the files it wrote into ``book/chapters/`` together. A
        file whose published copy has the same bytes is left as it is: its file time still says when
        it changed (Sphinx rereads, and a chart's preview is redrawn, only when it did)."""
        moves = []
        for _, notebook in self.executed:
            charts = notebook.parent / CHART_DATA
            moves += [(file, paths.CHAPTERS_OUT / CHART_DATA / file.name) for file in sorted(charts.iterdir())]
            moves.append((notebook, paths.CHAPTERS_OUT / notebook.name))
        methods = self.folder / "data-and-methods.md"
        _write_methods(methods)
        moves.append((methods, paths.CHAPTERS_OUT / methods.name))
        moves = [(staged, target) for staged, target in moves if _changed(staged, target)]
        self.transaction.publish(moves)
        svg_cache.prune(published=len(list((paths.CHAPTERS_OUT / CHART_DATA).glob(svg_cache.static_name("*", "light", "*")))))

    def build_site(self, key: str | None = None) -> Path:
        """Build the site from the published chapters into a staging copy and swap it into ``_build/html``."""
        self.progress("  jupyter-book build (warnings are errors) ...")
        self.start_builder()  # it writes the Vega bundle first
        assert self.builder is not None
        from goldrush import coursepack

        extras = self.folder / "extras"
        with ThreadPoolExecutor(1) as pool:  # student notebooks and the course pack, while Sphinx builds
            pack = pool.submit(coursepack.publish, extras)
            self.builder.communicate("build\n")
            self._stop_builder()
            pack.result()
        output = (self.folder / "jupyter-book.log").read_text(encoding="utf-8", errors="replace")
        if self.builder.returncode != 0:
            log = paths.BUILD / "jupyter-book.log"
            log.write_text(output, encoding="utf-8")
            warnings = [line for line in output.splitlines() if "WARNING" in line or "ERROR" in line]
            first = warnings[0] if warnings else "see the log"
            raise GoldrushError(f"jupyter-book build failed ({first}); full log: {log}; the previous site is unchanged")
        built = paths.SITE_WORK / "_build" / "html"
        staged = self.folder / "html"
        unchanged_linked = _link_unchanged(paths.HTML, staged)
        shutil.copytree(built, staged, ignore=shutil.ignore_patterns(".doctrees"), copy_function=unchanged_linked)
        charts = paths.CHAPTERS_OUT / CHART_DATA
        if charts.exists():
            shutil.copytree(charts, staged / "book" / "chapters" / CHART_DATA, dirs_exist_ok=True, copy_function=unchanged_linked)
            if (charts / "claims.json").exists():
                shutil.copy(charts / "claims.json", staged / "claims.json")
        shutil.copytree(extras, staged, dirs_exist_ok=True, copy_function=_link_or_copy)  # scratch, written once
        stamp = {"book": key, "chapters": published_chapters(), "transaction": self.transaction.name}
        (staged / workspace.SITE_STAMP).write_text(json.dumps(stamp))
        from goldrush.snapshot import swap_into_place

        swap_into_place(staged, paths.HTML)
        return paths.HTML


def _link_unchanged(published: Path, staged: Path) -> Callable[[str, str], object]:
    """A ``copytree`` copy function for staging the site in ``staged``: a file whose published copy
    (the same path under ``published``) has its size and time is hard-linked to that copy, any other
    file is copied (with its time). Linking is safe because a published site is only ever replaced
    whole (``swap_into_place``), never written into."""

    def copy(source: str, target: str) -> object:
        kept = published / Path(target).relative_to(staged)
        with contextlib.suppress(OSError):
            new, old = os.stat(source), kept.stat()
            if (new.st_size, new.st_mtime_ns) == (old.st_size, old.st_mtime_ns):
                return _link_or_copy(str(kept), target)
        return shutil.copy2(source, target)

    return copy


def _link_or_copy(source: str, target: str) -> object:
    """Hard-link ``target`` to ``source`` (a file never written into again), or copy it where the
    file system cannot link."""
    try:
        os.link(source, target)
    except OSError:
        return shutil.copy2(source, target)
    return target


def _changed(staged: Path, published: Path) -> bool:
    """True unless ``published`` already holds ``staged``'s bytes."""
    try:
        return published.stat().st_size != staged.stat().st_size or published.read_bytes() != staged.read_bytes()
    except FileNotFoundError:
        return True


def _write_methods(target: Path) -> None:
    from goldrush.methods import write_methods_page

    write_methods_page(target)


def vega_bundle() -> Path:
    """Write the self-hosted Vega/Vega-Lite/vega-embed bundle (from vl-convert) into the book's ``_static``.

    The bundle depends only on the installed vl-convert, so the environment keeps a copy per version
    (``goldrush.assets``): a fresh clone does not remake it. The site builder may write it at the
    same time as a run, so both write through a temporary name.
    """
    import altair as alt
    import vl_convert

    version = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]
    target = paths.STATIC_VEGA / "vega-bundle.js"
    stamp = paths.STATIC_VEGA / "VERSION"
    embed = vl_convert.get_vega_embed_version()
    wanted = f"vega {vl_convert.get_vega_version()} vega-lite {version} vega-embed {embed} (wrapped)"
    if target.exists() and stamp.exists() and stamp.read_text() == wanted:
        return target

    def wrapped() -> bytes:
        # Wrapped in a function: the bundle's top-level names (such as `_`) would clash with Sphinx's globals.
        # snippet defaults to None at run time (the snippet that sets window.vegaEmbed); the stub wrongly requires it
        bundle = vl_convert.javascript_bundle(vl_version=version)  # type: ignore[call-arg]
        return f"(function () {{\n{bundle}\n}})();\n".encode()

    assets.write_atomically(target, assets.kept("vega-bundle.js", wanted, wrapped))
    assets.write_atomically(stamp, wanted.encode())
    return target


CHECKED = "nbval-check-output"


def store_reference(chapter: Chapter, progress: Progress = print) -> Path:
    """Run a chapter with its defaults and keep, in its source notebook, only the plain-text outputs
    of the headline cells (tagged ``nbval-check-output``): what nbval compares in ``make test``.
    """
    import nbformat
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
            extra_arguments=KERNEL_ARGUMENTS,
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
