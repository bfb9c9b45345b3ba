"""The steering group's portfolio in a real browser: axe-core finds nothing, it reflows at 320 px,
the filters work from the URL, and a project's card and its history's table are reached with
the keyboard."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from milestones.models import Milestone, today
from projects.models import Project
from reports.models import StatusReport

from .browser import assert_accessible, assert_reflows, log_in
from .factories import DecisionRequestFactory, MilestoneFactory, StatusReportFactory

pytestmark = pytest.mark.browser

LIGHTS = ["green", "yellow", "red"]


@pytest.fixture
def reported(project, leader):
    """The conftest project, running since 16 weeks ago, with three published reports, the
    latest period's report not made (late), milestones and a decision request due soon."""
    on = today()
    start = on - dt.timedelta(weeks=16)
    Project.objects.filter(pk=project.pk).update(
        status=Project.Status.ACTIVE, start_date=start, last_delivery_date=None
    )
    project.refresh_from_db()
    for n in (1, 2, 3):
        StatusReportFactory(
            project=project,
            number=n,
            state=StatusReport.State.PUBLISHED,
            published_at=timezone.now(),
            overall=LIGHTS[n - 1],
            progress="green",
            economy=LIGHTS[(n + 1) % 3],
            quality="yellow",
            risk="red",
            benefits="" if n == 1 else "green",
        )
    MilestoneFactory(project=project, code="M1", title="Kartlegging", due_date=on - dt.timedelta(9))
    MilestoneFactory(
        project=project,
        code="B1",
        title="Valg av modell",
        kind=Milestone.Kind.DECISION_POINT,
        due_date=on + dt.timedelta(10),
    )
    DecisionRequestFactory(
        project=project,
        title="Ny organisering av oppvekst",
        question="vedta alternativ 2",
        deadline=on + dt.timedelta(days=7),
        created_by=leader,
    )
    return project


def test_the_steering_group_reads_the_portfolio_and_a_card_with_the_keyboard(
    page: Page, reported, steering
):
    log_in(page, steering.username)
    page.get_by_role("navigation", name="Hovedmeny").get_by_role(
        "link", name="Styringsoversikt"
    ).click()
    expect(page.get_by_role("heading", level=1, name="Styringsoversikt")).to_be_visible()
    table = page.get_by_role("table", name="Prosjektene")
    row = table.get_by_role("row").nth(1)
    expect(row).to_contain_text("Trenger oppfølging")
    expect(row.get_by_text("Forsinket", exact=True).first).to_be_visible()
    expect(row.get_by_role("link", name="Ny organisering av oppvekst")).to_be_visible()
    assert_accessible(page)
    assert_reflows(page)

    # The same projects as a timeline, with its table.
    page.get_by_role("link", name="Vis som tidslinje").click()
    expect(page.get_by_role("heading", level=1, name="Tidslinje for porteføljen")).to_be_visible()
    expect(page.get_by_role("img", name="Tidslinje for porteføljen")).to_be_visible()
    expect(page.get_by_role("cell", name="Beslutningspunkt B1: Valg av modell")).to_be_visible()
    assert_accessible(page)
    assert_reflows(page)
    page.go_back()

    # The filters are a form in the URL: only those that need attention.
    page.get_by_label("Bare de som trenger oppfølging").check()
    page.get_by_role("button", name="Vis").click()
    expect(page).to_have_url(re.compile(r"attention=on"))
    expect(table.get_by_role("link", name=reported.name, exact=True)).to_be_visible()

    # From the table, Tab reaches the project; Enter opens its card.
    page.get_by_role("region", name="Prosjektene").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == reported.name:
            break
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(reported.name)
    card = page.get_by_role("region", name=f"{reported.name} ({reported.code})")
    expect(card.get_by_role("img", name="Statushistorikk")).to_be_visible()
    expect(card.get_by_text("Beslutningspunkt B1 Valg av modell")).to_be_visible()
    assert_accessible(page)
    assert_reflows(page)

    focused = []
    for _ in range(30):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.textContent.trim()"))
        if focused[-1] == "Vis som tabell":
            break
    assert "Ny organisering av oppvekst" in focused
    assert focused[-1] == "Vis som tabell"
    page.keyboard.press("Enter")
    history = card.get_by_role("table", name=f"Statushistorikk: {reported.name}")
    expect(history).to_be_visible()
    expect(history.get_by_role("row").nth(3)).to_contain_text("Rød")
    assert_accessible(page)
