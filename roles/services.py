"""Every write to the organization, positions, role descriptions, employees, interviews and
placements. Each runs in a transaction, checks its rules and records history with the user
(simple-history records the request's user, or the one given to core.history.acting_as).

Placement rules (issue 4, seed 001): decided placements never fill a position beyond its FTE; an
employee has at most one decided placement; a declined offer records its date; the status moves
proposed → consulted → decided → accepted or declined."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.history import acting_as
from projects import services as project_services
from projects.models import Membership, Project

from . import access_log
from .models import (
    MAX_ORG_LEVELS,
    Competence,
    Employee,
    MappingInterview,
    OrgUnit,
    PersonalDataAccess,
    Placement,
    Position,
    RoleDescription,
    Wish,
    unit_levels,
)

Status = Placement.Status

# Where a placement may go from each status. A decision can be taken back to "consulted" (a
# mistake, or a new consultation), an answer cannot: a new offer is a new placement.
NEXT_STATUSES: dict[str, set[str]] = {
    Status.PROPOSED: {Status.CONSULTED, Status.DECIDED},
    Status.CONSULTED: {Status.PROPOSED, Status.DECIDED},
    Status.DECIDED: {Status.CONSULTED, Status.ACCEPTED, Status.DECLINED},
    Status.ACCEPTED: set(),
    Status.DECLINED: set(),
}


def _lock(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


def _belongs(project: Project, **objects: OrgUnit | Position | None) -> None:
    errors = {
        name: _("Dette hører ikke til prosjektet.")
        for name, obj in objects.items()
        if obj is not None and obj.project_id != project.pk
    }
    if errors:
        raise ValidationError(errors)


# --- The organization ---------------------------------------------------------------------------


@transaction.atomic
def save_unit(*, unit: OrgUnit, by: User, successors: Iterable[OrgUnit] | None = None) -> OrgUnit:
    """A unit of the current or the future organization. Its parent must be in the same
    organization of the same project and not below it; `successors` (future units) only for a
    current unit."""
    project = _lock(unit.project)
    if unit.parent is not None:
        if unit.parent.project_id != project.pk or unit.parent.structure != unit.structure:
            raise ValidationError({"parent": _("Velg en enhet i samme organisasjon.")})
        _check_place(unit)
    unit.full_clean()
    if successors is not None:
        successors = list(successors)
        if unit.structure != OrgUnit.Structure.CURRENT and successors:
            raise ValidationError(
                {"successors": _("Bare nåværende enheter kan videreføres i fremtidige enheter.")}
            )
        if any(
            s.project_id != project.pk or s.structure != OrgUnit.Structure.FUTURE
            for s in successors
        ):
            raise ValidationError({"successors": _("Velg fremtidige enheter i dette prosjektet.")})
    with acting_as(by):
        unit.save()
        if successors is not None:
            unit.successors.set(successors)
    return unit


def _check_place(unit: OrgUnit) -> None:
    """The unit under its (new) parent: not under itself, and it and the units under it at most
    MAX_ORG_LEVELS down. One query for the whole organization, whatever its depth."""
    parents = dict(
        OrgUnit.objects.filter(project=unit.project_id, structure=unit.structure).values_list(
            "pk", "parent_id"
        )
    )
    parents.pop(unit.pk, None)
    levels = unit_levels(parents)
    ancestor, seen = unit.parent_id, set()
    while ancestor is not None and ancestor not in seen:
        if ancestor == unit.pk:
            raise ValidationError({"parent": _("En enhet kan ikke ligge under seg selv.")})
        seen.add(ancestor)
        ancestor = parents.get(ancestor)
    # The levels the unit takes with it: its own and those of the units under it.
    children: dict = defaultdict(list)
    for child, parent in parents.items():
        children[parent].append(child)
    height, below = 1, children[unit.pk] if unit.pk else []
    while below and height <= MAX_ORG_LEVELS:
        height += 1
        below = [grandchild for child in below for grandchild in children[child]]
    if levels.get(unit.parent_id, 0) + height > MAX_ORG_LEVELS:
        raise ValidationError(
            {
                "parent": _("En organisasjon kan ha høyst %(max)s nivåer under hverandre.")
                % {"max": MAX_ORG_LEVELS}
            }
        )


@transaction.atomic
def delete_unit(*, unit: OrgUnit, by: User) -> None:
    _lock(unit.project)
    if unit.children.exists():
        raise ValidationError(_("Enheten har underenheter. Flytt eller slett dem først."))
    if unit.structure == OrgUnit.Structure.FUTURE and unit.positions.exists():
        raise ValidationError(_("Enheten har stillinger. Flytt eller slett dem først."))
    with acting_as(by):
        unit.delete()


# --- Positions and role descriptions -------------------------------------------------------------


@transaction.atomic
def save_position(*, position: Position, by: User) -> Position:
    project = _lock(position.project)
    _belongs(project, unit=position.unit, reports_to=position.reports_to)
    if position.unit.structure != OrgUnit.Structure.FUTURE:
        raise ValidationError({"unit": _("Stillinger hører til den fremtidige organisasjonen.")})
    if position.pk and position.reports_to_id == position.pk:
        raise ValidationError({"reports_to": _("En stilling kan ikke rapportere til seg selv.")})
    if position.pk:
        filled = _filled_fte(position)
        if filled > position.fte:
            raise ValidationError(
                {
                    "fte": _(
                        "Besluttede innplasseringer fyller allerede %(filled)s %%. "
                        "Stillingsprosenten kan ikke bli lavere."
                    )
                    % {"filled": _number(filled)}
                }
            )
    position.full_clean()
    with acting_as(by):
        position.save()
    return position


@transaction.atomic
def delete_position(*, position: Position, by: User) -> None:
    _lock(position.project)
    if position.placements.exists():
        raise ValidationError(_("Stillingen har innplasseringer og kan ikke slettes."))
    with acting_as(by):
        position.delete()


@transaction.atomic
def save_role_description(
    *, description: RoleDescription, competences: list[dict] | None = None, by: User
) -> RoleDescription:
    """Save a role description as its next version. `competences` (dicts of category, text,
    level), when given, replace its competence profile."""
    _lock(description.position.project)
    if description.pk:
        current = RoleDescription.objects.select_for_update().get(pk=description.pk)
        description.version = current.version + 1
    description.full_clean()
    with acting_as(by):
        description.save()
        if competences is not None:
            description.competences.all().delete()
            for order, item in enumerate(competences, start=1):
                competence = Competence(role_description=description, order=order, **item)
                competence.full_clean()
                competence.save()
    return description


# --- Employees, interviews, placements -----------------------------------------------------------


@transaction.atomic
def save_employee(*, employee: Employee, by: User) -> Employee:
    project = _lock(employee.project)
    _belongs(project, current_unit=employee.current_unit)
    if employee.current_unit and employee.current_unit.structure != OrgUnit.Structure.CURRENT:
        raise ValidationError({"current_unit": _("Velg en enhet i den nåværende organisasjonen.")})
    employee.full_clean()
    with acting_as(by):
        employee.save()
    return employee


@transaction.atomic
def save_interview(
    *, interview: MappingInterview, wishes: list[Position], by: User
) -> MappingInterview:
    """A mapping interview and the employee's wishes, in order of priority."""
    project = _lock(interview.employee.project)
    if len(set(wishes)) != len(wishes):
        raise ValidationError({"wishes": _("Samme stilling er ønsket to ganger.")})
    for position in wishes:
        _belongs(project, wishes=position)
    interview.full_clean()
    with acting_as(by):
        interview.save()
        interview.wishes.all().delete()
        for priority, position in enumerate(wishes, start=1):
            Wish.objects.create(interview=interview, position=position, priority=priority)
    return interview


