"""The project's archive export ("Arkiv"): what the records office imports into the
municipality's case and archive system. A zip with every frozen document as PDF/A-2b and one
metadata file in Norwegian, modelled on Noark 5's arkivstruktur: the project is the case file
(`saksmappe`), each document a registry entry (`journalpost`) with its document description and
its file object (format, file name, SHA-256 checksum). The metadata file's schema ships with the
code (reports/schemas/arkivuttrekk.xsd) and goes into the zip too.

`frozen_documents(project)` is the one list of a project's frozen documents: a decided mandate
version, an approved protocol, a published status report, the current version of each role
description. A new kind of frozen document (the final report) is one more function in
`DOCUMENT_SOURCES` returning `ArchiveDocument`s, in document-date order.

The zip is built inline, in the request: a stored PDF (all stored frozen documents are PDF/A-2b)
is read, a missing one rendered without writing anything, as a download of it would."""

import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from xml.etree import ElementTree as ET

from django.db.models import OuterRef, Prefetch, Subquery
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from accounts.models import User
from consultations.documents import approved_protocol_pdf
from consultations.documents import stored_filename as protocol_stored_filename
from consultations.models import Confirmation, Protocol
from core.pdf import norwegian_slug
from projects.models import MandateVersion, Project
from roles.documents import render_role_descriptions_pdf, role_descriptions_filename
from roles.models import RoleDescription

from .closeout import final_report_filename, render_final_report_pdf
from .documents import mandate_pdf_filename, render_mandate_pdf, render_status_report_pdf
from .models import FinalReport, StatusReport

SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "arkivuttrekk.xsd"
NAMESPACE = "https://reorg.no/xmlns/arkivuttrekk/1"
METADATA_NAME = "arkivuttrekk.xml"
SCHEMA_NAME = "arkivuttrekk.xsd"
DOCUMENT_FOLDER = "dokumenter"
FORMAT = "PDF/A-2b"
# PRONOM's identifier of PDF/A-2b, which archives use to recognise the format.
FORMAT_DETAILS = "fmt/476"
CHECKSUM_ALGORITHM = "SHA256"


@dataclass(frozen=True)
class ArchiveDocument:
    """One frozen document of the project, ready to be archived: its registry entry's fields,
    and how to get its PDF/A-2b (the stored file, or a rendering of the frozen content)."""

    system_id: str  # stable: the kind and the row, e.g. "mandatversjon-12"
    kind: str  # Noark 5 "dokumenttype", in Norwegian
    title: str
    date: dt.date
    responsible: str  # "saksbehandler": who decided, approved or published it
    filename: str
    stored: FieldFile | None
    render: Callable[[], bytes]

    def pdf(self) -> bytes:
        """The stored file, or, where it is not stored or cannot be read (lost from the
        storage), the frozen content rendered again: the same document."""
        if self.stored:
            try:
                with self.stored.open("rb") as handle:
                    return handle.read()
            except (OSError, ValueError):  # the file system's or a storage backend's "missing"
                pass
        return self.render()


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _local_date(value: dt.datetime | None, fallback: dt.date) -> dt.date:
    return timezone.localdate(value) if value else fallback


def _mandate_versions(project: Project) -> list[ArchiveDocument]:
    versions = MandateVersion.objects.filter(project=project).select_related("decided_by")
    return [
        ArchiveDocument(
            system_id=f"mandatversjon-{v.pk}",
            kind="Prosjektmandat",
            title=f"Prosjektmandat, versjon {v.number}: {project.name}",
            date=v.decided_on or timezone.localdate(v.decided_at),
            responsible=_name(v.decided_by),
            filename=mandate_pdf_filename(v.snapshot, v),
            stored=v.pdf or None,
            render=partial(render_mandate_pdf, v.snapshot, version=v),
        )
        for v in versions.order_by("number")
    ]


