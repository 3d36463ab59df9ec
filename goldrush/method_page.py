"""The tables of the "How we check" page, generated from ``goldrush.method``, the claims register
and the chapter declarations, so the page states the numbers the code applies."""

from __future__ import annotations

from collections import Counter

from goldrush import chapters, checks, method


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def vocabulary() -> str:
    return _table(["verdict", "meaning"], [[f"*{v.value}*", method.DEFINITIONS[v]] for v in method.Verdict])


def tolerances() -> str:
    counts = Counter(c.kind for c in checks.register().values())
    rows = [
        [
            kind,
            f"{method.TOLERANCE[kind]:.0%}" if kind in method.TOLERANCE else "no figures to compare",
            str(counts.get(kind, 0)),
            method.KINDS[kind],
        ]
        for kind in method.KINDS
    ]
    return _table(["kind of claim", "tolerance", "claims", "how it is checked"], rows) + (
        f"\n\n*Roughly right* reaches {method.ROUGH_FACTOR} times the tolerance."
    )


def qualifiers() -> str:
    by_rule: dict[str, list[str]] = {}
    for word, rule in method.QUALIFIERS.items():
        by_rule.setdefault(rule, []).append(f'"{word}"' if word else "no qualifier")
    return _table(
        ["the article writes", "rule"], [[", ".join(words), method.QUALIFIER_RULES[rule]] for rule, words in by_rule.items()]
    )


def ages() -> str:
    rows = [[name, method.plural(limit.days, "day"), limit.reason] for name, limit in method.MAX_AGE.items()]
    rows.append(
        [
            "nvda_shares_outstanding (the last count)",
            method.plural(method.LAST_COUNT_DAYS, "day"),
            f"one quarter ({method.QUARTER_DAYS} days) plus the filing lag ({method.FILING_LAG_DAYS} days)",
        ]
    )
    return _table(["carried-forward input", "stands for at most", "why"], rows)


def overrides() -> str:
    rows = [[c.id, f"{c.tolerance:.0%}", c.reason or ""] for c in checks.register().values() if c.tolerance is not None]
    return _table(["claim", "tolerance", "reason"], rows) if rows else "No claim overrides the tolerance of its kind."


def ranges() -> str:
    rows = []
    for chapter in chapters.CHAPTERS:
        for name, (lo, hi) in chapter.bounds().items():
            rows.append([chapter.title, f"`{name}`", f"{lo} to {hi}", chapter.ranges[name].why])
        if chapter.shortest_window():
            rows.append(
                [chapter.title, "shortest window", method.plural(chapter.shortest_window(), "day"), chapter.min_window_why]
            )
    return _table(["chapter", "parameter", "snapshot range", "from"], rows)


def counts() -> str:
    claims = checks.register().values()
    by_chapter = Counter(c.chapter for c in claims)
    rows = [[chapter.title, str(by_chapter.get(chapter.slug, 0))] for chapter in chapters.CHAPTERS if chapter.slug in by_chapter]
    return _table(["chapter", "claims checked there"], rows) + f"\n\n{method.plural(len(claims), 'claim')} in all."


SECTIONS = {
    "vocabulary": vocabulary,
    "tolerances": tolerances,
    "qualifiers": qualifiers,
    "ages": ages,
    "overrides": overrides,
    "ranges": ranges,
    "counts": counts,
}


def section(name: str) -> str:
    """The Markdown of one generated section of the page."""
    return SECTIONS[name]()
