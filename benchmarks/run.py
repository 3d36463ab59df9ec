"""`make bench`: how long the book takes to build and rerun, how heavy its pages are, and
Lighthouse's mobile scores for each page of the site served gzipped.

Runs on a scratch copy of the repository. Prints a table and keeps the results in
benchmarks/results.json (the previous results are kept in benchmarks/results.previous.json).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from goldrush.book import copy_sources

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"


PAIRS = 5  # counted pairs of cold builds, ours and Jupyter Book's own executor: the median of five outlasts one noisy pair
WARMUP = 1  # a first pair, not counted: the first builds of a session read the environment from a cold disk cache
RERUN_DATES = ("2025-07-10", "2025-07-11", "2025-07-14")  # chapter reruns, each on a new date: the median of three


def say(text: str) -> None:
    """Progress, on stderr (the tables go to stdout)."""
    print(text, file=sys.stderr, flush=True)


def timed(*args: str, root: Path) -> float:
    env = {**os.environ, "GOLDRUSH_ROOT": str(root)}
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "goldrush.cli", *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"benchmark step failed: goldrush {' '.join(args)}\n{result.stderr}")
    return time.perf_counter() - started


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def book_pages(site: Path) -> list[str]:
    """The site's pages under ``book/`` (not the chart fragments in ``data/`` that claim pages embed)."""
    return sorted(p.relative_to(site).as_posix() for p in (site / "book").rglob("*.html") if "/data/" not in p.as_posix())


def body_size(response: Any) -> int:
    """Bytes of a response's body (0 for a failed one, or one whose page closed before it was read)."""
    from playwright.sync_api import Error

    try:
        return len(response.body()) if response.ok else 0
    except Error:
        return 0


def page_metrics(site: Path) -> list[dict]:
    """Transfer size per page (HTML + chart CSVs are not fetched; shared scripts counted once) and
    time to first chart drawn in headless Chromium."""
    from playwright.sync_api import sync_playwright

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    pages = book_pages(site)
    rows, seen = [], set()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for path in pages:
            page = browser.new_page()
            sizes: dict[str, int] = {}
            page.on("response", lambda r, sizes=sizes: sizes.__setitem__(r.url, body_size(r)))
            page.goto(base + path, wait_until="load")
            charts = page.locator(".goldrush-chart").count()
            visible = page.locator(".goldrush-chart:visible")  # not those folded in an exercise's solution
            first_chart_ms = None
            if visible.count():
                # the first chart paints as its static picture (Vega draws only on interaction); its
                # picture loads lazily, so a chart below the fold is brought into view first
                first = visible.first
                first.scroll_into_view_if_needed()
                page.wait_for_function(
                    "chart => [...chart.querySelectorAll('.goldrush-static img')].some(i => i.complete && i.naturalWidth)",
                    arg=first.element_handle(),
                    timeout=20000,
                )
                first_chart_ms = page.evaluate("performance.now()")
            own = sizes.get(base + path, 0)
            shared = sum(size for url, size in sizes.items() if url != base + path and url not in seen)
            seen.update(sizes)
            rows.append(
                {
                    "page": path,
                    "charts": charts,
                    "html_kb": own / 1024,
                    "new_shared_kb": shared / 1024,
                    "first_chart_ms": first_chart_ms,
                }
            )
            page.close()
        browser.close()
    httpd.shutdown()
    return rows


def jupyter_book_copy(target: Path, ours: Path) -> Path:
    """The same notebooks for Jupyter Book's own executor (``execute_notebooks: force``): the toc
    points at the source notebooks; the generated Vega bundle and methods page are copied from ``ours``."""
    import yaml

    copy_sources(target)
    config = yaml.safe_load((target / "_config.yml").read_text())
    config["execute"] = {"execute_notebooks": "force", "timeout": 600}
    config["exclude_patterns"] = [p for p in config["exclude_patterns"] if p != "notebooks"]
    # the same notebooks alone: no claim pages (ours makes them from what the chapters wrote)
    config["sphinx"]["extra_extensions"].remove("goldrush.claimpages")
    (target / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    toc = yaml.safe_load((target / "_toc.yml").read_text())
    for part in toc["parts"]:
        for chapter in part["chapters"]:
            chapter["file"] = chapter["file"].replace("book/chapters/0", "notebooks/0")
            chapter.pop("sections", None)
    (target / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False))
    (target / "book" / "chapters").mkdir()
    shutil.copy(ours / "book" / "chapters" / "data-and-methods.md", target / "book" / "chapters")
    shutil.copytree(ours / "book" / "_static" / "vega", target / "book" / "_static" / "vega")
    return target


def jupyter_book_build(root: Path) -> float:
    env = {**os.environ, "GOLDRUSH_ROOT": str(root)}
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(root), "--quiet"]
    started = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0 or "Execution Failed" in result.stdout + result.stderr:
        tail = result.stdout[-2000:] + result.stderr[-2000:]
        sys.exit(f"benchmark step failed: jupyter-book build (execute_notebooks: force)\n{tail}")
    return time.perf_counter() - started


