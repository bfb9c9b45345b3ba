"""A phase's gate in a real browser: the leader adds a criterion to the checklist, is refused
while criteria are not met, ticks them and submits the gate; the owner finds it on "Mine
oppgaver", reads what was consulted on, approves it with a date, a comment and the reason for
approving without an approved protocol; the portfolio then shows the next phase in progress.
Every page passes axe-core and reflows at 320 px."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from projects import services
from projects.models import GateCriterion, GateSubmission, Phase

from .browser import assert_accessible, log_in
from .factories import PhaseFactory

pytestmark = pytest.mark.browser

REASON = "Drøftet med hovedtillitsvalgte 20.08.; protokollen er ikke signert ennå."


def test_the_leader_ticks_and_submits_and_the_owner_approves(page: Page, project, owner, leader):
    first = PhaseFactory(project=project, order=1, name="Fase 1: Midlertidig løsning", by=leader)
    second = PhaseFactory(project=project, order=2, name="Fase 2: Ny struktur", by=leader)
    services.start_phase(phase=first, by=leader)
    for order, text in enumerate(["Mandatet er besluttet", "Organisasjonsplanen er drøftet"], 1):
        services.save_criterion(
            criterion=GateCriterion(phase=first, order=order, text=text), by=leader
        )

    # The leader: the phases page shows each phase's state and checklist.
    log_in(page, "leder")
    page.goto(f"/prosjekter/{project.pk}/faser/")
    expect(page.get_by_role("heading", level=1, name="Faser")).to_be_visible()
    expect(page.get_by_role("table").get_by_text("Pågår")).to_be_visible()
    expect(page.get_by_role("table").get_by_text("Ikke startet")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Til faseovergangen fra Fase 1: Midlertidig løsning").click()
    expect(
        page.get_by_role("heading", level=1, name="Faseovergang: Fase 1: Midlertidig løsning")
    ).to_be_visible()
    assert_accessible(page)

    # A new criterion; submitting before every criterion is ticked is refused, in Norwegian.
    page.get_by_label("Hva må være på plass?").fill("Innplasseringene er gjennomført")
    page.get_by_role("button", name="Legg til kriterium").click()
    expect(page.get_by_text("Kriteriet er lagt til.")).to_be_visible()
    page.get_by_label("Melding til prosjekteieren").fill("Klar for fase 2.")
    page.get_by_role("button", name="Send til beslutning").click()
    expect(page.get_by_text("Alle kriteriene må være oppfylt")).to_be_visible()
    assert not GateSubmission.objects.exists()
    assert_accessible(page)

    # Ticked one by one (the first with a note), then submitted.
    page.get_by_label("Merknad (valgfri)").first.fill("Besluttet 03.06.2013")
    tick = page.get_by_role("button", name="Kryss av som oppfylt")
    for remaining in (3, 2, 1):
        expect(tick).to_have_count(remaining)
        tick.first.click()
        expect(page.get_by_text("er krysset av som oppfylt.")).to_be_visible()
    expect(tick).to_have_count(0)
    expect(page.get_by_text("Besluttet 03.06.2013")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Melding til prosjekteieren").fill("Klar for fase 2.")
    page.get_by_role("button", name="Send til beslutning").click()
    expect(
        page.get_by_text("Faseovergangen er sendt til prosjekteieren for beslutning.")
    ).to_be_visible()
    expect(page.locator(".page-head").get_by_text("Ved beslutningspunkt")).to_be_visible()
    page.get_by_role("button", name="Logg ut").click()

    # The owner finds it on the front page and approves it with a reason.
    log_in(page, "eier")
    page.get_by_role("link", name="Faseovergang å beslutte: Fase 1: Midlertidig løsning").click()
    decision = page.get_by_role("region", name="Godkjenn faseovergangen")
    expect(decision.get_by_text("Drøftingen har ingen godkjent protokoll.")).to_be_visible()
    expect(page.get_by_text("Klar for fase 2.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Beslutningsdato").fill(timezone.localdate().isoformat())
    page.get_by_label("Kommentar").fill("Godkjent.")
    page.get_by_label("Begrunnelse for å beslutte uten godkjent protokoll").fill(REASON)
    page.get_by_role("button", name="Godkjenn faseovergangen").click()
    expect(
        page.get_by_text("Faseovergangen fra Fase 1: Midlertidig løsning er godkjent.")
    ).to_be_visible()
    expect(page.locator(".page-head").get_by_text("Godkjent")).to_be_visible()
    expect(page.get_by_text(REASON).first).to_be_visible()
    assert_accessible(page)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (Phase.State.APPROVED, Phase.State.IN_PROGRESS)

    # The portfolio shows the next phase, in progress.
    page.goto("/prosjekter/styring/")
    row = page.get_by_role("row").filter(has_text=project.name)
    expect(row).to_contain_text("Fase 2: Ny struktur")
    expect(row).to_contain_text("Pågår")
    assert_accessible(page)
