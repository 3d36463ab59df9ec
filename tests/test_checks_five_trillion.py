"""Chapter 1's claim checks, with figures from the sources, and how they move with as_of."""

from __future__ import annotations

from datetime import date

import pytest

from goldrush import checks
from goldrush.checks import Verdict


def by_id(ctx: checks.Context) -> dict[str, checks.Finding]:
    return {f.claim_id: f for f in checks.evaluate(["C01", "C02", "C03", "C04", "C05", "C39"], ctx)}


def at(as_of: date, since: date = date(2022, 11, 30)) -> checks.AsOfContext:
    return checks.AsOfContext(as_of=as_of, since=since)


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
    # compound parts are all shown; the share-count rounding band does not flip C01 (5.021-5.041T)
    assert [p.verdict for p in found["C01"].parts] == [Verdict.ACCURATE, Verdict.ACCURATE]
    assert found["C01"].band["low"] == pytest.approx(207.039993 * 24.25e9 / 1e12) and not found["C01"].band["flips"]
    assert found["C03"].parts[1].verdict is Verdict.OPINION  # the causal reading does not decide


def test_verdicts_recomputed_for_an_earlier_day() -> None:
    found = by_id(at(date(2025, 7, 10)))
    assert found["C01"].verdict is Verdict.UNVERIFIABLE and found["C01"].data_value == pytest.approx(4.004)
    assert found["C05"].verdict is Verdict.WRONG
    assert found["C39"].verdict is Verdict.UNVERIFIABLE
    assert found["C04"].verdict is Verdict.ACCURATE and "CoinGecko, 2025-07-10" in found["C04"].why
    assert all(f.parameters["as_of"] == "2025-07-10" for f in found.values())


def test_crypto_comparison_inside_the_data_gap_is_unverifiable() -> None:
    found = by_id(checks.AsOfContext(as_of=date(2025, 10, 1), since=date(2022, 11, 30)))
    assert found["C04"].verdict is Verdict.UNVERIFIABLE
    assert "dated 2025-08-15, 47 days before 2025-10-01" in found["C04"].why and found["C04"].rule == "staleness"


def test_when_crypto_was_bigger_the_claim_is_wrong() -> None:
    found = by_id(checks.AsOfContext(as_of=date(2021, 11, 8), since=date(2020, 1, 2)))
    assert found["C04"].verdict is Verdict.WRONG and found["C04"].data_value < 1


def test_a_bound_the_data_miss_is_wrong_not_roughly_right() -> None:
    # on 2025-07-10 the price had risen about 9.6-fold since ChatGPT: "more than twelvefold" is missed
    found = by_id(at(date(2025, 7, 10)))
    assert found["C02"].data_value < 12 and found["C02"].verdict is Verdict.WRONG


def test_market_value_past_the_last_share_count_is_unverifiable() -> None:
    # the last share count (2025-11-14) stands for one quarter plus the filing lag; closes run to 2026-08-20
    found = by_id(at(date(2026, 8, 20)))
    for claim_id in ("C01", "C04", "C05"):
        assert found[claim_id].verdict is Verdict.UNVERIFIABLE and "2025-11-14" in found[claim_id].why
    assert found["C02"].verdict is Verdict.ACCURATE  # prices alone still cover the date


def test_sp500_data_ending_before_as_of_is_unverifiable_not_wrong() -> None:
    found = by_id(at(date(2026, 3, 2)))
    assert found["C03"].verdict is Verdict.UNVERIFIABLE
    assert "S&P 500 data end on 2026-01-14, before 2026-03-02" in found["C03"].why


def test_register_holds_forty_claims_with_known_kinds() -> None:
    from goldrush import method

    register = checks.register()
    assert list(register) == [f"C{n:02d}" for n in range(1, 41)]
    assert {c.kind for c in register.values()} <= set(method.KINDS)
    for claim in register.values():
        if claim.check:
            assert callable(checks.resolve(claim))


def test_one_claim_one_home() -> None:
    homes = {c.id: c.chapter for c in checks.register().values()}
    assert homes["C39"] == "selling-shovels"
    assert sorted(sum((checks.chapter_claims(s) for s in set(homes.values())), [])) == sorted(homes)