def cold_pairs(scratch: Path) -> dict:
    """Our cold ``goldrush book --force`` (fresh copy: every chapter, static charts, claims, the site)
    against Jupyter Book executing the same notebooks, in pairs whose order alternates (ours first,
    then Jupyter Book first), after ``WARMUP`` pairs that are not counted; the median ratio. The
    first copy built is kept (``ours-0``) for the rerun and page measures."""
    ours, theirs, warmup = [], [], []
    first = scratch / "ours-0"
    for i in range(WARMUP + PAIRS):
        root = copy_sources(scratch / f"ours-{i}")
        jb = scratch / f"jb-{i}"
        if i % 2 == 0:
            mine = timed("book", "--force", root=root)
            theirs_s = jupyter_book_build(jupyter_book_copy(jb, first))
        else:
            theirs_s = jupyter_book_build(jupyter_book_copy(jb, first))
            mine = timed("book", "--force", root=root)
        counted = i >= WARMUP
        (ours if counted else warmup).append(mine)
        if counted:
            theirs.append(theirs_s)
        label = f"cold pair {i - WARMUP + 1}/{PAIRS}" if counted else "warm-up pair (not counted)"
        say(f"{label}: ours {mine:.1f} s, Jupyter Book {theirs_s:.1f} s")
        shutil.rmtree(jb)
        if root != first:
            shutil.rmtree(root)
    ratios = sorted(t / o for o, t in zip(ours, theirs, strict=True))
    return {
        "ours_cold_s": [round(t, 2) for t in ours],
        "jupyter_book_execute_force_s": [round(t, 2) for t in theirs],
        "warmup_ours_s": [round(t, 2) for t in warmup],
        "cold_build_speedup_vs_jupyter_book": round(ratios[len(ratios) // 2], 2),
    }


LIGHTHOUSE = HERE.parent / ".tools" / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


class Gzipped(Quiet):
    """Serves the site gzipped, as GitHub Pages does."""

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        import gzip
        import io

        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def lighthouse(site: Path) -> list[dict]:
    """Lighthouse (mobile, the default) on each book page, served gzipped: four scores and the bytes a first visit transfers."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Gzipped, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    pages = ["index.html", *book_pages(site)]
    rows = []
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    for path in pages:
        result = subprocess.run(
            ["node", str(LIGHTHOUSE), base + path, "--output=json", "--output-path=stdout", "--quiet",
             "--only-categories=" + ",".join(CATEGORIES),
             "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking"],
            capture_output=True, text=True, env=env, timeout=300,
        )
        if result.returncode != 0:
            sys.exit(f"lighthouse failed on {path}: {result.stderr.strip().splitlines()[-1:]}")
        report = json.loads(result.stdout)
        row = {"page": path, **{c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}}
        row["first_visit_kb"] = report["audits"]["total-byte-weight"]["numericValue"] / 1024
        row["lcp_ms"] = report["audits"]["largest-contentful-paint"]["numericValue"]
        row["failing"] = sorted(
            a for c in CATEGORIES for a in (r["id"] for r in report["categories"][c]["auditRefs"] if r.get("weight"))
            if report["audits"][a]["score"] is not None and report["audits"][a]["score"] < 0.9
        )
        rows.append(row)
        say(f"lighthouse {len(rows)}/{len(pages)}: {path} performance {row['performance']}")
    httpd.shutdown()
    return rows


def print_lighthouse(rows: list[dict]) -> None:
    print()
    print(f"{'Lighthouse (mobile), page':<44}{'perf':>6}{'a11y':>6}{'best':>6}{'seo':>6}{'gzip kB':>9}{'LCP ms':>8}")
    for row in rows:
        print(
            f"{row['page']:<44}{row['performance']:>6}{row['accessibility']:>6}{row['best-practices']:>6}{row['seo']:>6}"
            f"{row['first_visit_kb']:>9.0f}{row['lcp_ms']:>8.0f}"
            + (f"  below 0.9: {', '.join(row['failing'])}" if row["failing"] else "")
        )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        comparison = cold_pairs(Path(tmp))
        root = Path(tmp) / "ours-0"
        results = {
            "cold build (s)": sorted(comparison["ours_cold_s"])[PAIRS // 2],
            "jupyter book, execute force (s)": sorted(comparison["jupyter_book_execute_force_s"])[PAIRS // 2],
            "unchanged rebuild (s)": timed("book", root=root),
        }
        reruns = [timed("run", "five-trillion", "--as-of", day, root=root) for day in RERUN_DATES]
        results["chapter rerun, new dates (s)"] = sorted(reruns)[len(reruns) // 2]
        timed("book", root=root)
        pages = page_metrics(root / "_build" / "html")
        scores = lighthouse(root / "_build" / "html")
    record = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "timings": results,
        "cold_build_speedup_vs_jupyter_book": comparison["cold_build_speedup_vs_jupyter_book"],
        "cold_pairs": comparison,
        "reruns_s": [round(t, 2) for t in reruns],
        "pages": pages,
        "lighthouse": scores,
    }
    print(f"{'step':<32}{'seconds':>10}")
    for step, seconds in results.items():
        print(f"{step:<32}{seconds:>10.1f}")
    print(f"{'cold speed-up vs Jupyter Book':<32}{comparison['cold_build_speedup_vs_jupyter_book']:>9.2f}x")
    print()
    print(f"{'page':<44}{'charts':>7}{'HTML kB':>9}{'new shared kB':>15}{'1st chart ms':>14}")
    for row in pages:
        first = f"{row['first_chart_ms']:.0f}" if row["first_chart_ms"] is not None else "-"
        print(f"{row['page']:<44}{row['charts']:>7}{row['html_kb']:>9.0f}{row['new_shared_kb']:>15.0f}{first:>14}")
    print_lighthouse(scores)
    latest = HERE / "results.json"
    if latest.exists():
        shutil.copy(latest, HERE / "results.previous.json")
    latest.write_text(json.dumps(record, indent=2) + "\n")


if __name__ == "__main__":
    main()
