"""``goldrush data refresh``: fetch, validate, stage, validate with Frictionless, swap atomically.

The fetches go to recorded responses served locally; every test works on a copy of ``data/``.
Whatever fails (the fetch, the write, the process itself), ``data/`` must keep every byte and
every hash it had.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from support import Cli, copy_repo, point_paths_at

from goldrush import data, paths, refresh, snapshot, workspace
from goldrush.errors import GoldrushError
from goldrush.live import http

FIXTURES = Path(__file__).parent / "fixtures" / "live"
CHART = "/v8/finance/chart/{}"
STOOQ = "/q/d/l/"
FACTS = "/api/xbrl/companyfacts/CIK0001045810.json"
MARKET = {"nvda_daily": "NVDA", "aapl_daily": "AAPL", "msft_daily": "MSFT", "sp500_daily": "GSPC"}


def fingerprint(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder``, by relative path."""
    return {
        f.relative_to(folder).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest()
        for f in sorted(folder.rglob("*"))
        if f.is_file()
    }


def serve_all(server: HTTPServer) -> None:
    for symbol in ("NVDA", "AAPL", "MSFT"):
        server.expect_request(CHART.format(symbol)).respond_with_data(
            (FIXTURES / f"yahoo/chart_{symbol}.json").read_bytes(), content_type="application/json"
        )
    server.expect_request(CHART.format("^GSPC")).respond_with_data(
        (FIXTURES / "yahoo/chart_GSPC.json").read_bytes(), content_type="application/json"
    )
    server.expect_request(FACTS).respond_with_data(
        (FIXTURES / "sec/companyfacts_CIK0001045810.json").read_bytes(), content_type="application/json"
    )


def provider_env(server: HTTPServer) -> dict[str, str]:
    urls = {f"GOLDRUSH_{p}_URL": server.url_for("") for p in ("YAHOO", "STOOQ", "SEC")}
    return urls | {"GOLDRUSH_CONTACT": "analyst@example.org"}  # the SEC needs a contact (goldrush.live.providers)


