"""Personal data from import to deletion (the GDPR's articles 5, 15, 17 and 30): an employee
erased on request, a closed project's personal data erased when its retention ends (with a
warning 30 days before, and one extension with a reason), everything held about one employee
for their access request, and each project's record of processing.

To erase is to anonymise: what identifies the person (name, employee number, current position,
competences, dates, interview notes, wishes, the free text on placements) is removed from the
live rows *and* from their history, so that no table keeps it; the placements stay, as counts
for the staffing plan, and the access log keeps the rows, now naming a pseudonym."""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from core.history import acting_as
from projects.models import Membership, Project
from projects.notices import members_with, notify_members, site_url
from projects.permissions import ROLE_PERMISSIONS, VIEW_PERSONAL_DATA

from . import access_log
from .models import Employee, MappingInterview, PersonalDataAccess, Placement, Wish

# Until a closed project's personal data is erased, and how long before it its keepers are told.
WARNING = dt.timedelta(days=30)


def pseudonym(employee: Employee) -> str:
    """A stable name for an erased employee that tells nothing about them."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{employee.pk}".encode()).hexdigest()
    return f"Anonymisert {digest[:6].upper()}"


# The values that identify a person, as they are after erasure (the same in the history).
def _erased_values(employee: Employee) -> dict:
    return {
        "first_name": _("Anonymisert"),
        "last_name": pseudonym(employee).removeprefix("Anonymisert "),
        "employee_number": f"anonym-{employee.pk}",
        "current_position": "",
        "competences": "",
        "start_date": None,
        "restructuring_conversation_on": None,
    }


@transaction.atomic
def erase_employee(*, employee: Employee, by: User, reason: str = "") -> Employee:
    """Anonymise one employee, here and in every history table: the name, the employee number,
    the current position, competences and dates, the mapping interviews with their notes and
    wishes, and the free text on their placements. The placements stay (the staffing plan counts
    them); the access log keeps its rows, under the pseudonym, and records the erasure."""
    employee = Employee.objects.select_for_update().select_related("project").get(pk=employee.pk)
    if employee.erased_at is not None:
        raise ValidationError(_("Den ansatte er allerede anonymisert."))
    values = _erased_values(employee)
    interviews = MappingInterview.objects.filter(employee=employee)
    interview_ids = list(interviews.values_list("pk", flat=True))
    placements = Placement.objects.filter(employee=employee)
    placement_ids = list(placements.values_list("pk", flat=True))
    free_text = {"note": "", "no_protocol_reason": ""}
    with acting_as(by):
        Wish.objects.filter(interview_id__in=interview_ids).delete()
        interviews.delete()
        placements.update(**free_text)
        for field, value in values.items():
            setattr(employee, field, value)
        employee.erased_at = timezone.now()
        employee._change_reason = gettext_noop("Anonymisert")
        employee.save()
    # The history keeps nothing of it either: the deletions above wrote history rows too.
    Employee.history.filter(id=employee.pk).update(**values)
    MappingInterview.history.filter(id__in=interview_ids).delete()
    Wish.history.filter(interview_id__in=interview_ids).delete()
    Placement.history.filter(id__in=placement_ids).update(**free_text)
    access_log.log(
        None,
        employee.project,
        PersonalDataAccess.Purpose.ERASURE,
        employees=[employee],
        note=reason,
        user=by,
    )
    return employee


# --- Retention ------------------------------------------------------------------------------------


def retention_months() -> int:
    return settings.PERSONAL_DATA_RETENTION_MONTHS


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def erasure_due(project: Project) -> dt.date | None:
    """When a closed project's personal data is erased: a retention period after it closed, or
    when its one extension ends. None while it is open."""
    if project.closed_on is None:
        return None
    if project.retention_extended_until is not None:
        return project.retention_extended_until
    return _add_months(project.closed_on, retention_months())


@transaction.atomic
def extend_retention(*, project: Project, reason: str, by: User) -> Project:
    """Keep a closed project's personal data one retention period longer, once, with a reason."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.closed_on is None:
        raise ValidationError(_("Prosjektet er ikke avsluttet."))
    if project.retention_extended_until is not None:
        raise ValidationError(_("Oppbevaringen er allerede forlenget én gang."))
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Skriv hvorfor personopplysningene må oppbevares lenger.")}
        )
    due = erasure_due(project)
    assert due is not None
    project.retention_extended_until = _add_months(due, retention_months())
    project.retention_extension_reason = reason.strip()
    with acting_as(by):
        project._change_reason = gettext_noop("Oppbevaring av personopplysninger forlenget")
        project.save(update_fields=["retention_extended_until", "retention_extension_reason"])
    return project


def _keepers(project: Project):
    return members_with(project, Membership.Role.OWNER, Membership.Role.HR)


