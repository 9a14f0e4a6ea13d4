"""Debian's Chromium for the tests that open pages: where it is, how it is started, and the skip when it is absent.

Playwright drives /usr/bin/chromium (never a browser download of its own); `.ci/run` installs the Debian package.
The ``browser`` fixture in conftest.py starts one per test module.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
needs_browser = pytest.mark.skipif(
    not CHROMIUM.is_file(),
    reason=f"no browser: {CHROMIUM} is not installed (Debian package chromium; .ci/run installs it)",
)


@contextlib.contextmanager
def launched():
    """A headless Chromium for the block."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def offline(context) -> list[str]:
    """Let ``context`` load only file: and data: URLs; every other request is aborted and its URL added to the list
    returned (a test asserts it stays empty)."""
    outside: list[str] = []

    def route(r):
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return outside
