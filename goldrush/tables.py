"""Presentation: the verdict table every chapter ends with, the verdict counts, and the chapters' display
tables (strings, so they print the same everywhere)."""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from goldrush import transforms as tf
from goldrush.analysis.drawing_the_line import (
    HASH_WINDOW_DAYS,
    btc_hash_rate,
    gaming_window,
    merge_day,
    short_dates,
    without_remark,
)
from goldrush.analysis.money_printers import PEAK_YEAR, SLUMP_YEAR, SPLIT_2024, quarter
from goldrush.checks import Finding, register
from goldrush.context import WindowContext
from goldrush.method import Verdict, day
from goldrush.transforms import BILLION, TRILLION

METHOD_PAGE = "../how-we-check.html"  # from a chapter page (book/chapters/)


def _badge(verdict: Verdict) -> str:
    return f'<span class="verdict verdict-{verdict.value.replace(" ", "-")}">{html.escape(verdict.value)}</span>'


def _said(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _changed(f: Finding) -> str:
    return f"{f.default_verdict.value} → {f.verdict.value}" if f.default_verdict else ""


class VerdictTable:
    """Findings for a page (HTML with verdict badges, parts and rerun marks) and for nbval (plain text)."""

    def __init__(self, findings: list[Finding], evidence: bool = False):
        self.findings = findings
        self.evidence = evidence

    def _repr_html_(self) -> str:
        from goldrush.methods import anchor

        claims = register()
        rerun = any(f.default_verdict for f in self.findings)
        columns = ["claim", "article says", "data say", "verdict", "why"] + (["evidence"] if self.evidence else [])
        head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
        body = []
        for f in self.findings:
            claim = claims[f.claim_id]
            data_say = "" if f.data_value is None else html.escape(f"{f.data_value} {f.unit}")
            badge = _badge(f.verdict)
            if f.default_verdict:
                badge = (
                    f'<span class="goldrush-changed" title="verdict on the default parameters">'
                    f"{_badge(f.default_verdict)} →</span> {badge}"
                )
            why = html.escape(f.why)
            if f.parts:
                items = "".join(
                    f"<li>{html.escape(p.label)}: says {html.escape(p.said)}, data {html.escape(p.data)} {_badge(p.verdict)}</li>"
                    for p in f.parts
                )
                why += f'<ul class="goldrush-parts">{items}</ul>'
            if f.reason:
                why += f"<p><em>{html.escape(f.reason)}</em></p>"
            cells = [
                f"<b>{f.claim_id}</b> {html.escape(claim.claim)}",
                html.escape(_said(claim.article_value)),
                data_say,
                badge,
                why,
            ]
            if self.evidence:
                cells.append(", ".join(f'<a href="data-and-methods.html#{anchor(d)}">{html.escape(d)}</a>' for d in f.evidence))
            body.append(f'<tr id="{f.claim_id}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        note = (
            (
                '<p class="goldrush-rerun-note">This chapter ran on other than its default parameters; '
                "an arrow marks each verdict that differs from the default run (old → new).</p>"
            )
            if rerun
            else ""
        )
        link = (
            f'<p class="goldrush-method-link">Verdicts follow one published method: <a href="{METHOD_PAGE}">How we check</a>.</p>'
        )
        return (
            f'{note}<table class="goldrush-verdicts"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>{link}'
        )

    def __repr__(self) -> str:
        lines = []
        for f in self.findings:
            verdict = _changed(f) or f.verdict.value
            data = "" if f.data_value is None else f"{f.data_value} {f.unit}. "
            parts = " Parts: " + "; ".join(f"{p.label} {p.verdict.value}" for p in f.parts) + "." if len(f.parts) > 1 else ""
            lines.append(f"{f.claim_id} {verdict}: {data}{f.why}{parts}")
        return "\n".join(lines)


def show(findings: list[Finding], evidence: bool = False) -> VerdictTable:
    """Display findings; ``evidence`` adds links to each dataset on the Data and methods page."""
    return VerdictTable(findings, evidence)


def summary(findings: list[Finding]) -> pd.DataFrame:
    """How many claims got each verdict, in the vocabulary's order."""
    counts = pd.Series([f.verdict.value for f in findings]).value_counts()
    vocabulary = [v.value for v in Verdict]
    return pd.DataFrame({"verdict": vocabulary, "claims": [int(counts.get(v, 0)) for v in vocabulary]}).set_index("verdict")


# ---------------------------------------------------------------- chapter display tables


def describe_crossings(crossings: pd.DataFrame) -> pd.DataFrame:
    """First-close milestones as a small display table (strings, so it prints the same everywhere)."""
    table = pd.DataFrame(
        {
            "milestone": [f"${t / TRILLION:.0f}T" for t in crossings["threshold"]],
            "first close": crossings["date"].dt.strftime("%Y-%m-%d"),
            "close (USD)": crossings["close"].map("{:.2f}".format),
            "shares (bn)": (crossings["shares_outstanding"] / 1e9).map("{:.2f}".format),
            "market value (USD tn)": (crossings["market_cap"] / TRILLION).map("{:.3f}".format),
        }
    )
    return table.set_index("milestone")


def describe_events(events: pd.DataFrame) -> pd.DataFrame:
    """``key_events`` as a display table."""
    return pd.DataFrame({"date": events["date"].dt.strftime("%Y-%m-%d"), "short name": events["label"], "event": events["event"]})


def describe_collapse(c: pd.Series) -> pd.DataFrame:
    """The hash-rate collapse as a display table (strings, so it prints the same everywhere)."""
    table = pd.DataFrame(
        {
            "date": [day(c["peak_date"]), day(c["trough_date"]), ""],
            "hash rate (EH/s)": [f"{c['peak_ehs']:.1f}", f"{c['trough_ehs']:.1f}", f"{c['hash_rate_change']:+.1%}"],
            "BTC price (USD)": [f"{c['peak_price']:,.0f}", f"{c['trough_price']:,.0f}", f"{c['price_change']:+.1%}"],
        },
        index=["peak", "trough", "change"],
    )
    return table


def describe_drawdown(fall: pd.Series) -> pd.DataFrame:
    """The drawdown as a display table, on today's share basis and on the basis of 2022."""
    rows = {
        f"{PEAK_YEAR} peak close": (fall["peak_date"], fall["peak_close"]),
        f"{SLUMP_YEAR} low close": (fall["low_date"], fall["low_close"]),
    }
    table = pd.DataFrame(
        {
            "date": [d.strftime("%Y-%m-%d") for d, _ in rows.values()],
            "USD, today's basis": [f"{c:.2f}" for _, c in rows.values()],
            "USD, 2022 basis": [f"{c * SPLIT_2024:.2f}" for _, c in rows.values()],
        },
        index=list(rows),
    )
    table.loc["change"] = ["", f"{fall['change']:+.1%}", f"{fall['change']:+.1%}"]
    return table


def describe_sec_quarters(window: pd.DataFrame) -> pd.DataFrame:
    """The quarters the SEC examined: gaming revenue, a year earlier and growth (strings, for a stable print)."""
    rows = window[window["sec"]]
    return pd.DataFrame(
        {
            "quarter": rows["label"],
            "ended": rows["period_end"].dt.strftime("%Y-%m-%d"),
            "gaming (USD m)": rows["gaming"].map("{:,}".format),
            "a year earlier (USD m)": rows["gaming_year_ago"].map("{:,}".format),
            "growth": rows["gaming_yoy"].map("{:+.1%}".format),
        }
    ).set_index("quarter")


def describe_cmp(window: pd.DataFrame) -> pd.DataFrame:
    """CMP revenue by quarter, as printed strings ("not reported" where NVIDIA gave no figure)."""
    return pd.DataFrame(
        {
            "quarter": window["label"],
            "CMP (USD m)": window["cmp"].map(lambda v: "not reported" if pd.isna(v) else f"{v:,}"),
            "revenue (USD m)": window["revenue"].map("{:,}".format),
            "CMP share": window["cmp_share"].map(lambda v: "" if pd.isna(v) else f"{v:.1%}"),
        }
    ).set_index("quarter")


def describe_deals(deals: pd.DataFrame) -> pd.DataFrame:
    """The deals as a display table: date as reported (flagged where unverified), value and what it counts."""
    return pd.DataFrame(
        {
            "date": short_dates(deals),
            "company": deals["company"],
            "counterparty": without_remark(deals["counterparty"]),
            "USD bn": deals["value_bn"].map("{:.2f}".format),
            "value is": deals["flag"],
        }
    ).set_index("date")


def describe_quarters(rows: pd.DataFrame) -> pd.DataFrame:
    """NVIDIA quarters as a small display table."""
    table = pd.DataFrame(
        {
            "quarter ended": rows["period_end"].dt.strftime("%Y-%m-%d"),
            "revenue (USD m)": rows["revenue"].map("{:,}".format),
            "Data Center (USD m)": rows["data_center"].map("{:,}".format),
            "Data Center share": rows["data_center_share"].map("{:.1%}".format),
            "gross margin": rows["gross_margin"].map("{:.1%}".format),
        }
    )
    return table.set_index(rows["fiscal"].rename("fiscal quarter"))


def describe_capex(capex: pd.DataFrame, both: pd.DataFrame, last: int = 4) -> pd.DataFrame:
    """The last ``last`` complete calendar quarters: capex by company, their sum and NVIDIA's Data Center revenue (USD bn)."""
    wide = capex.pivot_table(index="quarter", columns="company", values="capex_musd", aggfunc="sum") / 1000
    wide = wide.join(both.set_index("quarter")[["capex_musd", "data_center", "fiscal"]]).tail(last)
    table = wide[sorted(capex["company"].unique())].map("{:.1f}".format)
    table["all five"] = (wide["capex_musd"] / 1000).map("{:.1f}".format)
    table["NVIDIA DC"] = (wide["data_center"] / 1000).map("{:.1f}".format)
    table["NVIDIA quarter"] = wide["fiscal"]
    table.index = table.index.astype(str)
    return table


def describe_forecast(table: pd.DataFrame) -> pd.DataFrame:
    """The forecast comparison in whole USD billions ("-" where a source gives no figure)."""
    return table.map(lambda v: "-" if pd.isna(v) else f"{v:,.0f}")


def describe_day(day: dict[str, Any]) -> pd.Series:
    """The DeepSeek day's figures as display strings."""
    return pd.Series(
        {
            "day": f"{day['date']:%Y-%m-%d}",
            "close before (USD)": f"{day['previous_close']:.2f}",
            "close (USD)": f"{day['close']:.2f}",
            "change": f"{day['change']:.2%}",
            "shares (bn)": f"{day['shares'] / BILLION:.2f}",
            "value lost (USD bn)": f"{-day['value_change'] / BILLION:.1f}",
            "rank in USD": f"{day['rank_usd']} of {day['days_usd']:,} days since {day['since_usd']:%Y-%m-%d}",
            "rank in %": f"{day['rank_pct']} of {day['days_pct']:,} days since {day['since_pct']:%Y-%m-%d}",
        },
        name="NVIDIA",
    )


def describe_path(path: pd.DataFrame) -> pd.DataFrame:
    """First closes above each trillion, with the calendar days since the previous one."""
    days = path["days"].map(lambda d: "" if pd.isna(d) else f"{d:.0f}")
    return describe_crossings(path).assign(**{"days after previous": days.values})


def year_on_year(quarterly: pd.DataFrame, fiscal_year: int, fiscal_quarter: int) -> pd.DataFrame:
    """Revenue and net income (USD million) of a quarter and the same quarter a year earlier."""
    now, before = quarter(quarterly, fiscal_year, fiscal_quarter), quarter(quarterly, fiscal_year - 1, fiscal_quarter)
    rows = {}
    for item in ("revenue", "net_income"):
        rows[item.replace("_", " ")] = {
            f"Q{fiscal_quarter} FY{fiscal_year - 1}": f"{before[item]:,}",
            f"Q{fiscal_quarter} FY{fiscal_year}": f"{now[item]:,}",
            "change": f"{now[item] / before[item] - 1:+.1%}",
        }
    return pd.DataFrame(rows).T


def gaming_summary(ctx: WindowContext) -> pd.DataFrame:
    """Gaming revenue at the boom's peak, after the Merge's trough and at the last quarter (strings)."""
    q = gaming_window(ctx)
    rows = {}
    before = q[q["era"] == "before the Merge"]
    if not before.empty:
        rows["highest before the Merge"] = before.loc[before["gaming"].idxmax()]
    after = q[q["era"] != "before the Merge"]
    if not after.empty:
        rows["lowest from the Merge on"] = after.loc[after["gaming"].idxmin()]
        rows["last quarter"] = after.iloc[-1]
    table = pd.DataFrame(rows).T
    return pd.DataFrame(
        {
            "quarter": table["label"],
            "ended": pd.to_datetime(table["period_end"]).dt.strftime("%Y-%m-%d"),
            "gaming (USD m)": table["gaming"].map("{:,}".format),
            "growth": table["gaming_yoy"].map("{:+.1%}".format),
        }
    )


def hash_rate_summary(ctx: WindowContext) -> pd.DataFrame:
    """Bitcoin's hash rate at start and end, and over the 30 days after the Merge (strings)."""
    rates = btc_hash_rate(ctx)
    first, last = rates.iloc[0], rates.iloc[-1]
    rows = [("first sample", first["date"], first["hash_rate_ehs"]), ("last sample", last["date"], last["hash_rate_ehs"])]
    merge = merge_day(ctx)
    if merge + pd.Timedelta(days=HASH_WINDOW_DAYS) <= last["date"] and merge >= first["date"]:
        at = tf.last_on_or_before(rates, merge)
        after = tf.last_on_or_before(rates, merge + pd.Timedelta(days=HASH_WINDOW_DAYS))
        rows[1:1] = [
            ("at the Merge", at["date"], at["hash_rate_ehs"]),
            (f"{HASH_WINDOW_DAYS} days later", after["date"], after["hash_rate_ehs"]),
        ]
    return pd.DataFrame(
        {"sample": [r[0] for r in rows], "date": [day(r[1]) for r in rows], "EH/s": [f"{r[2]:,.1f}" for r in rows]}
    ).set_index("sample")
