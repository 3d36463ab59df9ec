"""A Sphinx extension: each page computed from a chapter that ran on other than its default
parameters says so; and the ``goldrush-method`` directive writes the generated tables of the
"How we check" page.

It reads the parameters each executed chapter recorded (``book.executed_parameters``) once, when the
builder starts. The pages a chapter's parameters reach are its own page, the fact-check and the
claim pages of its claims (``affected``); each of them gets a short notice at the top naming those
chapters, with a link to each, whose verdict table marks the verdicts that changed. Pages no
off-default chapter reaches are not touched, so a rerun rewrites only the pages it changed.
"""

from __future__ import annotations

import html
from typing import Any

from docutils.parsers.rst import Directive, directives
from docutils.statemachine import StringList

from goldrush import book, chapters, checks, factcheck

NOTICE_CLASS = "goldrush-rerun-notice"

OffDefaults = list[tuple[chapters.Chapter, dict[str, Any]]]


def off_defaults() -> OffDefaults:
    """Chapters whose executed copy ran with parameters other than the notebook's defaults, and what differs."""
    out = []
    for slug, used in book.executed_parameters().items():
        chapter = chapters.get(slug)
        defaults = chapter.defaults()
        changed = {k: v for k, v in used.items() if defaults.get(k) != v}
        if changed:
            out.append((chapter, changed))
    return out


def chapter_docname(chapter: chapters.Chapter) -> str:
    return f"book/chapters/{chapter.source.stem}"


def affected(found: OffDefaults) -> dict[str, OffDefaults]:
    """Each page computed from an off-default chapter, with the off-default chapters it depends on:
    the chapter's page, the fact-check's page (it gathers every chapter) and its claims' pages."""
    pages: dict[str, OffDefaults] = {}
    gatherers = [c for c in chapters.CHAPTERS if c.gathers]
    for chapter, changed in found:
        docnames = [chapter_docname(chapter), *(chapter_docname(g) for g in gatherers)]
        docnames += [factcheck.docname(claim_id) for claim_id in checks.chapter_claims(chapter.slug)]
        for docname in docnames:
            pages.setdefault(docname, []).append((chapter, changed))
    return pages


def notice_html(found: OffDefaults, pathto: Any) -> str:
    items = []
    for chapter, changed in found:
        link = html.escape(pathto(chapter_docname(chapter)))
        params = ", ".join(f"{k}={v}" for k, v in changed.items())
        items.append(f'<a href="{link}">{html.escape(chapter.title)}</a> ({html.escape(params)})')
    if len(items) == 1:
        which, tables = "a chapter not on its default parameters", "Its verdict table marks"
    else:
        which, tables = "chapters not on their default parameters", "Their verdict tables mark"
    return (
        f'<div class="{NOTICE_CLASS} admonition warning"><p>This page was computed from {which}: '
        f"{'; '.join(items)}. {tables} each verdict that differs from the default run.</p></div>"
    )


def _collect(app: Any) -> None:
    app.goldrush_notices = affected(off_defaults())


def _keyed(notices: dict[str, OffDefaults]) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    return {docname: [(chapter.slug, changed) for chapter, changed in found] for docname, found in notices.items()}


def _rewrite(app: Any, env: Any) -> list[str]:
    """The pages whose notice changed since the last build, written again (not read again: the
    notice goes in as a page is written)."""
    now, before = _keyed(app.goldrush_notices), getattr(env, "goldrush_notices", {})
    env.goldrush_notices = now
    return sorted(d for d in set(now) | set(before) if now.get(d) != before.get(d) and d in env.found_docs)


def _inject(app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    found = getattr(app, "goldrush_notices", {}).get(pagename)
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
