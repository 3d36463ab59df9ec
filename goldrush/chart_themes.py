"""The book's two chart themes, light and dark: background, text colours and mark-colour substitutions.

Plain data, no Altair: ``goldrush.charts`` draws with them, and the site builder paints chart
previews on the light background without importing Altair (``goldrush.sphinx``).
"""

from __future__ import annotations

from typing import Any

# Background, text colours and mark-colour substitutions per theme. Text >= 4.5:1 and marks >= 3:1
# against the background (tests/test_site.py checks every chart on the built pages). The themes differ
# in colour only, one dark colour for each light one, so the dark pictures are the light ones
# recoloured (``goldrush.charts.dark_svg``) rather than drawn again.
THEMES: dict[str, dict[str, Any]] = {
    "light": {
        "background": "#ffffff",
        "config": {
            "title": {"color": "#1a1a1a", "subtitleColor": "#474747"},
            "axis": {
                "labelColor": "#3d3d3d",
                "titleColor": "#222222",
                "gridColor": "#e3e3e3",
                "domainColor": "#767676",
                "tickColor": "#767676",
            },
            "legend": {"labelColor": "#3d3d3d", "titleColor": "#222222"},
            "text": {"color": "#222222"},
            "mark": {"color": "#0072B2"},
        },
        "colors": {
            "#E69F00": "#B36B00",
            "#56B4E9": "#2F86BF",
            "#F0E442": "#8A7E00",
            "#999999": "#767676",
            "#CC79A7": "#B8528C",
            "#888": "#6E6E6E",
            "#777777": "#6B6B6B",
            "#9e9d24": "#7A7A12",
            "#78909c": "#5F7580",
            "#ef6c00": "#C25700",
        },
    },
    "dark": {
        "background": "#14181e",
        "config": {
            "title": {"color": "#f0f0f0", "subtitleColor": "#c8c8c8"},
            "axis": {
                "labelColor": "#d0d0d0",
                "titleColor": "#e0e0e0",
                "gridColor": "#3a3f47",
                "domainColor": "#999999",
                "tickColor": "#999999",
            },
            "legend": {"labelColor": "#d0d0d0", "titleColor": "#e0e0e0"},
            "text": {"color": "#e0e0e0"},
            "mark": {"color": "#3C9BDB"},
        },
        "colors": {
            "#0072B2": "#3C9BDB",
            "#4E9A06": "#6CC024",
            "#444": "#C8C8C8",
            "#555": "#BDBDBD",
            "#777777": "#A8A8A8",
            "#2e7d32": "#5CB860",
            "#c62828": "#EF6B6B",
            "#8e6bb0": "#B598D6",
            "#78909c": "#9FB4BF",
            "#9e9d24": "#C4C33E",
        },
    },
}
