"""Derived series against the figures in data/market/SOURCES.md."""

from __future__ import annotations

import pandas as pd
import pytest

from goldrush import data
from goldrush import transforms as tf


@pytest.fixture(scope="module")
def caps() -> pd.DataFrame:
    return tf.market_cap(data.load("nvda_daily"), data.load("nvda_shares_outstanding"))


def test_market_cap_is_close_times_latest_share_count(caps: pd.DataFrame) -> None:
    day = caps.set_index("date").loc["2025-10-29"]
    assert day["shares_outstanding"] == 24_300_000_000
    assert day["shares_as_of"] == pd.Timestamp("2025-08-22")
    assert day["market_cap"] == pytest.approx(207.039993 * 24.3e9)


def test_step_series_starts_at_first_share_count(caps: pd.DataFrame) -> None:
    assert caps["date"].min() == pd.Timestamp("2016-02-01")
    assert (caps["shares_as_of"] <= caps["date"]).all()


def test_first_closes_above_each_trillion(caps: pd.DataFrame) -> None:
    crossings = tf.first_crossings(caps, [n * tf.TRILLION for n in range(1, 6)])
    found = dict(zip(crossings["threshold"] / tf.TRILLION, crossings["date"].dt.strftime("%Y-%m-%d"), strict=True))
    # the milestone table in data/market/SOURCES.md
    assert found == {1: "2023-06-13", 2: "2024-03-01", 3: "2024-06-05", 4: "2025-07-10", 5: "2025-10-29"}
    assert crossings["market_cap"].iloc[-1] / tf.TRILLION == pytest.approx(5.031, abs=5e-4)


def test_rebase_and_weekly_resample_keep_real_days() -> None:
    index = data.load("sp500_daily")
    window = tf.between(index, "2025-01-01", "2025-03-31")
    rebased = tf.rebase(window, "close", "2025-01-01")
    assert rebased.iloc[0] == 100
    weekly = tf.resample(window)
    assert set(weekly["date"]) <= set(window["date"])
    assert len(weekly) == 14  # 13 Fridays and the last day, 31 March (a partial week)
    assert weekly["date"].iloc[-1] == pd.Timestamp("2025-03-31")


def test_gdp_league_excludes_aggregates_and_ranks_nvidia_third() -> None:
    league = tf.gdp_league(data.load("gdp_by_country"), 2025, "IMF WEO October 2025")
    assert list(league["iso3"][:4]) == ["USA", "CHN", "DEU", "JPN"]
    assert league["gdp_usd"].iloc[2] == pytest.approx(5.014e12, rel=1e-3)
    assert tf.rank_against(league, 207.039993 * 24.3e9) == 3


def test_lead_changes_between_nvidia_and_crypto(caps: pd.DataFrame) -> None:
    both = tf.overlap(caps, data.load("total_crypto_market_cap"), "market_cap", "total_market_cap_usd")
    changes = tf.lead_changes(both)
    assert changes["date"].iloc[-1] == pd.Timestamp("2025-06-13")
    assert bool(changes["left_larger"].iloc[-1]) is True


def test_a_price_paid_is_set_against_the_list_price_in_its_own_currency() -> None:
    prices = pd.DataFrame(
        {
            "model": ["A", "A", "A", "A", "B"],
            "market": ["US", "DE", "US eBay", "DE shop", "US eBay"],
            "date": ["2020-09", "2020-09", "2021-05", "2021-05", "2021-05"],
            "price": [100.0, 120.0, 250.0, 180.0, 300.0],
            "currency": ["USD", "EUR", "USD", "EUR", "USD"],
            "price_type": ["msrp", "msrp", "ebay_avg", "street", "ebay_avg"],
        }
    )
    table = tf.price_vs_list(prices)
    assert table[["market", "list_price", "multiple"]].values.tolist() == [["US eBay", 100.0, 2.5], ["DE shop", 120.0, 1.5]]
    assert table["date"].tolist() == [pd.Timestamp("2021-05-01")] * 2  # B has no list price: left out
