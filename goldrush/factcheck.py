"""The fact-check: every claim's finding gathered from the chapter that tells its story, published
as ``claims.json`` (one record per claim, with its page's permalink) and as one schema.org
``ClaimReview`` per claim page.

Findings are read from the ``findings-<chapter>.json`` files the story chapters write beside their
chart data; a claim no file covers is evaluated here with its chapter's parameters, by the same
check code.
"""

from __future__ import annotations

import hashlib
import html
import json
import subprocess
from pathlib import Path
from typing import Any

from goldrush import checks, data, paths, site, sources, yamlfiles
from goldrush.checks import Finding, Verdict
from goldrush.methods import anchor

# ClaimReview's numeric scale (documented on the fact-check page): 1 (false) to 5 (true). Verdicts
# the data cannot grade carry only their name.
RATINGS = {
    Verdict.ACCURATE: 5,
    Verdict.ROUGHLY_RIGHT: 4,
    Verdict.MISATTRIBUTED: 2,
    Verdict.WRONG: 1,
}
CLAIMS_FOLDER = "book/claims"  # docname folder of the generated claim pages
METHOD_PAGE = "book/how-we-check"  # docname of the method page
FINDINGS_GLOB = "findings-*.json"


def _seed(name: str) -> dict[str, Any]:
    return yamlfiles.read(paths.SEEDS / name)


def article() -> dict[str, Any]:
    """The article's citation from ``seeds/article.yml``."""
    return _seed("article.yml")["citation"]


def sections() -> dict[str, str]:
    """Section id to title, from ``seeds/article.yml``."""
    return {s["id"]: s["title"] for s in _seed("article.yml")["sections"]}


def short_forms() -> dict[str, str]:
    """Each claim in at most 75 characters (``short`` in ``seeds/claims.yml``), for ``claimReviewed``."""
    return _seed("claims.yml")["short"]


def docname(claim_id: str) -> str:
    """The Sphinx docname of a claim's page."""
    return f"{CLAIMS_FOLDER}/{claim_id}"


def evaluate_book(
    chapter_params: dict[str, dict[str, Any]], source: str = "snapshot", ids: list[str] | None = None
) -> list[Finding]:
    """Findings for ``ids`` (default: every claim), each checked with the parameters of the chapter
    that tests it (its defaults with ``source`` where ``chapter_params`` has no entry for it)."""
    contexts: dict[str, checks.Context] = {}
    found = []
    for claim in checks.register().values():
        if ids is not None and claim.id not in ids:
            continue
        if claim.chapter not in contexts:
            given = chapter_params.get(claim.chapter, {"source": source})
            contexts[claim.chapter] = checks.context(claim.chapter, **given)
        found += checks.evaluate([claim.id], contexts[claim.chapter])
    return found


def chapter_parameters(slug: str, chapter_params: dict[str, dict[str, Any]], source: str = "snapshot") -> dict[str, Any]:
    """The parameters chapter ``slug`` runs with in this fact-check, validated (ISO strings)."""
    from goldrush import chapters, params

    return params.validate(chapters.get(slug), chapter_params.get(slug, {"source": source}))


def on_defaults(chapter_params: dict[str, dict[str, Any]], source: str = "snapshot") -> bool:
    """True when every chapter runs on its default parameters from the snapshot."""
    from goldrush import chapters

    return all(
        chapter_parameters(c.slug, chapter_params, source) == c.defaults() for c in chapters.CHAPTERS if not c.gathers
    ) and (source == "snapshot")


def _ran_with(record: dict[str, Any], expected: dict[str, Any]) -> bool:
    return all(str(expected.get(k)) == str(v) for k, v in record["parameters"].items())


def gather(folder: Path | None, chapter_params: dict[str, dict[str, Any]], source: str = "snapshot") -> list[dict[str, Any]]:
    """Every claim's finding, in register order: from the chapters' ``findings-*.json`` in ``folder``
    where they were computed with the parameters this fact-check uses, the rest evaluated here."""
    register = checks.register()
    expected: dict[str, dict[str, Any]] = {}
    found: dict[str, dict[str, Any]] = {}
    for file in sorted(folder.glob(FINDINGS_GLOB)) if folder and folder.exists() else []:
        for record in json.loads(file.read_text(encoding="utf-8"))["findings"]:
            slug = register[record["claim_id"]].chapter
            if slug not in expected:
                expected[slug] = chapter_parameters(slug, chapter_params, source)
            if _ran_with(record, expected[slug]):
                found[record["claim_id"]] = record
    missing = [i for i in register if i not in found]
    if missing:
        found |= {f.claim_id: f.as_record() for f in evaluate_book(chapter_params, source, missing)}
    return [found[i] for i in register]


