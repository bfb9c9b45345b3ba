"""Attachments on the project, a meeting and an agenda item: what a file is comes from its
content, its size is limited, it is downloaded only by those who see it (404 for the others),
its history is kept, and the meeting's notice names it with its link."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from consultations import services
from consultations.models import Attachment
from consultations.notices import compose_notice
from demo.documents import tiny_pdf
from notifications.models import OutgoingMail
from projects.models import Membership

from .factories import AgendaItemFactory, MeetingFactory

Role = Membership.Role
pytestmark = pytest.mark.django_db

PDF = tiny_pdf("Utkast til organisasjonskart", ["Første linje", "Andre linje"])


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Enhet", "Stillinger"])  # type: ignore[union-attr]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    """The smallest package Word's kind is read from: [Content_Types].xml and word/document.xml."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        package.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def rep(member_with_role):
    return member_with_role(Role.UNION_REP, union_name="Fagforbundet")


@pytest.fixture
def steering(member_with_role):
    return member_with_role(Role.STEERING)


@pytest.fixture
def meeting(project, leader, rep):
    m = MeetingFactory(
        project=project,
        participants=[
            {"user": leader, "side": "employer"},
            {"user": rep, "side": "union", "union_name": "Fagforbundet"},
        ],
        by=leader,
    )
    AgendaItemFactory(meeting=m, order=1, title="Organisasjonskartet", by=leader)
    return m


def post_file(client, url, name, content, content_type="application/pdf", **data):
    return client.post(url, {"file": upload(name, content, content_type), **data})


