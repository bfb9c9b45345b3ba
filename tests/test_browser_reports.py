"""Status reports in a real browser: the leader completes and publishes a draft, the steering
group reads it; axe-core on each state."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from projects.models import Membership, Project

from .browser import assert_accessible, log_in
from .factories import MembershipFactory, MilestoneFactory, RiskFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def due(project, leader):
    """The project's first period ended yesterday; a milestone, a risk and a steering member."""
    today = timezone.localdate()
    Project.objects.filter(pk=project.pk).update(
        start_date=today - dt.timedelta(days=22), status=Project.Status.ACTIVE
    )
    MilestoneFactory(project=project, code="M1", title="Fremdriftsplan etablert", due_date=today)
    RiskFactory(
        project=project, title="Nøkkelpersoner slutter", probability=4, consequence=5, by=leader
    )
    MembershipFactory(
        project=project, user__username="styring", role=Membership.Role.STEERING, by=leader
    )
    return project


def test_the_leader_completes_and_publishes_the_report_and_the_steering_group_reads_it(
    page: Page, due
):
    log_in(page, "leder")
    page.goto(f"/prosjekter/{due.pk}/")
    menu = page.get_by_role("navigation", name="Prosjektmeny")
    menu.get_by_role("link", name="Statusrapporter").click()
    expect(page.get_by_role("heading", level=1, name="Statusrapporter")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Lag utkast nå").click()
    expect(page.get_by_text("Utkastet er laget fra prosjektets data.")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Statusrapport 1")).to_be_visible()
    assert_accessible(page)

    # Publishing with lights missing is refused, with what is missing.
    page.get_by_role("button", name="Publiser og send til styringsgruppen").click()
    expect(page.get_by_text("Mangler: Samlet status, Fremdrift")).to_be_visible()
    assert_accessible(page)

    for section in ("Samlet status", "Fremdrift", "Økonomi", "Kvalitet", "Risiko", "Gevinster"):
        group = page.get_by_role("group", name=section)
        group.get_by_label("Status").select_option(label="Gul" if section == "Risiko" else "Grønn")
    page.get_by_role("group", name="Risiko").get_by_label("Kommentar").fill(
        "Nøkkelpersoner vurderer å slutte."
    )
    page.get_by_label("Oppnådd siste periode").fill("Fremdriftsplanen er etablert.")
    page.get_by_role("button", name="Lagre rapporten").click()
    expect(page.get_by_text("Rapporten er lagret.")).to_be_visible()
    page.get_by_role("button", name="Publiser og send til styringsgruppen").click()
    expect(page.get_by_text("Rapporten er publisert")).to_be_visible()
    expect(page.get_by_role("region", name="Utsending til styringsgruppen")).to_be_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    reader = page
    log_in(reader, "styring")
    reader.goto(f"/prosjekter/{due.pk}/statusrapporter/1/")
    status = reader.get_by_role("table", name="Status per del av prosjektet")
    expect(status.get_by_role("row", name="Risiko")).to_contain_text("Gul")
    expect(status.get_by_role("row", name="Risiko")).to_contain_text(
        "Nøkkelpersoner vurderer å slutte."
    )
    expect(reader.get_by_role("button", name="Lagre rapporten")).to_have_count(0)
    assert_accessible(reader)