def _filled_fte(position: Position, *, excluding: Placement | None = None) -> Decimal:
    filled = Placement.objects.filter(position=position, status__in=Placement.FILLING)
    if excluding is not None and excluding.pk:
        filled = filled.exclude(pk=excluding.pk)
    return filled.aggregate(total=Sum("fte"))["total"] or Decimal(0)


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def _check_fills(placement: Placement) -> None:
    """A decided (or accepted) placement must fit in what is left of the position, and be the
    employee's only one."""
    position = Position.objects.select_for_update().get(pk=placement.position_id)
    filled = _filled_fte(position, excluding=placement)
    if filled + placement.fte > position.fte:
        raise ValidationError(
            {
                "position": _(
                    "Stillingen %(position)s har %(fte)s %% og har allerede %(filled)s %% "
                    "besluttet. Det er ikke plass til %(wanted)s %% til."
                )
                % {
                    "position": position.title,
                    "fte": _number(position.fte),
                    "filled": _number(filled),
                    "wanted": _number(placement.fte),
                }
            }
        )
    others = Placement.objects.filter(
        employee_id=placement.employee_id, status__in=Placement.FILLING
    ).exclude(pk=placement.pk)
    if others.exists():
        raise ValidationError(
            {"employee": _("Den ansatte er allerede innplassert i en annen stilling.")}
        )


