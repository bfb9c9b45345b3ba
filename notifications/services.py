"""Writing to the outbox: what every app calls, inside the transaction of its change, to send an
e-mail. Nothing is sent here; notifications.outbox sends after the commit."""

from collections.abc import Iterable, Sequence
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from core.cache import data_changed
from core.mail import CalendarMessage, automated_message, mailbox
from core.tasks import after_commit

from .models import OutgoingMail

NO_LONGER_RECIPIENT = "Ikke lenger mottaker."


def message_id() -> str:
    """A Message-ID of the product's own domain; kept on the row, so a resend has the same."""
    return make_msgid(domain=urlsplit(settings.SITE_URL).hostname or "reorg")


def queue(
    message: EmailMessage,
    *,
    kind: str,
    project_id: int | None = None,
    ref: str = "",
    recipient: User | None = None,
    sender: User | None = None,
    key: str | None = None,
    url: str = "",
    documents: Sequence[models.Model] = (),
    digest: bool = False,
    roles: Iterable[str] = (),
) -> OutgoingMail:
    """Put a composed message in the outbox, in the caller's transaction. `documents` are frozen
    documents (with a `stored_pdf()`) whose PDFs go with it; `key` makes it once per occasion:
    queued again under the same key, the first is kept. `digest` holds it for the recipient's
    daily digest; `roles`, the project roles the recipient must still hold when it is sent."""
    headers = dict(message.extra_headers)
    mail = OutgoingMail(
        kind=kind,
        project_id=project_id,
        ref=ref,
        recipient=recipient,
        sender=sender,
        key=key,
        to=list(message.to),
        bcc=list(message.bcc),
        subject=str(message.subject),
        body=str(message.body),
        message_id=headers.pop("Message-ID", None) or message_id(),
        headers=headers,
        url=url,
        digest=digest,
        attachments=[{"model": d._meta.label_lower, "pk": d.pk} for d in documents],
        roles=sorted(roles),
    )
    if isinstance(message, CalendarMessage):
        mail.invitation = message.invitation.ics.decode()
        mail.invitation_method = message.invitation.method
    if key is not None:
        try:
            with transaction.atomic():
                mail.save()
        except IntegrityError:
            return OutgoingMail.objects.get(key=key)
    else:
        mail.save()
    if not digest:
        from .outbox import send  # outbox reads the rows this module writes

        after_commit(send, mail.pk)
    return mail


def recipients(users: Iterable[User]) -> QuerySet[User]:
    """Of `users`, those a notice may go to: active and with an address. One query. (Whether
    they may see what it is about is the caller's to decide: projects.notices for a project.)"""
    return (
        User.objects.filter(pk__in=[u.pk for u in users], is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def notify(
    users: Iterable[User],
    template: str,
    context: dict,
    *,
    kind: str,
    project_id: int | None = None,
    ref: str = "",
    sender: User | None = None,
    url: str = "",
    key: str | None = None,
) -> list[OutgoingMail]:
    """A notice to each of `users` who is active and has an address, composed for them (the
    context gets `recipient`, `name` and `url`), sent at once or held for their daily digest as
    each has chosen. `key` makes it once per occasion and person."""
    queued = []
    for user in recipients(users):
        message = automated_message(
            template,
            {**context, "recipient": user, "name": user.first_name or str(user), "url": url},
            to=[mailbox(user)],
        )
        queued.append(
            queue(
                message,
                kind=kind,
                project_id=project_id,
                ref=ref,
                recipient=user,
                sender=sender,
                key=f"{key}:{user.pk}" if key else None,
                url=url,
                digest=user.daily_digest,
            )
        )
    return queued


@transaction.atomic
def resend(*, mail: OutgoingMail, by: User) -> OutgoingMail:
    """Try a mail that did not arrive again, as it was (same Message-ID), from now."""
    mail = OutgoingMail.objects.select_for_update().get(pk=mail.pk)
    if mail.state != OutgoingMail.State.FAILED:
        return mail
    mail.state = OutgoingMail.State.QUEUED
    mail.attempts, mail.last_error, mail.failed_at = 0, "", None
    mail.next_attempt_at = mail.queued_at = timezone.now()  # a day of tries from now
    mail.save()
    data_changed()  # the sender's task count (the outbox keeps no history)
    from .outbox import send

    after_commit(send, mail.pk)
    return mail


def cancel_notices(*, user: User, project_id: int, roles: Iterable[str] | None = None) -> int:
    """Someone who can no longer see a project gets none of the notices about it still waiting;
    with `roles` (what they still hold), none of those meant for a role they have left (a
    report to the steering group). Called by projects.services when their rights change."""
    waiting = OutgoingMail.objects.filter(
        recipient=user, project_id=project_id, state=OutgoingMail.State.QUEUED
    )
    if roles is not None:
        held = set(roles)
        waiting = waiting.filter(
            pk__in=[
                pk
                for pk, wanted in waiting.exclude(roles=[]).values_list("pk", "roles")
                if not held & set(wanted)
            ]
        )
    return waiting.update(state=OutgoingMail.State.CANCELLED, last_error=NO_LONGER_RECIPIENT)
