"""Claim checks: the register in ``seeds/``, typed chapter contexts, and computed findings.

A check is a pure function ``(claim, ctx) -> Finding`` named in ``seeds/claims.yml`` as
``module.function`` (a module of this package). It reads data only through ``ctx``, never types a
figure in, and decides nothing itself: verdicts come from the rules in ``goldrush.method``.
"""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from goldrush import method, paths, yamlfiles
from goldrush.context import AsOfContext, Context, WindowContext, context
from goldrush.errors import GoldrushError
from goldrush.method import Band, Part, Verdict

if TYPE_CHECKING:  # the register and the findings need no pandas: the checks import it where they read data
    import pandas as pd

__all__ = [
    "AsOfContext",
    "Claim",
    "Context",
    "Finding",
    "Verdict",
    "WindowContext",
    "context",
    "evaluate",
    "evaluate_chapter",
    "register",
]

CHART_DIR_ENV = "GOLDRUSH_CHART_DIR"


@dataclass(frozen=True)
class Claim:
    """One record of ``seeds/claims.yml``."""

    id: str
    section: str
    chapter: str
    claim: str
    article_value: Any
    unit: str
    kind: str
    check: str | None
    qualifier: str = ""
    tolerance: float | None = None  # an override of the kind's tolerance, only with a reason
    reason: str | None = None  # why the override
    uncheckable: str | None = None  # claims without a check: why the data cannot decide
    would_decide: str | None = None  # what evidence would decide an unverifiable claim
    also: dict[str, dict[str, Any]] = field(default_factory=dict)  # other figures the claim states: name -> value, qualifier

    def stated(self, name: str) -> tuple[float, str]:
        """Another figure this claim states (``also`` in claims.yml), with its qualifier."""
        figure = self.also[name]
        return figure["value"], figure.get("qualifier", "")

    @property
    def tol(self) -> float:
        return method.tolerance(self.kind, self.tolerance)

    def grade(self, data: float, said: float | None = None) -> Verdict:
        """The article's figure (or ``said``) against ``data``, with this claim's qualifier and tolerance."""
        return method.grade(self.article_value if said is None else said, data, self.tol, self.qualifier)


@dataclass
class Finding:
    """A check's result: the figure computed from data, a verdict, one sentence of why, and how it was decided."""

    claim_id: str
    data_value: float | str | None
    unit: str
    verdict: Verdict
    why: str
    evidence: list[str] = field(default_factory=list)  # dataset names in data/
    parameters: dict[str, Any] = field(default_factory=dict)
    parts: list[Part] = field(default_factory=list)  # each checked part of a compound claim
    band: dict[str, Any] | None = None  # the uncertainty band, where an input is rounded or disputed
    rule: str = ""  # the rule of the method that decided the verdict
    reason: str | None = None  # a claim-specific tolerance and why
    default_verdict: Verdict | None = None  # the verdict on the chapter's default parameters, when different

    def __post_init__(self) -> None:
        if hasattr(self.data_value, "item"):  # a numpy scalar, as plain JSON-ready Python
            self.data_value = self.data_value.item()  # type: ignore[union-attr]

    def as_record(self) -> dict[str, Any]:
        record = asdict(self)
        record["verdict"] = self.verdict.value
        record["parts"] = [p.as_record() for p in self.parts]
        record["default_verdict"] = self.default_verdict.value if self.default_verdict else None
        return record


CheckFn = Callable[[Claim, Any], Finding]


@cache
def register() -> dict[str, Claim]:
    """All claims in ``seeds/claims.yml``, by id (an override of a tolerance must give its reason)."""
    raw = yamlfiles.read(paths.SEEDS / "claims.yml")
    claims = {c["id"]: Claim(**c) for c in raw["claims"]}
    for claim in claims.values():
        if claim.tolerance is not None and not claim.reason:
            raise GoldrushError(f"claim {claim.id} overrides its tolerance without a reason")
        if claim.qualifier not in method.QUALIFIERS:
            raise GoldrushError(f"claim {claim.id}: unknown qualifier {claim.qualifier!r}")
    return claims


def resolve(claim: Claim) -> CheckFn | None:
    """The function named by ``claim.check``, or None for claims without a computed check."""
    if claim.check is None:
        return None
    module_name, _, function = claim.check.rpartition(".")
    module = importlib.import_module(f"goldrush.checks.{module_name}")
    return getattr(module, function)


