"""E-mail about meetings and questions: the notice of a meeting with its calendar invitation
(iCalendar, RFC 5545, times in UTC), the approved protocol, and the answer to a workstream's
question for every workstream. Composed in Bokmål whatever the active language, with times in
Oslo whatever the active time zone. The Celery tasks in consultations.tasks only call the
`send_*` functions here.

One message per mailing, addressed to all its recipients: it is one SMTP transaction, taken by
the server for everyone or for no one, so a retried task never mails someone twice because the
connection broke after the first few. The notice and the protocol go To the participants (the
invitation's ATTENDEE list names them all anyway); the answer digest, sent to every workstream,
goes Bcc, so that a reply-all does not reach the whole project."""

import datetime as dt
import logging
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from email.headerregistry import Address
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import STATUS, Calendar, Event, vCalAddress

from accounts.models import User
from core.mail import Invitation, automated_message
from projects.models import Workstream

from .models import Meeting, Participant, Protocol, Question

logger = logging.getLogger(__name__)

PRODID = "-//reorg//NO"
# METHOD: the event's STATUS
ICS_METHODS = {"REQUEST": STATUS.CONFIRMED, "CANCEL": STATUS.CANCELLED}


# --- Helpers ------------------------------------------------------------------------------------


@contextmanager
def _bokmal_in_oslo() -> Iterator[None]:
    with translation.override(settings.LANGUAGE_CODE), timezone.override(settings.TIME_ZONE):
        yield


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value, ZoneInfo(settings.TIME_ZONE))


def _when(value: dt.datetime) -> str:
    """01.03.2026 kl. 09:00, in Oslo time."""
    local = _local(value)
    return _("%(date)s kl. %(time)s") % {
        "date": local.strftime("%d.%m.%Y"),
        "time": local.strftime("%H:%M"),
    }


def _time_span(meeting: Meeting) -> str:
    """01.03.2026 kl. 09:00–11:00, or both ends in full over midnight."""
    start, end = _local(meeting.starts_at), _local(meeting.ends_at)
    if start.date() == end.date():
        return f"{_when(start)}–{end:%H:%M}"
    return f"{_when(start)} – {_when(end)}"


def _name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def _addressees(recipients: Iterable[User]) -> list[tuple[str, str]]:
    """(name, address) of the recipients who have an e-mail address, each address once, in the
    order given."""
    seen: dict[str, tuple[str, str]] = {}
    for user in recipients:
        address = (user.email or "").strip()
        if address and address.lower() not in seen:
            seen[address.lower()] = (_name(user), address)
    return list(seen.values())


def _mailbox(addressee: tuple[str, str]) -> str:
    """The address with the name, quoted where needed: Django encodes the header."""
    name, address = addressee
    return str(Address(display_name=name, addr_spec=address))


def meeting_url(meeting: Meeting) -> str:
    return settings.SITE_URL + reverse(
        "consultations:meeting", args=[meeting.project_id, meeting.pk]
    )


def questions_url(project_id: int) -> str:
    return settings.SITE_URL + reverse("consultations:questions", args=[project_id])


def _organizer_address() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL


def _participants(meeting: Meeting) -> list[Participant]:
    return list(meeting.participants.all())


# --- The meeting notice -------------------------------------------------------------------------


