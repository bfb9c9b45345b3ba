"""Reuse in a real browser (issue 16, "What it must show"): the demo's leader copies Åmot into a
new project starting on 1 January next year; every milestone date moves by the same offset, the
copy's change log is its own and its members page shows only its creator. The leader also saves
Åmot as a template and finds it in the list. Every page passes axe-core and reflows."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from demo.build import PASSWORD
from milestones.models import Activity, Milestone
from projects.models import Membership, Phase, Project

from .browser import assert_accessible, log_in

pytestmark = pytest.mark.browser


def test_the_leader_copies_amot_into_a_project_starting_next_year(page: Page):
    call_command("load_demo", stdout=io.StringIO())
    source = Project.objects.get(code="AMOT-ADM")
    start = dt.date(timezone.localdate().year + 1, 1, 1)
    offset = start - source.start_date

    log_in(page, "leder", PASSWORD)
    page.goto(reverse("reports:overview", args=[source.pk]))
    page.get_by_role("link", name="Kopier til nytt prosjekt").click()
    expect(page.get_by_role("heading", level=1, name="Nytt prosjekt")).to_be_visible()
    expect(page.get_by_label("Start fra")).to_have_value("copy")
    expect(page.get_by_label("Prosjekt å kopiere")).to_have_value(str(source.pk))
    assert_accessible(page)

    # A code already taken is refused on the form, and nothing is made.
    page.get_by_label("Prosjektets navn").fill("Ny administrativ organisering")
    page.get_by_label("Kortnavn").fill("AMOT-ADM")
    page.get_by_label("Startdato").fill(start.isoformat())
    page.get_by_role("button", name="Opprett prosjekt").click()
    expect(page.get_by_text("finnes allerede")).to_be_visible()
    assert_accessible(page)
    assert not Project.objects.filter(name="Ny administrativ organisering").exists()

    page.get_by_label("Kortnavn").fill("AMOT-NESTE")
    page.get_by_role("button", name="Opprett prosjekt").click()
    expect(page.get_by_text("Prosjektet er opprettet som en kopi av")).to_be_visible()
    copy = Project.objects.get(code="AMOT-NESTE")
    assert copy.start_date == start and copy.status == Project.Status.DRAFT

    # Every date moved by the same offset: milestones, activities, phases, last delivery.
    old = dict(Milestone.objects.filter(project=source).values_list("code", "due_date"))
    new = dict(Milestone.objects.filter(project=copy).values_list("code", "due_date"))
    assert new.keys() == old.keys() and len(new) == 19
    assert {code: new[code] - old[code] for code in old} == dict.fromkeys(old, offset)
    old_acts = dict(Activity.objects.filter(project=source).values_list("title", "due_date"))
    new_acts = dict(Activity.objects.filter(project=copy).values_list("title", "due_date"))
    assert {title: new_acts[title] - old_acts[title] for title in old_acts} == dict.fromkeys(
        old_acts, offset
    )
    phases = zip(
        Phase.objects.filter(project=source).order_by("order"),
        Phase.objects.filter(project=copy).order_by("order"),
        strict=True,
    )
    assert {(b.start_date - a.start_date, b.end_date - a.end_date) for a, b in phases} == {
        (offset, offset)
    }
    assert copy.last_delivery_date - source.last_delivery_date == offset

    # The milestone table shows the new dates.
    page.goto(reverse("milestones:list", args=[copy.pk]))
    first = Milestone.objects.get(project=copy, code="M1")
    expect(page.get_by_role("row").filter(has_text="Ledersamling")).to_contain_text(
        first.due_date.strftime("%d.%m.%Y")
    )
    assert_accessible(page)

    # The change log is the copy's own: made by the leader now, nothing of Åmot's history.
    page.goto(reverse("reports:changelog", args=[copy.pk]))
    log = page.get_by_role("table", name="Endringer i prosjektet")
    expect(log).to_contain_text("Kopiert fra prosjektet AMOT-ADM")
    expect(log).to_contain_text("Ola Nordmann")
    for someone in ("Sindre Systemsen", "Kari Nordmann", "Hilde Personli"):
        expect(log).not_to_contain_text(someone)
    assert_accessible(page)

    # Its members: only its creator.
    page.goto(reverse("projects:members", args=[copy.pk]))
    members = page.get_by_role("table", name="Prosjektets medlemmer")
    rows = members.locator("tbody tr")
    for i in range(rows.count()):
        expect(rows.nth(i)).to_contain_text("Ola Nordmann")
    for someone in ("Kari Nordmann", "Ingrid Styrmo", "Tone Tillerli", "Hilde Personli"):
        expect(members).not_to_contain_text(someone)
    assert set(
        Membership.objects.filter(project=copy).values_list("user__username", flat=True)
    ) == {"leder"}
    assert_accessible(page)

    # "Lagre som mal" on Åmot, then the template list with the built-in template.
    page.goto(reverse("reports:overview", args=[source.pk]))
    page.get_by_role("link", name="Lagre som mal").click()
    expect(page.get_by_role("heading", level=1, name="Lagre som mal")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Navn på malen").fill("Åmot, runde 2")
    page.get_by_role("button", name="Lagre som mal").click()
    expect(page.get_by_text("Malen «Åmot, runde 2» er lagret.")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Prosjektmaler")).to_be_visible()
    table = page.get_by_role("table", name="Prosjektmaler")
    expect(table).to_contain_text("OU-prosjekt etter Hovedavtalen")
    expect(table).to_contain_text("Åmot, runde 2")
    assert_accessible(page)

    # A start from the built-in template.
    table.get_by_role("link", name="Start prosjekt fra OU-prosjekt etter Hovedavtalen").click()
    expect(page.get_by_label("Start fra")).to_have_value("template")
    page.get_by_label("Prosjektets navn").fill("Omorganisering av oppvekst")
    page.get_by_label("Kortnavn").fill("OU-OPPVEKST")
    page.get_by_label("Startdato").fill(start.isoformat())
    page.get_by_role("button", name="Opprett prosjekt").click()
    expect(page.get_by_text("Prosjektet er opprettet fra malen.")).to_be_visible()
    from_template = Project.objects.get(code="OU-OPPVEKST")
    assert Milestone.objects.filter(project=from_template).count() == 16
