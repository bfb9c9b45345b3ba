"""The final report ("sluttrapport") from the data: goals against the leader's results,
milestones, benefits with their latest measurements, deviations (late milestones, red lights of
the last published status report), the consultations held (date, kind, outcome; never what was
said), and the lessons learned. Compiled live for the draft, frozen as plain JSON when published,
turned back into what templates show by `present_final`, rendered to PDF and mailed to the
steering group from here (reports.services.publish_final_report only calls these)."""

import datetime as dt

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone, translation

from accounts.models import User
from consultations.models import AgendaItem, Meeting
from core.pdf import render_pdf
from milestones.models import Milestone
from projects.models import Benefit, BenefitMeasurement, Goal, Lesson, Project
from projects.notices import site_url

from . import cycle
from .models import DIMENSIONS, FinalReport, Light, StatusReport

HELD = (Meeting.Status.HELD, Meeting.Status.PROTOCOL_APPROVED)


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def compile_final_report(project: Project, report: FinalReport | None, on: dt.date) -> dict:
    """What the final report says from today's data. Labels in Bokmål, so that the frozen
    report reads the same in any language. A fixed number of queries (seven)."""
    results = (report.goal_results if report else {}) or {}
    with translation.override(settings.LANGUAGE_CODE):
        goals = [
            {
                "pk": g.pk,
                "kind_label": str(g.get_kind_display()),
                "text": g.text,
                "result": results.get(str(g.pk), ""),
            }
            for g in Goal.objects.filter(project=project).order_by("kind", "order")
        ]
        milestones = list(
            Milestone.objects.filter(project=project).select_related("responsible").in_plan_order()
        )
        milestone_rows = [
            {
                "code": m.code,
                "title": m.title,
                "kind_label": str(m.get_kind_display()),
                "due_date": _iso(m.due_date),
                "status_label": str(m.get_status_display()),
                "reached": m.status == Milestone.Status.REACHED,
                "reached_on": _iso(m.reached_on),
                "overdue": m.is_overdue(on),
            }
            for m in milestones
        ]
        latest = BenefitMeasurement.objects.filter(benefit=OuterRef("pk")).order_by(
            "-measured_on", "-pk"
        )
        benefits = (
            Benefit.objects.filter(project=project)
            .select_related("owner_user")
            .annotate(
                value=Subquery(latest.values("value")[:1]),
                measured_on=Subquery(latest.values("measured_on")[:1]),
            )
            .order_by("order")
        )
        benefit_rows = [
            {
                "title": b.title,
                "indicator": b.indicator,
                "baseline": b.baseline,
                "target": b.target,
                "unit": b.unit,
                "owner": _name(b.owner_user) or b.owner,
                "value": b.value or "",
                "measured_on": _iso(b.measured_on),
                "next_measurement_on": _iso(b.next_measurement_on),
            }
            for b in benefits
        ]
        last = StatusReport.objects.published().filter(project=project).order_by("-number").first()
        red = (
            [
                {"label": str(label), "comment": getattr(last, f"{key}_comment")}
                for key, label in DIMENSIONS
                if getattr(last, f"{key}_status") == Light.RED
            ]
            if last
            else []
        )
        meetings = (
            Meeting.objects.filter(project=project, status__in=HELD)
            .annotate(
                items_count=Count("items"),
                agreed=Count("items", filter=Q(items__outcome=AgendaItem.Outcome.AGREED)),
                disagreed=Count("items", filter=Q(items__outcome=AgendaItem.Outcome.DISAGREED)),
            )
            .order_by("starts_at", "pk")
        )
        # When, what kind and how it ended, not the title: every member reads the published
        # report, and a meeting's title is for those invited (Meeting.visible_to), as on the
        # portfolio.
        meeting_rows = [
            {
                "date": _iso(timezone.localtime(m.starts_at).date()),
                "kind_label": str(m.get_kind_display()),
                "status_label": str(m.get_status_display()),
                "items": m.items_count,
                "agreed": m.agreed,
                "disagreed": m.disagreed,
            }
            for m in meetings
        ]
        lessons = [
            {
                "category_label": str(lesson.get_category_display()),
                "text": lesson.text,
                "by": _name(lesson.written_by),
                "on": _iso(timezone.localtime(lesson.written_at).date()),
            }
            for lesson in Lesson.objects.filter(project=project)
            .select_related("written_by")
            .order_by("category", "written_at", "pk")
        ]
    return {
        "compiled_on": _iso(on),
        "project": {
            "name": project.name,
            "code": project.code,
            "organisation": project.organisation.name,
            "owner": _name(project.owner),
            "owner_title": project.owner_title,
            "leader": _name(project.leader),
            "start_date": _iso(project.start_date),
            "last_delivery_date": _iso(project.last_delivery_date),
        },
        "goals": goals,
        "milestones": {
            "total": len(milestone_rows),
            "reached": sum(1 for m in milestone_rows if m["reached"]),
            "overdue": sum(1 for m in milestone_rows if m["overdue"]),
            "items": milestone_rows,
        },
        "benefits": benefit_rows,
        "deviations": {
            "late": [m for m in milestone_rows if m["overdue"]],
            "red": red,
            "report_number": last.number if last else None,
        },
        "meetings": meeting_rows,
        "lessons": lessons,
    }


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def _dated(row: dict, *keys: str) -> dict:
    return {**row, **{k: _date(row.get(k)) for k in keys}}


