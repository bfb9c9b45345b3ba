"""Writes of reports/: status reports (draft, edit, publish), the decision requests to the
steering group and the calendar links. Each runs in a transaction and records history with the
user (for a draft made by beat: the project's leader, whose report it is)."""

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from consultations import gate
from consultations.models import AgendaItem
from core.history import acting_as
from core.tasks import after_commit
from projects import services as project_services
from projects.models import GateSubmission, MandateVersion, Membership, Phase, Project
from projects.notices import members_with, notify_members, site_url
from projects.permissions import VIEW

from . import closeout, cycle, periods
from .compile import compile_report
from .documents import store_mandate_version_pdf
from .mandate import mandate_snapshot
from .models import DIMENSIONS, CalendarFeed, DecisionRequest, FinalReport, StatusReport

Outcome = DecisionRequest.Outcome

RECIPIENT_ROLES = cycle.RECIPIENT_ROLES

EDITABLE_FIELDS = [
    *(f"{key}_{part}" for key, _label in DIMENSIONS for part in ("status", "comment")),
    "achieved",
    "planned",
    "challenges",
]


def _reason(message: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _(message)


# --- The mandate -------------------------------------------------------------------------------


@transaction.atomic
def decide_mandate(
    *,
    project: Project,
    by: User,
    decided_on: dt.date | None = None,
    comment: str = "",
    no_protocol_reason: str = "",
) -> MandateVersion:
    """The owner decides the mandate as it stands, with the decision's date and comment: the
    snapshot, taken under the project's lock, is frozen as the next version. Without an approved
    protocol from the consultation on the mandate it needs a reason (refused in strict mode),
    which the union and safety representatives are sent. The leader is told; the PDF is stored
    after the commit."""
    project = (
        Project.objects.select_for_update()
        .select_related("organisation", "owner", "leader")
        .get(pk=project.pk)
    )
    reason = gate.check(gate.for_mandate(project), project=project, reason=no_protocol_reason)
    version = project_services.decide_mandate(
        project=project,
        snapshot=mandate_snapshot(project),
        by=by,
        decided_on=decided_on,
        comment=comment,
        no_protocol_reason=reason,
    )
    url = site_url("reports:mandate", project.pk)
    ref = f"mandateversion:{version.pk}"
    context = {"version": version, "decided_by": by}
    notify_members(
        members_with(project, Membership.Role.LEADER),
        "reports/email/mandate_decided",
        context,
        kind="mandate.decided",
        project=project,
        url=url,
        sender=by,
        ref=ref,
    )
    if reason:
        gate.tell_representatives(
            project=project,
            what=str(_("Mandatet, versjon %(n)s") % {"n": version.number}),
            reason=reason,
            url=url,
            by=by,
            ref=ref,
        )
    after_commit(store_mandate_version_pdf, version.pk)
    return version


# --- Phase gates ------------------------------------------------------------------------------------


@transaction.atomic
def approve_gate(
    *,
    phase: Phase,
    by: User,
    decided_on: dt.date | None = None,
    comment: str = "",
    no_protocol_reason: str = "",
) -> GateSubmission:
    """The owner approves the phase's gate, with the decision's date and comment: the phase is
    approved and the next starts. Without an approved protocol from the consultation on leaving
    the phase (the agenda items that concern it) it needs a reason (refused in strict mode),
    which the union and safety representatives are sent. The leader is told."""
    project = (
        Project.objects.select_for_update()
        .select_related("organisation", "owner", "leader")
        .get(pk=phase.project_id)
    )
    reason = gate.check(gate.for_phase(phase), project=project, reason=no_protocol_reason)
    submission = project_services.approve_gate(
        phase=phase, by=by, decided_on=decided_on, comment=comment, no_protocol_reason=reason
    )
    phase = submission.phase
    next_phase = (
        Phase.objects.filter(project=project, state=Phase.State.IN_PROGRESS)
        .order_by("order", "start_date", "pk")
        .first()
    )
    url = site_url("reports:phase_gate", project.pk, phase.pk)
    ref = f"gatesubmission:{submission.pk}"
    notify_members(
        [*members_with(project, Membership.Role.LEADER), submission.sent_by],
        "reports/email/gate_approved",
        {"submission": submission, "phase": phase, "next_phase": next_phase, "decided_by": by},
        kind="gate.approved",
        project=project,
        url=url,
        sender=by,
        ref=ref,
    )
    if reason:
        gate.tell_representatives(
            project=project,
            what=str(_("Faseovergangen fra %(phase)s") % {"phase": phase.name}),
            reason=reason,
            url=url,
            by=by,
            ref=ref,
        )
    return submission


# --- Decision requests to the steering group ---------------------------------------------------


@transaction.atomic
def save_decision_request(
    *,
    request: DecisionRequest,
    by: User,
    agenda_items: Iterable[AgendaItem] | None = None,
) -> DecisionRequest:
    """Create or change what the steering group is asked to decide, and (for one that affects
    the employees) the agenda items where it was consulted on. A request already decided is not
    rewritten: its question and basis are what was decided on. A new request is put to the
    steering group at once, or with the status report it is put forward in when that is
    published."""
    project = (
        Project.objects.select_related("organisation")
        .select_for_update()
        .get(pk=request.project_id)
    )
    new = request.pk is None
    if request.pk:
        current = DecisionRequest.objects.select_for_update().get(pk=request.pk)
        if current.outcome != Outcome.PENDING:
            raise ValidationError(
                _("Saken er behandlet av styringsgruppen og kan ikke endres. Lag en ny sak.")
            )
    else:
        request.created_by = by
    if (
        request.report_id
        and StatusReport.objects.select_for_update().get(pk=request.report_id).is_published
    ):
        raise ValidationError(_("Rapporten er publisert og kan ikke endres."))
    items = list(agenda_items) if agenda_items is not None else None
    if items and any(item.meeting.project_id != project.pk for item in items):
        raise ValidationError({"agenda_items": _("Velg saker fra prosjektets egne møter.")})
    request.outcome, request.decision, request.decided_on = Outcome.PENDING, "", None
    request.full_clean()
    with acting_as(by):
        request.save()
        if items is not None:
            request.agenda_items.set(items)
    if new and request.report_id is None:
        _put_to_steering_group(request, by=by)
    return request


def _put_to_steering_group(request: DecisionRequest, *, by: User) -> None:
    project = request.project
    notify_members(
        members_with(project, *RECIPIENT_ROLES),
        "reports/email/decision_request",
        {"request": request},
        kind="decision.request",
        project=project,
        url=site_url("reports:decisions", project.pk),
        sender=by,
        ref=f"decisionrequest:{request.pk}",
        key=f"decisionrequest:{request.pk}",
    )


@transaction.atomic
def record_decision(
    *,
    request: DecisionRequest,
    outcome: str,
    decision: str,
    on: dt.date | None,
    by: User,
    no_protocol_reason: str = "",
) -> DecisionRequest:
    """The steering group's decision: decided, deferred or rejected, with its date. A deferred
    request may be decided later; a decided or rejected one is final. Deciding one that affects
    the employees passes the consultation gate: without an approved protocol it needs a reason,
    which the union and safety representatives are sent (refused in strict mode)."""
    request = (
        DecisionRequest.objects.select_for_update(of=("self",))
        .select_related("project", "project__organisation")
        .get(pk=request.pk)
    )
    if outcome not in (Outcome.DECIDED, Outcome.DEFERRED, Outcome.REJECTED):
        raise ValidationError({"outcome": _("Velg vedtatt, utsatt eller avvist.")})
    if request.outcome in (Outcome.DECIDED, Outcome.REJECTED):
        raise ValidationError(_("Saken er allerede avgjort."))
    day = on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"decided_on": _("Datoen kan ikke være fram i tid.")})
    reason = ""
    if outcome == Outcome.DECIDED and request.affects_employees:
        consulted = gate.consultation(request.agenda_items.all())
        reason = gate.check(consulted, project=request.project, reason=no_protocol_reason)
    request.outcome, request.decision, request.decided_on = outcome, decision.strip(), day
    request.no_protocol_reason = reason
    request.full_clean()
    with acting_as(by):
        request.save()
    if reason:
        gate.tell_representatives(
            project=request.project,
            what=request.title,
            reason=reason,
            url=site_url("reports:decisions", request.project_id),
            by=by,
            ref=f"decisionrequest:{request.pk}",
        )
    return request


