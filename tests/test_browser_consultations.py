"""Consultation in a real browser: the leader sets up a meeting with the union and safety
representatives, writes the agenda and calls it; a representative reads it, the questions log
is asked and answered. Every page state passes axe-core's WCAG 2.1 A/AA rules."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from consultations.models import Meeting
from projects.models import Membership

from .browser import assert_accessible, log_in
from .factories import MembershipFactory, WorkstreamFactory

pytestmark = pytest.mark.browser


def test_the_leader_calls_a_meeting_and_the_union_rep_reads_it(page: Page, project, leader):
    rep = MembershipFactory(
        project=project,
        user__username="tillitsvalgt",
        role=Membership.Role.UNION_REP,
        union_name="Fagforbundet",
        by=leader,
    ).user
    log_in(page, "leder")
    page.goto(f"/prosjekter/{project.pk}/")
    page.get_by_role("navigation", name="Prosjektmeny").get_by_role(
        "link", name="Drøftinger"
    ).click()
    expect(
        page.get_by_role("heading", level=1, name="Møter med tillitsvalgte og verneombud")
    ).to_be_visible()
    assert_accessible(page)

    # A meeting in the past is refused with a Norwegian message.
    page.get_by_role("link", name="Nytt møte").click()
    page.get_by_label("Tittel").fill("Drøfting av organisasjonskartet")
    page.get_by_label("Starter").fill("2020-01-06T10:00")
    page.get_by_label("Slutter").fill("2020-01-06T12:00")
    page.get_by_label(f"{rep} – Tillitsvalgt (Fagforbundet)").check()
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_text("Et nytt møte må ligge fram i tid.")).to_be_visible()
    assert_accessible(page)

    start = timezone.localtime() + dt.timedelta(days=14)
    page.get_by_label("Starter").fill(start.strftime("%Y-%m-%dT10:00"))
    page.get_by_label("Slutter").fill(start.strftime("%Y-%m-%dT12:00"))
    page.get_by_role("button", name="Lagre").click()
    expect(
        page.get_by_role("heading", level=1, name="Drøfting av organisasjonskartet")
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Ny sak").click()
    page.get_by_label("Sak", exact=True).fill("Videre forankring av overordnet organisasjonskart")
    page.get_by_label("Hva er gjort").fill("Drøftet med hovedtillitsvalgte.")
    page.get_by_label("Hva skal nå gjøres").fill("Utarbeide informasjonsmateriell til enhetene.")
    assert_accessible(page)
    page.get_by_role("button", name="Lagre").click()
    page.get_by_role("button", name="Kall inn").click()
    expect(
        page.get_by_text("Innkallingen med saksliste og kalenderinvitasjon er sendt.")
    ).to_be_visible()
    assert Meeting.objects.get().called_at is not None

    # The union representative sees the meeting they are invited to, and its protocol page.
    page.get_by_role("button", name="Logg ut").click()
    log_in(page, "tillitsvalgt")
    page.goto(f"/prosjekter/{project.pk}/moter/")
    page.get_by_role("link", name="Drøfting av organisasjonskartet").click()
    expect(
        page.get_by_role(
            "heading", level=3, name="1) Videre forankring av overordnet organisasjonskart"
        )
    ).to_be_visible()
    expect(page.get_by_role("button", name="Kall inn")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Protokoll").click()
    assert_accessible(page)


def test_a_workstream_asks_and_the_leader_answers(page: Page, project, leader):
    member = MembershipFactory(
        project=project, user__username="medlem", role=Membership.Role.PROJECT_GROUP, by=leader
    ).user
    WorkstreamFactory(project=project, name="Skoler og barnehager", members=[member], by=leader)
    log_in(page, "medlem")
    page.goto(f"/prosjekter/{project.pk}/sporsmal/")
    assert_accessible(page)
    page.get_by_label("Arbeidsstrøm").select_option(label="Skoler og barnehager")
    page.get_by_role("textbox", name="Spørsmål").fill("Beholder rektorene personalansvaret?")
    page.get_by_role("button", name="Send spørsmålet").click()
    expect(page.get_by_text("Spørsmålet er registrert.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Logg ut").click()
    log_in(page, "leder")
    page.goto(f"/prosjekter/{project.pk}/sporsmal/")
    page.get_by_role("textbox", name="Svar").fill(
        "Ja, i alternativ 2 beholder rektorene personalansvaret."
    )
    page.get_by_role("button", name="Publiser svaret").click()
    expect(page.get_by_text("Svaret er publisert til alle arbeidsstrømmene.")).to_be_visible()
    expect(page.get_by_role("region", name="Besvarte spørsmål", exact=True)).to_contain_text(
        "beholder rektorene"
    )
    assert_accessible(page)
