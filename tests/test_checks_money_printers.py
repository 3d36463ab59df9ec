"""Chapter 2's claim checks, with figures from the SOURCES.md files or recomputed from data/."""

from __future__ import annotations

import dataclasses
from datetime import date

import pandas as pd
import pytest

from goldrush import checks, sources, tables
from goldrush.analysis import money_printers as mp
from goldrush.checks import Verdict
from goldrush.checks import money_printers as checks_mp
from goldrush.errors import GoldrushError
from goldrush.figures import money_printers as figures

CLAIMS = [f"C{n:02d}" for n in range(6, 24)]


@pytest.fixture(scope="module")
def ctx() -> checks.Context:
    """Chapter 2's defaults."""
    return checks.WindowContext(start=date(2016, 1, 1), end=date(2022, 12, 31))


@pytest.fixture(scope="module")
def found(ctx: checks.Context) -> dict[str, checks.Finding]:
    return {f.claim_id: f for f in checks.evaluate(CLAIMS, ctx)}


def test_verdicts(found: dict[str, checks.Finding]) -> None:
    assert {k: f.verdict for k, f in found.items()} == {
        "C06": Verdict.UNVERIFIABLE,
        "C07": Verdict.UNVERIFIABLE,  # graphics-card prices of 2017 are not in the data
        "C08": Verdict.ACCURATE,
        "C09": Verdict.ACCURATE,
        "C10": Verdict.UNVERIFIABLE,
        "C11": Verdict.ACCURATE,
        "C12": Verdict.ACCURATE,
        "C13": Verdict.MISATTRIBUTED,
        "C14": Verdict.ACCURATE,
        "C15": Verdict.ACCURATE,
        "C16": Verdict.ACCURATE,
        "C17": Verdict.UNVERIFIABLE,  # the mine closures are not in the data
        "C18": Verdict.ACCURATE,
        "C19": Verdict.UNVERIFIABLE,  # the record does not mention mining
        "C20": Verdict.UNVERIFIABLE,
        "C21": Verdict.ACCURATE,
        "C22": Verdict.WRONG,
        "C23": Verdict.WRONG,  # the 2022 low was $112, and the fall 66%, not "almost half"
    }


def test_claims_without_data_say_why(found: dict[str, checks.Finding]) -> None:
    for claim_id in ("C06", "C20"):
        assert checks.register()[claim_id].check is None
        claim = checks.register()[claim_id]
        assert found[claim_id].why == f"{claim.uncheckable} What would decide it: {claim.would_decide}."


def test_crypto_prices_match_the_crypto_sources(found: dict[str, checks.Finding]) -> None:
    # data/crypto/SOURCES.md, verification table and "Other context"
    assert "5.96" in found["C07"].why
    assert found["C08"].data_value == 63577  # CG max 63,576.68 on 2021-04-14
    assert "2021-04-14" in found["C08"].why and "2021-03-14" in found["C08"].why and "$12,272" in found["C08"].why
    assert found["C09"].data_value == 4183  # CG max 4,182.79 on 2021-05-12
    assert "2021-05-12" in found["C09"].why and "2021-04-03" in found["C09"].why


def test_hash_rate_collapse_matches_the_crypto_sources(found: dict[str, checks.Finding]) -> None:
    collapse = mp.hash_rate_collapse(sources.load("btc_daily"))
    # data/crypto/SOURCES.md: 179.3 EH/s (2021-05-15) -> 87.6 EH/s (2021-07-02), -51%
    assert collapse["peak_date"] == pd.Timestamp("2021-05-15") and collapse["peak_ehs"] == pytest.approx(179.3, abs=0.05)
    assert collapse["trough_date"] == pd.Timestamp("2021-07-02") and collapse["trough_ehs"] == pytest.approx(87.6, abs=0.05)
    assert found["C18"].data_value == pytest.approx(-51.1)
    assert collapse["price_change"] < 0
    assert "bitcoin's hash rate fell 51%" in found["C17"].why


def test_gpu_prices_match_the_macro_sources(found: dict[str, checks.Finding]) -> None:
    # data/macro/SOURCES.md: RTX 3060 2,499 yuan; 3DCenter RTX 3060 329 -> 1,122 euros; 5,499 yuan unverified
    assert found["C10"].data_value == 2499
    assert "1,122 euros" in found["C10"].why and "list price of 329" in found["C10"].why
    assert "no street price from China" in found["C10"].why


