"""HTTP for live sources: bounded requests, retries, and a cache that keeps only answers that validated.

Every provider module fetches through ``get_json`` / ``get_text``. Two transports share one set of
rules: ``requests`` (with urllib3's Retry) for most providers, and ``curl_cffi`` impersonating
Chrome (``browser=True``) for Yahoo, which turns away clients by their TLS fingerprint. Either way:

- a connect timeout, a read timeout for a silent server, and a total deadline (``DEADLINE``: for
  curl_cffi per attempt; for requests, which has none of its own, over the call and its urllib3
  retries, enforced from a watcher), so a server that drips its headers or body byte by byte is
  given up on;
- at most ``MAX_BYTES`` read; a larger answer is refused, not cached;
- redirects are followed only within the same scheme and host; a redirect to another host is an
  error, so an API key or contact header never reaches a host it was not meant for;
- retries with backoff for 429, 5xx and dropped connections, a server's Retry-After capped.

Caching: answers are stored (requests-cache's SQLite backend, with a lifetime) only when the
``transaction`` they were read in ends without an error, that is, after the dataset parsed and
validated (``goldrush.live.fetch`` opens one per dataset). An error also evicts the cached answers
the transaction read, so a bad answer is never served twice. Secret query parameters (``apikey``,
``api_key``) are left out of cache keys and stored URLs and shown as ``***`` in messages.

Base URLs can be pointed elsewhere with ``GOLDRUSH_<PROVIDER>_URL`` (the tests serve recorded
responses locally that way). The settings below are read at each request, so a test can shorten them.
"""

from __future__ import annotations

import json
import math
import os
import re
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import Message
from functools import cache
from http import HTTPStatus
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import requests_cache
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from requests_cache.models import CachedRequest
from urllib3.exceptions import HTTPError, InvalidHeader, ReadTimeoutError
from urllib3.util import Timeout
from urllib3.util.retry import Retry

from goldrush import paths
from goldrush.errors import GoldrushError

TIMEOUT = (5, 30)  # seconds: connect, and read (a server silent this long is given up on)
DEADLINE = 120.0  # seconds for one attempt's whole answer, however it trickles in
MAX_BYTES = 32 * 2**20  # the largest answer read (SEC companyfacts, the largest, is a few MB)
MAX_REDIRECTS = 3  # within the same host
RETRIES = 3  # after the first try, for 429, 5xx and dropped connections
BACKOFF = 0.5  # waits of 0, 2x, 4x this before the retries (0, 1, 2 s), or the server's Retry-After
RETRY_STATUSES = (429, 500, 502, 503, 504)
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
MAX_RETRY_AFTER = 30.0  # seconds: a longer Retry-After is cut to this rather than hanging the run
CACHE_LIFETIME = timedelta(hours=6)
CACHE_FILE = paths.ROOT / ".cache" / "goldrush-http"
CONTACT_VARIABLE = "GOLDRUSH_CONTACT"
SECRET_PARAMS = ("apikey", "api_key")  # query parameters that carry keys: never cached, never shown
IMPERSONATE = "chrome"  # curl_cffi's newest Chrome fingerprint for the pinned curl_cffi version
PREFLIGHT_TIMEOUT = 3.0  # seconds to open a TCP connection before `--source live` gives up
CHUNK = 64 * 1024

_last_request: dict[str, float] = {}  # host -> monotonic time of the last request that left the cache
_lock = threading.Lock()
_pending: ContextVar[list[Answer] | None] = ContextVar("goldrush_http_pending", default=None)


class LiveError(GoldrushError):
    """A live fetch failed or returned something unusable; the message names the URL and the problem."""


class StatusError(LiveError):
    """The server answered with a status other than 200 (after any retries)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Answer:
    """One HTTP answer: the URL as shown (secrets masked), status, headers, body, when it was retrieved."""

    url: str
    status: int
    reason: str
    headers: Mapping[str, str]
    body: bytes
    retrieved: datetime  # UTC, when the answer arrived from the network (also for a cached answer)
    key: str = ""  # cache key
    from_cache: bool = False
    request_url: str = field(default="", repr=False)  # as sent, secrets included: never shown or stored

    @property
    def text(self) -> str:
        message = Message()
        message["content-type"] = self.headers.get("Content-Type", "")
        return self.body.decode(message.get_content_charset() or "utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.body)


def _answer(shown: str, response: Any, body: bytes | bytearray, url: str) -> Answer:
    """An answer read in full, from either transport's response (requests or curl_cffi)."""
    return Answer(
        shown,
        response.status_code,
        _phrase(response.status_code, response.reason or ""),
        CaseInsensitiveDict(dict(response.headers)),
        bytes(body),
        _now(),
        request_url=url,
    )


