"""The mandate PDF: the structure of seed 001, its header and footer, embedded fonts with æøå."""

import io
import os
import threading

import pytest
from django.urls import reverse
from pypdf import PdfReader
from weasyprint import HTML

from core.pdf import RenderingFailed, in_child_process, single_threaded
from projects import services
from projects.models import MandateVersion
from reports import services as report_services

from .factories import UNCONSULTED, PhaseFactory, SolutionOptionFactory, WorkstreamFactory


@pytest.fixture
def written_project(project, leader):
    services.update_mandate_fields(
        project=project,
        values={
            "background": "I Åmot kommunes planstrategi heter det at ledergruppen er stor.",
            "purpose": "Tydeliggjøre administrasjonens mål.\n\n- Bedre utnyttelse av ressursene\n- Samordning",
            "constraints": "Arbeidsstrømmene skal ha minimum 2 og maksimum 4 løsningsforslag.",
            "obligations": "Alle relevante spørsmål besvares til alle arbeidsstrømmer.",
            "quality_requirements": "Prosessen må gjennomføres innenfor lov og avtaleverk.",
        },
        section="Bakgrunn",
        by=leader,
    )
    services.replace_goals(
        project=project, kind="result", texts=["Beskrive nåsituasjonen"], section="R", by=leader
    )
    services.replace_goals(
        project=project, kind="effect", texts=["Økt strategisk fokus"], section="E", by=leader
    )
    services.replace_benefits(
        project=project,
        rows=[
            {
                "title": "Forenklet organisering",
                "indicator": "Møtetimer",
                "baseline": "40",
                "target": "25",
                "unit": "timer",
                "owner": "Rådmann",
            }
        ],
        section="G",
        by=leader,
    )
    PhaseFactory(project=project, name="Fase 1: midlertidig løsning", by=leader)
    ws = WorkstreamFactory(project=project, name="Skoler og barnehager", by=leader)
    SolutionOptionFactory(
        workstream=ws, title="Dagens organisering", is_zero_alternative=True, by=leader
    )
    return project


def pdf_text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def embedded_fonts(reader: PdfReader) -> set[str]:
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get(
                "/FontDescriptor"
            )
            if descriptor and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
            ):
                fonts.add(str(font["/BaseFont"]))
    return fonts


