"""The one error type a user sees: a message, never a traceback."""


class GoldrushError(Exception):
    """A problem the user can fix (bad parameter, damaged data file, failed fetch).

    The CLI prints ``str(error)`` on one line and exits non-zero.
    """
