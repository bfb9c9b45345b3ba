"""Reuse (issue 16): the milestone table's part of a project's copy or template.

`milestones_snapshot` reads the milestones and decision points (with what they depend on) and the
activities, dates as days from the project's start; `build_milestones` writes them into a new
project, dates from its start, tied to the new phases and workstreams. Everything starts again:
planned, not reached, no one responsible, activities not started. The date as written ("Senest
19. august 2013") is left out: it would name the old date."""

import datetime as dt
from typing import Any

from accounts.models import User
from core.history import bulk_create_recorded
from projects.copying import date_at, days_from
from projects.models import Phase, Project, Workstream

from .models import Activity, Milestone


def milestones_snapshot(project: Project) -> dict[str, Any]:
    """The milestone table, JSON-safe. Three queries."""
    start = project.start_date
    milestones = list(Milestone.objects.filter(project=project).in_plan_order())
    code_of = {m.pk: m.code for m in milestones}
    depends: dict[int, list[str]] = {}
    through = Milestone.depends_on.through.objects.filter(from_milestone__project=project)
    for from_id, to_id in through.order_by("pk").values_list(
        "from_milestone_id", "to_milestone_id"
    ):
        if to_id in code_of:
            depends.setdefault(from_id, []).append(code_of[to_id])
    activities = Activity.objects.filter(project=project).order_by(
        "due_date", "pk"
    )  # ordering by nulls-last is the model's; any stable order will do
    return {
        "milestones": [
            {
                "code": m.code,
                "title": m.title,
                "criterion": m.criterion,
                "kind": m.kind,
                "due": days_from(start, m.due_date),
                "phase": m.phase_id,
                "workstream": m.workstream_id,
                "depends_on": depends.get(m.pk, []),
            }
            for m in milestones
        ],
        "activities": [
            {
                "title": a.title,
                "due": days_from(start, a.due_date),
                "milestone": code_of.get(a.milestone_id) if a.milestone_id else None,
                "workstream": a.workstream_id,
            }
            for a in activities
        ],
    }


def build_milestones(
    *,
    project: Project,
    snapshot: dict[str, Any],
    phases: dict[Any, Phase],
    workstreams: dict[Any, Workstream],
    by: User,
    reason: str,
) -> list[Milestone]:
    """Writes the snapshot's milestone table into the new project: a fixed number of queries for
    the milestones, their dependencies, the activities and their history, whatever their
    number."""
    start = project.start_date
    rows = snapshot.get("milestones", [])
    milestones = [
        Milestone(
            project=project,
            code=row["code"],
            title=row["title"],
            criterion=row.get("criterion", ""),
            kind=row.get("kind", Milestone.Kind.MILESTONE),
            due_date=start + dt.timedelta(days=int(row["due"])),
            phase=phases.get(row.get("phase")),
            workstream=workstreams.get(row.get("workstream")),
        )
        for row in rows
    ]
    bulk_create_recorded(milestones, Milestone, by, reason)
    by_code = {m.code: m for m in milestones}
    Through = Milestone.depends_on.through
    links = Through.objects.bulk_create(
        [
            Through(from_milestone=by_code[row["code"]], to_milestone=by_code[code])
            for row in rows
            for code in row.get("depends_on", [])
            if code in by_code and code != row["code"]
        ]
    )
    _record_dependencies(project, links)
    bulk_create_recorded(
        [
            Activity(
                project=project,
                title=row["title"],
                due_date=date_at(start, row.get("due")),
                milestone=by_code.get(row.get("milestone") or ""),
                workstream=workstreams.get(row.get("workstream")),
            )
            for row in snapshot.get("activities", [])
        ],
        Activity,
        by,
        reason,
    )
    return milestones


def _record_dependencies(project: Project, links: list) -> None:
    """The dependencies in the milestones' creation records, as simple-history keeps a
    many-to-many field (one historical row per link, on the record it belongs to): so the
    copy's history says each milestone was created with what it depends on."""
    if not links:
        return
    historical = Milestone.history.model
    Recorded = historical._meta.get_field("historicalmilestone_depends_on").related_model
    record_of = dict(
        historical.objects.filter(project_id=project.pk).values_list("id", "history_id")
    )
    Recorded.objects.bulk_create(
        [
            Recorded(
                id=link.pk,
                history_id=record_of[link.from_milestone_id],
                from_milestone_id=link.from_milestone_id,
                to_milestone_id=link.to_milestone_id,
            )
            for link in links
        ]
    )
