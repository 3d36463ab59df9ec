"""One run at a time, in scratch space, published as a transaction.

- ``exclusive()`` holds ``_build/.goldrush.lock`` (``filelock``) for a whole ``run``, ``book``,
  ``data build`` or ``data refresh``; a second one waits ``GOLDRUSH_LOCK_WAIT`` seconds (default 5)
  and then stops with "another goldrush run is in progress (pid …)". Holding the lock, it first
  sweeps what a killed run left behind.
- A run works in ``_build/.scratch/run-<pid>-…`` (outside the book's sources). ``Transaction``
  publishes its files into the sources, keeping what they replace; until ``commit()`` it can be
  rolled back, by the run itself (an error, Ctrl-C, SIGTERM) or, after a SIGKILL, by the next
  command's sweep. The published site records the transaction it came from, so a run killed after
  the site was swapped in is kept, and one killed before is rolled back.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from goldrush import paths
from goldrush.errors import GoldrushError

Progress = Callable[[str], None]
MANIFEST = "manifest.json"  # the files a transaction publishes, written before the first one moves
UNDO = "undo"  # what they replaced
SITE_STAMP = ".goldrush-site.json"  # in the published site: its inputs' key and the transaction that built it
LEGACY = (  # staging folders older versions and the data commands leave beside their targets
    (lambda: paths.CHAPTERS_OUT, ".run-*"),
    (lambda: paths.BUILD, ".html-*"),
    (lambda: paths.DATA.parent, ".data-refresh-*"),
    (lambda: paths.DATA.parent, ".data-build-*"),
)


def lock_wait() -> float:
    try:
        return float(os.environ.get("GOLDRUSH_LOCK_WAIT", "5"))
    except ValueError:
        raise GoldrushError("GOLDRUSH_LOCK_WAIT must be a number of seconds") from None


def _holder() -> str:
    try:
        return paths.LOCK.with_suffix(".pid").read_text().strip() or "unknown"
    except OSError:
        return "unknown"


@contextmanager
def exclusive(progress: Progress = print) -> Iterator[None]:
    """Hold the run lock (waiting briefly), sweep stale scratch space, then run the block."""
    from filelock import FileLock, Timeout

    paths.BUILD.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(paths.LOCK))
    try:
        lock.acquire(timeout=lock_wait())
    except Timeout:
        raise GoldrushError(f"another goldrush run is in progress (pid {_holder()}); try again when it has finished") from None
    try:
        paths.LOCK.with_suffix(".pid").write_text(str(os.getpid()))
        sweep(progress)
        yield
    finally:
        lock.release()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def scratch(kind: str) -> Path:
    """A new scratch folder ``_build/.scratch/<kind>-<pid>-<random>``."""
    paths.SCRATCH.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{kind}-{os.getpid()}-", dir=paths.SCRATCH))


def _owner(folder: Path) -> int | None:
    try:
        return int(folder.name.split("-")[1])
    except (IndexError, ValueError):
        return None


def site_transaction() -> str | None:
    """The transaction the published site was built by (None if unknown)."""
    try:
        return json.loads((paths.HTML / SITE_STAMP).read_text()).get("transaction")
    except (OSError, ValueError):
        return None


def sweep(progress: Progress = print) -> None:
    """Undo what killed runs left: half-swapped folders, staging folders, unfinished transactions."""
    for target in (paths.HTML, paths.DATA):
        old = target.with_name(target.name + ".old")
        if old.exists() and not target.exists():
            old.rename(target)  # killed between the two renames of a swap
        elif old.exists():
            shutil.rmtree(old)
    for folder_of, pattern in LEGACY:
        folder = folder_of()
        for stale in sorted(folder.glob(pattern)) if folder.is_dir() else []:
            shutil.rmtree(stale, ignore_errors=True)
    if not paths.SCRATCH.is_dir():
        return
    for folder in sorted(paths.SCRATCH.iterdir()):
        owner = _owner(folder)
        if owner is not None and owner != os.getpid() and _pid_alive(owner):
            continue  # not ours to judge (another process without the lock)
        if (folder / MANIFEST).exists():
            if site_transaction() == folder.name:
                progress(f"  a run that was stopped after publishing its site: kept ({folder.name})")
            else:
                Transaction(folder).rollback()
                progress(f"  a run that was stopped while publishing was rolled back ({folder.name})")
        shutil.rmtree(folder, ignore_errors=True)


class Transaction:
    """Files moved from a scratch folder into the book's sources, undoable until committed."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.name = folder.name

    def publish(self, moves: list[tuple[Path, Path]]) -> None:
        """Move each (staged file, destination) into place, keeping every replaced file in ``undo/``."""
        undo = self.folder / UNDO
        undo.mkdir(exist_ok=True)
        record = [{"staged": str(s), "target": str(t), "undo": str(undo / str(i))} for i, (s, t) in enumerate(moves)]
        manifest = self.folder / MANIFEST
        manifest.with_suffix(".tmp").write_text(json.dumps(record))
        os.replace(manifest.with_suffix(".tmp"), manifest)
        for item in record:
            target = Path(item["target"])
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists() and not Path(item["undo"]).exists():
                os.replace(target, item["undo"])
            os.replace(item["staged"], target)

    def rollback(self) -> None:
        """Put back what ``publish`` replaced and remove what it added (touched, so Sphinx rereads them)."""
        manifest = self.folder / MANIFEST
        if not manifest.exists():
            return
        for item in reversed(json.loads(manifest.read_text())):
            target, kept = Path(item["target"]), Path(item["undo"])
            if kept.exists():
                os.replace(kept, target)
                os.utime(target)
            elif not Path(item["staged"]).exists() and target.exists():
                target.unlink()  # published by this run, replacing nothing
        manifest.unlink()

    def commit(self) -> None:
        (self.folder / MANIFEST).unlink(missing_ok=True)
