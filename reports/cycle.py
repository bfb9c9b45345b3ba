"""The three-week cycle: which periods are due, the leader's notice that a draft is ready, and
the published report to the steering group with its PDF. The mail is written to the outbox in
the transaction of the change, each once (its key), and sent by notifications.outbox; the
Celery tasks in reports.tasks only call these."""

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from accounts.models import User
from core.mail import automated_message, mailbox
from notifications.models import OutgoingMail
from notifications.services import queue
from projects.models import Membership, Project
from projects.notices import notify_members, site_url

from . import periods
from .documents import render_status_report_pdf, status_report_filename
from .models import StatusReport

# Who a published report is mailed to: the steering group, chaired by the project owner.
RECIPIENT_ROLES = (Membership.Role.OWNER, Membership.Role.STEERING)


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


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "reorg"


def report_url(report: StatusReport) -> str:
    return site_url("reports:report", report.project_id, report.number)


def notify_draft_ready(report: StatusReport) -> None:
    """Tell the leader that the period's draft is ready and when it is due. Once per report."""
    project = report.project
    notify_members(
        [project.leader],
        "reports/email/draft_ready",
        {"report": report, "deadline": report.period.deadline},
        kind="report.draft",
        project=project,
        url=report_url(report),
        ref=f"statusreport:{report.pk}",
        key=f"draft:{report.pk}",
    )


def queue_document_mails(
    document,
    recipients: list[User],
    *,
    by: User,
    template: str,
    context: dict,
    kind: str,
    ref: str,
    key: str,
    message_id: str,
) -> None:
    """A frozen document (a published status report, the final report) with its PDF to each
    recipient: one mail each, once (the outbox's key, `<key>:<recipient>`), with a Message-ID
    of its own (`<message_id>-<recipient>@…`) that a resend keeps."""
    for recipient in recipients:
        message = automated_message(
            template,
            {**context, "name": recipient.first_name or str(recipient)},
            to=[mailbox(recipient)],
            headers={"Message-ID": f"<{message_id}-{recipient.pk}@{_domain()}>"},
        )
        queue(
            message,
            kind=kind,
            project_id=document.project_id,
            ref=ref,
            recipient=recipient,
            sender=by,
            key=f"{key}:{recipient.pk}",
            documents=[document],
            roles=RECIPIENT_ROLES,
        )


def queue_deliveries(report: StatusReport, recipients: list[User], *, by: User) -> None:
    """The published report, with its PDF, to each recipient."""
    queue_document_mails(
        report,
        recipients,
        by=by,
        template="reports/email/published",
        context={
            "report": report,
            "project": report.project,
            "statuses": report.statuses(),
            "url": report_url(report),
        },
        kind="report.published",
        ref=f"statusreport:{report.pk}",
        key=f"report:{report.pk}",
        message_id=f"statusrapport-{report.pk}",
    )


def mails_of(ref: str, kind: str):
    """Who a document was mailed to, and how it went."""
    return (
        OutgoingMail.objects.filter(ref=ref, kind=kind)
        .select_related("recipient")
        .order_by("recipient__first_name", "recipient__last_name")
    )


def deliveries(report: StatusReport):
    """Who the published report was mailed to, and how it went."""
    return mails_of(f"statusreport:{report.pk}", "report.published")


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
