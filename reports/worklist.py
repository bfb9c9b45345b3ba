""" "Mine oppgaver": what waits for one person, across every project they can see, each item
linking to where they act. One query per kind of task, whatever the number of projects; the
count in the main menu is one query in all."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from consultations.models import Confirmation, Meeting, Participant, Protocol, Question
from milestones.models import Activity, Milestone
from notifications.models import OutgoingMail
from projects.models import Benefit, MandateSubmission, Membership, Phase, Project
from projects.permissions import (
    CHANGE_MANDATE,
    DECIDE_GATE,
    DECIDE_MANDATE,
)
from roles.models import Placement

from .models import DecisionRequest, StatusReport

DUE_WITHIN = dt.timedelta(days=7)
MEETINGS_WITHIN = dt.timedelta(days=14)


@dataclass(frozen=True)
class Task:
    kind: str  # the group it is listed under (GROUPS)
    project: Project | None
    title: str
    url: str
    due: dt.date | None = None
    overdue: bool = False
    note: str = ""
    mail: OutgoingMail | None = None  # a mail that did not arrive, to send again


# The groups of the page, in the order a person acts on them: decisions first.
GROUPS = {
    "decide": _("Til beslutning"),
    "confirm": _("Protokoller å bekrefte"),
    "report": _("Statusrapporter å fullføre"),
    "mandate": _("Mandatet"),
    "protocol": _("Protokoller å rette"),
    "due": _("Milepæler og aktiviteter som forfaller"),
    "answer": _("Spørsmål å besvare"),
    "placements": _("Innplasseringer"),
    "meetings": _("Møter du er innkalt til"),
    "benefits": _("Gevinster å måle"),
    "mail": _("E-post som ikke kom fram"),
}


def projects_where(user: User, perm: str) -> QuerySet:
    """The ids of the projects the user can see and holds `perm` in, as a subquery."""
    return (
        Project.objects.visible_to(user)
        .filter(
            pk__in=Project.objects.filter(
                projectuserobjectpermission__user=user,
                projectuserobjectpermission__permission__codename=perm,
            )
        )
        .values("pk")
    )


def _visible(user: User) -> QuerySet:
    return Project.objects.visible_to(user).values("pk")


def projects_as(user: User, *roles: str) -> QuerySet:
    """The ids of the projects the user can see and holds one of these roles in: the work that
    is theirs to do, not everything their rights would let them (an owner may edit a report,
    but completing it is the leader's task)."""
    return (
        Project.objects.visible_to(user)
        .filter(pk__in=Membership.objects.filter(user=user, role__in=roles).values("project_id"))
        .values("pk")
    )


# --- Each kind of task: a queryset, so that the page lists them and the menu counts them ---------


def mandates_to_decide(user: User) -> QuerySet:
    return Project.objects.filter(
        pk__in=projects_where(user, DECIDE_MANDATE), mandate_state=Project.MandateState.SUBMITTED
    )


def gates_to_decide(user: User) -> QuerySet:
    """Phases whose gate the leader has submitted, in the projects the user decides them in."""
    return Phase.objects.filter(
        project__in=projects_where(user, DECIDE_GATE), state=Phase.State.AT_GATE
    )


def mandates_sent_back(user: User) -> QuerySet:
    """Projects whose mandate the owner sent back, not sent again since."""
    later = MandateSubmission.objects.filter(
        project=OuterRef("project"), sent_at__gt=OuterRef("sent_at")
    )
    return MandateSubmission.objects.filter(
        project__in=projects_where(user, CHANGE_MANDATE),
        outcome=MandateSubmission.Outcome.RETURNED,
        project__mandate_state=Project.MandateState.DRAFT,
    ).filter(~Exists(later))


def decision_requests(user: User) -> QuerySet:
    """Pending requests to the steering group the user sits in (or chairs, as owner)."""
    steering = Membership.objects.filter(
        user=user, role__in=[Membership.Role.STEERING, Membership.Role.OWNER]
    ).values("project_id")
    return DecisionRequest.objects.filter(
        project__in=_visible(user),
        project_id__in=steering,
        outcome=DecisionRequest.Outcome.PENDING,
    ).put_forward()


def protocols_to_confirm(user: User) -> QuerySet:
    """Protocols out for approval where the user was present and their side has not confirmed."""
    present = Participant.objects.filter(user=user, present=True)
    my_side = present.filter(meeting=OuterRef(OuterRef("meeting"))).values("side")[:1]
    side_confirmed = Confirmation.objects.filter(protocol=OuterRef("pk"), side=Subquery(my_side))
    return Protocol.objects.filter(
        meeting__project__in=_visible(user), status=Protocol.Status.SENT
    ).filter(Exists(present.filter(meeting=OuterRef("meeting"))), ~Exists(side_confirmed))


def protocols_to_correct(user: User) -> QuerySet:
    return Protocol.objects.filter(
        meeting__project__in=projects_as(user, Membership.Role.LEADER),
        status=Protocol.Status.DRAFT,
        correction_requested_at__isnull=False,
    )


def report_drafts(user: User) -> QuerySet:
    return StatusReport.objects.filter(
        project__in=projects_as(user, Membership.Role.LEADER), state=StatusReport.State.DRAFT
    )


def milestones_due(user: User, today: dt.date) -> QuerySet:
    return Milestone.objects.open().filter(
        project__in=_visible(user), responsible=user, due_date__lte=today + DUE_WITHIN
    )


def activities_due(user: User, today: dt.date) -> QuerySet:
    return Activity.objects.open().filter(
        project__in=_visible(user), owner=user, due_date__lte=today + DUE_WITHIN
    )


def questions_to_answer(user: User) -> QuerySet:
    return Question.objects.filter(
        project__in=projects_as(user, Membership.Role.LEADER), answered_at__isnull=True
    )


PLACEMENT_STEPS = (Placement.Status.PROPOSED, Placement.Status.CONSULTED)


def placements_waiting(user: User) -> QuerySet:
    """Per project, the placements waiting to be consulted on and to be decided: counts only,
    for HR (and the leader)."""
    return (
        Project.objects.filter(pk__in=projects_as(user, Membership.Role.HR, Membership.Role.LEADER))
        .annotate(
            proposed=Count(
                "employees__placements",
                filter=Q(employees__placements__status=Placement.Status.PROPOSED),
            ),
            consulted=Count(
                "employees__placements",
                filter=Q(employees__placements__status=Placement.Status.CONSULTED),
            ),
        )
        .filter(Q(proposed__gt=0) | Q(consulted__gt=0))
    )


def meetings_ahead(user: User, now: dt.datetime) -> QuerySet:
    return Meeting.objects.filter(
        project__in=_visible(user),
        participants__user=user,
        status=Meeting.Status.PLANNED,
        called_at__isnull=False,
        starts_at__gte=now,
        starts_at__lte=now + MEETINGS_WITHIN,
    )


def benefits_to_measure(user: User, today: dt.date) -> QuerySet:
    """Benefits the user owns whose planned measurement is due within a week or overdue, in the
    projects of their organisations: a member of the project or not, open or closed."""
    return Benefit.objects.visible_to(user).filter(
        owner_user=user, next_measurement_on__lte=today + DUE_WITHIN
    )


def mail_not_arrived(user: User) -> QuerySet:
    return OutgoingMail.objects.failed_for(user)


# --- The page and the count ----------------------------------------------------------------------


def tasks(user: User) -> list[Task]:
    """Everything that waits for the user, grouped (GROUPS) and in date order within a group."""
    today, now = timezone.localdate(), timezone.now()
    items: list[Task] = []
    for project in mandates_to_decide(user):
        items.append(
            Task(
                "decide",
                project,
                str(_("Mandatet venter på beslutningen din")),
                _url("reports:mandate", project.pk),
            )
        )
    for phase in gates_to_decide(user).select_related("project").order_by("project__name", "order"):
        items.append(
            Task(
                "decide",
                phase.project,
                str(_("Faseovergang å beslutte: %(phase)s") % {"phase": phase.name}),
                _url("reports:phase_gate", phase.project_id, phase.pk),
            )
        )
    for request in (
        decision_requests(user)
        .select_related("project")
        .order_by(F("deadline").asc(nulls_last=True), "pk")
    ):
        items.append(
            Task(
                "decide",
                request.project,
                request.title,
                _url("reports:decisions", request.project_id),
                due=request.deadline,
                overdue=bool(request.deadline and request.deadline < today),
                note=str(_("Beslutningssak til styringsgruppen")),
            )
        )
    for protocol in protocols_to_confirm(user).select_related("meeting", "meeting__project"):
        meeting = protocol.meeting
        items.append(
            Task(
                "confirm",
                meeting.project,
                meeting.title,
                _url("consultations:protocol", meeting.project_id, meeting.pk),
                note=str(_("Les protokollen og bekreft den, eller be om retting.")),
            )
        )
    for report in report_drafts(user).select_related("project").order_by("period_end", "pk"):
        period = report.period
        items.append(
            Task(
                "report",
                report.project,
                str(_("Statusrapport %(n)s") % {"n": report.number}),
                _url("reports:report", report.project_id, report.number),
                due=period.deadline,
                overdue=period.is_late(today),
            )
        )
    for submission in mandates_sent_back(user).select_related("project"):
        items.append(
            Task(
                "mandate",
                submission.project,
                str(_("Mandatet er sendt tilbake fra prosjekteieren")),
                _url("reports:mandate", submission.project_id),
                note=submission.comment,
            )
        )
    for protocol in protocols_to_correct(user).select_related("meeting", "meeting__project"):
        meeting = protocol.meeting
        items.append(
            Task(
                "protocol",
                meeting.project,
                meeting.title,
                _url("consultations:protocol", meeting.project_id, meeting.pk),
                note=protocol.correction_comment,
            )
        )
    due = [
        *milestones_due(user, today).select_related("project"),
        *activities_due(user, today).select_related("project"),
    ]
    for item in sorted(due, key=lambda i: (i.due_date, i.pk)):
        is_milestone = isinstance(item, Milestone)
        items.append(
            Task(
                "due",
                item.project,
                f"{item.code} {item.title}" if is_milestone else item.title,
                _url(
                    "milestones:list" if is_milestone else "milestones:activities", item.project_id
                ),
                due=item.due_date,
                overdue=item.due_date < today,
                note=str(_("Milepæl") if is_milestone else _("Aktivitet")),
            )
        )
    for question in questions_to_answer(user).select_related("project").order_by("asked_on", "pk"):
        items.append(
            Task(
                "answer",
                question.project,
                question.text[:120],
                _url("consultations:questions", question.project_id),
                due=question.asked_on,
            )
        )
    for project in placements_waiting(user):
        items.append(
            Task(
                "placements",
                project,
                str(
                    _("%(proposed)s venter på drøfting, %(consulted)s på beslutning")
                    % {"proposed": project.proposed, "consulted": project.consulted}
                ),
                _url("roles:placements", project.pk),
            )
        )
    for meeting in meetings_ahead(user, now).select_related("project").order_by("starts_at"):
        items.append(
            Task(
                "meetings",
                meeting.project,
                meeting.title,
                _url("consultations:meeting", meeting.project_id, meeting.pk),
                due=timezone.localtime(meeting.starts_at).date(),
                note=meeting.get_kind_display(),
            )
        )
    for benefit in (
        benefits_to_measure(user, today)
        .select_related("project")
        .order_by("next_measurement_on", "pk")
    ):
        assert benefit.next_measurement_on is not None  # benefits_to_measure: one is planned
        items.append(
            Task(
                "benefits",
                benefit.project,
                benefit.title,
                _url("projects:benefit", benefit.pk),
                due=benefit.next_measurement_on,
                overdue=benefit.next_measurement_on < today,
                note=str(_("Gevinstmåling")),
            )
        )
    for mail in mail_not_arrived(user):
        items.append(Task("mail", None, mail.subject, "", note=mail.last_error, mail=mail))
    return items


def _url(name: str, *args) -> str:
    return reverse(name, args=args)


def count(user: User) -> int:
    """How many tasks wait for the user, in one query (the main menu's number)."""
    if not user.is_authenticated:
        return 0
    today, now = timezone.localdate(), timezone.now()
    kinds = {
        "mandates": mandates_to_decide(user),
        "gates": gates_to_decide(user),
        "sent_back": mandates_sent_back(user),
        "requests": decision_requests(user),
        "confirm": protocols_to_confirm(user),
        "correct": protocols_to_correct(user),
        "reports": report_drafts(user),
        "milestones": milestones_due(user, today),
        "activities": activities_due(user, today),
        "questions": questions_to_answer(user),
        "placements": placements_waiting(user),
        "meetings": meetings_ahead(user, now),
        "benefits": benefits_to_measure(user, today),
        "mail": mail_not_arrived(user),
    }
    counted = User.objects.filter(pk=user.pk).annotate(
        **{f"n_{name}": Coalesce(_count_of(queryset), 0) for name, queryset in kinds.items()}
    )
    row = counted.values(*(f"n_{name}" for name in kinds)).get()
    return sum(row.values())


def _count_of(queryset: QuerySet) -> Subquery:
    """COUNT(*) of a queryset, as a subquery of another query."""
    rows = queryset.order_by().values("pk").distinct()
    return Subquery(
        queryset.model.objects.filter(pk__in=rows)
        .order_by()
        .annotate(group=Value(1))
        .values("group")
        .annotate(n=Count("pk"))
        .values("n")
    )
