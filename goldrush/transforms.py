"""Derived series and small computations shared by chapters and claim checks."""

from __future__ import annotations

from datetime import date

import pandas as pd

BILLION = 1e9
TRILLION = 1e12


def market_cap(prices: pd.DataFrame, shares: pd.DataFrame) -> pd.DataFrame:
    """Daily market capitalisation as a step series.

    Each close is multiplied by the latest shares-outstanding figure dated on or before that day
    (``merge_asof``, backward). Days before the first share count are dropped. Columns: ``date``,
    ``close``, ``shares_outstanding``, ``shares_as_of``, ``market_cap`` (USD).
    """
    steps = shares[["as_of_date", "shares_outstanding"]].rename(columns={"as_of_date": "shares_as_of"})
    steps = steps.sort_values("shares_as_of")
    merged = pd.merge_asof(
        prices[["date", "close"]].sort_values("date"),
        steps,
        left_on="date",
        right_on="shares_as_of",
        direction="backward",
    ).dropna(subset=["shares_outstanding"])
    merged["shares_outstanding"] = merged["shares_outstanding"].astype("int64")
    merged["market_cap"] = merged["close"] * merged["shares_outstanding"]
    return merged.reset_index(drop=True)[["date", "close", "shares_outstanding", "shares_as_of", "market_cap"]]


def covered(caps: pd.DataFrame) -> pd.DataFrame:
    """Market-cap rows whose share count still stands for the day (``goldrush.method.MAX_AGE``).

    A count stands until the next one (at most the dataset's maximum age); the last count for one
    quarter plus the filing lag.
    """
    from goldrush import method

    last = caps["shares_as_of"] == caps["shares_as_of"].max()
    limit = last.map({True: method.LAST_COUNT_DAYS, False: method.MAX_AGE["nvda_shares_outstanding"].days})
    return caps[(caps["date"] - caps["shares_as_of"]).dt.days <= limit].reset_index(drop=True)


def up_to(frame: pd.DataFrame, end: date | str, column: str = "date") -> pd.DataFrame:
    """Rows dated on or before ``end``."""
    dates = frame[column]
    if dates.is_monotonic_increasing:  # the usual case: a slice, no mask
        return frame.iloc[: dates.searchsorted(pd.Timestamp(end), side="right")]
    return frame[dates <= pd.Timestamp(end)]


def between(frame: pd.DataFrame, start: date | str, end: date | str, column: str = "date") -> pd.DataFrame:
    """Rows dated from ``start`` to ``end``, both included."""
    return frame[(frame[column] >= pd.Timestamp(start)) & (frame[column] <= pd.Timestamp(end))]


def last_on_or_before(frame: pd.DataFrame, when: date | str, column: str = "date") -> pd.Series:
    """The last row dated on or before ``when`` (raises ``LookupError`` if there is none)."""
    rows = up_to(frame.dropna(), when, column)
    if rows.empty:
        raise LookupError(f"no row on or before {when}")
    return rows.sort_values(column).iloc[-1]


def first_on_or_after(frame: pd.DataFrame, when: date | str, column: str = "date") -> pd.Series:
    """The first row dated on or after ``when`` (raises ``LookupError`` if there is none)."""
    rows = frame[frame[column] >= pd.Timestamp(when)]
    if rows.empty:
        raise LookupError(f"no row on or after {when}")
    return rows.sort_values(column).iloc[0]


def first_crossings(caps: pd.DataFrame, thresholds: list[float], value: str = "market_cap") -> pd.DataFrame:
    """For each threshold, the first row whose ``value`` is at or above it (thresholds never reached are left out)."""
    rows = []
    for threshold in thresholds:
        above = caps[caps[value] >= threshold]
        if not above.empty:
            row = above.iloc[0]
            rows.append({"threshold": threshold, **row.to_dict()})
    empty = caps.iloc[:0].assign(threshold=pd.Series(dtype=float))
    return pd.DataFrame(rows) if rows else empty[["threshold", *caps.columns]]


def rebase(frame: pd.DataFrame, value: str, at: date | str, column: str = "date") -> pd.Series:
    """``value`` indexed to 100 at the first row on or after ``at``."""
    base = first_on_or_after(frame, at, column)[value]
    return frame[value] / base * 100