# --- What a file is, and how large ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notat.pdf", b"Dette er bare tekst, ikke en PDF.", "ikke en PDF-, Word- (.docx)"),
        ("bilde.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "ikke en PDF-, Word- (.docx)"),
        ("arkiv.docx", b"PK\x03\x04 not really a zip", "ikke en PDF-, Word- (.docx)"),
        ("script.exe", b"MZ\x90\x00", "ikke en PDF-, Word- (.docx)"),
        ("tabell.xlsx", docx_bytes(), "Filnavnet må slutte på .docx"),
        ("utkast.docx", PDF, "Filnavnet må slutte på .pdf"),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused_in_norwegian(
    client, project, leader, meeting, name, content, message
):
    """The browser's content type says PDF every time; the content decides."""
    client.force_login(leader)
    url = reverse("consultations:meeting_attachment_add", args=[project.pk, meeting.pk])
    response = post_file(client, url, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Attachment.objects.exists()
    assert not Attachment.history.exists()


def test_a_zip_without_content_types_is_not_an_office_file(project, leader):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(Exception) as refused:
        services.add_attachment(
            project=project, file=upload("brev.docx", buffer.getvalue()), by=leader
        )
    assert "ikke en PDF-, Word- (.docx)" in str(refused.value)


def test_a_file_over_the_limit_is_refused(client, project, leader, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    client.force_login(leader)
    big = PDF + b"%" + b"0" * (1024 * 1024)
    response = post_file(
        client, reverse("consultations:attachment_add", args=[project.pk]), "stor.pdf", big
    )
    body = response.content.decode()
    assert "Filen er for stor (1 MB). Største tillatte størrelse er 1 MB." in body
    assert not Attachment.objects.exists()


def test_an_empty_upload_is_refused(client, project, leader):
    client.force_login(leader)
    response = client.post(reverse("consultations:attachment_add", args=[project.pk]), {})
    assert "Velg en fil." in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [("utkast.pdf", PDF, "pdf"), ("brev.docx", docx_bytes(), "docx"), ("tall.xlsx", None, "xlsx")],
)
def test_pdf_word_and_excel_are_kept_with_their_kind_size_and_checksum(
    project, leader, name, content, kind
):
    content = content if content is not None else xlsx_bytes()
    # The browser's content type is ignored: a generic one for every file.
    added = services.add_attachment(
        project=project, file=upload(name, content, "application/octet-stream"), by=leader
    )
    assert (added.kind, added.size, added.filename, added.title) == (
        kind,
        len(content),
        name,
        name.rsplit(".", 1)[0],
    )
    with added.file.open("rb") as stored:
        assert stored.read() == content
    # Stored under an unguessable name in the attachments storage, not under MEDIA_ROOT.
    assert name not in added.file.name
    assert added.file.storage.__class__.__name__ == "FileSystemStorage"
    assert "/vedlegg" in added.file.storage.location


# --- Who downloads what ---------------------------------------------------------------------------


def test_a_meeting_attachment_is_for_those_invited_and_those_who_run_meetings(
    client, project, leader, owner, rep, steering, outsider, meeting
):
    item = meeting.items.get()
    attachment = services.add_attachment(
        project=project, item=item, file=upload("utkast.pdf", PDF), by=leader
    )
    url = reverse("consultations:attachment_download", args=[project.pk, attachment.pk])
    for user, status in ((leader, 200), (owner, 200), (rep, 200), (steering, 404), (outsider, 404)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user
        if status == 200:
            assert b"".join(response.streaming_content) == PDF
            assert response["Content-Type"] == "application/pdf"
            assert response["Content-Disposition"] == 'attachment; filename="utkast.pdf"'
            assert "no-store" in response["Cache-Control"]
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_a_project_attachment_is_for_every_member(client, project, leader, rep, steering, outsider):
    attachment = services.add_attachment(
        project=project, file=upload("planstrategi.pdf", PDF), by=leader
    )
    url = reverse("consultations:attachment_download", args=[project.pk, attachment.pk])
    for user, status in ((rep, 200), (steering, 200), (outsider, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status
    # Another project's id in this project's address: 404.
    client.force_login(leader)
    other = reverse("consultations:attachment_download", args=[project.pk + 1000, attachment.pk])
    assert client.get(other).status_code == 404


def test_who_may_add_and_remove(client, project, leader, owner, rep, steering, outsider, meeting):
    on_project = reverse("consultations:attachment_add", args=[project.pk])
    on_meeting = reverse("consultations:meeting_attachment_add", args=[project.pk, meeting.pk])
    walk = ((owner, 200), (leader, 200), (rep, 403), (steering, 403), (outsider, 404))
    for user, status in walk:
        client.force_login(user)
        assert client.get(on_project).status_code == status, user
        assert client.get(on_meeting).status_code == status, user
    attachment = services.add_attachment(
        project=project, meeting=meeting, file=upload("utkast.pdf", PDF), by=leader
    )
    remove = reverse("consultations:attachment_remove", args=[project.pk, attachment.pk])
    for user, status in ((steering, 404), (rep, 403), (outsider, 404)):
        client.force_login(user)
        assert client.post(remove).status_code == status, user
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_adding_and_removing_keeps_the_history_and_removes_the_file(
    client, project, leader, meeting, django_capture_on_commit_callbacks
):
    client.force_login(leader)
    url = reverse("consultations:meeting_attachment_add", args=[project.pk, meeting.pk])
    item = meeting.items.get()
    response = post_file(client, url, "utkast.pdf", PDF, title="Utkast til kart", item=str(item.pk))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.meeting, attachment.item, attachment.title) == (
        meeting,
        item,
        "Utkast til kart",
    )
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)
    remove = reverse("consultations:attachment_remove", args=[project.pk, attachment.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(remove).status_code == 302
    assert not Attachment.objects.exists()
    assert not storage.exists(name)
    history = list(Attachment.history.order_by("history_date").values_list("history_type",
                                                                             "history_user", "title"))  # fmt: skip
    assert history == [("+", leader.pk, "Utkast til kart"), ("-", leader.pk, "Utkast til kart")]
    # The attachments page shows both.
    page = client.get(reverse("consultations:attachments", args=[project.pk])).content.decode()
    assert "Lagt ved" in page and "Fjernet" in page


def test_an_item_from_another_meeting_is_not_a_choice(client, project, leader, meeting):
    other = MeetingFactory(project=project, title="Et annet møte", by=leader)
    foreign = AgendaItemFactory(meeting=other, order=1, title="Annen sak", by=leader)
    client.force_login(leader)
    url = reverse("consultations:meeting_attachment_add", args=[project.pk, meeting.pk])
    response = post_file(client, url, "utkast.pdf", PDF, item=str(foreign.pk))
    assert response.status_code == 200
    assert not Attachment.objects.exists()


# --- The notice names them ------------------------------------------------------------------------


def test_the_meeting_notice_lists_the_attachments_with_their_links(
    project, leader, rep, meeting, settings
):
    item = meeting.items.get()
    on_item = services.add_attachment(
        project=project,
        item=item,
        title="Utkast til organisasjonskart",
        file=upload("utkast-kart.pdf", PDF),
        by=leader,
    )
    on_meeting = services.add_attachment(
        project=project, meeting=meeting, file=upload("bemanning.xlsx", xlsx_bytes()), by=leader
    )
    services.add_attachment(project=project, file=upload("prosjektets.pdf", PDF), by=leader)
    services.call_meeting(meeting=meeting, by=leader)
    # The notice as written to the outbox, and as composed again for one recipient.
    queued = OutgoingMail.objects.get(kind="meeting.notice", ref=f"meeting:{meeting.pk}")
    assert queued.body == compose_notice(meeting, recipients=[leader, rep]).body
    body = queued.body
    for attachment, line in (
        (on_item, "- Utkast til organisasjonskart (utkast-kart.pdf, sak 1): "),
        (on_meeting, "- bemanning (bemanning.xlsx): "),
    ):
        link = settings.SITE_URL + reverse(
            "consultations:attachment_download", args=[project.pk, attachment.pk]
        )
        assert line + link in body
    assert "prosjektets.pdf" not in body  # the project's own are not the meeting's
    assert "Vedlegg (logg inn i reorg for å åpne dem):" in body


# --- Pages ----------------------------------------------------------------------------------------

# The attachments page: project, permissions, the attachments (with meeting, item, uploader),
# the history (with its user; the visible meetings a subquery of each).
ATTACHMENTS_QUERIES = 6 + 2 + 2
# The meeting page: the meeting, its agenda and what each item links to, the participants, the
# protocol, and one query for the attachments (the items' attachments sorted out in Python).
# (the leader, who sees personal data, one more: the placements on each item).
MEETING_QUERIES_WITH_ATTACHMENTS = 6 + 2 + 9


@pytest.mark.usefixtures("nothing_cached")
@pytest.mark.parametrize("n", [1, 12])
def test_the_pages_make_the_same_number_of_queries_at_any_size(
    client, project, leader, rep, meeting, django_assert_num_queries, n
):
    item = meeting.items.get()
    for i in range(n):
        services.add_attachment(project=project, file=upload(f"p{i}.pdf", PDF), by=leader)
        services.add_attachment(
            project=project, meeting=meeting, file=upload(f"m{i}.pdf", PDF), by=leader
        )
        services.add_attachment(
            project=project, item=item, file=upload(f"s{i}.pdf", PDF), by=leader
        )
    for user, personal_data in ((leader, 1), (rep, 0)):
        client.force_login(user)
        with django_assert_num_queries(ATTACHMENTS_QUERIES):
            response = client.get(reverse("consultations:attachments", args=[project.pk]))
        assert response.content.decode().count("last-ned/") == 3 * n
        with django_assert_num_queries(MEETING_QUERIES_WITH_ATTACHMENTS + personal_data):
            response = client.get(reverse("consultations:meeting", args=[project.pk, meeting.pk]))
        assert response.content.decode().count("last-ned/") == 2 * n


def test_an_item_deleted_takes_its_attachments_files_with_it(
    client, project, leader, meeting, django_capture_on_commit_callbacks
):
    from consultations import services as consultation_services

    client.force_login(leader)
    url = reverse("consultations:meeting_attachment_add", args=[project.pk, meeting.pk])
    item = meeting.items.get()
    assert (
        post_file(client, url, "utkast.pdf", PDF, title="Utkast", item=str(item.pk)).status_code
        == 302
    )
    attachment = Attachment.objects.get()
    storage, name = attachment.file.storage, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        consultation_services.delete_item(item=item, by=leader)
    assert not Attachment.objects.exists()
    assert not storage.exists(name)
