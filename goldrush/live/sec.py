"""NVIDIA's shares outstanding and quarterly results from SEC EDGAR's XBRL ``companyfacts`` API.

One document, ``/api/xbrl/companyfacts/CIK0001045810.json``, holds every fact NVIDIA tagged in its
filings: ``facts[taxonomy][concept]["units"][unit]`` is a list of ``{start, end, val, accn, fy, fp,
form, filed, frame}`` (``start`` only for durations). The SEC asks for a User-Agent naming a real
contact and at most 10 requests a second: ``GOLDRUSH_CONTACT`` must hold your e-mail address
(``http.user_agent``), or no request is made. Where a period was reported more than once
(a later filing's comparative column), the latest filing wins, as in the SEC's ``frames`` API.

- ``nvda_shares_outstanding``: ``dei:EntityCommonStockSharesOutstanding`` from 10-K and 10-Q cover
  pages, as of their date, times every split after that date. The splits are Yahoo's split events
  for NVDA (``events.splits`` of the chart API), so no factor is typed in here.
- ``nvidia_quarterly``: three-month revenue, gross profit and net income from 10-Q and 10-K facts;
  Q4, which NVIDIA reports only inside the fiscal year, is the fiscal year minus Q1 to Q3.
  Revenue is ``RevenueFromContractWithCustomerExcludingAssessedTax`` (from FY2019, ASC 606) or,
  before it, ``Revenues``. Revenue by platform is tagged only with segment dimensions, which
  companyfacts leaves out, so the platform columns are the snapshot's for the quarters it has
  (the chapters need them) and empty for later quarters.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import pandas as pd

from goldrush import data
from goldrush.live import Fetched, LiveSource, providers, yahoo
from goldrush.live.http import LiveError, base_url, get_json

DEFAULT_URL = providers.PROVIDERS["sec"].default_url
CIK = "0001045810"  # NVIDIA Corporation's Central Index Key at the SEC (EDGAR company search)
MIN_INTERVAL = 0.1  # seconds between requests: the SEC allows 10 a second
FORMS = ("10-K", "10-Q", "10-K/A", "10-Q/A")
QUARTER_DAYS = range(80, 101)  # a 13- or 14-week fiscal quarter
YEAR_DAYS = range(350, 380)  # a 52- or 53-week fiscal year
CONCEPTS = {
    "revenue": ("RevenueFromContractWithCustomerExcludingAssessedTax", "Revenues"),
    "gross_profit": ("GrossProfit",),
    "net_income": ("NetIncomeLoss",),
}
QUARTER = ["fiscal_year", "fiscal_quarter"]
PLATFORMS = ["gaming", "data_center", "professional_visualization", "automotive", "oem_other", "cmp"]
MILLION = 1_000_000


def facts_url() -> str:
    return f"{base_url('sec', DEFAULT_URL)}/api/xbrl/companyfacts/CIK{CIK}.json"


def company_facts() -> tuple[dict, str]:
    """The parsed companyfacts document and its URL."""
    url = facts_url()
    lack = providers.needs("sec")
    if lack:
        raise LiveError(f"{url}: not asked: {lack}")
    body = get_json(url, min_interval=MIN_INTERVAL)
    if not isinstance(body, dict) or not isinstance(body.get("facts"), dict):
        raise LiveError(f"{url}: no 'facts' object in the response (has the API changed?)")
    return body, url


def facts(body: dict, url: str, taxonomy: str, concept: str, unit: str) -> pd.DataFrame | None:
    """One concept's facts from 10-K/10-Q filings, latest filing per period; None if not reported."""
    rows = body["facts"].get(taxonomy, {}).get(concept, {}).get("units", {}).get(unit)
    if not rows:
        return None
    frame = pd.DataFrame(rows)
    needed = ["end", "val", "accn", "form", "filed"] + (["start"] if unit != "shares" else [])
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise LiveError(f"{url}: {taxonomy}:{concept} facts have no {', '.join(missing)} (has the API changed?)")
    frame = frame[frame["form"].isin(FORMS)].copy()
    try:
        for column in ("start", "end", "filed"):
            if column in needed:
                frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d")
        frame["val"] = pd.to_numeric(frame["val"])
    except (ValueError, TypeError) as exc:
        raise LiveError(f"{url}: malformed {taxonomy}:{concept} fact ({exc})") from None
    period = ["start", "end"] if "start" in needed else ["end"]
    return frame.sort_values("filed").drop_duplicates(period, keep="last").reset_index(drop=True)


def _required(body: dict, url: str, taxonomy: str, concept: str, unit: str) -> pd.DataFrame:
    found = facts(body, url, taxonomy, concept, unit)
    if found is None or found.empty:
        raise LiveError(f"{url}: no {taxonomy}:{concept} facts in {unit} from 10-K or 10-Q filings")
    return found


def shares_outstanding() -> Fetched:
    body, url = company_facts()
    covers = _required(body, url, "dei", "EntityCommonStockSharesOutstanding", "shares")
    start = min(yahoo.first_day("nvda_daily"), covers["end"].min().date())
    chart = yahoo.chart("NVDA", start)
    rows = []
    for fact in covers.itertuples():
        as_of = fact.end.date()
        later = [(day, ratio) for day, ratio in chart.splits if day > as_of]
        factor = math.prod(ratio for _, ratio in later)
        basis = ", ".join(f"x{ratio:g} for the {day} split" for day, ratio in later) or "no split since"
        rows.append(
            {
                "as_of_date": f"{as_of:%Y-%m-%d}",
                "shares_outstanding": round(fact.val * factor),
                "source": (
                    f"SEC EDGAR companyfacts dei:EntityCommonStockSharesOutstanding = {fact.val:,.0f} "
                    f"({fact.form}, accession {fact.accn}, filed {fact.filed:%Y-%m-%d}); {basis}"
                ),
            }
        )
    note = f"Shares put on today's basis with Yahoo's NVDA split events ({chart.url})."
    return Fetched(pd.DataFrame(rows), url, note)


