"""Chapter 3's claim checks and tables, with figures from the SOURCES.md files, and how they move with end."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from goldrush import chapters, checks, params, sources, tables
from goldrush.analysis import drawing_the_line as d
from goldrush.analysis import parse_reported_date
from goldrush.checks import Verdict
from goldrush.errors import GoldrushError

IDS = ["C24", "C25", "C26", "C27", "C28", "C29"]


def window(start: str = "2017-01-01", end: str = "2025-10-31") -> checks.Context:
    return checks.WindowContext(start=date.fromisoformat(start), end=date.fromisoformat(end))


def by_id(ctx: checks.Context) -> dict[str, checks.Finding]:
    return {f.claim_id: f for f in checks.evaluate(IDS, ctx)}


def test_verdicts_in_the_week_of_the_article() -> None:
    found = by_id(window())
    assert {k: f.verdict for k, f in found.items()} == {
        "C24": Verdict.ACCURATE,
        "C25": Verdict.ACCURATE,
        "C26": Verdict.UNVERIFIABLE,  # what Huang said: no record in the data
        "C27": Verdict.ACCURATE,
        "C28": Verdict.UNVERIFIABLE,  # which machines mine bitcoin is not in the data
        "C29": Verdict.UNVERIFIABLE,  # no deal names NVIDIA hardware: not decided either way
    }
    # data/nvidia/SOURCES.md: $5.5M civil penalty, May 2022, the 10-Qs for Q2 and Q3 of fiscal 2018
    assert found["C24"].data_value == 5.5
    assert "2022-05-06" in found["C24"].why and "2 consecutive quarters of fiscal 2018" in found["C24"].why
    # data/macro/SOURCES.md: the Inception exclusion is dated only to 2025-04 and NVIDIA's page was not read
    assert found["C27"].data_value == "2025-04" and "approximate" in found["C27"].why
    # data/crypto/SOURCES.md: ether's hash rate ends 2022-09-15, 871.04 TH/s the day before
    assert "2022-09-15" in found["C28"].why and "871 TH/s" in found["C28"].why
    assert found["C25"].data_value <= 1 and "September 2022" in found["C25"].why
    assert "None names NVIDIA hardware" in found["C29"].why
    assert all(f.parameters == {"start": "2017-01-01", "end": "2025-10-31", "source": "snapshot"} for f in found.values())


def test_data_centre_share_is_computed_from_the_last_quarter() -> None:
    finding = by_id(window())["C26"]
    last = d.gaming_window(window()).iloc[-1]
    assert finding.data_value == pytest.approx(round(last.data_center / last.revenue * 100, 1))
    assert last.label in finding.unit


def test_verdicts_recomputed_before_the_merge() -> None:
    found = by_id(window(end="2022-06-30"))
    assert found["C24"].verdict is Verdict.ACCURATE
    assert found["C25"].verdict is Verdict.UNVERIFIABLE and "2022-09-15" in found["C25"].why
    assert found["C27"].verdict is Verdict.UNVERIFIABLE
    assert found["C28"].verdict is Verdict.WRONG and "still mined with GPUs" in found["C28"].why
    assert found["C29"].verdict is Verdict.UNVERIFIABLE and found["C29"].data_value is None


def test_before_the_settlement_it_cannot_be_checked() -> None:
    finding = by_id(window(end="2021-12-31"))["C24"]
    assert finding.verdict is Verdict.UNVERIFIABLE and "2022-05-06" in finding.why


def test_later_deals_name_nvidia_hardware() -> None:
    found = by_id(window(end="2025-12-31"))
    # data/macro/SOURCES.md: 11 deals, IREN's Microsoft contract is for NVIDIA GB300 capacity (Nov 2025)
    assert found["C29"].verdict is Verdict.ACCURATE and found["C29"].data_value == 11
    assert "IREN" in found["C29"].why and "Bitfarms" in found["C29"].why


def test_sec_quarters_are_q2_and_q3_of_fiscal_2018() -> None:
    assert d.sec_quarters_named(window()) == (2018, [2, 3])
    table = d.sec_window(window())
    named = table[table.sec]
    assert list(named.label) == ["Q2 FY18", "Q3 FY18"]
    assert list(table.fiscal_year.unique()) == [2017, 2018, 2019]
    quarterly = d.quarters(window()).set_index(["fiscal_year", "fiscal_quarter"])
    for row in named.itertuples():
        year_ago = quarterly.loc[(row.fiscal_year - 1, row.fiscal_quarter), "gaming"]
        assert row.gaming_yoy == pytest.approx(row.gaming / year_ago - 1)


def test_cmp_quarters_add_up_to_the_10k_total() -> None:
    table = d.cmp_quarters(window())
    # data/nvidia/SOURCES.md: Q1-Q4 FY22 CMP $155M, $266M, $105M, $24M; FY22 total $550M; nominal in FY23
    assert list(table.cmp.dropna()) == [155, 266, 105, 24]
    assert table.cmp.sum() == float(d.filing_figure(window(), "C14x").source_value) == 550
    assert table[table.fiscal_year == 2023].cmp.isna().all() and len(table) == 8
    assert list(tables.describe_cmp(table)["CMP (USD m)"].iloc[4:]) == ["not reported"] * 4


def test_quarters_span_their_fiscal_periods() -> None:
    q = d.quarters(window())
    assert (q.period_start.iloc[1:].values == (q.period_end.shift().iloc[1:] + pd.Timedelta(days=1)).values).all()
    assert (q.period_start < q.period_end).all()


def test_merge_quarter_is_marked() -> None:
    games = d.gaming_window(window())
    merge = d.merge_day(window())
    assert merge == pd.Timestamp("2022-09-15")
    assert list(games[games.era == "quarter of the Merge"].label) == ["Q3 FY23"]
    assert games.period_end.max() == pd.Timestamp("2025-10-26")  # SOURCES.md: last quarter ended 2025-10-26


def test_ebay_prices_against_launch_prices() -> None:
    prices = d.ebay_vs_msrp(window()).set_index(["month", "model"])
    # data/macro/SOURCES.md: Oct 2021 RTX 3080 $1,666 and 3090 $2,737; MSRPs $699 and $1,499; 3090 peak $2,936 in Nov 2021
    assert prices.loc[(pd.Timestamp("2021-10-01"), "RTX 3080"), "ratio"] == pytest.approx(1666 / 699)
    assert prices.loc[(pd.Timestamp("2021-10-01"), "RTX 3090"), "ratio"] == pytest.approx(2737 / 1499)
    assert prices.xs("RTX 3090", level="model").ebay_usd.max() == 2936
    assert pd.Timestamp("2023-10-01") not in prices.index.get_level_values("month")  # October 2023 is missing


def test_hash_rate_figures_from_the_sources() -> None:
    rates = d.btc_hash_rate(window()).set_index("date").hash_rate_ehs
    # data/crypto/SOURCES.md: 7-day average 179.3 EH/s on 2021-05-15 and 87.6 EH/s on 2021-07-02
    assert rates[pd.Timestamp("2021-05-15")] == pytest.approx(179.3, abs=0.05)
    assert rates[pd.Timestamp("2021-07-02")] == pytest.approx(87.6, abs=0.05)
    assert rates.index.max() <= pd.Timestamp("2025-10-31")


def test_eth_proof_of_work_ends_at_the_merge() -> None:
    end = d.eth_pow_end(window())
    assert list(end.date) == [pd.Timestamp("2022-09-14"), pd.Timestamp("2022-09-15")]
    assert list(end.hash_rate_ths.round(2)) == [871.04, 213.62]


def test_changes_over_a_window() -> None:
    rates = pd.DataFrame({"date": pd.date_range("2024-01-01", periods=5, freq="10D"), "hash_rate_ehs": [1.0, 2, 4, 8, 16]})
    changes = d.changes_over(rates, 20)
    assert list(changes.change) == [3.0, 3.0, 3.0]
    assert changes.date.max() == pd.Timestamp("2024-01-21")


def test_deals_flags_and_dates() -> None:
    deals = d.ai_deals(window(end="2025-12-31")).set_index(["company", "date"])
    # data/macro/SOURCES.md: cumulative Core Scientific $8.7B and TeraWulf $6.7B; Bitfarms' $128M is equipment
    assert deals.loc[("Core Scientific", "2024-10-22"), "flag"] == "cumulative value"
    assert deals.loc[("TeraWulf", "2025-08-18"), ["flag", "value_bn"]].tolist() == ["cumulative value", 6.7]
    assert deals.loc[("Bitfarms", "2025-11-13"), ["flag", "value_bn"]].tolist() == ["equipment deal", 0.128]
    unverified = deals[deals.unverified].reset_index()
    assert list(unverified.company) == ["Core Scientific", "Core Scientific"]
    assert list(unverified.precision) == ["year", "month"]
    table = tables.describe_deals(d.ai_deals(window()))
    assert list(table.index[table.index.str.contains("unverified")]) == ["2024 (unverified)", "2025-07 (unverified)"]


def test_deals_after_the_end_are_counted() -> None:
    assert d.deals_after(window()) == 3
    assert d.deals_after(window(end="2025-12-31")) == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-06-03", (pd.Timestamp("2024-06-03"), "day")),
        ("2025-07 (announced on a Monday)", (pd.Timestamp("2025-07-01"), "month")),
        ("2024 (early; UNVERIFIED date)", (pd.Timestamp("2024-01-01"), "year")),
    ],
)
def test_parse_reported_date(text: str, expected: tuple[pd.Timestamp, str]) -> None:
    assert parse_reported_date(text) == expected


def test_parse_reported_date_rejects_text_without_a_date() -> None:
    with pytest.raises(ValueError):
        parse_reported_date("early 2024")


def test_chapter_parameters_follow_the_data() -> None:
    chapter = chapters.get("drawing-the-line")
    defaults = {"start": "2017-01-01", "end": "2025-10-31", "source": "snapshot"}
    assert params.validate(chapter, {}, today=date(2026, 11, 25)) == defaults
    with pytest.raises(GoldrushError, match="outside the snapshot"):
        params.validate(chapter, {"start": "2016-01-01"}, today=date(2026, 11, 25))
    with pytest.raises(GoldrushError, match="outside the snapshot"):
        params.validate(chapter, {"end": "2026-03-01"}, today=date(2026, 11, 25))
    with pytest.raises(GoldrushError, match="must be before"):
        params.validate(chapter, {"start": "2023-01-01", "end": "2022-01-01"}, today=date(2026, 11, 25))


def test_a_window_without_quarters_is_refused() -> None:
    with pytest.raises(GoldrushError, match="widen the window"):
        d.gaming_window(window(start="2025-10-27", end="2025-10-31"))


def test_every_chart_is_titled_described_and_sourced() -> None:
    from goldrush.figures import drawing_the_line as figures

    ctx, merge = window(), d.merge_day(window())
    built = [
        figures.sec_quarters(d.sec_window(ctx), store=ctx.store),
        figures.cmp_revenue(d.cmp_quarters(ctx), store=ctx.store),
        figures.gaming_merge(d.gaming_window(ctx), merge, store=ctx.store),
        figures.resale_prices(d.ebay_vs_msrp(ctx), merge, store=ctx.store),
        figures.hash_rate(d.btc_hash_rate(ctx), merge, store=ctx.store),
        figures.ai_deals(d.ai_deals(ctx), store=ctx.store),
    ]
    assert len({f.name for f in built}) == len(built)
    for figure in built:
        assert figure.title and figure.caption.startswith("Source:") and "nan" not in figure.description.lower()
    assert "$550 million" in built[1].description  # data/nvidia/SOURCES.md: FY22 CMP total


def test_a_chart_credits_the_source_it_is_given_and_refuses_to_guess_one() -> None:
    import altair as alt

    from goldrush import charts

    chart = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q").properties(title="t", description="d")
    with pytest.raises(GoldrushError, match="must name the store"):
        charts.figure(chart, "unsourced", ["nvidia_quarterly"])
    credited = charts.figure(chart, "sourced", ["nvidia_quarterly"], store=sources.Store())
    assert credited.caption.startswith("Source: NVIDIA Corporation via SEC EDGAR") and "(live)" not in credited.caption
    assert charts.figure(chart, "no-datasets", [], note="A note.").caption == "A note."


def test_charts_without_data_say_so() -> None:
    from goldrush.figures import drawing_the_line as figures

    early = window(end="2021-06-30")
    assert "No eBay prices" in figures.resale_prices(d.ebay_vs_msrp(early), d.merge_day(early), store=early.store).data
    assert "No deals" in figures.ai_deals(d.ai_deals(early), store=early.store).data