# --- Status reports -------------------------------------------------------------------------------


@transaction.atomic
def create_draft(
    *, project: Project, period: periods.Period, by: User | None = None
) -> tuple[StatusReport, bool]:
    """The draft report of `period`, compiled from the data, unless the period has its report
    already; returns it and whether it was made. The unique constraint settles a race with
    another dispatcher: the project row is locked first, so the second one waits and finds it."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    existing = StatusReport.objects.filter(project=project, number=period.number).first()
    if existing:
        return existing, False
    if period.end >= timezone.localdate():
        raise ValidationError(_("Perioden er ikke slutt ennå."))
    report = StatusReport(
        project=project,
        number=period.number,
        period_start=period.start,
        period_end=period.end,
    )
    report.data = compile_report(project, period)
    report.compiled_at = timezone.now()
    report._change_reason = _reason(gettext_noop("Utkast laget fra prosjektets data"))
    with acting_as(by or project.leader):
        report.save()
    cycle.notify_draft_ready(report)
    return report, True


def _draft_for_update(report: StatusReport) -> StatusReport:
    report = StatusReport.objects.select_for_update().select_related("project").get(pk=report.pk)
    if report.is_published:
        raise ValidationError(_("Rapporten er publisert og kan ikke endres."))
    return report


@transaction.atomic
def refresh_draft(*, report: StatusReport, by: User) -> StatusReport:
    """Compile the draft's figures again from today's data (the leader's text is kept)."""
    report = _draft_for_update(report)
    report.data = compile_report(report.project, report.period, report=report)
    report.compiled_at = timezone.now()
    report._change_reason = _reason(gettext_noop("Tallene er hentet på nytt"))
    with acting_as(by):
        report.save(update_fields=["data", "compiled_at"])
    return report


@transaction.atomic
def save_report(*, report: StatusReport, values: dict[str, Any], by: User) -> StatusReport:
    """The leader's statuses, comments and text on a draft."""
    current = _draft_for_update(report)
    for field in EDITABLE_FIELDS:
        if field in values:
            setattr(current, field, values[field])
    current.full_clean()
    with acting_as(by):
        current.save()
    return current


@transaction.atomic
def publish(*, report: StatusReport, by: User) -> StatusReport:
    """Freeze the report with today's figures and mail it with its PDF to the owner and each
    member of the steering group (the PDF is stored after the commit, or by the first mail sent,
    so that publishing answers at once). The decision requests it puts forward are put to the
    steering group. A report without a status for every section is refused."""
    report = _draft_for_update(report)
    missing = [str(label) for key, label in DIMENSIONS if not getattr(report, f"{key}_status")]
    if missing:
        raise ValidationError(
            _("Sett status for alle deler av rapporten før den publiseres. Mangler: %(parts)s.")
            % {"parts": ", ".join(missing)}
        )
    project = report.project
    report.data = compile_report(project, report.period, report=report)
    previous = (
        StatusReport.objects.published()
        .filter(project=project, number__lt=report.number)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    # What this report is compared with, frozen with it (see reports.documents).
    report.data["previous_number"] = previous
    report.compiled_at = report.published_at = timezone.now()
    report.state = StatusReport.State.PUBLISHED
    report.published_by = by
    report._change_reason = _reason(gettext_noop("Publisert og sendt til styringsgruppen"))
    with acting_as(by):
        report.save()
    cycle.queue_deliveries(report, list(report_recipients(project)), by=by)
    for request in report.decision_requests.all():
        _put_to_steering_group(request, by=by)
    after_commit(cycle.ensure_pdf, report.pk)
    return report


def report_recipients(project: Project) -> QuerySet[User]:
    """The owner and the steering group: members in these roles who can still see the project
    (a member of its organisation with the view right) and have an e-mail address."""
    return (
        User.objects.filter(
            memberships__project=project,
            memberships__role__in=RECIPIENT_ROLES,
            is_active=True,
            organisations=project.organisation_id,
        )
        .filter(
            projectuserobjectpermission__content_object=project,
            projectuserobjectpermission__permission__codename=VIEW,
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


# --- The final report and closing the project ---------------------------------------------------

FINAL_TEXT_FIELDS = ("summary", "deviations", "benefits_followup")
CLOSED = (Project.Status.COMPLETED, Project.Status.CANCELLED)


def _lock_open_project(project: Project) -> Project:
    project = (
        Project.objects.select_for_update()
        .select_related("organisation", "owner", "leader")
        .get(pk=project.pk)
    )
    if project.status in CLOSED:
        raise ValidationError(_("Prosjektet er avsluttet."))
    return project


@transaction.atomic
def save_final_report(
    *, project: Project, values: dict[str, str], goal_results: dict[int, str], by: User
) -> FinalReport:
    """The leader's texts of the final report: the summary, a result per goal, the deviations
    and what follows for the benefits. The draft is made at the first save."""
    project = _lock_open_project(project)
    report = FinalReport.objects.select_for_update().filter(project=project).first()
    if report is None:
        report = FinalReport(project=project)
    if report.is_published:
        raise ValidationError(_("Sluttrapporten er publisert og kan ikke endres."))
    for field in FINAL_TEXT_FIELDS:
        if field in values:
            setattr(report, field, values[field])
    goals = set(project.goals.values_list("pk", flat=True))
    report.goal_results = {
        str(pk): text.strip() for pk, text in goal_results.items() if pk in goals and text.strip()
    }
    report.full_clean()
    with acting_as(by):
        report.save()
    return report


@transaction.atomic
def publish_final_report(*, project: Project, by: User) -> FinalReport:
    """Freeze the final report with today's data, close the project (completed, closed today:
    the retention of its personal data runs from then, roles.privacy), and mail the report with
    its PDF to the owner and each member of the steering group (the PDF is stored after the
    commit, or by the first mail sent). Published once: a second time is refused."""
    project = (
        Project.objects.select_for_update()
        .select_related("organisation", "owner", "leader")
        .get(pk=project.pk)
    )
    report = FinalReport.objects.select_for_update().filter(project=project).first()
    if report is not None and report.is_published:
        raise ValidationError(_("Sluttrapporten er allerede publisert."))
    if project.status in CLOSED:
        raise ValidationError(_("Prosjektet er avsluttet."))
    if report is None or not report.summary.strip():
        raise ValidationError(_("Skriv sammendraget før sluttrapporten publiseres."))
    today = timezone.localdate()
    report.data = closeout.compile_final_report(project, report, today)
    report.state = FinalReport.State.PUBLISHED
    report.published_at = timezone.now()
    report.published_by = by
    report._change_reason = _reason(gettext_noop("Publisert og sendt til styringsgruppen"))
    project.status = Project.Status.COMPLETED
    project.closed_on = today
    project._change_reason = _reason(gettext_noop("Prosjektet er avsluttet med sluttrapporten"))
    with acting_as(by):
        report.save()
        project.save(update_fields=["status", "closed_on", "updated_at"])
    closeout.queue_final_report(report, list(report_recipients(project)), by=by)
    after_commit(closeout.ensure_final_report_pdf, report.pk)
    return report


# --- Calendar links -------------------------------------------------------------------------------


@transaction.atomic
def create_calendar_feed(*, project: Project, user: User) -> CalendarFeed:
    """A new secret calendar link for the user; an earlier one stops working."""
    revoke_calendar_feed(project=project, user=user)
    with acting_as(user):
        return CalendarFeed.objects.create(
            project=project, user=user, token=secrets.token_urlsafe(32)
        )


@transaction.atomic
def revoke_calendar_feed(*, project: Project, user: User) -> None:
    with acting_as(user):
        for feed in CalendarFeed.objects.select_for_update().filter(
            project=project, user=user, revoked_at__isnull=True
        ):
            feed.revoked_at = timezone.now()
            feed.save(update_fields=["revoked_at"])