def apply_retention(today: dt.date) -> dict:
    """Daily, from beat: HR and the owner of each closed project are told 30 days before its
    personal data is erased, once; on the day, every employee of it is erased (as the owner)."""
    warned, erased = [], []
    closed = Project.objects.filter(closed_on__isnull=False, personal_data_erased_at__isnull=True)
    for project in closed.select_related("owner"):
        due = erasure_due(project)
        assert due is not None
        if today >= due:
            with transaction.atomic():
                for employee in project.employees.filter(erased_at__isnull=True):
                    erase_employee(
                        employee=employee,
                        by=project.owner,
                        reason=_("Oppbevaringstiden er ute."),
                    )
                Project.objects.filter(pk=project.pk).update(personal_data_erased_at=timezone.now())
            erased.append(project.pk)
        elif today >= due - WARNING:
            notify_members(
                _keepers(project),
                "roles/email/retention_warning",
                {"due": due, "extended": project.retention_extended_until is not None},
                kind="privacy.retention",
                project=project,
                url=site_url("roles:processing", project.pk),
                ref=f"project:{project.pk}",
                key=f"retention:{project.pk}:{due.isoformat()}",
            )
            warned.append(project.pk)
    return {"warned": warned, "erased": erased}


# --- The access request (article 15) ---------------------------------------------------------------


def employee_record(employee: Employee) -> dict:
    """Everything held about one employee, as plain data: the record, the mapping interviews
    with wishes, the placements, the history of the record, and who has looked at it."""
    interviews = employee.interviews.select_related("held_by").prefetch_related("wishes__position")
    placements = employee.placements.select_related("position", "position__unit")
    accesses = employee.accesses.select_related("user").order_by("at")
    return {
        "project": employee.project.name,
        "organisation": employee.project.organisation.name,
        "employee": {
            "first_name": employee.first_name,
            "last_name": employee.last_name,
            "employee_number": employee.employee_number,
            "current_unit": employee.current_unit.name if employee.current_unit else "",
            "current_position": employee.current_position,
            "fte": employee.fte,
            "start_date": employee.start_date,
            "competences": employee.competence_list,
            "restructuring_conversation_on": employee.restructuring_conversation_on,
            "redundant": employee.redundant,
        },
        "interviews": [
            {
                "held_on": i.held_on,
                "held_by": str(i.held_by),
                "notes": i.notes,
                "wishes": [f"{w.priority}. {w.position}" for w in i.wishes.all()],
            }
            for i in interviews
        ],
        "placements": [
            {
                "position": p.position.title,
                "unit": p.position.unit.name,
                "basis": str(p.get_basis_display()),
                "fte": p.fte,
                "status": str(p.get_status_display()),
                "consulted_in": p.consulted_in,
                "decided_on": p.decided_on,
                "declined_on": p.declined_on,
                "note": p.note,
            }
            for p in placements
        ],
        "changes": [
            {
                "at": record.history_date,
                "by": str(record.history_user) if record.history_user else "",
                "what": str(record.get_history_type_display()),
            }
            for record in employee.history.select_related("history_user").order_by("history_date")
        ],
        "seen_by": [
            {"at": a.at, "by": str(a.user), "purpose": str(a.get_purpose_display())}
            for a in accesses
        ],
    }


def employee_record_json(employee: Employee) -> bytes:
    return json.dumps(employee_record(employee), cls=DjangoJSONEncoder, ensure_ascii=False,
                      indent=2).encode()  # fmt: skip


# --- The record of processing (article 30) -------------------------------------------------------


@dataclass(frozen=True)
class Processing:
    counts: list[tuple[str, int]]
    roles: list[str]
    granted: list[Membership]
    due: dt.date | None


def processing(project: Project) -> Processing:
    """What personal data the project holds (counts), who may see it, and when it is erased."""
    employees = project.employees.aggregate(
        total=Count("pk"), erased=Count("pk", filter=Q(erased_at__isnull=False))
    )
    counts = [
        (_("Ansatte"), employees["total"] - employees["erased"]),
        (_("Anonymiserte ansatte"), employees["erased"]),
        (
            _("Kartleggingssamtaler"),
            MappingInterview.objects.filter(employee__project=project).count(),
        ),
        (
            _("Ønsker om stilling"),
            Wish.objects.filter(interview__employee__project=project).count(),
        ),
        (_("Innplasseringer"), Placement.objects.filter(employee__project=project).count()),
        (_("Rader i innsynsloggen"), PersonalDataAccess.objects.filter(project=project).count()),
    ]
    roles = [
        str(label)
        for value, label in Membership.Role.choices
        if VIEW_PERSONAL_DATA in ROLE_PERMISSIONS[value]
    ]
    granted = list(Membership.objects.for_project(project).filter(sees_personal_data=True))
    return Processing(counts=counts, roles=roles, granted=granted, due=erasure_due(project))
