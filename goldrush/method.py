"""How we check: the verdict vocabulary and the rules every claim check is built from.

No check decides a verdict with logic of its own. A check computes figures from data, then asks
this module: ``grade`` a stated quantity (precision and qualifier), ``worst`` of a compound claim's
parts, ``flip_note`` for an uncertainty band, ``not_covered`` / ``not_yet`` / ``stale`` for time,
and words the result with ``plural`` and ``number``. The "How we check" page is generated from the
constants here, so the published method is the one the code applies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Verdict(StrEnum):
    """The fixed vocabulary of verdicts."""

    ACCURATE = "accurate"
    ROUGHLY_RIGHT = "roughly right"
    WRONG = "wrong"
    MISATTRIBUTED = "misattributed"
    UNVERIFIABLE = "unverifiable"
    OPINION = "opinion"


DEFINITIONS: dict[Verdict, str] = {
    Verdict.ACCURATE: "The data give the article's figure at the precision the article states it, or within the "
    'tolerance for its kind of claim; a stated bound ("more than", "almost") is met; every part of a '
    "compound claim is accurate.",
    Verdict.ROUGHLY_RIGHT: "A stated figure (with no bound) is off by more than the tolerance but by no more than twice it.",
    Verdict.WRONG: "The data contradict the claim: a figure off by more than twice the tolerance, a stated bound "
    "the data miss, an event dated otherwise, or any part of a compound claim that is wrong.",
    Verdict.MISATTRIBUTED: "The figure is right but comes from someone other than the source the article names.",
    Verdict.UNVERIFIABLE: "A factual claim our data cannot decide on the chosen date: the data do not cover the "
    "date, the event had not happened yet, a carried-forward input is too old, or the claim concerns something "
    "not in the data (a quotation, a private figure). The explanation says what would decide it.",
    Verdict.OPINION: "A value judgement or a causal reading, which no data can make true or false. As part of a "
    "compound claim it is shown but does not move the verdict.",
}

# Severity, mildest first: a compound claim takes its worst part's verdict. An opinion part never
# decides while a factual part exists.
SEVERITY = [Verdict.OPINION, Verdict.ACCURATE, Verdict.ROUGHLY_RIGHT, Verdict.UNVERIFIABLE, Verdict.MISATTRIBUTED, Verdict.WRONG]

# One relative tolerance per kind of claim (seeds/claims.yml `kind`); a claim may override it only
# with a written reason, which its page shows.
TOLERANCE: dict[str, float] = {
    "market": 0.05,  # prices and market values move several percent in a day
    "filing": 0.01,  # figures copied from a filing should match it
    "event": 0.05,
    "estimate": 0.10,  # third-party estimates and forecasts are themselves rounded guesses
    "forecast": 0.10,
}
TOLERANCE_REASONS: dict[str, str] = {
    "market": "prices and market values move several percent in a day",
    "filing": "figures copied from a filing should match it",
    "event": "dates and event figures are compared as recorded",
    "estimate": "third-party estimates are themselves rounded guesses",
    "forecast": "forecasts are themselves rounded guesses",
}
# What each kind of claim is, and how it is checked.
KINDS: dict[str, str] = {
    "market": "prices, market values and other market data: checked against the data on the chosen date",
    "filing": "figures from company filings: checked against the filing",
    "event": "dated events: checked against the events record, to the precision the article gives the date",
    "estimate": "third-party estimates: checked as reported, and against who made them",
    "forecast": "a forecast attributed to someone: checked as reported (did they say it, as stated) and, once "
    "its period has passed, against outcomes",
    "quote": "what someone said: unverifiable unless the data hold a record of it, with what would decide it",
    "private": "a figure nobody publishes: unverifiable, with what would decide it",
    "opinion": "a value judgement: the verdict is opinion",
}
ROUGH_FACTOR = 2  # "roughly right" up to this many tolerances off

# How the article's qualifiers read: "equal" (a figure, perhaps rounded), "above" / "at least" (a
# lower bound), "below" (an upper bound), "approaching" (just under a figure: "almost", "nearly").
QUALIFIERS: dict[str, str] = {
    "": "equal",
    "about": "equal",
    "near": "equal",
    "more than": "above",
    "over": "above",
    "above": "above",
    "at least": "at least",
    "under": "below",
    "less than": "below",
    "almost": "approaching",
    "nearly": "approaching",
}
QUALIFIER_RULES: dict[str, str] = {
    "equal": "accurate within half a unit of the last digit the article states, or within the tolerance; "
    "roughly right within twice the tolerance; wrong beyond",
    "above": "accurate if the data are above the figure, wrong otherwise",
    "at least": "accurate if the data reach the figure, wrong otherwise",
    "below": "accurate if the data are below the figure, wrong otherwise",
    "approaching": "accurate if the data are at most the figure (at its stated precision) and no more than the "
    "tolerance under it; roughly right up to twice the tolerance under; wrong above the figure or further under",
}


@dataclass(frozen=True)
class MaxAge:
    """How long a carried-forward value stands for later dates."""

    days: int
    reason: str


# Carried-forward inputs: past this age a value no longer covers a date, and claims that need it
# are unverifiable on that date.
QUARTER_DAYS, FILING_LAG_DAYS = 92, 45
MAX_AGE: dict[str, MaxAge] = {
    "nvda_shares_outstanding": MaxAge(
        365 + FILING_LAG_DAYS,
        f"the snapshot's share counts are annual until 2022 and quarterly since; a count stands until the next "
        f"one, and the last for one quarter plus the {FILING_LAG_DAYS}-day filing lag",
    ),
    "nvda_daily": MaxAge(5, "a daily close covers the days the market is shut (weekends, holidays)"),
    "sp500_daily": MaxAge(5, "a daily close covers the days the market is shut (weekends, holidays)"),
    "total_crypto_market_cap": MaxAge(7, "crypto markets trade every day; a total more than a week old is not today's"),
}
LAST_COUNT_DAYS = QUARTER_DAYS + FILING_LAG_DAYS  # the last share count in the data covers this long


# ------------------------------------------------------------------ wording


def plural(n: int, one: str, many: str | None = None) -> str:
    """``1 deal``, ``2 deals`` (``many`` for irregular plurals)."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def number(value: float, digits: int = 0) -> str:
    """The book's one number format: thousands separated by commas, ``digits`` decimals."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise ValueError("no number to format")
    return f"{value:,.{digits}f}"


def day(ts: object) -> str:
    """A date as the findings print it (ISO)."""
    import pandas as pd

    return pd.Timestamp(ts).strftime("%Y-%m-%d")


# ------------------------------------------------------------------ quantities


def precision(value: float) -> float:
    """The unit of the last digit the article states: 26.9 -> 0.1, 589 -> 1, 60000 -> 10000."""
    exponent = Decimal(str(value)).normalize().as_tuple().exponent
    return float(Decimal(1).scaleb(int(exponent)))


def tolerance(kind: str, override: float | None = None) -> float:
    return override if override is not None else TOLERANCE.get(kind, TOLERANCE["market"])


def grade(said: float, data: float, tol: float, qualifier: str = "") -> Verdict:
    """The verdict on one stated quantity, by its qualifier (see ``QUALIFIER_RULES``)."""
    rule = QUALIFIERS[qualifier]
    if rule == "above":
        return Verdict.ACCURATE if data > said else Verdict.WRONG
    if rule == "at least":
        return Verdict.ACCURATE if data >= said else Verdict.WRONG
    if rule == "below":
        return Verdict.ACCURATE if data < said else Verdict.WRONG
    half = precision(said) / 2
    scale = abs(said)
    if rule == "approaching":
        over = abs(data) - abs(said)
        if over > half:
            return Verdict.WRONG
        short = max(-over, 0.0)
        if short <= half or short <= tol * scale:
            return Verdict.ACCURATE
        return Verdict.ROUGHLY_RIGHT if short <= ROUGH_FACTOR * tol * scale else Verdict.WRONG
    gap = abs(data - said)
    if gap <= half or gap <= tol * scale:
        return Verdict.ACCURATE
    return Verdict.ROUGHLY_RIGHT if gap <= ROUGH_FACTOR * tol * scale else Verdict.WRONG


def worst(*verdicts: Verdict) -> Verdict:
    """A compound claim's verdict: its most severe part (opinion parts decide only if all are opinion)."""
    factual: list[Verdict] = [v for v in verdicts if v is not Verdict.OPINION] or list(verdicts)
    return max(factual, key=SEVERITY.index)