def test_the_draft_pdf_has_every_section_in_the_order_of_the_mandate(
    client, written_project, leader
):
    client.force_login(leader)
    response = client.get(reverse("reports:mandate_pdf", args=[written_project.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "mandat-" in response["Content-Disposition"]
    reader, text = pdf_text(response.content)

    headings = [
        "1 Prosjektets navn",
        "2 Prosjekteier",
        "3 Bakgrunn for, hensikt med og kort beskrivelse av prosjektet",
        "Faser",
        "Organisering: arbeidsstrømmer",
        "4.1 Resultatmål",
        "4.2 Effektmål",
        "4.3 Gevinster",
        "5.1 Føringer og krav til prosjektet",
        "5.3 Organisasjonens forpliktelser overfor prosjektet",
        "5.4 Kvalitet",
    ]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    # The content, with æøå intact.
    for phrase in [
        "I Åmot kommunes planstrategi",
        "Økt strategisk fokus",
        "Forenklet organisering",
        "0-alternativet",
        "Fase 1: midlertidig løsning",
        "Alle relevante spørsmål",
    ]:
        assert phrase in text
    # Header, footer and the draft mark.
    assert "Åmot kommune" in text
    assert "UTKAST" in text
    assert f"Side 1 av {len(reader.pages)}" in text
    assert "Utkast, skrevet ut" in text
    assert any("Inter" in name for name in embedded_fonts(reader))


def test_a_decided_version_is_rendered_once_and_kept(
    client, written_project, owner, leader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = report_services.decide_mandate(
            project=written_project, by=owner, no_protocol_reason=UNCONSULTED
        )
    version.refresh_from_db()
    stored = version.pdf.name
    assert stored

    client.force_login(leader)
    response = client.get(reverse("reports:mandate_version_pdf", args=[written_project.pk, 1]))
    content = b"".join(response.streaming_content)
    reader, text = pdf_text(content)
    assert "UTKAST" not in text
    assert "Versjon 1, besluttet" in text and str(owner) in text

    # Edits after the decision change the draft, never the stored version.
    services.update_mandate_fields(
        project=written_project,
        values={"background": "Helt ny tekst"},
        section="Bakgrunn",
        by=leader,
    )
    again = b"".join(
        client.get(
            reverse("reports:mandate_version_pdf", args=[written_project.pk, 1])
        ).streaming_content
    )
    assert again == content
    assert MandateVersion.objects.get(pk=version.pk).pdf.name == stored
    draft = client.get(reverse("reports:mandate_pdf", args=[written_project.pk]))
    assert "Helt ny tekst" in pdf_text(draft.content)[1]


def test_the_current_pdf_of_a_decided_mandate_is_the_stored_version(client, written_project, owner):
    report_services.decide_mandate(
        project=written_project, by=owner, no_protocol_reason=UNCONSULTED
    )
    client.force_login(owner)
    response = client.get(reverse("reports:mandate_pdf", args=[written_project.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith("/mandat/v1.pdf")
    # The task that stores it has not run (no commit in this test): the download renders the frozen
    # snapshot without writing anything, since a GET never changes data.
    response = client.get(response["Location"])
    assert response.content.startswith(b"%PDF")
    assert "Versjon 1, besluttet" in pdf_text(response.content)[1]
    assert not MandateVersion.objects.get(project=written_project).pdf


def test_an_unknown_version_is_404(client, written_project, leader):
    client.force_login(leader)
    assert (
        client.get(reverse("reports:mandate_version_pdf", args=[written_project.pk, 7])).status_code
        == 404
    )


# --- Rendering in a child process (core.pdf.in_child_process) -----------------------------------


@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_sync_worker_renders_the_draft_in_a_child_process(
    client, written_project, leader, monkeypatch
):
    """As in a gunicorn sync worker (one thread): the child renders, the download is the same
    document, and this process never ran WeasyPrint's writer."""
    monkeypatch.setattr("core.pdf.single_threaded", lambda: True)
    parent = os.getpid()
    written_in = []
    real_write = HTML.write_pdf

    def write_pdf(self, *args, **kwargs):
        written_in.append(os.getpid())
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "write_pdf", write_pdf)
    client.force_login(leader)
    response = client.get(reverse("reports:mandate_pdf", args=[written_project.pk]))
    assert response.status_code == 200
    reader, text = pdf_text(response.content)
    assert "I Åmot kommunes planstrategi" in text and "UTKAST" in text
    assert any("Inter" in name for name in embedded_fonts(reader))
    assert written_in == []  # appended in the child, whose memory went with it
    assert os.getpid() == parent


# pytest-xdist's process runs threads of its own; a web worker has one.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_failure_in_the_child_reaches_the_parent_with_its_traceback():
    def write():
        raise ValueError("ødelagt dokument")

    with pytest.raises(RenderingFailed, match="ValueError: ødelagt dokument"):
        in_child_process(write)


# pytest-xdist's process runs threads of its own; a web worker has one.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_child_that_dies_is_an_error_not_a_document():
    def write():
        os._exit(3)

    with pytest.raises(RenderingFailed, match="status"):
        in_child_process(write)


def test_where_other_threads_run_the_document_is_rendered_in_the_process(
    client, written_project, leader, monkeypatch
):
    """A threaded server (runserver, the browser tests' live server): no fork."""
    monkeypatch.setattr("core.pdf.single_threaded", lambda: False)
    monkeypatch.setattr("core.pdf.in_child_process", _must_not_fork)
    client.force_login(leader)
    response = client.get(reverse("reports:mandate_pdf", args=[written_project.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def _must_not_fork(write):
    raise AssertionError("forked with other threads running")


def test_a_second_thread_is_counted():
    done = threading.Event()
    thread = threading.Thread(target=done.wait)
    thread.start()
    try:
        assert not single_threaded()
    finally:
        done.set()
        thread.join()
