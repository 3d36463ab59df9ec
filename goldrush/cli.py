"""The ``goldrush`` command: build the book, rerun a chapter, build and verify the data.

A user's mistake (unknown chapter, bad date, damaged data file, failed fetch) is reported on one
line starting with ``error:`` and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, NoReturn

from goldrush.errors import GoldrushError, one_line

if TYPE_CHECKING:  # imported where a command runs: `goldrush --help` does not load the pipeline
    from goldrush.book import Run

EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 128 + signal.SIGINT  # as a shell reports a Ctrl-C
EXIT_TERMINATED = 128 + signal.SIGTERM


class Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USER_ERROR, f"error: {one_line(message)} (see `{self.prog} --help`)\n")


def say(message: str) -> None:
    print(message, flush=True)


def _step(title: str) -> float:
    say(f"==> {title}")
    return time.perf_counter()


def _done(started: float) -> None:
    say(f"    done in {time.perf_counter() - started:.1f}s")


def _check_snapshot() -> None:
    from goldrush import snapshot

    started = _step("checking the data snapshot")
    say(f"  {snapshot.verify(schema=False)} files match datapackage.json")
    _done(started)


@contextlib.contextmanager
def _run(build: bool) -> Iterator[Run]:
    """A book run (``goldrush.book.Run``: scratch space, published as one transaction or not at
    all) whose site builder starts at once, while this process still imports and plans."""
    from goldrush import book

    with book.Run(say, build=build) as run:
        run.start_builder()
        yield run


def _transaction(run: Run, plan: list, force: bool, key: str | None = None) -> None:
    """Execute ``plan`` (chapters with validated parameters) into ``run``'s scratch space, publish it and the site."""
    from goldrush import book

    started = _step(f"executing chapters ({min(book.jobs(), len(plan))} at a time)")
    run.execute(plan, force=force)
    _done(started)
    run.publish()
    if run.build:
        started = _step("building the site")
        say(f"  site ready: {run.build_site(key)}/index.html")
        _done(started)


def _gathered(chapter, chosen: dict[str, dict], source: str = "snapshot") -> dict:
    """The fact-check's parameters: every other chapter's parameters for this run."""
    from goldrush import params

    return params.validate(chapter, {"chapter_params": chosen, "source": source})


def cmd_book(args: argparse.Namespace) -> None:
    """Execute every chapter with its default dates (in parallel) and build the site; with
    ``--source live`` every chapter reads the live APIs (always re-executed, never taken as unchanged)."""
    from goldrush import workspace

    with workspace.exclusive(say):
        from goldrush import book

        if args.source == "snapshot" and not args.force and book.up_to_date():  # before pandas is imported
            say("==> nothing changed since the last build: the site in _build/html is up to date")
            return
        with _run(build=True) as run:
            from goldrush import chapters, params, sources

            source = sources.check_source(args.source)
            plan = [(c, params.validate(c, {"source": source})) for c in chapters.CHAPTERS if not c.gathers]
            if source == "live":
                _preflight(*(c for c, _ in plan))
            key = book.book_key() if source == "snapshot" else None  # a live book is never the default book
            _check_snapshot()
            chosen = {c.slug: values for c, values in plan}
            plan += [(c, _gathered(c, chosen, source)) for c in chapters.CHAPTERS if c.gathers]
            _transaction(run, plan, force=args.force, key=key)


def _preflight(*chosen) -> None:
    """With ``--source live``, fail in seconds, before papermill starts, if the providers cannot be reached."""
    from goldrush import live

    started = _step("checking that the live providers can be reached")
    live.preflight(sorted({name for chapter in chosen for name in chapter.datasets}))
    _done(started)


