"""Personal data in a real browser: HR reads an employee's page, the access log and the record of
processing, and anonymises the employee after the confirmation; the leader gives a union
representative insight for a purpose until a date, and the representative then sees the
employees. Every page passes axe-core and reflows at 320 px."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from projects.models import Membership
from roles.models import Employee, PersonalDataAccess

from .browser import assert_accessible, assert_reflows, log_in
from .factories import EmployeeFactory, MembershipFactory

pytestmark = pytest.mark.browser


def test_hr_reads_the_log_and_erases_an_employee(page: Page, project, leader):
    MembershipFactory(project=project, user__username="hr", role=Membership.Role.HR, by=leader)
    person = EmployeeFactory(project=project, first_name="Sigrun", last_name="Brekkestø", by=leader)

    log_in(page, "hr")
    page.goto(f"/prosjekter/{project.pk}/bemanning/ansatte/{person.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sigrun Brekkestø")
    expect(page.get_by_role("link", name="Innsyn for den ansatte (PDF)")).to_be_visible()
    assert_accessible(page)
    assert_reflows(page)

    page.get_by_role("link", name="Hele innsynsloggen for den ansatte").click()
    expect(page.get_by_role("heading", level=1, name="Innsynslogg")).to_be_visible()
    expect(page.get_by_role("cell", name="En ansatts side")).to_be_visible()
    assert_accessible(page)
    assert_reflows(page)

    page.goto(f"/prosjekter/{project.pk}/bemanning/personvern/")
    expect(
        page.get_by_role("heading", level=1, name="Behandlingsprotokoll for personopplysninger")
    ).to_be_visible()
    assert_accessible(page)
    assert_reflows(page)

    page.goto(f"/prosjekter/{project.pk}/bemanning/ansatte/{person.pk}/")
    page.get_by_role("link", name="Anonymiser den ansatte").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Anonymiser Sigrun Brekkestø")
    assert_accessible(page)
    assert_reflows(page)
    page.get_by_label("Grunn").fill("Den ansatte har bedt om sletting")
    page.get_by_role("button", name="Anonymiser").click()  # not confirmed: the form says so
    expect(page.get_by_text("Kryss av for å bekrefte at du forstår dette.")).to_be_visible()
    assert Employee.objects.get(pk=person.pk).erased_at is None
    assert_accessible(page)
    page.get_by_label("Jeg forstår at opplysningene ikke kan hentes tilbake.").check()
    page.get_by_role("button", name="Anonymiser").press("Enter")
    expect(page.get_by_text("Den ansatte er anonymisert.")).to_be_visible()
    assert "Brekkestø" not in page.content()
    assert Employee.objects.get(pk=person.pk).erased_at is not None


def test_the_leader_gives_a_representative_insight_until_a_date(page: Page, project, leader):
    rep = MembershipFactory(
        project=project, user__username="tillitsvalgt", role=Membership.Role.UNION_REP,
        union_name="Fagforbundet", by=leader,
    )  # fmt: skip
    EmployeeFactory(project=project, first_name="Sigrun", last_name="Brekkestø", by=leader)

    log_in(page, "leder")
    page.goto(f"/prosjekter/{project.pk}/medlemmer/")
    page.get_by_role("link", name=f"Gi innsyn {rep.user}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("innsyn i personopplysninger")
    assert_accessible(page)
    assert_reflows(page)
    page.get_by_label("Formål").fill("Drøfting av innplasseringene")
    until = timezone.localdate() + dt.timedelta(days=14)
    page.get_by_label("Til og med").fill(until.isoformat())
    page.get_by_role("button", name="Gi innsyn").click()
    expect(page.get_by_text("har fått innsyn i personopplysninger")).to_be_visible()
    assert_accessible(page)
    assert_reflows(page)
    page.get_by_role("button", name="Logg ut").click()

    log_in(page, "tillitsvalgt")
    page.goto(f"/prosjekter/{project.pk}/bemanning/ansatte/")
    expect(page.get_by_role("link", name="Sigrun Brekkestø")).to_be_visible()
    assert PersonalDataAccess.objects.filter(
        user=rep.user, purpose=PersonalDataAccess.Purpose.LIST
    ).exists()
