"""The steering group's dashboard: every project the user may see, with its latest statuses,
reports due and late, milestone progress, what the steering group is to decide in the next three
weeks, the latest meeting with the employees' representatives, and the history of statuses.

A fixed number of queries whatever the number of projects or reports (tests/test_dashboard.py):
the projects with their counts, latest visible meeting and latest consultation as subqueries
(1), their current phases (1), their reports (1), upcoming decision points (1), open decision
requests (1), the meetings (1). The page shows
the projects a page at a time (reports.views.dashboard): a card with a chart for each of 500
projects would be megabytes that no one reads."""

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from consultations.models import Meeting, Participant
from milestones.models import Milestone, overdue_condition
from projects.models import Phase, Project, ProjectUserObjectPermission
from projects.permissions import RUN_MEETINGS

from . import periods
from .models import DIMENSIONS, DecisionRequest, Light, StatusReport
from .status_chart import StatusChart, build_status_chart, format_date

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _Fetched(TypedDict):
    """What dashboard_projects annotates and prefetches on each project."""

    milestones_total: int
    milestones_reached: int
    milestones_overdue: int
    latest_meeting_id: int | None
    last_consultation_id: int | None
    open_requests: int
    dashboard_phases: list[Phase]
    dashboard_reports: list[StatusReport]
    dashboard_decision_points: list[Milestone]
    dashboard_decision_requests: list[DecisionRequest]


# "Decision points and decision requests of the next three weeks" (issue 6).
LOOKAHEAD_DAYS = 21

# What the dashboard reads of a report: no comments, texts or compiled data.
REPORT_FIELDS = [
    "pk",
    "project_id",
    "number",
    "period_start",
    "period_end",
    "state",
    "published_at",
    *(f"{key}_status" for key, _label in DIMENSIONS),
]


@dataclass(slots=True)
class LightView:
    key: str
    label: str
    light: str  # green, yellow, red or "none" (no status given)
    light_label: str


@dataclass(slots=True)
class DashboardRow:
    project: Project
    latest: StatusReport | None  # the latest published report
    lights: list[LightView]
    history: list[StatusReport]  # the published reports, oldest first
    chart: StatusChart | None  # None where no chart is drawn (the portfolio's table)
    current_period: periods.Period | None
    next_due: dt.date | None  # the end of the current period: when the next draft is made
    next_deadline: dt.date | None  # the last day to publish it
    ended_period: periods.Period | None  # the latest period that has ended
    ended_report: StatusReport | None  # its report, published or draft, if made
    report_late: bool
    report_note: str  # why the report is late, or when it is due; "" when nothing is pending
    milestones_total: int
    milestones_reached: int
    milestones_overdue: int
    decision_points: list[Milestone] = field(default_factory=list)
    decision_requests: list[DecisionRequest] = field(default_factory=list)
    meeting: Meeting | None = None  # the latest meeting the user may see, to open
    # The latest consultation held, for everyone with the project: when, what kind, how it
    # ended; not its title or content (Meeting.visible_to decides who reads those).
    consultation: Meeting | None = None
    current_phase: Phase | None = None
    open_requests: int = 0  # decision requests before the steering group, not yet decided
    needs_attention: bool = False  # set by reports.portfolio

    @property
    def next_decision(self) -> Milestone | DecisionRequest | None:
        """The first decision point or open request of the next three weeks."""
        dated = [(m.due_date, 0, m) for m in self.decision_points if m.due_date] + [
            (d.deadline, 1, d) for d in self.decision_requests
        ]
        return min(dated, key=lambda item: item[:2])[2] if dated else None

    @property
    def cycle_active(self) -> bool:
        return self.project.status == Project.Status.ACTIVE


