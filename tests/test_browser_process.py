"""The process in a real browser: the leader sends the mandate to the owner; the owner finds it
on the front page, reads what was consulted on (a consultation meeting only planned), decides it
with a date and a comment and must give a reason; the union representative gets the mail with
that reason, through the outbox and a real SMTP server. Every page passes axe-core."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from consultations import services as consultation_services
from consultations.models import Meeting
from projects.models import MandateVersion, Membership
from reports import services as report_services

from .browser import assert_accessible, log_in
from .factories import (
    AgendaItemFactory,
    EmployeeFactory,
    MeetingFactory,
    MembershipFactory,
    OrgUnitFactory,
    PlacementFactory,
    PositionFactory,
)

pytestmark = pytest.mark.browser

REASON = "Budsjettfristen 1. oktober; drøftingsmøtet er berammet til 3. september."


def test_the_mandate_goes_to_the_owner_who_decides_it_through_the_consultation_gate(
    page: Page, project, owner, leader, settings, smtp_sink
):
    settings.MAILERS = smtp_sink.mailers
    rep = MembershipFactory(
        project=project,
        user__username="tillitsvalgt",
        user__email="tone@fagforbundet.example.no",
        role=Membership.Role.UNION_REP,
        union_name="Fagforbundet",
        by=leader,
    ).user
    meeting = MeetingFactory(
        project=project,
        title="Drøfting av prosjektmandatet",
        starts_at=timezone.now() + dt.timedelta(days=21),
        participants=[
            {"user": leader, "side": "employer"},
            {"user": rep, "side": "union", "union_name": "Fagforbundet"},
        ],
        by=leader,
    )
    AgendaItemFactory(meeting=meeting, title="Prosjektmandatet", concerns_mandate=True, by=leader)

    # The leader sends the mandate to the owner.
    log_in(page, "leder")
    page.goto(f"/prosjekter/{project.pk}/mandat/")
    assert_accessible(page)
    page.get_by_label("Melding til prosjekteieren").fill("Klar til beslutning.")
    page.get_by_role("button", name="Send til beslutning").click()
    expect(page.get_by_text("Mandatet er sendt til prosjekteieren for beslutning.")).to_be_visible()
    expect(page.locator(".page-head").get_by_text("Til beslutning")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Logg ut").click()

    # The owner's front page lists it; the menu counts it.
    log_in(page, "eier")
    nav = page.get_by_role("navigation", name="Hovedmeny")
    expect(nav.get_by_role("link", name="Mine oppgaver")).to_contain_text("1")
    assert_accessible(page)
    page.get_by_role("link", name="Mandatet venter på beslutningen din").click()
    expect(page.get_by_role("heading", level=1, name="Prosjektmandat")).to_be_visible()
    decision = page.get_by_role("region", name="Beslutt mandatet")
    expect(decision.get_by_role("link", name="Drøfting av prosjektmandatet")).to_be_visible()
    expect(decision.get_by_text("Drøftingen har ingen godkjent protokoll.")).to_be_visible()
    assert_accessible(page)

    # Deciding without a reason is refused, in Norwegian, on the field; nothing is decided.
    page.get_by_label("Beslutningsdato").fill(timezone.localdate().isoformat())
    page.get_by_label("Kommentar").fill("Vedtatt som foreslått.")
    page.get_by_role("button", name="Beslutt mandatet").click()
    expect(page.get_by_text("Skriv hvorfor det likevel besluttes nå")).to_be_visible()
    assert not MandateVersion.objects.exists()
    assert_accessible(page)

    page.get_by_label("Begrunnelse for å beslutte uten godkjent protokoll").fill(REASON)
    page.get_by_role("button", name="Beslutt mandatet").click()
    expect(page.get_by_text("Mandatet er besluttet som versjon 1.")).to_be_visible()
    expect(page.locator(".page-head").get_by_text("Besluttet v1")).to_be_visible()
    expect(page.get_by_text(REASON)).to_be_visible()
    assert_accessible(page)

    # The union representative gets the mail with the reason.
    received = [
        m for m in smtp_sink.wait_for(3) if m.envelope_to == ["tone@fagforbundet.example.no"]
    ]
    (told,) = [m for m in received if "uten godkjent protokoll" in m.subject]
    assert REASON in told.body and "Hovedavtalen § 1-4" in told.body
    version = MandateVersion.objects.get()
    assert (version.comment, version.no_protocol_reason) == ("Vedtatt som foreslått.", REASON)


def test_the_new_pages_of_the_process_are_accessible(page: Page, project, owner, leader):
    """The profile, the comparison of versions, the protocol read on its page with the form to
    ask for a correction, a placement's decision, a meeting recorded afterwards."""
    rep = MembershipFactory(
        project=project, user__username="tillitsvalgt", role=Membership.Role.UNION_REP,
        union_name="Fagforbundet", by=leader,
    ).user  # fmt: skip
    report_services.decide_mandate(project=project, by=owner, no_protocol_reason="Drøftet før.")
    meeting = MeetingFactory(
        project=project,
        participants=[{"user": leader, "side": "employer"}, {"user": rep, "side": "union"}],
        by=leader,
    )
    AgendaItemFactory(meeting=meeting, title="Ny organisering", by=leader)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=3),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )
    consultation_services.mark_held(
        meeting=Meeting.objects.get(pk=meeting.pk), present_user_ids=[leader.pk, rep.pk], by=leader
    )
    consultation_services.send_for_approval(meeting=meeting, by=leader)
    unit = OrgUnitFactory(project=project, by=leader)
    employee = EmployeeFactory(project=project, by=leader)
    placement = PlacementFactory(
        employee=employee, position=PositionFactory(unit=unit, by=leader), by=leader
    )

    log_in(page, "tillitsvalgt")
    page.goto(f"/prosjekter/{project.pk}/moter/{meeting.pk}/protokoll/")
    expect(page.get_by_role("heading", name="Slik protokollen lyder")).to_be_visible()
    expect(page.get_by_role("button", name="Be om retting")).to_be_visible()
    assert_accessible(page)
    page.goto("/accounts/profil/")
    expect(page.get_by_role("heading", level=1, name="Min profil")).to_be_visible()
    page.get_by_label("samle varslene i én e-post hver morgen").check()
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_text("Profilen er lagret.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Logg ut").click()

    log_in(page, "leder")
    page.goto(f"/prosjekter/{project.pk}/mandat/sammenlign/")
    expect(
        page.get_by_role("heading", level=1, name="Sammenlign versjoner av mandatet")
    ).to_be_visible()
    assert_accessible(page)
    page.goto(f"/prosjekter/{project.pk}/innplasseringer/{placement.pk}/beslutt/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Beslutt innplasseringen")
    assert_accessible(page)
    page.goto(f"/prosjekter/{project.pk}/moter/i-ettertid/")
    expect(
        page.get_by_role("heading", level=1, name="Registrer et møte i ettertid")
    ).to_be_visible()
    assert_accessible(page)
