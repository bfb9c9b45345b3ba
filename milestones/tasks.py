from celery import shared_task
from django.utils import timezone

from . import reminders


@shared_task
def dispatch_milestone_reminders() -> int:
    """Daily, from Celery beat: each responsible person's reminder of the day, into the outbox.
    Safe to run again or on several workers: one per person and day."""
    return reminders.queue_reminders(timezone.localdate())