def test_events_match_the_events_record(found: dict[str, checks.Finding]) -> None:
    assert found["C11"].data_value == 50
    assert "2021-02-18" in found["C11"].why and "2021-05-19" in found["C11"].why and "unverified" in found["C11"].why
    assert found["C12"].data_value == 24  # Q4 FY22 CMP (data/nvidia/SOURCES.md)
    assert "$155M, $266M, $105M, $24M" in found["C12"].why
    assert (found["C17"].data_value, found["C19"].data_value, found["C21"].data_value) == (
        "2021-05-21",
        "2021-09-24",
        "2022-09-15",
    )
    assert "PBoC" in found["C19"].why  # the record's caveat travels with the verdict
    assert "ends on 2022-09-15" in found["C21"].why
    assert [p.verdict for p in found["C17"].parts] == [Verdict.ACCURATE, Verdict.UNVERIFIABLE]


def test_a_date_the_events_record_contradicts_is_wrong(ctx: checks.Context) -> None:
    moved = dataclasses.replace(checks.register()["C17"], article_value="2021-05-25")
    finding = checks_mp.china_crackdown(moved, ctx)
    assert finding.verdict is Verdict.WRONG  # a wrong part outweighs an unverifiable one
    assert (finding.parts[0].said, finding.parts[0].data, finding.parts[0].verdict) == ("2021-05-25", "2021-05-21", Verdict.WRONG)


def test_nvidia_filings_match_the_nvidia_sources(found: dict[str, checks.Finding]) -> None:
    # data/nvidia/SOURCES.md and nvidia_claim_sources.csv
    assert found["C13"].data_value == 25 and "Jon Peddie Research" in found["C13"].why
    assert "$155M or 2.7% of its $5,661M" in found["C13"].why
    assert found["C14"].data_value == 155 and "2021-02-01 to 2021-05-02" in found["C14"].why
    assert found["C15"].data_value == pytest.approx(26.914)
    assert "$16,675M" in found["C15"].why and "61.4%" in found["C15"].why and "$550M" in found["C15"].why


def test_q3_fy2023_scale_errors_are_shown(found: dict[str, checks.Finding]) -> None:
    # nvidia_claim_sources.csv: revenue 5,931 (vs 7,103, -16.5%), net income 680 (vs 2,464, -72.4%)
    c22 = found["C22"]
    assert c22.data_value == pytest.approx(5.931)
    assert "$5,931M" in c22.why and "$680M" in c22.why and "10x too large" in c22.why
    assert "-16.5%" in c22.why and "-72.4%" in c22.why and "-17% and -72%" in c22.why


def test_q3_fy2023_with_the_right_scale_would_be_accurate(ctx: checks.Context, monkeypatch: pytest.MonkeyPatch) -> None:
    refs = sources.load("nvidia_claim_sources").copy()
    refs.loc[refs["claim_id"] == "C22c", "article_value"] = 680
    monkeypatch.setitem(ctx.store.frames, "nvidia_claim_sources", refs)
    fixed = dataclasses.replace(checks.register()["C22"], article_value=5.93)
    assert checks_mp.q3_fy2023_slump(fixed, ctx).verdict is Verdict.ACCURATE


def test_market_value_and_drawdown_recomputed_from_prices(found: dict[str, checks.Finding]) -> None:
    prices = sources.load("nvda_daily")
    in_2021 = prices[prices["date"].dt.year == 2021]
    peak = in_2021.loc[in_2021["close"].idxmax()]
    # 24.8 bn shares: 620 million on the FY2021 10-K cover (2021-02-19) x40 (data/market/SOURCES.md)
    assert found["C16"].data_value == pytest.approx(peak["close"] * 24.8, abs=0.1)
    assert "2021-11-29" in found["C16"].why and "intraday" in found["C16"].why
    low = prices[prices["date"].dt.year == 2022]["close"].min()
    assert found["C23"].data_value == pytest.approx(low * 10, abs=0.01)  # 10:1 split of 2024-06-10
    assert (
        "2022-10-14" in found["C23"].why
        and "a fall of 66%" in found["C23"].why
        and "$165 or less on 2022-05-12" in found["C23"].why
    )
    # both parts are checked: the low is not near $165, and a 66% fall is not "almost half"
    assert [(p.said, p.verdict) for p in found["C23"].parts] == [("near $165.00", Verdict.WRONG), ("almost 50%", Verdict.WRONG)]


