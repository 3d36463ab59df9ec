"""The built site: `goldrush book` on a fresh copy (warnings are errors), then headless Chromium
opens every page with the network cut off from everything but the local server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from support import chromium, copy_repo, goldrush, open_page, serve_site

pytestmark = pytest.mark.site
PAGES = ["index.html", "book/index.html", "book/chapters/01_five_trillion.html", "book/chapters/02_money_printers.html", "book/chapters/03_drawing_the_line.html", "book/chapters/04_selling_shovels.html", "book/chapters/data-and-methods.html", "book/claims/C04.html", "book/claims/C22.html", "book/claims/corrections.html"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_repo(tmp_path_factory.mktemp("book"))
    result = goldrush("book", root=root, timeout=1200)
    assert result.returncode == 0, result.stdout + result.stderr
    for step in ("==> checking the data snapshot", "==> chapter 1: Five trillion", "==> building the site"):
        assert step in result.stdout
    return root


@pytest.fixture(scope="module")
def server(built: Path) -> Iterator[str]:
    with serve_site(built) as url:
        yield url + "/"


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.mark.parametrize("path", PAGES)
def test_every_chart_draws_and_nothing_leaves_the_site(browser, server: str, path: str) -> None:
    page, outside, errors = open_page(browser, server + path)
    charts = page.locator(".goldrush-chart")
    for i in range(charts.count()):
        chart = charts.nth(i)
        assert chart.get_attribute("data-rendered") == "true"
        assert chart.locator("svg, canvas").count() >= 1
        assert chart.get_attribute("aria-label")
    assert outside == []
    assert errors == []
    text = page.inner_text("main")
    assert "Traceback" not in text and "nan" not in text.lower().split()
    page.close()


def test_chapter_page_shows_parameters_charts_sources_and_verdicts(browser, server: str) -> None:
    page, _, _ = open_page(browser, server + "book/chapters/01_five_trillion.html", width=390)
    text = page.inner_text("main")
    assert page.locator(".goldrush-chart svg").count() == 4
    assert "as_of = 2025-10-29" in text and "since = 2022-11-30" in text and "source = snapshot" in text
    assert "sha256" in text and "Source: Yahoo Finance" in text
    assert page.locator("table.goldrush-verdicts tbody tr").count() == 5  # C01-C05; C39 is checked in chapter 4
    assert "first close at or above $5T was on 2025-10-29" in text
    assert "nan" not in text.lower().split() and "Traceback" not in text
    page.close()


def test_claims_json_is_published_with_every_claim(server: str) -> None:
    import json
    import urllib.request

    with urllib.request.urlopen(server + "claims.json") as response:
        claims = json.load(response)["claims"]
    assert [c["id"] for c in claims] == [f"C{n:02d}" for n in range(1, 41)]
    by_id = {c["id"]: c for c in claims}
    assert by_id["C22"]["verdict"] == "wrong" and by_id["C13"]["verdict"] == "misattributed"
    assert by_id["C01"]["parameters"]["as_of"] == "2025-10-29"


def test_fact_check_links_every_claim_page_and_each_carries_one_claim_review(browser, server: str) -> None:
    import json
    import urllib.request

    page, _, _ = open_page(browser, server + "book/chapters/05_fact_check.html")
    assert page.locator('script[type="application/ld+json"]').count() == 0
    links = page.locator('table.goldrush-verdicts a[href^="../claims/C"]')
    assert len({links.nth(i).get_attribute("href") for i in range(links.count())}) == 40
    page.close()
    page, _, _ = open_page(browser, server + "book/claims/C04.html")
    scripts = page.locator('script[type="application/ld+json"]')
    assert scripts.count() == 1
    review = json.loads(scripts.first.text_content())
    assert review["@type"] == "ClaimReview" and review["url"].endswith("/book/claims/C04.html")
    assert "Verdict over time" in page.inner_text("main")
    page.close()
    with urllib.request.urlopen(server + "book/chapters/data/verdict-over-time-C04.csv") as response:
        assert response.read().decode().splitlines()[0] == "date,verdict,data_value,unit,why"


def test_no_page_repeats_an_id(built: Path) -> None:
    from collections import Counter
    from html.parser import HTMLParser

    class Ids(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.ids: Counter[str] = Counter()

        def handle_starttag(self, tag, attrs) -> None:
            self.ids.update(value for name, value in attrs if name == "id" and value)

    site = built / "_build" / "html"
    pages = [p for p in site.rglob("*.html") if "_static" not in p.parts]
    assert len(pages) > 40
    for page in pages:
        parser = Ids()
        parser.feed(page.read_text(encoding="utf-8"))
        assert not [i for i, n in parser.ids.items() if n > 1], page.relative_to(site)


def test_chart_data_is_offered_as_csv(server: str, built: Path) -> None:
    import urllib.request

    with urllib.request.urlopen(server + "book/chapters/data/five-trillion-market-value.csv") as response:
        lines = response.read().decode().splitlines()
    assert lines[0] == "date,close,shares_outstanding,market_value_tn"
    assert 400 < len(lines) < 700  # weekly, not daily


def test_rerun_with_new_dates_rebuilds_the_page(built: Path, browser, server: str) -> None:
    result = goldrush("run", "five-trillion", "--as-of", "2025-07-10", root=built, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    page, outside, errors = open_page(browser, server + "book/chapters/01_five_trillion.html")
    text = page.inner_text("main")
    assert "as_of = 2025-07-10" in text
    assert "had not yet happened on 2025-07-10" in text and "accurate →" in text  # the changed verdicts are marked
    assert outside == [] and errors == []
    page.close()
    unchanged = goldrush("book", root=built)
    assert "five-trillion: unchanged, not re-executed" not in unchanged.stdout  # book resets chapter 1 to its defaults
    again = goldrush("book", root=built)
    assert "nothing changed since the last build" in again.stdout  # nor is the site rebuilt
