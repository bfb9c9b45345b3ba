"""The e-mail of consultations, written to the outbox by the services and sent from it: the
notice of a meeting with its calendar invitation (read back with icalendar from what an SMTP
server received), the changed notice and the cancellation for those no longer invited or for
all when the meeting is off, the protocol to confirm and the approved protocol with its PDF, and
the answer to a question sent once to every workstream."""

import datetime as dt
import email
import email.policy
from email.utils import getaddresses
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from consultations import notices, services
from consultations.models import Meeting, Participant, Protocol, Question, Side
from consultations.notices import compose_notice, meeting_ics
from notifications import outbox
from notifications import services as outbox_services
from notifications.models import OutgoingMail
from projects.models import Membership

from .factories import (
    AgendaItemFactory,
    MeetingFactory,
    ProtocolFactory,
    QuestionFactory,
    UserFactory,
    WorkstreamFactory,
    forget_notices,
)

Role = Membership.Role
OSLO = ZoneInfo("Europe/Oslo")
SITE = "https://reorg.amot.kommune.no"
TITLE = "Drøfting av ny struktur for økonomi & lønn – åpent møte"
PDF = b"%PDF-1.7\n% reorg protokoll\n%%EOF\n"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def people(leader, member_with_role):
    """The leader for the employer, a union and a safety representative, and a union
    representative without an e-mail address."""
    union = member_with_role(Role.UNION_REP, union_name="Fagforbundet")
    safety = member_with_role(Role.SAFETY_REP)
    no_address = member_with_role(Role.UNION_REP, union_name="Delta")
    for user, first, last, address in (
        (leader, "Åse", "Lie", "ase.lie@amot.kommune.no"),
        (union, "Kjærsti", "Ødegård", "kjaersti.odegard@amot.kommune.no"),
        (safety, "Øyvind", "Bråten", "oyvind.braten@amot.kommune.no"),
        (no_address, "Per", "Uten", ""),
    ):
        user.first_name, user.last_name, user.email = first, last, address
        user.save()
    forget_notices()
    return {"leader": leader, "union": union, "safety": safety, "no_address": no_address}


@pytest.fixture
def meeting(project, people):
    meeting = MeetingFactory(
        project=project,
        kind=Meeting.Kind.CONSULTATION,
        title=TITLE,
        # Winter time: 09:00 in Oslo is 08:00 UTC.
        starts_at=dt.datetime(2027, 3, 10, 9, 0, tzinfo=OSLO),
        ends_at=dt.datetime(2027, 3, 10, 11, 30, tzinfo=OSLO),
        place="Rådhuset, møterom Æsir",
        participants=[
            {"user": people["leader"], "side": Side.EMPLOYER},
            {"user": people["union"], "side": Side.UNION, "union_name": "Fagforbundet"},
            {"user": people["safety"], "side": Side.SAFETY},
            {"user": people["no_address"], "side": Side.UNION, "union_name": "Delta"},
        ],
    )
    AgendaItemFactory(
        meeting=meeting,
        order=1,
        title="Ny organisasjonsstruktur for økonomiavdelingen",
        done="Nåsituasjonen er beskrevet.\nTo løsningsforslag er utredet.",
        next_steps="Partene drøfter forslagene.",
    )
    AgendaItemFactory(meeting=meeting, order=2, title="Bemanningsplan")
    return meeting


def addresses(*users) -> list[str]:
    return sorted(user.email for user in users)


def recipients(message) -> list[str]:
    """The addresses a message from Django's outbox went to, without the names."""
    return sorted(address for _name, address in getaddresses(message.recipients()))


def by_subject(sink) -> dict:
    return {received.subject: received for received in sink.messages}


def parsed(message) -> email.message.EmailMessage:
    """A message from Django's outbox as a mail server would receive it."""
    return email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)


def calendar_parts(message: email.message.EmailMessage) -> list:
    return [part for part in message.walk() if part.get_content_type() == "text/calendar"]


def invitation(message: email.message.EmailMessage):
    """The invitation.ics attachment, and its parsed calendar."""
    (part,) = [p for p in calendar_parts(message) if p.get_filename() == "invitation.ics"]
    return part, Calendar.from_ical(part.get_content().encode())


