from functools import partial

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from core.mail import mail_task

from . import reminders


@shared_task
def dispatch_milestone_reminders() -> int:
    """Daily, from Celery beat: claim today's reminders and queue one send per person not yet
    reminded today. Safe to run again or on several workers: a person already reminded today is
    not queued, and a send queued twice is sent once (see send_milestone_reminder)."""
    with transaction.atomic():
        reminder_ids = reminders.claim_reminders(timezone.localdate())
        for reminder_id in reminder_ids:
            transaction.on_commit(partial(send_milestone_reminder.delay, reminder_id))
    return len(reminder_ids)


@mail_task()
def send_milestone_reminder(reminder_id: int) -> int:
    """Send one reminder at most once: the row is locked while the mail goes out and marked sent
    in the same transaction. A failed send leaves it unsent, and the task is retried."""
    return reminders.send_reminder(reminder_id)