def undecided(claim: Claim) -> Finding:
    """A claim without a check: opinion if it is a value judgement, else unverifiable with what would decide it."""
    if claim.kind == "opinion":
        return Finding(claim.id, None, claim.unit, Verdict.OPINION, claim.uncheckable or "", rule="kinds: a value judgement")
    why = " ".join(
        t for t in (claim.uncheckable, f"What would decide it: {claim.would_decide}." if claim.would_decide else "") if t
    )
    return Finding(claim.id, None, claim.unit, Verdict.UNVERIFIABLE, why, rule="kinds: a factual claim the data cannot decide")


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
        finding = undecided(claim) if fn is None else fn(claim, ctx)
        finding.parameters = ctx.parameters()
        if claim.tolerance is not None:
            finding.reason = f"Tolerance {claim.tolerance:.0%} instead of {method.TOLERANCE[claim.kind]:.0%}: {claim.reason}"
        findings.append(finding)
    return findings


def chapter_claims(slug: str) -> list[str]:
    """The ids of the claims whose home is chapter ``slug``."""
    return [c.id for c in register().values() if c.chapter == slug]


def evaluate_chapter(slug: str, ctx: AsOfContext | WindowContext) -> list[Finding]:
    """Evaluate the claims at home in chapter ``slug``; off its defaults, mark verdicts that differ.

    When ``GOLDRUSH_CHART_DIR`` is set, writes ``findings-<slug>.json`` there: the parameters and
    every finding's record.
    """
    findings = evaluate(chapter_claims(slug), ctx)
    default = context(slug, source=ctx.source)
    if default.parameters() != ctx.parameters():
        before = {f.claim_id: f.verdict for f in evaluate(chapter_claims(slug), default)}
        for f in findings:
            if before[f.claim_id] is not f.verdict:
                f.default_verdict = before[f.claim_id]
    folder = os.environ.get(CHART_DIR_ENV)
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        document = {"chapter": slug, "parameters": ctx.parameters(), "findings": [f.as_record() for f in findings]}
        (Path(folder) / f"findings-{slug}.json").write_text(json.dumps(document, indent=1, default=str) + "\n", encoding="utf-8")
    return findings


def decide(
    claim: Claim,
    data_value: float | str | None,
    unit: str,
    parts: list[Part],
    why: str,
    evidence: list[str],
    band: Band | None = None,
) -> Finding:
    """A finding from checked parts: the worst part decides; a band that flips the verdict is said."""
    verdict = method.worst(*(p.verdict for p in parts))
    if len(parts) > 1:
        rule = "compound: the worst part decides"
    elif isinstance(claim.article_value, (int, float)):
        rule = (
            f"quantities: stated precision, qualifier {claim.qualifier!r}" if claim.qualifier else "quantities: stated precision"
        )
    else:
        rule = "facts: the data decide the statement"
    if band is not None:
        note = method.band_note(band, verdict)
        why = f"{why} {note}".strip()
    return Finding(
        claim.id, data_value, unit, verdict, why, evidence, parts=parts, band=band.as_record(verdict) if band else None, rule=rule
    )


def window_gap(ctx: WindowContext, first: object, last: object, what: str) -> str | None:
    """Why a window chapter cannot judge a claim about ``first``..``last`` (None if its window covers it)."""
    import pandas as pd

    if pd.Timestamp(last) > pd.Timestamp(ctx.end):
        return f"This page's window ends on {ctx.end}, before the end of {what} ({method.day(last)})."
    if pd.Timestamp(first) < pd.Timestamp(ctx.start):
        return f"This page's window starts on {ctx.start}, after the start of {what} ({method.day(first)})."
    return None


def unverifiable(
    claim: Claim, unit: str, why: str, evidence: list[str], rule: str = "time", data_value: float | str | None = None
) -> Finding:
    """A claim the data cannot decide on this date (``rule``: time, staleness or kinds)."""
    return Finding(claim.id, data_value, unit, Verdict.UNVERIFIABLE, why, evidence, rule=rule)


def show(findings: list[Finding], evidence: bool = False):  # noqa: ANN201 - presentation lives in tables
    """Display findings (see ``goldrush.tables``)."""
    from goldrush import tables

    return tables.show(findings, evidence)


def summary(findings: list[Finding]) -> pd.DataFrame:
    """How many claims got each verdict (see ``goldrush.tables``)."""
    from goldrush import tables

    return tables.summary(findings)