def _protocols(project: Project) -> list[ArchiveDocument]:
    protocols = (
        Protocol.objects.filter(meeting__project=project, status=Protocol.Status.APPROVED)
        .select_related("meeting")
        .prefetch_related(
            Prefetch("confirmations", queryset=Confirmation.objects.select_related("user"))
        )
        .order_by("approved_at", "pk")
    )
    return [
        ArchiveDocument(
            system_id=f"protokoll-{p.pk}",
            kind="Protokoll",
            title=f"Protokoll, versjon {p.version}: {p.meeting.title} "
            f"({timezone.localtime(p.meeting.starts_at):%d.%m.%Y})",
            date=_local_date(p.approved_at, timezone.localdate(p.meeting.starts_at)),
            responsible=_name(project.leader),
            filename=protocol_stored_filename(p),
            stored=p.pdf or None,
            render=partial(approved_protocol_pdf, p),
        )
        for p in protocols
    ]


def _status_reports(project: Project) -> list[ArchiveDocument]:
    reports = (
        StatusReport.objects.published()
        .filter(project=project)
        .select_related(
            "project", "project__organisation", "project__owner", "project__leader", "published_by"
        )
        .order_by("number")
    )
    return [
        ArchiveDocument(
            system_id=f"statusrapport-{r.pk}",
            kind="Statusrapport",
            title=f"Statusrapport {r.number}, perioden {r.period_start:%d.%m.%Y}–"
            f"{r.period_end:%d.%m.%Y}",
            date=_local_date(r.published_at, r.period_end),
            responsible=_name(r.published_by),
            filename=f"statusrapport-{norwegian_slug(project.code, 30)}-{r.number:02d}.pdf",
            stored=r.pdf or None,
            render=partial(render_status_report_pdf, r),
        )
        for r in reports
    ]


def _role_descriptions(project: Project) -> list[ArchiveDocument]:
    """The current version of each role description (history keeps the earlier ones); who last
    changed it is its responsible person, from its history."""
    last_editor = (
        RoleDescription.history.filter(id=OuterRef("pk"))
        .order_by("-history_date")
        .values("history_user_id")[:1]
    )
    descriptions = list(
        RoleDescription.objects.filter(position__project=project)
        .select_related("position__unit__parent", "position__reports_to")
        .prefetch_related("competences")
        .annotate(editor_id=Subquery(last_editor))
        .order_by("position__unit__order", "position__order", "pk")
    )
    editors = User.objects.in_bulk({d.editor_id for d in descriptions if d.editor_id})
    return [
        ArchiveDocument(
            system_id=f"rollebeskrivelse-{d.pk}-v{d.version}",
            kind="Rollebeskrivelse",
            title=f"Rollebeskrivelse, versjon {d.version}: {d.position_name or d.position.title}",
            date=timezone.localdate(d.updated_at),
            responsible=_name(editors.get(d.editor_id)),
            filename=role_descriptions_filename(project, description=d),
            stored=None,
            render=partial(render_role_descriptions_pdf, project, [d]),
        )
        for d in descriptions
    ]


def _final_report(project: Project) -> list[ArchiveDocument]:
    """The published final report ("sluttrapport"), the project's last document."""
    report = (
        FinalReport.objects.filter(project=project, state=FinalReport.State.PUBLISHED)
        .select_related("published_by")
        .first()
    )
    if report is None:
        return []
    return [
        ArchiveDocument(
            system_id=f"sluttrapport-{report.pk}",
            kind="Sluttrapport",
            title=f"Sluttrapport: {project.name}",
            date=_local_date(report.published_at, timezone.localdate()),
            responsible=_name(report.published_by),
            filename=final_report_filename(project, report),
            stored=report.pdf or None,
            render=partial(render_final_report_pdf, project, report),
        )
    ]


# Each kind of frozen document, in the order they are listed.
DOCUMENT_SOURCES: list[Callable[[Project], list[ArchiveDocument]]] = [
    _mandate_versions,
    _protocols,
    _status_reports,
    _role_descriptions,
    _final_report,
]


def frozen_documents(project: Project) -> list[ArchiveDocument]:
    """Every frozen document of the project, each kind in its order. A fixed number of queries
    (one or two per kind), whatever their number."""
    return [document for source in DOCUMENT_SOURCES for document in source(project)]


# --- The export ---------------------------------------------------------------------------------


def _element(parent: ET.Element, tag: str, text: object | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{NAMESPACE}}}{tag}")
    if text is not None:
        element.text = str(text)
    return element


def archive_filename(project: Project) -> str:
    return f"arkivuttrekk-{norwegian_slug(project.code, 30) or 'prosjekt'}.zip"


