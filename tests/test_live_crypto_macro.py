"""Live clients for crypto and macro data (Coin Metrics, blockchain.com, CoinGecko, World Bank, IMF).

The real client code runs against responses served locally (pytest-httpserver), with
``GOLDRUSH_<PROVIDER>_URL`` pointing at the server and a temporary HTTP cache. The fixtures in
``tests/fixtures/live/<provider>/`` have each API's documented format, trimmed to a handful of
rows; their figures were taken from ``data/`` so that they are realistic, not from a live call.
"""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from goldrush import data, live, paths
from goldrush import transforms as tf
from goldrush.live import coinmetrics, http
from goldrush.live.http import LiveError

FIXTURES = Path(__file__).parent / "fixtures" / "live"
PREFIXES = {  # provider -> path of its base URL, as in the real API
    "coinmetrics": "/v4",
    "blockchain": "",
    "coingecko": "/api/v3",
    "worldbank": "/v2",
    "imf": "/external/datamapper/api/v1",
}
CM_QUERY = {"assets": "btc", "metrics": "PriceUSD,CapMrktCurUSD,HashRate", "frequency": "1d", "page_size": "10000"}
CHART_QUERY = {"timespan": "all", "sampled": "true", "format": "json"}
# The first request each dataset makes: where a failure is injected.
FIRST = {
    "btc_daily": "/v4/timeseries/asset-metrics",
    "eth_daily": "/v4/timeseries/asset-metrics",
    "btc_hash_rate_sources": "/charts/hash-rate",
    "total_crypto_market_cap": "/api/v3/global",
    "gdp_by_country": "/v2/country/all/indicator/NY.GDP.MKTP.CD",
}
RETRIES = 2


def fixture(path: str) -> Any:
    return json.loads((FIXTURES / path).read_text(encoding="utf-8"))


def serve(server: HTTPServer) -> None:
    """Register every recorded response of these providers on ``server`` (paths as in the real APIs)."""
    page1 = fixture("coinmetrics/btc_page1.json")
    cm = "/v4/timeseries/asset-metrics"
    server.expect_request(cm, query_string=CM_QUERY | {"next_page_token": page1["next_page_token"]}).respond_with_json(
        fixture("coinmetrics/btc_page2.json")
    )
    server.expect_request(cm, query_string=CM_QUERY).respond_with_json(page1)
    server.expect_request(cm, query_string=CM_QUERY | {"assets": "eth"}).respond_with_json(fixture("coinmetrics/eth.json"))
    server.expect_request("/charts/hash-rate", query_string=CHART_QUERY | {"rollingAverage": "7days"}).respond_with_json(
        fixture("blockchain/hash-rate_7days.json")
    )
    server.expect_request("/charts/hash-rate", query_string=CHART_QUERY).respond_with_json(
        fixture("blockchain/hash-rate_1d.json")
    )
    server.expect_request("/api/v3/global").respond_with_json(fixture("coingecko/global.json"))
    server.expect_request("/v2/country/all/indicator/NY.GDP.MKTP.CD").respond_with_json(fixture("worldbank/gdp.json"))
    server.expect_request("/v2/country").respond_with_json(fixture("worldbank/countries.json"))
    for name in ("NGDPD", "indicators", "countries", "regions", "groups"):
        server.expect_request(f"/external/datamapper/api/v1/{name}").respond_with_json(fixture(f"imf/{name}.json"))


