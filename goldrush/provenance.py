"""The provenance box at the top of every chapter: parameters used and data behind them."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import Any

from goldrush import sources

OPEN_UP_TO = 8  # list the datasets open when there are this many or fewer


def _plain(value: Any) -> str:
    """A parameter for reading: nested chapter parameters as "chapter (k=v, ...)"."""
    if isinstance(value, dict):
        return "; ".join(f"{k} ({_plain(v)})" if isinstance(v, dict) else f"{k}={v}" for k, v in value.items()) or "defaults"
    return str(value)


class ProvenanceBox:
    """Parameters and datasets of one chapter run, as HTML for the page and text for a terminal."""

    def __init__(self, parameters: dict[str, Any], datasets: list[str], store: sources.Store):
        self.parameters = parameters
        self.records = [store.provenance(name) for name in datasets]
        self.executed = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")

    def _rows(self) -> list[tuple[str, str, str, str]]:
        rows = []
        for r in self.records:
            if r["source"] == "snapshot":
                got = f"snapshot retrieved {r['retrieved']}, {r['rows']} rows, sha256 {r['sha256'][:12]}"
                got += " (no live source)" if r["asked"] == "live" else ""
            else:
                got = f"live, fetched {r['retrieved']} from {r['url']}" + (f"; {r['note']}" if r.get("note") else "")
            rows.append((r["title"], ", ".join(r["providers"]), got, ", ".join(r["licenses"])))
        return rows

    def _repr_html_(self) -> str:
        params = ", ".join(f"<code>{html.escape(k)} = {html.escape(_plain(v))}</code>" for k, v in self.parameters.items())
        rows = self._rows()
        body = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in rows)
        table = (
            "<table><thead><tr><th>dataset</th><th>provider</th><th>as used</th><th>licence</th></tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )
        opened = " open" if len(rows) <= OPEN_UP_TO else ""
        return (
            '<div class="goldrush-provenance admonition note"><p class="admonition-title">Parameters and data</p>'
            f"<p>This page was computed with {params} on {self.executed}.</p>"
            f"<details{opened}><summary>{len(rows)} datasets</summary>{table}</details>"
            '<p>Full provenance: <a href="data-and-methods.html">Data and methods</a>.</p></div>'
        )

    def __repr__(self) -> str:
        lines = ["Parameters: " + ", ".join(f"{k}={_plain(v)}" for k, v in self.parameters.items())]
        lines += [f"- {title} ({provider}): {got}" for title, provider, got, _ in self._rows()]
        return "\n".join(lines)


def box(parameters: dict[str, Any], datasets: list[str], store: sources.Store | None = None) -> ProvenanceBox:
    """The box for a run with ``parameters`` that read ``datasets`` through ``store`` (by default, a
    store of the parameters' ``source``)."""
    return ProvenanceBox(parameters, datasets, store or sources.Store(parameters.get("source", "snapshot")))
