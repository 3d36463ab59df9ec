"""The corrections log and releases: a default build must match the released baseline, or a
correction entry must explain every verdict or data value that changed."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from goldrush import corrections, factcheck, paths, release, site
from goldrush.errors import GoldrushError


@pytest.fixture(scope="module")
def current() -> dict:
    """claims.json of a build on every chapter's default parameters."""
    return factcheck.document(factcheck.default_records())


def test_the_default_build_matches_the_release_baseline_or_a_correction_explains_it(current) -> None:
    assert corrections.baseline() is not None, "no baseline: run `make release` (or python -m goldrush.release --baseline-only)"
    missing = corrections.unexplained(current)
    assert not missing, (
        "verdicts or data values differ from the released baseline without an entry in "
        "book/corrections/corrections.yml: " + "; ".join(map(str, missing))
    )


def test_a_flipped_verdict_needs_an_entry_with_a_reason(current) -> None:
    base = copy.deepcopy(current)
    flipped = copy.deepcopy(current)
    c04 = next(c for c in flipped["claims"] if c["id"] == "C04")
    old, old_value = c04["verdict"], c04["data_value"]
    c04["verdict"], c04["data_value"] = "wrong", 0.9
    found = corrections.unexplained(flipped, base, log=[])
    assert [str(c) for c in found] == [f"C04 verdict: {old!r} -> 'wrong'", f"C04 data_value: {old_value!r} -> 0.9"]
    entry = {"claim": "C04", "field": "verdict", "old": old, "new": "wrong", "reason": "crypto total revised"}
    assert [c.field for c in corrections.unexplained(flipped, base, log=[entry])] == ["data_value"]
    assert len(corrections.unexplained(flipped, base, log=[entry | {"reason": " "}])) == 2  # a reason is required
    assert corrections.unexplained(current, base, log=[]) == []


def test_builds_on_other_dates_are_not_compared() -> None:
    assert factcheck.on_defaults({})
    assert not factcheck.on_defaults({"five-trillion": {"as_of": "2025-07-10"}})
    assert not factcheck.on_defaults({}, source="live")


def test_claim_dates_follow_the_releases() -> None:
    history = [
        {"version": "0.1.0", "date": "2026-01-10", "claims": {"C01": {"verdict": "accurate", "data_value": 5.0}}},
        {
            "version": "0.2.0",
            "date": "2026-02-10",
            "claims": {"C01": {"verdict": "accurate", "data_value": 5.0}, "C02": {"verdict": "wrong", "data_value": 1}},
        },
        {
            "version": "0.3.0",
            "date": "2026-03-10",
            "claims": {"C01": {"verdict": "wrong", "data_value": 4.0}, "C02": {"verdict": "wrong", "data_value": 1}},
        },
    ]
    assert release.claim_dates("C01", history) == ("2026-01-10", "2026-03-10")
    assert release.claim_dates("C02", history) == ("2026-02-10", "2026-02-10")
    assert release.claim_dates("C03", history) is None


def test_bump() -> None:
    assert release.bump("0.1.0", "minor") == "0.2.0"
    assert release.bump("0.2.7", "patch") == "0.2.8"
    assert release.bump("1.4.2", "major") == "2.0.0"


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch) -> Path:
    """A scratch repository root holding the files a release writes."""
    (tmp_path / "goldrush").mkdir()
    (tmp_path / "book" / "corrections").mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "goldrush"\nversion = "0.1.0"\n')
    (tmp_path / "goldrush" / "__init__.py").write_text('"""Gold Rush."""\n\n__version__ = "0.1.0"\n')
    (tmp_path / "CITATION.cff").write_text('cff-version: 1.2.0\ntitle: Gold Rush\nversion: "0.1.0"\n')
    (tmp_path / "_config.yml").write_text((paths.ROOT / "_config.yml").read_text())
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    monkeypatch.setattr(paths, "BOOK", tmp_path / "book")
    return tmp_path


def test_release_bumps_the_version_stores_the_baseline_and_dates_pending_corrections(scratch: Path, current) -> None:
    corrections.write_log([{"claim": "C04", "field": "verdict", "old": "wrong", "new": "accurate", "reason": "new data"}])
    expected = release.bump(site.version(), "minor")  # the next minor version after the package's
    version = release.release("minor", today=date(2027, 1, 15), progress=lambda _: None)
    assert version == expected
    assert f'version = "{expected}"' in (scratch / "pyproject.toml").read_text()
    assert f'__version__ = "{expected}"' in (scratch / "goldrush" / "__init__.py").read_text()
    assert f'version: "{expected}"' in (scratch / "CITATION.cff").read_text()
    baseline = json.loads((scratch / "book" / "corrections" / "baseline.json").read_text())
    assert [c["verdict"] for c in baseline["claims"]] == [c["verdict"] for c in current["claims"]]
    assert baseline["release"]["version"] == expected and baseline["release"]["date"] == "2027-01-15"
    assert release.releases()[-1]["claims"]["C01"] == {"verdict": "accurate", "data_value": pytest.approx(5.031)}
    assert corrections.entries()[0] == {
        "claim": "C04",
        "field": "verdict",
        "old": "wrong",
        "new": "accurate",
        "reason": "new data",
        "version": expected,
        "date": "2027-01-15",
    }
    assert f"| {expected} (2027-01-15) | [C04](C04.md) | verdict | wrong | accurate | new data |" in corrections.page(
        release.releases()
    )


def test_release_refuses_a_change_without_a_correction(scratch: Path, current) -> None:
    stored = copy.deepcopy(current)
    next(c for c in stored["claims"] if c["id"] == "C22")["verdict"] = "accurate"
    corrections.baseline_path().write_text(factcheck.dumps(stored))
    with pytest.raises(GoldrushError, match="C22 verdict: 'accurate' -> 'wrong'"):
        release.release("minor", progress=lambda _: None)
    assert 'version = "0.1.0"' in (scratch / "pyproject.toml").read_text()  # nothing written


def test_release_command_rejects_a_bad_part_in_one_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "goldrush.release", "--bump", "huge"], capture_output=True, text=True, cwd=paths.ROOT, check=False
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error:") and len(result.stderr.strip().splitlines()) == 1
