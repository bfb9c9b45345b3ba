"""The progress plan in a real browser: the leader pastes seed 001's milestone table, reads the
plan (SVG timeline with its table), and changes a status inline with the keyboard; a workstream
member follows up activities. Every page state passes axe-core's WCAG 2.1 A/AA rules."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from milestones.models import Milestone
from projects.models import Membership

from .browser import (
    assert_accessible,
    log_in,
    wait_for_htmx,
)
from .factories import MembershipFactory, MilestoneFactory, WorkstreamFactory
from .test_milestones import SEED_TABLE

pytestmark = pytest.mark.browser


def test_the_leader_imports_the_plan_reads_it_and_updates_a_status(page: Page, project, leader):
    log_in(page, "leder")
    page.goto(f"/prosjekter/{project.pk}/")
    page.get_by_role("navigation", name="Prosjektmeny").get_by_role(
        "link", name="Fremdrift"
    ).click()
    expect(page.get_by_role("heading", level=1, name="Fremdriftsplan")).to_be_visible()
    expect(page.get_by_text("Ingen milepæler ennå.")).to_be_visible()
    assert_accessible(page)

    # Paste a table with a mistake: the preview says which row and why, and saves nothing.
    page.get_by_role("link", name="Importer fra Word eller Excel").click()
    table = page.get_by_role("textbox", name="Tabell")
    table.fill(SEED_TABLE.replace("13.05.2013", "snart"))
    page.get_by_role("button", name="Forhåndsvis").click()
    expect(page.get_by_role("alert")).to_contain_text("1 av 16 rader har feil")
    expect(page.get_by_role("row").filter(has_text="M3")).to_contain_text("«snart» er ikke en dato")
    expect(page.get_by_role("button", name="Importer 16 milepæler")).to_have_count(0)
    assert_accessible(page)

    # Corrected, previewed and imported.
    page.get_by_role("textbox", name="Tabell").fill(SEED_TABLE)
    page.get_by_role("button", name="Forhåndsvis").click()
    expect(page.get_by_text("Alle 16 radene er klare til import.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Importer 16 milepæler").click()
    expect(page.get_by_text("16 milepæler er importert.")).to_be_visible()
    expect(
        page.get_by_role("heading", level=1, name="Milepæler og beslutningspunkter")
    ).to_be_visible()
    assert_accessible(page)
    assert project.milestones.count() == 16

    # The plan: a timeline the screen reader gets as an image with a description, and the table.
    page.get_by_role("navigation", name="Fremdrift").get_by_role(
        "link", name="Fremdriftsplan"
    ).click()
    timeline = page.get_by_role("img", name="Tidslinje for fremdriftsplanen")
    expect(timeline).to_be_visible()
    expect(timeline).to_have_accessible_description(
        "16 milepæler fra 12.04.2013 til 26.08.2013. 16 er forsinket. 0 er nådd."
    )
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(17)
    expect(rows.filter(has_text="M14")).to_contain_text("Senest 19. august 2013")
    expect(rows.filter(has_text="M14")).to_contain_text("Forsinket")
    assert_accessible(page)

    # Mark M3 reached with the keyboard only: the row is swapped in place and focus stays on it.
    page.get_by_role("navigation", name="Fremdrift").get_by_role(
        "link", name="Milepæler og beslutningspunkter"
    ).click()
    page.evaluate("window.__noReload = true")
    status = page.get_by_role("combobox", name="Status for M3")
    status.focus()
    status.select_option("reached")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Oppdater M3")).to_be_focused()
    page.keyboard.press("Enter")
    row = page.locator("tr", has=page.get_by_role("combobox", name="Status for M3"))
    expect(row.get_by_role("status")).to_have_text("Lagret.")
    wait_for_htmx(page)
    expect(page.get_by_role("combobox", name="Status for M3")).to_be_focused()
    expect(row).to_contain_text(f"Nådd {dt.date.today():%d.%m.%Y}")
    assert page.evaluate("window.__noReload") is True
    assert_accessible(page)
    assert Milestone.objects.get(project=project, code="M3").status == "reached"

    # The overview's progress bar.
    page.goto(f"/prosjekter/{project.pk}/")
    expect(page.get_by_role("progressbar", name="1 av 16 milepæler er nådd")).to_be_visible()
    assert_accessible(page)


def test_a_workstream_member_follows_up_activities(page: Page, project, leader):
    member = MembershipFactory(
        project=project, user__username="medlem", role=Membership.Role.PROJECT_GROUP, by=leader
    ).user
    workstream = WorkstreamFactory(
        project=project, name="Skoler og barnehager", members=[member], by=leader
    )
    milestone = MilestoneFactory(
        project=project,
        code="M1",
        title="Forslag klart",
        due_date=dt.date(2026, 3, 1),
        workstream=workstream,
        by=leader,
    )
    log_in(page, "medlem")
    page.goto(f"/prosjekter/{project.pk}/fremdrift/aktiviteter/")
    expect(page.get_by_role("heading", level=1, name="Aktiviteter")).to_be_visible()
    assert_accessible(page)

    # A missing title: a Norwegian error on the field, nothing saved.
    page.get_by_role("button", name="Legg til aktivitet").click()
    expect(page.get_by_text("Feltet er påkrevet.").first).to_be_visible()
    assert_accessible(page)

    new = page.get_by_role("region", name="Ny aktivitet")
    new.get_by_role("textbox", name="Aktivitet").fill("Møte med rektorene")
    new.get_by_role("combobox", name="Arbeidsstrøm").select_option(label="Skoler og barnehager")
    new.get_by_role("combobox", name="Milepæl").select_option(label="M1 Forslag klart")
    new.get_by_role("button", name="Legg til aktivitet").click()
    expect(page.get_by_text("Aktiviteten er lagt til.")).to_be_visible()

    status = page.get_by_role("combobox", name="Status for Møte med rektorene")
    status.select_option("done")
    page.get_by_role("button", name="Oppdater Møte med rektorene").click()
    expect(page.locator("tr", has=status).get_by_role("status")).to_have_text("Lagret.")
    assert_accessible(page)
    page.reload()  # the tabs count on load
    page.get_by_role("link", name="Hva er gjort (1)").click()
    expect(page.get_by_role("heading", level=2, name="Hva er gjort")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Møte med rektorene")
    assert_accessible(page)

    # The milestone itself is the member's to update too (their workstream), not to re-plan.
    page.goto(f"/prosjekter/{project.pk}/fremdrift/milepaeler/")
    expect(page.get_by_role("combobox", name="Status for M1")).to_be_visible()
    expect(page.get_by_role("link", name="Endre M1")).to_have_count(0)
    assert milestone.pk
