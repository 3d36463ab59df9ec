"""Parameter validation: names, ISO dates, order and snapshot coverage."""

from __future__ import annotations

from datetime import date

import pytest

from goldrush import chapters, params
from goldrush.errors import GoldrushError

FIVE = chapters.get("five-trillion")


def test_defaults_come_from_the_notebook() -> None:
    assert FIVE.defaults() == {"as_of": "2025-10-29", "since": "2022-11-30", "source": "snapshot"}
    assert params.validate(FIVE, {}) == FIVE.defaults()


@pytest.mark.parametrize("chapter", chapters.CHAPTERS, ids=lambda c: c.slug)
def test_defaults_are_what_papermill_reads_from_the_parameters_cell(chapter: chapters.Chapter) -> None:
    import ast

    import papermill

    found = papermill.inspect_notebook(str(chapter.source))
    assert found and chapter.defaults() == {name: ast.literal_eval(info["default"]) for name, info in found.items()}


def test_given_values_override_defaults() -> None:
    values = params.validate(FIVE, {"as_of": "2025-07-10"})
    assert values == {"as_of": "2025-07-10", "since": "2022-11-30", "source": "snapshot"}


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"as_of": "2025-13-01"}, r"--as-of '2025-13-01' is not a date; use YYYY-MM-DD"),
        ({"as_of": "29/10/2025"}, r"is not a date"),
        ({"since": "2025-11-01"}, r"--since 2025-11-01 must be before --as-of 2025-10-29"),
        (
            {"as_of": "2026-09-01"},
            r"--as-of 2026-09-01 is outside the snapshot's data for this chapter: "
            r"use a date from 2016-02-01 to 2026-08-20; or use --source live",
        ),
        (
            {"since": "1998-01-01"},
            r"--since 1998-01-01 is outside the snapshot's data for this chapter: use a date from 1999-01-22 to 2026-01-14",
        ),
        (
            {"since": "2025-10-20"},
            r"--since 2025-10-20 to --as-of 2025-10-29 is shorter than this chapter's shortest window of 14 days",
        ),
        ({"source": "yahoo"}, r"unknown source 'yahoo'; use one of: snapshot, live"),
        ({"start": "2020-01-01"}, r"chapter 'five-trillion' takes --as-of, --since, --source; not --start"),
    ],
)
def test_bad_parameters_are_named(given: dict, message: str) -> None:
    with pytest.raises(GoldrushError, match=message):
        params.validate(FIVE, given, today=date(2026, 11, 25))


def test_future_dates_are_refused_even_for_live() -> None:
    with pytest.raises(GoldrushError, match="is in the future"):
        params.validate(FIVE, {"as_of": "2026-12-01", "source": "live"}, today=date(2026, 11, 25))


def test_unknown_chapter_lists_the_chapters() -> None:
    with pytest.raises(GoldrushError, match="unknown chapter 'six-trillion'; chapters are: five-trillion"):
        chapters.get("six-trillion")


def test_live_ranges_run_up_to_today() -> None:
    bounds = FIVE.bounds("live", today=date(2026, 11, 25))
    assert bounds["as_of"] == (date(2016, 2, 1), date(2026, 11, 25))
    assert params.validate(FIVE, {"as_of": "2026-11-20", "source": "live"}, today=date(2026, 11, 25))["as_of"] == "2026-11-20"


def test_every_chapter_declares_its_ranges_from_data() -> None:
    for chapter in chapters.CHAPTERS[:4]:
        assert set(chapter.ranges) == set(chapter.window) and chapter.datasets and chapter.claims()
        for lo, hi in chapter.bounds().values():
            assert lo < hi
    # chapter 4 starts at the DeepSeek sell-off recorded in events; chapter 2's shortest window holds a quarter
    assert chapters.get("selling-shovels").bounds()["as_of"][0] == date(2025, 1, 27)
    assert chapters.get("money-printers").shortest_window() == 99


def test_ranges_are_measured_once_and_again_when_a_dataset_they_read_changes(tmp_path, monkeypatch) -> None:
    from goldrush import data, paths

    monkeypatch.setattr(paths, "ENVIRONMENT_ASSETS", tmp_path)
    measure, measured = chapters.Chapter._measure, []
    monkeypatch.setattr(chapters.Chapter, "_measure", lambda self: measured.append(self.slug) or measure(self))
    for chapter in chapters.CHAPTERS:
        assert chapter._measured() == measure(chapter)
    assert measured == [c.slug for c in chapters.CHAPTERS]
    FIVE.bounds(), FIVE.shortest_window(), params.validate(FIVE, {"as_of": "2025-07-10"})
    assert len(measured) == len(chapters.CHAPTERS)  # kept: read back, not measured
    package = data.package

    def changed(folder=None) -> dict:
        descriptor = package(folder)
        resources = [{**r, "hash": "sha256:0"} if r["name"] == "sp500_daily" else r for r in descriptor["resources"]]
        return {**descriptor, "resources": resources}

    monkeypatch.setattr(data, "package", changed)
    FIVE.bounds(), chapters.get("money-printers").bounds()
    assert measured[len(chapters.CHAPTERS) :] == ["five-trillion"]  # sp500_daily bounds chapter 1's since, not chapter 2


def test_checking_a_runs_dates_imports_no_pandas() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from goldrush import chapters, params; "
        "params.validate(chapters.get('five-trillion'), {'as_of': '2025-07-10'}); "
        "params.validate(chapters.get('fact-check'), {'chapter_params': {'money-printers': {'start': '2017-01-02'}}}); "
        "print('pandas' in sys.modules)"
    )
    for _ in range(2):  # the first may measure the ranges (with pandas) when the environment has not kept them yet
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
