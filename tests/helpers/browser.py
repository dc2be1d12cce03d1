"""Opening a generated page in Debian's Chromium through Playwright, with the network cut off.

Every request other than the page's own file is aborted and recorded, console errors and dialogs
(``alert``) are recorded, and the page counts as usable once its script sets
``<html data-state="ready">`` (after vis-network has drawn a laid-out graph). Used by the browser
tests and by ``python -m tests.bench.view``. Never runs ``playwright install``: the browser is
``/usr/bin/chromium`` from Debian.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from helpers.tooling import require_tool

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class Opened:
    """A page under watch: what it asked the network for, what it logged, which dialogs it opened."""

    page: Any
    url: str
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    seconds_to_ready: float = 0.0

    @property
    def outside_requests(self) -> list[str]:
        return [r for r in self.requests if r != self.url]

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (Debian's) driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser: Any, path: Path, *, timeout_s: float = 60, viewport: tuple[int, int] = (1400, 900)) -> Opened:
    """Open ``path`` in a fresh context with every outside request blocked; wait until it is usable."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, service_workers="block")
    page = context.new_page()
    url = path.resolve().as_uri()
    opened = Opened(page=page, url=url)

    def route(r: Any) -> None:
        if r.request.url == url:
            r.continue_()
        else:
            opened.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.on("request", lambda request: opened.requests.append(request.url))
    page.on("console", lambda message: opened.console_errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: opened.page_errors.append(str(error)))

    def on_dialog(dialog: Any) -> None:
        opened.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    started = time.perf_counter()
    page.goto(url, wait_until="load", timeout=timeout_s * 1000)
    # a function, not an expression: Playwright evals an expression in the page, which the page's CSP forbids (no 'unsafe-eval')
    page.wait_for_function("() => document.documentElement.dataset.state === 'ready'", timeout=timeout_s * 1000, polling=50)
    opened.seconds_to_ready = time.perf_counter() - started
    return opened


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """:func:`chromium` as a fixture, one per test module; skipped (failed in CI) where Chromium is missing."""
    require_tool("chromium", "Debian: apt-get install chromium")
    with chromium() as launched:
        yield launched
