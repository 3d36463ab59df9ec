"""Property test: every parameter set a chapter accepts runs, across its whole declared range.

Per chapter, a grid of about twenty sets (both edges, weekends, holidays, the gap in the crypto
totals, the shortest window) goes through the validator and the check code; a few go through a
full papermill run. Every claim gets a verdict from the vocabulary, none is judged on data that do
not cover the date, and no explanation has NaN, None or a "1 deals"-style plural. The test prints
which verdicts change across the grid.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import papermill
import pytest
from grid import grid

from goldrush import chapters, checks, method, transforms
from goldrush.method import MAX_AGE, Verdict

STORY = ["five-trillion", "money-printers", "drawing-the-line", "selling-shovels"]
JUDGED = {Verdict.ACCURATE, Verdict.ROUGHLY_RIGHT, Verdict.WRONG, Verdict.MISATTRIBUTED}
AS_OF_CLAIMS = {"C01", "C02", "C03", "C04", "C05", "C39"}  # claims about the chapter's as_of day
BAD_PLURAL = re.compile(r"(?<![\d.,])1 (?:[a-z]+ )?(?:deals|miners|days|closes|quarters|samples|companies)\b")
BAD_TEXT = re.compile(r"(?i:\bnan\b)|\bNone\b(?! [a-z])|\bNaT\b")  # "None names ..." is English


def uncovered(finding: checks.Finding, ctx: checks.AsOfContext) -> list[str]:
    """The datasets a finding uses that do not cover ``as_of`` (their last row on or before it is too old)."""
    missing = []
    for name in finding.evidence:
        if name in MAX_AGE and name != "nvda_shares_outstanding":
            rows = transforms.up_to(ctx.load(name), ctx.as_of)
            if rows.empty or (pd.Timestamp(ctx.as_of) - rows["date"].max()).days > MAX_AGE[name].days:
                missing.append(name)
        if name == "nvda_shares_outstanding":
            closes = transforms.up_to(ctx.load("nvda_daily"), ctx.as_of)
            caps = ctx.nvda_market_cap
            if caps.empty or caps["date"].max() < closes["date"].max():
                missing.append(name)
    return missing


@pytest.fixture(scope="module")
def seen() -> dict[str, dict[str, Counter]]:
    return {}


@pytest.mark.parametrize("slug", STORY)
def test_every_accepted_set_gets_a_verdict_from_the_method(slug: str, seen: dict) -> None:
    sets = grid(slug)
    assert len(sets) >= 15
    verdicts: dict[str, Counter] = {}
    for given in sets:
        ctx = checks.context(slug, **given)  # the validator accepts every set of the grid
        for f in checks.evaluate_chapter(slug, ctx):
            where = f"{slug} {given} {f.claim_id}"
            assert isinstance(f.verdict, Verdict), where
            assert f.why and not BAD_TEXT.search(f.why) and not BAD_PLURAL.search(f.why), (where, f.why)
            assert all(p.verdict in Verdict for p in f.parts), where
            json.dumps(f.as_record())  # findings files hold plain JSON
            if isinstance(ctx, checks.AsOfContext) and f.claim_id in AS_OF_CLAIMS and f.verdict in JUDGED:
                assert not uncovered(f, ctx), (where, f.verdict, f.why)
            verdicts.setdefault(f.claim_id, Counter())[f.verdict.value] += 1
    seen[slug] = verdicts


def test_print_which_verdicts_change_across_the_grid(seen: dict, capsys: pytest.CaptureFixture[str]) -> None:
    assert set(seen) == set(STORY)
    lines = ["", "Verdicts across each chapter's grid (claim: verdict x parameter sets)"]
    for slug in STORY:
        changing = {k: v for k, v in seen[slug].items() if len(v) > 1}
        lines.append(f"{slug}: {len(seen[slug])} claims, {len(changing)} change")
        lines += [f"  {k}: " + ", ".join(f"{v} x{n}" for v, n in c.most_common()) for k, c in sorted(changing.items())]
    with capsys.disabled():
        print("\n".join(lines))
    # dates move verdicts: at least the claims about as_of do
    assert {"C01", "C04"} <= set(k for k, c in seen["five-trillion"].items() if len(c) > 1)


def test_refused_sets_name_the_valid_range() -> None:
    chapter = chapters.get("money-printers")
    lo, hi = chapter.bounds()["start"]
    with pytest.raises(Exception, match=f"use a date from {lo} to {hi}"):
        checks.context("money-printers", start=(pd.Timestamp(lo) - pd.Timedelta(days=1)).date().isoformat())
    with pytest.raises(Exception, match="shorter than this chapter's shortest window of 99 days"):
        checks.context("money-printers", start="2021-01-01", end="2021-01-03")


@pytest.mark.parametrize(
    ("slug", "edge"),
    [("five-trillion", 0), ("selling-shovels", 1)],  # chapter 1 at its earliest edge, chapter 4 at its latest
)
def test_full_runs_at_the_edges(slug: str, edge: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chapter = chapters.get(slug)
    given = grid(slug)[edge]
    monkeypatch.setenv(checks.CHART_DIR_ENV, str(tmp_path))
    papermill.execute_notebook(str(chapter.source), str(tmp_path / chapter.notebook), parameters=given,
                               kernel_name="python3", progress_bar=False, cwd=str(chapter.source.parent))
    written = json.loads((tmp_path / f"findings-{slug}.json").read_text())
    assert written["parameters"] == {**chapter.defaults(), **given}
    assert [f["claim_id"] for f in written["findings"]] == chapter.claims()
    assert any(f["default_verdict"] for f in written["findings"])  # off the defaults, changed verdicts are marked
    assert all(f["verdict"] in {v.value for v in method.Verdict} for f in written["findings"])
    # numbers glued for the prose are plain Python values, so the markdown's format specs apply
    executed = json.loads((tmp_path / chapter.notebook).read_text())
    glued = [o["data"].get("text/plain", "") for c in executed["cells"] for o in c.get("outputs", [])
             if "scrapbook" in o.get("metadata", {})]
    assert glued and not [g for g in glued if "np." in "".join(g)]
