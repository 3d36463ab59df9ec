"""Runs that cannot break the book: kills at several moments, concurrent runs, Ctrl-C, one-line
errors for what a user can cause or meet, hostile values in Make variables and provenance boxes.

Every test works on a scratch copy of the repository; the kill tests share one copy and end with
a normal build that must succeed and publish no scratch folder.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import Cli, copy_repo, point_paths_at

from goldrush import errors, paths, provenance, snapshot, sources, workspace

ROOT = Path(__file__).resolve().parent.parent


def start(*args: str, root: Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """The real CLI in its own process group (so a test can Ctrl-C it like a terminal would)."""
    env = {**os.environ, "GOLDRUSH_ROOT": str(root), "GOLDRUSH_SHARED_DATA": str(paths.shared_data()), **(env or {})}
    return subprocess.Popen(
        [sys.executable, "-m", "goldrush.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # as from a terminal: Ctrl-C interrupts even when the test runner was started with SIGINT ignored
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def wait_for(process: subprocess.Popen[str], line: str, timeout: float = 120) -> list[str]:
    """Read the process's output until a line containing ``line`` (returns what was read)."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    while time.monotonic() < deadline:
        text = process.stdout.readline()
        if not text:
            break
        seen.append(text)
        if line in text:
            return seen
    raise AssertionError(f"{line!r} never came: {''.join(seen)}{process.stderr.read() if process.stderr else ''}")


def stop(process: subprocess.Popen[str], how: signal.Signals) -> tuple[int, str]:
    if how == signal.SIGINT:
        os.killpg(process.pid, signal.SIGINT)  # the whole foreground group, as Ctrl-C in a terminal
    else:
        process.send_signal(how)
    _, err = process.communicate(timeout=60)
    return process.returncode, err


def parameters(notebook: Path) -> dict:
    return json.loads(notebook.read_text())["metadata"]["goldrush"]["parameters"]


def leftovers(root: Path) -> list[str]:
    """Scratch or staging folders anywhere they could reach the sources or the site."""
    found = [p for p in root.rglob("*") if p.name.startswith((".run-", ".html-", ".data-build-", ".data-refresh-"))]
    found += [p for p in (root / "_build" / ".scratch").glob("*")] if (root / "_build" / ".scratch").exists() else []
    found += [p for p in (root / "_build" / "html").rglob("*scratch*")] if (root / "_build" / "html").exists() else []
    return [str(p.relative_to(root)) for p in found]


@pytest.fixture(scope="module")
def killed_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_repo(tmp_path_factory.mktemp("killed"))


CHAPTER_1 = "book/chapters/01_five_trillion.ipynb"


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_a_run_stopped_while_executing_publishes_nothing(killed_repo: Path, how: signal.Signals) -> None:
    process = start("run", "five-trillion", "--as-of", "2025-06-02", "--no-build", root=killed_repo)
    wait_for(process, "five-trillion: executing")
    code, err = stop(process, how)
    if how == signal.SIGKILL:
        assert code == -signal.SIGKILL
    else:  # one line, no kernel or ZMQ traceback
        assert code == (130 if how == signal.SIGINT else 143), err
        word = "interrupted" if how == signal.SIGINT else "terminated"
        assert err.splitlines() == [f"error: {word}; nothing was published"], err
    assert not (killed_repo / CHAPTER_1).exists() or parameters(killed_repo / CHAPTER_1)["as_of"] != "2025-06-02"
    assert not list((killed_repo / "book" / "chapters").glob(".*"))  # nothing inside the book's sources


def test_a_book_stopped_while_building_the_site_keeps_the_previous_chapters(killed_repo: Path) -> None:
    process = start("book", root=killed_repo)
    wait_for(process, "jupyter-book build")
    code, err = stop(process, signal.SIGTERM)
    assert code == 143 and err.splitlines() == ["error: terminated; nothing was published"]
    assert not (killed_repo / CHAPTER_1).exists()  # rolled back: there was none before
    assert not (killed_repo / "_build" / "html").exists()


def test_data_build_killed_while_staging_leaves_data_and_is_swept(killed_repo: Path) -> None:
    before = snapshot.verify(killed_repo / "data", schema=False)
    process = start("data", "build", root=killed_repo)
    wait_for(process, "rows")
    stop(process, signal.SIGKILL)
    assert snapshot.verify(killed_repo / "data", schema=False) == before
    # and a kill between the two renames of the swap: data/ is put back by the next command
    (killed_repo / "data").rename(killed_repo / "data.old")


