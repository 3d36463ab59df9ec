"""The fact-check's machine-readable output: claims.json records and one schema.org ClaimReview per claim."""

from __future__ import annotations

import copy
import json

import pytest

from goldrush import checks, factcheck, release, site

# Types and properties used, as defined by schema.org (https://schema.org/ClaimReview, /Review,
# /CreativeWork, /Claim, /Rating, /Organization, /Person, /Thing): each type lists its own
# properties plus those it inherits.
THING = {"@type", "@context", "name", "alternateName", "identifier", "url", "description"}
CREATIVE_WORK = THING | {"author", "headline", "inLanguage", "datePublished", "dateModified", "publisher"}
SCHEMA_ORG = {
    "ClaimReview": CREATIVE_WORK | {"claimReviewed", "itemReviewed", "reviewRating", "reviewBody"},
    "Claim": CREATIVE_WORK | {"appearance", "firstAppearance"},
    "CreativeWork": CREATIVE_WORK,
    "Rating": THING | {"ratingValue", "bestRating", "worstRating", "author"},
    "Organization": THING,
    "Person": THING,
}
# Google's fact-check structured data (developers.google.com/search/docs/appearance/structured-data/factcheck)
GOOGLE_REQUIRED = {"ClaimReview": {"claimReviewed", "reviewRating", "url"}, "Rating": {"alternateName"}}
# the recommended ones this book can fill honestly (not the claim's date or first appearance: unknown)
GOOGLE_RECOMMENDED = {
    "ClaimReview": {"author", "datePublished", "itemReviewed"},
    "Claim": {"appearance", "author"},
    "Rating": {"name"},
}


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return factcheck.default_records()


@pytest.fixture(scope="module")
def by_id(records) -> dict[str, dict]:
    return {r["id"]: r for r in records}


def nodes(value):
    if isinstance(value, dict):
        if "@type" in value:
            yield value
        for child in value.values():
            yield from nodes(child)
    elif isinstance(value, list):
        for child in value:
            yield from nodes(child)


def test_every_review_uses_only_schema_org_types_and_properties(records) -> None:
    for record in records:
        review = factcheck.claim_review(record)
        assert review["@context"] == "https://schema.org"
        for node in nodes(review):
            assert node["@type"] in SCHEMA_ORG, node["@type"]
            assert set(node) <= SCHEMA_ORG[node["@type"]], set(node) - SCHEMA_ORG[node["@type"]]


def test_every_review_has_googles_required_and_fillable_recommended_fields(records) -> None:
    for record in records:
        review = factcheck.claim_review(record)
        for node in nodes(review):
            wanted = GOOGLE_REQUIRED.get(node["@type"], set()) | GOOGLE_RECOMMENDED.get(node["@type"], set())
            assert wanted <= set(node), (record["id"], node["@type"], wanted - set(node))
        assert review["url"] == site.page_url(f"book/claims/{record['id']}") == record["url"]
        assert review["reviewRating"]["alternateName"] == record["verdict"]
        assert review["author"] == {"@type": "Organization", "name": "Gold Rush", "url": site.base_url()}
        claim = review["itemReviewed"]
        assert claim["author"] == {"@type": "Person", "name": "Aki 吴"}
        assert claim["appearance"]["inLanguage"] == "ja" and claim["appearance"]["headline"].startswith("エヌビディア")
        # what the register does not know is left out, not guessed
        assert not {"url", "datePublished", "firstAppearance"} & (set(claim) | set(claim["appearance"]))


def test_claim_reviewed_is_a_short_form_of_at_most_75_characters_not_a_truncation(records) -> None:
    shorts = factcheck.short_forms()
    assert sorted(shorts) == sorted(checks.register())
    for record in records:
        short = factcheck.claim_review(record)["claimReviewed"]
        assert short == shorts[record["id"]] and 10 < len(short) <= 75
        whole = record["claim"].rstrip(".")
        assert short == whole or not whole.startswith(short), record["id"]  # the whole claim, or our own words
        assert record["verdict"] not in short.lower().split()  # the rating is not in the claim


