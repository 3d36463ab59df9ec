"""The method every check is built from: precision, qualifiers, compound parts, bands, time, wording."""

from __future__ import annotations

import pytest

from goldrush import checks, method
from goldrush.errors import GoldrushError
from goldrush.method import Band, Verdict, grade


@pytest.mark.parametrize(
    ("said", "data", "qualifier", "expected"),
    [
        (26.9, 26.914, "", Verdict.ACCURATE),  # rounds to the stated figure
        (2, 2.38, "about", Verdict.ACCURATE),  # "about two years": 2.38 rounds to 2
        (103, 107, "", Verdict.ACCURATE),  # within the 5% tolerance
        (103, 112, "", Verdict.ROUGHLY_RIGHT),  # within twice it
        (103, 115, "", Verdict.WRONG),
        (100, 140, "", Verdict.ACCURATE),  # "100" is stated to the hundred
        (12, 11.99, "more than", Verdict.WRONG),  # a bound the data miss is wrong, however close
        (12, 12.23, "more than", Verdict.ACCURATE),
        (15000, 12272, "under", Verdict.ACCURATE),
        (50, 66, "almost", Verdict.WRONG),  # "almost half" of a 66% fall overshoots
        (50, 49, "almost", Verdict.ACCURATE),
        (48, 45, "almost", Verdict.ROUGHLY_RIGHT),
    ],
)
def test_quantities_follow_precision_and_qualifiers(said: float, data: float, qualifier: str, expected: Verdict) -> None:
    assert grade(said, data, 0.05, qualifier) is expected


def test_precision_is_the_last_stated_digit() -> None:
    assert [method.precision(v) for v in (26.9, 589, 60000, 5.576, 24300000000)] == [0.1, 1, 10000, 0.001, 1e8]


def test_worst_part_decides_and_opinion_parts_do_not() -> None:
    assert method.worst(Verdict.ACCURATE, Verdict.UNVERIFIABLE) is Verdict.UNVERIFIABLE
    assert method.worst(Verdict.UNVERIFIABLE, Verdict.WRONG) is Verdict.WRONG
    assert method.worst(Verdict.ACCURATE, Verdict.OPINION) is Verdict.ACCURATE
    assert method.worst(Verdict.OPINION) is Verdict.OPINION


def test_a_band_that_flips_the_verdict_is_said() -> None:
    band = Band(4.99, 5.01, "USD trillion", "rounded share count", (Verdict.WRONG, Verdict.ACCURATE))
    assert "the verdict would be wrong" in method.band_note(band, Verdict.ACCURATE)
    assert method.band_note(Band(5.01, 5.02, "x", "r", (Verdict.ACCURATE, Verdict.ACCURATE)), Verdict.ACCURATE) == ""


def test_time_and_staleness_reasons() -> None:
    assert method.not_covered("S&P 500", "2026-01-14", "2026-03-02") == (
        "S&P 500 data end on 2026-01-14, before 2026-03-02, so the claim cannot be checked on that date.")
    limit = method.MAX_AGE["total_crypto_market_cap"]
    assert method.stale("total", "2025-10-27", "2025-10-29", limit) is None
    assert "1 day" not in (method.stale("total", "2025-08-15", "2025-10-01", limit) or "")
    assert "47 days before 2025-10-01" in (method.stale("total", "2025-08-15", "2025-10-01", limit) or "")


def test_wording_pluralises_and_formats_one_way() -> None:
    assert (method.plural(1, "deal"), method.plural(3, "deal"), method.plural(1200, "day")) == ("1 deal", "3 deals", "1,200 days")
    assert method.number(1234.5, 1) == "1,234.5"
    with pytest.raises(ValueError):
        method.number(float("nan"))


def test_a_tolerance_override_needs_a_reason(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from goldrush import paths

    text = (paths.SEEDS / "claims.yml").read_text(encoding="utf-8")
    (tmp_path / "claims.yml").write_text(text.replace("    check: selling_shovels.one_to_five_trillion\n",
                                                      "    check: selling_shovels.one_to_five_trillion\n    tolerance: 0.25\n"))
    monkeypatch.setattr(paths, "SEEDS", tmp_path)
    checks.register.cache_clear()
    try:
        with pytest.raises(GoldrushError, match="claim C39 overrides its tolerance without a reason"):
            checks.register()
        (tmp_path / "claims.yml").write_text(text.replace("    check: selling_shovels.one_to_five_trillion\n",
                                                          "    check: selling_shovels.one_to_five_trillion\n    tolerance: 0.25\n"
                                                          "    reason: a test reason\n"))
        checks.register.cache_clear()
        finding = checks.evaluate(["C39"], checks.AsOfContext())[0]
        assert finding.reason == "Tolerance 25% instead of 5%: a test reason"
    finally:
        checks.register.cache_clear()


def test_every_verdict_and_kind_is_defined() -> None:
    assert set(method.DEFINITIONS) == set(Verdict)
    assert {c.kind for c in checks.register().values()} <= set(method.KINDS)
    assert set(method.TOLERANCE) <= set(method.KINDS)
