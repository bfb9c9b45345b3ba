import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from . import cycle, documents, services

logger = logging.getLogger(__name__)


@shared_task
def dispatch_due_reports() -> int:
    """Hourly, from Celery beat: make the draft of every period that has ended without a report
    (the leader is told through the outbox). Safe to run again or twice at once: one report per
    project and period (a unique constraint, made under the project's row lock)."""
    made = 0
    for project, period in cycle.due_periods(timezone.localdate()):
        try:
            with transaction.atomic():
                _report, created = services.create_draft(project=project, period=period)
                made += created
        except Exception:  # one project's error must not stop the others' drafts
            logger.exception("No draft for project %s period %s", project.pk, period.number)
    return made


@shared_task
def store_frozen_documents() -> int:
    """Every few minutes, from Celery beat: store the PDF of each frozen document that has none
    yet (a decided mandate version, an approved protocol, a published report). A request only
    queues that work where tasks run in-process (core.tasks.after_commit), so that it never
    waits for the broker."""
    return documents.store_missing()
