"""Reuse (issue 16): the projects app's part of a project's copy or template.

`core_snapshot` reads what of a project can be reused into plain JSON data, every date as days
from the project's start; `build_core` writes it into a new project, dates from the new start.
A copy and a start from a template go through the same two steps (composed in reports.reuse), so
that every date moves by the same offset: the new start minus the source's.

What is copied: the mandate's texts, the goals, the benefits (without measurements), the phases,
the workstreams with their solution options (no lead, no members, back "under arbeid"), and the
open risks (title, description, probability, consequence, mitigation; no owner). Never the
members, the mandate's versions or submissions, nor anyone's history: the new rows' history is
their creation, by the user who copies."""

import datetime as dt
from typing import Any

from django.db import models

from accounts.models import User
from core.history import bulk_create_recorded

from .models import (
    Benefit,
    GateCriterion,
    Goal,
    Phase,
    Project,
    Risk,
    SolutionOption,
    Workstream,
)

# The mandate's texts and settings a copy takes as they are.
PROJECT_FIELDS = (
    "owner_title",
    "background",
    "purpose",
    "constraints",
    "obligations",
    "quality_requirements",
    "report_interval_days",
)
GOAL_FIELDS = ("kind", "order", "text")
BENEFIT_FIELDS = (
    "order", "title", "indicator", "baseline", "target", "unit", "owner", "measure_every_months",
)  # fmt: skip
OPTION_FIELDS = ("order", "title", "description", "is_zero_alternative")
RISK_FIELDS = ("title", "description", "probability", "consequence", "mitigation")


def days_from(start: dt.date, day: dt.date | None) -> int | None:
    """A date as days from the project's start (negative before it), or None."""
    return None if day is None else (day - start).days


def date_at(start: dt.date, days: int | None) -> dt.date | None:
    """The date `days` after the new start, or None."""
    return None if days is None else start + dt.timedelta(days=days)


def _values(obj: models.Model, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


def core_snapshot(project: Project) -> dict[str, Any]:
    """The project's reusable data, JSON-safe, dates as days from its start. Six queries."""
    start = project.start_date
    workstreams = list(
        Workstream.objects.filter(project=project)
        .order_by("order", "pk")
        .prefetch_related(
            models.Prefetch("options", SolutionOption.objects.order_by("order", "pk"))
        )
    )
    return {
        "project": {
            **_values(project, PROJECT_FIELDS),
            "last_delivery": days_from(start, project.last_delivery_date),
        },
        "goals": [_values(g, GOAL_FIELDS) for g in Goal.objects.filter(project=project)],
        "benefits": [
            {
                **_values(b, BENEFIT_FIELDS),
                "measure_from": days_from(start, b.measure_from),
                "measure_until": days_from(start, b.measure_until),
            }
            for b in Benefit.objects.filter(project=project)
        ],
        "phases": [
            {
                "key": phase.pk,
                "order": phase.order,
                "name": phase.name,
                "goal": phase.goal,
                "start": days_from(start, phase.start_date),
                "end": days_from(start, phase.end_date),
                # The gate's checklist, without its ticks: the next project ticks its own.
                "criteria": [criterion.text for criterion in phase.criteria.all()],
            }
            for phase in Phase.objects.filter(project=project)
            .order_by("order", "start_date", "pk")
            .prefetch_related(models.Prefetch("criteria", GateCriterion.objects.order_by("order")))
        ],
        "workstreams": [
            {
                "key": ws.pk,
                "order": ws.order,
                "name": ws.name,
                "units": ws.units,
                "options": [_values(option, OPTION_FIELDS) for option in ws.options.all()],
            }
            for ws in workstreams
        ],
        "risks": [
            _values(risk, RISK_FIELDS)
            for risk in Risk.objects.filter(project=project, status=Risk.Status.OPEN).order_by("pk")
        ],
    }


def project_fields(snapshot: dict[str, Any], start: dt.date) -> dict[str, Any]:
    """The new project's own fields from a snapshot: the texts, and its last delivery date moved
    with the start."""
    data = snapshot.get("project", {})
    fields = {name: data[name] for name in PROJECT_FIELDS if name in data}
    fields["last_delivery_date"] = date_at(start, data.get("last_delivery"))
    return fields


def build_core(
    *, project: Project, snapshot: dict[str, Any], by: User, reason: str
) -> tuple[dict[Any, Phase], dict[Any, Workstream]]:
    """Writes the snapshot's goals, benefits, phases, workstreams, options and risks into the new
    project, dates from its start. Returns the new phases and workstreams by the snapshot's keys,
    for the milestones. A fixed number of queries, whatever the number of rows."""
    start = project.start_date
    bulk_create_recorded(
        [Goal(project=project, **_pick(g, GOAL_FIELDS)) for g in snapshot.get("goals", [])],
        Goal,
        by,
        reason,
    )
    bulk_create_recorded(
        [
            Benefit(
                project=project,
                **_pick(b, BENEFIT_FIELDS),
                measure_from=date_at(start, b.get("measure_from")),
                measure_until=date_at(start, b.get("measure_until")),
            )
            for b in snapshot.get("benefits", [])
        ],
        Benefit,
        by,
        reason,
    )
    phase_rows = snapshot.get("phases", [])
    phases = bulk_create_recorded(
        [
            Phase(
                project=project,
                order=row.get("order", i),
                name=row["name"],
                goal=row.get("goal", ""),
                start_date=date_at(start, row.get("start")),
                end_date=date_at(start, row.get("end")),
            )
            for i, row in enumerate(phase_rows, start=1)
        ],
        Phase,
        by,
        reason,
    )
    bulk_create_recorded(
        [
            GateCriterion(phase=phase, order=order, text=text)
            for phase, row in zip(phases, phase_rows, strict=True)
            for order, text in enumerate(row.get("criteria", []), start=1)
        ],
        GateCriterion,
        by,
        reason,
    )
    ws_rows = snapshot.get("workstreams", [])
    workstreams = bulk_create_recorded(
        [
            Workstream(
                project=project,
                order=row.get("order", i),
                name=row["name"],
                units=row.get("units", ""),
            )
            for i, row in enumerate(ws_rows, start=1)
        ],
        Workstream,
        by,
        reason,
    )
    bulk_create_recorded(
        [
            SolutionOption(workstream=ws, **_pick(option, OPTION_FIELDS))
            for ws, row in zip(workstreams, ws_rows, strict=True)
            for option in row.get("options", [])
        ],
        SolutionOption,
        by,
        reason,
    )
    bulk_create_recorded(
        [Risk(project=project, **_pick(r, RISK_FIELDS)) for r in snapshot.get("risks", [])],
        Risk,
        by,
        reason,
    )
    return (
        {row["key"]: phase for row, phase in zip(phase_rows, phases, strict=True)},
        {row["key"]: ws for row, ws in zip(ws_rows, workstreams, strict=True)},
    )


def _pick(data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: data[name] for name in fields if name in data}