def cmd_run(args: argparse.Namespace) -> None:
    """Re-execute one chapter with new parameters beside the fact-check, then rebuild the site."""
    from goldrush import book, chapters, params, workspace

    chapter = chapters.get(args.chapter)
    given = {k: getattr(args, k) for k in ("as_of", "since", "start", "end", "source") if getattr(args, k) is not None}
    values = params.validate(chapter, given)  # fail on a bad parameter before touching anything
    if values.get("source") == "live":
        _preflight(chapter)
    with workspace.exclusive(say), _run(build=not args.no_build) as run:
        _check_snapshot()
        published = book.executed_parameters()
        plan = [(chapter, values)]
        for other in chapters.CHAPTERS:
            if other is not chapter and not other.gathers and other.slug not in published:
                say(f"  {other.slug}: not built yet, runs with its default parameters")
                plan.append((other, params.validate(other, {})))
        chosen = {**published, **{c.slug: v for c, v in plan}}
        plan += [(c, _gathered(c, chosen)) for c in chapters.CHAPTERS if c.gathers and c is not chapter]
        if chapter.gathers:
            plan = [(chapter, params.validate(chapter, {**given, "chapter_params": published}))]
        _transaction(run, plan, force=args.force)


def cmd_chapters(args: argparse.Namespace) -> None:
    """List chapters and their parameters."""
    from goldrush import chapters

    for chapter in chapters.CHAPTERS:
        defaults = ", ".join(f"{k}={v}" for k, v in chapter.defaults().items())
        say(f"{chapter.slug:<20} {chapter.title} ({defaults})")
        snapshot = chapter.bounds("snapshot")
        for name, (lo, hi) in snapshot.items():
            say(
                f"{'':<20}   --{name.replace('_', '-')}: {lo} to {hi} (snapshot), {lo} to today (live); "
                f"{chapter.ranges[name].why}"
            )
        if chapter.shortest_window():
            earlier, later = chapter.window or ("", "")
            say(
                f"{'':<20}   shortest window --{earlier.replace('_', '-')} to --{later.replace('_', '-')}: "
                f"{chapter.shortest_window()} days ({chapter.min_window_why})"
            )


def cmd_reference(args: argparse.Namespace) -> None:
    """Store the headline outputs nbval compares, for the given chapters (default: all)."""
    from goldrush import book, chapters

    for chapter in [chapters.get(slug) for slug in args.chapters] or chapters.CHAPTERS:
        started = _step(f"chapter {chapter.number}: storing reference outputs")
        book.store_reference(chapter, say)
        _done(started)


def cmd_data_build(args: argparse.Namespace) -> None:
    from goldrush import paths, snapshot, workspace

    with workspace.exclusive(say):
        started = _step(f"building data/ from {paths.shared_data()}")
        snapshot.build(progress=say)
        _done(started)


def cmd_data_verify(args: argparse.Namespace) -> None:
    from goldrush import snapshot

    started = _step("verifying data/ (sha256, row counts, schemas)")
    count = snapshot.verify(names=args.datasets or None)
    say(f"  {count} files OK")
    _done(started)


def cmd_data_refresh(args: argparse.Namespace) -> None:
    from goldrush import refresh, workspace

    with workspace.exclusive(say):
        started = _step("refreshing data/ from the live APIs")
        names = refresh.refresh(args.datasets, progress=say)
        say(f"  {len(names)} dataset(s) refreshed; datapackage.json updated")
        _done(started)


def cmd_data_sources(args: argparse.Namespace) -> None:
    """List each live provider, its endpoint, the keys it can use and whether they are set."""
    from goldrush import live

    for line in live.sources():
        say(line)


