"""Every kind of page of the demo on a phone (WCAG 2.1 SC 1.4.10, reflow): the leader, HR, a
steering member and a union representative each log in and follow the links they can reach from
the start page (same-origin pages only; no logout, admin, downloads, PDFs, spreadsheets or
calendar feeds). Each page is checked at 320 × 640 and 390 × 844 CSS pixels: the document is no
wider than the viewport; and axe-core, run at 320 px once per kind of page across the users (the
leader first, who sees the most of each), finds nothing.

The demo is loaded once, for this one test (the live server reads what is committed). Its users
reach about 850 pages (430 different addresses), most of them the same page for another
milestone, position or employee: the crawl visits, per user, the first page of each kind (the
address with its numbers and query values left out, e.g. /prosjekter/N/fremdrift/milepaeler/N/),
about 170 in all. REFLOW_ALL_PAGES=1 visits every page instead (about ten minutes)."""

import io
import os
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
SIZES = [(320, 640), (390, 844)]  # axe runs at the first
MAX_PAGES_PER_USER = 500
ALL_PAGES = os.environ.get("REFLOW_ALL_PAGES") == "1"
# Not pages: signing out, the admin, the language switch, static files, the API's schema (a
# YAML download), and every download
# (a path that ends in an extension: .pdf, .xlsx, .ics, .json, .csv, .zip; an attachment's
# .../last-ned/).
SKIP = re.compile(
    r"^/(accounts/logout|admin|i18n|static|media|api/schema)/|\.[a-z0-9]+$|/last-ned/$"
)
LINKS = "links => links.map(a => a.href)"


def kind(link: str) -> str:
    """/prosjekter/3/moter/7/?side=2 → /prosjekter/N/moter/N/?side="""
    return re.sub(r"\d+", "N", re.sub(r"=[^&]*", "=", link))


def test_every_kind_of_page_of_the_demo_reflows_on_a_phone(browser, live_server, transactional_db):
    started = time.monotonic()
    call_command("load_demo", stdout=io.StringIO())
    loaded = time.monotonic()
    failures: list[str] = []
    visited: dict[str, int] = {}
    # axe runs once per kind of page across the users (the leader, first, sees the most of each
    # page: its forms and buttons); the widths are checked on every page of every user.
    axed: set[str] = set()
    for username in USERS:
        width, height = SIZES[0]
        context, page, errors = new_page(
            browser, live_server.url, viewport={"width": width, "height": height}
        )
        try:
            log_in(page, username, PASSWORD)
            visited[username] = crawl(page, live_server.url, failures, axed)
        finally:
            context.close()
        failures += [f"{username}: {error}" for error in errors]
    print(
        f"\nreflow: the demo loaded in {loaded - started:.0f} s; {sum(visited.values())} pages "
        f"({visited}) checked in {time.monotonic() - loaded:.0f} s"
    )
    assert all(count > 20 for count in visited.values()), visited
    assert not failures, f"{len(failures)} problem(s):\n" + "\n".join(failures)


def crawl(page, origin: str, failures: list[str], axed: set[str]) -> int:
    """Visit the pages reachable from the start page, breadth first; return how many."""
    queued = {"/"}
    kinds = {kind("/")}
    queue = deque(["/"])
    count = 0
    while queue and count < MAX_PAGES_PER_USER:
        path = queue.popleft()
        response = page.goto(path)
        count += 1
        if response is None or response.status != 200:
            failures.append(f"{path}: answered {response and response.status}")
            continue
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            page_width, culprits = overflow(page)
            if page_width > width:
                failures.append(f"{path}: {page_width}px wide at {width}px: {culprits}")
            if (width, height) == SIZES[0] and (ALL_PAGES or kind(path) not in axed):
                axed.add(kind(path))
                violations = axe_violations(page)
                if violations:
                    failures.append(describe_violations(page, violations))
        page.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})
        for href in page.eval_on_selector_all("a[href]", LINKS):
            url, _fragment = urldefrag(href)
            parts = urlsplit(url)
            if f"{parts.scheme}://{parts.netloc}" != origin or SKIP.search(parts.path):
                continue
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            if link in queued or (not ALL_PAGES and kind(link) in kinds):
                continue
            queued.add(link)
            kinds.add(kind(link))
            queue.append(link)
    return count