def test_ratings_carry_numbers_only_for_graded_verdicts(by_id) -> None:
    assert factcheck.claim_review(by_id["C01"])["reviewRating"] == {
        "@type": "Rating", "name": "accurate", "alternateName": "accurate", "ratingValue": 5, "bestRating": 5, "worstRating": 1,
    }
    assert factcheck.claim_review(by_id["C22"])["reviewRating"]["ratingValue"] == 1  # wrong
    for verdict in ("unverifiable", "opinion"):
        assert factcheck.rating(verdict) == {"@type": "Rating", "name": verdict, "alternateName": verdict}


def test_review_dates_come_from_the_releases(by_id) -> None:
    latest = release.latest()
    assert latest is not None, "no release recorded in book/corrections/releases.yml"
    review = factcheck.claim_review(by_id["C04"])
    assert (review["datePublished"], review["dateModified"]) == release.claim_dates("C04")
    assert review["datePublished"] <= review["dateModified"] <= str(latest["date"])


def test_the_url_follows_the_one_base_url_setting(by_id, monkeypatch) -> None:
    monkeypatch.setenv("GOLDRUSH_BASE_URL", "https://books.example.net/goldrush")
    document = factcheck.stamp(json.loads(json.dumps({"article": {}, "verdicts": [], "claims": [by_id["C07"]]})))
    assert document["claims"][0]["url"] == "https://books.example.net/goldrush/book/claims/C07.html"
    assert document["book"]["url"] == "https://books.example.net/goldrush/"


def test_claims_json_records_values_verdicts_evidence_parameters_and_provenance(records) -> None:
    document = json.loads(factcheck.dumps(factcheck.document(copy.deepcopy(records))))  # stamped: a copy
    assert document["verdicts"] == [v.value for v in checks.Verdict]
    assert [c["id"] for c in document["claims"]] == list(checks.register())
    c01 = document["claims"][0]
    assert c01["id"] == "C01" and c01["article_value"] == 5 and c01["data_value"] == pytest.approx(5.031)
    assert c01["verdict"] == "accurate" and "2025-10-29" in c01["explanation"]
    assert c01["parameters"] == {"as_of": "2025-10-29", "since": "2022-11-30", "source": "snapshot"}
    assert c01["url"] == site.page_url("book/claims/C01")
    assert {e["dataset"] for e in c01["evidence"]} >= {"nvda_daily", "nvda_shares_outstanding"}
    assert all(e["urls"] and e["file"].startswith("data/") for e in c01["evidence"])
    assert document["book"]["version"] == site.version()
    assert len(document["method"]["sha256"]) == 64 and document["method"]["page"] == site.page_url("book/how-we-check")
    assert document["release"]["version"] == release.latest()["version"]


def test_gather_reads_the_chapters_findings_and_evaluates_only_what_they_lack(tmp_path) -> None:
    ctx = checks.context("five-trillion")
    chapter_1 = [f.as_record() for f in checks.evaluate(["C01", "C02"], ctx)]
    chapter_1[0] |= {
        "why": "from the chapter's file",
        "parts": [{"label": "first close above $5T", "verdict": "accurate", "why": "x"}],
    }
    document = {
        "chapter": "five-trillion",
        "parameters": ctx.parameters(),
        "findings": chapter_1,
    }  # as evaluate_chapter writes it
    (tmp_path / "findings-five-trillion.json").write_text(json.dumps(document, default=str))
    stale = [
        dict(
            chapter_1[1],
            claim_id="C03",
            parameters={"as_of": "2025-07-10", "since": "2022-11-30", "source": "snapshot"},
            why="stale",
        )
    ]
    (tmp_path / "findings-other.json").write_text(json.dumps({"findings": stale}, default=str))
    gathered = {f["claim_id"]: f for f in factcheck.gather(tmp_path, {})}
    assert len(gathered) == 40
    assert gathered["C01"]["why"] == "from the chapter's file"
    assert gathered["C03"]["why"] != "stale"  # computed with other parameters: re-evaluated
    record = factcheck.records([gathered["C01"]])[0]
    assert record["parts"][0]["label"] == "first close above $5T"  # extra fields are kept


def test_index_links_every_claim_once_without_ids(records) -> None:
    page = factcheck.Index(records)._repr_html_()
    for record in records:
        assert page.count(f'href="../claims/{record["id"]}.html"') == 1
    assert " id=" not in page
    assert repr(factcheck.Index(records)).splitlines()[0].startswith("C01 accurate: 5.031 USD trillion")