def meeting_ics(meeting: Meeting, *, recipients: Iterable[User], method: str = "REQUEST") -> bytes:
    """The meeting as an iCalendar object with one VEVENT: REQUEST to invite (or update an
    invitation: the same UID with a higher SEQUENCE), CANCEL to call it off. Times in UTC; the
    library escapes and folds the lines (at 75 octets, never inside a UTF-8 character)."""
    method = method.upper()
    if method not in ICS_METHODS:
        raise ValueError(f"unknown iTIP method {method!r}")
    with _bokmal_in_oslo():
        description = render_to_string(
            "consultations/email/invitation_description.txt",
            {
                "meeting": meeting,
                "kind": meeting.get_kind_display(),
                "items": list(meeting.items.all()),
                "url": meeting_url(meeting),
            },
        )
    attendees = [
        vCalAddress.new(
            address, cn=name, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION", rsvp=False
        )
        for name, address in _addressees(recipients)
    ]
    event = Event.new(
        uid=f"{meeting.uid}@reorg",
        sequence=meeting.sequence,
        stamp=dt.datetime.now(dt.UTC),
        start=meeting.starts_at.astimezone(dt.UTC),
        end=meeting.ends_at.astimezone(dt.UTC),
        summary=meeting.title,
        location=meeting.place or None,
        description=description.strip(),
        organizer=vCalAddress.new(_organizer_address(), cn="reorg"),
        attendees=attendees,
        status=ICS_METHODS[method],
        url=meeting_url(meeting),
    )
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add_component(event)
    return calendar.to_ical()


def compose_notice(
    meeting: Meeting, *, recipients: Collection[User], update: bool = False
) -> EmailMessage:
    """The notice of a meeting (or of its change) to the recipients with an e-mail address, one
    message To all of them: the time and place, who is invited, the agenda, a link, and the
    calendar invitation both as an alternative part and as invitation.ics."""
    addressees = _addressees(recipients)
    ics = meeting_ics(meeting, recipients=recipients, method="REQUEST")
    with _bokmal_in_oslo():
        context = {
            "meeting": meeting,
            "update": update,
            "title": meeting.title,
            "kind": meeting.get_kind_display(),
            "project": meeting.project,
            "when": _when(meeting.starts_at),
            "time_span": _time_span(meeting),
            "participants": [
                {
                    "name": _name(p.user),
                    "side": p.get_side_display(),
                    "union_name": p.union_name,
                }
                for p in _participants(meeting)
            ],
            "items": list(meeting.items.all()),
            "url": meeting_url(meeting),
            "site_url": settings.SITE_URL,
        }
    return automated_message(
        "consultations/email/notice",
        context,
        to=[_mailbox(a) for a in addressees],
        invitation=Invitation(ics, "REQUEST"),
    )


def _meeting_with_participants(meeting_id: int) -> Meeting | None:
    return (
        Meeting.objects.select_related("project", "project__organisation")
        .prefetch_related(
            Prefetch("participants", queryset=Participant.objects.select_related("user")),
            "items",
        )
        .filter(pk=meeting_id)
        .first()
    )


def _mailed(participants: Iterable[Participant]) -> list[User]:
    return [p.user for p in participants if p.user.email and p.user.is_active]


def send_notice(meeting_id: int, *, update: bool = False) -> int:
    """Send the notice (or the changed notice) of a meeting to its participants with an e-mail
    address, as the meeting is now (its current SEQUENCE: the service raises it before queuing
    an update). Returns the number of recipients."""
    meeting = _meeting_with_participants(meeting_id)
    if meeting is None:
        logger.info("Meeting %s is gone; no notice sent", meeting_id)
        return 0
    recipients = _mailed(_participants(meeting))
    if not recipients:
        return 0
    sent = compose_notice(meeting, recipients=recipients, update=update)
    sent.send()
    logger.info(
        "Meeting notice for meeting %s (sequence %s%s) sent to %d",
        meeting.pk,
        meeting.sequence,
        ", update" if update else "",
        len(sent.to),
    )
    return len(sent.to)


# --- The approved protocol ----------------------------------------------------------------------


def compose_protocol_mail(
    protocol: Protocol, *, recipients: Iterable[User], pdf: bytes, filename: str
) -> EmailMessage:
    """The approved protocol as a PDF attachment, To all the recipients with an address."""
    meeting = protocol.meeting
    with _bokmal_in_oslo():
        context = {
            "protocol": protocol,
            "meeting": meeting,
            "title": meeting.title,
            "kind": meeting.get_kind_display(),
            "project": meeting.project,
            "time_span": _time_span(meeting),
            "approved": _when(protocol.approved_at) if protocol.approved_at else "",
            "url": meeting_url(meeting),
            "site_url": settings.SITE_URL,
        }
    return automated_message(
        "consultations/email/protocol",
        context,
        to=[_mailbox(a) for a in _addressees(recipients)],
        attachments=[(filename, pdf, "application/pdf")],
    )


