"""The built site: `goldrush book` on a fresh copy (warnings are errors), then headless Chromium
opens every page with the network cut off from everything but the local server."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from site_support import axe_violations, clipped_chart_text, contrast, draw_every_chart, reader_page, sideways_scroll
from support import chromium, copy_repo, goldrush, open_page, serve_site

from goldrush.errors import GoldrushError

pytestmark = pytest.mark.site
PAGES = [
    "index.html",
    "book/index.html",
    "book/chapters/01_five_trillion.html",
    "book/chapters/02_money_printers.html",
    "book/chapters/03_drawing_the_line.html",
    "book/chapters/04_selling_shovels.html",
    "book/chapters/data-and-methods.html",
    "book/claims/C04.html",
    "book/claims/C22.html",
    "book/claims/corrections.html",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_repo(tmp_path_factory.mktemp("book"))
    result = goldrush("book", root=root, timeout=1200)
    assert result.returncode == 0, result.stdout + result.stderr
    for step in ("==> checking the data snapshot", "==> chapter 1: Five trillion", "==> building the site"):
        assert step in result.stdout
    return root



def test_published_notebooks_name_their_files_and_hold_no_scratch_path(built: Path) -> None:
    from goldrush.chapters import CHAPTERS

    for chapter in CHAPTERS:
        text = (built / "book" / "chapters" / chapter.notebook).read_text(encoding="utf-8")
        assert str(built) not in text and ".scratch" not in text, chapter.notebook
        run = json.loads(text)["metadata"]["papermill"]
        assert (run["input_path"], run["output_path"]) == (f"notebooks/{chapter.notebook}", f"book/chapters/{chapter.notebook}")
        assert run["duration"] > 0 and run["exception"] is None

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
        assert chart.locator(".goldrush-live svg, .goldrush-live canvas").count() >= 1
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


CHAPTER = "book/chapters/01_five_trillion.html"
FACT_CHECK = "book/chapters/05_fact_check.html"
METHOD = "book/chapters/data-and-methods.html"
TEMPLATES = [
    CHAPTER,
    FACT_CHECK,
    METHOD,
    "book/index.html",
]  # a chapter, the claims chapter, the generated method page, a hand-written page


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", [CHAPTER, FACT_CHECK])
def test_charts_draw_once_unclipped_without_sideways_scroll(browser, server: str, path: str, width: int, theme: str) -> None:
    page, context, requests = reader_page(browser, server + path, width, theme)
    assert not any("vega-bundle" in url for url in requests)  # nothing but static pictures before the reader moves
    static = page.evaluate(f"[...document.querySelectorAll('.goldrush-static-{theme} img')].length")
    assert static == page.locator(".goldrush-chart").count() > 0
    draw_every_chart(page)
    draws = page.evaluate("[...document.querySelectorAll('.goldrush-chart')].map(e => e.dataset.draws)")
    assert draws == ["1"] * len(draws)
    assert clipped_chart_text(page) == []
    assert sideways_scroll(page) <= 0
    assert axe_violations(page) == []
    context.close()


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("path", [METHOD, "book/index.html", "book/teaching.html"])
def test_pages_without_charts_fit_a_phone_and_pass_axe(browser, server: str, path: str, theme: str) -> None:
    page, context, requests = reader_page(browser, server + path, 390, theme)
    assert sideways_scroll(page) <= 0
    assert axe_violations(page) == []
    assert not any("goldrush-charts.js" in url or "vega" in url for url in requests)
    context.close()


def test_without_javascript_each_chart_shows_its_static_picture(browser, server: str) -> None:
    page, context, _ = reader_page(browser, server + CHAPTER, 390, "light", javascript=False)
    charts = page.locator(".goldrush-chart")
    assert charts.count() == 4
    for i in range(charts.count()):
        image = charts.nth(i).locator(".goldrush-static-light img")
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        assert image.bounding_box()["height"] > 100
        assert charts.nth(i).get_attribute("role") == "img"
        assert charts.nth(i).locator(".goldrush-static").get_attribute("aria-hidden") == "true"
    assert page.locator("details.goldrush-data table").count() == 4
    context.close()


# Text of an SVG document (a chart's static picture opened as it is) that lies outside the picture.
TEXT_OUTSIDE_SVG = """() => {
  const svg = document.documentElement, width = svg.width.baseVal.value, height = svg.height.baseVal.value;
  return [...svg.querySelectorAll("text")].filter(t => t.textContent.trim()).map(t => [t.textContent, t.getBoundingClientRect()])
    .filter(([, b]) => b.left < -1 || b.top < -1 || b.right > width + 1 || b.bottom > height + 1)
    .map(([text, b]) => `${text} at ${[b.left, b.top, b.right, b.bottom].map(Math.round)} in ${width}x${height}`);
}"""


def test_no_static_picture_cuts_off_its_text(browser, server: str, built: Path) -> None:
    """Every static picture the book publishes (the light ones: the dark ones are the same
    pictures recoloured), opened in Chromium, holds all its text: titles, axis titles, labels."""
    folder = built / "_build" / "html" / "book" / "chapters" / "data"
    pictures = sorted(p.name for p in folder.glob("*.light-*.svg"))
    assert len(pictures) >= 60
    page = browser.new_page()
    outside = {}
    for name in pictures:
        page.goto(f"{server}book/chapters/data/{name}")
        if text := page.evaluate(TEXT_OUTSIDE_SVG):
            outside[name] = text
    page.close()
    assert outside == {}


def test_print_uses_the_light_static_charts_whatever_the_screen_theme(browser, server: str) -> None:
    page, context, _ = reader_page(browser, server + CHAPTER, 1280, "dark")
    draw_every_chart(page)
    page.emulate_media(media="print")
    shown = page.evaluate(
        "[...document.querySelectorAll('.goldrush-chart')].map(c => ["
        "getComputedStyle(c.querySelector('.goldrush-static-light')).display,"
        "getComputedStyle(c.querySelector('.goldrush-static-dark')).display,"
        "getComputedStyle(c.querySelector('.goldrush-live')).display])"
    )
    assert shown == [["block", "none", "none"]] * 4
    context.close()


def test_chart_colours_have_contrast_in_both_themes(built: Path) -> None:
    from goldrush import charts

    specs = [json.loads(f.read_text()) for f in (built / "_build" / "html" / "book" / "chapters" / "data").glob("*.chart.json")]
    assert len(specs) > 15
    for payload in specs:
        for theme, rules in charts.THEMES.items():
            spec = charts.themed(payload["spec"], theme)
            background = rules["background"]
            marks = {
                c for c in re.findall(r'"(#[0-9a-fA-F]{3,6})"', json.dumps({k: v for k, v in spec.items() if k != "config"}))
            }
            texts = [
                v
                for k, v in _flatten(spec["config"])
                if k.endswith(("color", "Color")) and not k.startswith(("axis.grid", "axis.domain", "axis.tick", "mark."))
            ]
            assert all(contrast(c, background) >= 3 for c in marks | {spec["config"]["mark"]["color"]}), (theme, marks)
            assert all(contrast(c, background) >= 4.5 for c in texts), (theme, texts)


def test_dark_pictures_are_exactly_what_the_dark_theme_draws(built: Path) -> None:
    """The dark static SVGs are the light ones recoloured; for every chart of the book, wide and
    narrow, they equal vl-convert's own drawing in the dark theme."""
    import altair as alt
    import vl_convert

    from goldrush import charts

    version = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]
    folder = built / "_build" / "html" / "book" / "chapters" / "data"
    compared = 0
    for file in sorted(folder.glob("*.chart.json")):
        spec = json.loads(file.read_text())["spec"]
        name = file.name.removesuffix(".chart.json")
        for layout in charts.STATIC_WIDTHS:
            drawn = vl_convert.vegalite_to_svg(charts.static_spec(spec, "dark", layout), vl_version=version)
            assert (folder / f"{name}.dark-{layout}.svg").read_text() == drawn, (name, layout)
            compared += 1
    assert compared > 30


