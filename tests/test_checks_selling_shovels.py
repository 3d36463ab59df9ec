"""Chapter 4's tables and claim checks, with figures from the sources, and how they move with as_of."""

from __future__ import annotations

import dataclasses
from datetime import date

import pandas as pd
import pytest

from goldrush import checks, tables
from goldrush.analysis import selling_shovels as shovels
from goldrush.checks import Verdict
from goldrush.checks import selling_shovels as checks_shovels
from goldrush.errors import GoldrushError

CLAIMS = [f"C{n}" for n in range(30, 41)]


def by_id(ctx: checks.Context) -> dict[str, checks.Finding]:
    return {f.claim_id: f for f in checks.evaluate(CLAIMS, ctx)}


def test_verdicts_on_the_article_day(article_day: checks.Context) -> None:
    found = by_id(article_day)
    assert {k: f.verdict for k, f in found.items()} == {
        "C30": Verdict.ACCURATE,
        "C31": Verdict.UNVERIFIABLE,
        "C32": Verdict.OPINION,
        "C33": Verdict.ACCURATE,
        "C34": Verdict.ACCURATE,
        "C35": Verdict.UNVERIFIABLE,  # "largest in US market history": only three stocks in the data
        "C36": Verdict.ACCURATE,  # demand grew; the Jevons reading is an opinion part
        "C37": Verdict.ACCURATE,  # above the consensus; "well" is a characterisation
        "C38": Verdict.UNVERIFIABLE,  # a quotation with no record in the data
        "C39": Verdict.ACCURATE,
        "C40": Verdict.UNVERIFIABLE,  # a private figure
    }
    assert found["C30"].data_value == "2022-11"
    assert found["C31"].data_value == "70-95"
    assert found["C34"].data_value == pytest.approx(5.576)
    # data/market/SOURCES.md: 118.419998 / 142.619995 - 1 = -16.97 %; shares 24.49 bn (10-Q cover, 2024-11-15)
    assert found["C35"].data_value == pytest.approx((142.619995 - 118.419998) * 24.49, abs=0.1)
    assert "-16.97%" in found["C35"].why and "ranks 1 of" in found["C35"].why
    # data/macro/SOURCES.md: about $1.4T, components sum to $1,395B, "nearly triple" about $485B
    assert found["C33"].data_value == pytest.approx(1.4)
    assert "$1,395bn" in found["C33"].why and "2.9x its $485bn" in found["C33"].why
    # nvidia_claim_sources C37a: 35,580 actual vs about 34,000 consensus, a beat of about 4.6%
    assert found["C37"].data_value == 35580 and "+4.6%" in found["C37"].why
    assert found["C36"].data_value == pytest.approx((51215 / 35580 - 1) * 100, abs=0.1)
    assert found["C39"].data_value == pytest.approx(2.38, abs=0.01)
    assert found["C32"].why == checks.register()["C32"].uncheckable
    for claim_id in ("C38", "C40"):
        assert "What would decide it:" in found[claim_id].why
    # C35: both figures are right, the ranking cannot be decided; the share-count band flips nothing
    assert [p.verdict for p in found["C35"].parts] == [Verdict.ACCURATE, Verdict.ACCURATE, Verdict.UNVERIFIABLE]
    assert not found["C35"].band["flips"]
    assert found["C36"].parts[1].verdict is Verdict.OPINION


def test_verdicts_recomputed_before_the_february_results() -> None:
    found = by_id(checks.AsOfContext(as_of=date(2025, 2, 25), since=date(2022, 11, 30)))
    for claim_id in ("C33", "C36", "C37", "C39"):
        assert found[claim_id].verdict is Verdict.UNVERIFIABLE, claim_id
    assert found["C35"].parts[0].verdict is Verdict.ACCURATE
    assert "had not yet happened on 2025-02-25" in found["C37"].why
    assert all(f.parameters["as_of"] == "2025-02-25" for f in found.values())


def test_deepseek_day_ranks(article_day: checks.Context) -> None:
    day = shovels.deepseek_day(article_day)
    assert day["change"] == pytest.approx(118.419998 / 142.619995 - 1)
    assert day["rank_usd"] == 1 and day["rank_pct"] > 1
    assert tables.describe_day(day)["change"] == "-16.97%"
    losses = shovels.one_day_losses(article_day)
    assert set(losses["company"]) == {"NVIDIA", "Apple", "Microsoft"}
    assert (losses.iloc[0]["company"], losses.iloc[0]["date"]) == ("NVIDIA", shovels.DEEPSEEK_DAY)


