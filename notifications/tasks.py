from celery import shared_task
from django.utils import timezone

from . import outbox


@shared_task
def sweep_outbox() -> int:
    """Every minute, from beat: send the outbox's mail that is due (new, or to be tried again).
    Safe to run twice at once: each row is sent under its lock."""
    return outbox.sweep()


@shared_task
def send_daily_digests() -> int:
    """07:00, from beat: the daily digest of those who have chosen one."""
    return outbox.send_digests(timezone.localdate())