def _count(milestones) -> Coalesce:
    """The number of the project's milestones in `milestones`, as a subquery of the project."""
    counted = (
        milestones.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _latest_meeting(user):
    """The pk of the project's latest meeting that the user may see: all meetings for those who
    run them, else those the user is invited to (as consultations.Meeting.visible_to)."""
    runs_meetings = Exists(
        ProjectUserObjectPermission.objects.filter(
            content_object=OuterRef("project"), user=user, permission__codename=RUN_MEETINGS
        )
    )
    invited = Exists(Participant.objects.filter(meeting=OuterRef("pk"), user=user))
    return Subquery(
        Meeting.objects.filter(project=OuterRef("pk"))
        .filter(runs_meetings | invited)
        .order_by("-starts_at", "-pk")
        .values("pk")[:1]
    )


def _last_consultation():
    """The pk of the project's latest meeting with the representatives that was held."""
    return Subquery(
        Meeting.objects.filter(
            project=OuterRef("pk"),
            status__in=[Meeting.Status.HELD, Meeting.Status.PROTOCOL_APPROVED],
        )
        .order_by("-starts_at", "-pk")
        .values("pk")[:1]
    )


def _open_requests():
    counted = (
        DecisionRequest.objects.filter(
            project=OuterRef("pk"),
            outcome__in=[DecisionRequest.Outcome.PENDING, DecisionRequest.Outcome.DEFERRED],
        )
        .put_forward()
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def dashboard_projects(user, on: dt.date):
    """The projects the user may see, by name, with what the dashboard shows of them fetched
    alongside: five queries however many projects and reports."""
    window = (on, on + dt.timedelta(days=LOOKAHEAD_DAYS))
    all_milestones = Milestone.objects.all()
    return (
        Project.objects.visible_to(user)
        .select_related("organisation")
        .only(
            "pk",
            "name",
            "code",
            "status",
            "start_date",
            "last_delivery_date",
            "report_interval_days",
            "organisation__name",
        )
        .annotate(
            milestones_total=_count(all_milestones),
            milestones_reached=_count(all_milestones.filter(status=Milestone.Status.REACHED)),
            milestones_overdue=_count(all_milestones.filter(overdue_condition(on))),
            latest_meeting_id=_latest_meeting(user),
            last_consultation_id=_last_consultation(),
            open_requests=_open_requests(),
        )
        .prefetch_related(
            Prefetch(
                "phases",
                # The current phase: the first not yet approved (in progress, at its gate, or
                # the next to start).
                queryset=Phase.objects.exclude(state=Phase.State.APPROVED)
                .only("pk", "project_id", "name", "order", "start_date", "end_date", "state")
                .order_by("order", "start_date", "pk"),
                to_attr="dashboard_phases",
            ),
            Prefetch(
                "status_reports",
                queryset=StatusReport.objects.only(*REPORT_FIELDS).order_by("number"),
                to_attr="dashboard_reports",
            ),
            Prefetch(
                "milestones",
                queryset=Milestone.objects.open()
                .filter(kind=Milestone.Kind.DECISION_POINT, due_date__range=window)
                .only(
                    "pk", "project_id", "code", "title", "kind", "due_date", "date_text", "status"
                )
                .in_plan_order(),
                to_attr="dashboard_decision_points",
            ),
            Prefetch(
                "decision_requests",
                # Open requests due within the window, and those whose deadline has passed
                # without a decision: both are still before the steering group.
                queryset=DecisionRequest.objects.filter(
                    outcome__in=[
                        DecisionRequest.Outcome.PENDING,
                        DecisionRequest.Outcome.DEFERRED,
                    ],
                    deadline__lte=window[1],
                )
                .put_forward()
                .only("pk", "project_id", "title", "deadline", "outcome")
                .order_by("deadline", "pk"),
                to_attr="dashboard_decision_requests",
            ),
        )
        .order_by("name", "pk")
    )


def dashboard_rows(user, on: dt.date, projects=None, *, charts: bool = True) -> list[DashboardRow]:
    """One row per project the user may see, ordered by name; `projects` is a page of
    dashboard_projects(user, on) (default: all of them). Six queries in all."""
    projects = list(dashboard_projects(user, on) if projects is None else projects)
    meeting_ids = {
        pk for p in projects for pk in (p.latest_meeting_id, p.last_consultation_id) if pk
    }
    meetings = (
        Meeting.objects.only("pk", "project_id", "kind", "title", "starts_at", "status").in_bulk(
            meeting_ids
        )
        if meeting_ids
        else {}  # no query for projects without meetings
    )
    return [
        _row(
            project,
            on,
            meetings.get(project.latest_meeting_id),
            meetings.get(project.last_consultation_id),
            charts,
        )
        for project in projects
    ]


def _row(
    project: "WithAnnotations[Project, _Fetched]",
    on: dt.date,
    meeting: Meeting | None,
    consultation: Meeting | None,
    charts: bool = True,
) -> DashboardRow:
    reports = project.dashboard_reports
    published = [r for r in reports if r.state == StatusReport.State.PUBLISHED]
    latest = published[-1] if published else None
    row = DashboardRow(
        project=project,
        latest=latest,
        lights=_lights(latest) if latest else [],
        history=published,
        chart=build_status_chart(published, dom_id=f"statushistorikk-{project.pk}")
        if charts
        else None,
        current_period=None,
        next_due=None,
        next_deadline=None,
        ended_period=None,
        ended_report=None,
        report_late=False,
        report_note="",
        milestones_total=project.milestones_total,
        milestones_reached=project.milestones_reached,
        milestones_overdue=project.milestones_overdue,
        decision_points=project.dashboard_decision_points,
        decision_requests=project.dashboard_decision_requests,
        meeting=meeting,
        consultation=consultation,
        current_phase=next(iter(project.dashboard_phases), None),
        open_requests=project.open_requests,
    )
    # The three-week cycle runs for active projects only (reports.cycle.due_periods): a draft or
    # closed project has no report due and none late.
    if row.cycle_active:
        _add_cycle(row, reports, on)
    return row


def _lights(report: StatusReport) -> list[LightView]:
    lights = []
    for key, label in DIMENSIONS:
        light = getattr(report, f"{key}_status")
        lights.append(
            LightView(
                key=key,
                label=str(label),
                light=light or "none",
                light_label=str(Light(light).label) if light else gettext("Ikke satt"),
            )
        )
    return lights


def _add_cycle(row: DashboardRow, reports: list[StatusReport], on: dt.date) -> None:
    project = row.project
    row.current_period = periods.current(project, on)
    if row.current_period:
        row.next_due = row.current_period.end
        row.next_deadline = row.current_period.deadline
    ended = periods.latest_ended(project, on)
    row.ended_period = ended
    if ended is None:
        return
    report = next((r for r in reports if r.number == ended.number), None)
    row.ended_report = report
    if report is not None and report.state == StatusReport.State.PUBLISHED:
        return
    values = {"number": ended.number, "deadline": format_date(ended.deadline)}
    row.report_late = ended.is_late(on)
    if row.report_late:
        if report is None:
            note = gettext(
                "Rapporten for periode %(number)d er forsinket: den er ikke laget, og fristen "
                "var %(deadline)s."
            )
        else:
            note = gettext(
                "Rapporten for periode %(number)d er forsinket: utkastet er ikke publisert, og "
                "fristen var %(deadline)s."
            )
    else:
        note = gettext("Rapporten for periode %(number)d skal publiseres innen %(deadline)s.")
    row.report_note = note % values
