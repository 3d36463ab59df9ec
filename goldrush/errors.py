"""The one error type a user sees: a message, never a traceback, on one plain line."""

from __future__ import annotations

import re


class GoldrushError(Exception):
    """A problem the user can fix (bad parameter, damaged data file, failed fetch).

    The CLI prints ``str(error)`` on one line and exits non-zero.
    """


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
QUOTED = re.compile(r"'([^']{61,})'")  # a quoted value longer than ``shorten`` keeps
LONGEST = 1000  # characters in one error line


def shorten(value: str, keep: int = 60) -> str:
    """A long bad value, cut to ``keep`` characters with its length noted."""
    return value if len(value) <= keep else f"{value[:keep]}… ({len(value)} characters)"


def one_line(message: str) -> str:
    """An error message as one plain line: no ANSI codes, no line breaks, long quoted values shortened."""
    text = ANSI.sub("", message)
    text = "".join(ch if ch.isprintable() else " " for ch in " ".join(text.split()))
    text = QUOTED.sub(lambda m: f"'{shorten(m.group(1))}'", text)
    return text if len(text) <= LONGEST else text[: LONGEST - 1] + "…"