def resample(frame: pd.DataFrame, rule: str = "W-FRI", column: str = "date") -> pd.DataFrame:
    """Downsample to the last observation per period (weekly by default), keeping the real dates."""
    keyed = frame.set_index(column)
    last_dates = keyed.index.to_series().resample(rule).last().dropna()
    return frame[frame[column].isin(last_dates)].reset_index(drop=True)


def years_between(start: date | str | pd.Timestamp, end: date | str | pd.Timestamp) -> float:
    """Elapsed time in years of 365.25 days."""
    return (pd.Timestamp(end) - pd.Timestamp(start)).days / 365.25


def gdp_league(gdp: pd.DataFrame, year: int, vintage_prefix: str) -> pd.DataFrame:
    """Economies (no aggregates) ranked by GDP for one year and vintage: ``rank, country, iso3, gdp_usd``."""
    rows = gdp[(gdp["year"] == year) & (gdp["is_aggregate"] == 0) & gdp["vintage"].str.startswith(vintage_prefix)]
    rows = rows.sort_values("gdp_usd_current", ascending=False).reset_index(drop=True)
    league = rows[["country", "iso3", "gdp_usd_current", "estimate_flag", "vintage"]].rename(
        columns={"gdp_usd_current": "gdp_usd"}
    )
    league.insert(0, "rank", range(1, len(league) + 1))
    return league


def latest_vintage(gdp: pd.DataFrame, prefix: str = "IMF WEO") -> str:
    """The newest vintage label starting with ``prefix`` (labels end in "Month YYYY")."""
    labels = gdp.loc[gdp["vintage"].str.startswith(prefix), "vintage"].unique()
    return max(labels, key=lambda label: pd.to_datetime(label.removeprefix(prefix).strip(), format="%B %Y"))


def rank_against(league: pd.DataFrame, value: float) -> int:
    """The rank ``value`` would take in a GDP league (1 = largest)."""
    return int((league["gdp_usd"] > value).sum()) + 1


def rebased(series: dict[str, pd.DataFrame], at: date | str, end: date | str, value: str = "close") -> pd.DataFrame:
    """Several price series indexed to 100 at ``at``, long format (``date``, ``series``, ``index``), up to ``end``."""
    frames = []
    for label, frame in series.items():
        window = between(frame, at, end)
        if window.empty:  # a series whose data end before ``at`` is left out
            continue
        frames.append(pd.DataFrame({"date": window["date"], "series": label, "index": rebase(window, value, at)}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["date", "series", "index"])


def overlap(left: pd.DataFrame, right: pd.DataFrame, left_value: str, right_value: str) -> pd.DataFrame:
    """Days present in both frames, with ``left`` and ``right`` values and whether left is larger."""
    both = left[["date", left_value]].merge(right[["date", right_value]], on="date")
    both = both.rename(columns={left_value: "left", right_value: "right"})
    both["left_larger"] = both["left"] > both["right"]
    return both


def lead_changes(both: pd.DataFrame) -> pd.DataFrame:
    """Rows of an ``overlap`` frame where the larger side changed from the previous shared day."""
    changed = both["left_larger"] != both["left_larger"].shift()
    return both[changed].iloc[1:]


def price_vs_list(prices: pd.DataFrame) -> pd.DataFrame:
    """Each price paid for a card (eBay monthly average or street price) against the card's list price
    in the same currency (the ``msrp`` rows of ``gpu_prices``): ``date`` (the month), ``model``,
    ``market``, ``price_type``, ``price``, ``currency``, ``list_price`` and ``multiple`` (price ÷ list
    price). Prices with no list price in their currency are left out."""
    lists = prices[prices["price_type"] == "msrp"].set_index(["model", "currency"])["price"]
    paid = prices[prices["price_type"].isin(["ebay_avg", "street"])].copy()
    paid["list_price"] = [lists.get((m, c)) for m, c in zip(paid["model"], paid["currency"], strict=True)]
    paid = paid.dropna(subset=["list_price"])
    paid["date"] = pd.to_datetime(paid["date"], format="%Y-%m")
    paid["multiple"] = paid["price"] / paid["list_price"]
    columns = ["date", "model", "market", "price_type", "price", "currency", "list_price", "multiple"]
    return paid[columns].reset_index(drop=True)
