"""``gdp_by_country`` from both live sources: the World Bank API and the IMF DataMapper API.

Each row names its vintage (World Bank ``lastupdated``; IMF WEO release), as in the snapshot.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from goldrush.live import Fetched, LiveSource, imf, worldbank

FIRST_YEAR = 2023  # the snapshot's first year, so live data covers at least the same span
NOTE = (
    "World Bank rows carry the API's lastupdated date as vintage and its obs_status (almost always "
    "empty) as estimate_flag: the API does not say which values are estimates. IMF rows carry the WEO "
    "release as vintage; DataMapper does not give each country's last actual year, so estimate_flag "
    "marks only years from the release year on (projections) and leaves earlier years empty."
)


def gdp_by_country() -> Fetched:
    last_year = datetime.now(UTC).year
    wb, wb_url = worldbank.gdp(FIRST_YEAR, last_year)
    fund, imf_url = imf.gdp(FIRST_YEAR, last_year)
    return Fetched(pd.concat([fund, wb], ignore_index=True), f"{wb_url} and {imf_url}", NOTE)


CLIENTS = {
    "gdp_by_country": LiveSource(gdp_by_country, {"worldbank": worldbank.BASE, "imf": imf.BASE}),
}
