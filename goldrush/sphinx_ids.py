"""Unique HTML ids for sphinx-exercise's content sections (a Sphinx extension).

sphinx-exercise gives the body of every exercise the id ``exercise-content`` and of every
solution ``solution-content``, so a page with two exercises repeats both ids. After the doctree
is resolved, each such section takes its directive's label instead (``ex-foo-content``, made a valid id), or a
number on the page when it has no label.
"""

from __future__ import annotations

from itertools import count
from typing import Any

from docutils import nodes

HARD_CODED = ("exercise-content", "solution-content")


def _label(section: nodes.Element) -> str | None:
    parent = section.parent
    while parent is not None:
        ids = [i for i in parent.get("ids", []) if i not in HARD_CODED]
        if ids and parent.tagname != "document":
            return ids[0]
        parent = parent.parent
    return None


def unique_ids(app: Any, doctree: nodes.document, docname: str) -> None:
    numbers = {name: count(1) for name in HARD_CODED}
    taken = {i for node in doctree.findall(nodes.Element) for i in node.get("ids", [])}
    for section in doctree.findall(nodes.section):
        for name in HARD_CODED:
            if name not in section["ids"]:
                continue
            label = _label(section)
            new = nodes.make_id(f"{label}-content") if label else f"{name}-{next(numbers[name])}"
            while new in taken:
                new = f"{name}-{next(numbers[name])}"
            taken.add(new)
            section["ids"] = [new if i == name else i for i in section["ids"]]


def setup(app: Any) -> dict[str, Any]:
    app.connect("doctree-resolved", unique_ids)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