def parser() -> Parser:
    top = Parser(prog="goldrush", description="Gold Rush: build the book, rerun chapters, manage the data snapshot.")
    sub = top.add_subparsers(dest="command", required=True, parser_class=Parser)

    p = sub.add_parser("book", help="execute every chapter (default parameters) and build the site")
    p.add_argument("--force", action="store_true", help="re-execute even unchanged chapters")
    p.add_argument("--source", default="snapshot", help="snapshot (default) or live: every chapter from the live APIs")
    p.set_defaults(func=cmd_book)

    p = sub.add_parser("run", help="rerun one chapter with new parameters and rebuild the site")
    p.add_argument("chapter", help="chapter slug (see `goldrush chapters`)")
    p.add_argument("--as-of", help="the day the chapter looks from (YYYY-MM-DD)")
    p.add_argument("--since", help="start of the comparison window (YYYY-MM-DD)")
    p.add_argument("--start", help="first day shown (YYYY-MM-DD)")
    p.add_argument("--end", help="last day shown (YYYY-MM-DD)")
    p.add_argument("--source", help="snapshot (default) or live")
    p.add_argument("--force", action="store_true", help="re-execute even if unchanged")
    p.add_argument("--no-build", action="store_true", help="execute only; do not rebuild the site")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("chapters", help="list chapters and their parameters")
    p.set_defaults(func=cmd_chapters)

    p = sub.add_parser("reference", help="(maintainers) store the headline outputs nbval compares")
    p.add_argument("chapters", nargs="*", help="chapter slugs (default: all)")
    p.set_defaults(func=cmd_reference)

    data = sub.add_parser("data", help="build, verify or refresh the snapshot in data/")
    data_sub = data.add_subparsers(dest="data_command", required=True, parser_class=Parser)
    p = data_sub.add_parser("build", help="rebuild data/ from the reference copies in data/reference/")
    p.set_defaults(func=cmd_data_build)
    p = data_sub.add_parser("verify", help="check every file's sha256, row count and schema")
    p.add_argument("datasets", nargs="*", help="only these datasets")
    p.set_defaults(func=cmd_data_verify)
    p = data_sub.add_parser("refresh", help="replace datasets with today's data from their live APIs (atomic)")
    p.add_argument("datasets", nargs="*", help="only these datasets (default: every dataset with a live source)")
    p.set_defaults(func=cmd_data_refresh)
    p = data_sub.add_parser("sources", help="list the live providers, their endpoints and keys (set or not)")
    p.set_defaults(func=cmd_data_sources)
    return top


class Terminated(KeyboardInterrupt):
    """SIGTERM (a closed terminal, a stopped job): cancel like Ctrl-C, so nothing half-done is published."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def _os_error(exc: OSError) -> str:
    """One line for a file-system failure the user can fix."""
    where = exc.filename or "a file"
    reasons = {
        errno.ENOSPC: f"no space left on the device while writing {where}; free some space and run again",
        errno.EDQUOT: f"disk quota exceeded while writing {where}; free some space and run again",
        errno.EROFS: f"{where} is on a read-only file system; make it writable and run again",
        errno.EACCES: f"permission denied for {where}; make it writable and run again",
        errno.EPERM: f"operation not permitted on {where}; make it writable and run again",
        errno.EBUSY: f"{where} is busy (a mount point or a file another program holds); free it and run again",
        errno.EPIPE: "the output was closed before the run finished (a pipe to a program that stopped reading)",
    }
    return reasons.get(exc.errno or 0, f"{exc.strerror or exc} ({where})") + "; nothing was published"


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _terminate) if threading.current_thread() is threading.main_thread() else None
    try:
        args.func(args)
    except GoldrushError as exc:
        return fail(str(exc))
    except Terminated:
        return fail("terminated; nothing was published", EXIT_TERMINATED)
    except KeyboardInterrupt:
        return fail("interrupted; nothing was published", EXIT_INTERRUPTED)
    except OSError as exc:
        return fail(_os_error(exc))
    except ModuleNotFoundError as exc:
        return fail(f"the Python package {exc.name!r} is missing from this environment; run `make book` to repair .venv")
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return 0


def entry() -> None:
    """The ``goldrush`` command: ``main()``, then exit at once, once the output is flushed. By then
    a run has published or rolled back and its kernels and site builder are stopped; tearing down
    the interpreter's heap (pandas, altair, papermill) would add about 0.35 s, and after a
    cancelled run the event loops its stopped kernel clients held would print noise on stderr."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def fail(message: str, code: int = EXIT_USER_ERROR) -> int:
    print(f"error: {one_line(message)}", file=sys.stderr, flush=True)
    return code


if __name__ == "__main__":
    entry()
