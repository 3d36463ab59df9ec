"""Live clients for share prices (Yahoo chart API, Stooq CSV) and NVIDIA's filings (SEC companyfacts).

The real client code runs against recorded responses served locally (pytest-httpserver), with
``GOLDRUSH_<PROVIDER>_URL`` pointing at the server, a temporary HTTP cache and short backoff.
The fixtures in ``tests/fixtures/live/{yahoo,stooq,sec}/`` have each API's documented format,
trimmed to a few rows; their figures are the snapshot's (see the README there), so a good
response must reproduce the snapshot's rows.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from goldrush import data, live
from goldrush.live import http
from goldrush.live.http import LiveError

FIXTURES = Path(__file__).parent / "fixtures" / "live"
RETRIES = 2
CHART = "/v8/finance/chart/{}"
STOOQ = "/q/d/l/"
FACTS = "/api/xbrl/companyfacts/CIK0001045810.json"
SYMBOLS = {"nvda_daily": "NVDA", "aapl_daily": "AAPL", "msft_daily": "MSFT", "sp500_daily": "^GSPC"}
CHART_FILES = {"NVDA": "NVDA", "AAPL": "AAPL", "MSFT": "MSFT", "^GSPC": "GSPC"}
CONTACT = "analyst@example.org"
STOOQ_KEY = "stooq-test-key"


def fixture(path: str) -> Any:
    return json.loads((FIXTURES / path).read_text(encoding="utf-8"))


def chart(symbol: str) -> dict[str, Any]:
    return fixture(f"yahoo/chart_{CHART_FILES[symbol]}.json")


def snapshot_rows(name: str, dates: pd.Series) -> pd.DataFrame:
    frame = data.load(name)
    return frame[frame["date"].isin(dates)].reset_index(drop=True)


@pytest.fixture
def server(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> HTTPServer:
    """The local server behind Yahoo, Stooq and the SEC, with a fresh cache and near-zero backoff."""
    monkeypatch.setattr(http, "CACHE_FILE", tmp_path / "http-cache")
    monkeypatch.setattr(http, "BACKOFF", 0.001)
    monkeypatch.setattr(http, "RETRIES", RETRIES)
    for provider in ("yahoo", "stooq", "sec"):
        monkeypatch.setenv(f"GOLDRUSH_{provider.upper()}_URL", httpserver.url_for(""))
    monkeypatch.setenv("GOLDRUSH_CONTACT", CONTACT)
    monkeypatch.setenv("GOLDRUSH_STOOQ_APIKEY", STOOQ_KEY)
    return httpserver


@pytest.fixture
def release() -> Iterator[threading.Event]:
    """Set at teardown, so that a handler held back for a timeout test lets the server go."""
    event = threading.Event()
    yield event
    event.set()


def requests_to(server: HTTPServer, path: str) -> list[Request]:
    return [request for request, _ in server.log if request.path == path]


# --- share prices ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SYMBOLS))
def test_a_good_chart_response_gives_the_snapshots_rows(server: HTTPServer, name: str) -> None:
    symbol = SYMBOLS[name]
    server.expect_request(CHART.format(symbol)).respond_with_json(chart(symbol))
    fetched = live.fetch(name)
    frame = fetched.frame
    expected = snapshot_rows(name, frame["date"])
    assert len(frame) == len(chart(symbol)["chart"]["result"][0]["timestamp"]) == len(expected)
    assert frame["date"].tolist() == expected["date"].tolist()
    pd.testing.assert_frame_equal(frame, expected, rtol=1e-7)  # the snapshot keeps float32 noise: 207.039993 for 207.04
    record = fetched.record
    assert record["url"].startswith(server.url_for(CHART.format(quote(symbol))))
    assert "not dividend-adjusted" in record["note"]


def test_the_chart_request_asks_for_daily_bars_and_splits_since_the_snapshots_first_day(server: HTTPServer) -> None:
    server.expect_request(CHART.format("NVDA")).respond_with_json(chart("NVDA"))
    live.fetch("nvda_daily")
    (request,) = requests_to(server, CHART.format("NVDA"))
    first = data.load("nvda_daily")["date"].min()
    assert request.args["interval"] == "1d" and request.args["events"] == "splits"
    assert int(request.args["period1"]) == int(first.tz_localize("UTC").timestamp())


def test_yahoo_failing_falls_back_to_stooq(server: HTTPServer) -> None:
    server.expect_request(CHART.format("NVDA")).respond_with_json(
        {
            "chart": {
                "result": None,
                "error": {"code": "Not Found", "description": "No data found, symbol may be delisted"},
            }
        },
        status=404,
    )
    server.expect_request(STOOQ, query_string=None).respond_with_data(
        (FIXTURES / "stooq" / "nvda.us.csv").read_text(), content_type="text/csv"
    )
    fetched = live.fetch("nvda_daily")
    frame = fetched.frame
    expected = snapshot_rows("nvda_daily", frame["date"])
    assert len(frame) == 3 and frame["date"].tolist() == expected["date"].tolist()
    pd.testing.assert_series_equal(frame["close"], expected["close"], rtol=1e-4)  # Stooq rounds to 4 dp
    record = fetched.record
    assert record["url"].startswith(server.url_for(STOOQ)) and "s=nvda.us" in record["url"]
    assert "HTTP 404 Not Found" in record["note"] and "No data found" in record["note"]
    assert "Stooq" in record["note"]


def test_stooq_serves_the_index_too(server: HTTPServer) -> None:
    server.expect_request(CHART.format("^GSPC")).respond_with_data("Service Unavailable", status=503)
    server.expect_request(STOOQ).respond_with_data(
        (FIXTURES / "stooq" / "spx.csv").read_text(), content_type="text/csv"
    )
    frame = live.fetch("sp500_daily").frame
    expected = snapshot_rows("sp500_daily", frame["date"])
    pd.testing.assert_frame_equal(frame, expected)
    assert requests_to(server, STOOQ)[0].args["s"] == "^spx"


def test_a_transient_500_is_retried_and_then_served(server: HTTPServer) -> None:
    path = CHART.format("MSFT")
    server.expect_oneshot_request(path).respond_with_data("oops", status=500)
    server.expect_oneshot_request(path).respond_with_data("oops", status=502)
    server.expect_request(path).respond_with_json(chart("MSFT"))
    assert len(live.fetch("msft_daily").frame) == 3
    assert len(requests_to(server, path)) == 3


@pytest.mark.parametrize(("status", "reason"), [(429, "Too Many Requests"), (500, "Internal Server Error")])
def test_throttling_and_server_errors_are_retried_then_named(server: HTTPServer, status: int, reason: str) -> None:
    server.expect_request(CHART.format("NVDA")).respond_with_data("Too Many Requests", status=status)
    server.expect_request(STOOQ).respond_with_data("", status=status)
    with pytest.raises(LiveError) as caught:
        live.fetch("nvda_daily")
    message = str(caught.value)
    assert message.startswith(f"nvda_daily: {server.url_for(CHART.format('NVDA'))}?period1=")
    assert f"HTTP {status} {reason} (after {RETRIES} retries)" in message
    assert f"the Stooq fallback failed too: {server.url_for(STOOQ)}?s=nvda.us" in message
    assert len(requests_to(server, CHART.format("NVDA"))) == RETRIES + 1
    assert len(requests_to(server, STOOQ)) == RETRIES + 1


def test_a_long_retry_after_is_capped(server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http, "MAX_RETRY_AFTER", 0.05)
    server.expect_request(FACTS).respond_with_data("Slow down", status=429, headers={"Retry-After": "3600"})
    started = time.perf_counter()
    with pytest.raises(LiveError, match=r"HTTP 429 Too Many Requests \(after 2 retries\): Slow down"):
        live.fetch("nvidia_quarterly")
    assert time.perf_counter() - started < 2 and len(requests_to(server, FACTS)) == RETRIES + 1


def test_a_server_that_does_not_answer_in_time_is_named(
    server: HTTPServer, monkeypatch: pytest.MonkeyPatch, release: threading.Event
) -> None:
    monkeypatch.setattr(http, "TIMEOUT", (1, 0.2))
    monkeypatch.setattr(http, "RETRIES", 1)

    def slow(request: Request) -> Response:
        release.wait(2)
        return Response("{}", content_type="application/json")

    server.expect_request(CHART.format("AAPL")).respond_with_handler(slow)
    server.expect_request(STOOQ).respond_with_handler(slow)
    started = time.perf_counter()
    with pytest.raises(
        LiveError,
        # curl (Yahoo) counts a stall in whole seconds; requests (Stooq) to the millisecond
        match=r"no answer within 1 s \(tried 2 times\).*Stooq fallback failed too: .*no answer within 0.2 s",
    ):
        live.fetch("aapl_daily")
    assert time.perf_counter() - started < 4


def test_malformed_json_and_csv_are_named(server: HTTPServer) -> None:
    server.expect_request(CHART.format("NVDA")).respond_with_data(
        '{"chart": {"result": [', content_type="application/json"
    )
    server.expect_request(STOOQ).respond_with_data(
        'Date,Open,High,Low,Close,Volume\n2025-10-28,"193.05,203.15\n', content_type="text/csv"
    )
    with pytest.raises(
        LiveError, match=r"nvda_daily: .*/v8/finance/chart/NVDA\?.*: the response is not valid JSON; .*malformed CSV"
    ):
        live.fetch("nvda_daily")


def test_a_malformed_value_is_refused_by_validation(server: HTTPServer) -> None:
    body = chart("MSFT")
    body["chart"]["result"][0]["indicators"]["quote"][0]["volume"][1] = 1234.5  # half a share
    server.expect_request(CHART.format("MSFT")).respond_with_json(body)
    with pytest.raises(
        LiveError, match=r"msft_daily from http://.*/v8/finance/chart/MSFT\?.*column 'volume' is not a valid integer"
    ):
        live.fetch("msft_daily")


def test_an_infinite_price_is_refused(server: HTTPServer) -> None:
    text = (FIXTURES / "yahoo" / "chart_NVDA.json").read_text().replace("207.0399932861328", "Infinity")
    server.expect_request(CHART.format("NVDA")).respond_with_data(text, content_type="application/json")
    with pytest.raises(
        LiveError, match=r"nvda_daily from http://.*/v8/finance/chart/NVDA\?.*: infinite values in close"
    ):
        live.fetch("nvda_daily")


def test_an_empty_answer_is_named(server: HTTPServer) -> None:
    empty = copy.deepcopy(chart("NVDA"))
    result = empty["chart"]["result"][0]
    del result["timestamp"], result["events"]
    result["indicators"] = {"quote": [{}], "adjclose": [{}]}  # what Yahoo sends for a range without trades
    server.expect_request(CHART.format("NVDA")).respond_with_json(empty)
    server.expect_request(STOOQ).respond_with_data("No data", content_type="text/plain")
    with pytest.raises(LiveError, match=r"no daily bars since 1999-01-22; .*no CSV \(Stooq says 'No data'\)"):
        live.fetch("nvda_daily")


def test_stooqs_quota_notice_is_named(server: HTTPServer) -> None:
    server.expect_request(CHART.format("NVDA")).respond_with_data("", status=404)
    server.expect_request(STOOQ).respond_with_data("Exceeded the daily hits limit", content_type="text/plain")
    with pytest.raises(LiveError, match="Stooq says 'Exceeded the daily hits limit'"):
        live.fetch("nvda_daily")


def test_a_renamed_field_is_named_as_a_possible_api_change(server: HTTPServer) -> None:
    drifted = chart("NVDA")
    quote = drifted["chart"]["result"][0]["indicators"]["quote"][0]
    quote["closePrice"] = quote.pop("close")
    server.expect_request(CHART.format("NVDA")).respond_with_json(drifted)
    csv = (FIXTURES / "stooq" / "nvda.us.csv").read_text().replace("Close", "Zamkniecie")
    server.expect_request(STOOQ).respond_with_data(csv, content_type="text/csv")
    with pytest.raises(LiveError) as caught:
        live.fetch("nvda_daily")
    message = str(caught.value)
    assert "field 'close' missing from chart.result[0] (has the API changed?)" in message
    assert "no Close column in the CSV header" in message and "(has the format changed?)" in message


def test_an_answer_for_another_symbol_is_refused(server: HTTPServer) -> None:
    server.expect_request(CHART.format("AAPL")).respond_with_json(chart("MSFT"))
    server.expect_request(STOOQ).respond_with_data("No data")
    with pytest.raises(LiveError, match="the answer is for MSFT, not AAPL"):
        live.fetch("aapl_daily")


# --- SEC companyfacts -------------------------------------------------------------------------


def serve_sec(server: HTTPServer, facts: dict[str, Any] | None = None, nvda: dict[str, Any] | None = None) -> None:
    server.expect_request(FACTS).respond_with_json(facts or fixture("sec/companyfacts_CIK0001045810.json"))
    server.expect_request(CHART.format("NVDA")).respond_with_json(nvda or chart("NVDA"))


def test_shares_outstanding_are_put_on_todays_basis_with_yahoos_splits(server: HTTPServer) -> None:
    serve_sec(server)
    fetched = live.fetch("nvda_shares_outstanding")
    frame = fetched.frame
    snap = data.load("nvda_shares_outstanding").set_index("as_of_date")["shares_outstanding"]
    assert len(frame) == 8 and frame["as_of_date"].isin(snap.index).all()
    assert frame.set_index("as_of_date")["shares_outstanding"].equals(snap.loc[frame["as_of_date"]])
    sources = frame.set_index(frame["as_of_date"].dt.strftime("%Y-%m-%d"))["source"]
    assert "= 620,000,000 (10-K, accession 0001045810-21-000010" in sources["2021-02-19"]
    assert "x4 for the 2021-07-20 split, x10 for the 2024-06-10 split" in sources["2021-02-19"]
    assert sources["2025-02-21"].endswith("no split since")
    assert "split events" in fetched.record["note"]
    (request,) = requests_to(server, FACTS)
    assert request.headers["User-Agent"] == http.user_agent() == f"GoldRush data book ({CONTACT})"


def test_the_split_factors_come_from_the_data_not_from_code(server: HTTPServer) -> None:
    nvda = chart("NVDA")
    splits = nvda["chart"]["result"][0]["events"]["splits"]
    ten_for_one = next(k for k, v in splits.items() if v["numerator"] == 10)
    del splits[ten_for_one]
    serve_sec(server, nvda=nvda)
    frame = live.fetch("nvda_shares_outstanding").frame.set_index("as_of_date")["shares_outstanding"]
    assert frame[pd.Timestamp("2024-02-16")] == 2_500_000_000  # as reported: no 10:1 split known
    assert frame[pd.Timestamp("2021-02-19")] == 620_000_000 * 4


def test_quarterly_results_match_the_snapshot_and_q4_is_the_year_minus_three_quarters(server: HTTPServer) -> None:
    serve_sec(server)
    fetched = live.fetch("nvidia_quarterly")
    frame = fetched.frame
    keys = ["fiscal_year", "fiscal_quarter"]
    snap = data.load("nvidia_quarterly").set_index(keys)
    got = frame.set_index(keys)
    assert list(got.index) == [(y, q) for y in (2022, 2023) for q in (1, 2, 3, 4)]
    expected = snap.loc[got.index]
    assert got["period_end"].equals(expected["period_end"])
    assert got["revenue"].equals(expected["revenue"])
    # the 10-K rounds the year, the releases round each quarter: a derived Q4 may differ by $1M
    for column in ("gross_profit", "net_income"):
        assert (got[column] - expected[column]).abs().max() <= 1
    assert got.loc[(2023, 4), "net_income"] == 4368 - (1618 + 656 + 680)
    assert "fiscal year (10-K 0001045810-23-000017) minus Q1-Q3" in got.loc[(2023, 4), "source"]
    # companyfacts has no revenue by platform: the snapshot's split is kept for the quarters it has
    platforms = ["gaming", "data_center", "professional_visualization", "automotive", "oem_other", "cmp"]
    assert got[platforms].equals(expected[platforms]) and got["gaming"].notna().all()
    assert "the snapshot's for the quarters it has" in fetched.record["note"]
    assert len(requests_to(server, FACTS)) == 1


def test_the_latest_filing_wins_and_the_older_revenue_concept_is_read(server: HTTPServer) -> None:
    facts = fixture("sec/companyfacts_CIK0001045810.json")
    gaap = facts["facts"]["us-gaap"]
    gaap["Revenues"] = gaap.pop("RevenueFromContractWithCustomerExcludingAssessedTax")
    first = gaap["Revenues"]["units"]["USD"][0]
    gaap["Revenues"]["units"]["USD"].append(
        {**first, "val": first["val"] + 7_000_000, "accn": "0001045810-23-000999", "filed": "2023-05-26"}
    )
    serve_sec(server, facts)
    frame = live.fetch("nvidia_quarterly").frame.set_index(["fiscal_year", "fiscal_quarter"])
    assert frame.loc[(2022, 1), "revenue"] == first["val"] // 1_000_000 + 7
    assert "us-gaap:Revenues (10-Q 0001045810-23-000999)" in frame.loc[(2022, 1), "source"]


def test_a_year_still_in_progress_has_no_fourth_quarter(server: HTTPServer) -> None:
    facts = fixture("sec/companyfacts_CIK0001045810.json")
    for concept in facts["facts"]["us-gaap"].values():
        concept["units"]["USD"] = [f for f in concept["units"]["USD"] if f["end"] != "2023-01-29"]
    serve_sec(server, facts)
    frame = live.fetch("nvidia_quarterly").frame
    assert frame[frame["fiscal_year"] == 2023]["fiscal_quarter"].tolist() == [1, 2, 3]


def test_requests_to_the_sec_are_spaced_to_its_rate_limit(server: HTTPServer) -> None:
    from goldrush.live import sec

    server.expect_request(FACTS).respond_with_json({})
    started = time.perf_counter()
    for page in range(4):
        http.get(server.url_for(FACTS), {"page": page}, min_interval=sec.MIN_INTERVAL)
    assert time.perf_counter() - started >= 3 * sec.MIN_INTERVAL
    assert sec.MIN_INTERVAL >= 1 / 10  # the SEC allows at most 10 requests a second


@pytest.mark.parametrize(("status", "reason"), [(429, "Too Many Requests"), (500, "Internal Server Error")])
def test_sec_throttling_and_server_errors_are_retried_then_named(server: HTTPServer, status: int, reason: str) -> None:
    server.expect_request(FACTS).respond_with_data("", status=status)
    with pytest.raises(LiveError) as caught:
        live.fetch("nvidia_quarterly")
    assert (
        str(caught.value)
        == f"nvidia_quarterly: {server.url_for(FACTS)}: HTTP {status} {reason} (after {RETRIES} retries)"
    )
    assert len(requests_to(server, FACTS)) == RETRIES + 1


def test_the_sec_not_answering_in_time_is_named(
    server: HTTPServer, monkeypatch: pytest.MonkeyPatch, release: threading.Event
) -> None:
    monkeypatch.setattr(http, "TIMEOUT", (1, 0.2))
    monkeypatch.setattr(http, "RETRIES", 0)
    server.expect_request(FACTS).respond_with_handler(lambda request: release.wait(2) and Response("{}"))
    with pytest.raises(LiveError, match=r"nvda_shares_outstanding: .*CIK0001045810.json: no answer within 0.2 s"):
        live.fetch("nvda_shares_outstanding")


def test_malformed_sec_json_is_named(server: HTTPServer) -> None:
    server.expect_request(FACTS).respond_with_data('{"cik":1045810,"facts":{"dei":', content_type="application/json")
    with pytest.raises(LiveError, match=r"CIK0001045810.json: the response is not valid JSON"):
        live.fetch("nvda_shares_outstanding")


def test_an_empty_sec_answer_is_named(server: HTTPServer) -> None:
    serve_sec(server, {"cik": 1045810, "entityName": "NVIDIA CORP", "facts": {}})
    with pytest.raises(
        LiveError, match=r"no dei:EntityCommonStockSharesOutstanding facts in shares from 10-K or 10-Q filings"
    ):
        live.fetch("nvda_shares_outstanding")
    with pytest.raises(
        LiveError, match=r"no us-gaap:RevenueFromContractWithCustomerExcludingAssessedTax or Revenues facts"
    ):
        live.fetch("nvidia_quarterly")


def test_a_renamed_sec_field_is_named_as_a_possible_api_change(server: HTTPServer) -> None:
    facts = fixture("sec/companyfacts_CIK0001045810.json")
    for fact in facts["facts"]["us-gaap"]["GrossProfit"]["units"]["USD"]:
        fact["value"] = fact.pop("val")
    serve_sec(server, facts)
    with pytest.raises(LiveError, match=r"us-gaap:GrossProfit facts have no val \(has the API changed\?\)"):
        live.fetch("nvidia_quarterly")


# --- live mode: preflight and datasets no API serves ------------------------------------------


def test_live_mode_reads_a_dataset_no_api_serves_from_the_snapshot_and_says_so() -> None:
    from goldrush import provenance, sources

    name = "aapl_msft_weighted_shares"
    assert name not in live.datasets()
    pd.testing.assert_frame_equal(sources.load(name, "live"), data.load(name))
    assert f"sha256 {data.entry(name)['hash'].removeprefix('sha256:')[:12]} (no live source)" in repr(
        provenance.box({"source": "live"}, [name])
    )


def test_a_live_store_fetches_once_and_credits_its_own_fetch(server: HTTPServer) -> None:
    import altair as alt

    from goldrush import charts, provenance, sources
    from goldrush.errors import GoldrushError

    server.expect_request(CHART.format("NVDA")).respond_with_json(chart("NVDA"))
    store = sources.Store("live")
    frame = store.load("nvda_daily")
    record = store.provenance("nvda_daily")
    assert store.load("nvda_daily") is frame and len(requests_to(server, CHART.format("NVDA"))) == 1
    assert record["source"] == "live" and record["rows"] == len(frame) > 0
    assert record["url"].startswith(server.url_for(CHART.format("NVDA")))
    assert record["providers"] == [f"{server.host}:{server.port} (live)"]
    box = repr(provenance.box({"source": "live"}, ["nvda_daily"], store))
    assert f"live, fetched {record['retrieved']} from {record['url']}" in box
    shown = alt.Chart(frame).mark_line().encode(x="date:T", y="close:Q").properties(title="t", description="d")
    caption = charts.figure(shown, "nvda-live", ["nvda_daily"], store=store).caption
    assert caption.startswith(f"Source: {server.host}:{server.port} (live) (NVIDIA (NVDA) daily share prices")
    assert len(requests_to(server, CHART.format("NVDA"))) == 1  # the box and the caption did not fetch again
    # a record belongs to the store that fetched: none is kept anywhere else
    assert sources.Store("live").fetched == {}
    with pytest.raises(GoldrushError, match="needs its fetch record"):
        sources.provenance("nvda_daily", "live")


def test_preflight_passes_when_the_providers_answer(server: HTTPServer) -> None:
    live.preflight(["nvda_daily", "nvda_shares_outstanding", "nvidia_quarterly"])


def test_preflight_fails_fast_without_a_network(monkeypatch: pytest.MonkeyPatch) -> None:
    for provider in ("yahoo", "stooq", "sec"):
        monkeypatch.setenv(f"GOLDRUSH_{provider.upper()}_URL", "http://127.0.0.1:9")  # nothing listens there
    started = time.perf_counter()
    with pytest.raises(LiveError) as caught:
        live.preflight(["nvda_daily"])
    assert time.perf_counter() - started < http.PREFLIGHT_TIMEOUT
    assert str(caught.value) == (
        "--source live needs the network, but cannot connect to 127.0.0.1:9 (Connection refused) (for nvda_daily); "
        "rerun with --source snapshot to use the embedded data"
    )


def test_the_chapter_declares_its_datasets() -> None:
    from goldrush import chapters

    found = chapters.get("five-trillion").datasets  # the declaration the live preflight reads
    assert {"nvda_daily", "nvda_shares_outstanding", "sp500_daily"} <= set(found)


def test_run_with_source_live_and_no_network_stops_before_the_notebook_runs(tmp_path: Path) -> None:
    from support import copy_repo

    root = copy_repo(tmp_path)
    env = {**os.environ, "GOLDRUSH_ROOT": str(root), "GOLDRUSH_CONTACT": CONTACT}
    env |= {f"GOLDRUSH_{p.upper()}_URL": "http://127.0.0.1:9" for client in live.clients().values() for p in client.endpoints}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "goldrush.cli", "run", "five-trillion", "--source", "live", "--no-build"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        "error: --source live needs the network, but cannot connect to 127.0.0.1:9"
    )
    assert lines[0].endswith("rerun with --source snapshot to use the embedded data")
    assert "Traceback" not in result.stdout + result.stderr and "executing" not in result.stdout
    assert not (root / "book" / "chapters" / "01_five_trillion.ipynb").exists()
    assert time.perf_counter() - started < 20


# --- keys: Stooq's apikey, the SEC's contact --------------------------------------------------


def test_stooq_gets_the_key_as_apikey_and_it_is_never_shown(server: HTTPServer) -> None:
    server.expect_request(CHART.format("NVDA")).respond_with_data("", status=404)
    server.expect_request(STOOQ).respond_with_data((FIXTURES / "stooq" / "nvda.us.csv").read_text())
    fetched = live.fetch("nvda_daily")
    (request,) = requests_to(server, STOOQ)
    assert request.args["apikey"] == STOOQ_KEY
    record = fetched.record
    assert "apikey=***" in record["url"] and STOOQ_KEY not in record["url"] + record["note"]


def test_without_a_stooq_key_the_fallback_is_skipped_on_one_line(
    server: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GOLDRUSH_STOOQ_APIKEY")
    server.expect_request(CHART.format("NVDA")).respond_with_data("", status=404)
    with pytest.raises(LiveError) as caught:
        live.fetch("nvda_daily")
    message = str(caught.value)
    assert "\n" not in message and "HTTP 404 Not Found" in message
    assert "the Stooq fallback failed too: " in message and "not asked: Stooq daily CSV" in message
    assert "needs GOLDRUSH_STOOQ_APIKEY (as the apikey query parameter): a free key from stooq.com" in message
    assert requests_to(server, STOOQ) == []


def test_stooqs_html_page_is_recognised_and_named(server: HTTPServer) -> None:
    server.expect_request(CHART.format("NVDA")).respond_with_data("", status=404)
    server.expect_request(STOOQ).respond_with_data(
        (FIXTURES / "stooq" / "no_apikey.html").read_text(), content_type="text/html"
    )
    with pytest.raises(LiveError) as caught:
        live.fetch("nvda_daily")
    assert (
        "Stooq sent an HTML page titled 'Stooq - API key required', not CSV (a missing or rejected apikey, "
        "or a robot check); check GOLDRUSH_STOOQ_APIKEY"
    ) in str(caught.value)


def test_without_a_stooq_key_the_preflight_still_passes_on_yahoo(
    server: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GOLDRUSH_STOOQ_APIKEY")
    live.preflight(["nvda_daily"])


@pytest.mark.parametrize("contact", [None, "", "goldrush", "noreply"])
def test_the_sec_needs_a_contact_before_any_request(
    server: HTTPServer, monkeypatch: pytest.MonkeyPatch, contact: str | None
) -> None:
    if contact is None:
        monkeypatch.delenv("GOLDRUSH_CONTACT")
    else:
        monkeypatch.setenv("GOLDRUSH_CONTACT", contact)
    serve_sec(server)
    with pytest.raises(LiveError) as caught:
        live.preflight(["nvidia_quarterly"])
    assert str(caught.value).startswith(
        "--source live: SEC EDGAR XBRL companyfacts needs GOLDRUSH_CONTACT (in the User-Agent header): "
        "your own e-mail address"
    )
    with pytest.raises(LiveError, match=r"^nvidia_quarterly: .*CIK0001045810.json: not asked: .*needs GOLDRUSH_CONTACT"):
        live.fetch("nvidia_quarterly")
    assert server.log == []


# --- plausibility: what parses but cannot be real -----------------------------------------------


def edited_chart(symbol: str, edit: Any) -> dict[str, Any]:
    body = chart(symbol)
    edit(body["chart"]["result"][0])
    return body


def _negative(result: dict) -> None:
    result["indicators"]["quote"][0]["open"][0] = -1.5


def _null_open(result: dict) -> None:
    result["indicators"]["quote"][0]["open"][1] = float("nan")  # (a null close is a day without trades: dropped)


def _unsorted(result: dict) -> None:
    result["timestamp"][0], result["timestamp"][1] = result["timestamp"][1], result["timestamp"][0]


def _jump(result: dict) -> None:
    result["indicators"]["quote"][0]["close"][2] *= 10


PLAUSIBILITY = {
    "negative price": (_negative, r"open is not positive \(-1.5\)"),
    "NaN open": (_null_open, r"no value in open at row 2 \(NaN or empty; the snapshot has none\)"),
    "unsorted dates": (_unsorted, r"dates out of order \(2025-10-29 before 2025-10-28\)"),
    "ten-fold jump": (
        _jump,
        r"close moves by a factor of [\d.]+ on 2025-10-30 \(more than 3 in one day, and no split explains it\)",
    ),
}


@pytest.mark.parametrize("case", PLAUSIBILITY)
def test_implausible_prices_are_refused_with_one_line(server: HTTPServer, case: str) -> None:
    edit, problem = PLAUSIBILITY[case]
    body = json.dumps(edited_chart("MSFT", edit)).replace("NaN", "null")  # Yahoo sends null for no value
    server.expect_request(CHART.format("MSFT")).respond_with_data(body, content_type="application/json")
    with pytest.raises(LiveError, match=rf"^msft_daily from http://.*/v8/finance/chart/MSFT\?.*: {problem}"):
        live.fetch("msft_daily")


def test_a_jump_that_a_split_explains_is_accepted(server: HTTPServer) -> None:
    # prices not adjusted for the 10:1 split of 2024-06-10: the close falls to a tenth that day
    def unadjusted(result: dict) -> None:
        quote = result["indicators"]["quote"][0]
        days = pd.to_datetime(result["timestamp"], unit="s", utc=True).tz_convert("America/New_York").date
        for column in ("open", "high", "low", "close"):
            quote[column] = [
                v * 10 if day < pd.Timestamp("2024-06-10").date() else v for v, day in zip(quote[column], days, strict=True)
            ]

    server.expect_request(CHART.format("NVDA")).respond_with_json(edited_chart("NVDA", unadjusted))
    frame = live.fetch("nvda_daily").frame.set_index("date")["close"]
    assert frame["2024-06-07"] / frame["2024-06-10"] == pytest.approx(10, rel=0.05)


# --- goldrush data sources ----------------------------------------------------------------------


def test_data_sources_lists_providers_endpoints_and_keys(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from goldrush import cli

    for variable in ("GOLDRUSH_STOOQ_APIKEY", "GOLDRUSH_COINMETRICS_API_KEY", "GOLDRUSH_COINGECKO_DEMO_KEY"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.delenv("GOLDRUSH_CONTACT", raising=False)
    monkeypatch.setenv("GOLDRUSH_SEC_URL", "http://127.0.0.1:1")
    assert cli.main(["data", "sources"]) == 0
    out = capsys.readouterr().out
    assert out.count("  endpoint: ") == 8
    for name in ("yahoo", "stooq", "sec", "coinmetrics", "blockchain", "coingecko", "worldbank", "imf"):
        assert f"\n{name}: " in out
    assert "stooq: Stooq daily CSV (fallback for share prices) [skipped (a fallback) until GOLDRUSH_STOOQ_APIKEY is set]" in out
    assert "sec: SEC EDGAR XBRL companyfacts [not usable until GOLDRUSH_CONTACT is set]\n  endpoint: http://127.0.0.1:1\n" in out
    assert "  GOLDRUSH_COINMETRICS_API_KEY (optional, not set): sent as the api_key query parameter" in out
    assert "  endpoint: https://community-api.coinmetrics.io/v4\n" in out
    assert "  datasets: aapl_msft_weighted_shares" not in out and "  datasets: gdp_by_country\n" in out

    monkeypatch.setenv("GOLDRUSH_CONTACT", CONTACT)
    monkeypatch.setenv("GOLDRUSH_STOOQ_APIKEY", STOOQ_KEY)
    monkeypatch.setenv("GOLDRUSH_COINMETRICS_API_KEY", "cm-key")
    assert cli.main(["data", "sources"]) == 0
    out = capsys.readouterr().out
    assert "[skipped" not in out and "not usable" not in out and out.count("[ready]") == 8
    assert "  GOLDRUSH_CONTACT (required, set)" in out and "  endpoint: https://api.coinmetrics.io/v4\n" in out
    assert STOOQ_KEY not in out and "cm-key" not in out and CONTACT not in out