def base_url(provider: str, default: str) -> str:
    """``default``, unless ``GOLDRUSH_<PROVIDER>_URL`` says otherwise."""
    return os.environ.get(f"GOLDRUSH_{provider.upper()}_URL", default).rstrip("/")


def contact() -> str | None:
    """The contact address in ``GOLDRUSH_CONTACT`` (the SEC asks for one in the User-Agent), or None."""
    value = os.environ.get(CONTACT_VARIABLE, "").strip()
    return value if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value) else None


def user_agent() -> str:
    """The User-Agent of non-browser requests: names the book and, when set, a contact."""
    found = contact()
    return f"GoldRush data book ({found})" if found else "GoldRush data book"


def mask(url: str) -> str:
    """``url`` with the values of secret query parameters replaced by ``***``."""
    names = "|".join(SECRET_PARAMS)
    return re.sub(rf"(?<=[?&])({names})=[^&#]*", r"\1=***", url, flags=re.IGNORECASE)


def sent_url(url: str, params: Mapping[str, Any] | None = None) -> str:
    """``url`` with its query string, as sent (secrets included)."""
    return requests.Request("GET", url, params=dict(params or {})).prepare().url or url


def full_url(url: str, params: Mapping[str, Any] | None = None) -> str:
    """``url`` with its query string, as sent, secrets masked: what messages and records show."""
    return mask(sent_url(url, params))


# --- transports -------------------------------------------------------------------------------


class _Retry(Retry):
    """urllib3's Retry, with the server's Retry-After capped at MAX_RETRY_AFTER."""

    def get_retry_after(self, response: Any) -> float | None:
        after = super().get_retry_after(response)
        return None if after is None else min(after, MAX_RETRY_AFTER)


