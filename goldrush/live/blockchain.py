"""blockchain.com Charts API: Bitcoin hash rate, daily and 7-day average, with Coin Metrics' daily series.

``GET https://api.blockchain.info/charts/hash-rate?timespan=all&sampled=true&format=json[&rollingAverage=7days]``
answers ``{"status", "name", "unit": "Hash Rate TH/s", "period", "description", "values": [{"x": unix
seconds, "y": TH/s}]}`` (blockchain.com/explorer/api/charts_api). ``sampled=true`` (the default)
keeps about 1.5k points, one every 4 days over the whole history, as in the snapshot.
"""

from __future__ import annotations

import pandas as pd

from goldrush.live import Fetched, LiveSource, coinmetrics, providers
from goldrush.live.http import LiveError, base_url, get_json

BASE = providers.PROVIDERS["blockchain"].default_url
UNIT = "TH/s"
SERIES = {  # the snapshot's series name -> the chart's averaging parameters
    "blockchain_com_1d": {},
    "blockchain_com_7d_avg": {"rollingAverage": "7days"},
}


def hash_rate_chart(extra: dict[str, str]) -> tuple[pd.DataFrame, str]:
    """The hash-rate chart as ``date`` and ``hash_rate_ehs``."""
    url = f"{base_url('blockchain', BASE)}/charts/hash-rate"
    body = get_json(url, {"timespan": "all", "sampled": "true", "format": "json", **extra})
    if not isinstance(body, dict) or not isinstance(body.get("values"), list):
        raise LiveError(f"{url}: the response has no 'values' list (has the API changed?)")
    if UNIT not in str(body.get("unit", "")):
        raise LiveError(f"{url}: unit is {body.get('unit')!r}, expected {UNIT} (has the API changed?)")
    if not body["values"]:
        raise LiveError(f"{url}: the chart holds no points")
    points = pd.DataFrame(body["values"])
    if not {"x", "y"} <= set(points.columns):
        raise LiveError(f"{url}: points lack 'x' or 'y' (has the API changed?)")
    try:
        date = pd.to_datetime(points["x"], unit="s").dt.normalize()
        value = pd.to_numeric(points["y"]).astype("float64") / coinmetrics.TH_PER_EH
    except (ValueError, TypeError) as exc:
        raise LiveError(f"{url}: unreadable point ({exc})") from None
    return pd.DataFrame({"date": date, "hash_rate_ehs": value}), url


def btc_hash_rate_sources() -> Fetched:
    frames, urls = [], []
    for series, extra in SERIES.items():
        chart, url = hash_rate_chart(extra)
        frames.append(chart.assign(series=series))
        urls.append(url + ("?rollingAverage=" + extra["rollingAverage"] if extra else ""))
    metrics, cm_url = coinmetrics.asset_metrics("btc", coinmetrics.BTC_METRICS)
    daily = pd.DataFrame({"date": metrics["day"], "hash_rate_ehs": coinmetrics.btc_hash_rate_ehs(metrics)})
    frames.append(daily.dropna().assign(series="coinmetrics_daily"))
    frame = pd.concat(frames, ignore_index=True)[["date", "series", "hash_rate_ehs"]]
    note = f"blockchain.com series are sampled every 4 days (sampled=true). Series coinmetrics_daily: {coinmetrics.CREDIT}"
    return Fetched(frame, " and ".join([*urls, cm_url]), note)


CLIENTS = {
    "btc_hash_rate_sources": LiveSource(btc_hash_rate_sources, {"blockchain": BASE, "coinmetrics": coinmetrics.BASE}),
}