def test_drawdown_table_converts_to_the_2022_basis() -> None:
    fall = mp.drawdown(sources.load("nvda_daily"))
    table = tables.describe_drawdown(fall)
    assert mp.SPLIT_2024 == 10
    assert table.loc["2022 low close", "USD, 2022 basis"] == f"{fall['low_close'] * 10:.2f}"
    assert table.loc["change", "USD, today's basis"] == table.loc["change", "USD, 2022 basis"] == "-66.4%"


def test_year_on_year_table() -> None:
    table = tables.year_on_year(sources.load("nvidia_quarterly"), *mp.SLUMP_QUARTER)
    assert table.loc["revenue"].tolist() == ["7,103", "5,931", "-16.5%"]
    assert table.loc["net income"].tolist() == ["2,464", "680", "-72.4%"]


def test_platform_chart_does_not_double_count_cmp(ctx: checks.Context) -> None:
    quarterly = sources.load("nvidia_quarterly")
    fig = figures.platform_revenue(quarterly, pd.Timestamp(ctx.start), pd.Timestamp(ctx.end), store=ctx.store)
    sums = fig.data.groupby("quarter")["usd_m"].sum()
    totals = fig.data.groupby("quarter")["revenue"].first()
    assert (sums == totals).all() and len(sums) == 27  # Q1 FY2017 to Q3 FY2023
    cmp = fig.data[fig.data["platform"] == "CMP mining cards"].set_index("quarter")["usd_m"]
    assert cmp.sum() == 550  # FY22 CMP total (data/nvidia/SOURCES.md)


def test_events_on_charts_share_a_marker_per_day(ctx: checks.Context) -> None:
    events = mp.key_events(sources.load("events"), pd.Timestamp(ctx.start), pd.Timestamp(ctx.end))
    assert "limiter bypassed" not in set(events["label"])  # month-only date, not drawn
    days = figures.numbered(events)
    assert days["n"].tolist() == [1, 2, 3, 4, 5]
    assert days.iloc[0]["label"] == "RTX 3060 limiter and CMP mining cards"
    assert mp.key_events(sources.load("events"), pd.Timestamp("2016-01-01"), pd.Timestamp("2020-12-31")).empty


def test_close_markers_go_on_separate_rows() -> None:
    dates = pd.to_datetime(pd.Series(["2021-02-18", "2021-05-19", "2021-05-21", "2021-09-24", "2022-09-15"]))
    assert figures.marker_rows(dates, pd.Timedelta(days=100)) == [0, 1, 2, 0, 0]
    assert figures.marker_rows(dates, pd.Timedelta(days=1)) == [0, 0, 0, 0, 0]


def test_charts_outside_the_data_draw_a_placeholder() -> None:
    start, end = pd.Timestamp("2023-01-01"), pd.Timestamp("2025-12-31")
    fig = figures.eth_hash_rate(
        sources.load("eth_daily"), mp.key_events(sources.load("events"), start, end), start, end, store=sources.Store()
    )
    assert fig.description.startswith("No proof-of-work hash rate for ether")


def test_chapter_parameters_are_validated() -> None:
    with pytest.raises(GoldrushError, match="must be before"):
        checks.context("money-printers", start="2022-12-31", end="2016-01-01")
    with pytest.raises(GoldrushError, match="outside the snapshot"):
        checks.context("money-printers", start="2014-01-01", end="2022-12-31")
    assert checks.context("money-printers").parameters() == {"start": "2016-01-01", "end": "2022-12-31", "source": "snapshot"}


def test_claims_outside_the_window_are_unverifiable_not_judged() -> None:
    found = {f.claim_id: f for f in checks.evaluate(CLAIMS, checks.WindowContext(start=date(2020, 1, 1), end=date(2021, 3, 31)))}
    assert found["C07"].verdict is Verdict.UNVERIFIABLE and "starts on 2020-01-01, after the start of 2017" in found["C07"].why
    assert found["C21"].verdict is Verdict.UNVERIFIABLE and "had not yet happened on 2021-03-31" in found["C21"].why
    assert found["C11"].verdict is Verdict.ACCURATE  # the limiter (2021-02-18) is inside the window


def test_explanations_pluralise() -> None:
    from goldrush import method

    assert method.plural(1, "deal") == "1 deal" and method.plural(2, "deal") == "2 deals"
    assert method.plural(1, "deal names", "deals name") == "1 deal names"
