"""The three-week cycle: drafts when a period ends, the leader's reminder, and the deliveries of
a published report to the steering group. The Celery tasks in reports.tasks only call these.

Each mail goes out at most once however many workers, retries or beats there are: the row that
records it (the report's `leader_reminded_at`, a Delivery's `sent_at`) is locked while the mail
is sent and marked in the same transaction, so a duplicate task waits for the lock and then finds
it sent, and a failed send leaves it unsent for the retry."""

import datetime as dt
import logging
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone

from core.mail import automated_message
from projects.models import Project

from . import periods, services
from .documents import render_status_report_pdf, status_report_filename
from .models import Delivery, StatusReport

logger = logging.getLogger(__name__)

NO_LONGER_RECIPIENT = "Ikke lenger mottaker"


def due_periods(on: dt.date) -> list[tuple[Project, periods.Period]]:
    """Active projects whose latest ended period has no report yet. Two queries. A period that
    overlaps a report already made (the project's start or interval changed since) is skipped:
    the next one after it is due instead, when it ends."""
    projects = list(Project.objects.filter(status=Project.Status.ACTIVE).order_by("pk"))
    latest = {p.pk: periods.latest_ended(p, on) for p in projects}
    covered = dict(
        StatusReport.objects.filter(project__in=[p for p in projects if latest[p.pk]])
        .order_by()
        .values("project_id")
        .annotate(end=Max("period_end"))
        .values_list("project_id", "end")
    )
    return [
        (p, period)
        for p in projects
        if (period := latest[p.pk]) and (p.pk not in covered or period.start > covered[p.pk])
    ]


def unsent(on: dt.datetime) -> tuple[list[int], list[int]]:
    """What a lost task left behind: deliveries not sent and drafts whose leader was not told,
    queued more than half an hour ago and less than a week ago (a mail server down longer than
    the task's retries, a broker down at the commit). Queued again by the hourly dispatch; the
    sends are idempotent."""
    window = {"created_at__lt": on - dt.timedelta(minutes=30),
              "created_at__gt": on - dt.timedelta(days=7)}  # fmt: skip
    deliveries = Delivery.objects.filter(
        sent_at__isnull=True, failed_at__isnull=True, **window
    ).exclude(last_error=NO_LONGER_RECIPIENT)
    drafts = StatusReport.objects.filter(
        state=StatusReport.State.DRAFT, leader_reminded_at__isnull=True, **window
    )
    return (
        list(deliveries.order_by("pk").values_list("pk", flat=True)),
        list(drafts.order_by("pk").values_list("pk", flat=True)),
    )


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "reorg"


def report_url(report: StatusReport) -> str:
    return settings.SITE_URL + reverse("reports:report", args=[report.project_id, report.number])


def _message(template: str, context: dict, to: str, message_id: str, **parts: Any) -> EmailMessage:
    # The same Message-ID on a resend (a worker lost after the server took the mail, before the
    # row was marked sent), so that mail clients show it once.
    return automated_message(
        f"reports/email/{template}", context, to=[to], headers={"Message-ID": message_id}, **parts
    )


def remind_leader(report_id: int) -> bool:
    """Tell the leader that the period's draft is ready and when it is due. Once per report."""
    with transaction.atomic():
        report = (
            StatusReport.objects.select_for_update(of=("self",))
            .select_related("project", "project__leader")
            .filter(pk=report_id)
            .first()
        )
        if report is None or report.leader_reminded_at or report.is_published:
            return False
        leader = report.project.leader
        if leader.is_active and leader.email:
            period = report.period
            context = {
                "report": report,
                "project": report.project,
                "name": leader.first_name or str(leader),
                "deadline": period.deadline,
                "url": report_url(report),
            }
            message_id = f"<statusrapport-{report.pk}-utkast@{_domain()}>"
            _message("draft_ready", context, leader.email, message_id).send()
        # A mark of the send log, not a change of the report: no history record.
        report.leader_reminded_at = timezone.now()
        report.save_without_historical_record(update_fields=["leader_reminded_at"])
    return True


def ensure_pdf(report_id: int) -> StatusReport:
    """Render a published report's PDF from its frozen data once and store it; later calls (and
    a concurrent one, which waits for the lock) find it stored."""
    with transaction.atomic():
        report = (
            StatusReport.objects.select_for_update(of=("self",))
            .select_related("project", "project__organisation", "project__owner",
                            "project__leader", "published_by")
            .get(pk=report_id)
        )  # fmt: skip
        if report.is_published and not report.pdf:
            pdf = render_status_report_pdf(report)
            report.pdf.save(status_report_filename(report), ContentFile(pdf), save=False)
            # The file is a rendering of what was published, not a change: no history record.
            report.save_without_historical_record(update_fields=["pdf"])
    return report


def deliver(delivery_id: int) -> bool:
    """Mail a published report, with its PDF, to one member of the steering group, unless it
    has been sent. Someone no longer in the steering group gets nothing (noted on the row)."""
    delivery = Delivery.objects.filter(pk=delivery_id, sent_at__isnull=True).first()
    if delivery is None:
        return False
    ensure_pdf(delivery.report_id)
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("report", "report__project", "recipient")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.sent_at is not None:
            return False
        report, recipient = delivery.report, delivery.recipient
        project = report.project
        if not services.report_recipients(project).filter(pk=recipient.pk).exists():
            delivery.last_error = NO_LONGER_RECIPIENT
            delivery.save(update_fields=["last_error"])
            return False
        with report.pdf.open("rb") as pdf:
            assert report.pdf.name is not None  # the file just opened
            attachment = (report.pdf.name.rsplit("/", 1)[-1], pdf.read(), "application/pdf")
        context = {
            "report": report,
            "project": project,
            "statuses": report.statuses(),
            "name": recipient.first_name or str(recipient),
            "url": report_url(report),
        }
        message_id = f"<statusrapport-{report.pk}-{delivery.pk}@{_domain()}>"
        _message("published", context, recipient.email, message_id, attachments=[attachment]).send()
        delivery.sent_at = timezone.now()
        delivery.attempts += 1
        delivery.last_error = ""
        delivery.save(update_fields=["sent_at", "attempts", "last_error"])
    logger.info("Status report %s delivered to user %s", report.pk, recipient.pk)
    return True


def note_failure(delivery_id: int, *, error: Exception, permanent: bool) -> None:
    """Count a failed try on the row (outside the rolled-back send), for the leader's view; one
    the server refused for good is not queued again."""
    Delivery.objects.filter(pk=delivery_id, sent_at__isnull=True).update(
        attempts=F("attempts") + 1,
        last_error=str(error)[:500],
        failed_at=timezone.now() if permanent else None,
    )
