"""The site's identity: the one base-URL setting and the version every page and file cites.

``html.baseurl`` in ``_config.yml`` is the single place the published address is set; canonical
links, Open Graph images, the sitemap, ClaimReview ``url`` fields, the citation and the Pages
workflow all read it through :func:`base_url`. ``GOLDRUSH_BASE_URL`` overrides it (the Pages
workflow sets it to the repository's Pages address).
"""

from __future__ import annotations

import os

from goldrush import __version__, paths, yamlfiles


def base_url() -> str:
    """The site's absolute base URL, always ending in ``/``."""
    url = os.environ.get("GOLDRUSH_BASE_URL") or _config().get("html", {}).get("baseurl") or ""
    return url if url.endswith("/") else url + "/"


def page_url(docname: str) -> str:
    """The canonical URL of a page, from its Sphinx docname (``book/claims/C01``)."""
    return f"{base_url()}{docname}.html"


def version() -> str:
    """The book's version (the package's)."""
    return __version__


def _config() -> dict:
    return yamlfiles.read(paths.ROOT / "_config.yml") or {}
