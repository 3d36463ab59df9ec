"""Every chapter run with ``--source live`` against full-range responses served locally, then the
built site in headless Chromium.

One local server answers for every provider (each ``GOLDRUSH_<PROVIDER>_URL`` points at it) with
the responses of ``live_responses``: each API's documented format, the snapshot's figures. The HTTP
cache lives in the scratch copy. Chromium reaches nothing but the local site server.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import live_responses
import pytest
from support import chromium, copy_repo, goldrush, open_page, serve, serve_site

from goldrush import factcheck
from goldrush.chapters import CHAPTERS, Chapter

pytestmark = pytest.mark.site
IMF = "/external/datamapper/api/v1/"
ASKED = {  # every endpoint the book's live datasets read, by its real path
    "/v8/finance/chart/NVDA", "/v8/finance/chart/AAPL", "/v8/finance/chart/MSFT", "/v8/finance/chart/^GSPC",
    "/api/xbrl/companyfacts/CIK0001045810.json",
    "/v4/timeseries/asset-metrics", "/charts/hash-rate", "/api/v3/global",
    "/v2/country/all/indicator/NY.GDP.MKTP.CD", "/v2/country",
    *(IMF + name for name in ("NGDPD", "indicators", "countries", "regions", "groups")),
}
CLAIMS = 40  # seeds/claims.yml


@dataclass
class LiveBook:
    root: Path
    apis: str  # the local server's URL
    runs: dict[str, subprocess.CompletedProcess[str]]
    asked: list[tuple[str, dict[str, str], int]]
    data_before: dict[str, str]  # sha256 of every file in data/, before the runs


def fingerprint(folder: Path) -> dict[str, str]:
    files = sorted(f for f in folder.rglob("*") if f.is_file())
    return {str(f.relative_to(folder)): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> LiveBook:
    """`goldrush book --source live` on one scratch copy: every chapter from the live clients, in
    one run (chapters in parallel, one site build). `run <chapter> --source live` shares its
    validation, preflight and pipeline (tests/test_cli.py covers its refusals)."""
    root = copy_repo(tmp_path_factory.mktemp("live-book"))
    before = fingerprint(root / "data")
    responses = live_responses.Responses()
    with serve(live_responses.handler(responses)) as apis:
        env = {f"GOLDRUSH_{p.upper()}_URL": apis + prefix for p, prefix in live_responses.PREFIXES.items()}
        env["GOLDRUSH_CONTACT"] = "analyst@example.org"  # the SEC asks for one; Stooq has no key: not asked
        run = goldrush("book", "--source", "live", root=root, env=env, timeout=600)
    return LiveBook(root, apis, {chapter.slug: run for chapter in CHAPTERS}, responses.log, before)


@pytest.fixture(scope="module")
def site(book: LiveBook) -> Iterator[str]:
    with serve_site(book.root) as url:
        yield url + "/"


@pytest.fixture(scope="module")
def claims(site: str) -> list[dict]:
    with urllib.request.urlopen(site + "claims.json") as response:
        return json.load(response)["claims"]


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def page_of(chapter: Chapter) -> str:
    return f"book/chapters/{Path(chapter.notebook).stem}.html"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.slug)
def test_every_chapter_runs_live_and_builds(book: LiveBook, chapter: Chapter) -> None:
    run = book.runs[chapter.slug]
    assert run.returncode == 0, run.stdout + run.stderr
    assert "==> checking that the live providers can be reached" in run.stdout
    executed = next(line for line in run.stdout.splitlines() if line.strip().startswith(f"{chapter.slug}: executing"))
    assert "'source': 'live'" in executed
    assert run.stdout.count("site ready:") == 1  # the site is built once, at the end


def test_the_clients_read_every_endpoint_from_the_local_server_only(book: LiveBook) -> None:
    assert {path for path, _, _ in book.asked} == ASKED  # no Stooq fallback, nothing else
    assert [entry for entry in book.asked if entry[2] != 200] == []
    assert (book.root / ".cache" / "goldrush-http.sqlite").is_file()  # the cache is the scratch copy's


def test_live_runs_leave_the_snapshot_untouched(book: LiveBook) -> None:
    assert fingerprint(book.root / "data") == book.data_before


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.slug)
def test_each_page_says_live_and_draws_every_chart(book: LiveBook, browser, site: str, chapter: Chapter) -> None:
    page, outside, errors = open_page(browser, site + page_of(chapter))
    box = page.locator(".goldrush-provenance").text_content()  # the dataset table may be folded away
    assert "source = live" in box
    assert "live, fetched" in box and f"from {book.apis}/" in box
    charts = page.locator(".goldrush-chart")
    assert charts.count() >= 1
    for i in range(charts.count()):
        assert charts.nth(i).locator("svg").count() >= 1, f"chart {i} of {chapter.slug} did not draw"
    text = page.inner_text("main")
    assert "Traceback" not in text and "nan" not in text.lower().split()
    assert outside == [] and errors == []
    page.close()


def test_chapter_one_tells_the_snapshots_story_through_the_live_clients(browser, site: str) -> None:
    # the responses carry the snapshot's prices and share counts (data/market/SOURCES.md: $5.031T on 2025-10-29)
    page, _, _ = open_page(browser, site + page_of(CHAPTERS[0]))
    assert "first close at or above $5T was on 2025-10-29" in page.inner_text("main")
    caption = page.locator(".goldrush-figure figcaption").first.inner_text()
    assert "(live) (NVIDIA (NVDA) daily share prices" in caption  # charts credit what was read, not the snapshot
    page.close()


def test_claims_json_lists_every_claim_checked_live(claims: list[dict]) -> None:
    assert len(claims) == CLAIMS
    assert {c["chapter"] for c in claims} <= {c.slug for c in CHAPTERS}
    assert [c["id"] for c in claims if c["parameters"].get("source") != "live"] == []


def test_fed_the_snapshots_figures_the_live_clients_reach_the_snapshots_verdicts(claims: list[dict]) -> None:
    snapshot = {f.claim_id: f.verdict.value for f in factcheck.evaluate_book({}, "snapshot")}
    assert {c["id"]: c["verdict"] for c in claims} == snapshot
