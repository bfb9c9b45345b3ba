"""Reuse (issue 16): the role descriptions' part of a project's copy or template.

A role description belongs to a position in a unit of the future organization, so what is reused
is that frame: the future units (their tree), the positions (title, code, FTE, whom they report
to) and their role descriptions with the competence profile, as texts to start from. Never the
current organization (the HR system's), employees, interviews, wishes, placements or the access
log: nothing about a person. The copied role descriptions start again at version 1."""

from decimal import Decimal
from typing import Any

from accounts.models import User
from core.history import bulk_create_recorded
from projects.models import Project

from .models import Competence, OrgUnit, Position, RoleDescription, unit_levels

UNIT_FIELDS = ("kind", "name", "code", "leader_title", "order")
POSITION_FIELDS = ("title", "code", "order")
DESCRIPTION_FIELDS = (
    "position_name",
    "main_goal",
    "main_tasks",
    "education",
    "education_level",
    "certifications",
    "general_requirements",
    "personnel_responsibility",
    "budget_responsibility",
    "professional_responsibility",
    "special_tasks",
    "change_clause",
)
COMPETENCE_FIELDS = ("category", "text", "level", "order")


def roles_snapshot(project: Project) -> dict[str, Any]:
    """The future organization's units and positions with their role descriptions, JSON-safe.
    Three queries."""
    units = list(
        OrgUnit.objects.filter(project=project, structure=OrgUnit.Structure.FUTURE).order_by(
            "order", "name", "pk"
        )
    )
    unit_ids = {u.pk for u in units}
    positions = list(
        Position.objects.filter(project=project, unit_id__in=unit_ids)
        .select_related("role_description")
        .order_by("unit__order", "unit__name", "order", "title", "pk")
    )
    position_ids = {p.pk for p in positions}
    competences: dict[int, list[dict[str, Any]]] = {}
    for c in Competence.objects.filter(role_description__position__in=position_ids).order_by(
        "category", "order", "pk"
    ):
        competences.setdefault(c.role_description_id, []).append(
            {name: getattr(c, name) for name in COMPETENCE_FIELDS}
        )

    def description(position: Position) -> dict[str, Any] | None:
        rd = getattr(position, "role_description", None)
        if rd is None:
            return None
        return {
            **{name: getattr(rd, name) for name in DESCRIPTION_FIELDS},
            "competences": competences.get(rd.pk, []),
        }

    return {
        "units": [
            {
                "key": u.pk,
                "parent": u.parent_id if u.parent_id in unit_ids else None,
                **{name: getattr(u, name) for name in UNIT_FIELDS},
            }
            for u in units
        ],
        "positions": [
            {
                "key": p.pk,
                "unit": p.unit_id,
                "fte": str(p.fte),
                "reports_to": p.reports_to_id if p.reports_to_id in position_ids else None,
                "role_description": description(p),
                **{name: getattr(p, name) for name in POSITION_FIELDS},
            }
            for p in positions
        ],
    }


def _by_level(rows: list[dict[str, Any]], parent_key: str) -> list[list[dict[str, Any]]]:
    """Rows grouped by their depth in the tree (the top first), so that each level is created
    after the one it points to: at most MAX_ORG_LEVELS inserts, never one per row."""
    levels = unit_levels({row["key"]: row.get(parent_key) for row in rows})
    grouped: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(levels[row["key"]], []).append(row)
    return [grouped[level] for level in sorted(grouped)]


def build_roles(*, project: Project, snapshot: dict[str, Any], by: User, reason: str) -> None:
    """Writes the snapshot's future organization, positions and role descriptions into the new
    project. Queries grow with the depth of the trees, not with the number of rows."""
    unit_rows = snapshot.get("units", [])
    units: dict[Any, OrgUnit] = {}
    for level in _by_level(unit_rows, "parent"):
        made = [
            OrgUnit(
                project=project,
                structure=OrgUnit.Structure.FUTURE,
                parent=units.get(row.get("parent")),
                **{name: row[name] for name in UNIT_FIELDS if name in row},
            )
            for row in level
        ]
        bulk_create_recorded(made, OrgUnit, by, reason)
        units.update({row["key"]: unit for row, unit in zip(level, made, strict=True)})

    position_rows = [row for row in snapshot.get("positions", []) if row["unit"] in units]
    positions: dict[Any, Position] = {}
    for level in _by_level(position_rows, "reports_to"):
        made_positions = [
            Position(
                project=project,
                unit=units[row["unit"]],
                fte=Decimal(row.get("fte", "100")),
                reports_to=positions.get(row.get("reports_to")),
                **{name: row[name] for name in POSITION_FIELDS if name in row},
            )
            for row in level
        ]
        bulk_create_recorded(made_positions, Position, by, reason)
        positions.update(
            {row["key"]: position for row, position in zip(level, made_positions, strict=True)}
        )

    described = [
        (positions[row["key"]], row["role_description"])
        for row in position_rows
        if row.get("role_description")
    ]
    descriptions = [
        RoleDescription(
            position=position,
            **{name: data[name] for name in DESCRIPTION_FIELDS if name in data},
        )
        for position, data in described
    ]
    bulk_create_recorded(descriptions, RoleDescription, by, reason)
    bulk_create_recorded(
        [
            Competence(
                role_description=rd,
                **{name: item[name] for name in COMPETENCE_FIELDS if name in item},
            )
            for rd, (_position, data) in zip(descriptions, described, strict=True)
            for item in data.get("competences", [])
        ],
        Competence,
        by,
        reason,
    )
