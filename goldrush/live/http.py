"""HTTP for live sources: a timeout, bounded retries with backoff, and an on-disk cache with a lifetime.

Every provider module fetches through ``get_json`` / ``get_text``. Base URLs can be pointed
elsewhere with ``GOLDRUSH_<PROVIDER>_URL`` (the tests serve recorded responses locally that way).
The settings below are read each time a session is needed, so a test can shorten them.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from datetime import timedelta
from functools import cache
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

import requests
import requests_cache
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.retry import Retry

from goldrush import paths
from goldrush.errors import GoldrushError

TIMEOUT = (5, 30)  # seconds: connect, read
RETRIES = 3  # after the first try, for 429, 5xx and dropped connections
BACKOFF = 0.5  # urllib3 waits 0, 2x, 4x this before the retries (0, 1, 2 s), or the server's Retry-After
RETRY_STATUSES = (429, 500, 502, 503, 504)
MAX_RETRY_AFTER = 30.0  # seconds: a longer Retry-After is cut to this rather than hanging the run
CACHE_LIFETIME = timedelta(hours=6)
CACHE_FILE = paths.ROOT / ".cache" / "goldrush-http"
CONTACT = os.environ.get("GOLDRUSH_CONTACT", "goldrush-data-book@users.noreply.github.com")
USER_AGENT = f"GoldRush data book ({CONTACT})"  # the SEC asks for a User-Agent with a contact
PREFLIGHT_TIMEOUT = 3.0  # seconds to open a TCP connection before `--source live` gives up

_last_request: dict[str, float] = {}  # host -> monotonic time of the last request that left the cache
_lock = threading.Lock()


class LiveError(GoldrushError):
    """A live fetch failed or returned something unusable; the message names the URL and the problem."""


def base_url(provider: str, default: str) -> str:
    """``default``, unless ``GOLDRUSH_<PROVIDER>_URL`` says otherwise."""
    return os.environ.get(f"GOLDRUSH_{provider.upper()}_URL", default).rstrip("/")


class _Retry(Retry):
    """urllib3's Retry, with the server's Retry-After capped at MAX_RETRY_AFTER."""

    def get_retry_after(self, response: Any) -> float | None:
        after = super().get_retry_after(response)
        return None if after is None else min(after, MAX_RETRY_AFTER)


@cache
def _session(retries: int, backoff: float, cache_file: str, lifetime: timedelta) -> requests.Session:
    retry = _Retry(
        total=retries,
        backoff_factor=backoff,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=("GET",),
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    cached = requests_cache.CachedSession(cache_file, backend="sqlite", expire_after=lifetime, allowable_codes=(200,))
    adapter = HTTPAdapter(max_retries=retry)
    cached.mount("http://", adapter)
    cached.mount("https://", adapter)
    cached.headers["User-Agent"] = USER_AGENT
    return cached


def session() -> requests.Session:
    """The cached, retrying session for the current settings."""
    return _session(RETRIES, BACKOFF, str(CACHE_FILE), CACHE_LIFETIME)


def _throttle(host: str, min_interval: float) -> None:
    """Wait until ``min_interval`` seconds have passed since the last network request to ``host``."""
    if min_interval <= 0:
        return
    with _lock:
        wait = _last_request.get(host, float("-inf")) + min_interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        _last_request[host] = time.monotonic()


def _detail(response: requests.Response) -> str:
    """A short, one-line excerpt of an error body (plain text or JSON only)."""
    kind = response.headers.get("Content-Type", "")
    if not any(t in kind for t in ("json", "text/plain")):
        return ""
    text = " ".join(response.text.split())[:160]
    return f": {text}" if text else ""


def full_url(url: str, params: dict[str, Any] | None = None) -> str:
    """``url`` with its query string, as sent."""
    return requests.Request("GET", url, params=params).prepare().url or url


def get(
    url: str,
    params: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    min_interval: float = 0.0,
) -> requests.Response:
    """GET with timeout, retries and cache; raise LiveError naming the URL on any failure.

    ``min_interval`` spaces requests to the same host (the SEC allows 10 a second).
    """
    full = full_url(url, params)
    _throttle(urlsplit(url).netloc, min_interval)
    try:
        response = session().get(url, params=params, headers=headers, timeout=TIMEOUT)
    except requests.ConnectTimeout:
        raise LiveError(f"{full}: no connection within {TIMEOUT[0]} s; use --source snapshot offline") from None
    except (requests.Timeout, requests.ConnectionError) as exc:
        # once the retries are spent, urllib3 reports a read timeout as a connection error
        reason = getattr(exc.args[0], "reason", exc) if exc.args else exc
        if isinstance(reason, (requests.Timeout, ReadTimeoutError)):
            raise LiveError(f"{full}: no answer within {TIMEOUT[1]} s (tried {RETRIES + 1} times)") from None
        raise LiveError(f"{full}: cannot connect ({type(reason).__name__}); use --source snapshot offline") from None
    except requests.RequestException as exc:
        raise LiveError(f"{full}: request failed ({exc})") from None
    if response.status_code != 200:
        retried = f" (after {RETRIES} retries)" if response.status_code in RETRY_STATUSES else ""
        raise LiveError(f"{full}: HTTP {response.status_code} {_phrase(response)}{retried}{_detail(response)}")
    return response


def _phrase(response: requests.Response) -> str:
    """The standard reason phrase of the status (servers spell theirs differently)."""
    try:
        return HTTPStatus(response.status_code).phrase
    except ValueError:
        return response.reason or ""


def get_json(
    url: str, params: dict[str, Any] | None = None, headers: dict[str, str] | None = None, min_interval: float = 0.0
) -> Any:
    response = get(url, params, headers, min_interval)
    try:
        return response.json()
    except ValueError:
        raise LiveError(f"{full_url(url, params)}: the response is not valid JSON") from None


def get_text(
    url: str, params: dict[str, Any] | None = None, headers: dict[str, str] | None = None, min_interval: float = 0.0
) -> str:
    return get(url, params, headers, min_interval).text


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
