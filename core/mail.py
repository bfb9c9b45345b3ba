"""The e-mail the product sends by itself (reminders, notices, protocols, answers, reports): one
function composes every message, and one policy says which failures are tried again (the outbox,
notifications.outbox, sends them).

A message is `<template>_subject.txt` and `<template>_body.txt`, rendered in Bokmål and Oslo time
whatever the request's language and time zone, from DEFAULT_FROM_EMAIL, marked as sent by a
program (RFC 3834), with attachments, Bcc and a calendar invitation as it needs."""

import email.policy
import logging
import random
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import MIMEPart

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

# RFC 3834: sent by a program, so that auto-replies (out of office) are not sent back.
AUTO_HEADERS = {"Auto-Submitted": "auto-generated"}
# RFC 5322's empty group: a message with only Bcc recipients has no visible addressees.
UNDISCLOSED = "undisclosed-recipients:;"
ICS_FILENAME = "invitation.ics"


def mailbox(user) -> str:
    """A user's address with their name, quoted where needed (Django encodes the header)."""
    return str(
        Address(display_name=user.get_full_name() or user.get_username(), addr_spec=user.email)
    )


@dataclass(frozen=True)
class Invitation:
    """An iCalendar object (RFC 5545) to send with a message, and its iTIP method."""

    ics: bytes
    method: str  # REQUEST or CANCEL


def automated_message(
    template: str,
    context: dict,
    *,
    to: Sequence[str] = (),
    bcc: Sequence[str] = (),
    attachments: Sequence[tuple[str, bytes, str]] = (),
    invitation: Invitation | None = None,
    headers: dict | None = None,
) -> EmailMessage:
    """The message `template` renders, To and Bcc the given addresses (mailboxes with names are
    fine), with (filename, content, type) attachments, and a calendar invitation both as the
    text/calendar alternative Outlook looks for and as invitation.ics."""
    with translation.override(settings.LANGUAGE_CODE), timezone.override(settings.TIME_ZONE):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}_body.txt", context)
    all_headers = {**AUTO_HEADERS, **(headers or {})}
    if bcc and not to:
        all_headers["To"] = UNDISCLOSED
    fields = {
        "subject": " ".join(subject.split()),
        "body": body.strip() + "\n",
        "from_email": settings.DEFAULT_FROM_EMAIL,
        "to": list(to),
        "bcc": list(bcc),
        "headers": all_headers,
    }
    message = (
        CalendarMessage(invitation=invitation, **fields) if invitation else EmailMessage(**fields)
    )
    for attachment in attachments:
        message.attach(*attachment)
    return message


class CalendarMessage(EmailMultiAlternatives):
    """A message with an invitation as a text/calendar alternative to the text and as an
    attachment. Django writes an alternative without parameters and with the line ends of the
    message, so it is rewritten here with the method and the original bytes, whose CRLF line ends
    (RFC 5545) survive whatever line ends the message is written with."""

    def __init__(self, *args, invitation: Invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        self.attach_alternative(invitation.ics.decode(), "text/calendar")
        part = MIMEPart(policy=email.policy.default)
        _set_calendar(part, invitation, filename=ICS_FILENAME)
        self.attach(part)

    def message(self, *args, **kwargs):
        msg = super().message(*args, **kwargs)
        for part in msg.walk():
            if part.get_content_type() == "text/calendar" and part.get_filename() is None:
                _set_calendar(part, self.invitation)
        return msg


def _set_calendar(part: MIMEPart, invitation: Invitation, filename: str | None = None) -> None:
    part.set_content(
        invitation.ics,
        maintype="text",
        subtype="calendar",
        cte="base64",
        disposition="attachment" if filename else None,
        filename=filename,
        params={"charset": "utf-8", "method": invitation.method},
    )


# --- When sending fails -------------------------------------------------------------------------


def is_temporary(error: BaseException) -> bool:
    """Whether a failed send may succeed later: the server could not be reached or dropped the
    connection, or it answered 4xx (greylisting, a full queue). A 5xx answer (no such mailbox, a
    message refused as such) will be the same next time."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _text in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


def retry_backoff(retries: int, factor: float = 60) -> float:
    """Seconds before the next try: a random wait (full jitter) of up to 1, 2, 4, 8 … times
    `factor`, at most an hour. `factor` may have a fraction (settings read it as a float; Celery's
    get_exponential_backoff_interval takes whole seconds only and raises on a float)."""
    return random.uniform(0, min(3600.0, factor * 2 ** min(retries, 32)))
