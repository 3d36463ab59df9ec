"""A page per claim, and the corrections log, generated when the book is built (a Sphinx extension).

At ``builder-inited`` it reads the ``claims.json`` the fact-check chapter published (with the
verdict-over-time CSVs beside it) and writes ``book/claims/<id>.md`` for every claim and
``book/claims/corrections.md``, each holding exactly one schema.org ``ClaimReview`` in JSON-LD.
Files are rewritten only when their text changes, and nothing on them reads the build clock
(dates come from releases), so an unchanged rebuild changes no page. ``book/claims/`` is
generated output, not committed.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

from goldrush import corrections, factcheck, paths, release, site, verdict_periods
from goldrush.errors import GoldrushError

FACT_CHECK = "/book/chapters/05_fact_check"
CHART_DATA = "data"  # folder of the chapters' published data, beside the executed chapters


def out_dir() -> Path:
    return paths.BOOK / "claims"


def published() -> Path:
    return paths.CHAPTERS_OUT / CHART_DATA


def _write(path: Path, text: str) -> bool:
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def _value(value: Any, unit: str | None) -> str:
    return "no figure" if value is None else f"{value} {unit or ''}".strip()


def _escape(text: str) -> str:
    """Plain text safe inside MyST (no markup, roles or substitutions)."""
    for char in "\\*_`[]{}<>|#":
        text = text.replace(char, "\\" + char)
    return text


def _raw_html(content: str) -> list[str]:
    return ["```{raw} html", content, "```", ""]


def _over_time(record: dict[str, Any]) -> list[str]:
    name = verdict_periods.series_name(record["id"])
    series = published() / f"{name}.csv"
    if not series.exists():
        return []
    with series.open(encoding="utf-8", newline="") as handle:
        rows = [(row["date"], row["verdict"]) for row in csv.DictReader(handle)]
    published_html = (published() / f"{name}.html").read_text(encoding="utf-8")
    # the chart was published beside the chapters' charts: its links, pictures and spec point there
    figure_html = re.sub(r'(href|src|srcset|data-spec|data-preview)="data/', rf'\1="../chapters/{CHART_DATA}/', published_html)
    lines = [
        "## Verdict over time",
        "",
        "This claim is about the market, so its verdict depends on the day it is checked on. The same",
        f"check ran on every Friday from {rows[0][0]} to {rows[-1][0]} with the chapter's",
        "other parameters unchanged:",
        "",
        *_raw_html(figure_html),
        "| verdict | from | to | dates checked |",
        "|---|---|---|---|",
    ]
    lines += [f"| {p.verdict} | {p.first} | {p.last} | {p.dates} |" for p in verdict_periods.runs(rows)]
    return lines + [""]


def _parts(record: dict[str, Any]) -> list[str]:
    parts = record.get("parts") or []
    if not parts:
        return []
    lines = ["## Each part of the claim", "", "| part | verdict | why |", "|---|---|---|"]
    for part in parts:
        label = part.get("label") or part.get("claim") or part.get("id") or ""
        lines.append(f"| {_escape(str(label))} | {part.get('verdict', '')} | {_escape(str(part.get('why', '')))} |")
    return lines + ["", "The claim's verdict follows its worst part.", ""]


def _evidence(record: dict[str, Any]) -> list[str]:
    if not record["evidence"]:
        return ["## Evidence", "", "No dataset in this book can decide this claim.", ""]
    lines = ["## Evidence", ""]
    for e in record["evidence"]:
        sources = ", ".join(f"[{_escape(p)}]({u})" for p, u in zip(e["providers"], e["urls"], strict=False)) or _escape(
            ", ".join(e["providers"])
        )
        lines.append(
            f"- **{_escape(e['title'])}** (`{e['dataset']}`): the CSV `{e['file']}` in the book's repository; "
            f"source: {sources}; {{ref}}`provenance, licence and known doubts <{e['methods_page_anchor']}>`."
        )
    return lines + [""]


def _method_link() -> str:
    if (paths.ROOT / f"{factcheck.METHOD_PAGE}.md").exists():
        return f"{{doc}}`How we check </{factcheck.METHOD_PAGE}>`"
    return f"{{doc}}`How the claims were judged <{FACT_CHECK}>`"


def claim_page(record: dict[str, Any], by: dict[str, Any] | None = None, history: list[dict[str, Any]] | None = None) -> str:
    """The MyST source of one claim's page (``by``: the reviews' author; ``history``: the releases)."""
    by = by or factcheck.author()
    history = release.releases() if history is None else history
    review = json.dumps(factcheck.claim_review(record, by, history), ensure_ascii=False).replace("</", "<\\/")
    dates = release.claim_dates(record["id"], history)
    cite_date = f"first published {dates[0]}, last changed {dates[1]}" if dates else "not yet released"
    params = ", ".join(f"`{k} = {v}`" for k, v in record["parameters"].items()) or "none"
    lines = [
        f"# {record['id']}: {_escape(record['short'])}",
        "",
        *_raw_html(f'<script type="application/ld+json">{review}</script>'),
        f"**The claim, in our words.** {_escape(record['claim'])}",
        "",
        "The article says",
        f": {_escape(_value(record['article_value'], record['article_unit']))}",
        "",
        "The data say",
        f": {_escape(_value(record['data_value'], record['data_unit']))}",
        "",
        "Verdict",
        f": {factcheck.badge(record['verdict'])} ({record['kind']} claim)",
        "",
        f"**Why.** {_escape(record['explanation'])}",
        "",
        *_parts(record),
        *_over_time(record),
        *_evidence(record),
        "## Parameters",
        "",
        f"Checked with {params}, the parameters of the chapter that tells this claim's story. Rerun that",
        "chapter with other dates and this page shows the verdict for them.",
        "",
        "## How to cite",
        "",
        (
            f'{_escape(by["name"])} (version {site.version()}), "{record["id"]}: {_escape(record["short"])}", '
            f"{cite_date}. <{record['url']}>"
        ),
        "",
        (
            f"How verdicts are decided: {_method_link()}. All claims: {{doc}}`the fact-check <{FACT_CHECK}>`; "
            "every change since the first release: {doc}`corrections log <corrections>`."
        ),
        "",
    ]
    return "\n".join(lines)


def generate(app: Any = None) -> int:
    """Write every claim page and the corrections log; returns how many files changed."""
    source = published() / "claims.json"
    if not source.exists():
        raise GoldrushError(
            f"claims.json is missing: run `goldrush book` (the fact-check chapter writes it into {source.parent})"
        )
    doc = factcheck.stamp(json.loads(source.read_text(encoding="utf-8")))
    _write(source, factcheck.dumps(doc))
    out_dir().mkdir(parents=True, exist_ok=True)
    by, history = factcheck.author(), release.releases()
    changed = sum(_write(out_dir() / f"{r['id']}.md", claim_page(r, by, history)) for r in doc["claims"])
    changed += _write(out_dir() / "corrections.md", corrections.page(history))
    wanted = {f"{r['id']}.md" for r in doc["claims"]} | {"corrections.md"}
    for stale in out_dir().glob("*.md"):
        if stale.name not in wanted:
            stale.unlink()
    return changed


def setup(app: Any) -> dict[str, Any]:
    app.connect("builder-inited", generate)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
