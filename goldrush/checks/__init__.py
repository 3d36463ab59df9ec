"""Claim checks: the register in ``seeds/``, a fixed verdict vocabulary, and computed findings.

A check is a function ``(claim, ctx) -> Finding`` named in ``seeds/claims.yml`` as
``module.function`` (a module of this package). It reads data only through ``ctx`` and never
types a figure in: the data value comes from ``data/`` or a live source.
"""

from __future__ import annotations

import html
import importlib
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from enum import Enum
from functools import cache, cached_property
from typing import Any, Callable

import pandas as pd
import yaml

from goldrush import paths, sources, transforms
from goldrush.errors import GoldrushError


class Verdict(str, Enum):
    """The fixed vocabulary of verdicts."""

    ACCURATE = "accurate"
    ROUGHLY_RIGHT = "roughly right"
    WRONG = "wrong"
    MISATTRIBUTED = "misattributed"
    UNVERIFIABLE = "unverifiable"
    OPINION = "opinion"


@dataclass(frozen=True)
class Claim:
    id: str
    section: str
    chapter: str
    claim: str
    article_value: Any
    unit: str
    kind: str
    check: str | None
    tolerance: float = 0.05
    uncheckable: str | None = None


@dataclass
class Finding:
    """A check's result: the figure computed from data, a verdict and one sentence of why."""

    claim_id: str
    data_value: float | str | None
    unit: str
    verdict: Verdict
    why: str
    evidence: list[str] = field(default_factory=list)  # dataset names in data/
    parameters: dict[str, Any] = field(default_factory=dict)

    def as_record(self) -> dict[str, Any]:
        record = asdict(self)
        record["verdict"] = self.verdict.value
        return record


@dataclass
class Context:
    """The parameters a chapter ran with, and cached access to its data."""

    as_of: date | None = None  # chapters with a start/end window have no as_of
    since: date | None = None
    start: date | None = None
    end: date | None = None
    source: str = "snapshot"
    _frames: dict[str, pd.DataFrame] = field(default_factory=dict, init=False, repr=False, compare=False)

    def load(self, name: str) -> pd.DataFrame:
        """Dataset ``name`` from the context's source, loaded once per context."""
        if name not in self._frames:
            self._frames[name] = sources.load(name, self.source)
        return self._frames[name]

    @cached_property
    def nvda_market_cap(self) -> pd.DataFrame:
        """NVIDIA's daily market cap (step series), up to ``as_of``."""
        caps = transforms.market_cap(self.load("nvda_daily"), self.load("nvda_shares_outstanding"))
        return transforms.up_to(caps, self.as_of)

    def parameters(self) -> dict[str, Any]:
        """The parameters as plain JSON values (ISO dates), without the unset ones."""
        values = {f.name: getattr(self, f.name) for f in fields(self) if not f.name.startswith("_")}
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items() if v is not None}


CheckFn = Callable[[Claim, Context], Finding]


def context(slug: str, **given: Any) -> Context:
    """A chapter's Context from its parameters, validated (bad values raise GoldrushError)."""
    from goldrush import chapters, params

    values = params.validate(chapters.get(slug), given)
    dates = {k: date.fromisoformat(values[k]) for k in ("as_of", "since", "start", "end") if k in values}
    source = values.get("source", "snapshot")
    if not chapters.get(slug).gathers:
        sources.select(source)  # chart captions credit what this chapter actually read
    return Context(**dates, source=source)


@cache
def register() -> dict[str, Claim]:
    """All claims in ``seeds/claims.yml``, by id."""
    raw = yaml.safe_load((paths.SEEDS / "claims.yml").read_text(encoding="utf-8"))
    return {c["id"]: Claim(**c) for c in raw["claims"]}


def resolve(claim: Claim) -> CheckFn | None:
    """The function named by ``claim.check``, or None for claims without a computed check."""
    if claim.check is None:
        return None
    module_name, _, function = claim.check.rpartition(".")
    module = importlib.import_module(f"goldrush.checks.{module_name}")
    return getattr(module, function)