@pytest.fixture
def server(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> HTTPServer:
    monkeypatch.setattr(http, "CACHE_FILE", tmp_path / "http-cache")
    monkeypatch.setattr(http, "BACKOFF", 0.001)
    monkeypatch.setattr(http, "RETRIES", 1)
    for key, value in provider_env(httpserver).items():
        monkeypatch.setenv(key, value)
    return httpserver


@pytest.fixture
def target(tmp_path: Path) -> Path:
    """A copy of data/ to refresh."""
    return Path(shutil.copytree(paths.DATA, tmp_path / "repo" / "data"))


def staging_left(target: Path) -> list[Path]:
    return sorted(target.parent.glob(f"{refresh.STAGING_PREFIX}*"))


def test_a_refresh_replaces_only_the_refreshed_datasets_and_records_where_they_came_from(
    server: HTTPServer, target: Path
) -> None:
    serve_all(server)
    before = fingerprint(target)
    old = {r["name"]: r for r in data.package(target)["resources"]}
    said: list[str] = []
    assert refresh.refresh(["nvda_daily", "nvidia_quarterly"], target=target, progress=said.append) == [
        "nvda_daily",
        "nvidia_quarterly",
    ]
    after = fingerprint(target)
    changed = {path for path in after if after[path] != before.get(path)}
    assert changed == {"market/nvda_daily.csv", "nvidia/nvidia_quarterly.csv", "datapackage.json"}
    assert snapshot.verify(target) == len(old)  # every hash, row count and schema (Frictionless) holds
    new = {r["name"]: r for r in data.package(target)["resources"]}
    assert {k: v for k, v in new.items() if k not in ("nvda_daily", "nvidia_quarterly")} == {
        k: v for k, v in old.items() if k not in ("nvda_daily", "nvidia_quarterly")
    }
    prices = new["nvda_daily"]
    assert prices["rows"] == 7 and prices["bytes"] == (target / "market/nvda_daily.csv").stat().st_size
    assert prices["retrieved"] == datetime.now(UTC).strftime("%Y-%m-%d")
    assert prices["sources"][0]["provider"] == "query2.finance.yahoo.com"  # the provider, though served locally
    assert prices["sources"][0]["path"].startswith(server.url_for(CHART.format("NVDA")) + "?period1=")
    assert "referenceCopy" not in prices and prices["schema"] == old["nvda_daily"]["schema"]
    assert "the snapshot's for the quarters it has" in new["nvidia_quarterly"]["doubts"][0]
    # the refreshed file is written in the snapshot's own spelling
    lines = (target / "market/nvda_daily.csv").read_text().splitlines()
    assert lines[0] == "date,open,high,low,close,volume"
    assert "2025-10-29,207.98,212.19,204.78,207.04,308829600" in lines
    assert any(line.startswith("nvda_daily: 7 rows from http://") for line in [s.strip() for s in said])
    assert not staging_left(target)


@pytest.mark.parametrize("status", [404, 500])
def test_a_failed_fetch_leaves_data_unchanged_and_names_dataset_url_and_problem(
    server: HTTPServer, target: Path, status: int
) -> None:
    server.expect_request(CHART.format("NVDA")).respond_with_json(
        json.loads((FIXTURES / "yahoo/chart_NVDA.json").read_text())
    )
    server.expect_request(CHART.format("MSFT")).respond_with_data("", status=status)
    server.expect_request(STOOQ).respond_with_data("", status=status)
    before = fingerprint(target)
    with pytest.raises(GoldrushError) as caught:
        refresh.refresh(["nvda_daily", "msft_daily"], target=target, progress=lambda _: None)
    message = str(caught.value)
    assert message.startswith(f"msft_daily: {server.url_for(CHART.format('MSFT'))}?period1=")
    assert f": HTTP {status} " in message and message.endswith("; data/ was not changed")
    assert fingerprint(target) == before and not staging_left(target)


def test_an_error_while_writing_the_staged_copy_leaves_data_unchanged(
    server: HTTPServer, target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve_all(server)
    real = snapshot._write_rows

    def disk_full(path: Path, header: list[str], rows) -> int:
        rows = list(rows)
        real(path, header, rows[: len(rows) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(snapshot, "_write_rows", disk_full)
    before = fingerprint(target)
    with pytest.raises(
        GoldrushError,
        match=r"^cannot write the refreshed data \(\[Errno 28\] No space left on device\); data/ was not changed$",
    ):
        refresh.refresh(["aapl_daily"], target=target, progress=lambda _: None)
    assert fingerprint(target) == before and not staging_left(target)


KILLER = """
import os, signal, sys
from pathlib import Path
from goldrush import refresh, snapshot
from goldrush.live import http

http.CACHE_FILE = Path(sys.argv[2])
real = snapshot._write_rows

def killed_midway(path, header, rows):
    rows = list(rows)
    real(path, header, rows[: len(rows) // 2])  # half the file is on disk...
    os.kill(os.getpid(), signal.SIGKILL)         # ...when the process dies

snapshot._write_rows = killed_midway
refresh.refresh(["nvda_daily"], target=Path(sys.argv[1]))
"""


def test_a_refresh_killed_midway_leaves_data_and_its_hashes_unchanged(
    server: HTTPServer, target: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve_all(server)
    before = fingerprint(target)
    env = {**os.environ, **provider_env(server)}
    result = subprocess.run(
        [sys.executable, "-c", KILLER, str(target), str(tmp_path / "child-cache")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert "nvda_daily: 7 rows from" in result.stdout  # it died after fetching, while writing
    (staged,) = staging_left(target)
    assert len((staged / "market/nvda_daily.csv").read_text().splitlines()) == 1 + 7 // 2  # the half-written copy
    assert fingerprint(target) == before
    assert snapshot.verify(target) == len(data.package(target)["resources"])
    # the next command sweeps the half-written copy away, and a normal refresh succeeds
    point_paths_at(target.parent, monkeypatch)
    with workspace.exclusive(lambda _: None):
        assert not staging_left(target)
        assert refresh.refresh(["nvda_daily"], target=target, progress=lambda _: None) == ["nvda_daily"]
    assert snapshot.verify(target) == len(data.package(target)["resources"]) and not staging_left(target)


def test_without_a_network_the_refresh_stops_at_once(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for provider in ("YAHOO", "STOOQ"):
        monkeypatch.setenv(f"GOLDRUSH_{provider}_URL", "http://127.0.0.1:9")  # nothing listens there
    before = fingerprint(target)
    with pytest.raises(GoldrushError) as caught:
        refresh.refresh(["sp500_daily"], target=target, progress=lambda _: None)
    assert str(caught.value) == (
        "goldrush data refresh needs the network, but cannot connect to 127.0.0.1:9 (Connection refused) "
        "(for sp500_daily); data/ was not changed"
    )
    assert fingerprint(target) == before and not staging_left(target)


def test_unknown_datasets_and_datasets_without_a_live_source_are_refused(target: Path) -> None:
    with pytest.raises(GoldrushError, match="unknown dataset 'nvda_hourly'; known datasets: "):
        refresh.refresh(["nvda_hourly"], target=target)
    with pytest.raises(GoldrushError, match="events has no live source; datasets that can be refreshed: .*nvda_daily"):
        refresh.refresh(["events"], target=target)


def test_the_cli_refreshes_with_progress_and_the_result_verifies(server: HTTPServer, tmp_path: Path, cli: Cli) -> None:
    serve_all(server)
    root = copy_repo(tmp_path / "repo")
    names = [*MARKET, "nvda_shares_outstanding", "nvidia_quarterly"]
    result = cli("data", "refresh", *names, root=root)
    assert result.returncode == 0, result.stderr
    for name in names:
        assert f"  {name}: fetching" in result.stdout and f"  {name}: written to data/" in result.stdout
    assert f"{len(names)} dataset(s) refreshed" in result.stdout
    verified = cli("data", "verify", root=root)
    assert verified.returncode == 0 and "files OK" in verified.stdout


def test_the_cli_reports_a_failed_refresh_on_one_line(server: HTTPServer, tmp_path: Path, cli: Cli) -> None:
    server.expect_request(FACTS).respond_with_data('{"facts": {"dei": {}}}', content_type="application/json")
    root = copy_repo(tmp_path / "repo")
    before = fingerprint(root / "data")
    result = cli("data", "refresh", "nvda_shares_outstanding", root=root)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"error: nvda_shares_outstanding: {server.url_for(FACTS)}: no dei:EntityCommonStockSharesOutstanding facts "
        "in shares from 10-K or 10-Q filings; data/ was not changed"
    ]
    assert fingerprint(root / "data") == before
