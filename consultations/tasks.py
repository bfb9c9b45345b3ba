"""The e-mail of consultations, sent by Celery after the commit of the service that queues it
(consultations.services). Thin: the work is in consultations.notices. Acknowledged late and
retried with backoff when the mail server cannot be reached or refuses for now."""

import smtplib

from celery import shared_task

from . import notices

RETRIED = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (smtplib.SMTPException, ConnectionError, OSError),
    "retry_backoff": True,
    "max_retries": 5,
}


@shared_task(**RETRIED)
def send_meeting_notice(meeting_id: int, update: bool = False) -> int:
    """The notice with the calendar invitation, as the meeting is when the task runs (the
    service has raised its SEQUENCE for an update). A duplicate sends the same invitation again,
    which calendars take as the same event."""
    return notices.send_notice(meeting_id, update=update)


@shared_task(**RETRIED)
def send_protocol(protocol_id: int) -> int:
    """The approved protocol's stored PDF to the meeting's participants."""
    return notices.send_protocol(protocol_id)


@shared_task(**RETRIED)
def send_answer_digest(question_id: int) -> int:
    """The answer to every workstream, at most once: the question is locked while the mail goes
    out and marked sent in the same transaction. A failed send leaves it unsent for the retry."""
    return notices.send_answer_digest(question_id)