def event_of(calendar):
    (event,) = calendar.walk("VEVENT")
    return event


def attendee_addresses(event) -> list[str]:
    attendees = event.get("attendee")
    attendees = attendees if isinstance(attendees, list) else [attendees]
    return sorted(str(a).removeprefix("mailto:") for a in attendees)


# --- The notice ---------------------------------------------------------------------------------


def call(meeting, by, capture):
    """Call the meeting; its notice is sent right after the commit. `meeting` is read again, as
    a form for the next change would read it."""
    with capture(execute=True):
        services.call_meeting(meeting=meeting, by=by)
    meeting.refresh_from_db()


def test_the_notice_reaches_the_mail_server_with_the_invitation(
    meeting, people, settings, smtp_sink, django_capture_on_commit_callbacks
):
    settings.MAILERS = smtp_sink.mailers
    invited = [people[key] for key in ("leader", "union", "safety")]

    call(meeting, people["leader"], django_capture_on_commit_callbacks)

    (received,) = smtp_sink.wait_for(1)
    assert sorted(received.envelope_to) == addresses(*invited)
    assert "Kjærsti Ødegård <kjaersti.odegard@amot.kommune.no>" in str(received.message["To"])
    assert received.subject == f"Innkalling: {TITLE} 10.03.2027 kl. 09:00"
    assert received.message["Auto-Submitted"] == "auto-generated"
    (row,) = OutgoingMail.objects.filter(kind="meeting.notice")
    assert row.state == "sent" and row.sender == people["leader"]
    assert received.message["Message-ID"] == row.message_id

    part, calendar = invitation(received.message)
    assert part.get_content_disposition() == "attachment"
    assert part.get_param("method") == "REQUEST"
    assert part.get_content_charset() == "utf-8"
    # The same invitation as an alternative to the text, as Outlook wants it.
    (alternative,) = [p for p in calendar_parts(received.message) if p.get_filename() is None]
    assert alternative.get_param("method") == "REQUEST"
    assert Calendar.from_ical(alternative.get_content().encode()) == calendar
    for ics in (part.get_payload(decode=True), alternative.get_payload(decode=True)):
        assert ics.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
        assert ics.count(b"\n") == ics.count(b"\r\n")  # RFC 5545: CRLF, nothing else

    assert calendar["METHOD"] == "REQUEST"
    assert calendar["PRODID"] == "-//reorg//NO"
    assert calendar["VERSION"] == "2.0"
    event = event_of(calendar)
    assert event["UID"] == f"{meeting.uid}@reorg"
    assert event["SEQUENCE"] == 0
    assert event["DTSTART"].dt == meeting.starts_at
    assert event["DTEND"].dt == meeting.ends_at
    assert event["DTSTART"].dt.utcoffset() == dt.timedelta(0)  # in UTC
    assert event["DTSTART"].dt.hour == 8
    assert event["SUMMARY"] == TITLE
    assert event["LOCATION"] == "Rådhuset, møterom Æsir"
    assert event["STATUS"] == "CONFIRMED"
    assert abs(event["DTSTAMP"].dt - timezone.now()) < dt.timedelta(minutes=1)
    description = str(event["DESCRIPTION"])
    assert description.startswith("Drøftingsmøte\n")
    assert "1) Ny organisasjonsstruktur for økonomiavdelingen\n2) Bemanningsplan" in description
    assert str(event["ORGANIZER"]) == "mailto:reorg@localhost"
    assert event["ORGANIZER"].params["CN"] == "reorg"

    assert attendee_addresses(event) == addresses(*invited)
    for attendee in event["ATTENDEE"]:
        assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
        assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
        assert attendee.params["RSVP"] == "FALSE"
    names = {str(a).removeprefix("mailto:"): a.params["CN"] for a in event["ATTENDEE"]}
    assert names["kjaersti.odegard@amot.kommune.no"] == "Kjærsti Ødegård"


