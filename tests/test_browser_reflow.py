"""Every page of the demo on a phone (WCAG 2.1 SC 1.4.10, reflow): the leader, HR, a steering
member and a union representative each log in and follow every link they can reach from the start
page (same-origin pages only; no logout, downloads, PDFs, spreadsheets or calendar feeds). Each
page is checked at 320 × 640 and 390 × 844 CSS pixels: the document is no wider than the
viewport; axe-core runs once per page, at 320 px, and finds nothing.

The demo is loaded once, for this one test (the live server reads what is committed)."""

import io
import re
import time
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command

from demo.build import PASSWORD

from .browser import axe_violations, describe_violations, log_in, new_page, overflow

pytestmark = pytest.mark.browser

USERS = ["leder", "hr", "styring", "tillitsvalgt"]
import os
USERS = os.environ.get("REFLOW_USERS", ",".join(USERS)).split(",")
TIMES = {"goto": 0.0, "width": 0.0, "axe": 0.0}
SIZES = [(320, 640), (390, 844)]
MAX_PAGES_PER_USER = 250
# Not pages: signing out, the admin, the language switch, static files, and every download
# (a path that ends in an extension: .pdf, .xlsx, .ics, .json, .csv).
SKIP = re.compile(r"^/(accounts/logout|admin|i18n|static|media)/|\.[a-z0-9]+$")

LINKS = "els => els.map(a => a.href)"


def test_every_page_of_the_demo_reflows_on_a_phone(browser, live_server, transactional_db):
    started = time.monotonic()
    call_command("load_demo", stdout=io.StringIO())
    loaded = time.monotonic()
    origin = live_server.url
    failures: list[str] = []
    visited: dict[str, int] = {}
    for username in USERS:
        context, page, errors = new_page(
            browser, origin, viewport={"width": SIZES[0][0], "height": SIZES[0][1]}
        )
        try:
            log_in(page, username, PASSWORD)
            visited[username] = crawl(page, origin, failures)
        finally:
            context.close()
        failures += [f"{username}: {error}" for error in errors]
    seconds = time.monotonic() - loaded
    print(
        f"\nreflow: the demo loaded in {loaded - started:.0f} s; "
        f"{sum(visited.values())} pages in {seconds:.0f} s ({visited})"
    )
    print(TIMES)
    assert all(count > 20 for count in visited.values()), visited
    assert not failures, f"{len(failures)} problem(s):\n" + "\n".join(failures)


def crawl(page, origin: str, failures: list[str]) -> int:
    """Visit every page reachable from the start page, breadth first; return how many."""
    seen = {"/"}
    queue = deque(["/"])
    count = 0
    while queue and count < MAX_PAGES_PER_USER:
        path = queue.popleft()
        t0 = time.monotonic()
        response = page.goto(path)
        TIMES["goto"] += time.monotonic() - t0
        count += 1
        status = response.status if response else None
        if status != 200:
            failures.append(f"{path}: answered {status}")
            continue
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            page_width, culprits = overflow(page)
            if page_width > width:
                failures.append(f"{path}: {page_width}px wide at {width}px: {culprits}")
            if width == SIZES[0][0]:
                t0 = time.monotonic()
                violations = axe_violations(page)
                TIMES["axe"] += time.monotonic() - t0
                if violations:
                    failures.append(describe_violations(page, violations))
        page.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})
        for href in page.eval_on_selector_all("a[href]", LINKS):
            url, _fragment = urldefrag(href)
            parts = urlsplit(url)
            if f"{parts.scheme}://{parts.netloc}" != origin or SKIP.search(parts.path):
                continue
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return count
