"""Parameter grids across each chapter's declared range: both edges, weekends, holidays, a gap in a
dataset, the shortest window (used by the property test)."""

from __future__ import annotations

from datetime import date, timedelta

from goldrush import chapters

# Days the US market was shut (weekend or holiday) and the gap in the crypto totals
# (2025-08-16..2025-10-26, data/crypto), each used only if inside a chapter's range.
SPECIAL = [date(2016, 7, 4), date(2018, 12, 25), date(2020, 11, 26), date(2021, 1, 1), date(2022, 9, 17),
           date(2023, 7, 4), date(2024, 12, 25), date(2025, 1, 20), date(2025, 4, 19), date(2025, 9, 14),
           date(2025, 10, 1), date(2025, 10, 26)]


def grid(slug: str, size: int = 20) -> list[dict[str, str]]:
    """About ``size`` accepted parameter sets for chapter ``slug``."""
    chapter = chapters.get(slug)
    earlier, later = chapter.window
    bounds = chapter.bounds()
    (lo_e, hi_e), (lo_l, hi_l) = bounds[earlier], bounds[later]
    shortest = timedelta(days=max(chapter.shortest_window(), 1))
    defaults = chapter.defaults()
    d_e, d_l = date.fromisoformat(defaults[earlier]), date.fromisoformat(defaults[later])
    sets = [
        (max(lo_e, lo_l - shortest), max(lo_l, lo_e + shortest)),  # both at the earliest edge
        (hi_l - shortest, hi_l),  # the latest edge, shortest window
        (lo_e, hi_l),  # the widest window
        (d_e, hi_l), (lo_e, d_l), (d_l - shortest, d_l),  # defaults against each edge; shortest window at the default
    ]
    span = (hi_l - lo_l).days
    for k in range(1, 6):  # evenly spread later dates, earlier at the default or the shortest window before
        when = lo_l + timedelta(days=span * k // 6)
        sets.append((min(d_e, when - shortest), when))
    for when in SPECIAL:
        if lo_l <= when <= hi_l:
            sets.append((min(d_e, when - shortest), when))
    out = []
    for e, late in sets:
        e = max(e, lo_e)
        if lo_l <= late <= hi_l and e <= hi_e and (late - e) >= shortest:
            values = {earlier: e.isoformat(), later: late.isoformat()}
            if values not in out:
                out.append(values)
    return out[:size + 4]
