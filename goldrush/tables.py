"""Presentation of findings: the verdict table every chapter ends with, and the verdict counts."""

from __future__ import annotations

import html

import pandas as pd

from goldrush.checks import Finding, register
from goldrush.method import Verdict

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
                badge = (f'<span class="goldrush-changed" title="verdict on the default parameters">'
                         f"{_badge(f.default_verdict)} →</span> {badge}")
            why = html.escape(f.why)
            if f.parts:
                items = "".join(f"<li>{html.escape(p.label)}: says {html.escape(p.said)}, data {html.escape(p.data)} "
                                f"{_badge(p.verdict)}</li>" for p in f.parts)
                why += f'<ul class="goldrush-parts">{items}</ul>'
            if f.reason:
                why += f"<p><em>{html.escape(f.reason)}</em></p>"
            cells = [f"<b>{f.claim_id}</b> {html.escape(claim.claim)}", html.escape(_said(claim.article_value)), data_say, badge, why]
            if self.evidence:
                cells.append(", ".join(f'<a href="data-and-methods.html#{anchor(d)}">{html.escape(d)}</a>' for d in f.evidence))
            body.append(f'<tr id="{f.claim_id}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        note = ('<p class="goldrush-rerun-note">This chapter ran on other than its default parameters; '
                "an arrow marks each verdict that differs from the default run (old → new).</p>") if rerun else ""
        link = f'<p class="goldrush-method-link">Verdicts follow one published method: <a href="{METHOD_PAGE}">How we check</a>.</p>'
        return f'{note}<table class="goldrush-verdicts"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>{link}'

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