def evaluate(ids: list[str], ctx: Context) -> list[Finding]:
    """Run the checks for ``ids`` with the chapter's context."""
    claims = register()
    unknown = [i for i in ids if i not in claims]
    if unknown:
        raise GoldrushError(f"unknown claim id(s): {', '.join(unknown)}")
    findings = []
    for claim_id in ids:
        claim = claims[claim_id]
        fn = resolve(claim)
        if fn is None:
            verdict = Verdict.OPINION if claim.kind == "opinion" else Verdict.UNVERIFIABLE
            finding = Finding(claim_id, None, claim.unit, verdict, claim.uncheckable or "No check has been written for this claim yet.")
        else:
            finding = fn(claim, ctx)
        finding.parameters = ctx.parameters()
        findings.append(finding)
    return findings


def day(ts: pd.Timestamp) -> str:
    """A timestamp as an ISO date, as the findings print it."""
    return ts.strftime("%Y-%m-%d")


def graded(claimed: float, actual: float, tolerance: float) -> Verdict:
    """accurate within ``tolerance`` (relative), roughly right within twice it, else wrong."""
    gap = abs(actual - claimed) / abs(claimed)
    if gap <= tolerance:
        return Verdict.ACCURATE
    if gap <= 2 * tolerance:
        return Verdict.ROUGHLY_RIGHT
    return Verdict.WRONG


def table(findings: list[Finding]) -> pd.DataFrame:
    """Findings as a frame: claim, article value, data value, unit, verdict, why."""
    claims = register()
    rows = [
        {
            "id": f.claim_id,
            "claim": claims[f.claim_id].claim,
            "article says": claims[f.claim_id].article_value,
            "data say": f.data_value,
            "unit": f.unit,
            "verdict": f.verdict.value,
            "why": f.why,
        }
        for f in findings
    ]
    return pd.DataFrame(rows)


class VerdictTable:
    """Findings for a page (HTML table with verdict badges) and for nbval (stable plain text)."""

    def __init__(self, findings: list[Finding], evidence: bool = False):
        self.frame = table(findings)
        self.evidence = [f.evidence for f in findings] if evidence else None

    def _repr_html_(self) -> str:
        from goldrush.methods import anchor

        columns = ["claim", "article says", "data say", "verdict", "why"] + (["evidence"] if self.evidence else [])
        head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
        body = []
        for i, row in enumerate(self.frame.itertuples(index=False)):
            article = "" if pd.isna(row[2]) else html.escape(str(row[2]))
            data_say = "" if pd.isna(row[3]) else html.escape(f"{row[3]} {row[4]}")
            badge = f'<span class="verdict verdict-{row[5].replace(" ", "-")}">{html.escape(row[5])}</span>'
            cells = [f"<b>{row[0]}</b> {html.escape(row[1])}", article, data_say, badge, html.escape(row[6])]
            if self.evidence:
                links = (f'<a href="data-and-methods.html#{anchor(d)}">{html.escape(d)}</a>' for d in self.evidence[i])
                cells.append(", ".join(links))
            body.append(f'<tr id="{row[0]}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        return f'<table class="goldrush-verdicts"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'

    def __repr__(self) -> str:
        return "\n".join(
            f"{r[0]} {r[5]}: " + ("" if pd.isna(r[3]) else f"{r[3]} {r[4]}. ") + r[6]
            for r in self.frame.itertuples(index=False)
        )


def summary(findings: list[Finding]) -> pd.DataFrame:
    """How many claims got each verdict, in the vocabulary's order."""
    counts = pd.Series([f.verdict.value for f in findings]).value_counts()
    vocabulary = [v.value for v in Verdict]
    return pd.DataFrame({"verdict": vocabulary, "claims": [int(counts.get(v, 0)) for v in vocabulary]}).set_index("verdict")


def show(findings: list[Finding], evidence: bool = False) -> VerdictTable:
    """Display findings; ``evidence`` adds links to each dataset on the Data and methods page."""
    return VerdictTable(findings, evidence)
