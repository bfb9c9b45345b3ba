"""The steering group's portfolio ("Styringsoversikt"): one row per project the user may see,
those that need attention first, filtered and searched by what is in the URL, 50 to a page.

Sorting by need for attention needs every visible project's standing before the page is cut:
one narrow query gives it (`standings`: the latest published report's overall light and period,
overdue milestones, and whether a decision is due within three weeks, as subqueries), and
whether the report of the latest ended period is late is worked out from the project's dates in
Python (reports.periods). The page's rows are then read in full for its 50 projects only
(reports.dashboard). A fixed number of queries whatever the number of projects."""

import calendar
import datetime as dt
import io
from dataclasses import dataclass
from types import SimpleNamespace

from django import forms
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import DateField, choice_field
from milestones.models import Milestone, overdue_condition
from milestones.timeline import build_timeline
from projects.models import Organisation, Phase, Project

from . import periods
from .dashboard import LOOKAHEAD_DAYS, DashboardRow, dashboard_projects, dashboard_rows
from .models import DIMENSIONS, DecisionRequest, Light, StatusReport

PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class Standing:
    """What decides a project's place in the portfolio."""

    pk: int
    name: str
    red: bool  # the latest published report's overall status is red
    late: bool  # the report of the latest ended period is not published by its deadline
    overdue: bool  # a milestone is past its date and not reached
    decision_soon: bool  # a decision point or an open request within three weeks

    @property
    def needs_attention(self) -> bool:
        return self.red or self.late or self.overdue or self.decision_soon

    @property
    def order(self) -> tuple:
        return (not self.red, not self.late, not self.overdue, not self.decision_soon, self.name)


