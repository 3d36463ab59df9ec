"""Gold Rush: the package behind the data book (data, checks, charts, book pipeline)."""

__version__ = "0.2.0"
