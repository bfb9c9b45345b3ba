"""Close-out in a real browser: the leader completes and publishes the final report, which
closes the project; a benefit owner in the line, not a member of the project, records a
measurement after the close and sees it in the chart; axe-core on each state."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from projects import services as project_services
from projects.models import BenefitMeasurement, Membership, Project
from reports import services

from .browser import assert_accessible, log_in
from .factories import BenefitFactory, GoalFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.browser

TODAY = timezone.localdate()


@pytest.fixture
def active(project, leader):
    Project.objects.filter(pk=project.pk).update(
        status=Project.Status.ACTIVE, start_date=TODAY - dt.timedelta(days=120)
    )
    project.refresh_from_db()
    MembershipFactory(
        project=project, user__username="styring", role=Membership.Role.STEERING, by=leader
    )
    return project


def test_the_leader_publishes_the_final_report_and_the_project_is_closed(
    page: Page, active, leader
):
    GoalFactory(project=active, text="Ny organisering er vedtatt")
    project_services.add_lesson(project=active, category="consultation",
                                text="Involver tillitsvalgte tidlig.", by=leader)  # fmt: skip
    log_in(page, "leder")
    page.goto(f"/prosjekter/{active.pk}/")
    page.get_by_role("navigation", name="Prosjektmeny").get_by_role(
        "link", name="Sluttrapport"
    ).click()
    expect(page.get_by_role("heading", level=1, name="Sluttrapport")).to_be_visible()
    expect(page.get_by_text("Involver tillitsvalgte tidlig.")).to_be_visible()
    assert_accessible(page)

    # Without a summary it is refused, with why.
    page.get_by_role("button", name="Publiser sluttrapporten og avslutt prosjektet").click()
    expect(page.get_by_text("Skriv sammendraget før sluttrapporten publiseres.")).to_be_visible()

    page.get_by_label("Sammendrag").fill("Ny organisering er i drift fra 1. september.")
    page.get_by_label("Resultat: Ny organisering er vedtatt").fill("Vedtatt i kommunestyret.")
    page.get_by_role("button", name="Lagre sluttrapporten").click()
    expect(page.get_by_text("Sluttrapporten er lagret.")).to_be_visible()
    goals = page.get_by_role("table", name="Mål og resultater")
    expect(goals).to_contain_text("Vedtatt i kommunestyret.")
    assert_accessible(page)

    page.get_by_role("button", name="Publiser sluttrapporten og avslutt prosjektet").click()
    expect(page.get_by_text("Prosjektet er avsluttet.").first).to_be_visible()
    expect(page.get_by_role("button", name="Lagre sluttrapporten")).to_have_count(0)
    assert_accessible(page)
    active.refresh_from_db()
    assert active.status == Project.Status.COMPLETED and active.closed_on == TODAY

    # The steering group reads it.
    page.context.clear_cookies()
    log_in(page, "styring")
    page.goto(f"/prosjekter/{active.pk}/sluttrapport/")
    expect(page.get_by_text("Ny organisering er i drift fra 1. september.")).to_be_visible()
    assert_accessible(page)


def test_a_benefit_owner_records_a_measurement_after_the_close_and_sees_the_chart(
    page: Page, active, leader, organisation
):
    unit_leader = UserFactory(username="enhetsleder", organisations=[organisation])
    benefit = BenefitFactory(project=active, title="Kortere ventetid", baseline="30",
                             target="14", unit="dager")  # fmt: skip
    project_services.set_benefit_plan(
        benefit=benefit, owner_user=unit_leader, measure_from=TODAY - dt.timedelta(days=90),
        measure_every_months=3, measure_until=TODAY + dt.timedelta(days=365), by=leader,
    )  # fmt: skip
    project_services.record_benefit_measurement(
        measurement=BenefitMeasurement(
            benefit=benefit, measured_on=TODAY - dt.timedelta(days=90), value="28"
        ),
        by=leader,
    )
    services.save_final_report(project=active, values={"summary": "Ferdig."}, goal_results={},
                               by=leader)  # fmt: skip
    services.publish_final_report(project=active, by=leader)

    log_in(page, "enhetsleder")
    expect(page.get_by_text("Gevinster å måle")).to_be_visible()  # the task on the front page
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Gevinster").click()
    expect(page.get_by_role("heading", level=1, name="Gevinster")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Kortere ventetid").click()
    expect(page.get_by_role("heading", level=1, name="Kortere ventetid")).to_be_visible()
    expect(page.get_by_text("Prosjektet er avsluttet")).to_be_visible()
    assert_accessible(page)

    form = page.get_by_role("region", name="Registrer måling")
    form.get_by_label("Målt verdi").fill("21")
    form.get_by_label("Kommentar").fill("Etter ny rutine for inntak")
    form.get_by_role("button", name="Registrer måling").click()
    expect(page.get_by_text("Målingen er registrert.")).to_be_visible()
    chart = page.get_by_role("img", name="Målinger av Kortere ventetid")
    expect(chart).to_be_visible()
    expect(chart.locator("circle")).to_have_count(2)
    table = page.get_by_role("table", name="Målinger, nyeste først")
    expect(table.get_by_role("row").nth(1)).to_contain_text("21 dager")
    expect(table).to_contain_text("Etter ny rutine for inntak")
    assert_accessible(page)