def chosen_days(frames: dict[str, Any], chapter_params: dict[str, dict[str, Any]], source: str = "snapshot") -> dict[str, str]:
    """The ``as_of`` each date-bound claim in ``frames`` is checked on in this fact-check."""
    register = checks.register()
    return {i: str(chapter_parameters(register[i].chapter, chapter_params, source)["as_of"]) for i in frames}


def history(chapter_params: dict[str, dict[str, Any]], source: str = "snapshot") -> dict[str, Any]:
    """Every date-bound claim's verdict at every week's end (see ``goldrush.timeline``); dates
    checked by an earlier run with the same inputs are reused (``goldrush.timeline_cache``)."""
    from goldrush import timeline, timeline_cache

    by_chapter: dict[str, list[str]] = {}
    for claim in checks.register().values():
        if timeline.date_bound(claim):
            by_chapter.setdefault(claim.chapter, []).append(claim.id)
    frames: dict[str, Any] = {}
    for slug, ids in by_chapter.items():
        parameters = chapter_parameters(slug, chapter_params, source)
        key = timeline_cache.key(slug, parameters)
        found = timeline.over_time(ids, slug, parameters, timeline_cache.read(slug, key))
        timeline_cache.write(slug, key, found)
        frames |= found
    return frames


def default_records() -> list[dict[str, Any]]:
    """Every claim's record (``records``) checked with every chapter's default parameters: what releases compare."""
    return records([f.as_record() for f in evaluate_book({})])


def evidence(dataset: str, store: sources.Store) -> dict[str, Any]:
    record = store.provenance(dataset)
    return {
        "dataset": dataset,
        "title": record["title"],
        "file": f"data/{data.entry(dataset)['path']}",
        "providers": record["providers"],
        "urls": record["urls"],
        "methods_page_anchor": anchor(dataset),
    }


MAPPED = {"claim_id", "data_value", "unit", "verdict", "why", "evidence", "parameters"}


def records(findings: list[dict[str, Any]], store: sources.Store | None = None) -> list[dict[str, Any]]:
    """One JSON-ready record per claim: our wording, both values, verdict, why, evidence,
    parameters, the page's permalink, and whatever else the finding carries (such as parts). The
    evidence of a finding read from ``store``'s source is described through ``store`` (a live one
    then fetches each dataset once for the records and the provenance box)."""
    register = checks.register()
    short = short_forms()
    stores = {source: sources.Store(source) for source in sources.SOURCES}
    if store is not None:
        stores[store.source] = store
    out = []
    for f in findings:
        claim = register[f["claim_id"]]
        store = stores[f["parameters"].get("source", "snapshot")]
        out.append(
            {
                "id": claim.id,
                "url": site.page_url(docname(claim.id)),
                "section": claim.section,
                "chapter": claim.chapter,
                "claim": claim.claim,
                "short": short[claim.id],
                "kind": claim.kind,
                "article_value": claim.article_value,
                "article_unit": claim.unit,
                "data_value": f["data_value"],
                "data_unit": f["unit"],
                "verdict": f["verdict"],
                "checked_with_data": claim.check is not None,
                "explanation": f["why"],
                "evidence": [evidence(name, store) for name in f["evidence"]],
                "parameters": f["parameters"],
                **{k: v for k, v in f.items() if k not in MAPPED},
            }
        )
    return out


def method_sha256() -> str:
    """Digest of what decides a verdict: the check code and the claims register."""
    digest = hashlib.sha256()
    for file in sorted((Path(checks.__file__).parent).glob("*.py")) + [paths.SEEDS / "claims.yml"]:
        digest.update(file.read_bytes())
    return digest.hexdigest()


def commit() -> str | None:
    """The repository's commit (None outside a git checkout)."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=paths.ROOT, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def document(claims: list[dict[str, Any]]) -> dict[str, Any]:
    """The claims.json document (plain JSON values) of ``claims`` (``records``): the article, the
    vocabulary, what produced it, and every claim."""
    return json.loads(dumps(stamp({"article": article(), "verdicts": [v.value for v in Verdict], "claims": claims})))


def stamp(doc: dict[str, Any]) -> dict[str, Any]:
    """Set what depends on the site and the repository rather than on the findings: each claim's
    permalink, the book's version, URL and commit, the method, and the latest release."""
    from goldrush import release

    latest = release.latest()
    for record in doc["claims"]:
        record["url"] = site.page_url(docname(record["id"]))
    return {
        "article": doc["article"],
        "verdicts": doc["verdicts"],
        "book": {"version": site.version(), "url": site.base_url(), "commit": commit()},
        "method": {"sha256": method_sha256(), "page": site.page_url(METHOD_PAGE)},
        "release": {k: latest[k] for k in ("version", "date", "commit")} if latest else None,
        "claims": doc["claims"],
    }


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n"


