"""Sentences whose wording depends on the data: templates the chapters glue into their prose,
so no notebook assembles a sentence in code. Counts go through ``method.plural``."""

from __future__ import annotations

import pandas as pd

from goldrush import transforms as tf
from goldrush.method import plural


def gaming_story(games: pd.DataFrame, summary: pd.DataFrame, merge: pd.Timestamp) -> str:
    """Gaming revenue on both sides of the Merge (``analysis.drawing_the_line.gaming_window``, ``tables.gaming_summary``)."""
    if not {"highest before the Merge", "lowest from the Merge on"} <= set(summary.index):
        return (
            f"This page's dates do not cover quarters on both sides of the Merge ({merge:%-d %B %Y}), "
            "so there is no before and after."
        )
    peak, trough = summary.loc["highest before the Merge"], summary.loc["lowest from the Merge on"]
    before = games[games["era"] == "before the Merge"]["gaming"].max()
    above = games[(games["era"] == "after the Merge") & (games["gaming"] > before)]
    topped = f"the first quarter to top it was {above['label'].iloc[0]}" if len(above) else "no quarter to the end date topped it"
    return (
        f"From the Merge on, gaming revenue was lowest in {trough['quarter']} ({trough['growth']} on a year earlier). "
        f"It then grew back after GPU mining of ether had ended. The boom's high was {peak['quarter']} "
        f"(${peak['gaming (USD m)']} million); {topped}."
    )


def resale_story(prices: pd.DataFrame) -> str:
    """RTX 30 resale prices against list prices (``analysis.drawing_the_line.ebay_vs_msrp``)."""
    if prices.empty:
        return "The eBay series does not overlap this page's dates."
    monthly = prices.groupby("month")["ratio"].max()
    under = monthly[monthly <= 1]
    top = prices.loc[prices["ratio"].idxmax()]
    story = f"The premium peaked at {top['ratio']:.1f} times the launch price ({top['model']}, {top['month']:%B %Y})"
    if len(under):
        stayed = "and stayed there" if (monthly[under.index[0] :] <= 1).all() else "though not in every month after"
        return (
            story + f"; from {under.index[0]:%B %Y} every card sold on eBay for less than its launch price on average, {stayed}."
        )
    return story + "; in no month to the end date did every card sell below its launch price."


def hash_story(rates: pd.DataFrame, changes: pd.DataFrame, merge: pd.Timestamp, eve_ths: float, days: int) -> str:
    """Bitcoin's hash rate over the page, and around the Merge when the page covers it."""
    growth = rates["hash_rate_ehs"].iloc[-1] / rates["hash_rate_ehs"].iloc[0]
    story = f"Bitcoin's hash rate {f'rose {growth:,.0f}-fold' if growth >= 2 else f'changed {growth - 1:+.0%}'} over the period."
    if len(changes) and changes["date"].min() <= merge <= changes["date"].max():
        at_merge = tf.last_on_or_before(changes, merge)["change"]
        story += (
            f" When the Merge switched off Ethereum's mining, which ran at {eve_ths:,.0f} TH/s on its last full day, "
            f"bitcoin's hash rate showed no break: it changed {at_merge:+.0%} in the following {days} days, "
            f"and {(changes['change'] > at_merge).mean():.0%} of all its {days}-day changes in the period were larger. "
            "The graphics cards freed by the Merge did not visibly move to bitcoin."
        )
    return story


def deal_notes(deals: pd.DataFrame) -> str:
    """What the deals' headline values count (``analysis.drawing_the_line.ai_deals``)."""
    notes = [
        (
            (deals["flag"] == "cumulative value").sum(),
            "is cumulative and includes earlier contracts",
            "are cumulative and include earlier contracts",
        ),
        (
            (deals["flag"] == "equipment deal").sum(),
            "is an equipment purchase, not a customer's contract",
            "are equipment purchases, not customers' contracts",
        ),
        ((deals["flag"] == "lower bound").sum(), "is only a lower bound", "are only lower bounds"),
        (deals["unverified"].sum(), "date could not be confirmed", "dates could not be confirmed"),
    ]
    said = [f"{int(n)} {one if n == 1 else many}" for n, one, many in notes if n]
    return "; ".join(said) or "none is flagged"


def deal_role(deals: pd.DataFrame) -> str:
    """Whether the deals name NVIDIA hardware."""
    if deals.empty:
        return "Rerun with a later end date to see them."
    nvidia = deals[deals["nvidia_hardware"]]
    if nvidia.empty:
        return (
            "None names NVIDIA hardware: the miners supply power and buildings, and the AI clouds that rent them buy the chips."
        )
    return (
        f"{plural(len(nvidia), 'of them names', 'of them name')} NVIDIA hardware: {', '.join(dict.fromkeys(nvidia['company']))}."
    )
