"""The fact-check's machine-readable output: claims.json records and schema.org ClaimReview JSON-LD."""

from __future__ import annotations

import json

import pytest

from goldrush import checks, factcheck

# Types and properties used, as defined by schema.org (https://schema.org/ClaimReview, /Review,
# /CreativeWork, /Claim, /Rating, /Organization, /Person, /Thing): each type lists its own
# properties plus those it inherits.
THING = {"@type", "name", "alternateName", "identifier", "url", "description"}
CREATIVE_WORK = THING | {"author", "headline", "inLanguage", "datePublished", "publisher"}
SCHEMA_ORG = {
    "ClaimReview": CREATIVE_WORK | {"claimReviewed", "itemReviewed", "reviewRating", "reviewBody"},
    "Claim": CREATIVE_WORK | {"appearance", "firstAppearance"},
    "CreativeWork": CREATIVE_WORK,
    "Rating": THING | {"ratingValue", "bestRating", "worstRating", "author"},
    "Organization": THING,
    "Person": THING,
}


@pytest.fixture(scope="module")
def findings() -> list[checks.Finding]:
    return checks.evaluate(["C01", "C02", "C03", "C04", "C05", "C39"], checks.context("five-trillion"))


def nodes(value):
    if isinstance(value, dict):
        if "@type" in value:
            yield value
        for child in value.values():
            yield from nodes(child)
    elif isinstance(value, list):
        for child in value:
            yield from nodes(child)


def test_claim_reviews_use_only_schema_org_types_and_properties(findings) -> None:
    graph = factcheck.claim_reviews(findings)
    assert graph["@context"] == "https://schema.org"
    assert len(graph["@graph"]) == len(findings)
    for node in nodes(graph["@graph"]):
        assert node["@type"] in SCHEMA_ORG, node["@type"]
        assert set(node) <= SCHEMA_ORG[node["@type"]], set(node) - SCHEMA_ORG[node["@type"]]


def test_ratings_follow_the_verdicts(findings) -> None:
    reviews = {r["identifier"]: r for r in factcheck.claim_reviews(findings)["@graph"]}
    assert reviews["C01"]["reviewRating"] == {
        "@type": "Rating", "alternateName": "accurate", "ratingValue": 5, "bestRating": 5, "worstRating": 1,
    }
    assert reviews["C01"]["itemReviewed"]["author"]["name"] == "Aki 吴"


def test_unverifiable_claims_carry_no_numeric_rating() -> None:
    early = checks.evaluate(["C01"], checks.context("five-trillion", as_of="2025-07-10"))
    rating = factcheck.claim_reviews(early)["@graph"][0]["reviewRating"]
    assert rating == {"@type": "Rating", "alternateName": "unverifiable"}


def test_claims_json_records_values_verdicts_evidence_and_parameters(findings) -> None:
    document = json.loads(factcheck.claims_json(findings))
    assert document["verdicts"] == [v.value for v in checks.Verdict]
    c01 = document["claims"][0]
    assert c01["id"] == "C01" and c01["article_value"] == 5 and c01["data_value"] == pytest.approx(5.031)
    assert c01["verdict"] == "accurate" and "2025-10-29" in c01["explanation"]
    assert c01["parameters"] == {"as_of": "2025-10-29", "since": "2022-11-30", "source": "snapshot"}
    assert {e["dataset"] for e in c01["evidence"]} >= {"nvda_daily", "nvda_shares_outstanding"}
    assert all(e["urls"] and e["file"].startswith("data/") for e in c01["evidence"])