def test_a_theme_that_needs_two_dark_colours_for_one_light_colour_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from goldrush import charts

    # light would draw orange as the palette's blue, which the dark theme draws in two different colours
    light = {**charts.THEMES["light"], "colors": {**charts.THEMES["light"]["colors"], "#E69F00": "#0072B2"}}
    monkeypatch.setitem(charts.THEMES, "light", light)
    with pytest.raises(GoldrushError, match="would be both"):
        charts.light_to_dark()


def _flatten(node: dict, prefix: str = "") -> list[tuple[str, str]]:
    out = []
    for key, value in node.items():
        if isinstance(value, dict):
            out += _flatten(value, f"{prefix}{key}.")
        elif isinstance(value, str) and value.startswith("#"):
            out.append((f"{prefix}{key}", value))
    return out


def test_hostile_strings_in_chart_data_cannot_break_the_page(
    browser, server: str, built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import altair as alt
    import pandas as pd

    from goldrush import charts

    names = ["<!--<script>", "</script><img src=x onerror=window.pwned=1>", "A & B \u2028 \u2029 >"]
    folder = built / "_build" / "html" / "book" / "chapters"
    frame = pd.DataFrame({"country": names, "gdp": [1.0, 2.0, 3.0]})
    figures = []
    for i in range(2):  # one published with the page (static pictures, spec file), one with its spec in the page
        if i == 0:
            monkeypatch.setenv(charts.CHART_DIR_ENV, str(folder / "data"))
        else:
            monkeypatch.delenv(charts.CHART_DIR_ENV)
        chart = (
            alt.Chart(frame)
            .mark_bar()
            .encode(x="gdp:Q", y="country:N")
            .properties(width="container", title=f"Hostile {i}", description=f"Bars of {names[1]} {i}.")
        )
        figures.append(charts.figure(chart, f"hostile-{i}", [], data=frame))
    body = (
        "".join(f"<section><h2>Section {i}</h2>{f._repr_html_()}</section>" for i, f in enumerate(figures))
        + "<section><h2>Section after</h2></section>"
    )
    assert "<!--<script>" not in body and "</script><img" not in body and 'class="goldrush-spec"' in body
    (folder / "hostile.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><title>hostile</title><link rel="stylesheet" href="../../_static/goldrush.css">'
        f'<script defer src="../../_static/goldrush-charts.js"></script></head><body>{body}</body></html>'
    )
    page, context, _ = reader_page(browser, server + "book/chapters/hostile.html", 1280, "light")
    assert page.locator("h2").all_inner_texts() == ["Section 0", "Section 1", "Section after"]
    draw_every_chart(page)
    assert page.evaluate("[...document.querySelectorAll('.goldrush-chart')].map(e => e.dataset.rendered)") == ["true", "true"]
    labels = page.locator(".goldrush-live svg text").all_text_contents()
    assert all(name.strip() in " ".join(labels) or name.split()[0] in " ".join(labels) for name in names[:2])
    assert page.evaluate("window.pwned") is None
    context.close()


def test_long_y_axis_titles_wrap_to_the_plot_height_in_every_layer() -> None:
    import altair as alt
    import pandas as pd

    from goldrush import charts

    frame = pd.DataFrame({"day": pd.to_datetime(["2025-01-03", "2025-01-10"]), "value": [1.0, 2.0]})
    long = "USD trillion (highest close-based market cap so far)"
    base = alt.Chart(frame).encode(x=alt.X("day:T", title="Date the claim is checked on (as_of)"))
    layers = base.mark_line().encode(y=alt.Y("value:Q", title=long)) + base.mark_point().encode(y=alt.Y("value:Q", title="USD"))
    chart = layers.properties(title="A chart", description="Two dates.")
    spec = charts.Figure(chart, "wrapped", [], None).spec
    line, point = (layer["encoding"] for layer in spec["layer"])
    assert line["y"]["title"] == ["USD trillion (highest close-based", "market cap so far)"]
    assert all(len(text) <= charts.Y_TITLE_CHARS for text in line["y"]["title"])
    assert point["y"]["title"] == "USD" and line["x"]["title"] == "Date the claim is checked on (as_of)"  # short, and not y


def test_chart_code_gives_encode_channel_objects_not_shorthand_strings() -> None:
    """Altair turns each shorthand string (or ``alt.value``) given to ``encode`` into a channel by
    first rebuilding its table of every schema class, about 5 ms a call (vega/altair#3547 would
    build it once); the book draws its charts in every run, so its chart code passes channel objects."""
    import ast

    import goldrush

    found = []
    for path in sorted(Path(goldrush.__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "encode":
                for keyword in node.keywords:
                    values = keyword.value.elts if isinstance(keyword.value, ast.List) else [keyword.value]
                    for value in values:
                        shorthand = isinstance(value, ast.Constant) and isinstance(value.value, str)
                        wrapped = isinstance(value, ast.Call) and getattr(value.func, "attr", "") == "value"
                        if shorthand or wrapped:
                            found.append(f"{path.name}:{value.lineno} {keyword.arg}")
    assert found == []


def test_script_json_escapes_markup_and_line_separators() -> None:
    from goldrush.charts import script_json

    value = {"name": "</script><!--<script>& \u2028\u2029"}
    text = script_json(value)
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == value


def test_preview_images_are_drawn_in_a_process_of_their_own_and_a_failure_is_one_line(tmp_path: Path) -> None:
    import struct

    from goldrush import previews

    svg = tmp_path / "chart.light-wide.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><circle cx="10" cy="10" r="5"/></svg>')
    target = tmp_path / "site" / "chart.png"
    previews.wait(previews.start([(svg, target)], "#ffffff"))
    drawn = target.read_bytes()
    assert drawn[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", drawn[16:24]) == (60, 30)  # the SVG's size times SCALE
    assert previews.on_background(svg.read_text(), "#ffffff").startswith(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="100%" height="100%" fill="#ffffff"/><circle'
    )
    assert previews.start([], "#ffffff") is None
    previews.wait(None)
    previews.stop(None)
    stopped = previews.start([(svg, tmp_path / "stopped.png")], "#ffffff")
    previews.stop(stopped)  # a failed build ends the drawing: the process is gone, its pipe closed
    assert stopped is not None and stopped.returncode is not None and stopped.stderr.closed
    with pytest.raises(GoldrushError, match=r"^drawing the preview images failed: FileNotFoundError: .*missing\.svg'$"):
        previews.wait(previews.start([(tmp_path / "missing.svg", target)], "#ffffff"))


def test_every_page_has_meta_footer_and_no_broken_markup(built: Path) -> None:
    from goldrush import site

    html_root = built / "_build" / "html"
    root = (html_root / "index.html").read_text()  # the landing page itself, no redirect
    assert root.startswith("<!DOCTYPE html>") and "<title>Gold Rush" in root and "http-equiv" not in root
    assert '<base href="book/">' in root and f'<link rel="canonical" href="{site.page_url("book/index")}"' in root
    pages = [p for p in (html_root / "book").rglob("*.html") if "/data/" not in p.as_posix() and p.name != "hostile.html"]
    assert len(pages) >= 8
    commit = subprocess.run(
        ["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True, cwd=Path(__file__).parent
    ).stdout.strip()
    snapshot = json.loads((built / "data" / "datapackage.json").read_text())["version"]
    for page in pages:
        text = page.read_text()
        assert '<meta name="description" content="' in text and '<meta property="og:title"' in text, page
        image = re.search(r'<meta property="og:image" content="([^"]+)"', text).group(1)
        assert image.startswith(site.base_url()) and image.endswith(".png")
        assert (html_root / image[len(site.base_url()):]).exists()
        assert 'rel="icon"' in text
        assert f"Gold Rush {site.version()} · commit <code>{commit}</code> · data snapshot of {snapshot}" in text
        assert "<style scoped>" not in text and not re.search(r"<th>\s*</th>", text)
        assert "fontawesome.js" not in text and "vega-bundle.js" not in text
        assert "mybinder" not in text and "colab.research" not in text  # no launch buttons without a repository URL
    chapter = (html_root / CHAPTER).read_text()
    assert '<meta name="description" content="In late October 2025 NVIDIA became the first company' in chapter
    sitemap = (html_root / "sitemap.xml").read_text()
    assert f"<loc>{site.base_url()}book/chapters/01_five_trillion.html</loc>" in sitemap
    assert (html_root / "404.html").exists()


def test_whole_book_pdf_has_bookmarks_contents_links_and_page_numbers(built: Path) -> None:
    from pypdf import PdfReader

    from goldrush import pdf

    # as `make pdf` runs it (a process of its own: this module's browser already holds Playwright)
    result = subprocess.run(
        [sys.executable, "-m", "goldrush.pdf"],
        env={**os.environ, "GOLDRUSH_ROOT": str(built)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    reader = PdfReader(built / "_build" / "html" / "goldrush.pdf")
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert any("Five trillion" in t for t in titles) and any("Fact check" in t for t in titles)
    contents = reader.pages[0]
    links = [a.get_object() for a in contents.get("/Annots", [])]
    assert len([a for a in links if a.get("/Subtype") == "/Link"]) >= len(pdf.toc_pages())
    assert f"page 2 of {len(reader.pages)}" in reader.pages[1].extract_text()
    assert len(reader.pages) > 20



def test_the_rerun_notice_reaches_the_pages_of_each_off_default_chapter_in_the_right_number() -> None:
    from goldrush import chapters, sphinx_rerun

    one = [(chapters.get("five-trillion"), {"as_of": "2025-07-10"})]
    two = [*one, (chapters.get("selling-shovels"), {"since": "2023-01-03"})]
    pages = sphinx_rerun.affected(two)
    assert pages["book/chapters/05_fact_check"] == two and pages["book/chapters/04_selling_shovels"] == two[1:]
    assert pages["book/claims/C01"] == one and pages["book/claims/C35"] == two[1:]
    assert "book/chapters/02_money_printers" not in pages and "book/claims/C06" not in pages

    def text(found: list) -> str:
        return re.sub(r"<[^>]+>", "", sphinx_rerun.notice_html(found, lambda docname: f"{docname}.html"))

    assert "from a chapter not on its default parameters: Five trillion (as_of=2025-07-10). Its verdict table" in text(one)
    assert (
        "from chapters not on their default parameters: Five trillion (as_of=2025-07-10); Selling shovels "
        "(since=2023-01-03). Their verdict tables mark" in text(two)
    )

def test_the_site_builder_needs_neither_pandas_nor_altair(built: Path) -> None:
    # the builder sets Sphinx up while the chapters run, CPU-bound: it imports only what it uses
    code = (
        "import importlib, sys; from goldrush import chart_themes, claimpages, paths, sphinx_rerun, yamlfiles; "
        "[importlib.import_module(e) for e in yamlfiles.read(paths.ROOT / '_config.yml')['sphinx']['extra_extensions']]; "
        "claimpages.generate(); sphinx_rerun.affected(sphinx_rerun.off_defaults()); "
        "print(sorted({'pandas', 'altair'} & set(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, "GOLDRUSH_ROOT": str(built)}, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"


def test_sphinx_reads_in_one_process_unless_half_the_pages_are_read() -> None:
    from types import SimpleNamespace

    from goldrush import sphinx as extension

    env = SimpleNamespace(found_docs={f"page{i}" for i in range(56)})
    app = SimpleNamespace(parallel=3)
    extension.parallel_for_many(app, env, [f"page{i}" for i in range(7)])  # a chapter rerun
    assert app.parallel == 1
    app = SimpleNamespace(parallel=3)
    extension.parallel_for_many(app, env, [f"page{i}" for i in range(28)])
    assert app.parallel == 3


def test_the_site_builder_reads_pages_only_once_told_and_ends_when_told_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from goldrush import book
    from goldrush import sphinx as extension

    monkeypatch.setenv(book.WHEN_TOLD, "1")
    monkeypatch.setattr(sys, "stdin", io.StringIO("build\nrest"))
    extension.wait_until_told(None)
    assert sys.stdin.read() == "rest"  # it read its one line
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # the run ended without telling it
    with pytest.raises(SystemExit) as ended:
        extension.wait_until_told(None)
    assert ended.value.code == 0
    monkeypatch.delenv(book.WHEN_TOLD)  # a build not started by a run (jupyter-book build) does not wait
    monkeypatch.setattr(sys, "stdin", io.StringIO("build\n"))
    extension.wait_until_told(None)
    assert sys.stdin.read() == "build\n"


def test_a_figure_published_again_on_the_same_inputs_is_copied_not_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from goldrush import charts, paths

    monkeypatch.setattr(paths, "BUILD", tmp_path / "build")
    out = tmp_path / "chapter-data"
    monkeypatch.setenv(charts.CHART_DIR_ENV, str(out))
    made = []

    def publish(text: str):
        def write() -> None:
            made.append(text)
            charts.publish_text("fig.csv", text)
            charts.publish_text("fig.html", text.upper())
            charts.publish_text("figure.csv", "another chart's")

        return write

    charts.published_once("fig", "inputs 1", publish("a"))
    for file in out.iterdir():
        file.unlink()
    charts.published_once("fig", "inputs 1", publish("b"))
    assert made == ["a"]
    assert sorted(f.name for f in out.iterdir()) == ["fig.csv", "fig.html"] and (out / "fig.html").read_text() == "A"
    charts.published_once("fig", "inputs 2", publish("c"))
    assert made == ["a", "c"] and (out / "fig.csv").read_text() == "c"
    assert len(list((tmp_path / "build" / "figures").glob("fig-*"))) == 1  # only the last inputs' files are kept


def test_rerun_with_new_dates_rebuilds_the_page(built: Path, browser, server: str) -> None:
    charts, site_charts = built / "book" / "chapters" / "data", built / "_build" / "html" / "book" / "chapters" / "data"
    files = {  # C01 is chapter 1's (its dashed rule moves with the date), C35 is chapter 4's
        name: folder / name
        for folder, names in ((charts, ("verdict-over-time-C01.light-wide.svg", "verdict-over-time-C35.light-wide.svg")),
                              (site_charts, ("verdict-over-time-C01.png", "verdict-over-time-C35.png")))
        for name in names
    }
    before = {name: file.stat().st_mtime_ns for name, file in files.items()}
    result = goldrush("run", "five-trillion", "--as-of", "2025-07-10", root=built, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    # the fact-check wrote every chart again; only those whose bytes changed were published, and only their previews redrawn
    changed = sorted(name for name, file in files.items() if file.stat().st_mtime_ns != before[name])
    assert changed == ["verdict-over-time-C01.light-wide.svg", "verdict-over-time-C01.png"]
    page, outside, errors = open_page(browser, server + "book/chapters/01_five_trillion.html")
    text = page.inner_text("main")
    assert "as_of = 2025-07-10" in text
    assert "had not yet happened on 2025-07-10" in text and "accurate →" in text  # the changed verdicts are marked
    assert outside == [] and errors == []
    page.close()
    html = built / "_build" / "html" / "book"

    def notice(page: str) -> str:
        found = re.search(r'<div class="goldrush-rerun-notice[^"]*">(.*?)</div>', (html / page).read_text())
        return re.sub(r"<[^>]+>", "", found.group(1)) if found else ""

    # the pages chapter 1's parameters reach say so; the others are left as they were
    reached = ["chapters/01_five_trillion.html", "chapters/05_fact_check.html", "claims/C01.html", "claims/C05.html"]
    for reach in reached:
        assert "Five trillion (as_of=2025-07-10)" in notice(reach), reach
    untouched = ["chapters/02_money_printers.html", "claims/C06.html", "index.html", "how-we-check.html"]
    assert [p for p in untouched if notice(p)] == []
    unchanged = goldrush("book", root=built)
    assert "five-trillion: unchanged, not re-executed" not in unchanged.stdout  # book resets chapter 1 to its defaults
    assert [p for p in reached if notice(p)] == []
    again = goldrush("book", root=built)
    assert "nothing changed since the last build" in again.stdout  # nor is the site rebuilt
    # and finding that out reads no data: neither pandas nor nbformat is imported (the check stays well under 1 s)
    code = "import sys; from goldrush import cli; cli.main(['book']); print(sorted({'pandas', 'nbformat'} & set(sys.modules)))"
    quick = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, "GOLDRUSH_ROOT": str(built)}, capture_output=True, text=True, timeout=120
    )
    said, imported = quick.stdout.splitlines()[-2:]
    assert said.startswith("==> nothing changed since the last build") and imported == "[]"
