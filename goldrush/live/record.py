"""Record one small real answer per live endpoint into the test fixtures (``make record-fixtures``).

Run on a machine with network access: ``python -m goldrush.live.record [--out tests/fixtures/live]``.
Each answer is written, as received, to ``<out>/<provider>/recorded/<file>`` under the same file
name as the generated fixture it stands beside, and ``<out>/<provider>/recorded/RECORDED.json``
notes the URL (keys masked) and when it was retrieved. ``tests/test_live_fixtures.py`` then checks
that every recorded answer parses the way its generated fixture does, so a change in an API's
format shows up as a failing test. The requests go through ``goldrush.live.http`` with its limits,
keys and Chrome impersonation; ``GOLDRUSH_<PROVIDER>_URL`` redirects them as usual. One request is
trimmed: SEC companyfacts keeps only the concepts the client reads (the whole is several MB).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from goldrush import paths
from goldrush.live import coinmetrics, http, providers, sec
from goldrush.live.http import LiveError

OUT = paths.ROOT / "tests" / "fixtures" / "live"
JSON_ACCEPT = {"Accept": "application/json"}


def _epoch(day: date) -> int:
    return int(datetime.combine(day, time(), UTC).timestamp())


def _sec_trim(body: bytes) -> bytes:
    """companyfacts with only the concepts ``goldrush.live.sec`` reads."""
    facts = json.loads(body)
    wanted = {"dei": ["EntityCommonStockSharesOutstanding"], "us-gaap": [c for group in sec.CONCEPTS.values() for c in group]}
    facts["facts"] = {
        taxonomy: {c: facts["facts"][taxonomy][c] for c in concepts if c in facts["facts"].get(taxonomy, {})}
        for taxonomy, concepts in wanted.items()
    }
    return json.dumps(facts, indent=1).encode()


@dataclass(frozen=True)
class Recording:
    """One request: the provider, the file it is written to, the path and query under the base URL."""

    provider: str
    file: str
    path: str
    params: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    trim: Callable[[bytes], bytes] | None = None


RECORDINGS: tuple[Recording, ...] = (
    # NVDA across its 10:1 split of 2024-06-10
    Recording(
        "yahoo",
        "chart_NVDA.json",
        "/v8/finance/chart/NVDA",
        {"period1": _epoch(date(2024, 6, 6)), "period2": _epoch(date(2024, 6, 12)), "interval": "1d", "events": "splits"},
    ),
    Recording("stooq", "nvda.us.csv", "/q/d/l/", {"s": "nvda.us", "i": "d", "d1": "20251028", "d2": "20251030"}),
    Recording("sec", "companyfacts_CIK0001045810.json", f"/api/xbrl/companyfacts/CIK{sec.CIK}.json", trim=_sec_trim),
    # ETH across the Merge (its last proof-of-work day, 2022-09-15)
    Recording(
        "coinmetrics",
        "eth.json",
        "/timeseries/asset-metrics",
        {
            "assets": "eth",
            "metrics": ",".join(coinmetrics.ETH_METRICS),
            "frequency": "1d",
            "start_time": "2022-09-12",
            "end_time": "2022-09-17",
            "page_size": 100,
        },
    ),
    Recording(
        "blockchain", "hash-rate_1d.json", "/charts/hash-rate", {"timespan": "30days", "sampled": "true", "format": "json"}
    ),
    Recording("coingecko", "global.json", "/global"),
    Recording(
        "worldbank",
        "gdp.json",
        "/country/all/indicator/NY.GDP.MKTP.CD",
        {"format": "json", "date": "2023:2023", "per_page": 20_000, "page": 1},
        JSON_ACCEPT,
    ),
    Recording("worldbank", "countries.json", "/country", {"format": "json", "per_page": 20_000, "page": 1}, JSON_ACCEPT),
    Recording("imf", "NGDPD.json", "/NGDPD", {"periods": "2024"}, JSON_ACCEPT),
    *(Recording("imf", f"{kind}.json", f"/{kind}", {}, JSON_ACCEPT) for kind in ("indicators", "countries", "regions", "groups")),
)


def _request(recording: Recording) -> tuple[str, dict[str, Any], dict[str, str]]:
    """URL, query and headers as the client would send them (keys included)."""
    params = dict(recording.params)
    headers = dict(recording.headers)
    if recording.provider == "stooq":
        params["apikey"] = providers.value(providers.STOOQ_KEY.variable)
    if recording.provider == "coinmetrics" and (key := providers.value(coinmetrics.KEY)):
        params["api_key"] = key
    if recording.provider == "coingecko" and (key := providers.value(providers.COINGECKO_KEY.variable)):
        headers["x-cg-demo-api-key"] = key
    return providers.PROVIDERS[recording.provider].endpoint() + recording.path, params, headers


def record(out: Path = OUT, progress: Callable[[str], None] = print) -> list[str]:
    """Record every endpoint whose provider has its keys; return one line per failure (empty: all done)."""
    failures: list[str] = []
    manifests: dict[str, dict[str, Any]] = {}
    for recording in RECORDINGS:
        where = f"{recording.provider}/recorded/{recording.file}"
        lack = providers.needs(recording.provider)
        if lack:
            progress(f"  {where}: skipped: {lack}")
            continue
        url, params, headers = _request(recording)
        try:
            answer = http.get(url, params, headers, browser=recording.provider == "yahoo")
        except LiveError as exc:
            failures.append(f"{where}: {exc}")
            progress(f"  {where}: failed: {exc}")
            continue
        target = out / recording.provider / "recorded" / recording.file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(recording.trim(answer.body) if recording.trim else answer.body)
        manifests.setdefault(recording.provider, {})[recording.file] = {
            "url": answer.url,
            "retrieved": answer.retrieved.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "trimmed": recording.trim is not None,
        }
        progress(f"  {where}: {target.stat().st_size:,} bytes from {answer.url}")
    for provider, files in manifests.items():
        manifest = out / provider / "recorded" / "RECORDED.json"
        old = json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else {}
        manifest.write_text(json.dumps(old | files, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return failures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m goldrush.live.record", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"fixture folder (default {OUT})")
    args = parser.parse_args(argv)
    print(f"==> recording one answer per live endpoint into {args.out}")
    failures = record(args.out)
    if failures:
        print(f"error: {len(failures)} endpoint(s) failed; the first: {failures[0]}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