def test_after_the_kills_a_normal_build_succeeds_and_publishes_no_scratch(killed_repo: Path) -> None:
    result = start("book", root=killed_repo)
    _, err = result.communicate(timeout=600)
    assert result.returncode == 0, err
    assert (killed_repo / "data" / "datapackage.json").exists() and not (killed_repo / "data.old").exists()
    assert leftovers(killed_repo) == []
    assert parameters(killed_repo / CHAPTER_1)["as_of"] == "2025-10-29"
    fact_check = parameters(killed_repo / "book/chapters/05_fact_check.ipynb")
    assert fact_check["chapter_params"]["five-trillion"]["as_of"] == "2025-10-29"  # not the cancelled run's date
    site = killed_repo / "_build" / "html"
    assert (site / "book/chapters/05_fact_check.html").exists() and (site / "claims.json").exists()
    assert not [p for p in site.rglob("*") if ".run-" in str(p) or ".scratch" in str(p)]


def test_an_unchanged_book_skips_the_site_build(killed_repo: Path, cli: Cli) -> None:
    site = killed_repo / "_build" / "html" / "index.html"
    built = site.stat().st_mtime_ns
    result = cli("book", root=killed_repo)
    assert result.returncode == 0 and "nothing changed since the last build" in result.stdout
    assert site.stat().st_mtime_ns == built


def test_a_second_run_waits_briefly_then_says_who_holds_the_lock(
    killed_repo: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOLDRUSH_LOCK_WAIT", "0.2")
    first = start("run", "five-trillion", "--as-of", "2025-05-01", "--no-build", "--force", root=killed_repo)
    wait_for(first, "five-trillion: executing")
    for args in (["run", "five-trillion", "--as-of", "2025-05-02"], ["book"], ["data", "build"], ["data", "refresh"]):
        second = cli(*args, root=killed_repo)
        assert second.returncode == 2
        assert second.stderr.splitlines() == [
            f"error: another goldrush run is in progress (pid {first.pid}); try again when it has finished"
        ]
    _, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert parameters(killed_repo / CHAPTER_1)["as_of"] == "2025-05-01"
    fact_check = parameters(killed_repo / "book/chapters/05_fact_check.ipynb")
    assert fact_check["chapter_params"]["five-trillion"]["as_of"] == "2025-05-01"  # the page and claims agree


def test_a_run_killed_while_publishing_is_rolled_back_by_the_next_command(tmp_path: Path, monkeypatch) -> None:
    root = copy_repo(tmp_path)
    point_paths_at(root, monkeypatch)
    chapters = root / "book" / "chapters"
    chapters.mkdir(parents=True)
    (chapters / "01_five_trillion.ipynb").write_text("the published chapter")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    folder = root / "_build" / ".scratch" / f"run-{dead.stdout.strip()}-x"
    (folder / "five-trillion" / "data").mkdir(parents=True)
    (folder / "five-trillion" / "01_five_trillion.ipynb").write_text("the cancelled chapter")
    (folder / "five-trillion" / "data" / "c1.csv").write_text("new chart")
    moves = [
        (folder / "five-trillion" / "data" / "c1.csv", chapters / "data" / "c1.csv"),
        (folder / "five-trillion" / "01_five_trillion.ipynb", chapters / "01_five_trillion.ipynb"),
    ]
    transaction = workspace.Transaction(folder)
    real_replace = os.replace
    calls = []

    def dies_midway(src, dst):
        calls.append(dst)
        if len(calls) == 4:
            raise SystemExit("killed")  # stands for SIGKILL: no cleanup runs
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", dies_midway)
    with pytest.raises(SystemExit):
        transaction.publish(moves)
    monkeypatch.setattr(os, "replace", real_replace)
    assert not (chapters / "01_five_trillion.ipynb").exists() and (chapters / "data" / "c1.csv").exists()
    said: list[str] = []
    workspace.sweep(said.append)
    assert (chapters / "01_five_trillion.ipynb").read_text() == "the published chapter"
    assert not (chapters / "data" / "c1.csv").exists() and not folder.exists()
    assert said and "rolled back" in said[0]


def test_the_site_swap_interrupted_between_its_renames_is_put_back(tmp_path: Path, monkeypatch) -> None:
    point_paths_at(tmp_path, monkeypatch)
    (tmp_path / "_build" / "html.old").mkdir(parents=True)
    (tmp_path / "_build" / "html.old" / "index.html").write_text("the site")
    workspace.sweep(lambda _: None)
    assert (tmp_path / "_build" / "html" / "index.html").read_text() == "the site"


def test_staging_the_site_links_unchanged_files_and_copies_the_rest(tmp_path: Path) -> None:
    from goldrush import book

    built, published, staged = (tmp_path / name for name in ("built", "published", "staged"))
    for folder in (built, published):
        (folder / "sub").mkdir(parents=True)
    (built / "same.html").write_text("same")
    shutil.copy2(built / "same.html", published / "same.html")  # as the last build staged it
    (built / "sub" / "changed.html").write_text("new!")
    (published / "sub" / "changed.html").write_text("old!")  # the same size, another time
    os.utime(published / "sub" / "changed.html", ns=(10**9, 10**9))
    (built / "added.html").write_text("added")
    shutil.copytree(built, staged, copy_function=book._link_unchanged(published, staged))
    assert (staged / "same.html").stat().st_ino == (published / "same.html").stat().st_ino
    changed = staged / "sub" / "changed.html"
    assert changed.read_text() == "new!" and changed.stat().st_ino != (published / "sub" / "changed.html").stat().st_ino
    assert (staged / "added.html").read_text() == "added"


def test_a_live_run_is_never_taken_for_unchanged() -> None:
    from goldrush import book, chapters

    chapter, fact_check = chapters.get("five-trillion"), chapters.get("fact-check")
    snapshot_key = book.cache_key(chapter, {"as_of": "2025-10-29", "since": "2022-11-30", "source": "snapshot"})
    assert snapshot_key is not None
    assert book.cache_key(chapter, {"as_of": "2025-10-29", "since": "2022-11-30", "source": "live"}) is None
    nested = {"chapter_params": {"five-trillion": {"source": "live"}}, "source": "snapshot"}
    assert book.cache_key(fact_check, nested) is None


# --- one line for every error a user can cause or meet --------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = copy_repo(tmp_path / "repo")
    (root / "_build" / "html").mkdir(parents=True)
    (root / "_build" / "html" / "index.html").write_text("<p>the previous build</p>")
    return root


def one_line(result: subprocess.CompletedProcess[str], message: str, code: int = 2) -> str:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == code, result.stdout + result.stderr
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], result.stderr
    assert "Traceback" not in result.stdout + result.stderr and "\x1b" not in result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("descriptor", "message"),
    [
        ([], "has no list of resources"),
        ({"resources": {"nvda_daily": {}}}, "has no list of resources"),
        ({"resources": [{"name": "nvda_daily", "path": 5}]}, "resource 1 lacks a valid path, hash, schema"),
    ],
)
def test_a_datapackage_of_the_wrong_shape(repo: Path, cli: Cli, descriptor: object, message: str) -> None:
    (repo / "data" / "datapackage.json").write_text(json.dumps(descriptor))
    one_line(cli("data", "verify", root=repo), message)
    one_line(cli("run", "five-trillion", "--as-of", "2025-07-10", root=repo), message)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (errno.ENOSPC, "no space left on the device while writing"),
        (errno.EROFS, "is on a read-only file system"),
        (errno.EACCES, "permission denied for"),
        (errno.EBUSY, "is busy (a mount point or a file another program holds)"),
    ],
)
def test_file_system_failures_are_one_line_and_leave_data(
    repo: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch, code: int, message: str
) -> None:
    before = snapshot.sha256(repo / "data" / "datapackage.json")

    def fails(path: Path, header: list[str], rows: object) -> int:
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr(snapshot, "_write_rows", fails)
    line = one_line(cli("data", "build", root=repo), message)
    assert line.endswith("nothing was published") and str(repo) in line
    assert snapshot.sha256(repo / "data" / "datapackage.json") == before
    assert leftovers(repo) == []


