"""The ``goldrush`` command: build the book, rerun a chapter, build and verify the data.

A user's mistake (unknown chapter, bad date, damaged data file, failed fetch) is reported on one
line starting with ``error:`` and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from typing import NoReturn

from goldrush.errors import GoldrushError

EXIT_USER_ERROR = 2


class Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USER_ERROR, f"error: {message} (see `{self.prog} --help`)\n")


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


def _execute(chapter, given: dict, force: bool = False, note: str = "") -> None:
    """Validate and execute one chapter; the fact-check also gets every other chapter's parameters."""
    from goldrush import book, params

    if chapter.gathers:
        given = {**given, "chapter_params": book.executed_parameters()}
    values = params.validate(chapter, given)
    started = _step(f"chapter {chapter.number}: {chapter.title}{note}")
    book.execute(chapter, values, say, force=force)
    _done(started)


def _build_site() -> None:
    from goldrush import book

    started = _step("building the site")
    say(f"  site ready: {book.build_site(say)}/index.html")
    _done(started)


def cmd_book(args: argparse.Namespace) -> None:
    """Execute every chapter with its default parameters and build the site."""
    from goldrush import chapters

    _check_snapshot()
    for chapter in chapters.CHAPTERS:
        _execute(chapter, {}, force=args.force)
    _build_site()


def _preflight(chapter) -> None:
    """With ``--source live``, fail in seconds, before papermill starts, if the providers cannot be reached."""
    from goldrush import live

    started = _step("checking that the live providers can be reached")
    live.preflight(chapter.datasets)
    _done(started)


def cmd_run(args: argparse.Namespace) -> None:
    """Re-execute one chapter with new parameters, then the fact-check, then rebuild the site."""
    from goldrush import chapters, params

    chapter = chapters.get(args.chapter)
    given = {k: getattr(args, k) for k in ("as_of", "since", "start", "end", "source") if getattr(args, k) is not None}
    values = params.validate(chapter, given)  # fail on a bad parameter before touching anything
    if values.get("source") == "live":
        _preflight(chapter)
    _check_snapshot()
    _execute(chapter, given, force=args.force)
    for other in chapters.CHAPTERS:
        if other is chapter:
            continue
        if other.gathers:
            _execute(other, {}, note=" (verdicts with the new parameters)")
        elif not other.executed.exists():
            _execute(other, {}, note=" (not built yet: default parameters)")
    if not args.no_build:
        _build_site()


def cmd_chapters(args: argparse.Namespace) -> None:
    """List chapters and their parameters."""
    from goldrush import chapters

    for chapter in chapters.CHAPTERS:
        defaults = ", ".join(f"{k}={v}" for k, v in chapter.defaults().items())
        say(f"{chapter.slug:<20} {chapter.title} ({defaults})")
        snapshot = chapter.bounds("snapshot")
        for name, (lo, hi) in snapshot.items():
            say(f"{'':<20}   --{name.replace('_', '-')}: {lo} to {hi} (snapshot), {lo} to today (live); "
                f"{chapter.ranges[name].why}")
        if chapter.shortest_window():
            earlier, later = chapter.window or ("", "")
            say(f"{'':<20}   shortest window --{earlier.replace('_', '-')} to --{later.replace('_', '-')}: "
                f"{chapter.shortest_window()} days ({chapter.min_window_why})")


def cmd_reference(args: argparse.Namespace) -> None:
    """Store the headline outputs nbval compares, for the given chapters (default: all)."""
    from goldrush import book, chapters

    for chapter in [chapters.get(slug) for slug in args.chapters] or chapters.CHAPTERS:
        started = _step(f"chapter {chapter.number}: storing reference outputs")
        book.store_reference(chapter, say)
        _done(started)


def cmd_data_build(args: argparse.Namespace) -> None:
    from goldrush import paths, snapshot

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
    from goldrush import refresh

    started = _step("refreshing data/ from the live APIs")
    names = refresh.refresh(args.datasets, progress=say)
    say(f"  {len(names)} dataset(s) refreshed; datapackage.json updated")
    _done(started)


def parser() -> Parser:
    top = Parser(prog="goldrush", description="Gold Rush: build the book, rerun chapters, manage the data snapshot.")
    sub = top.add_subparsers(dest="command", required=True, parser_class=Parser)

    p = sub.add_parser("book", help="execute every chapter (default parameters) and build the site")
    p.add_argument("--force", action="store_true", help="re-execute even unchanged chapters")
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
    p = data_sub.add_parser("build", help="rebuild data/ from ../shared/data")
    p.set_defaults(func=cmd_data_build)
    p = data_sub.add_parser("verify", help="check every file's sha256, row count and schema")
    p.add_argument("datasets", nargs="*", help="only these datasets")
    p.set_defaults(func=cmd_data_verify)
    p = data_sub.add_parser("refresh", help="replace datasets with today's data from their live APIs (atomic)")
    p.add_argument("datasets", nargs="*", help="only these datasets (default: every dataset with a live source)")
    p.set_defaults(func=cmd_data_refresh)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        args.func(args)
    except GoldrushError as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("error: interrupted; nothing was replaced", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