def claims_json(claims: list[dict[str, Any]]) -> str:
    return dumps(document(claims))


def rating(verdict: str) -> dict[str, Any]:
    """schema.org Rating for a verdict: its name, and a value on the 1-5 scale where it has one."""
    out: dict[str, Any] = {"@type": "Rating", "name": verdict, "alternateName": verdict}
    value = RATINGS.get(Verdict(verdict))
    if value is not None:
        out |= {"ratingValue": value, "bestRating": 5, "worstRating": 1}
    return out


def author() -> dict[str, Any]:
    """The reviews' author: the book, with its URL."""
    return {"@type": "Organization", "name": book_title(), "url": site.base_url()}


def claim_review(
    record: dict[str, Any], by: dict[str, Any] | None = None, history: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """One schema.org ClaimReview (JSON-LD) for a claim's page. Dates come from the releases that
    published the claim; what the register does not know (the article's URL and exact date) is left out."""
    from goldrush import release

    cite = article()
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": record["url"],
        "identifier": record["id"],
        "name": f"{record['id']}: {record['short']}",
        "claimReviewed": record["short"],
        "reviewBody": record["explanation"],
        "reviewRating": rating(record["verdict"]),
        "author": by or author(),
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": cite["author"]},
            "appearance": {
                "@type": "CreativeWork",
                "headline": cite["title_ja"],
                "alternateName": cite["title_en"],
                "inLanguage": cite["language"],
                "publisher": {"@type": "Organization", "description": cite["outlet"]},  # the register has no name for it
            },
        },
    }
    dates = release.claim_dates(record["id"], history)
    if dates:
        review["datePublished"], review["dateModified"] = dates
    return review


def book_title() -> str:
    return yamlfiles.read(paths.ROOT / "_config.yml")["title"]


def badge(verdict: str) -> str:
    return f'<span class="verdict verdict-{verdict.replace(" ", "-")}">{html.escape(verdict)}</span>'


def _value(value: Any, unit: str | None) -> str:
    return "" if value is None else html.escape(f"{value} {unit or ''}".strip())


class Index:
    """The fact-check's index: one row per claim linking to its page (HTML), and stable plain text for nbval."""

    def __init__(self, records: list[dict[str, Any]], link_prefix: str = "../claims/"):
        self.records = records
        self.link_prefix = link_prefix

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{c}</th>" for c in ("claim", "article says", "data say", "verdict", "why"))
        rows = []
        for r in self.records:
            link = f'<a href="{self.link_prefix}{r["id"]}.html"><b>{r["id"]}</b></a>'
            cells = [
                f"{link} {html.escape(r['claim'])}",
                _value(r["article_value"], None),
                _value(r["data_value"], r["data_unit"]),
                badge(r["verdict"]),
                html.escape(r["explanation"]),
            ]
            rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        return f'<table class="goldrush-verdicts"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'

    def __repr__(self) -> str:
        return "\n".join(
            f"{r['id']} {r['verdict']}: "
            + ("" if r["data_value"] is None else f"{r['data_value']} {r['data_unit']}. ")
            + r["explanation"]
            for r in self.records
        )


def summary(records: list[dict[str, Any]]) -> Any:
    """How many claims got each verdict, in the vocabulary's order."""
    import pandas as pd

    vocabulary = [v.value for v in Verdict]
    counts = pd.Series([r["verdict"] for r in records]).value_counts()
    return pd.DataFrame({"verdict": vocabulary, "claims": [int(counts.get(v, 0)) for v in vocabulary]}).set_index("verdict")


class Published:
    """Writes claims.json beside the chart data and links it on the page."""

    def __init__(self, claims: list[dict[str, Any]]):
        from goldrush import charts  # Altair: only where a chart is made, not for the site builder's claim pages

        self.claims = claims
        charts.publish_text("claims.json", claims_json(claims))

    def _repr_html_(self) -> str:
        return (
            '<p class="goldrush-claims-json">All verdicts as machine-readable data: '
            '<a href="data/claims.json">claims.json</a> (also at the site root). Each claim\'s page '
            "carries its schema.org ClaimReview markup.</p>"
        )

    def __repr__(self) -> str:
        counts: dict[str, int] = {}
        for r in self.claims:
            counts[r["verdict"]] = counts.get(r["verdict"], 0) + 1
        return f"{len(self.claims)} claims published: " + ", ".join(f"{v} {n}" for v, n in counts.items())


def publish(claims: list[dict[str, Any]]) -> Published:
    """Write claims.json (``records``) beside the chart data."""
    return Published(claims)
