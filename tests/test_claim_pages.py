"""Claim pages generated at build time, the verdict over time, and unique exercise ids."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document

from goldrush import checks, claimpages, factcheck, release, sphinx_ids, timeline

LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)
DEFAULTS = {"as_of": "2025-10-29", "since": "2022-11-30", "source": "snapshot"}


@pytest.fixture(scope="module")
def history() -> dict[str, pd.DataFrame]:
    return timeline.over_time(["C01", "C04"], "five-trillion", DEFAULTS)


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return factcheck.default_records()


@pytest.fixture(scope="module")
def pages(tmp_path_factory, history, records) -> Path:
    """A published data folder (claims.json and the over-time chart and CSV of C04) and the pages made from it."""
    root = tmp_path_factory.mktemp("site")
    data, out = root / "data", root / "claims"
    data.mkdir()
    (data / "claims.json").write_text(factcheck.claims_json(copy.deepcopy(records)), encoding="utf-8")
    patch = pytest.MonkeyPatch()
    patch.setenv("GOLDRUSH_CHART_DIR", str(data))  # as the fact-check chapter publishes it
    timeline.publish({"C04": history["C04"]}, {"C04": DEFAULTS["as_of"]})
    patch.setattr(claimpages, "published", lambda: data)
    patch.setattr(claimpages, "out_dir", lambda: out)
    claimpages.generate()
    yield out
    patch.undo()


def test_date_bound_claims_are_the_market_claims_of_the_as_of_chapters() -> None:
    bound = [c.id for c in checks.register().values() if timeline.date_bound(c)]
    assert bound == ["C01", "C02", "C03", "C04", "C05", "C35", "C36", "C39"]


def test_verdict_over_time_runs_the_same_check_on_every_friday(history) -> None:
    c01 = history["C01"]
    days = pd.to_datetime(c01["date"])
    assert (days.iloc[0] > pd.Timestamp("2022-11-30")) and days.is_monotonic_increasing
    assert set(days.dt.day_of_week) == {4, 2}  # Fridays, and the book's date (a Wednesday)
    on_the_day = c01.set_index("date").loc[pd.Timestamp("2025-10-29").date()]
    default = checks.evaluate(["C01"], checks.context("five-trillion"))[0]
    assert (on_the_day["verdict"], on_the_day["data_value"]) == (default.verdict.value, default.data_value)
    before = c01[days < "2025-10-29"]["verdict"]
    assert set(before) == {"unverifiable"}  # no close at $5T yet
    spans = timeline.periods(history["C04"])
    assert spans["dates"].sum() == len(history["C04"]) and len(spans) > 1
    assert (spans["verdict"] != spans["verdict"].shift()).all()
    assert spans["first"].iloc[0] == history["C04"]["date"].iloc[0] and spans["last"].iloc[-1] == history["C04"]["date"].iloc[-1]


def test_verdict_periods_are_runs_of_equal_verdicts_in_order() -> None:
    from goldrush.verdict_periods import Period, runs

    rows = [("d1", "accurate"), ("d2", "accurate"), ("d3", "wrong"), ("d4", "accurate")]
    assert runs(rows) == [Period("accurate", "d1", "d2", 2), Period("wrong", "d3", "d3", 1), Period("accurate", "d4", "d4", 1)]
    assert runs([]) == []


def test_a_rerun_on_a_new_date_checks_only_that_date_and_gives_the_same_verdicts(history, tmp_path, monkeypatch) -> None:
    from goldrush import timeline_cache

    monkeypatch.setattr(timeline_cache, "folder", lambda: tmp_path)
    key = timeline_cache.key("five-trillion", DEFAULTS)
    timeline_cache.write("five-trillion", key, history)
    moved = {**DEFAULTS, "as_of": "2024-03-13"}  # a Wednesday: one date the first run did not check
    assert timeline_cache.key("five-trillion", moved) == key  # as_of is not an input of a date's verdict
    assert timeline_cache.key("five-trillion", {**DEFAULTS, "since": "2023-01-03"}) != key
    assert timeline_cache.key("five-trillion", {**DEFAULTS, "source": "live"}) is None
    checked: list[tuple[list[str], str]] = []
    evaluate = checks.evaluate
    monkeypatch.setattr(checks, "evaluate", lambda ids, ctx: checked.append((ids, str(ctx.as_of))) or evaluate(ids, ctx))
    reused = timeline.over_time(["C01", "C04"], "five-trillion", moved, timeline_cache.read("five-trillion", key))
    assert checked == [(["C01", "C04"], "2024-03-13")]
    monkeypatch.setattr(checks, "evaluate", evaluate)
    fresh = timeline.over_time(["C01", "C04"], "five-trillion", moved)
    for claim in ("C01", "C04"):
        pd.testing.assert_frame_equal(reused[claim], fresh[claim])
        days = set(fresh[claim]["date"].astype(str))
        assert "2024-03-13" in days and "2025-10-29" not in days and len(days) == len(history[claim])  # the Fridays stay
    timeline_cache.write("five-trillion", "another-key", reused)
    assert [p.name for p in tmp_path.iterdir()] == ["five-trillion-another-key.json"]  # one file per chapter


def test_a_chart_whose_spec_did_not_change_is_not_drawn_again(history, tmp_path, monkeypatch) -> None:
    import altair as alt
    import vl_convert

    from goldrush import charts, paths, svg_cache

    monkeypatch.setattr(paths, "BUILD", tmp_path / "build")  # nothing kept by an earlier build (charts.published_once)
    monkeypatch.setattr(svg_cache, "folder", lambda: tmp_path / "svg")
    drawn: list[dict] = []
    draw = vl_convert.vegalite_to_svg
    monkeypatch.setattr(vl_convert, "vegalite_to_svg", lambda spec, **kw: drawn.append(spec) or draw(spec, **kw))
    published = []
    for run, chosen in enumerate(["2025-10-29", "2025-10-29", "2024-03-13"]):  # the same run twice, then a new date
        monkeypatch.setenv(charts.CHART_DIR_ENV, str(tmp_path / f"run-{run}"))
        timeline.publish({"C04": history["C04"]}, {"C04": chosen})
        published.append({p.name: p.read_bytes() for p in (tmp_path / f"run-{run}").glob("*.svg")})
        assert len(drawn) == [2, 2, 4][run], run  # wide and narrow; none again (copied as made); the new date's rule moved
    assert len(published[0]) == 4 and published[1] == published[0]  # light and dark, each layout: the same bytes
    assert published[2] != published[0]
    monkeypatch.setattr(svg_cache, "KEEP_PER_PUBLISHED", 1)
    assert svg_cache.prune(published=2) == 2  # the least recently used go
    version = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]
    kept = sorted(p.stem for p in (tmp_path / "svg").iterdir())
    assert kept == sorted(svg_cache.key(spec, version) for spec in drawn[2:])


def test_one_page_per_claim_with_exactly_one_claim_review(pages: Path) -> None:
    files = sorted(p.stem for p in pages.glob("C*.md"))
    assert files == list(checks.register())
    for name in files:
        text = (pages / f"{name}.md").read_text(encoding="utf-8")
        found = LD.findall(text)
        assert len(found) == 1, name
        review = json.loads(found[0])
        assert review["@type"] == "ClaimReview" and review["identifier"] == name
        assert text.startswith(f"# {name}: ") and "## How to cite" in text and review["url"] in text


def test_a_claim_page_shows_values_verdict_evidence_parameters_and_citation(pages: Path, records) -> None:
    text = (pages / "C22.md").read_text(encoding="utf-8")
    record = {r["id"]: r for r in records}["C22"]
    assert f"The article says\n: {record['article_value']} " in text
    assert f"The data say\n: {record['data_value']} " in text
    assert ': <span class="verdict verdict-wrong">wrong</span> (filing claim)' in text
    assert "{ref}`provenance, licence and known doubts <data-nvidia-quarterly>`" in text
    assert "`start = 2016-01-01`, `end = 2022-12-31`" in text
    published, modified = release.claim_dates("C22")
    assert f"first published {published}, last changed {modified}" in text
    assert "## Verdict over time" not in text  # a filing: its verdict does not depend on the day


def test_a_date_bound_claim_page_draws_its_verdict_over_time_with_its_csv(pages: Path, history) -> None:
    text = (pages / "C04.md").read_text(encoding="utf-8")
    assert "## Verdict over time" in text
    assert 'href="../chapters/data/verdict-over-time-C04.csv"' in text
    assert 'class="goldrush-chart"' in text and 'data-spec="../chapters/data/verdict-over-time-C04.chart.json"' in text
    for span in timeline.periods(history["C04"]).itertuples():
        assert f"| {span.verdict} | {span.first} | {span.last} | {span.dates} |" in text


def test_an_unchanged_rebuild_changes_no_page(pages: Path) -> None:
    before = {p.name: p.stat().st_mtime_ns for p in pages.iterdir()}
    assert claimpages.generate() == 0
    assert {p.name: p.stat().st_mtime_ns for p in pages.iterdir()} == before


def test_parts_of_a_compound_claim_are_listed(records) -> None:
    record = copy.deepcopy(records[21])
    record["parts"] = [
        {"label": "revenue $59.3bn", "verdict": "wrong", "why": "10x the filed figure"},
        {"label": "net income down 72%", "verdict": "accurate", "why": "as filed"},
    ]
    text = claimpages.claim_page(record)
    assert "## Each part of the claim" in text
    assert "| revenue $59.3bn | wrong | 10x the filed figure |" in text


def test_missing_claims_json_is_a_clear_error(tmp_path, monkeypatch) -> None:
    from goldrush.errors import GoldrushError

    monkeypatch.setattr(claimpages, "published", lambda: tmp_path)
    with pytest.raises(GoldrushError, match="claims.json is missing: run `goldrush book`"):
        claimpages.generate()


def test_exercise_and_solution_ids_become_unique() -> None:
    document = new_document("test", get_default_settings(Parser))
    for label in ("ex-one", "ex-two", None):
        box = nodes.container(ids=[label] if label else [])
        box += nodes.section(ids=["exercise-content"])
        box += nodes.section(ids=["solution-content"])
        document += box
    sphinx_ids.unique_ids(None, document, "test")
    ids = [i for section in document.findall(nodes.section) for i in section["ids"]]
    assert len(ids) == len(set(ids)) == 6
    assert "ex-one-content" in ids and "exercise-content-1" in ids and "exercise-content" not in ids
