"""The process in a real browser: the leader sends the mandate to the owner; the owner finds it
on the front page, reads what was consulted on (a consultation meeting only planned), decides it
with a date and a comment and must give a reason; the union representative gets the mail with
that reason, through the outbox and a real SMTP server. Every page passes axe-core."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from projects.models import MandateVersion, Membership

from .browser import assert_accessible, log_in
from .factories import AgendaItemFactory, MeetingFactory, MembershipFactory

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
