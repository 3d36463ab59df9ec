"""Loading snapshot resources: typed frames, figures as in the sources, damage detected."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from goldrush import data, paths
from goldrush.errors import GoldrushError


def test_prices_are_typed_and_match_the_sources_verification_table() -> None:
    prices = data.load("nvda_daily").set_index("date")
    assert prices.index.dtype.kind == "M" and prices["close"].dtype == "float64"
    # split-adjusted closes as Yahoo Finance reports them (data/reference/market/README.md names the copies)
    assert prices.loc["2022-11-30", "close"] == pytest.approx(16.923)
    assert prices.loc["2025-01-27", "close"] == pytest.approx(118.419998)
    assert prices.loc["2025-10-29", "close"] == pytest.approx(207.039993)


def test_integer_columns_keep_their_gaps() -> None:
    quarters = data.load("nvidia_quarterly")
    assert str(quarters["cmp"].dtype) == "Int64"
    assert quarters["cmp"].notna().sum() == 4  # CMP was reported only in fiscal 2022
    assert quarters.set_index(["fiscal_year", "fiscal_quarter"]).loc[(2023, 3), "net_income"] == 680


def test_damaged_file_is_refused_with_its_name(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(paths.DATA, folder)
    with (folder / "crypto" / "btc_daily.csv").open("a") as handle:
        handle.write("2026-02-01,1,1,\n")
    with pytest.raises(GoldrushError, match="data/crypto/btc_daily.csv is damaged"):
        data.load("btc_daily", folder)


def test_unknown_dataset_lists_the_known_ones() -> None:
    with pytest.raises(GoldrushError, match="unknown dataset 'nvda'.*nvda_daily"):
        data.load("nvda")


def test_schema_mismatch_is_reported() -> None:
    frame = pd.DataFrame({"date": ["2025-01-01"], "price": ["x"]})
    with pytest.raises(GoldrushError, match="columns"):
        data.typed(frame, [{"name": "date", "type": "date"}, {"name": "close", "type": "number"}], "t.csv")
    with pytest.raises(GoldrushError, match="'close' is not a valid number"):
        data.typed(
            frame.rename(columns={"price": "close"}),
            [{"name": "date", "type": "date"}, {"name": "close", "type": "number"}],
            "t.csv",
        )
