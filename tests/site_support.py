"""Helpers for the reader checks on the built site: opening a page as a reader would, drawing its
charts, finding clipped chart text and sideways scroll, running axe-core (npm, in .tools/), and
measuring colour contrast."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE = Path(__file__).resolve().parent.parent / ".tools" / "node_modules" / "axe-core" / "axe.min.js"


def reader_page(browser: Any, url: str, width: int, theme: str, javascript: bool = True) -> tuple[Any, Any, list[str]]:
    """Open ``url`` at ``width`` px in the ``theme`` the reader's system asks for; returns page, context, requests."""
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=theme, java_script_enabled=javascript)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url, wait_until="load")
    return page, context, requests


def draw_every_chart(page: Any) -> None:
    """Scroll through the page as a reader would, then wait for Vega to have drawn each chart."""
    charts = page.locator(".goldrush-chart")
    for i in range(charts.count()):
        charts.nth(i).scroll_into_view_if_needed()
    page.mouse.wheel(0, 1)  # a short page may not scroll at all: the reader's first move
    page.wait_for_function(
        "[...document.querySelectorAll('.goldrush-chart')]"
        ".every(e => e.dataset.rendered === 'true' || e.dataset.rendered === 'error')",
        timeout=30000,
    )


CLIPPED_JS = """() => {
  const out = [];
  document.querySelectorAll('.goldrush-chart').forEach((chart, i) => {
    const visible = [...chart.querySelectorAll('.goldrush-live svg')].filter(s => s.getBoundingClientRect().width > 0);
    visible.forEach(svg => {
      const box = svg.getBoundingClientRect();
      const holder = chart.getBoundingClientRect();
      if (box.right > holder.right + 1)
        out.push(`chart ${i}: ${Math.round(box.width)} px wide in ${Math.round(holder.width)} px`);
      svg.querySelectorAll('text').forEach(t => {
        const r = t.getBoundingClientRect();
        const hidden = t.closest('[opacity="0"]') || getComputedStyle(t).opacity === '0';  // labels Vega hides for overlap
        if (r.width === 0 || hidden || !t.textContent.trim()) return;
        if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
          out.push(`chart ${i}: "${t.textContent}" outside the chart`);
        if (t.textContent.endsWith('…')) out.push(`chart ${i}: "${t.textContent}" cut short`);
      });
    });
  });
  return out;
}"""


def clipped_chart_text(page: Any) -> list[str]:
    """Chart text outside its chart's box or cut short with an ellipsis, and charts wider than their box."""
    return page.evaluate(CLIPPED_JS)


def sideways_scroll(page: Any) -> int:
    """How many pixels the page is wider than the viewport."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """axe-core's violations of the given impacts, one line each."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async () => (await axe.run(document)).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))"
    )
    return [f"{v['id']} ({v['impact']}): {v['nodes']}" for v in found if v["impact"] in impacts]


def _luminance(colour: str) -> float:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two hex colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
