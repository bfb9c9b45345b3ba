"""Attachments in a real browser: the leader attaches a draft to an agenda item of a meeting
(a file that only claims to be a PDF is refused in Norwegian), calls the meeting, whose notice
names the draft with its link, and the union representative invited downloads it. Every page
state passes axe-core's WCAG 2.1 A/AA rules and reflows at 320 px."""

import pytest
from playwright.sync_api import Page, expect

from consultations.models import Attachment
from demo.documents import tiny_pdf
from notifications.models import OutgoingMail
from projects.models import Membership
from reports import services as report_services

from .browser import assert_accessible, log_in
from .factories import UNCONSULTED, AgendaItemFactory, MeetingFactory, MembershipFactory

pytestmark = pytest.mark.browser

DRAFT = tiny_pdf("Utkast til organisasjonskart", ["Enhetene i den nye organisasjonen"])


def test_the_leader_attaches_a_draft_and_the_invited_rep_downloads_it(page: Page, project, leader):
    rep = MembershipFactory(
        project=project,
        user__username="tillitsvalgt",
        role=Membership.Role.UNION_REP,
        union_name="Fagforbundet",
        by=leader,
    ).user
    meeting = MeetingFactory(
        project=project,
        title="Drøfting av organisasjonskartet",
        participants=[
            {"user": leader, "side": "employer"},
            {"user": rep, "side": "union", "union_name": "Fagforbundet"},
        ],
        by=leader,
    )
    AgendaItemFactory(meeting=meeting, order=1, title="Overordnet organisasjonskart", by=leader)

    log_in(page, "leder")
    page.goto(f"/prosjekter/{project.pk}/moter/{meeting.pk}/")
    expect(page.get_by_text("Ingen dokumenter er lagt ved møtet.")).to_be_visible()
    page.get_by_role("link", name="Legg ved et dokument").click()
    expect(
        page.get_by_role(
            "heading", level=1, name="Legg ved et dokument: Drøfting av organisasjonskartet"
        )
    ).to_be_visible()
    assert_accessible(page)

    # A text file named .pdf, sent as a PDF by the browser: refused by its content.
    page.get_by_label("Fil", exact=True).set_input_files(
        {"name": "utkast.pdf", "mimeType": "application/pdf", "buffer": b"Bare tekst."}
    )
    page.get_by_role("button", name="Last opp").click()
    expect(
        page.get_by_text("Filen er ikke en PDF-, Word- (.docx) eller Excel-fil (.xlsx).")
    ).to_be_visible()
    assert_accessible(page)
    assert not Attachment.objects.exists()

    page.get_by_label("Fil", exact=True).set_input_files(
        {"name": "utkast-kart.pdf", "mimeType": "application/pdf", "buffer": DRAFT}
    )
    page.get_by_label("Tittel").fill("Utkast til organisasjonskart")
    page.get_by_label("Sak (valgfritt)").select_option(label="1) Overordnet organisasjonskart")
    page.get_by_role("button", name="Last opp").click()
    expect(page.get_by_text("«Utkast til organisasjonskart» er lagt ved.")).to_be_visible()
    item = page.get_by_role("article", name="1) Overordnet organisasjonskart")
    expect(item.get_by_role("link", name="Utkast til organisasjonskart")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Kall inn").click()
    expect(
        page.get_by_text("Innkallingen med saksliste og kalenderinvitasjon er sendt.")
    ).to_be_visible()
    attachment = Attachment.objects.get()
    notice = OutgoingMail.objects.get(kind="meeting.notice")
    link = f"/prosjekter/{project.pk}/vedlegg/{attachment.pk}/last-ned/"
    assert "- Utkast til organisasjonskart (utkast-kart.pdf, sak 1): " in notice.body
    assert link in notice.body

    # The representative invited downloads it from the meeting.
    page.get_by_role("button", name="Logg ut").click()
    log_in(page, "tillitsvalgt")
    page.goto(f"/prosjekter/{project.pk}/moter/{meeting.pk}/")
    expect(page.get_by_role("link", name="Legg ved et dokument")).to_have_count(0)
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Utkast til organisasjonskart").click()
    assert download.value.suggested_filename == "utkast-kart.pdf"
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == DRAFT

    # And finds it on the project's attachments page too.
    page.get_by_role("navigation", name="Drøftinger og spørsmål").get_by_role(
        "link", name="Vedlegg"
    ).click()
    expect(page.get_by_role("heading", level=1, name="Vedlegg")).to_be_visible()
    expect(page.get_by_role("link", name="Utkast til organisasjonskart")).to_be_visible()
    assert_accessible(page)


def test_the_archive_page_lists_the_frozen_documents(page: Page, project, leader):
    report_services.decide_mandate(
        project=project, by=project.owner, no_protocol_reason=UNCONSULTED
    )
    log_in(page, "leder")
    page.goto(f"/prosjekter/{project.pk}/endringslogg/")
    page.get_by_role("link", name="Arkivuttrekk").click()
    expect(page.get_by_role("heading", level=1, name="Arkivuttrekk")).to_be_visible()
    expect(page.get_by_role("table", name="1 dokument i uttrekket")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Last ned arkivuttrekk-{project.code.lower()}.zip").click()
    assert download.value.suggested_filename == f"arkivuttrekk-{project.code.lower()}.zip"