def test_a_new_share_count_is_not_a_gain_or_a_loss() -> None:
    caps = pd.DataFrame(
        {"date": pd.date_range("2025-01-01", periods=3), "close": [10.0, 10.0, 9.0], "shares_outstanding": [100, 200, 200]}
    )
    changes = shovels.daily_value_changes(caps)
    assert list(changes["value_change"]) == [0.0, -200.0]


def test_quarters_are_placed_by_their_middle_day(article_day: checks.Context) -> None:
    capex = shovels.hyperscaler_quarters(article_day)
    raw = article_day.load("hyperscaler_capex").dropna(subset=["calendar_quarter", "capex_musd"])
    merged = raw.merge(capex, on=["ticker", "fiscal_period"])
    assert len(merged) == (raw["period_end"] <= pd.Timestamp(article_day.as_of)).sum() > 80
    assert (merged["quarter"].astype(str) == merged["calendar_quarter"]).all()
    oracle = capex[capex["ticker"] == "ORCL"].set_index("fiscal_period")["quarter"].astype(str)
    assert oracle["FY2026 Q1"] == "2025Q3"  # June-August 2025
    nvidia = shovels.nvidia_quarters(article_day).set_index("fiscal")["quarter"].astype(str)
    assert nvidia["FY2025 Q4"] == "2024Q4" and nvidia["FY2026 Q3"] == "2025Q3"


def test_capex_comparison_uses_complete_quarters_only(article_day: checks.Context) -> None:
    capex = shovels.complete_quarters(shovels.hyperscaler_quarters(article_day))
    assert str(capex["quarter"].min()) == "2020Q4"  # Meta and Microsoft have gaps in 2020Q2-Q3
    assert (capex.groupby("quarter")["ticker"].nunique() == 5).all()
    both = shovels.capex_vs_data_center(article_day)
    assert str(both["quarter"].iloc[-1]) == "2025Q3" and both["data_center"].iloc[-1] == 51215
    with pytest.raises(LookupError, match="Meta"):
        shovels.capex_in_years(shovels.hyperscaler_quarters(article_day), 2020, 2020)


def test_forecast_comparison_sums_the_filings(article_day: checks.Context) -> None:
    table = shovels.forecast_comparison(article_day)
    # data/macro/SOURCES.md annual sums: Alphabet 31,485 + 32,251 + 52,535; Amazon 63,645 + 52,729 + 82,999
    assert table.loc["Alphabet", "2022-2024 ours"] == pytest.approx(116.271)
    assert table.loc["Amazon", "2022-2024 ours"] == pytest.approx(199.373)
    assert table.loc["Meta", "2024 ours"] == pytest.approx(37.256)  # Meta 2024 net 37,256
    assert table.loc["Total", "GS 2025-2027"] == pytest.approx(1395)
    assert pd.isna(table.loc["Total", "GS 2024"])  # GS charts 2024 for three companies only


def test_graded_rules_follow_the_register(article_day: checks.Context) -> None:
    claim = checks.register()["C37"]
    # a consensus above the reported revenue turns "more than" into wrong
    assert checks_shovels.data_center_beat(claim, article_day).band["flips"] is False
    share = checks.register()["C31"]
    assert checks_shovels.share_estimate(dataclasses.replace(share, article_value=60), article_day).verdict is Verdict.ACCURATE
    assert checks_shovels.share_estimate(dataclasses.replace(share, article_value=95), article_day).verdict is Verdict.WRONG


def test_chapter_dates_are_refused_before_any_kernel_starts() -> None:
    with pytest.raises(
        GoldrushError, match=r"--as-of 2024-12-31 is outside the snapshot's data for this chapter: use a date from 2025-01-27 to"
    ):
        checks.context("selling-shovels", as_of="2024-12-31")
    with pytest.raises(GoldrushError, match=r"--since 2010-01-04 is outside .* use a date from 2016-05-02 to"):
        checks.context("selling-shovels", since="2010-01-04")


def test_register_marks_what_data_cannot_decide() -> None:
    register = checks.register()
    for claim_id in CLAIMS:
        claim = register[claim_id]
        assert (claim.check is None) == (claim_id in {"C32", "C38", "C40"}), claim_id
        assert (claim.would_decide is None) == (
            claim.kind in {"opinion"} or claim.check is not None and claim_id not in {"C31", "C35"}
        ), claim_id
        assert (claim.uncheckable is not None) == (claim.check is None), claim_id
