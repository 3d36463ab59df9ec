"""The HTTP layer under hostile servers, for both transports (requests, and curl_cffi as Chrome).

A local server (127.0.0.1 only) drips, stalls, redirects and oversizes; every test shortens the
limits so it ends in about a second, and every handler stops when the test ends. Also: only answers
that validated are cached, a failed validation evicts what was cached, and a key never appears in
a message, a record or the cache.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from support import serve

from goldrush import live
from goldrush.live import http
from goldrush.live.http import LiveError

TRANSPORTS = {"requests": False, "curl_cffi": True}
MAX_BYTES = 10_000
FIXTURES = Path(__file__).parent / "fixtures" / "live"


@dataclass
class Behaviour:
    """What the fault server does, and what it saw."""

    release: threading.Event = field(default_factory=threading.Event)
    seen: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    body: bytes = b'{"ok": true}'
    elsewhere: str = ""  # where /away redirects to


class Faults(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def __init__(self, *args: Any, behaviour: Behaviour, **kwargs: Any) -> None:
        self.behaviour = behaviour
        super().__init__(*args, **kwargs)

    def _head(self, status: int, length: int | None, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        if length is not None:
            self.send_header("Content-Length", str(length))
        else:
            self.send_header("Connection", "close")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        b = self.behaviour
        b.seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        path = urlsplit(self.path).path
        try:
            if path == "/drip":  # headers at once, then one byte every 50 ms
                self._head(200, 1000)
                for _ in range(1000):
                    if b.release.wait(0.05):
                        return
                    self.wfile.write(b" ")
                    self.wfile.flush()
            elif path == "/drip-headers":  # the status line, then a header one byte every 50 ms
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                for _ in range(1000):
                    if b.release.wait(0.05):
                        return
                    self.wfile.write(b"X")
                    self.wfile.flush()
            elif path == "/stall":  # accepts the connection, never answers
                b.release.wait(10)
            elif path == "/big-declared":
                self._head(200, MAX_BYTES + 1)
                self.wfile.write(b" " * (MAX_BYTES + 1))
            elif path == "/big-streamed":  # no length announced, too many bytes
                self._head(200, None)
                for _ in range(4):
                    self.wfile.write(b" " * MAX_BYTES)
                self.close_connection = True
            elif path == "/cut":  # promises 1000 bytes, sends 10 and hangs up
                self._head(200, 1000)
                self.wfile.write(b'{"ok": tr ')
                self.close_connection = True
            elif path == "/busy":
                self._head(429, 0, {"Retry-After": "3600"})
            elif path == "/away":
                self._head(302, 0, {"Location": b.elsewhere})
            elif path == "/here":
                self._head(302, 0, {"Location": "/ok?moved=1"})
            else:
                self._head(200, len(b.body))
                self.wfile.write(b.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should

    def log_message(self, *args: object) -> None:
        pass


def _server(behaviour: Behaviour) -> Any:
    return serve(functools.partial(Faults, behaviour=behaviour))


@pytest.fixture
def limits(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(http, "CACHE_FILE", tmp_path / "http-cache")
    monkeypatch.setattr(http, "TIMEOUT", (1, 0.3))
    monkeypatch.setattr(http, "DEADLINE", 0.8)
    monkeypatch.setattr(http, "MAX_BYTES", MAX_BYTES)
    monkeypatch.setattr(http, "RETRIES", 0)


@pytest.fixture
def faults(limits: None) -> Iterator[tuple[str, Behaviour]]:
    behaviour = Behaviour()
    with _server(behaviour) as url:
        yield url, behaviour
        behaviour.release.set()


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_slow_drip_is_given_up_at_the_deadline(faults: tuple[str, Behaviour], transport: str) -> None:
    url, _ = faults
    started = time.perf_counter()
    with pytest.raises(LiveError, match=r"/drip: no complete answer within 0.8 s \(a server that drips or stalls\)"):
        http.get(f"{url}/drip", browser=TRANSPORTS[transport])
    assert time.perf_counter() - started < 3  # 1000 bytes at 20 a second would take 50 s


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_headers_dripped_a_byte_at_a_time_are_given_up_at_the_deadline(
    faults: tuple[str, Behaviour], transport: str
) -> None:
    url, _ = faults
    started = time.perf_counter()
    with pytest.raises(LiveError, match=r"/drip-headers: no complete answer within 0.8 s"):
        http.get(f"{url}/drip-headers", browser=TRANSPORTS[transport])
    assert time.perf_counter() - started < 3


def test_a_silent_server_is_given_up_after_the_read_timeout(faults: tuple[str, Behaviour]) -> None:
    url, _ = faults
    with pytest.raises(LiveError, match=r"/stall: no answer within 0.3 s \(tried 1 times\)"):
        http.get(f"{url}/stall")


def test_a_silent_server_is_given_up_by_the_browser_transport_too(
    faults: tuple[str, Behaviour], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(http, "DEADLINE", 5.0)  # so that the stall, not the deadline, ends it
    url, _ = faults
    started = time.perf_counter()
    with pytest.raises(LiveError, match=r"/stall: no answer within 1 s \(tried 1 times\)"):
        http.get(f"{url}/stall", browser=True)
    assert time.perf_counter() - started < 4


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("path", ["/big-declared", "/big-streamed"])
def test_an_oversized_answer_is_refused_and_not_cached(
    faults: tuple[str, Behaviour], transport: str, path: str
) -> None:
    url, _ = faults
    with (
        pytest.raises(LiveError, match=f"{path}: the answer is larger than {MAX_BYTES / 2**20:g} MB; refused"),
        http.transaction(),
    ):
        http.get(f"{url}{path}", browser=TRANSPORTS[transport])
    assert cached_urls() == []


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_redirect_to_another_host_is_not_followed_and_the_key_stays_home(
    faults: tuple[str, Behaviour], transport: str
) -> None:
    url, behaviour = faults
    other = Behaviour()
    with _server(other) as elsewhere:
        behaviour.elsewhere = f"{elsewhere}/ok"
        with pytest.raises(LiveError) as caught:
            http.get(f"{url}/away", {"apikey": "s3cret"}, {"x-cg-demo-api-key": "s3cret"}, browser=TRANSPORTS[transport])
        other.release.set()
    message = str(caught.value)
    assert message == (
        f"{url}/away?apikey=***: redirected to another host ({elsewhere}/ok); not followed, so no key or "
        "contact is sent there"
    )
    assert other.seen == [] and "s3cret" not in message


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_redirect_within_the_host_is_followed(faults: tuple[str, Behaviour], transport: str) -> None:
    url, behaviour = faults
    assert http.get_json(f"{url}/here", browser=TRANSPORTS[transport]) == {"ok": True}
    assert [path for path, _ in behaviour.seen] == ["/here", "/ok?moved=1"]


def test_chrome_is_impersonated_with_a_browsers_headers(faults: tuple[str, Behaviour]) -> None:
    url, behaviour = faults
    http.get(f"{url}/ok", browser=True)
    (_, headers), = behaviour.seen
    assert "Chrome/" in headers["user-agent"] and headers["user-agent"].startswith("Mozilla/5.0")
    assert '"Google Chrome"' in headers["sec-ch-ua"] and headers["sec-ch-ua-mobile"] == "?0"
    assert headers["sec-fetch-mode"] == "navigate" and headers["sec-fetch-dest"] == "document"
    assert headers["accept"].startswith("text/html") and headers["accept-language"].startswith("en-US")
    assert "br" in headers["accept-encoding"]
    assert "GoldRush" not in headers["user-agent"]


def test_yahoo_requests_go_through_the_browser_transport(
    faults: tuple[str, Behaviour], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, behaviour = faults
    behaviour.body = (FIXTURES / "yahoo" / "chart_MSFT.json").read_bytes()
    monkeypatch.setenv("GOLDRUSH_YAHOO_URL", url)
    live.fetch("msft_daily")
    (_, headers), = behaviour.seen
    assert "Chrome/" in headers["user-agent"] and "sec-ch-ua" in headers


# --- the cache keeps only what validated ------------------------------------------------------


def cached_urls() -> list[str]:
    """URLs of the answers in the cache file (empty if there is none yet)."""
    return [response.url for response in http.store().responses.values()]


def test_only_an_answer_that_validated_is_cached_with_its_retrieval_time(
    faults: tuple[str, Behaviour], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, behaviour = faults
    monkeypatch.setenv("GOLDRUSH_YAHOO_URL", url)
    chart = json.loads((FIXTURES / "yahoo" / "chart_MSFT.json").read_text())
    closes = chart["chart"]["result"][0]["indicators"]["quote"][0]["close"]
    good = json.dumps(chart).encode()
    closes[1] = -closes[1]
    behaviour.body = json.dumps(chart).encode()
    with pytest.raises(LiveError, match=r"msft_daily from .*/v8/finance/chart/MSFT\?.*: close is not positive"):
        live.fetch("msft_daily")
    assert cached_urls() == []  # HTTP 200, parsed, but implausible: not kept
    behaviour.body = good
    fetched = live.fetch("msft_daily")
    first = fetched.record
    assert len(cached_urls()) == 1 and first["cached"] is False
    fetched = live.fetch("msft_daily")  # now from the cache: the server is not asked, the time is the first answer's
    second = fetched.record
    assert len(behaviour.seen) == 2 and second["cached"] is True
    assert second["retrieved"] == first["retrieved"] and first["retrieved"].endswith("Z")


def test_a_cached_answer_that_no_longer_validates_is_evicted(
    faults: tuple[str, Behaviour], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, behaviour = faults
    monkeypatch.setenv("GOLDRUSH_YAHOO_URL", url)
    behaviour.body = (FIXTURES / "yahoo" / "chart_MSFT.json").read_bytes()
    live.fetch("msft_daily")
    assert len(cached_urls()) == 1
    monkeypatch.setattr(live, "MAX_DAY_FACTOR", 1.0001)  # a stricter rule: the cached days now fail it
    with pytest.raises(LiveError, match="no split explains it"):
        live.fetch("msft_daily")
    assert cached_urls() == []


def test_keys_are_masked_in_messages_and_never_stored(faults: tuple[str, Behaviour], tmp_path: Path) -> None:
    url, behaviour = faults
    with http.transaction():
        answer = http.get(f"{url}/ok", {"s": "nvda.us", "apikey": "s3cret", "api_key": "s3cret2"})
    assert answer.url == f"{url}/ok?s=nvda.us&apikey=***&api_key=***"
    assert behaviour.seen[0][0] == "/ok?s=nvda.us&apikey=s3cret&api_key=s3cret2"  # the server did get them
    database = sqlite3.connect(tmp_path / "http-cache.sqlite")
    stored = b"".join(bytes(v) for (v,) in database.execute("SELECT value FROM responses"))
    database.close()
    assert stored and b"s3cret" not in stored
    with pytest.raises(LiveError, match=r"/stall\?apikey=\*\*\*: no answer"):
        http.get(f"{url}/stall", {"apikey": "s3cret"})


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_an_answer_that_breaks_off_is_named(faults: tuple[str, Behaviour], transport: str) -> None:
    url, _ = faults
    with pytest.raises(LiveError, match=r"/cut: the answer broke off \("):
        http.get(f"{url}/cut", browser=TRANSPORTS[transport])


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_long_retry_after_is_capped_on_both_transports(
    faults: tuple[str, Behaviour], monkeypatch: pytest.MonkeyPatch, transport: str
) -> None:
    monkeypatch.setattr(http, "RETRIES", 1)
    monkeypatch.setattr(http, "MAX_RETRY_AFTER", 0.05)
    url, behaviour = faults
    started = time.perf_counter()
    with pytest.raises(LiveError, match=r"/busy: HTTP 429 Too Many Requests \(after 1 retries\)"):
        http.get(f"{url}/busy", browser=TRANSPORTS[transport])
    assert len(behaviour.seen) == 2 and time.perf_counter() - started < 3  # not an hour