def test_a_read_only_build_folder(repo: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    real = Path.mkdir

    def read_only(self: Path, *args: object, **kwargs: object) -> None:
        if "_build" in self.parts:
            raise OSError(errno.EROFS, "Read-only file system", str(self))
        real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", read_only)
    one_line(cli("run", "five-trillion", "--as-of", "2025-07-10", root=repo), "_build")


def test_a_read_only_chapters_folder_publishes_nothing(repo: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from goldrush import book

    published = repo / "book" / "chapters" / "01_five_trillion.ipynb"
    published.parent.mkdir(parents=True)
    meta = {"goldrush": {"parameters": {"as_of": "2025-10-29"}}}
    notebook = {"cells": [], "metadata": meta, "nbformat": 4, "nbformat_minor": 5}
    published.write_text(json.dumps(notebook))
    before = published.read_text()
    staged: list[Path] = []

    def executes(self: book.Run, plan: list, force: bool = False) -> int:
        for chapter, _ in plan:
            folder = self.folder / chapter.slug
            (folder / "data").mkdir(parents=True)
            (folder / chapter.notebook).write_text("the new chapter")
            self.executed.append((chapter, folder / chapter.notebook))
            staged.append(folder)
        return len(plan)

    real_replace = os.replace

    def read_only(src: object, dst: object) -> None:
        if Path(str(dst)).name == "02_money_printers.ipynb":
            raise OSError(errno.EROFS, "Read-only file system", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(book.Run, "execute", executes)
    monkeypatch.setattr(os, "replace", read_only)
    line = one_line(cli("run", "five-trillion", "--as-of", "2025-07-10", "--no-build", root=repo), "read-only file system")
    assert "book/chapters" in line
    assert published.read_text() == before  # chapter 1 had moved in: rolled back
    assert sorted(p.name for p in published.parent.iterdir()) == ["01_five_trillion.ipynb"]
    assert staged and leftovers(repo) == []


def test_a_package_missing_from_the_environment(repo: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "frictionless", None)  # what `import frictionless` meets when it is gone
    one_line(cli("data", "verify", root=repo), "'frictionless' is missing from this environment; run `make book`")


def test_verify_refuses_an_unknown_dataset_and_lists_the_names(repo: Path, cli: Cli) -> None:
    line = one_line(cli("data", "verify", "nosuch", root=repo), "unknown dataset 'nosuch'; known datasets: ")
    names = [r["name"] for r in json.loads((repo / "data" / "datapackage.json").read_text())["resources"]]
    assert line.endswith(", ".join(names))


def test_long_bad_values_are_shortened_and_ansi_codes_dropped(repo: Path, cli: Cli) -> None:
    line = one_line(cli("run", "five-trillion", "--as-of", "9" * 5000, root=repo), "(5000 characters)")
    assert len(line) < 200
    assert errors.one_line("\x1b[91mWARNING\x1b[39;49;00m: a\nb") == "WARNING: a b"


# --- Make -----------------------------------------------------------------------------------------


@pytest.fixture
def make_dir(tmp_path: Path) -> Path:
    """The Makefile beside a stand-in .venv whose ``goldrush`` prints its arguments."""
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    for name in ("pyproject.toml", "requirements.lock"):
        (tmp_path / name).write_text("")
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "goldrush").write_text('#!/bin/sh\nfor a in "$@"; do printf "[%s]" "$a"; done; echo\n')
    (bin_dir / "python").write_text("#!/bin/sh\nexit 0\n")
    for tool in bin_dir.iterdir():
        tool.chmod(0o755)
    time.sleep(0.01)
    (tmp_path / ".venv" / ".installed").touch()
    return tmp_path


def make(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["make", "-s", "-C", str(folder), *args], capture_output=True, text=True, timeout=60)


def test_make_passes_values_as_single_arguments_and_runs_nothing_they_hold(make_dir: Path) -> None:
    result = make(make_dir, "chapter", "CH=x || touch pwned", "AS_OF=$(shell touch pwned2)", "SINCE=`touch pwned3`")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[run][x || touch pwned][--as-of][$(shell touch pwned2)][--since][`touch pwned3`]"
    assert not list(make_dir.glob("pwned*")) and not list(Path.cwd().glob("pwned*"))


def test_make_rejects_an_unknown_variable_and_lists_the_known_ones(make_dir: Path) -> None:
    result = make(make_dir, "chapter", "CH=five-trillion", "ASOF=2025-07-10")
    assert result.returncode == 2 and result.stdout == ""
    assert "error: unknown variable ASOF; known variables: CH AS_OF SINCE START END SOURCE FORCE PART PYTHON" in result.stderr


def test_make_repairs_a_venv_that_cannot_import_a_package(make_dir: Path) -> None:
    python = make_dir / ".venv" / "bin" / "python"
    python.write_text("#!/bin/sh\necho python \"$@\" >> calls; [ -f repaired ] || exit 1\n")
    (make_dir / ".venv" / "bin" / "pip").write_text("#!/bin/sh\necho pip \"$@\" >> calls; touch repaired\n")
    (make_dir / ".venv" / "bin" / "pip").chmod(0o755)
    result = make(make_dir, "book")
    assert result.returncode == 0, result.stderr
    assert "repairing .venv" in result.stdout and "[book]" in result.stdout
    assert "pip install" in (make_dir / "calls").read_text()


# --- escaping in display tables -------------------------------------------------------------------


def test_provenance_cells_and_parameters_are_html_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    hostile = '<!--<script>alert(1)</script><img src=x onerror="alert(2)">'
    record = {
        "source": "snapshot", "asked": "snapshot", "title": hostile, "providers": [hostile], "retrieved": hostile,
        "rows": 1, "sha256": "0" * 64, "licenses": [hostile],
    }
    monkeypatch.setattr(sources, "provenance", lambda name, source, fetched=None: record)
    page = provenance.box({"as_of": hostile}, ["nvda_daily"])._repr_html_()
    assert "<script" not in page and "<img" not in page and "<!--" not in page
    assert page.count("&lt;script&gt;") == 5