def _fiscal_years(annual: pd.DataFrame, quarters: pd.DataFrame) -> list[tuple[int, date, date | None]]:
    """(fiscal year, first day, last day) of each year; the year in progress has no last day yet.

    A fiscal year is named by the calendar year it ends in (NVIDIA's FY2024 ended 2024-01-28).
    """
    years = [(end.year, start.date(), end.date()) for start, end in zip(annual["start"], annual["end"], strict=True)]
    years = sorted(set(years), key=lambda y: y[1])
    if years and (quarters["end"].dt.date > years[-1][2]).any():
        last = years[-1]
        years.append((last[0] + 1, last[2] + timedelta(days=1), None))
    return years


def _quarter(start: date, end: date, years: list[tuple[int, date, date | None]]) -> tuple[int, int] | None:
    """(fiscal year, quarter 1-4) of a three-month period, or None if it lies in no known year."""
    for year, first, last in years:
        if first <= start and (last is None or end <= last):
            number = 1 + round((start - first).days / 91)
            return (year, number) if 1 <= number <= 4 else None
    return None


def _metric(body: dict, url: str, concepts: tuple[str, ...]) -> pd.DataFrame:
    """Durations of the first concept that reports each period (concepts in order of preference)."""
    parts = [f.assign(rank=rank) for rank, c in enumerate(concepts) if (f := facts(body, url, "us-gaap", c, "USD")) is not None]
    parts = [p for p in parts if not p.empty]
    if not parts:
        raise LiveError(f"{url}: no us-gaap:{' or '.join(concepts)} facts in USD from 10-K or 10-Q filings")
    frame = pd.concat(parts).sort_values(["rank", "filed"], ascending=[True, False])
    frame = frame.drop_duplicates(["start", "end"]).reset_index(drop=True)
    frame["days"] = (frame["end"] - frame["start"]).dt.days
    frame["concept"] = [concepts[r] for r in frame["rank"]]
    return frame


def _quarterly_values(metric: pd.DataFrame, years: list[tuple[int, date, date | None]]) -> dict[tuple[int, int], dict]:
    """Per (fiscal year, quarter): value in USD, period end and where it came from; Q4 derived."""
    values: dict[tuple[int, int], dict] = {}
    for fact in metric[metric["days"].isin(QUARTER_DAYS)].itertuples():
        key = _quarter(fact.start.date(), fact.end.date(), years)
        if key:
            values[key] = {
                "val": fact.val,
                "end": fact.end.date(),
                "source": f"{fact.concept} ({fact.form} {fact.accn})",
            }
    for fact in metric[metric["days"].isin(YEAR_DAYS)].itertuples():
        year = fact.end.year
        parts = [values.get((year, q)) for q in (1, 2, 3)]
        if (year, 4) in values or not all(parts):
            continue
        values[(year, 4)] = {
            "val": fact.val - sum(p["val"] for p in parts if p is not None),
            "end": fact.end.date(),
            "source": f"{fact.concept} fiscal year ({fact.form} {fact.accn}) minus Q1-Q3",
        }
    return values


def quarterly() -> Fetched:
    body, url = company_facts()
    metrics = {name: _metric(body, url, concepts) for name, concepts in CONCEPTS.items()}
    revenue = metrics["revenue"]
    years = _fiscal_years(revenue[revenue["days"].isin(YEAR_DAYS)], revenue[revenue["days"].isin(QUARTER_DAYS)])
    values = {name: _quarterly_values(frame, years) for name, frame in metrics.items()}
    rows = []
    for (year, number), rev in sorted(values["revenue"].items()):
        row = {"fiscal_year": year, "fiscal_quarter": number, "period_end": f"{rev['end']:%Y-%m-%d}"}
        sources = []
        for name in CONCEPTS:
            found = values[name].get((year, number))
            row[name] = round(found["val"] / MILLION) if found else pd.NA
            if found:
                sources.append(f"{name}: us-gaap:{found['source']}")
        row["source"] = f"SEC EDGAR companyfacts CIK{CIK}; " + "; ".join(sources)
        rows.append(row)
    note = (
        "Revenue, gross profit and net income from SEC XBRL facts (Q4 = fiscal year minus Q1-Q3); "
        "revenue by platform is not in companyfacts, so gaming, data center, professional visualization, "
        "automotive, OEM & other and CMP are the snapshot's for the quarters it has and empty after them."
    )
    return Fetched(pd.DataFrame(rows).merge(_snapshot_platforms(), on=QUARTER, how="left"), url, note)


def _snapshot_platforms() -> pd.DataFrame:
    """Revenue by platform per fiscal quarter from the snapshot (companyfacts has no segment facts)."""
    return data.load("nvidia_quarterly")[[*QUARTER, *PLATFORMS]].astype({key: "int64" for key in QUARTER})


CLIENTS = {
    "nvda_shares_outstanding": LiveSource(shares_outstanding, {"sec": DEFAULT_URL, "yahoo": yahoo.DEFAULT_URL}),
    "nvidia_quarterly": LiveSource(quarterly, {"sec": DEFAULT_URL}),
}
