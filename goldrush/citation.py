"""How to cite the book: ``CITATION.cff``, with the version from the package and the site's address.

As a Sphinx extension it gives the pages two MyST substitutions, ``{{ version }}`` and
``{{ citation }}``, so the landing page's "How to cite" block never types the version.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from goldrush import site, yamlfiles

CITATION_FILE = Path(__file__).resolve().parent.parent / "CITATION.cff"  # beside the package's pyproject.toml


def cff() -> dict[str, Any]:
    return yamlfiles.read(CITATION_FILE)


def citation() -> str:
    """One line to paste into a reference list (Markdown)."""
    meta = cff()
    authors = "; ".join(a.get("name") or f"{a['family-names']}, {a['given-names']}" for a in meta["authors"])
    return f"{authors}. *{meta['title']}*. Version {site.version()}. <{site.base_url()}>"


def _substitutions(app: Any, config: Any) -> None:
    config.myst_substitutions = {**config.myst_substitutions, "version": site.version(), "citation": citation()}


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", _substitutions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
