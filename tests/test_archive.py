"""Frozen documents as PDF/A-2b, and the archive export ("Arkiv"): every document in the zip a
valid PDF/A-2b by its metadata and embedded fonts, every checksum right, the metadata file valid
against the schema the project ships (reports/schemas/arkivuttrekk.xsd), and who may take it."""

import hashlib
import io
import zipfile

import pikepdf
import pytest
from django.urls import reverse
from lxml import etree

from consultations.models import Protocol
from projects.models import MandateVersion, Membership, Project
from reports.archive import (
    NAMESPACE,
    SCHEMA_PATH,
    archive_zip,
    frozen_documents,
)
from reports.documents import store_mandate_version_pdf
from reports.models import StatusReport

from .factories import OrganisationFactory, UserFactory

Role = Membership.Role
pytestmark = pytest.mark.django_db

PDFA_ID = "{http://www.aiim.org/pdfa/ns/id/}"


def assert_pdfa_2b(pdf: bytes) -> None:
    """PDF/A-2b as an archive checks it first: the identification in the XMP metadata
    (pdfaid:part 2, conformance B), an output intent for PDF/A (GTS_PDFA1) with its ICC profile,
    and every font embedded (a FontFile2 or FontFile3 in each font's descriptor)."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        metadata = document.open_metadata()
        assert metadata.get(f"{PDFA_ID}part") == "2"
        assert metadata.get(f"{PDFA_ID}conformance") == "B"
        intents = document.Root.get("/OutputIntents")
        assert intents is not None and len(intents) >= 1
        assert any(
            intent.get("/S") == "/GTS_PDFA1" and "/DestOutputProfile" in intent
            for intent in intents
        )
        fonts = 0
        for page in document.pages:
            for font in page.Resources.get("/Font", {}).values():
                fonts += 1
                descendants = font.get("/DescendantFonts")
                descriptor = (descendants[0] if descendants else font).get("/FontDescriptor")
                assert descriptor is not None, font.get("/BaseFont")
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, font.get(
                    "/BaseFont"
                )
        assert fonts > 0


def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


# --- Each kind of frozen document ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("AMOT-ADM", "Prosjektmandat"),
        ("HELSE-MESTRING", "Protokoll"),
        ("OU-VELFERD", "Statusrapport"),
        ("AMOT-ADM", "Rollebeskrivelse"),
    ],
)
def test_every_kind_of_frozen_document_is_pdfa_2b(demo, code, kind):
    project = Project.objects.get(code=code)
    documents = [d for d in frozen_documents(project) if d.kind == kind]
    assert documents, f"the demo's {code} has no {kind}"
    assert_pdfa_2b(documents[0].pdf())


def test_a_stored_frozen_document_is_pdfa_2b_and_a_draft_is_not(demo):
    project = Project.objects.get(code="AMOT-ADM")
    version = MandateVersion.objects.filter(project=project).first()
    MandateVersion.objects.filter(pk=version.pk).update(pdf="")
    stored = store_mandate_version_pdf(version.pk)
    with stored.pdf.open("rb") as handle:
        assert_pdfa_2b(handle.read())
    from reports.documents import render_mandate_pdf
    from reports.mandate import mandate_snapshot

    with pikepdf.open(io.BytesIO(render_mandate_pdf(mandate_snapshot(project)))) as draft:
        assert f"{PDFA_ID}part" not in draft.open_metadata()


def test_the_frozen_documents_are_listed_in_a_fixed_number_of_queries(
    demo, django_assert_max_num_queries
):
    # Mandate versions, protocols (+ confirmations), status reports, role descriptions
    # (+ competences) and the users who last changed them, the final report: at most 8 (a
    # prefetch of nothing is no query), whatever the number of documents.
    for code in ("AMOT-ADM", "HELSE-MESTRING", "OU-VELFERD"):
        project = Project.objects.select_related("leader").get(code=code)
        with django_assert_max_num_queries(8):
            documents = frozen_documents(project)
        expected = (
            MandateVersion.objects.filter(project=project).count()
            + Protocol.objects.filter(meeting__project=project, status="approved").count()
            + StatusReport.objects.published().filter(project=project).count()
            + project.positions.filter(role_description__isnull=False).count()
        )
        assert len(documents) == expected


def test_the_published_final_report_is_archived_as_pdfa_2b(demo):
    from reports import services as report_services

    project = Project.objects.select_related("leader").get(code="AMOT-ADM")
    assert not [d for d in frozen_documents(project) if d.kind == "Sluttrapport"]
    report_services.save_final_report(
        project=project, values={"summary": "Ny ledelse er på plass."}, goal_results={},
        by=project.leader,
    )  # fmt: skip
    report_services.publish_final_report(project=project, by=project.leader)
    finals = [d for d in frozen_documents(project) if d.kind == "Sluttrapport"]
    assert len(finals) == 1 and finals[0].responsible
    assert_pdfa_2b(finals[0].pdf())
    validated = schema()
    archive = zipfile.ZipFile(io.BytesIO(archive_zip(project)))
    metadata = etree.fromstring(archive.read("arkivuttrekk.xml"))
    assert validated.validate(metadata), validated.error_log
    assert b"Sluttrapport" in archive.read("arkivuttrekk.xml")


# --- The archive export of Åmot -----------------------------------------------------------------


def test_the_archive_of_amot_is_pdfa_with_right_checksums_and_valid_metadata(demo):
    project = Project.objects.get(code="AMOT-ADM")
    content = archive_zip(project)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = set(archive.namelist())
        metadata = archive.read("arkivuttrekk.xml")
        assert archive.read("arkivuttrekk.xsd") == SCHEMA_PATH.read_bytes()
        files = {name: archive.read(name) for name in names if name.startswith("dokumenter/")}

    tree = etree.fromstring(metadata)
    schema().assertValid(tree)
    ns = {"a": NAMESPACE}
    case = tree.find("a:saksmappe", ns)
    assert case.findtext("a:mappeID", namespaces=ns) == "AMOT-ADM"
    assert case.findtext("a:tittel", namespaces=ns) == project.name
    assert case.findtext("a:saksansvarlig", namespaces=ns) == project.leader.get_full_name()
    assert tree.findtext("a:arkivskaper/a:arkivskaperNavn", namespaces=ns) == "Åmot kommune"

    entries = case.findall("a:journalpost", ns)
    kinds = [e.findtext("a:dokumentbeskrivelse/a:dokumenttype", namespaces=ns) for e in entries]
    assert "Prosjektmandat" in kinds and "Rollebeskrivelse" in kinds
    assert len(entries) == len(frozen_documents(project)) == len(files)
    for entry in entries:
        assert entry.findtext("a:tittel", namespaces=ns)
        assert entry.findtext("a:dokumentetsDato", namespaces=ns)
        assert entry.findtext("a:saksbehandler", namespaces=ns)
        file_object = entry.find("a:dokumentbeskrivelse/a:dokumentobjekt", ns)
        path = file_object.findtext("a:referanseDokumentfil", namespaces=ns)
        pdf = files[path]
        assert path == "dokumenter/" + file_object.findtext("a:filnavn", namespaces=ns)
        assert file_object.findtext("a:format", namespaces=ns) == "PDF/A-2b"
        assert file_object.findtext("a:sjekksumAlgoritme", namespaces=ns) == "SHA256"
        assert file_object.findtext("a:sjekksum", namespaces=ns) == hashlib.sha256(pdf).hexdigest()
        assert int(file_object.findtext("a:filstoerrelse", namespaces=ns)) == len(pdf)
        assert_pdfa_2b(pdf)
    # The mandate's entry names who decided it.
    mandate = entries[kinds.index("Prosjektmandat")]
    version = MandateVersion.objects.filter(project=project).order_by("number").first()
    assert mandate.findtext("a:saksbehandler", namespaces=ns) == version.decided_by.get_full_name()
    assert mandate.findtext("a:dokumentetsDato", namespaces=ns) == version.decided_on.isoformat()


def test_the_schema_refuses_a_metadata_file_without_checksum(demo):
    project = Project.objects.get(code="AMOT-ADM")
    with zipfile.ZipFile(io.BytesIO(archive_zip(project))) as archive:
        tree = etree.fromstring(archive.read("arkivuttrekk.xml"))
    checksum = tree.find(f".//{{{NAMESPACE}}}sjekksum")
    checksum.getparent().remove(checksum)
    assert not schema().validate(tree)


# --- Who takes it --------------------------------------------------------------------------------


def test_the_archive_pages_role_walk_and_queries(
    client, demo, django_assert_num_queries, django_assert_max_num_queries
):
    project = Project.objects.get(code="AMOT-ADM")
    page = reverse("reports:archive", args=[project.pk])
    download = reverse("reports:archive_download", args=[project.pk])
    members = {m.role: m.user for m in project.memberships.select_related("user")}
    neighbour = UserFactory(username="nabo-arkivar", organisations=[OrganisationFactory()])
    walk = [
        (project.owner, 200),
        (project.leader, 200),
        (members[Role.STEERING], 403),
        (members[Role.UNION_REP], 403),
        (members[Role.HR], 403),
        (neighbour, 404),
    ]
    for user, status in walk:
        client.force_login(user)
        assert client.get(page).status_code == status, user
    client.force_login(project.leader)
    # Request, project and permissions, and the documents' (at most) seven queries.
    with django_assert_max_num_queries(6 + 2 + 7):
        response = client.get(page)
    assert "Rollebeskrivelse" in response.content.decode()
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="arkivuttrekk-amot-adm.zip"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert "arkivuttrekk.xml" in archive.namelist()
    client.force_login(members[Role.STEERING])
    assert client.get(download).status_code == 403
    client.force_login(neighbour)
    assert client.get(download).status_code == 404