def test_the_notice_is_a_row_until_the_commit(meeting, people):
    services.call_meeting(meeting=meeting, by=people["leader"])
    assert mail.outbox == []  # nothing committed: nothing sent
    (row,) = OutgoingMail.objects.all()
    assert (row.kind, row.ref, row.project_id) == (
        "meeting.notice",
        f"meeting:{meeting.pk}",
        meeting.project_id,
    )
    assert row.invitation_method == "REQUEST" and row.invitation.startswith("BEGIN:VCALENDAR\r\n")
    assert outbox.sweep() == 1  # beat's sweep sends it where no commit did
    assert len(mail.outbox) == 1


def test_the_notice_text(meeting, people, django_capture_on_commit_callbacks):
    call(meeting, people["leader"], django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    body = message.body
    assert (
        "Du er kalt inn til møte i prosjektet Omstilling av administrasjonen (Åmot kommune)."
        in body
    )
    assert f"Drøftingsmøte: {TITLE}\n" in body
    assert "Tid: 10.03.2027 kl. 09:00–11:30\n" in body
    assert "Sted: Rådhuset, møterom Æsir\n" in body
    # Everyone invited is named, with an address or not.
    assert "- Kjærsti Ødegård (Tillitsvalgte, Fagforbundet)\n" in body
    assert "- Øyvind Bråten (Verneombud)\n" in body
    assert "- Åse Lie (Arbeidsgiver)\n" in body
    assert "- Per Uten (Tillitsvalgte, Delta)\n" in body
    assert (
        "1) Ny organisasjonsstruktur for økonomiavdelingen\n\n"
        "Hva er gjort:\nNåsituasjonen er beskrevet.\nTo løsningsforslag er utredet.\n\n"
        "Hva skal nå gjøres:\nPartene drøfter forslagene.\n"
    ) in body
    assert "2) Bemanningsplan\n" in body
    assert body.index("1) Ny") < body.index("2) Bemanningsplan")
    url = SITE + reverse("consultations:meeting", args=[meeting.project_id, meeting.pk])
    assert f"\n{url}\n" in body
    assert "&amp;" not in body and "&amp;" not in message.subject  # plain text, not escaped
    assert "Endret" not in message.subject and "endret" not in body
    assert message.from_email == django_settings.DEFAULT_FROM_EMAIL


def test_a_change_to_a_called_meeting_sends_the_updated_invitation(
    meeting, people, settings, smtp_sink, django_capture_on_commit_callbacks
):
    settings.MAILERS = smtp_sink.mailers
    call(meeting, people["leader"], django_capture_on_commit_callbacks)
    meeting.starts_at = dt.datetime(2027, 3, 11, 13, 0, tzinfo=OSLO)
    meeting.ends_at = dt.datetime(2027, 3, 11, 15, 0, tzinfo=OSLO)
    with django_capture_on_commit_callbacks(execute=True):
        services.save_meeting(meeting=meeting, by=people["leader"])

    first, update = smtp_sink.wait_for(2)
    assert update.subject == f"Endret innkalling: {TITLE} 11.03.2027 kl. 13:00"
    assert update.body.startswith("Innkallingen er endret.")
    assert sorted(update.envelope_to) == sorted(first.envelope_to)
    _, before = invitation(first.message)
    _, after = invitation(update.message)
    assert after["METHOD"] == "REQUEST"
    assert event_of(after)["UID"] == event_of(before)["UID"] == f"{meeting.uid}@reorg"
    assert event_of(after)["SEQUENCE"] == event_of(before)["SEQUENCE"] + 1 == 1
    assert event_of(after)["DTSTART"].dt == dt.datetime(2027, 3, 11, 12, 0, tzinfo=dt.UTC)


def test_calling_a_called_meeting_again_is_an_update(
    meeting, people, django_capture_on_commit_callbacks
):
    call(meeting, people["leader"], django_capture_on_commit_callbacks)
    call(meeting, people["leader"], django_capture_on_commit_callbacks)
    first, again = mail.outbox
    assert again.subject.startswith("Endret innkalling: ")
    _, calendar = invitation(parsed(again))
    assert event_of(calendar)["SEQUENCE"] == 1


def test_a_change_before_the_meeting_is_called_sends_nothing(
    meeting, people, django_capture_on_commit_callbacks
):
    meeting.place = "Kulturhuset"
    with django_capture_on_commit_callbacks(execute=True):
        services.save_meeting(meeting=meeting, by=people["leader"])
    assert not OutgoingMail.objects.exists() and mail.outbox == []


def participants_but(meeting, *left_out):
    return [
        {"user": p.user, "side": p.side, "union_name": p.union_name}
        for p in meeting.participants.select_related("user")
        if p.user not in left_out
    ]


def test_someone_no_longer_invited_gets_the_cancellation_of_their_invitation(
    meeting, people, settings, smtp_sink, django_capture_on_commit_callbacks
):
    settings.MAILERS = smtp_sink.mailers
    call(meeting, people["leader"], django_capture_on_commit_callbacks)
    safety = people["safety"]
    with django_capture_on_commit_callbacks(execute=True):
        services.save_meeting(
            meeting=meeting, participants=participants_but(meeting, safety), by=people["leader"]
        )

    assert len(smtp_sink.wait_for(3)) == 3
    sent = by_subject(smtp_sink)
    update = sent[f"Endret innkalling: {TITLE} 10.03.2027 kl. 09:00"]
    assert sorted(update.envelope_to) == addresses(people["leader"], people["union"])
    assert attendee_addresses(event_of(invitation(update.message)[1])) == addresses(
        people["leader"], people["union"]
    )

    cancelled = sent[f"Avlyst for deg: {TITLE} 10.03.2027 kl. 09:00"]
    assert cancelled.envelope_to == [safety.email]
    assert "Du er ikke lenger kalt inn til dette møtet" in cancelled.body
    part, calendar = invitation(cancelled.message)
    assert part.get_param("method") == "CANCEL"
    assert calendar["METHOD"] == "CANCEL"
    event = event_of(calendar)
    assert event["UID"] == f"{meeting.uid}@reorg"  # the invitation they have, cancelled
    assert event["SEQUENCE"] == 1 and event["STATUS"] == "CANCELLED"
    assert attendee_addresses(event) == [safety.email]
    row = OutgoingMail.objects.get(kind="meeting.cancelled")
    assert row.state == "sent" and row.sender == people["leader"]


def test_a_cancelled_meeting_sends_everyone_invited_the_cancellation(
    meeting, people, settings, smtp_sink, django_capture_on_commit_callbacks
):
    settings.MAILERS = smtp_sink.mailers
    call(meeting, people["leader"], django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(meeting=meeting, by=people["leader"])

    notice, cancelled = smtp_sink.wait_for(2)
    invited = addresses(people["leader"], people["union"], people["safety"])
    assert sorted(cancelled.envelope_to) == sorted(notice.envelope_to) == invited
    assert cancelled.subject == f"Avlyst for deg: {TITLE} 10.03.2027 kl. 09:00"
    assert "Møtet i prosjektet Omstilling av administrasjonen er avlyst." in cancelled.body
    _, calendar = invitation(cancelled.message)
    assert calendar["METHOD"] == "CANCEL"
    event = event_of(calendar)
    assert event["UID"] == event_of(invitation(notice.message)[1])["UID"]
    assert event["SEQUENCE"] == 1 and event["STATUS"] == "CANCELLED"
    assert attendee_addresses(event) == invited
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED


def test_a_meeting_never_called_is_cancelled_without_mail(
    meeting, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(meeting=meeting, by=people["leader"])
    assert not OutgoingMail.objects.exists() and mail.outbox == []


def test_the_notice_is_in_bokmal_and_oslo_time_whatever_is_active(meeting, people):
    with translation.override("en"), timezone.override("America/New_York"):
        message = compose_notice(meeting, recipients=[people["union"]])
    assert message.subject == f"Innkalling: {TITLE} 10.03.2027 kl. 09:00"
    assert "Drøftingsmøte: " in message.body and "Saksliste:" in message.body
    _, calendar = invitation(parsed(message))
    assert str(event_of(calendar)["DESCRIPTION"]).startswith("Drøftingsmøte\n")


def test_no_mail_without_an_address_or_for_someone_deactivated(
    meeting, people, django_capture_on_commit_callbacks
):
    people["safety"].is_active = False
    people["safety"].save()

    call(meeting, people["leader"], django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    assert recipients(message) == addresses(people["leader"], people["union"])
    _, calendar = invitation(parsed(message))
    assert attendee_addresses(event_of(calendar)) == addresses(people["leader"], people["union"])


def test_a_meeting_without_anyone_to_mail_queues_nothing(meeting, people):
    Participant.objects.filter(meeting=meeting).exclude(user=people["no_address"]).delete()
    assert notices.queue_notice(meeting, by=people["leader"]) is None
    services.call_meeting(meeting=meeting, by=people["leader"])  # called all the same
    assert not OutgoingMail.objects.exists()


def test_a_cancellation(meeting, people):
    calendar = Calendar.from_ical(
        meeting_ics(meeting, recipients=[people["union"]], method="CANCEL")
    )
    assert calendar["METHOD"] == "CANCEL"
    assert event_of(calendar)["STATUS"] == "CANCELLED"
    with pytest.raises(ValueError):
        meeting_ics(meeting, recipients=[], method="PUBLISH")


def test_long_lines_are_folded_without_splitting_a_character(meeting, people):
    meeting.title = "Økonomiavdelingen og lønnsseksjonen: " + "æøå " * 40
    meeting.save()
    ics = meeting_ics(meeting, recipients=[people["union"], people["safety"]])
    lines = ics.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode()  # each line is whole UTF-8
    assert event_of(Calendar.from_ical(ics))["SUMMARY"] == meeting.title


# --- The protocol -------------------------------------------------------------------------------


@pytest.fixture
def protocol(meeting):
    protocol = ProtocolFactory(
        meeting=meeting,
        version=1,
        status=Protocol.Status.APPROVED,
        approved_at=dt.datetime(2027, 3, 15, 14, 5, tzinfo=OSLO),
    )
    protocol.pdf.save("protokoll-P1-2027-03-10-v1.pdf", ContentFile(PDF))
    return protocol


def test_the_approved_protocol_is_mailed_with_its_pdf(
    protocol, meeting, people, settings, smtp_sink
):
    settings.MAILERS = smtp_sink.mailers
    row = notices.queue_protocol(protocol, by=people["leader"])
    assert row.key == f"protocol:{protocol.pk}"
    assert notices.queue_protocol(protocol, by=people["leader"]) == row  # once per version

    assert outbox.sweep() == 1
    assert outbox.sweep() == 0

    (received,) = smtp_sink.wait_for(1)
    assert sorted(received.envelope_to) == addresses(
        people["leader"], people["union"], people["safety"]
    )
    assert received.subject == f"Godkjent protokoll: {TITLE}"
    (attachment,) = list(received.message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "protokoll-P1-2027-03-10-v1.pdf"
    assert attachment.get_content() == PDF
    assert "Protokoll versjon 1, godkjent 15.03.2027 kl. 14:05" in received.body
    assert SITE + reverse("consultations:meeting", args=[meeting.project_id, meeting.pk]) in (
        received.body
    )


def hold(meeting, present, by):
    """The meeting, moved to this morning, held with `present` there."""
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=3),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )
    meeting.refresh_from_db()
    return services.mark_held(meeting=meeting, present_user_ids=[u.pk for u in present], by=by)


def test_the_protocol_is_mailed_once_approved_with_the_pdf_stored_when_it_is_sent(
    meeting, people, settings, smtp_sink
):
    """Sent for approval, the representatives present are asked to confirm, and the protocol
    itself is not mailed; approved, it is, with its PDF (stored by the send if no one has yet:
    nothing here is committed, so the PDF's own after-commit work has not run)."""
    settings.MAILERS = smtp_sink.mailers
    leader, union = people["leader"], people["union"]
    hold(meeting, [leader, union], leader)

    protocol = services.send_for_approval(meeting=meeting, by=leader)
    assert outbox.sweep() == 1
    (to_confirm,) = smtp_sink.wait_for(1)
    assert to_confirm.envelope_to == [union.email]  # not the leader, who sent it
    assert to_confirm.subject == f"Protokoll til bekreftelse: {TITLE}"
    assert to_confirm.body.startswith("Hei Kjærsti,\n")
    assert not OutgoingMail.objects.filter(kind="protocol.approved").exists()

    services.confirm(meeting=meeting, by=leader)
    services.confirm(meeting=meeting, by=union)
    protocol.refresh_from_db()
    assert protocol.status == Protocol.Status.APPROVED and not protocol.pdf

    assert outbox.sweep() == 1
    _, received = smtp_sink.wait_for(2)
    protocol.refresh_from_db()
    assert protocol.pdf  # stored by the send
    assert received.subject == f"Godkjent protokoll: {TITLE}"
    assert sorted(received.envelope_to) == addresses(leader, union, people["safety"])
    (attachment,) = list(received.message.iter_attachments())
    assert attachment.get_filename() == protocol.pdf.name.rsplit("/", 1)[-1]
    assert attachment.get_content() == protocol.pdf.open("rb").read()
    assert attachment.get_content().startswith(b"%PDF")


def test_a_correction_asked_for_is_told_to_the_leader(
    meeting, people, django_capture_on_commit_callbacks
):
    leader, union = people["leader"], people["union"]
    hold(meeting, [leader, union], leader)
    services.send_for_approval(meeting=meeting, by=leader)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_correction(meeting=meeting, comment="Punkt 2 er feil.", by=union)
    (message,) = [m for m in mail.outbox if m.subject.startswith("Retting")]
    assert recipients(message) == [leader.email]
    assert message.subject == f"Retting av protokollen er etterspurt: {TITLE}"
    assert "Kjærsti Ødegård ber om retting av protokollen" in message.body
    assert "Punkt 2 er feil.\n" in message.body


# --- The answer to a question -------------------------------------------------------------------


@pytest.fixture
def workstreams(project, organisation, leader, member_with_role):
    """Two workstreams; Ingrid leads one and is a member of the other; Tor has no address."""
    ingrid = member_with_role(Role.WORKSTREAM_LEAD)
    ola = member_with_role(Role.PROJECT_GROUP)
    kari = member_with_role(Role.PROJECT_GROUP)
    tor = member_with_role(Role.PROJECT_GROUP)
    tor.email = ""
    tor.save()
    economy = WorkstreamFactory(
        project=project, order=1, name="Økonomi", lead=ingrid, members=[ola, kari, tor]
    )
    health = WorkstreamFactory(
        project=project, order=2, name="Helse", lead=leader, members=[ingrid, kari]
    )
    # Not in any of this project's workstreams:
    member_with_role(Role.STEERING)
    forget_notices()
    return {"economy": economy, "health": health, "people": [ingrid, ola, kari, leader]}


@pytest.fixture
def question(project, workstreams):
    """Asked by Ola Nordmann of Økonomi, not answered yet."""
    asker = workstreams["people"][1]
    asker.first_name, asker.last_name = "Ola", "Nordmann"
    asker.save()
    return QuestionFactory(
        project=project,
        workstream=workstreams["economy"],
        asked_by=asker,
        asked_on=dt.date(2027, 2, 1),
        text="Beholder vi lønnssystemet når avdelingene slås sammen?",
    )


def answer(question, leader):
    return services.answer(
        question=question,
        text="Ja, lønnssystemet beholdes ut 2027.",
        by=leader,
        answered_at=dt.datetime(2027, 2, 3, 10, 0, tzinfo=OSLO),
    )


def test_the_answer_goes_to_every_workstream_member_once(
    question, workstreams, project, leader, settings, smtp_sink, django_capture_on_commit_callbacks
):
    settings.MAILERS = smtp_sink.mailers

    with django_capture_on_commit_callbacks(execute=True):
        answer(question, leader)
    with pytest.raises(ValidationError):  # answered once
        answer(question, leader)
    row = OutgoingMail.objects.get(kind="question.answered")
    assert row.key == f"answer:{question.pk}" and row.state == "sent"
    assert notices.queue_answer(question, by=leader) == row  # written again: still the one
    assert outbox.sweep() == 0

    (received,) = smtp_sink.wait_for(1)
    assert len(smtp_sink.messages) == 1
    assert sorted(received.envelope_to) == addresses(*workstreams["people"])
    assert received.message["To"] == "undisclosed-recipients:;"  # Bcc: no reply-all storm
    assert received.message["Bcc"] is None
    assert received.subject == "Svar på spørsmål fra Økonomi"
    body = received.body
    assert "Spørsmål fra Ola Nordmann, 01.02.2027:\n" in body
    assert "Beholder vi lønnssystemet når avdelingene slås sammen?\n" in body
    assert "Ja, lønnssystemet beholdes ut 2027.\n" in body
    assert SITE + reverse("consultations:questions", args=[project.pk]) in body


def test_a_refused_answer_stays_queued_and_the_next_sweep_sends_it(
    question, workstreams, leader, settings, smtp_sink, django_capture_on_commit_callbacks
):
    settings.MAILERS = smtp_sink.mailers
    smtp_sink.refuse(1)

    with django_capture_on_commit_callbacks(execute=True):
        answer(question, leader)  # the answer stands: its mail fails after the commit
    question.refresh_from_db()
    assert question.answered_at is not None
    row = OutgoingMail.objects.get(kind="question.answered")
    assert row.state == "queued" and row.attempts == 1 and row.last_error.startswith("(451")
    assert smtp_sink.messages == []

    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    assert outbox.sweep() == 1
    (received,) = smtp_sink.wait_for(1)
    assert sorted(received.envelope_to) == addresses(*workstreams["people"])


def test_an_unanswered_question_is_not_sent(project, workstreams):
    services.ask(
        question=Question(project=project, workstream=workstreams["economy"], text="Når?"),
        by=workstreams["people"][0],
    )
    assert not OutgoingMail.objects.exists()
    assert outbox.sweep() == 0 and mail.outbox == []


def test_a_question_without_a_workstream(
    question, workstreams, project, leader, django_capture_on_commit_callbacks
):
    Question.objects.filter(pk=question.pk).update(workstream=None)
    with django_capture_on_commit_callbacks(execute=True):
        answer(question, leader)
    (message,) = mail.outbox
    assert message.subject == f"Svar på spørsmål i {project.name}"
    assert recipients(message) == addresses(*workstreams["people"])


def test_only_people_with_an_address_in_this_projects_workstreams(
    question, workstreams, organisation, leader, django_capture_on_commit_callbacks
):
    outsider = UserFactory(organisations=[organisation])
    with django_capture_on_commit_callbacks(execute=True):
        answer(question, leader)
    (message,) = mail.outbox
    assert outsider.email not in recipients(message)
    assert "" not in recipients(message)
    assert recipients(message) == addresses(*workstreams["people"])


def test_a_temporary_refusal_is_tried_again_and_a_permanent_one_waits_for_the_sender(
    question, workstreams, leader, settings, smtp_sink
):
    settings.MAILERS = smtp_sink.mailers
    answer(question, leader)
    row = OutgoingMail.objects.get(kind="question.answered")

    smtp_sink.refuse(1, code=451)
    assert outbox.sweep() == 0
    row.refresh_from_db()
    assert row.state == "queued" and row.next_attempt_at > row.queued_at

    smtp_sink.refuse(1, code=550)
    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    assert outbox.sweep() == 0
    assert outbox.sweep() == 0  # refused for good: not tried again
    row.refresh_from_db()
    assert row.state == "failed" and row.attempts == 2
    assert list(OutgoingMail.objects.failed_for(leader)) == [row]
    assert smtp_sink.refused == 2 and smtp_sink.messages == []

    outbox_services.resend(mail=row, by=leader)
    assert outbox.sweep() == 1
    (received,) = smtp_sink.wait_for(1)
    assert received.message["Message-ID"] == row.message_id
