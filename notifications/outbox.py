"""Sending the outbox. Each row is sent under its lock and marked sent in the same transaction,
so two sweeps, a retried task or two workers send it once. A temporary failure (no connection,
SMTP 4xx) is tried again with backoff for up to a day; a permanent one (SMTP 5xx) is recorded
for the sender, who can send it again. Called by beat's sweep every minute, and right after the
commit where tasks run in-process."""

import datetime as dt
import logging
import smtplib

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from core.cache import data_changed
from core.mail import (
    CalendarMessage,
    Invitation,
    automated_message,
    is_temporary,
    mailbox,
    retry_backoff,
)

from .models import OutgoingMail

logger = logging.getLogger(__name__)

GIVE_UP_AFTER = dt.timedelta(days=1)
BATCH = 500


def as_message(mail: OutgoingMail) -> EmailMessage:
    """The row as the message it was composed as, with its documents' PDFs (stored first if no
    one has yet) attached."""
    fields = {
        "subject": mail.subject,
        "body": mail.body,
        "from_email": settings.DEFAULT_FROM_EMAIL,
        "to": mail.to,
        "bcc": mail.bcc,
        "headers": {**mail.headers, "Message-ID": mail.message_id},
    }
    if mail.invitation:
        invitation = Invitation(mail.invitation.encode(), mail.invitation_method)
        message: EmailMessage = CalendarMessage(invitation=invitation, **fields)
    else:
        message = EmailMessage(**fields)
    for ref in mail.attachments:
        document = apps.get_model(ref["model"]).objects.get(pk=ref["pk"])
        stored = document.stored_pdf()
        with stored.open("rb") as file:
            message.attach(stored.name.rsplit("/", 1)[-1], file.read(), "application/pdf")
    return message


def _still_recipient(mail: OutgoingMail) -> bool:
    """A person's notice goes only to someone still active (one who has left the project has
    had theirs cancelled: notifications.services.cancel_notices)."""
    return mail.recipient is None or mail.recipient.is_active


def _store_documents(mail_id: int) -> None:
    """Store the PDFs a queued mail carries, each in its own transaction, before the mail is
    locked: a send that dies at the mail server (a worker killed) then rolls back only the
    mail, not a PDF whose file is already written, which the next try would store again under
    another name (and attach under it)."""
    refs = (
        OutgoingMail.objects.filter(pk=mail_id, state=OutgoingMail.State.QUEUED)
        .values_list("attachments", flat=True)
        .first()
    )
    for ref in refs or ():
        apps.get_model(ref["model"]).objects.get(pk=ref["pk"]).stored_pdf()


def send(mail_id: int) -> bool:
    """Send one queued mail unless another worker holds it or it has gone; True if sent."""
    _store_documents(mail_id)
    with transaction.atomic():
        mail = (
            OutgoingMail.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=mail_id, state=OutgoingMail.State.QUEUED)
            .first()
        )
        if mail is None:
            return False
        now = timezone.now()
        if not _still_recipient(mail):
            mail.state = OutgoingMail.State.CANCELLED
            mail.save(update_fields=["state"])
            return False
        mail.attempts += 1
        try:
            as_message(mail).send()
        except (smtplib.SMTPException, OSError) as error:
            _failed(mail, error, now)
            return False
        mail.state, mail.sent_at, mail.last_error = OutgoingMail.State.SENT, now, ""
        mail.save(update_fields=["state", "sent_at", "attempts", "last_error"])
    logger.info("Mail %s (%s) sent", mail.pk, mail.kind)
    return True


def _failed(mail: OutgoingMail, error: Exception, now: dt.datetime) -> None:
    mail.last_error = str(error)[:500]
    if is_temporary(error) and now - mail.queued_at < GIVE_UP_AFTER:
        delay = retry_backoff(mail.attempts - 1, factor=settings.OUTBOX_RETRY_SECONDS)
        mail.next_attempt_at = now + dt.timedelta(seconds=delay)
        logger.warning("Mail %s (%s) not sent, tried again later: %s", mail.pk, mail.kind, error)
    else:
        mail.state, mail.failed_at = OutgoingMail.State.FAILED, now
        logger.error("Mail %s (%s) not sent, given up: %s", mail.pk, mail.kind, error)
    mail.save(update_fields=["attempts", "last_error", "next_attempt_at", "state", "failed_at"])
    if mail.state == OutgoingMail.State.FAILED:
        data_changed()  # the sender's task count (the outbox keeps no history)


def sweep() -> int:
    """Send what is due, oldest first, at most BATCH a run; returns how many were sent."""
    due = OutgoingMail.objects.due().order_by("next_attempt_at", "pk")
    return sum(send(pk) for pk in due.values_list("pk", flat=True)[:BATCH])


def send_digests(day: dt.date) -> int:
    """07:00: each person who has chosen a daily digest gets what was held for them as one mail,
    the notices listed with their links. Once per person and day (the digest's key)."""
    from .services import queue

    held = OutgoingMail.objects.filter(
        state=OutgoingMail.State.QUEUED, digest=True, recipient__daily_digest=True
    )
    made = 0
    for user_id in held.order_by().values_list("recipient_id", flat=True).distinct():
        with transaction.atomic():
            items = list(
                held.filter(recipient_id=user_id)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient")
                .order_by("created_at", "pk")
            )
            items = [item for item in items if _still_recipient(item)]
            if not items:
                continue
            user = items[0].recipient
            assert user is not None  # held for a digest: a person's own notice
            message = automated_message(
                "notifications/email/digest",
                {"name": user.first_name or str(user), "items": items, "day": day},
                to=[mailbox(user)],
            )
            digest = queue(
                message, kind="digest", recipient=user, key=f"digest:{user.pk}:{day.isoformat()}"
            )
            OutgoingMail.objects.filter(pk__in=[i.pk for i in items]).update(
                state=OutgoingMail.State.DIGESTED, digested_into=digest
            )
            made += 1
    return made