def send_protocol(protocol_id: int) -> int:
    """Send an approved protocol's PDF (stored first, if no one has) to the meeting's
    participants with an e-mail address. Returns the number of recipients; 0 for a protocol not
    approved."""
    from .documents import ensure_protocol_pdf, stored_filename

    protocol = Protocol.objects.filter(pk=protocol_id).first()
    if protocol is None or protocol.status != Protocol.Status.APPROVED:
        logger.warning("Protocol %s is not approved; not sent", protocol_id)
        return 0
    protocol = ensure_protocol_pdf(protocol_id)
    participants = protocol.meeting.participants.select_related("user")
    recipients = _mailed(participants)
    if not recipients:
        return 0
    with protocol.pdf.open("rb") as file:
        pdf = file.read()
    sent = compose_protocol_mail(
        protocol,
        recipients=recipients,
        pdf=pdf,
        filename=stored_filename(protocol),
    )
    sent.send()
    logger.info("Protocol %s sent to %d", protocol.pk, len(sent.to))
    return len(sent.to)


# --- The answer to a question -------------------------------------------------------------------


def compose_answer_digest(question: Question, *, recipients: Iterable[User]) -> EmailMessage:
    """The answer to a workstream's question, for every workstream: the question, who asked,
    the answer and a link to the project's questions. Bcc to the recipients with an address."""
    with _bokmal_in_oslo():
        context = {
            "question": question,
            "project": question.project,
            "workstream": question.workstream,
            "asked_by": _name(question.asked_by),
            "asked_on": question.asked_on.strftime("%d.%m.%Y"),
            "answered_by": _name(question.answered_by) if question.answered_by else "",
            "answered": _when(question.answered_at) if question.answered_at else "",
            "url": questions_url(question.project_id),
            "site_url": settings.SITE_URL,
        }
    return automated_message(
        "consultations/email/answer",
        context,
        bcc=[address for _name, address in _addressees(recipients)],
    )


def workstream_people(project_id: int) -> QuerySet[User]:
    """Every lead and member of the project's workstreams, each once, active and with an e-mail
    address."""
    User = get_user_model()
    member_ids = Workstream.members.through.objects.filter(
        workstream__project_id=project_id
    ).values("user_id")
    lead_ids = Workstream.objects.filter(project_id=project_id, lead__isnull=False).values(
        "lead_id"
    )
    return (
        User.objects.filter(Q(pk__in=member_ids) | Q(pk__in=lead_ids), is_active=True)
        .exclude(email="")
        .order_by("last_name", "first_name", "pk")
    )


def send_answer_digest(question_id: int) -> int:
    """Send an answered question to every workstream of its project, once: the question stays
    locked while the mail goes out and is marked sent in the same transaction, so a duplicate
    task waits and then finds it sent, and a failed send leaves it unsent for the retry. Returns
    the number of recipients."""
    with transaction.atomic():
        question = Question.objects.select_for_update().filter(pk=question_id).first()
        if question is None or question.digest_sent_at is not None:
            return 0
        if not question.answer:
            logger.warning("Question %s has no answer; no digest sent", question_id)
            return 0
        recipients = list(workstream_people(question.project_id))
        count = 0
        if recipients:
            sent = compose_answer_digest(question, recipients=recipients)
            sent.send()
            count = len(sent.bcc)
        # An update, not save(): a timestamp of the mailing is no change to the question's history.
        Question.objects.filter(pk=question.pk).update(digest_sent_at=timezone.now())
    logger.info("Answer digest for question %s sent to %d", question_id, count)
    return count
