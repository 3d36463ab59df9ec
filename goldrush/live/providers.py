"""What each live provider needs: its endpoint and the environment variables (keys) it can use.

``goldrush data sources`` prints this table; the clients read their keys through ``value``; the
preflight names a missing required key before any request is made.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from goldrush.live import http


@dataclass(frozen=True)
class Key:
    """An environment variable a provider reads."""

    variable: str
    sent_as: str  # how the value reaches the provider
    required: bool  # without it the provider is not called
    where: str  # where to get one


@dataclass(frozen=True)
class Provider:
    name: str  # as in GOLDRUSH_<NAME>_URL
    title: str
    default_url: str
    keys: tuple[Key, ...] = ()
    keyed_url: str = ""  # the base URL to use instead when the first key is set (documented keyed host)
    fallback: bool = False  # only asked when another provider failed; without its key it is skipped

    def endpoint(self) -> str:
        """The base URL requests go to now: the GOLDRUSH_<NAME>_URL override, else keyed or default host."""
        keyed = self.keyed_url and self.keys and value(self.keys[0].variable)
        return http.base_url(self.name, self.keyed_url if keyed else self.default_url)

    def missing(self) -> list[Key]:
        """Required keys that are not set."""
        return [key for key in self.keys if key.required and not value(key.variable)]


def value(variable: str) -> str | None:
    """The variable's value, or None when unset or blank (GOLDRUSH_CONTACT must hold an address)."""
    if variable == http.CONTACT_VARIABLE:
        return http.contact()
    return os.environ.get(variable, "").strip() or None


CONTACT = Key(
    http.CONTACT_VARIABLE,
    "in the User-Agent header",
    True,
    "your own e-mail address: the SEC asks every client to name a contact (sec.gov/os/accessing-edgar-data)",
)
STOOQ_KEY = Key(
    "GOLDRUSH_STOOQ_APIKEY",
    "as the apikey query parameter",
    True,
    "a free key from stooq.com (a CAPTCHA-gated form on the site, see https://stooq.com/db/h/)",
)
COINMETRICS_KEY = Key(
    "GOLDRUSH_COINMETRICS_API_KEY",
    "as the api_key query parameter, to api.coinmetrics.io",
    False,
    "Coin Metrics (coinmetrics.io); without one the keyless Community API is used",
)
COINGECKO_KEY = Key(
    "GOLDRUSH_COINGECKO_DEMO_KEY",
    "in the x-cg-demo-api-key header",
    False,
    "a free demo key from coingecko.com/en/api; /global works without one",
)

PROVIDERS: dict[str, Provider] = {
    p.name: p
    for p in (
        Provider("yahoo", "Yahoo Finance chart API (curl_cffi as Chrome)", "https://query2.finance.yahoo.com"),
        Provider("stooq", "Stooq daily CSV (fallback for share prices)", "https://stooq.com", (STOOQ_KEY,), fallback=True),
        Provider("sec", "SEC EDGAR XBRL companyfacts", "https://data.sec.gov", (CONTACT,)),
        Provider(
            "coinmetrics",
            "Coin Metrics API v4",
            "https://community-api.coinmetrics.io/v4",
            (COINMETRICS_KEY,),
            keyed_url="https://api.coinmetrics.io/v4",
        ),
        Provider("blockchain", "blockchain.com Charts API", "https://api.blockchain.info"),
        Provider("coingecko", "CoinGecko API v3", "https://api.coingecko.com/api/v3", (COINGECKO_KEY,)),
        Provider("worldbank", "World Bank Indicators API v2", "https://api.worldbank.org/v2"),
        Provider("imf", "IMF DataMapper API v1", "https://www.imf.org/external/datamapper/api/v1"),
    )
}


def needs(provider: str) -> str | None:
    """One line saying which required key ``provider`` lacks and where to get it, or None."""
    missing = PROVIDERS[provider].missing()
    if not missing:
        return None
    key = missing[0]
    return f"{PROVIDERS[provider].title} needs {key.variable} ({key.sent_as}): {key.where}"