@pytest.fixture
def server(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> HTTPServer:
    """The local server, with every provider's base URL pointing at it, a fresh cache and no backoff waits."""
    monkeypatch.setattr(http, "CACHE_FILE", tmp_path / "http-cache")
    monkeypatch.setattr(http, "BACKOFF", 0.0)
    monkeypatch.setattr(http, "RETRIES", RETRIES)
    for provider, prefix in PREFIXES.items():
        monkeypatch.setenv(f"GOLDRUSH_{provider.upper()}_URL", httpserver.url_for(prefix))
    return httpserver


def hits(server: HTTPServer, path: str) -> int:
    return sum(1 for request, _ in server.log if request.path == path)


# --- good responses -------------------------------------------------------------------------


def test_btc_daily_follows_pages_and_dates_prices_like_the_snapshot(server: HTTPServer) -> None:
    serve(server)
    fetched = live.fetch("btc_daily")
    btc = fetched.frame.set_index("date")
    snapshot = data.load("btc_daily").set_index("date")
    assert hits(server, FIRST["btc_daily"]) == 2  # both pages read
    # Coin Metrics' end-of-day 2020-07-27 (page 2) is dated 2020-07-28, like CoinGecko's 00:00 UTC value
    assert btc.index.max() == pd.Timestamp("2020-07-28")
    assert btc.loc["2020-07-28", "price_usd"] == pytest.approx(snapshot.loc["2020-07-28", "price_usd"])
    # The 7-day mean of Coin Metrics' daily hash rate is blockchain.com's 7-day average in the snapshot
    # (data/crypto/SOURCES.md: the two agree, median ratio 0.999).
    assert btc.loc["2020-07-23", "hash_rate_ehs"] == pytest.approx(snapshot.loc["2020-07-23", "hash_rate_ehs"], rel=1e-6)
    assert btc.loc[:"2020-07-22", "hash_rate_ehs"].isna().all()  # fewer than 7 days: no average
    assert "CC BY-NC 4.0" in fetched.record["note"]


def test_eth_hash_rate_ends_at_the_merge(server: HTTPServer) -> None:
    serve(server)
    eth = live.fetch("eth_daily").frame.set_index("date")
    # data/crypto/SOURCES.md: the last proof-of-work value, 2022-09-15, is 213.62 TH/s (a partial day)
    assert eth.loc["2022-09-15", "hash_rate_ths"] == pytest.approx(213.62, abs=0.01)
    assert eth.loc["2022-09-16":, "hash_rate_ths"].isna().all()
    snapshot = data.load("eth_daily").set_index("date")
    assert eth.loc["2022-09-18", "price_usd"] == pytest.approx(snapshot.loc["2022-09-18", "price_usd"])


def test_an_eth_hash_rate_reported_after_the_merge_is_dropped(server: HTTPServer) -> None:
    body = fixture("coinmetrics/eth.json")
    body["data"][-1]["HashRate"] = "0"  # as Etherscan's export reports every day after the Merge
    server.expect_request(FIRST["eth_daily"]).respond_with_json(body)
    eth = live.fetch("eth_daily").frame.set_index("date")
    assert pd.isna(eth.loc["2022-09-17", "hash_rate_ths"])


def test_hash_rate_sources_has_three_series_in_eh_per_s(server: HTTPServer) -> None:
    serve(server)
    got = live.fetch("btc_hash_rate_sources")
    sources = got.frame
    assert set(sources["series"]) == {"blockchain_com_1d", "blockchain_com_7d_avg", "coinmetrics_daily"}
    snapshot = data.load("btc_hash_rate_sources").set_index(["date", "series"])["hash_rate_ehs"]
    fetched = sources.set_index(["date", "series"])["hash_rate_ehs"]
    for day, series in [
        ("2020-07-23", "blockchain_com_7d_avg"),
        ("2020-07-24", "blockchain_com_1d"),
        ("2020-07-27", "coinmetrics_daily"),
    ]:
        key = (pd.Timestamp(day), series)
        assert fetched[key] == pytest.approx(snapshot[key])
    assert "Coin Metrics" in got.record["note"]


def test_total_crypto_market_cap_is_the_history_plus_coingeckos_current_total(server: HTTPServer) -> None:
    serve(server)
    data_before = {f: f.stat().st_mtime_ns for f in paths.DATA.rglob("*") if f.is_file()}
    fetched = live.fetch("total_crypto_market_cap")
    totals = fetched.frame
    snapshot = data.load("total_crypto_market_cap")
    assert len(totals) == len(snapshot)  # the fixture's day (2025-08-14) replaces the snapshot's row
    day = totals.set_index("date").loc["2025-08-14"]
    assert day["provider"] == "CoinGecko" and "/global" in day["method"] and day["as_of_utc"] == "2025-08-14T00:00:00Z"
    # Chapter 1's comparison still finds the total of its date: CMC 3.8728 T on 2025-10-27 (SOURCES.md)
    latest = tf.last_on_or_before(totals[["date", "total_market_cap_usd"]], "2025-10-29")
    assert latest["total_market_cap_usd"] == pytest.approx(3.8728e12, rel=1e-4)
    assert "paid plan" in fetched.record["note"]
    assert data_before == {f: f.stat().st_mtime_ns for f in paths.DATA.rglob("*") if f.is_file()}  # data/ untouched


def test_gdp_rows_name_their_vintage_and_aggregates(server: HTTPServer) -> None:
    serve(server)
    gdp = live.fetch("gdp_by_country").frame
    by = gdp.set_index(["iso3", "year", "vintage"])
    imf_2025 = tf.gdp_league(gdp, 2025, "IMF WEO October 2025")
    # data/macro/SOURCES.md: IMF 2025 projections USA 30.616T, CHN 19.399T, DEU 5.014T
    assert list(imf_2025["iso3"][:3]) == ["USA", "CHN", "DEU"]
    assert imf_2025["gdp_usd"].iloc[0] == pytest.approx(30.616e12, rel=1e-4)
    assert set(imf_2025["estimate_flag"]) == {"estimate_or_projection"}
    assert tf.gdp_league(gdp, 2024, "IMF WEO October 2025")["estimate_flag"].isna().all()  # the API cannot say
    wb = gdp[gdp["vintage"] == "World Bank WDI (API, last updated 2024-10-15)"]
    assert by.loc[("USA", 2023, wb["vintage"].iloc[0]), "gdp_usd_current"] == pytest.approx(27.36e12, rel=1e-3)
    assert set(wb["year"]) == {2023}  # the not-yet-published 2025 rows (value null) are left out
    aggregates = set(gdp.loc[gdp["is_aggregate"] == 1, "iso3"])
    assert aggregates == {"WEOWORLD", "ADVEC", "WLD", "EUU"}


def test_a_later_weo_release_is_labelled_by_its_own_date(server: HTTPServer) -> None:
    indicators = fixture("imf/indicators.json")
    indicators["indicators"]["NGDPD"]["source"] = "World Economic Outlook (April 2026)"
    server.expect_request("/external/datamapper/api/v1/indicators").respond_with_json(indicators)
    serve(server)
    gdp = live.fetch("gdp_by_country").frame
    imf = gdp[gdp["series"] == "NGDPD"]
    assert set(imf["vintage"]) == {"IMF WEO April 2026"}
    assert imf.loc[imf["year"] == 2025, "estimate_flag"].isna().all()  # 2025 is before the release year


def test_a_transient_500_is_retried_and_then_served(server: HTTPServer) -> None:
    server.expect_oneshot_request("/api/v3/global").respond_with_data("busy", status=500)
    serve(server)
    assert not live.fetch("total_crypto_market_cap").frame.empty
    assert hits(server, "/api/v3/global") == 2


# --- failures: each a LiveError naming the URL and the problem ------------------------------


@pytest.mark.parametrize("dataset", sorted(FIRST))
@pytest.mark.parametrize(("status", "reason"), [(429, "Too Many Requests"), (500, "Internal Server Error")])
def test_throttling_and_server_errors_are_retried_then_named(server: HTTPServer, dataset: str, status: int, reason: str) -> None:
    server.expect_request(FIRST[dataset]).respond_with_data("try later", status=status)
    serve(server)
    with pytest.raises(
        LiveError, match=f"(?i){dataset}: .*{FIRST[dataset]}.*HTTP {status} {reason} \\(after {RETRIES} retries\\)"
    ):
        live.fetch(dataset)
    assert hits(server, FIRST[dataset]) == RETRIES + 1


@pytest.mark.parametrize("dataset", ["btc_daily", "gdp_by_country"])
def test_a_server_that_does_not_answer_in_time_is_named(
    server: HTTPServer, monkeypatch: pytest.MonkeyPatch, dataset: str
) -> None:
    monkeypatch.setattr(http, "TIMEOUT", (2, 0.2))
    monkeypatch.setattr(http, "RETRIES", 0)

    def slow(request: Request) -> Response:
        time.sleep(0.5)
        return Response("{}", content_type="application/json")

    server.expect_request(FIRST[dataset]).respond_with_handler(slow)
    with pytest.raises(LiveError, match=f"{FIRST[dataset]}.*(no answer within|ReadTimeout)"):
        live.fetch(dataset)


@pytest.mark.parametrize("dataset", sorted(FIRST))
def test_malformed_json_is_named(server: HTTPServer, dataset: str) -> None:
    server.expect_request(FIRST[dataset]).respond_with_data('{"data": [', content_type="application/json")
    serve(server)
    with pytest.raises(LiveError, match=f"{dataset}: .*{FIRST[dataset]}.*not valid JSON"):
        live.fetch(dataset)


EMPTY = {
    "btc_daily": ({"data": []}, "no rows for btc"),
    "eth_daily": ({"data": []}, "no rows for eth"),
    "btc_hash_rate_sources": ({**fixture("blockchain/hash-rate_1d.json"), "values": []}, "no points"),
    "total_crypto_market_cap": ({"data": {}}, "no 'data' object"),
    "gdp_by_country": (
        [{"page": 0, "pages": 0, "per_page": 20000, "total": 0, "sourceid": "2", "lastupdated": "2024-10-15"}, None],
        "no rows",
    ),
}


@pytest.mark.parametrize("dataset", sorted(EMPTY))
def test_an_empty_answer_is_named(server: HTTPServer, dataset: str) -> None:
    body, problem = EMPTY[dataset]
    server.expect_request(FIRST[dataset]).respond_with_json(body)
    serve(server)
    with pytest.raises(LiveError, match=f"{dataset}: .*{FIRST[dataset]}.*{problem}"):
        live.fetch(dataset)


def test_an_empty_imf_answer_is_named(server: HTTPServer) -> None:
    server.expect_request("/external/datamapper/api/v1/NGDPD").respond_with_json({"values": {"NGDPD": {}}})
    serve(server)
    with pytest.raises(LiveError, match="gdp_by_country: .*/datamapper/api/v1/NGDPD: no NGDPD values"):
        live.fetch("gdp_by_country")


def renamed(path: str, edit: Any) -> Any:
    body = copy.deepcopy(fixture(path))
    edit(body)
    return body


def _rename_price(body: dict) -> None:
    for row in body["data"]:
        row["price_usd"] = row.pop("PriceUSD")


def _rename_values(body: dict) -> None:
    body["points"] = body.pop("values")


def _rename_total(body: dict) -> None:
    body["data"]["total_mcap"] = body["data"].pop("total_market_cap")


def _rename_iso3(body: list) -> None:
    for row in body[1]:
        row["iso3"] = row.pop("countryiso3code")


def _rename_imf_values(body: dict) -> None:
    body["data"] = body.pop("values")


DRIFT = {  # dataset -> (path served, fixture, renaming, problem named)
    "btc_daily": (FIRST["btc_daily"], "coinmetrics/btc_page2.json", _rename_price, "PriceUSD in no row"),
    "btc_hash_rate_sources": (FIRST["btc_hash_rate_sources"], "blockchain/hash-rate_1d.json", _rename_values, "no 'values' list"),
    "total_crypto_market_cap": (
        FIRST["total_crypto_market_cap"],
        "coingecko/global.json",
        _rename_total,
        "no data.total_market_cap.usd",
    ),
    "gdp_by_country": (FIRST["gdp_by_country"], "worldbank/gdp.json", _rename_iso3, "countryiso3code"),
    "gdp_by_country (IMF)": ("/external/datamapper/api/v1/NGDPD", "imf/NGDPD.json", _rename_imf_values, "no values.NGDPD"),
}


@pytest.mark.parametrize("case", sorted(DRIFT))
def test_a_renamed_field_is_named_as_a_possible_api_change(server: HTTPServer, case: str) -> None:
    path, source, edit, problem = DRIFT[case]
    server.expect_request(path).respond_with_json(renamed(source, edit))
    serve(server)
    dataset = case.split()[0]
    with pytest.raises(LiveError, match=f"{dataset}: .*{path}.*{problem}"):
        live.fetch(dataset)


def test_a_changed_hash_rate_unit_is_refused(server: HTTPServer) -> None:
    body = fixture("blockchain/hash-rate_1d.json") | {"unit": "Hash Rate GH/s"}
    server.expect_request("/charts/hash-rate").respond_with_json(body)
    with pytest.raises(LiveError, match="/charts/hash-rate: unit is 'Hash Rate GH/s', expected TH/s"):
        live.fetch("btc_hash_rate_sources")


def test_a_world_bank_error_sent_with_http_200_is_named(server: HTTPServer) -> None:
    error = [{"message": [{"id": "120", "key": "Invalid value", "value": "The provided parameter value is not valid"}]}]
    server.expect_request(FIRST["gdp_by_country"]).respond_with_json(error)
    with pytest.raises(
        LiveError, match="NY.GDP.MKTP.CD: the World Bank API answered with an error \\(Invalid value: The provided"
    ):
        live.fetch("gdp_by_country")


def test_a_repeating_page_token_stops_with_an_error(server: HTTPServer) -> None:
    page = fixture("coinmetrics/btc_page1.json")
    server.expect_request(FIRST["btc_daily"]).respond_with_json(page)
    with pytest.raises(LiveError, match="next_page_token .* repeats"):
        coinmetrics.asset_metrics("btc", coinmetrics.BTC_METRICS)


# --- headers and keys ---------------------------------------------------------------------------


def test_imf_and_world_bank_requests_ask_for_json(server: HTTPServer) -> None:
    serve(server)
    live.fetch("gdp_by_country")
    asked = [(r.path, r.headers.get("Accept")) for r, _ in server.log if r.path.startswith(("/v2/", "/external/"))]
    assert len(asked) == 7 and {accept for _, accept in asked} == {"application/json"}


def test_coin_metrics_without_a_key_is_the_keyless_community_api(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOLDRUSH_COINMETRICS_URL", raising=False)
    monkeypatch.delenv(coinmetrics.KEY, raising=False)
    assert coinmetrics.endpoint() == "https://community-api.coinmetrics.io/v4/timeseries/asset-metrics"
    monkeypatch.setenv(coinmetrics.KEY, "cm-key")
    assert coinmetrics.endpoint() == "https://api.coinmetrics.io/v4/timeseries/asset-metrics"  # the keyed host
    monkeypatch.setenv("GOLDRUSH_COINMETRICS_URL", "http://127.0.0.1:1/v4")
    assert coinmetrics.endpoint() == "http://127.0.0.1:1/v4/timeseries/asset-metrics"  # the override wins


def test_a_coin_metrics_key_is_sent_as_api_key_on_every_page(server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(coinmetrics.KEY, "cm-key")
    page1 = fixture("coinmetrics/btc_page1.json")
    cm = FIRST["btc_daily"]
    keyed = CM_QUERY | {"api_key": "cm-key"}
    server.expect_request(cm, query_string=keyed | {"next_page_token": page1["next_page_token"]}).respond_with_json(
        fixture("coinmetrics/btc_page2.json")
    )
    server.expect_request(cm, query_string=keyed).respond_with_json(page1)
    fetched = live.fetch("btc_daily")
    assert [r.args.get("api_key") for r, _ in server.log] == ["cm-key", "cm-key"]
    assert "cm-key" not in fetched.record["url"]


@pytest.mark.parametrize("keyed", [False, True])
@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_coin_metrics_request_names_the_key_variable(
    server: HTTPServer, monkeypatch: pytest.MonkeyPatch, status: int, keyed: bool
) -> None:
    if keyed:
        monkeypatch.setenv(coinmetrics.KEY, "cm-key")
    server.expect_request(FIRST["btc_daily"]).respond_with_json({"error": {"type": "unauthorized"}}, status=status)
    with pytest.raises(LiveError) as caught:
        live.fetch("btc_daily")
    message = str(caught.value)
    assert "\n" not in message and f"HTTP {status}" in message and "GOLDRUSH_COINMETRICS_API_KEY" in message
    assert ("refused the key in" if keyed else "refused a request without a key") in message
    assert "cm-key" not in message
