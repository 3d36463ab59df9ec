"""Recorded and generated fixtures parse the same way, and the recorder writes what this reads.

The generated fixtures (``tests/fixtures/live/<provider>/*``) are each API's documented layout
filled with the snapshot's figures. ``make record-fixtures`` (``goldrush.live.record``), run on a
machine with network access, stores one small real answer per endpoint beside them, in
``<provider>/recorded/``. Here each client parses both through a local server, and the results
must have the same columns and types. This machine has no network, so no recorded answers are
committed yet: those comparisons are skipped with a line saying so, and the recorder itself is
tested against the snapshot-derived server of ``live_responses``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import live_responses
import pandas as pd
import pytest
from support import serve

from goldrush.live import blockchain, coingecko, coinmetrics, http, imf, record, sec, stooq, worldbank, yahoo

FIXTURES = Path(__file__).parent / "fixtures" / "live"
IMF = "/external/datamapper/api/v1"
FILES = {  # request path on the local server -> fixture file, per provider
    "yahoo": {"/v8/finance/chart/NVDA": "chart_NVDA.json"},
    "stooq": {"/q/d/l/": "nvda.us.csv"},
    "sec": {f"/api/xbrl/companyfacts/CIK{sec.CIK}.json": "companyfacts_CIK0001045810.json"},
    "coinmetrics": {"/v4/timeseries/asset-metrics": "eth.json"},
    "blockchain": {"/charts/hash-rate": "hash-rate_1d.json"},
    "coingecko": {"/api/v3/global": "global.json"},
    "worldbank": {"/v2/country/all/indicator/NY.GDP.MKTP.CD": "gdp.json", "/v2/country": "countries.json"},
    "imf": {f"{IMF}/{name}": f"{name}.json" for name in ("NGDPD", "indicators", "countries", "regions", "groups")},
}


def _sec() -> pd.DataFrame:
    body, url = sec.company_facts()
    return sec._metric(body, url, sec.CONCEPTS["revenue"]).drop(columns=["frame", "fy", "fp"], errors="ignore")


PARSE: dict[str, Callable[[], pd.DataFrame]] = {  # the client's own parsing of each answer
    "yahoo": lambda: yahoo.chart("NVDA", date(1999, 1, 1)).bars,
    "stooq": lambda: stooq.daily("nvda.us", date(1999, 1, 1))[0],
    "sec": _sec,
    "coinmetrics": lambda: coinmetrics.asset_metrics("eth", coinmetrics.ETH_METRICS)[0],
    "blockchain": lambda: blockchain.hash_rate_chart({})[0],
    "coingecko": lambda: pd.DataFrame([coingecko.current_total()[0]]),
    "worldbank": lambda: worldbank.gdp(2023, 2023)[0],
    "imf": lambda: imf.gdp(2024, 2024)[0],
}


class Files(BaseHTTPRequestHandler):
    def __init__(self, *args: Any, folder: Path, files: dict[str, str], **kwargs: Any) -> None:
        self.folder, self.files = folder, files
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        name = self.files.get(urlsplit(self.path).path)
        body = (self.folder / name).read_bytes() if name and (self.folder / name).is_file() else b""
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/csv" if (name or "").endswith(".csv") else "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(autouse=True)
def settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(http, "CACHE_FILE", tmp_path / "http-cache")
    monkeypatch.setattr(http, "RETRIES", 0)
    monkeypatch.setenv("GOLDRUSH_CONTACT", "analyst@example.org")
    monkeypatch.setenv("GOLDRUSH_STOOQ_APIKEY", "stooq-test-key")


def parsed(provider: str, folder: Path, monkeypatch: pytest.MonkeyPatch) -> pd.DataFrame:
    """What the client makes of the fixtures of ``provider`` in ``folder``."""
    with serve(functools.partial(Files, folder=folder, files=FILES[provider])) as url:
        monkeypatch.setenv(f"GOLDRUSH_{provider.upper()}_URL", url + live_responses.PREFIXES[provider])
        frame = PARSE[provider]()
    assert not frame.empty
    return frame


def same_shape(recorded: pd.DataFrame, generated: pd.DataFrame) -> None:
    assert list(recorded.columns) == list(generated.columns)
    assert recorded.dtypes.astype(str).to_dict() == generated.dtypes.astype(str).to_dict()


@pytest.mark.parametrize("provider", FILES)
def test_recorded_answers_parse_like_the_generated_fixtures(provider: str, monkeypatch: pytest.MonkeyPatch) -> None:
    recorded = FIXTURES / provider / "recorded"
    generated = parsed(provider, FIXTURES / provider, monkeypatch)  # always: the generated fixture parses
    if not all((recorded / name).is_file() for name in FILES[provider].values()):
        pytest.skip(f"no recorded answer for {provider} yet: run `make record-fixtures` on a machine with network access")
    same_shape(parsed(provider, recorded, monkeypatch), generated)


@pytest.fixture
def recorded_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, list[str], list[str]]]:
    """The recorder run against the snapshot-derived server (Stooq has no key there: skipped)."""
    monkeypatch.delenv("GOLDRUSH_STOOQ_APIKEY")
    out = tmp_path / "fixtures"
    responses = live_responses.Responses()
    said: list[str] = []
    with serve(live_responses.handler(responses)) as apis:
        for provider, prefix in live_responses.PREFIXES.items():
            monkeypatch.setenv(f"GOLDRUSH_{provider.upper()}_URL", apis + prefix)
        failures = record.record(out, said.append)
    yield out, failures, said


def test_the_recorder_writes_the_layout_the_comparison_reads(
    recorded_here: tuple[Path, list[str], list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    out, failures, said = recorded_here
    assert failures == []
    assert any(line.startswith("  stooq/recorded/nvda.us.csv: skipped: ") and "GOLDRUSH_STOOQ_APIKEY" in line for line in said)
    monkeypatch.setenv("GOLDRUSH_STOOQ_APIKEY", "stooq-test-key")
    for provider in FILES.keys() - {"stooq"}:
        manifest = (out / provider / "recorded" / "RECORDED.json").read_text()
        assert '"retrieved": "' in manifest and "apikey=" not in manifest
        same_shape(parsed(provider, out / provider / "recorded", monkeypatch), parsed(provider, FIXTURES / provider, monkeypatch))
    facts = (out / "sec" / "recorded" / "companyfacts_CIK0001045810.json").read_text()
    assert "EntityCommonStockSharesOutstanding" in facts and "NetIncomeLoss" in facts
