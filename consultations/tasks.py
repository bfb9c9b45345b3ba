"""The e-mail of consultations, sent by Celery after the commit of the service that queues it
(consultations.services). Thin: the work is in consultations.notices; failures are retried as
core.mail.mail_task says (temporary ones with backoff, permanent ones not)."""

from celery import shared_task

from core.mail import mail_task

from . import documents, notices


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def store_protocol_pdf(protocol_id: int) -> None:
    """Store an approved protocol's PDF. Idempotent; the mail that runs first stores it too."""
    documents.ensure_protocol_pdf(protocol_id)


@mail_task()
def send_meeting_notice(meeting_id: int, update: bool = False) -> int:
    """The notice with the calendar invitation, as the meeting is when the task runs (the
    service has raised its SEQUENCE for an update). A duplicate sends the same invitation again,
    which calendars take as the same event."""
    return notices.send_notice(meeting_id, update=update)


@mail_task()
def send_protocol(protocol_id: int) -> int:
    """The approved protocol's PDF to the meeting's participants."""
    return notices.send_protocol(protocol_id)


@mail_task()
def send_answer_digest(question_id: int) -> int:
    """The answer to every workstream, at most once: the question is locked while the mail goes
    out and marked sent in the same transaction. A failed send leaves it unsent for the retry."""
    return notices.send_answer_digest(question_id)
