"""Helpers for tests that run the real CLI on a scratch copy of the repository and open the built
site in headless Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from goldrush import paths
from goldrush.book import copy_sources as copy_repo  # noqa: F401  (a scratch copy: sources and snapshot)

CHROMIUM = "/usr/bin/chromium"
Cli = Callable[..., subprocess.CompletedProcess[str]]  # the ``cli`` fixture: in-process ``goldrush.cli.main``


def point_paths_at(root: Path, monkeypatch: Any) -> None:
    """Make ``goldrush.paths`` (read at call time by every module) name the copy at ``root``."""
    monkeypatch.setenv("GOLDRUSH_ROOT", str(root))
    monkeypatch.setenv("GOLDRUSH_SHARED_DATA", str(paths.shared_data()))
    real_root = paths.ROOT
    for name, value in list(vars(paths).items()):
        if isinstance(value, Path) and value.is_relative_to(real_root):
            monkeypatch.setattr(paths, name, root / value.relative_to(real_root))


def goldrush(
    *args: str, root: Path, timeout: int = 600, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real CLI against the repository copy at ``root`` (``env`` adds to the environment)."""
    env = {**os.environ, "GOLDRUSH_ROOT": str(root), "GOLDRUSH_SHARED_DATA": str(paths.shared_data()), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "goldrush.cli", *args], env=env, capture_output=True, text=True, timeout=timeout
    )


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve(handler: Callable[..., http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """A threaded HTTP server on a free local port; yields its URL (no trailing slash)."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def serve_site(root: Path) -> AbstractContextManager[str]:
    """Serve the built site of the repository copy at ``root``."""
    return serve(functools.partial(QuietHandler, directory=str(root / "_build" / "html")))


@contextmanager
def chromium() -> Iterator[Any]:
    """Headless Chromium through Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser: Any, url: str, width: int = 1280) -> tuple[Any, list[str], list[str]]:
    """Open ``url`` allowing only requests to the local server; return page, outside requests, errors."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    local = urlparse(url).netloc
    outside: list[str] = []
    errors: list[str] = []

    def route(request_route, request):
        if urlparse(request.url).netloc == local or request.url.startswith("data:"):
            request_route.continue_()
        else:
            outside.append(request.url)
            request_route.abort()

    page.route("**/*", lambda r: route(r, r.request))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(url, wait_until="load")
    charts = page.locator(".goldrush-chart")
    for i in range(charts.count()):  # charts paint as static pictures; Vega draws one when the reader points at it
        charts.nth(i).hover()
    page.wait_for_function(
        "[...document.querySelectorAll('.goldrush-chart')].every(e => e.dataset.rendered && e.dataset.rendered !== 'drawing')",
        timeout=20000,
    )
    return page, outside, errors
