"""The e-mail of consultations: the notice of a meeting with its calendar invitation (read back
with icalendar from what an SMTP server received), the changed notice, the approved protocol
with its PDF, and the answer to a question sent once to every workstream."""

import datetime as dt
import email
import email.policy
import smtplib
from email.utils import parseaddr
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from consultations.models import Meeting, Participant, Protocol, Question, Side
from consultations.notices import compose_notice, meeting_ics
from consultations.tasks import send_answer_digest, send_meeting_notice, send_protocol
from projects.models import Membership

from .factories import (
    AgendaItemFactory,
    MeetingFactory,
    ProtocolFactory,
    QuestionFactory,
    UserFactory,
    WorkstreamFactory,
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


def test_the_notice_reaches_the_mail_server_with_the_invitation(
    meeting, people, settings, smtp_sink
):
    settings.MAILERS = smtp_sink.mailers
    invited = [people[key] for key in ("leader", "union", "safety")]

    assert send_meeting_notice(meeting.pk, False) == 3

    (received,) = smtp_sink.wait_for(1)
    assert sorted(received.envelope_to) == addresses(*invited)
    assert "Kjærsti Ødegård <kjaersti.odegard@amot.kommune.no>" in str(received.message["To"])
    assert received.subject == f"Innkalling: {TITLE} 10.03.2027 kl. 09:00"
    assert received.message["Auto-Submitted"] == "auto-generated"

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


def test_the_notice_text(meeting, people):
    send_meeting_notice(meeting.pk, False)

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


def test_an_update_has_the_next_sequence_and_says_it_is_changed(meeting, people):
    send_meeting_notice(meeting.pk, False)
    # As services.call_meeting / save_meeting do for a meeting already called.
    meeting.sequence += 1
    meeting.starts_at = dt.datetime(2027, 3, 11, 13, 0, tzinfo=OSLO)
    meeting.ends_at = dt.datetime(2027, 3, 11, 15, 0, tzinfo=OSLO)
    meeting.save()

    assert send_meeting_notice(meeting.pk, True) == 3

    first, update = mail.outbox
    assert update.subject == f"Endret innkalling: {TITLE} 11.03.2027 kl. 13:00"
    assert update.body.startswith("Innkallingen er endret.")
    _, before = invitation(parsed(first))
    _, after = invitation(parsed(update))
    assert after["METHOD"] == "REQUEST"
    assert event_of(after)["UID"] == event_of(before)["UID"] == f"{meeting.uid}@reorg"
    assert event_of(after)["SEQUENCE"] == event_of(before)["SEQUENCE"] + 1 == 1
    assert event_of(after)["DTSTART"].dt == dt.datetime(2027, 3, 11, 12, 0, tzinfo=dt.UTC)


def test_the_notice_is_in_bokmal_and_oslo_time_whatever_is_active(meeting, people):
    with translation.override("en"), timezone.override("America/New_York"):
        message = compose_notice(meeting, recipients=[people["union"]])
    assert message.subject == f"Innkalling: {TITLE} 10.03.2027 kl. 09:00"
    assert "Drøftingsmøte: " in message.body and "Saksliste:" in message.body
    _, calendar = invitation(parsed(message))
    assert str(event_of(calendar)["DESCRIPTION"]).startswith("Drøftingsmøte\n")


def test_no_mail_without_an_address_or_for_someone_deactivated(meeting, people):
    people["safety"].is_active = False
    people["safety"].save()

    assert send_meeting_notice(meeting.pk, False) == 2

    (message,) = mail.outbox
    assert sorted(parseaddr(r)[1] for r in message.recipients()) == addresses(
        people["leader"], people["union"]
    )
    _, calendar = invitation(parsed(message))
    assert attendee_addresses(event_of(calendar)) == addresses(people["leader"], people["union"])


def test_a_meeting_gone_or_without_anyone_to_mail_sends_nothing(meeting, people):
    Participant.objects.filter(meeting=meeting).exclude(user=people["no_address"]).delete()
    assert send_meeting_notice(meeting.pk, False) == 0
    assert send_meeting_notice(meeting.pk + 1000, False) == 0
    assert mail.outbox == []


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

    assert send_protocol(protocol.pk) == 3

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


def test_a_protocol_not_approved_is_not_mailed(protocol):
    Protocol.objects.filter(pk=protocol.pk).update(status=Protocol.Status.DRAFT)
    assert send_protocol(protocol.pk) == 0
    assert mail.outbox == []


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
    return {"economy": economy, "health": health, "people": [ingrid, ola, kari, leader]}


@pytest.fixture
def question(project, workstreams, leader):
    asker = workstreams["people"][1]
    asker.first_name, asker.last_name = "Ola", "Nordmann"
    asker.save()
    return QuestionFactory(
        project=project,
        workstream=workstreams["economy"],
        asked_by=asker,
        asked_on=dt.date(2027, 2, 1),
        text="Beholder vi lønnssystemet når avdelingene slås sammen?",
        answer="Ja, lønnssystemet beholdes ut 2027.",
        answered_by=leader,
        answered_at=dt.datetime(2027, 2, 3, 10, 0, tzinfo=OSLO),
    )


def test_the_answer_goes_to_every_workstream_member_once(
    question, workstreams, project, settings, smtp_sink
):
    settings.MAILERS = smtp_sink.mailers

    assert send_answer_digest(question.pk) == 4
    assert send_answer_digest(question.pk) == 0  # run again: already sent

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
    question.refresh_from_db()
    assert question.digest_sent_at is not None


def test_a_refused_digest_stays_unsent_and_the_next_try_sends_it(
    question, workstreams, settings, smtp_sink
):
    settings.MAILERS = smtp_sink.mailers
    smtp_sink.refuse(1)

    with pytest.raises(smtplib.SMTPException):
        send_answer_digest(question.pk)
    question.refresh_from_db()
    assert question.digest_sent_at is None

    assert send_answer_digest(question.pk) == 4
    assert len(smtp_sink.wait_for(1)) == 1


def test_an_unanswered_question_is_not_sent(project, workstreams):
    question = QuestionFactory(
        project=project,
        workstream=workstreams["economy"],
        asked_by=workstreams["people"][0],
        asked_on=dt.date(2027, 2, 1),
        text="Når kommer svaret?",
    )
    assert send_answer_digest(question.pk) == 0
    question.refresh_from_db()
    assert question.digest_sent_at is None
    assert mail.outbox == []


def test_a_question_without_a_workstream(question, workstreams, project):
    Question.objects.filter(pk=question.pk).update(workstream=None)
    assert send_answer_digest(question.pk) == 4
    (message,) = mail.outbox
    assert message.subject == f"Svar på spørsmål i {project.name}"


def test_only_people_with_an_address_in_this_projects_workstreams(
    question, workstreams, organisation, leader
):
    outsider = UserFactory(organisations=[organisation])
    assert send_answer_digest(question.pk) == 4
    (message,) = mail.outbox
    assert outsider.email not in message.recipients()
    assert "" not in message.recipients()


# --- The tasks ----------------------------------------------------------------------------------


@pytest.mark.parametrize("task", [send_meeting_notice, send_protocol, send_answer_digest])
def test_the_tasks_are_acknowledged_late_and_retried_at_most_five_times(task):
    assert task.acks_late and task.reject_on_worker_lost
    assert task.max_retries == 5


def test_a_temporary_refusal_is_raised_for_the_retry_and_a_permanent_one_is_not(
    question, settings, smtp_sink
):
    settings.MAILERS = smtp_sink.mailers
    smtp_sink.refuse(1, code=451)
    # Called directly, the task raises what a worker retries.
    with pytest.raises(smtplib.SMTPDataError):
        send_answer_digest(question.pk)
    question.refresh_from_db()
    assert question.digest_sent_at is None

    smtp_sink.refuse(1, code=550)
    assert send_answer_digest(question.pk) is None  # refused for good: not retried
    question.refresh_from_db()
    assert question.digest_sent_at is None
    assert smtp_sink.refused == 2 and smtp_sink.messages == []