class PortfolioFilter(forms.Form):
    """The portfolio's filters and search, read from the URL (GET)."""

    q = forms.CharField(label=_("Søk på navn eller kode"), required=False, max_length=100)
    organisation = forms.TypedChoiceField(
        label=_("Kommune"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(label=_("Prosjektstatus"), required=False)
    owner = forms.TypedChoiceField(
        label=_("Prosjekteier"), required=False, coerce=int, empty_value=None
    )
    leader = forms.TypedChoiceField(
        label=_("Prosjektleder"), required=False, coerce=int, empty_value=None
    )
    light = forms.ChoiceField(label=_("Samlet status"), required=False)
    attention = forms.BooleanField(label=_("Bare de som trenger oppfølging"), required=False)

    def __init__(self, *args, projects, **kwargs):
        """`projects`: the user's visible projects, for the choices (two queries)."""
        super().__init__(*args, **kwargs)
        every: list[tuple[object, object]] = [("", _("Alle"))]
        choice_field(self, "organisation").choices = every + list(
            Organisation.objects.filter(projects__in=projects)
            .distinct()
            .order_by("name")
            .values_list("pk", "name")
        )
        choice_field(self, "status").choices = every + list(Project.Status.choices)
        people = (
            User.objects.filter(Q(owned_projects__in=projects) | Q(led_projects__in=projects))
            .distinct()
            .order_by("first_name", "last_name", "pk")
        )
        names = [(u.pk, u.get_full_name() or u.username) for u in people]
        choice_field(self, "owner").choices = every + names
        choice_field(self, "leader").choices = every + names
        choice_field(self, "light").choices = (
            every + list(Light.choices) + [("none", _("Ingen rapport"))]
        )

    def is_filtered(self) -> bool:
        return self.is_valid() and any(
            value not in (None, "", False) for value in self.cleaned_data.values()
        )


def _latest_published(field: str):
    return Subquery(
        StatusReport.objects.published()
        .filter(project=OuterRef("pk"))
        .order_by("-number")
        .values(field)[:1]
    )


def standings(user, on: dt.date, choices: dict | None = None) -> list[Standing]:
    """The user's visible projects that the filters let through, those that need attention
    first: one query."""
    choices = choices or {}
    window_end = on + dt.timedelta(days=LOOKAHEAD_DAYS)
    projects = Project.objects.visible_to(user)
    if choices.get("q"):
        projects = projects.filter(
            Q(name__icontains=choices["q"]) | Q(code__icontains=choices["q"])
        )
    for field in ("organisation", "status", "owner", "leader"):
        if choices.get(field) not in (None, ""):
            projects = projects.filter(**{field: choices[field]})
    rows = projects.annotate(
        overall=_latest_published("overall_status"),
        reported_until=_latest_published("period_end"),
        overdue=Exists(Milestone.objects.filter(overdue_condition(on), project=OuterRef("pk"))),
        decision_point_soon=Exists(
            Milestone.objects.open().filter(
                project=OuterRef("pk"),
                kind=Milestone.Kind.DECISION_POINT,
                due_date__range=(on, window_end),
            )
        ),
        request_soon=Exists(
            DecisionRequest.objects.filter(
                project=OuterRef("pk"),
                outcome__in=[DecisionRequest.Outcome.PENDING, DecisionRequest.Outcome.DEFERRED],
                deadline__lte=window_end,
            ).put_forward()
        ),
    ).values_list(
        "pk",
        "name",
        "status",
        "start_date",
        "report_interval_days",
        "last_delivery_date",
        "overall",
        "reported_until",
        "overdue",
        "decision_point_soon",
        "request_soon",
    )
    light = choices.get("light")
    result = []
    for (
        pk,
        name,
        status,
        start_date,
        interval,
        last_delivery,
        overall,
        reported_until,
        overdue,
        point_soon,
        request_soon,
    ) in rows:
        if light and (overall or "none") != light:
            continue
        late = False
        if status == Project.Status.ACTIVE:
            # The dates periods reads, without a model instance (500 of them cost 20 ms).
            dates = SimpleNamespace(
                start_date=start_date,
                report_interval_days=interval,
                last_delivery_date=last_delivery,
            )
            ended = periods.latest_ended(dates, on)
            late = bool(
                ended
                and ended.is_late(on)
                and (reported_until is None or reported_until < ended.end)
            )
        standing = Standing(
            pk=pk,
            name=name,
            red=overall == Light.RED,
            late=late,
            overdue=overdue,
            decision_soon=point_soon or request_soon,
        )
        if choices.get("attention") and not standing.needs_attention:
            continue
        result.append(standing)
    result.sort(key=lambda s: s.order)
    return result


def portfolio_rows(user, on: dt.date, page: list[Standing]) -> list[DashboardRow]:
    """The page's projects in full, in the page's order, without charts (six queries)."""
    if not page:
        return []
    projects = dashboard_projects(user, on).filter(pk__in=[s.pk for s in page])
    rows = {row.project.pk: row for row in dashboard_rows(user, on, projects, charts=False)}
    for standing in page:
        if standing.pk in rows:
            rows[standing.pk].needs_attention = standing.needs_attention
    return [rows[s.pk] for s in page if s.pk in rows]


# --- The Excel export -----------------------------------------------------------------------------

COLUMNS = [
    ("Prosjekt", 36),
    ("Kode", 12),
    ("Kommune", 24),
    ("Prosjektstatus", 14),
    ("Fase nå", 24),
    *((str(label), 12) for _key, label in DIMENSIONS),
    ("Siste rapport, periode", 22),
    ("Publisert", 12),
    ("Neste rapport, frist", 18),
    ("Rapport forsinket", 16),
    ("Milepæler nådd", 14),
    ("Milepæler i alt", 14),
    ("Milepæler forsinket", 16),
    ("Neste beslutning", 36),
    ("Neste beslutning, dato", 18),
    ("Siste drøfting", 16),
    ("Drøftingens type", 18),
    ("Drøftingens utfall", 20),
    ("Åpne beslutningssaker", 18),
    ("Trenger oppfølging", 16),
]


def _period(report) -> str:
    return f"{report.period_start:%d.%m.%Y}–{report.period_end:%d.%m.%Y}"


def workbook(rows: list[DashboardRow]) -> bytes:
    """The rows as a sheet, one line per project, in the portfolio's order. Text is always
    text, never a formula, whatever it begins with."""
    # Imported here, not with the views: 12 MB that a worker serving pages never needs.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Styringsoversikt"
    for index, (title, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    for line, row in enumerate(rows, start=2):
        project = row.project
        lights = {light.key: light.light_label for light in row.lights}
        decision = row.next_decision
        meeting = row.consultation
        values = [
            project.name,
            project.code,
            project.organisation.name,
            str(project.get_status_display()),
            f"{row.current_phase.name} ({row.current_phase.get_state_display()})"
            if row.current_phase
            else "",
            *(lights.get(key, "") for key, _label in DIMENSIONS),
            _period(row.latest) if row.latest else "",
            timezone.localtime(row.latest.published_at).date()
            if row.latest and row.latest.published_at
            else None,
            row.next_deadline,
            "Ja" if row.report_late else "Nei",
            row.milestones_reached,
            row.milestones_total,
            row.milestones_overdue,
            decision.title if decision else "",
            getattr(decision, "due_date", None) or getattr(decision, "deadline", None),
            timezone.localtime(meeting.starts_at).date() if meeting else None,
            str(meeting.get_kind_display()) if meeting else "",
            str(meeting.get_status_display()) if meeting else "",
            row.open_requests,
            "Ja" if row.needs_attention else "Nei",
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=line, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            elif isinstance(value, dt.date):
                cell.number_format = "DD.MM.YYYY"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def filename(on: dt.date) -> str:
    return f"styringsoversikt-{on:%Y-%m-%d}.xlsx"


# --- The portfolio's timeline ------------------------------------------------------------------

WINDOW_MONTHS = (3, 6, 12, 24)


class TimelineWindow(forms.Form):
    """The timeline's window: from a date, for some months (default today and six)."""

    fra = DateField(label=_("Fra"), required=False)
    maneder = forms.TypedChoiceField(
        label=_("Måneder"),
        choices=[(n, str(n)) for n in WINDOW_MONTHS],
        coerce=int,
        required=False,
        empty_value=None,
    )

    def window(self, on: dt.date) -> tuple[dt.date, dt.date]:
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("fra") or on
        months = data.get("maneder") or 6
        return start, _add_months(start, months) - dt.timedelta(days=1)


def _add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day if it has no such day."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    last = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))


def portfolio_timeline(projects: list[Project], start: dt.date, end: dt.date, on: dt.date):
    """The phases, decision points and milestones of `projects` within [start, end], one lane a
    project, laid out by the progress plan's timeline (milestones.timeline); and the same as rows
    for the table behind it. Two queries."""
    pks = [p.pk for p in projects]
    phases = list(
        Phase.objects.filter(project__in=pks, start_date__lte=end, end_date__gte=start)
        .select_related("project")
        .order_by("project__name", "start_date", "pk")
    )
    milestones = list(
        Milestone.objects.filter(project__in=pks, due_date__range=(start, end))
        .select_related("project")
        .order_by("due_date", "project__name", "code")
    )
    for milestone in milestones:
        milestone.workstream_id = milestone.project_id  # the project is the lane
    lanes = [SimpleNamespace(pk=p.pk, name=f"{p.name} ({p.code})") for p in projects]
    bars = [
        SimpleNamespace(
            name=f"{phase.project.code}: {phase.name}",
            start_date=max(phase.start_date or start, start),
            end_date=min(phase.end_date or end, end),
        )
        for phase in phases
    ]
    timeline = build_timeline(
        start=start,
        end=end,
        phases=bars,
        workstreams=lanes,
        milestones=milestones,
        today=on,
        dom_id="portefoljetidslinje",
    )
    rows = sorted(
        [(phase.start_date, phase.project, phase, None) for phase in phases]
        + [(m.due_date, m.project, None, m) for m in milestones],
        key=lambda row: (row[0], row[1].name),
    )
    return timeline, rows