def _entry_filename(number: int, document: ArchiveDocument) -> str:
    """<nnn>-<the document's own file name>, in a-z, 0-9 and hyphens (æ, ø, å spelt out)."""
    stem = document.filename.removesuffix(".pdf")
    return f"{number:03d}-{norwegian_slug(stem, 100) or 'dokument'}.pdf"


def metadata_xml(
    project: Project, documents: list[tuple[ArchiveDocument, str, bytes]], *, now: dt.datetime
) -> bytes:
    """The metadata file: the project as the case file with one registry entry per document
    (title, the document's date, type, responsible person, file name, format and checksum)."""
    ET.register_namespace("", NAMESPACE)
    root = ET.Element(f"{{{NAMESPACE}}}arkivuttrekk", {"versjon": "1.0"})
    _element(root, "system", "reorg")
    _element(root, "uttrekksdato", now.isoformat(timespec="seconds"))
    creator = _element(root, "arkivskaper")
    _element(creator, "arkivskaperID", project.organisation.org_number or project.organisation.pk)
    _element(creator, "arkivskaperNavn", project.organisation.name)
    case = _element(root, "saksmappe")
    _element(case, "systemID", f"prosjekt-{project.pk}")
    _element(case, "mappeID", project.code)
    _element(case, "tittel", project.name)
    _element(
        case, "opprettetDato", timezone.localtime(project.created_at).isoformat("T", "seconds")
    )
    _element(case, "opprettetAv", _name(project.leader))
    _element(case, "saksdato", project.start_date.isoformat())
    _element(case, "administrativEnhet", project.organisation.name)
    _element(case, "saksansvarlig", _name(project.leader))
    _element(case, "saksstatus", "Avsluttet" if project.closed_on else "Under behandling")
    if project.closed_on:
        _element(case, "avsluttetDato", project.closed_on.isoformat())
    for number, (document, filename, pdf) in enumerate(documents, start=1):
        entry = _element(case, "journalpost")
        _element(entry, "systemID", document.system_id)
        _element(entry, "registreringsID", f"{project.code}/{number}")
        _element(entry, "journalposttype", "Organinternt dokument uten oppfølging")
        _element(entry, "journalstatus", "Arkivert")
        _element(entry, "tittel", document.title)
        _element(entry, "dokumentetsDato", document.date.isoformat())
        _element(entry, "saksbehandler", document.responsible or _name(project.leader))
        description = _element(entry, "dokumentbeskrivelse")
        _element(description, "dokumenttype", document.kind)
        _element(description, "dokumentstatus", "Dokumentet er ferdigstilt")
        _element(description, "tittel", document.title)
        _element(description, "tilknyttetRegistreringSom", "Hoveddokument")
        _element(description, "dokumentnummer", 1)
        file_object = _element(description, "dokumentobjekt")
        _element(file_object, "versjonsnummer", 1)
        _element(file_object, "variantformat", "Arkivformat")
        _element(file_object, "format", FORMAT)
        _element(file_object, "formatDetaljer", FORMAT_DETAILS)
        _element(file_object, "referanseDokumentfil", f"{DOCUMENT_FOLDER}/{filename}")
        _element(file_object, "filnavn", filename)
        _element(file_object, "sjekksum", hashlib.sha256(pdf).hexdigest())
        _element(file_object, "sjekksumAlgoritme", CHECKSUM_ALGORITHM)
        _element(file_object, "filstoerrelse", len(pdf))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def archive_zip(project: Project, *, now: dt.datetime | None = None) -> bytes:
    """The export: dokumenter/<nnn>-<name>.pdf (PDF/A-2b), arkivuttrekk.xml and its schema."""
    now = timezone.localtime(now)
    documents = [
        (document, _entry_filename(number, document), document.pdf())
        for number, document in enumerate(frozen_documents(project), start=1)
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for _document, filename, pdf in documents:
            archive.writestr(f"{DOCUMENT_FOLDER}/{filename}", pdf)
        archive.writestr(METADATA_NAME, metadata_xml(project, documents, now=now))
        archive.writestr(SCHEMA_NAME, SCHEMA_PATH.read_bytes())
    return buffer.getvalue()
