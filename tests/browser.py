"""Playwright fixtures and helpers for the browser tests (tests/test_browser.py).

The fixtures are `browser` and `page`, registered once in conftest.py (a session-scoped browser
imported into two test modules would be two fixtures, and Playwright refuses a second sync loop).

One Chromium per session, a fresh context (cookies, storage) per test. The pages run under the
product's real Content Security Policy, so axe-core is served from the live server's own origin
through a Playwright route rather than injected as an inline script (which the CSP would block).
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from .factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
AXE_URL = "/__browser-tests__/axe.min.js"  # same origin as the pages, so CSP 'self' allows it
# WCAG 2.0 and 2.1 A and AA, and from 2.2 AA the target size (2.5.8: at least 24 × 24 px).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TIMEOUT_MS = 10_000


@pytest.fixture(name="browser", scope="session")
def browser_fixture():
    # Playwright's sync API runs an asyncio loop in this thread for as long as the browser lives;
    # Django would then refuse ORM calls made in the test thread (fixtures, refresh_from_db, and
    # any test that runs later in the session) as "async unsafe".
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(name="page")
def page_fixture(browser, live_server, transactional_db):
    """A page in a new browser context against the live server. Relative URLs work in goto().
    The test fails if the page logs an error to the console (a CSP violation, a failed script)
    or throws an uncaught exception."""
    context, page, errors = new_page(browser, live_server.url)
    yield page
    context.close()
    assert not errors, "The browser reported errors:\n" + "\n".join(errors)


def new_page(browser, base_url: str, **options):
    """A new browser context (cookies, storage) against `base_url` with axe-core routed to it,
    its one page, and the list the page's console errors and uncaught exceptions go into."""
    context = browser.new_context(
        base_url=base_url,
        locale="nb-NO",
        timezone_id="Europe/Oslo",
        accept_downloads=True,
        **options,
    )
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    context.route(
        f"**{AXE_URL}",
        lambda route: route.fulfill(path=AXE, content_type="text/javascript; charset=utf-8"),
    )
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console",
        lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None,
    )
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    return context, page, errors


def assert_accessible(page: Page) -> None:
    """Run axe-core's WCAG rules (WCAG_TAGS) on the page as it is now, and check that it reflows
    at 320 CSS pixels (WCAG 1.4.10)."""
    assert_axe_finds_nothing(page)
    assert_reflows(page)


def assert_axe_finds_nothing(page: Page) -> None:
    """Run axe-core's WCAG rules (WCAG_TAGS) on the page as it is now."""
    violations = axe_violations(page)
    assert violations == [], describe_violations(page, violations)


def axe_violations(page: Page) -> list:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_URL)
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return results["violations"]


def assert_reflows(page: Page, width: int = 320) -> None:
    """WCAG 1.4.10 (reflow): at `width` CSS pixels the page scrolls only vertically. A wide table
    may scroll inside its own region (`.table-scroll`); the page itself may not."""
    size = page.viewport_size
    page.set_viewport_size({"width": width, "height": 640})
    try:
        page_width, culprits = overflow(page)
    finally:
        if size:
            page.set_viewport_size(size)
    assert page_width <= width, f"{page.url} is {page_width}px wide at {width}px: {culprits}"


def overflow(page: Page) -> tuple[int, list[str]]:
    """How wide the document is at the current viewport, and, if wider than the viewport, the
    last few elements that stick out: boxes past the edge, or text wider than its box."""
    return page.evaluate(
        """() => {
            const w = window.innerWidth, width = document.documentElement.scrollWidth;
            if (width <= w) return [width, []];
            return [width, [...document.querySelectorAll('body *')]
                .filter(e => !e.closest('.table-scroll') && (e.getBoundingClientRect().right > w
                    || (e.scrollWidth > e.clientWidth && getComputedStyle(e).overflowX == 'visible')))
                .slice(-5).map(e => `${e.tagName}.${e.className}: ${e.textContent.trim().slice(0, 30)}`)];
        }"""
    )


def describe_violations(page: Page, violations) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {page.url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}: {node['failureSummary']}".replace("\n", " "))
    return "\n".join(lines)


def wait_for_htmx(page: Page) -> None:
    """Wait until no htmx request, swap or settle is under way. htmx focuses an [autofocus]
    element in swapped content only when it settles, a moment after the swap."""
    busy = page.locator(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")
    expect(busy).to_have_count(0)  # (page.wait_for_function would eval(), which the CSP blocks)


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Log in through the real login form and land on the front page, "Mine oppgaver"."""
    page.goto("/accounts/login/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord", exact=True).fill(password)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", level=1, name="Mine oppgaver")).to_be_visible()