def present_final(data: dict) -> dict:
    """The compiled JSON with its dates as dates again, for templates."""
    milestones = data.get("milestones", {})
    deviations = data.get("deviations", {})
    return {
        **data,
        "compiled_on": _date(data.get("compiled_on")),
        "project": _dated(data.get("project", {}), "start_date", "last_delivery_date"),
        "milestones": {
            **milestones,
            "items": [_dated(m, "due_date", "reached_on") for m in milestones.get("items", [])],
        },
        "benefits": [
            _dated(b, "measured_on", "next_measurement_on") for b in data.get("benefits", [])
        ],
        "deviations": {
            **deviations,
            "late": [_dated(m, "due_date") for m in deviations.get("late", [])],
        },
        "meetings": [_dated(m, "date") for m in data.get("meetings", [])],
        "lessons": [_dated(lesson, "on") for lesson in data.get("lessons", [])],
    }


def final_report_context(project: Project, report: FinalReport | None, on: dt.date) -> dict:
    """The page and the PDF: the frozen data once published, else today's."""
    published = bool(report and report.is_published)
    data = report.data if published and report else compile_final_report(project, report, on)
    return {
        "project": project,
        "report": report,
        "data": present_final(data),
        "draft": not published,
        "printed_at": timezone.localtime(),
    }


def render_final_report_pdf(project: Project, report: FinalReport | None) -> bytes:
    """The draft as a plain PDF; the published report, frozen, as PDF/A-2b for the archive."""
    context = final_report_context(project, report, timezone.localdate())
    published = bool(report and report.is_published)
    return render_pdf("reports/pdf/final_report.html", context, archival=published)


def final_report_filename(project: Project, report: FinalReport | None) -> str:
    suffix = "" if report and report.is_published else "-utkast"
    return f"sluttrapport-{project.code.lower()}{suffix}.pdf"


def ensure_final_report_pdf(report_id: int) -> FinalReport:
    """Render a published final report from its frozen data once and store it; later calls
    (and a concurrent one, which waits for the lock) find it stored."""
    with transaction.atomic():
        report = (
            FinalReport.objects.select_for_update(of=("self",))
            .select_related("project", "project__organisation", "project__owner",
                            "project__leader", "published_by")
            .get(pk=report_id)
        )  # fmt: skip
        if report.is_published and not report.pdf:
            pdf = render_final_report_pdf(report.project, report)
            report.pdf.save(
                final_report_filename(report.project, report), ContentFile(pdf), save=False
            )
            # The file is a rendering of what was published, not a change: no history record.
            report.save_without_historical_record(update_fields=["pdf"])
    return report


def queue_final_report(report: FinalReport, recipients: list[User], *, by: User) -> None:
    """The published final report, with its PDF, to each recipient: one mail each, once."""
    project = report.project
    cycle.queue_document_mails(
        report,
        recipients,
        by=by,
        template="reports/email/final_report",
        context={
            "report": report,
            "project": project,
            "url": site_url("reports:final_report", project.pk),
        },
        kind="final_report.published",
        ref=f"finalreport:{report.pk}",
        key=f"finalreport:{report.pk}",
        message_id=f"sluttrapport-{report.pk}",
    )


def deliveries(report: FinalReport):
    """Who the final report was mailed to, and how it went."""
    return cycle.mails_of(f"finalreport:{report.pk}", "final_report.published")
