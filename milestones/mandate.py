"""The milestones' part of the mandate, as plain data (reports.mandate.mandate_snapshot)."""

from projects.models import Project

from .models import Milestone


def mandate_milestones(project: Project) -> dict:
    """The mandate's decision points (section 5.2 in seed 001) and its milestone table (5.5): a
    decided version keeps them as they were decided. Statuses are not part of the mandate; they
    change as the project goes. One query."""
    rows: dict[str, list[dict]] = {Milestone.Kind.DECISION_POINT: [], Milestone.Kind.MILESTONE: []}
    for milestone in project.milestones.in_plan_order():
        rows[milestone.kind].append(
            {
                "code": milestone.code,
                "title": milestone.title,
                "criterion": milestone.criterion,
                "due_date": milestone.due_date.isoformat(),
                "date": milestone.date_display,
            }
        )
    return {
        "decision_points": rows[Milestone.Kind.DECISION_POINT],
        "milestones": rows[Milestone.Kind.MILESTONE],
    }
