"""A small Sphinx extension for the book.

Jupyter Book 1 always loads sphinx-thebe, which this book does not use (it has no live kernels):
its inline configuration is injected twice (a JavaScript error on every page) and names a CDN.
This drops those scripts so that pages load only what the site itself serves.
"""

from __future__ import annotations

from typing import Any


def _is_thebe(script: Any) -> bool:
    body = getattr(script, "attributes", {}).get("body", "") or ""
    return "thebe" in str(getattr(script, "filename", script) or "") or "THEBE_JS_URL" in body


def drop_thebe(app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if "script_files" in context:
        context["script_files"] = [s for s in context["script_files"] if not _is_thebe(s)]


def setup(app: Any) -> dict[str, Any]:
    app.connect("html-page-context", drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
