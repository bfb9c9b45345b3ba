import logging
from functools import partial

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from core.mail import mail_task

from . import cycle, services
from .documents import store_mandate_version_pdf

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def render_mandate_version_pdf(version_id: int) -> None:
    """Render a decided mandate once and store it. Idempotent: a stored PDF is kept."""
    store_mandate_version_pdf(version_id)


@shared_task
def dispatch_due_reports() -> int:
    """Hourly, from Celery beat: make the draft of every period that has ended without a report,
    and queue the leader's reminder. Safe to run again or twice at once: one report per project
    and period (a unique constraint, made under the project's row lock)."""
    made = 0
    for project, period in cycle.due_periods(timezone.localdate()):
        try:
            with transaction.atomic():
                report, created = services.create_draft(project=project, period=period)
                if created:
                    made += 1
                    transaction.on_commit(partial(remind_report_leader.delay, report.pk))
        except Exception:  # one project's error must not stop the others' drafts
            logger.exception("No draft for project %s period %s", project.pk, period.number)
    deliveries, drafts = cycle.unsent(timezone.now())
    for delivery_id in deliveries:
        send_report_delivery.delay(delivery_id)
    for report_id in drafts:
        remind_report_leader.delay(report_id)
    return made


@mail_task(backoff_setting="REPORT_RETRY_BACKOFF")
def remind_report_leader(report_id: int) -> bool:
    return cycle.remind_leader(report_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def store_status_report_pdf(report_id: int) -> None:
    """Store a published report's PDF. Idempotent; a delivery that runs first stores it too."""
    cycle.ensure_pdf(report_id)


@mail_task(on_failure=cycle.note_failure, backoff_setting="REPORT_RETRY_BACKOFF")
def send_report_delivery(delivery_id: int) -> bool:
    """Mail one delivery of a published report at most once: the row is locked while the mail
    goes out and marked sent in the same transaction. Each failed send is noted on the row for the
    leader to see; a temporary one is retried with backoff (up to 1, 2, 4, 8 and 16 times
    REPORT_RETRY_BACKOFF), and what is still unsent after that is queued again by the hourly
    dispatch. A permanent one (the server refused the address) is not retried."""
    return cycle.deliver(delivery_id)
