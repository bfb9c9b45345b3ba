from celery import shared_task
from django.utils import timezone

from . import reminders


@shared_task
def dispatch_benefit_reminders() -> int:
    """Daily, from Celery beat: each benefit owner's reminder of a measurement that is due, into
    the outbox. Safe to run again or on several workers: once per benefit and occasion."""
    return reminders.queue_benefit_reminders(timezone.localdate())
