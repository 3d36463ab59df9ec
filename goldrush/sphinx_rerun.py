"""A Sphinx extension: every page names the chapters that ran on other than their default parameters;
and the ``goldrush-method`` directive writes the generated tables of the "How we check" page.

It reads the parameters each executed chapter recorded (``book.executed_parameters``) once, when the
builder starts, and puts a short notice at the top of every page, with a link to each such chapter,
whose verdict table marks the verdicts that changed.
"""

from __future__ import annotations

import html
from typing import Any

from docutils.parsers.rst import Directive, directives
from docutils.statemachine import StringList

from goldrush import book, chapters

NOTICE_CLASS = "goldrush-rerun-notice"


def off_defaults() -> list[tuple[chapters.Chapter, dict[str, Any]]]:
    """Chapters whose executed copy ran with parameters other than the notebook's defaults, and what differs."""
    out = []
    for slug, used in book.executed_parameters().items():
        chapter = chapters.get(slug)
        defaults = chapter.defaults()
        changed = {k: v for k, v in used.items() if defaults.get(k) != v}
        if changed:
            out.append((chapter, changed))
    return out


def notice_html(found: list[tuple[chapters.Chapter, dict[str, Any]]], pathto: Any) -> str:
    items = []
    for chapter, changed in found:
        docname = f"book/chapters/{chapter.source.stem}"
        params = ", ".join(f"{k}={v}" for k, v in changed.items())
        items.append(f'<a href="{html.escape(pathto(docname))}">{html.escape(chapter.title)}</a> ({html.escape(params)})')
    return (
        f'<div class="{NOTICE_CLASS} admonition warning"><p>Not on their default parameters: {"; ".join(items)}. '
        "Their verdict tables mark each verdict that differs from the default run.</p></div>"
    )


def _collect(app: Any) -> None:
    app.goldrush_off_defaults = off_defaults()


def _rewrite(app: Any, env: Any) -> list[str]:
    """Every page written again (not read again: the notice goes in as a page is written) when the
    set of chapters off their defaults changed since the last build."""
    current = [(chapter.slug, params) for chapter, params in app.goldrush_off_defaults]
    if getattr(env, "goldrush_off_defaults", None) == current:
        return []
    env.goldrush_off_defaults = current
    return sorted(env.found_docs)


def _inject(app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    found = getattr(app, "goldrush_off_defaults", [])
    if found and "body" in context:
        context["body"] = notice_html(found, context["pathto"]) + context["body"]


class MethodTable(Directive):
    """``goldrush-method`` with one argument (a section of ``goldrush.method_page``): its table, parsed as Markdown."""

    required_arguments = 1
    option_spec: dict[str, Any] = {}

    def run(self) -> list[Any]:
        from docutils import nodes

        from goldrush import method_page

        container = nodes.container()
        self.state.nested_parse(StringList(method_page.section(self.arguments[0]).splitlines()), self.content_offset, container)
        return container.children


def setup(app: Any) -> dict[str, Any]:
    directives.register_directive("goldrush-method", MethodTable)
    app.connect("builder-inited", _collect)
    app.connect("env-get-updated", _rewrite)
    app.connect("html-page-context", _inject)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
