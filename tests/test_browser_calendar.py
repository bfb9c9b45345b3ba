"""The project calendar page in a real browser, with axe-core on each state, and its link
fetched the way a calendar app fetches it: without the browser's session."""

import datetime as dt

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from .browser import assert_accessible, log_in
from .factories import MilestoneFactory

pytestmark = pytest.mark.browser


def fetch_without_login(browser, url: str):
    context = browser.new_context()
    try:
        response = context.request.get(url)
        return response.status, response.headers.get("content-type"), response.body()
    finally:
        context.close()


def test_a_member_makes_renews_and_deletes_the_calendar_link(
    page: Page, browser, live_server, project, leader
):
    MilestoneFactory(
        project=project, code="M1", title="Mandat vedtatt", due_date=dt.date(2026, 3, 2), by=leader
    )
    log_in(page, "leder")
    page.goto(f"/prosjekter/{project.pk}/")
    page.get_by_role("navigation", name="Prosjektmeny").get_by_role("link", name="Kalender").click()
    expect(page.get_by_role("heading", level=1, name="Prosjektkalender")).to_be_visible()
    expect(page.get_by_text("Du har ingen kalenderlenke for dette prosjektet.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Lag ny lenke").click()
    expect(
        page.get_by_text("Ny kalenderlenke er laget. En eldre lenke virker ikke lenger.")
    ).to_be_visible()
    link = page.get_by_role("textbox", name="Lenke til kalenderen")
    expect(link).not_to_be_editable()
    first = link.input_value()
    assert first.startswith(f"{live_server.url}/prosjekter/kalender/") and first.endswith(".ics")
    assert_accessible(page)
    status, content_type, body = fetch_without_login(browser, first)
    assert (status, content_type) == (200, "text/calendar; charset=utf-8")
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(body).walk("VEVENT")]
    assert summaries == ["M1 Mandat vedtatt"]

    page.get_by_role("button", name="Lag ny lenke").click()
    expect(page.get_by_text("Ny kalenderlenke er laget.", exact=False)).to_be_visible()
    second = page.get_by_role("textbox", name="Lenke til kalenderen").input_value()
    assert second != first
    assert fetch_without_login(browser, first)[0] == 404
    assert fetch_without_login(browser, second)[0] == 200

    page.get_by_role("button", name="Slett lenken").click()
    expect(page.get_by_text("Kalenderlenken er slettet og virker ikke lenger.")).to_be_visible()
    expect(page.get_by_text("Du har ingen kalenderlenke for dette prosjektet.")).to_be_visible()
    expect(page.get_by_role("textbox", name="Lenke til kalenderen")).to_have_count(0)
    assert fetch_without_login(browser, second)[0] == 404
    assert_accessible(page)
