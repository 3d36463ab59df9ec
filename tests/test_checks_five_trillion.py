"""Chapter 1's claim checks, with figures from the sources, and how they move with as_of."""

from __future__ import annotations

from datetime import date

import pytest

from goldrush import checks
from goldrush.checks import Verdict


def by_id(ctx: checks.Context) -> dict[str, checks.Finding]:
    return {f.claim_id: f for f in checks.evaluate(["C01", "C02", "C03", "C04", "C05", "C39"], ctx)}


def test_verdicts_on_the_article_day(article_day: checks.Context) -> None:
    found = by_id(article_day)
    assert {k: f.verdict for k, f in found.items()} == {
        "C01": Verdict.ACCURATE,
        "C02": Verdict.ACCURATE,
        "C03": Verdict.ACCURATE,
        "C04": Verdict.ACCURATE,
        "C05": Verdict.ACCURATE,
        "C39": Verdict.ACCURATE,
    }
    assert found["C01"].data_value == pytest.approx(5.031)
    assert "2025-10-29" in found["C01"].why and "MSFT" in found["C01"].why
    assert found["C02"].data_value == pytest.approx(207.039993 / 16.923, abs=0.01)
    assert found["C03"].data_value == pytest.approx(6890.89)  # record close of 2025-10-28
    assert found["C04"].data_value == pytest.approx(5.031072e12 / 3872835161039.52, abs=0.01)
    assert "CoinMarketCap, 2025-10-27" in found["C04"].why
    assert found["C05"].data_value == 3 and "Germany" in found["C05"].why
    assert found["C39"].data_value == pytest.approx(2.38, abs=0.01)


def test_verdicts_recomputed_for_an_earlier_day() -> None:
    found = by_id(checks.Context(as_of=date(2025, 7, 10), since=date(2022, 11, 30)))
    assert found["C01"].verdict is Verdict.UNVERIFIABLE and found["C01"].data_value == pytest.approx(4.004)
    assert found["C05"].verdict is Verdict.WRONG
    assert found["C39"].verdict is Verdict.UNVERIFIABLE
    assert found["C04"].verdict is Verdict.ACCURATE and "CoinGecko, 2025-07-10" in found["C04"].why
    assert all(f.parameters["as_of"] == "2025-07-10" for f in found.values())


def test_crypto_comparison_inside_the_data_gap_is_unverifiable() -> None:
    found = by_id(checks.Context(as_of=date(2025, 10, 1), since=date(2022, 11, 30)))
    assert found["C04"].verdict is Verdict.UNVERIFIABLE
    assert "47 days older" in found["C04"].why


def test_when_crypto_was_bigger_the_claim_is_wrong() -> None:
    found = by_id(checks.Context(as_of=date(2021, 11, 8), since=date(2020, 1, 2)))
    assert found["C04"].verdict is Verdict.WRONG and found["C04"].data_value < 1


def test_register_holds_forty_claims_with_known_kinds() -> None:
    register = checks.register()
    assert list(register) == [f"C{n:02d}" for n in range(1, 41)]
    assert {c.kind for c in register.values()} <= {"market", "filing", "event", "estimate", "opinion"}
    for claim in register.values():
        if claim.check:
            assert callable(checks.resolve(claim))


def test_graded_vocabulary() -> None:
    assert checks.graded(100, 104, 0.05) is Verdict.ACCURATE
    assert checks.graded(100, 109, 0.05) is Verdict.ROUGHLY_RIGHT
    assert checks.graded(100, 111, 0.05) is Verdict.WRONG
