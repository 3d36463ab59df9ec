"""World Bank Indicators API v2: GDP in current US$ (NY.GDP.MKTP.CD) for every economy and aggregate.

``GET /v2/country/all/indicator/NY.GDP.MKTP.CD?format=json&date=Y1:Y2&per_page=N`` answers
``[{"page", "pages", "per_page", "total", "sourceid", "lastupdated"}, [{"country": {"id", "value"},
"countryiso3code", "date", "value", "obs_status", ...}]]``; errors come with HTTP 200 as
``[{"message": [{"id", "key", "value"}]}]``. ``lastupdated`` is the vintage. Aggregates are the
entries of ``/v2/country`` whose region is "Aggregates". The API flags no estimates: ``obs_status``
is passed on as ``estimate_flag`` (it is usually empty). Requests say ``Accept: application/json``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from goldrush.live import providers
from goldrush.live.http import LiveError, base_url, get_json

BASE = providers.PROVIDERS["worldbank"].default_url
JSON = {"Accept": "application/json"}
INDICATOR = "NY.GDP.MKTP.CD"
PER_PAGE = 20_000  # one page holds every economy for a few years
AGGREGATES = "Aggregates"


def _pages(url: str, params: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The first page's header and the rows of every page."""
    header: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []
    page = 1
    while True:
        body = get_json(url, params | {"format": "json", "per_page": PER_PAGE, "page": page}, headers=JSON)
        if isinstance(body, list) and body and isinstance(body[0], dict) and "message" in body[0]:
            messages = "; ".join(f"{m.get('key')}: {m.get('value')}" for m in body[0]["message"])
            raise LiveError(f"{url}: the World Bank API answered with an error ({messages})")
        if not (isinstance(body, list) and len(body) == 2 and isinstance(body[0], dict)):
            raise LiveError(f"{url}: expected [page header, rows] (has the API changed?)")
        header = header or body[0]
        rows += body[1] or []
        if page >= int(body[0].get("pages") or 0):
            return header, rows
        page += 1


def aggregate_codes() -> set[str]:
    """ISO3 codes of the World Bank's regional and income aggregates."""
    url = f"{base_url('worldbank', BASE)}/country"
    _, rows = _pages(url, {})
    try:
        codes = {row["id"] for row in rows if row["region"]["value"].strip() == AGGREGATES}
    except (KeyError, TypeError, AttributeError):
        raise LiveError(f"{url}: entries lack id or region.value (has the API changed?)") from None
    if not codes:
        raise LiveError(f"{url}: no aggregates listed")
    return codes


def gdp(first_year: int, last_year: int) -> tuple[pd.DataFrame, str]:
    """Rows of ``gdp_by_country`` for ``first_year`` to ``last_year`` (years without a value are left out)."""
    url = f"{base_url('worldbank', BASE)}/country/all/indicator/{INDICATOR}"
    header, rows = _pages(url, {"date": f"{first_year}:{last_year}"})
    if not rows:
        raise LiveError(f"{url}: no rows for {first_year}-{last_year}")
    if not header.get("lastupdated"):
        raise LiveError(f"{url}: no 'lastupdated' in the page header, so no vintage (has the API changed?)")
    aggregates = aggregate_codes()
    try:
        frame = pd.DataFrame(
            {
                "country": [row["country"]["value"] for row in rows],
                "iso3": [row["countryiso3code"] for row in rows],
                "year": [int(row["date"]) for row in rows],
                "gdp_usd_current": pd.to_numeric([row["value"] for row in rows]),
                "obs_status": [row.get("obs_status") or None for row in rows],
            }
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise LiveError(f"{url}: a row lacks or garbles {exc} (has the API changed?)") from None
    frame = frame[frame["iso3"].astype(bool) & frame["gdp_usd_current"].notna()]
    if frame.empty:
        raise LiveError(f"{url}: no GDP values for {first_year}-{last_year}")
    frame = frame.assign(
        source=f"World Bank WDI {INDICATOR} via {url}",
        vintage=f"World Bank WDI (API, last updated {header['lastupdated']})",
        series=INDICATOR,
        is_aggregate=frame["iso3"].isin(aggregates).astype(int),
        estimate_flag=frame["obs_status"],
    )
    columns = ["country", "iso3", "year", "gdp_usd_current", "source", "vintage", "series", "is_aggregate", "estimate_flag"]
    return frame[columns].reset_index(drop=True), url
