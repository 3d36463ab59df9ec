"""IMF DataMapper API v1: World Economic Outlook GDP in current US$ (NGDPD, billions).

``GET /NGDPD?periods=Y1,Y2`` answers ``{"values": {"NGDPD": {"USA": {"2024": 29184.9, ...}, ...}}}``
for countries, regions and analytical groups alike. Names come from ``/countries``, ``/regions``
and ``/groups`` (``{"countries": {"USA": {"label": "United States"}}}``); a code that is not a
country is an aggregate. The vintage comes from ``/indicators`` (``NGDPD.source``, e.g. "World
Economic Outlook (October 2025)", written here as "IMF WEO October 2025"). DataMapper does not say
which years are actuals for each country, so ``estimate_flag`` only marks the years from the WEO's
own year on, which are always projections; earlier years are left empty. Requests say
``Accept: application/json``.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from goldrush.live import providers
from goldrush.live.http import LiveError, base_url, get_json

BASE = providers.PROVIDERS["imf"].default_url
JSON = {"Accept": "application/json"}
INDICATOR = "NGDPD"
BILLION = 1e9  # NGDPD is in billions of US dollars
WEO = re.compile(r"World Economic Outlook \((?P<month>[A-Za-z]+) (?P<year>\d{4})\)")
PROJECTION = "estimate_or_projection"


def _labels(kind: str) -> dict[str, str]:
    """Code -> label for ``countries``, ``regions`` or ``groups``."""
    url = f"{base_url('imf', BASE)}/{kind}"
    body = get_json(url, headers=JSON)
    entries = body.get(kind) if isinstance(body, dict) else None
    if not isinstance(entries, dict) or not entries:
        raise LiveError(f"{url}: the response has no '{kind}' object (has the API changed?)")
    return {code: (entry or {}).get("label") or code for code, entry in entries.items()}


def vintage() -> tuple[str, int | None, str]:
    """The WEO release behind NGDPD: label, its year (None if unreadable) and the raw source text."""
    url = f"{base_url('imf', BASE)}/indicators"
    body = get_json(url, headers=JSON)
    meta = (body.get("indicators") or {}).get(INDICATOR) if isinstance(body, dict) else None
    if not isinstance(meta, dict) or not meta.get("source"):
        raise LiveError(f"{url}: no indicators.{INDICATOR}.source, so no vintage (has the API changed?)")
    found = WEO.search(meta["source"])
    if found is None:
        return f"IMF {meta['source']}", None, meta["source"]
    return f"IMF WEO {found['month']} {found['year']}", int(found["year"]), meta["source"]


def _values(url: str, body: Any) -> dict[str, dict[str, Any]]:
    series = (body.get("values") or {}).get(INDICATOR) if isinstance(body, dict) else None
    if not isinstance(series, dict):
        raise LiveError(f"{url}: the response has no values.{INDICATOR} (has the API changed?)")
    return series


def gdp(first_year: int, last_year: int) -> tuple[pd.DataFrame, str]:
    """Rows of ``gdp_by_country`` for ``first_year`` to ``last_year`` from the current WEO."""
    url = f"{base_url('imf', BASE)}/{INDICATOR}"
    years = [str(y) for y in range(first_year, last_year + 1)]
    series = _values(url, get_json(url, {"periods": ",".join(years)}, headers=JSON))
    label, weo_year, source = vintage()
    countries = _labels("countries")
    names = _labels("regions") | _labels("groups") | countries
    rows = []
    for code, by_year in series.items():
        if not isinstance(by_year, dict):
            raise LiveError(f"{url}: values.{INDICATOR}.{code} is not a year -> value object")
        for year, value in by_year.items():
            if year in years and value is not None:
                rows.append({"iso3": code, "year": int(year), "billions": value})
    if not rows:
        raise LiveError(f"{url}: no {INDICATOR} values for {first_year}-{last_year}")
    frame = pd.DataFrame(rows)
    try:
        usd = pd.to_numeric(frame["billions"]).astype("float64") * BILLION
    except (ValueError, TypeError) as exc:
        raise LiveError(f"{url}: unreadable value ({exc})") from None
    projected = frame["year"] >= weo_year if weo_year else pd.Series(False, index=frame.index)
    out = pd.DataFrame(
        {
            "country": frame["iso3"].map(names).fillna(frame["iso3"]),
            "iso3": frame["iso3"],
            "year": frame["year"],
            "gdp_usd_current": usd,
            "source": f"IMF DataMapper {INDICATOR} ({source}; billions USD x1e9) via {url}",
            "vintage": label,
            "series": INDICATOR,
            "is_aggregate": (~frame["iso3"].isin(countries)).astype(int),
            "estimate_flag": projected.map({True: PROJECTION, False: None}),
        }
    )
    return out, url
