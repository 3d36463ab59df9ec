"""The fact-check: every claim evaluated with its chapter's parameters, published as
``claims.json`` and as schema.org ``ClaimReview`` JSON-LD."""

from __future__ import annotations

import json
from typing import Any

import yaml

from goldrush import charts, checks, data, paths, sources
from goldrush.checks import Finding, Verdict
from goldrush.methods import anchor

# ClaimReview ratings: 1 (false) to 5 (true); verdicts data cannot grade carry only their name.
RATINGS = {
    Verdict.ACCURATE: 5,
    Verdict.ROUGHLY_RIGHT: 4,
    Verdict.MISATTRIBUTED: 2,
    Verdict.WRONG: 1,
}
PUBLISHER = {"@type": "Organization", "name": "Gold Rush data book"}


def article() -> dict[str, Any]:
    """The article's citation from ``seeds/article.yml``."""
    return yaml.safe_load((paths.SEEDS / "article.yml").read_text(encoding="utf-8"))["citation"]


def sections() -> dict[str, str]:
    """Section id to title, from ``seeds/article.yml``."""
    raw = yaml.safe_load((paths.SEEDS / "article.yml").read_text(encoding="utf-8"))
    return {s["id"]: s["title"] for s in raw["sections"]}


def evaluate_book(chapter_params: dict[str, dict[str, Any]], source: str = "snapshot") -> list[Finding]:
    """Every claim in the register, each checked with the parameters of the chapter that tests it
    (its defaults with ``source`` where ``chapter_params`` has no entry for it)."""
    contexts: dict[str, checks.Context] = {}
    findings = []
    for claim in checks.register().values():
        if claim.chapter not in contexts:
            given = chapter_params.get(claim.chapter, {"source": source})
            contexts[claim.chapter] = checks.context(claim.chapter, **given)
        findings += checks.evaluate([claim.id], contexts[claim.chapter])
    return findings


def evidence(dataset: str) -> dict[str, Any]:
    record = sources.provenance(dataset)
    return {
        "dataset": dataset,
        "title": record["title"],
        "file": f"data/{data.entry(dataset)['path']}",
        "providers": record["providers"],
        "urls": record["urls"],
        "methods_page_anchor": anchor(dataset),
    }


def records(findings: list[Finding]) -> list[dict[str, Any]]:
    """One JSON-ready record per claim: our wording, both values, verdict, why, evidence, parameters."""
    register = checks.register()
    out = []
    for f in findings:
        claim = register[f.claim_id]
        out.append(
            {
                "id": f.claim_id,
                "section": claim.section,
                "chapter": claim.chapter,
                "claim": claim.claim,
                "kind": claim.kind,
                "article_value": claim.article_value,
                "article_unit": claim.unit,
                "data_value": f.data_value,
                "data_unit": f.unit,
                "verdict": f.verdict.value,
                "checked_with_data": claim.check is not None,
                "explanation": f.why,
                "evidence": [evidence(name) for name in f.evidence],
                "parameters": f.parameters,
            }
        )
    return out


def claims_json(findings: list[Finding]) -> str:
    document = {"article": article(), "verdicts": [v.value for v in Verdict], "claims": records(findings)}
    return json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"


def claim_reviews(findings: list[Finding]) -> dict[str, Any]:
    """schema.org ClaimReview for every claim, as one JSON-LD graph."""
    cite = article()
    appearance = {"@type": "CreativeWork", "headline": cite["title_ja"], "inLanguage": cite["language"]}
    reviews = []
    for record in records(findings):
        rating: dict[str, Any] = {"@type": "Rating", "alternateName": record["verdict"]}
        value = RATINGS.get(Verdict(record["verdict"]))
        if value is not None:
            rating |= {"ratingValue": value, "bestRating": 5, "worstRating": 1}
        reviews.append(
            {
                "@type": "ClaimReview",
                "identifier": record["id"],
                "claimReviewed": record["claim"],
                "author": PUBLISHER,
                "reviewBody": record["explanation"],
                "reviewRating": rating,
                "itemReviewed": {
                    "@type": "Claim",
                    "author": {"@type": "Person", "name": cite["author"]},
                    "appearance": appearance,
                },
            }
        )
    return {"@context": "https://schema.org", "@graph": reviews}


class Published:
    """Displays the JSON-LD in the page and writes claims.json beside the chart data."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        charts.publish_text("claims.json", claims_json(findings))

    def _repr_html_(self) -> str:
        payload = json.dumps(claim_reviews(self.findings), ensure_ascii=False).replace("</", "<\\/")
        return (
            f'<script type="application/ld+json">{payload}</script>'
            '<p class="goldrush-claims-json">All verdicts as machine-readable data: '
            '<a href="data/claims.json">claims.json</a> (also at the site root), and as schema.org '
            "ClaimReview markup in this page.</p>"
        )

    def __repr__(self) -> str:
        counts: dict[str, int] = {}
        for f in self.findings:
            counts[f.verdict.value] = counts.get(f.verdict.value, 0) + 1
        return f"{len(self.findings)} claims published: " + ", ".join(f"{v} {n}" for v, n in counts.items())


def publish(findings: list[Finding]) -> Published:
    return Published(findings)

