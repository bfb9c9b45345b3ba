"""E-mail about meetings and questions: the notice of a meeting with its calendar invitation
(iCalendar, RFC 5545, times in UTC) and its cancellation, a protocol awaiting confirmation, a
correction asked for, the approved protocol, and the answer to a workstream's question for every
workstream. Composed in Bokmål whatever the active language, with times in Oslo whatever the
active time zone, and written to the outbox (notifications) in the transaction of the change:
consultations.services calls the `queue_*` and `notify_*` functions here.

A mailing to the meeting is one message addressed to all its recipients: it is one SMTP
transaction, taken by the server for everyone or for no one. The notice and the protocol go To
the participants (the invitation's ATTENDEE list names them all anyway); the answer, sent to
every workstream, goes Bcc, so that a reply-all does not reach the whole project."""

import datetime as dt
import logging
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from email.headerregistry import Address
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Prefetch, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import STATUS, Calendar, Event, vCalAddress

from accounts.models import User
from core.mail import Invitation, automated_message
from notifications.models import OutgoingMail
from notifications.services import queue
from projects.models import Membership, Workstream
from projects.notices import members_with, notify_members, site_url

from .models import Attachment, Meeting, Participant, Protocol, Question

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


def attachment_url(attachment: Attachment) -> str:
    """The download, through the access helper: only those who see the meeting get the file."""
    return settings.SITE_URL + reverse(
        "consultations:attachment_download", args=[attachment.project_id, attachment.pk]
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
    meeting: Meeting,
    *,
    recipients: Collection[User],
    update: bool = False,
    cancelled: bool = False,
) -> EmailMessage:
    """The notice of a meeting (or of its change, or that it is cancelled for these recipients)
    to the recipients with an e-mail address, one message To all of them: the time and place, who
    is invited, the agenda, a link, and the calendar invitation (or its cancellation) both as an
    alternative part and as invitation.ics."""
    addressees = _addressees(recipients)
    method = "CANCEL" if cancelled else "REQUEST"
    ics = meeting_ics(meeting, recipients=recipients, method=method)
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
            "attachments": [
                {
                    "title": a.title,
                    "filename": a.filename,
                    "item": a.item.order if a.item else None,
                    "url": attachment_url(a),
                }
                for a in meeting.attachments.all()
            ],
            "url": meeting_url(meeting),
            "site_url": settings.SITE_URL,
        }
    return automated_message(
        "consultations/email/cancellation" if cancelled else "consultations/email/notice",
        context,
        to=[_mailbox(a) for a in addressees],
        invitation=Invitation(ics, method),
    )


def _mailed(participants: Iterable[Participant]) -> list[User]:
    return [p.user for p in participants if p.user.email and p.user.is_active]


def queue_notice(meeting: Meeting, *, by: User, update: bool = False) -> OutgoingMail | None:
    """The notice (or the changed notice) of a meeting to its participants with an e-mail
    address, as the meeting is now (its current SEQUENCE: the service raises it first)."""
    meeting = (
        Meeting.objects.select_related("project", "project__organisation")
        .prefetch_related(
            Prefetch("participants", queryset=Participant.objects.select_related("user")),
            "items",
            Prefetch("attachments", queryset=Attachment.objects.select_related("item")),
        )
        .get(pk=meeting.pk)
    )
    recipients = _mailed(_participants(meeting))
    if not recipients:
        return None
    return queue(
        compose_notice(meeting, recipients=recipients, update=update),
        kind="meeting.notice",
        project_id=meeting.project_id,
        ref=f"meeting:{meeting.pk}",
        sender=by,
    )


def queue_cancellation(
    meeting: Meeting, *, recipients: Collection[User], by: User
) -> OutgoingMail | None:
    """The meeting is off for `recipients` (removed from it, or the meeting is cancelled): a
    cancellation of their calendar invitation (METHOD:CANCEL, the same UID, the SEQUENCE the
    service raised)."""
    recipients = [u for u in recipients if u.email and u.is_active]
    if not recipients or meeting.called_at is None:
        return None
    return queue(
        compose_notice(meeting, recipients=recipients, cancelled=True),
        kind="meeting.cancelled",
        project_id=meeting.project_id,
        ref=f"meeting:{meeting.pk}",
        sender=by,
    )


# --- Protocols ----------------------------------------------------------------------------------


def compose_protocol_mail(protocol: Protocol, *, recipients: Iterable[User]) -> EmailMessage:
    """The approved protocol, To all the recipients with an address (its PDF is attached when it
    is sent: notifications.outbox)."""
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
    )


def queue_protocol(protocol: Protocol, *, by: User) -> OutgoingMail | None:
    """An approved protocol with its PDF to the meeting's participants with an e-mail address,
    once per version."""
    recipients = _mailed(protocol.meeting.participants.select_related("user"))
    if not recipients:
        return None
    return queue(
        compose_protocol_mail(protocol, recipients=recipients),
        kind="protocol.approved",
        project_id=protocol.meeting.project_id,
        ref=f"meeting:{protocol.meeting_id}",
        sender=by,
        key=f"protocol:{protocol.pk}",
        documents=[protocol],
    )


def notify_to_confirm(protocol: Protocol, *, by: User) -> None:
    """Each representative present is asked to read and confirm the protocol (or ask for a
    correction); the employer's side too, unless it is the one who sent it."""
    meeting = protocol.meeting
    present = [
        p.user
        for p in meeting.participants.filter(present=True).select_related("user")
        if p.user_id != by.pk
    ]
    notify_members(
        present,
        "consultations/email/to_confirm",
        {"meeting": meeting, "protocol": protocol, "time_span": _time_span(meeting)},
        kind="protocol.sent",
        project=meeting.project,
        url=site_url("consultations:protocol", meeting.project_id, meeting.pk),
        sender=by,
        ref=f"meeting:{meeting.pk}",
        key=f"protocol-sent:{protocol.pk}:{protocol.sent_at:%Y%m%d%H%M%S}",
    )


def notify_correction(protocol: Protocol, *, by: User) -> None:
    """The leader is told that a representative asks for a correction of the protocol."""
    meeting = protocol.meeting
    notify_members(
        members_with(meeting.project, Membership.Role.LEADER),
        "consultations/email/correction",
        {"meeting": meeting, "protocol": protocol, "asked_by": by},
        kind="protocol.correction",
        project=meeting.project,
        url=site_url("consultations:protocol", meeting.project_id, meeting.pk),
        sender=by,
        ref=f"meeting:{meeting.pk}",
    )


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


def queue_answer(question: Question, *, by: User) -> OutgoingMail | None:
    """An answered question to every workstream of its project, once."""
    recipients = list(workstream_people(question.project_id))
    if not recipients:
        return None
    return queue(
        compose_answer_digest(question, recipients=recipients),
        kind="question.answered",
        project_id=question.project_id,
        ref=f"question:{question.pk}",
        sender=by,
        key=f"answer:{question.pk}",
    )
