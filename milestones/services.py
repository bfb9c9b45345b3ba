"""Every write to milestones and activities. Each runs in a transaction, checks its rules and
leaves history with the user who made it (simple-history records the request's user, or the one
given to core.history.acting_as)."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from core.history import acting_as
from projects.models import Phase, Project, Workstream

from .importing import normalise_code, parse_milestone_table
from .models import Activity, Milestone, today

# Stored in Bokmål, translated when the change log shows it.
IMPORTED = gettext_noop("Milepæler importert fra tabell")


def _lock(project: Project) -> Project:
    """One write to a project's milestones at a time, so that two saves cannot both pass the
    unique-number check, and a dependency loop cannot be made by two edits at once."""
    return Project.objects.select_for_update().get(pk=project.pk)


def _check_belongs(
    project: Project,
    *,
    phase: Phase | None = None,
    workstream: Workstream | None = None,
    milestone: Milestone | None = None,
) -> None:
    errors: dict[str, str] = {}
    if phase is not None and phase.project_id != project.pk:
        errors["phase"] = _("Fasen hører ikke til dette prosjektet.")
    if workstream is not None and workstream.project_id != project.pk:
        errors["workstream"] = _("Arbeidsstrømmen hører ikke til dette prosjektet.")
    if milestone is not None and milestone.project_id != project.pk:
        errors["milestone"] = _("Milepælen hører ikke til dette prosjektet.")
    if errors:
        raise ValidationError(errors)


# --- Milestones ---------------------------------------------------------------------------------


@transaction.atomic
def save_milestone(
    *, milestone: Milestone, by: User, depends_on: Iterable[Milestone] | None = None
) -> Milestone:
    """Create or change a milestone. `depends_on` (milestones of the same project) replaces its
    dependencies when given. A number used twice, another project's phase or milestone, or a
    dependency loop is refused with a message; nothing is saved."""
    project = _lock(milestone.project)
    _check_belongs(project, phase=milestone.phase, workstream=milestone.workstream)
    if not milestone.is_reached:
        milestone.reached_on = None
    elif milestone.reached_on is None:
        milestone.reached_on = today()
    milestone.code = normalise_code(milestone.code)
    milestone.full_clean()
    if depends_on is not None:
        depends_on = list(depends_on)
        _check_dependencies(project, milestone, depends_on)
    with acting_as(by):
        milestone.save()
        if depends_on is not None:
            milestone.depends_on.set(depends_on)
    return milestone


def _check_dependencies(
    project: Project, milestone: Milestone, depends_on: list[Milestone]
) -> None:
    if any(other.project_id != project.pk for other in depends_on):
        raise ValidationError(
            {"depends_on": _("En milepæl kan bare avhenge av milepæler i samme prosjekt.")}
        )
    if milestone.pk and any(other.pk == milestone.pk for other in depends_on):
        raise ValidationError({"depends_on": _("En milepæl kan ikke avhenge av seg selv.")})
    if milestone.pk is None:
        return  # a new milestone has no dependents yet: it cannot close a loop
    # Edges of the project as they will be after this save: does any new dependency lead back?
    edges: dict[int, set[int]] = {}
    through = Milestone.depends_on.through.objects.filter(from_milestone__project=project)
    for source, target in through.values_list("from_milestone_id", "to_milestone_id"):
        edges.setdefault(source, set()).add(target)
    edges[milestone.pk] = {other.pk for other in depends_on}
    path = _path(edges, start=milestone.pk)
    if path:
        codes = dict(Milestone.objects.filter(pk__in=path).values_list("pk", "code"))
        loop = " → ".join(codes[pk] for pk in path)
        raise ValidationError(
            {"depends_on": _("Avhengighetene går i ring: %(loop)s.") % {"loop": loop}}
        )


def _path(edges: dict[int, set[int]], start: int) -> list[int]:
    """The milestones of a dependency loop through `start` (start … start), or [] if none."""
    stack = [(start, [start])]
    seen = set()
    while stack:
        node, path = stack.pop()
        for target in edges.get(node, ()):
            if target == start:
                return [*path, start]
            if target not in seen:
                seen.add(target)
                stack.append((target, [*path, target]))
    return []


def dependency_warnings(milestone: Milestone) -> list[str]:
    """A milestone dated before one it depends on is allowed, but worth a warning. Uses the
    prefetched `depends_on` when the caller has prefetched it."""
    return [
        _("%(code)s er datert før %(other)s, som den avhenger av (%(date)s).")
        % {"code": milestone.code, "other": other.code, "date": other.due_date.strftime("%d.%m.%Y")}
        for other in milestone.depends_on.all()
        if other.due_date > milestone.due_date
    ]


@transaction.atomic
def set_milestone_status(
    *,
    milestone: Milestone,
    status: str,
    by: User,
    reached_on: dt.date | None = None,
    note: str | None = None,
) -> Milestone:
    """Status changes by those who follow up the plan. Reached gets a date (today unless given);
    any other status clears it."""
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if status not in Milestone.Status.values:
        raise ValidationError({"status": _("Ukjent status.")})
    milestone.status = status
    if status == Milestone.Status.REACHED:
        milestone.reached_on = reached_on or milestone.reached_on or today()
        if reached_on and reached_on > today():
            raise ValidationError({"reached_on": _("Datoen kan ikke være fram i tid.")})
    else:
        milestone.reached_on = None
    if note is not None:
        milestone.reached_note = note
    milestone.full_clean()
    with acting_as(by):
        milestone.save()
    return milestone


@transaction.atomic
def delete_milestone(*, milestone: Milestone, by: User) -> None:
    with acting_as(by):
        milestone.delete()


@transaction.atomic
def import_milestones(*, project: Project, text: str, by: User) -> list[Milestone]:
    """Create the milestones of a pasted table. All or nothing: one invalid row, and none is
    saved (the preview shows why)."""
    project = _lock(project)
    existing = project.milestones.values_list("code", flat=True)
    try:
        rows = parse_milestone_table(text, existing_codes=existing)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    if not rows:
        raise ValidationError(_("Fant ingen rader i teksten."))
    invalid = [row for row in rows if not row.is_valid]
    if invalid:
        raise ValidationError(
            _("%(n)s av %(total)s rader har feil. Ingenting er importert.")
            % {"n": len(invalid), "total": len(rows)}
        )
    created = []
    with acting_as(by):
        for row in rows:
            assert row.due_date is not None  # a valid row has its date
            milestone = Milestone(
                project=project,
                code=row.code,
                title=row.title,
                criterion=row.criterion,
                due_date=row.due_date,
                date_text=row.date_text,
            )
            milestone.full_clean()
            milestone._change_reason = IMPORTED
            milestone.save()
            created.append(milestone)
    return created


# --- Activities ---------------------------------------------------------------------------------


@transaction.atomic
def save_activity(*, activity: Activity, by: User) -> Activity:
    project = _lock(activity.project)
    _check_belongs(project, workstream=activity.workstream, milestone=activity.milestone)
    if activity.milestone and activity.workstream is None:
        # An activity towards a workstream's milestone belongs to that workstream.
        activity.workstream = activity.milestone.workstream
    _sync_done_on(activity)
    activity.full_clean()
    with acting_as(by):
        activity.save()
    return activity


def _sync_done_on(activity: Activity) -> None:
    if activity.status != Activity.Status.DONE:
        activity.done_on = None
    elif activity.done_on is None:
        activity.done_on = today()


@transaction.atomic
def set_activity_status(*, activity: Activity, status: str, by: User) -> Activity:
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if status not in Activity.Status.values:
        raise ValidationError({"status": _("Ukjent status.")})
    activity.status = status
    _sync_done_on(activity)
    with acting_as(by):
        activity.save()
    return activity


@transaction.atomic
def delete_activity(*, activity: Activity, by: User) -> None:
    with acting_as(by):
        activity.delete()