@cache
def _session(retries: int, backoff: float) -> requests.Session:
    retry = _Retry(
        total=retries,
        backoff_factor=backoff,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=("GET",),
        respect_retry_after_header=True,
        raise_on_status=False,
        redirect=False,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


@cache
def _store(cache_file: str) -> requests_cache.SQLiteCache:
    """The on-disk cache (requests-cache's SQLite backend; it ignores and redacts SECRET_PARAMS)."""
    return requests_cache.SQLiteCache(cache_file)


def store() -> requests_cache.SQLiteCache:
    return _store(str(CACHE_FILE))


def _too_big(shown: str) -> LiveError:
    return LiveError(f"{shown}: the answer is larger than {MAX_BYTES / 2**20:g} MB; refused")


def _too_slow(shown: str) -> LiveError:
    return LiveError(f"{shown}: no complete answer within {DEADLINE:g} s (a server that drips or stalls); given up")


def _via_requests(url: str, headers: Mapping[str, str]) -> Answer:
    """``_requests_once`` in a daemon thread, waited for at most DEADLINE: requests has no total deadline
    of its own, and a server can drip its headers a byte at a time (the thread ends with its socket)."""
    outcome: list[Answer | BaseException] = []

    def work() -> None:
        try:
            outcome.append(_requests_once(url, headers))
        except BaseException as exc:  # handed to the caller below
            outcome.append(exc)

    worker = threading.Thread(target=work, name="goldrush-http", daemon=True)
    worker.start()
    worker.join(DEADLINE)
    if not outcome:
        raise _too_slow(mask(url))
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def _requests_once(url: str, headers: Mapping[str, str]) -> Answer:
    """One GET with requests (urllib3 retries statuses and dropped connections), body read in bounded chunks."""
    shown = mask(url)
    deadline = time.monotonic() + DEADLINE
    timeout = Timeout(connect=TIMEOUT[0], read=TIMEOUT[1], total=DEADLINE)
    try:
        # requests takes a urllib3 Timeout (its adapter passes it on); the types-requests stub does not say so
        with _session(RETRIES, BACKOFF).get(
            url,
            headers={"User-Agent": user_agent(), **headers},
            timeout=timeout,  # type: ignore[arg-type]
            stream=True,
            allow_redirects=False,
        ) as response:
            body = bytearray()
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > MAX_BYTES:
                raise _too_big(shown)
            while chunk := response.raw.read1(CHUNK, decode_content=True):
                body += chunk
                if len(body) > MAX_BYTES:
                    raise _too_big(shown)
                if time.monotonic() > deadline:
                    raise _too_slow(shown)
            return _answer(shown, response, body, url)
    except requests.ConnectTimeout:
        raise LiveError(f"{shown}: no connection within {TIMEOUT[0]} s; use --source snapshot offline") from None
    except (requests.Timeout, requests.ConnectionError) as exc:
        # once the retries are spent, urllib3 reports a read timeout as a connection error
        reason = getattr(exc.args[0], "reason", exc) if exc.args else exc
        if isinstance(reason, (requests.Timeout, ReadTimeoutError)):
            raise LiveError(f"{shown}: no answer within {TIMEOUT[1]} s (tried {RETRIES + 1} times)") from None
        raise LiveError(f"{shown}: cannot connect ({type(reason).__name__}); use --source snapshot offline") from None
    except requests.RequestException as exc:
        raise LiveError(f"{shown}: request failed ({type(exc).__name__})") from None
    except ReadTimeoutError:  # while reading the body
        raise LiveError(f"{shown}: no answer within {TIMEOUT[1]} s (the body stalled)") from None
    except HTTPError as exc:  # the body broke off or could not be decoded
        raise LiveError(f"{shown}: the answer broke off ({type(exc).__name__})") from None


def _via_browser(url: str, headers: Mapping[str, str]) -> Answer:
    """One GET with curl_cffi impersonating Chrome (its TLS fingerprint and headers), with retries."""
    shown = mask(url)
    last = ""
    for attempt in range(RETRIES + 1):
        try:
            answer = _browser_once(url, headers)
        except _Transient as exc:
            last = str(exc)
            if attempt < RETRIES:
                time.sleep(_backoff(attempt + 1))
            continue
        if answer.status in RETRY_STATUSES and attempt < RETRIES:
            time.sleep(_retry_after(answer) if "Retry-After" in answer.headers else _backoff(attempt + 1))
            continue
        return answer
    raise LiveError(f"{shown}: {last} (tried {RETRIES + 1} times)")


class _Transient(Exception):
    """A dropped connection or a silent server: worth another try."""


def _retry_after(answer: Answer) -> float:
    """The server's Retry-After in seconds, capped at MAX_RETRY_AFTER (0 if unreadable)."""
    try:
        return min(Retry().parse_retry_after(answer.headers["Retry-After"]), MAX_RETRY_AFTER)
    except InvalidHeader:
        return 0.0


def _backoff(retry: int) -> float:
    """urllib3's schedule: no wait before the first retry, then BACKOFF x 2, x 4, ..."""
    return 0.0 if retry <= 1 else BACKOFF * 2 ** (retry - 1)


def _browser_once(url: str, headers: Mapping[str, str]) -> Answer:
    from curl_cffi import CurlOpt
    from curl_cffi import requests as curl
    from curl_cffi.curl import CURL_WRITEFUNC_ERROR

    shown = mask(url)
    body = bytearray()
    refused: list[LiveError] = []

    def take(chunk: bytes) -> int:
        body.extend(chunk)
        if len(body) > MAX_BYTES:
            refused.append(_too_big(shown))
            return CURL_WRITEFUNC_ERROR
        return len(chunk)

    started = time.monotonic()
    # total deadline (TIMEOUT_MS), connect timeout, and a silent server given up after TIMEOUT[1]
    # (curl counts that in whole seconds)
    stall = max(1, math.ceil(TIMEOUT[1]))
    options = {CurlOpt.LOW_SPEED_LIMIT: 1, CurlOpt.LOW_SPEED_TIME: stall, CurlOpt.MAXFILESIZE_LARGE: MAX_BYTES}
    try:
        with curl.Session(impersonate=IMPERSONATE, curl_options=options) as session:
            response = session.get(
                url,
                headers=dict(headers),
                timeout=(TIMEOUT[0], DEADLINE - TIMEOUT[0]),
                allow_redirects=False,
                content_callback=take,
            )
    except curl.exceptions.RequestException as exc:
        if refused:
            raise refused[0] from None
        code = getattr(exc, "code", None)
        if code == 63:  # CURLE_FILESIZE_EXCEEDED: the declared length is too large
            raise _too_big(shown) from None
        if isinstance(exc, curl.exceptions.Timeout):
            if time.monotonic() - started >= DEADLINE - 0.05:
                raise _too_slow(shown) from None
            if isinstance(exc, curl.exceptions.ConnectTimeout):
                raise LiveError(f"{shown}: no connection within {TIMEOUT[0]} s; use --source snapshot offline") from None
            raise _Transient(f"no answer within {stall} s") from None
        if body:  # bytes had arrived: the answer broke off
            raise LiveError(f"{shown}: the answer broke off ({type(exc).__name__})") from None
        if isinstance(exc, curl.exceptions.ConnectionError):
            raise _Transient(f"cannot connect ({type(exc).__name__}); use --source snapshot offline") from None
        raise LiveError(f"{shown}: request failed ({type(exc).__name__})") from None
    return _answer(shown, response, body, url)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _phrase(status: int, given: str) -> str:
    """The standard reason phrase of the status (servers spell theirs differently)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return given


# --- requests, redirects, cache ---------------------------------------------------------------


def _throttle(host: str, min_interval: float) -> None:
    """Wait until ``min_interval`` seconds have passed since the last network request to ``host``."""
    if min_interval <= 0:
        return
    with _lock:
        wait = _last_request.get(host, float("-inf")) + min_interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        _last_request[host] = time.monotonic()


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc.lower()


def _network(url: str, headers: Mapping[str, str], browser: bool) -> Answer:
    """The answer to ``url``, following redirects within its host only."""
    fetch = _via_browser if browser else _via_requests
    target = url
    for _ in range(MAX_REDIRECTS + 1):
        answer = fetch(target, headers)
        location = answer.headers.get("Location")
        if answer.status not in REDIRECT_STATUSES or not location:
            return answer
        following = urljoin(target, location)
        if _origin(following) != _origin(url):
            raise LiveError(
                f"{mask(url)}: redirected to another host ({mask(following)}); not followed, so no key or contact is sent there"
            )
        target = following
    raise LiveError(f"{mask(url)}: more than {MAX_REDIRECTS} redirects")


def _detail(answer: Answer) -> str:
    """A short, one-line excerpt of an error body (plain text or JSON only)."""
    kind = answer.headers.get("Content-Type", "")
    if not any(t in kind for t in ("json", "text/plain")):
        return ""
    text = " ".join(answer.text.split())[:160]
    return f": {text}" if text else ""


def get(
    url: str,
    params: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    min_interval: float = 0.0,
    browser: bool = False,
) -> Answer:
    """GET ``url`` within the limits above, from the cache if a validated answer is there.

    Raise LiveError naming the URL on any failure or a status other than 200. ``min_interval``
    spaces requests to the same host (the SEC allows 10 a second); ``browser`` sends the request
    through curl_cffi as Chrome.
    """
    sent = sent_url(url, params)
    shown = mask(sent)
    db = store()
    key = db.create_key(requests.Request("GET", sent).prepare())
    cached = db.get_response(key)
    if cached is not None and not cached.is_expired:
        created = cached.created_at if cached.created_at.tzinfo else cached.created_at.replace(tzinfo=UTC)
        answer = Answer(shown, 200, "OK", CaseInsensitiveDict(cached.headers), cached.content, created, key, True, sent)
    else:
        _throttle(urlsplit(url).netloc, min_interval)
        answer = _network(sent, dict(headers or {}), browser)
        if answer.status != 200:
            retried = f" (after {RETRIES} retries)" if answer.status in RETRY_STATUSES else ""
            raise StatusError(f"{shown}: HTTP {answer.status} {answer.reason}{retried}{_detail(answer)}", answer.status)
        answer = Answer(shown, 200, answer.reason, answer.headers, answer.body, answer.retrieved, key, False, sent)
    used = _pending.get()
    if used is not None:
        used.append(answer)
    return answer


def get_json(
    url: str,
    params: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    min_interval: float = 0.0,
    browser: bool = False,
) -> Any:
    answer = get(url, params, headers, min_interval, browser)
    try:
        return answer.json()
    except ValueError:
        raise LiveError(f"{answer.url}: the response is not valid JSON") from None


def get_text(
    url: str,
    params: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    min_interval: float = 0.0,
    browser: bool = False,
) -> str:
    return get(url, params, headers, min_interval, browser).text


def _save(answers: list[Answer]) -> None:
    db = store()
    for answer in answers:
        request = CachedRequest(method="GET", url=answer.request_url, headers=CaseInsensitiveDict())
        db.save_response(
            requests_cache.CachedResponse(
                status_code=200,
                reason="OK",
                url=answer.request_url,
                headers=CaseInsensitiveDict(answer.headers),
                content=answer.body,
                created_at=answer.retrieved,
                expires=answer.retrieved + CACHE_LIFETIME,
                request=request,
            ),
            cache_key=answer.key,
        )


@contextmanager
def transaction() -> Iterator[list[Answer]]:
    """Collect the answers read inside; cache them only if the block ends without an error.

    On an error, answers the block read from the cache are evicted. Nested transactions hand
    their answers to the enclosing one, which decides.
    """
    outer = _pending.get()
    mine: list[Answer] = []
    token = _pending.set(mine)
    try:
        yield mine
    except BaseException:
        db = store()
        for answer in mine:
            if answer.from_cache:
                db.delete(answer.key)
        raise
    finally:
        _pending.reset(token)
    if outer is not None:
        outer.extend(mine)
    else:
        _save([a for a in mine if not a.from_cache])


def unreachable(url: str, timeout: float | None = None) -> str | None:
    """Why a TCP connection to ``url``'s host cannot be opened within ``timeout``, or None if it can."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname or "", port), timeout=timeout or PREFLIGHT_TIMEOUT):
            return None
    except socket.gaierror:
        return f"cannot resolve {parts.hostname}"
    except TimeoutError:
        return f"no connection to {parts.hostname}:{port} within {timeout or PREFLIGHT_TIMEOUT:g} s"
    except OSError as exc:
        return f"cannot connect to {parts.hostname}:{port} ({exc.strerror or type(exc).__name__})"