@transaction.atomic
def save_placement(*, placement: Placement, by: User) -> Placement:
    """Propose (or change) a placement. Its status is changed by set_placement_status."""
    project = _lock(placement.employee.project)
    _belongs(project, position=placement.position)
    if placement.fte is None:
        placement.fte = placement.employee.fte
    if placement.status in Placement.FILLING:
        _check_fills(placement)
    placement.full_clean()
    with acting_as(by):
        placement.save()
    return placement


@transaction.atomic
def set_placement_status(
    *,
    placement: Placement,
    status: str,
    by: User,
    on: dt.date | None = None,
    consulted_in: str = "",
    no_protocol_reason: str = "",
) -> Placement:
    """Move a placement on. "Drøftet" needs `consulted_in`: the meeting and agenda item where
    it was consulted on (consultations.services.mark_placements_consulted). A decision records
    `no_protocol_reason` when that consultation had no approved protocol
    (consultations.services.decide_placement checks it)."""
    _lock(placement.employee.project)
    placement = (
        Placement.objects.select_for_update()
        .select_related("employee", "position")
        .get(pk=placement.pk)
    )
    if status not in NEXT_STATUSES.get(placement.status, set()):
        raise ValidationError(
            {
                "status": _("En innplassering som er «%(from)s», kan ikke bli «%(to)s».")
                % {
                    "from": placement.get_status_display(),
                    "to": Status(status).label if status in Status.values else status,
                }
            }
        )
    if status == Status.CONSULTED and not consulted_in.strip():
        raise ValidationError(
            {
                "status": _(
                    "En innplassering blir drøftet i et møte: marker den som drøftet fra saken "
                    "på møtets saksliste."
                )
            }
        )
    day = on or timezone.localdate()
    placement.status = status
    if status in Placement.FILLING:
        _check_fills(placement)
    if status == Status.CONSULTED:
        placement.consulted_in = consulted_in.strip()
    if status == Status.DECIDED:
        placement.decided_on = day
        placement.no_protocol_reason = no_protocol_reason.strip()
    elif status == Status.DECLINED:
        placement.declined_on = day
    elif status in (Status.PROPOSED, Status.CONSULTED):
        placement.decided_on = None
    placement.full_clean()
    with acting_as(by):
        placement.save()
    return placement


def missing_competences(employee: Employee, position: Position) -> list[str]:
    """The required competences of the position's role description that the employee's record
    does not name (compared without regard to case). Uses prefetched data when there is some."""
    description = getattr(position, "role_description", None)
    if description is None:
        return []
    has = {c.casefold() for c in employee.competence_list}
    return [
        c.text
        for c in description.competences.all()
        if c.level == c.Level.REQUIRED and c.text.casefold() not in has
    ]


@transaction.atomic
def grant_insight(
    *,
    membership: Membership,
    grant: bool,
    by: User,
    purpose: str = "",
    until: dt.date | None = None,
) -> Membership:
    """Give a member insight into the project's personal data for a purpose until a day, or take
    it back; the access log records both (its use is logged as any access is)."""
    membership = project_services.set_personal_data_access(
        membership=membership, grant=grant, by=by, purpose=purpose, until=until
    )
    note = (
        _("Innsyn for %(user)s til %(until)s: %(purpose)s")
        % {"user": membership.user, "until": f"{until:%d.%m.%Y}", "purpose": purpose}
        if grant and until
        else _("Innsyn for %(user)s trukket") % {"user": membership.user}
    )
    access_log.log(None, membership.project, PersonalDataAccess.Purpose.INSIGHT, note=note, user=by)
    return membership


def end_expired_insight(today: dt.date) -> int:
    """Grants of insight whose day has passed end by themselves, as withdrawn by whoever gave
    them (or the project's owner)."""
    expired = Membership.objects.filter(
        sees_personal_data=True, insight_until__lt=today
    ).select_related("project", "insight_granted_by", "project__owner")
    for membership in expired:
        grant_insight(
            membership=membership,
            grant=False,
            by=membership.insight_granted_by or membership.project.owner,
        )
    return len(expired)