@dataclass(frozen=True)
class Part:
    """One checked part of a claim: what the article says, what the data say, and that part's verdict."""

    label: str
    said: str
    data: str
    verdict: Verdict

    def as_record(self) -> dict[str, str]:
        return {"label": self.label, "said": self.said, "data": self.data, "verdict": self.verdict.value}


def quantity(label: str, said: float, data: float, tol: float, qualifier: str = "", fmt: str = "{:,g}", unit: str = "") -> Part:
    """A stated quantity as a checked part (figures printed with ``fmt``)."""
    said_text = " ".join(t for t in (qualifier, fmt.format(said) + unit) if t)
    return Part(label, said_text, fmt.format(data) + unit, grade(said, data, tol, qualifier))


@dataclass(frozen=True)
class Band:
    """The range a data value could take given rounded inputs or disagreeing providers."""

    low: float
    high: float
    unit: str
    reason: str
    verdicts: tuple[Verdict, Verdict]  # at the low and the high end

    def flips(self, verdict: Verdict) -> bool:
        return any(v is not verdict for v in self.verdicts)

    def as_record(self, verdict: Verdict) -> dict[str, object]:
        return {
            "low": self.low,
            "high": self.high,
            "unit": self.unit,
            "reason": self.reason,
            "flips": self.flips(verdict),
            "verdicts": [v.value for v in self.verdicts],
        }


def band_note(band: Band, verdict: Verdict, fmt: str = "{:,.3f}") -> str:
    """The sentence an explanation carries when the verdict would change inside the band (else "")."""
    if not band.flips(verdict):
        return ""
    other = next(v for v in band.verdicts if v is not verdict)
    return (
        f"Inside the uncertainty band ({fmt.format(band.low)} to {fmt.format(band.high)} {band.unit}; "
        f"{band.reason}) the verdict would be {other.value}."
    )


# ------------------------------------------------------------------ time


def not_covered(what: str, last: object, when: object) -> str:
    """Why a claim is unverifiable when its data end before the chosen date."""
    return f"{what} data end on {day(last)}, before {day(when)}, so the claim cannot be checked on that date."


def not_yet(what: str, dated: str, when: object) -> str:
    """Why a claim about a later event is unverifiable on the chosen date."""
    return f"{what} had not yet happened on {day(when)} (it is dated {dated})."


def stale(what: str, dated: object, when: object, limit: MaxAge) -> str | None:
    """Why a carried-forward value cannot stand for ``when`` (None if it is recent enough)."""
    import pandas as pd

    age = (pd.Timestamp(when) - pd.Timestamp(dated)).days
    if age <= limit.days:
        return None
    return (
        f"The latest {what} is dated {day(dated)}, {plural(age, 'day')} before {day(when)}; older than "
        f"{plural(limit.days, 'day')} it no longer stands for that date ({limit.reason})."
    )
