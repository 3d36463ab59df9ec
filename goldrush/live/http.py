"""HTTP for live sources: a timeout, bounded retries with backoff, and an on-disk cache with a lifetime.

Every provider module fetches through ``get_json`` / ``get_text``. Base URLs can be pointed
elsewhere with ``GOLDRUSH_<PROVIDER>_URL`` (the tests serve recorded responses locally that way).
"""

from __future__ import annotations

import os
from datetime import timedelta
from functools import cache
from typing import Any

import requests
import requests_cache
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from goldrush import paths
from goldrush.errors import GoldrushError

TIMEOUT = (5, 30)  # seconds: connect, read
RETRIES = 3  # after the first try, for 429 and 5xx, with exponential backoff
BACKOFF = 0.5  # seconds; doubled each retry (0.5, 1, 2), or the server's Retry-After
CACHE_LIFETIME = timedelta(hours=6)
CACHE_FILE = paths.ROOT / ".cache" / "goldrush-http"
CONTACT = os.environ.get("GOLDRUSH_CONTACT", "goldrush-data-book@users.noreply.github.com")
USER_AGENT = f"GoldRush data book ({CONTACT})"  # the SEC asks for a User-Agent with a contact


class LiveError(GoldrushError):
    """A live fetch failed or returned something unusable; the message names the URL and the problem."""


def base_url(provider: str, default: str) -> str:
    """``default``, unless ``GOLDRUSH_<PROVIDER>_URL`` says otherwise."""
    return os.environ.get(f"GOLDRUSH_{provider.upper()}_URL", default).rstrip("/")


@cache
def session() -> requests.Session:
    retry = Retry(
        total=RETRIES,
        backoff_factor=BACKOFF,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=("GET",),
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    cached = requests_cache.CachedSession(
        str(CACHE_FILE), backend="sqlite", expire_after=CACHE_LIFETIME, allowable_codes=(200,)
    )
    adapter = HTTPAdapter(max_retries=retry)
    cached.mount("http://", adapter)
    cached.mount("https://", adapter)
    cached.headers["User-Agent"] = USER_AGENT
    return cached


def get(url: str, params: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> requests.Response:
    """GET with timeout, retries and cache; raise LiveError naming the URL on any failure."""
    try:
        response = session().get(url, params=params, headers=headers, timeout=TIMEOUT)
    except requests.Timeout:
        raise LiveError(f"{url}: no answer within {TIMEOUT[1]} s") from None
    except requests.ConnectionError as exc:
        raise LiveError(f"{url}: cannot connect ({type(exc).__name__}); use --source snapshot offline") from None
    except requests.RequestException as exc:
        raise LiveError(f"{url}: request failed ({exc})") from None
    if response.status_code != 200:
        raise LiveError(f"{url}: HTTP {response.status_code} {response.reason} (after {RETRIES} retries)")
    return response


def get_json(url: str, params: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> Any:
    response = get(url, params, headers)
    try:
        return response.json()
    except ValueError:
        raise LiveError(f"{url}: the response is not valid JSON") from None


def get_text(url: str, params: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> str:
    return get(url, params, headers).text
