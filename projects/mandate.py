"""The mandate as plain data: what the project itself keeps of it. A decided version freezes it
(with the milestones' part) through reports.mandate.mandate_snapshot."""

from .models import BENEFIT_FIELDS, Goal, Project


def mandate_sections(project: Project) -> dict:
    """What the project's own part of the mandate says now (seed 001's sections, phases and
    workstreams with their options), as plain data. reports.mandate adds the milestone table."""
    goals = list(project.goals.order_by("kind", "order"))
    workstreams = project.workstreams.select_related("lead").prefetch_related("options")
    return {
        "organisation": project.organisation.name,
        "name": project.name,
        "code": project.code,
        "owner": str(project.owner),
        "owner_title": project.owner_title,
        "leader": str(project.leader),
        "start_date": project.start_date.isoformat(),
        "last_delivery_date": project.last_delivery_date.isoformat()
        if project.last_delivery_date
        else None,
        "report_interval_days": project.report_interval_days,
        "background": project.background,
        "purpose": project.purpose,
        "result_goals": [g.text for g in goals if g.kind == Goal.Kind.RESULT],
        "effect_goals": [g.text for g in goals if g.kind == Goal.Kind.EFFECT],
        "benefits": [
            {f: getattr(b, f) for f in BENEFIT_FIELDS} for b in project.benefits.order_by("order")
        ],
        "constraints": project.constraints,
        "obligations": project.obligations,
        "quality_requirements": project.quality_requirements,
        "phases": [
            {
                "name": p.name,
                "goal": p.goal,
                "start_date": p.start_date.isoformat() if p.start_date else None,
                "end_date": p.end_date.isoformat() if p.end_date else None,
            }
            for p in project.phases.all()
        ],
        "workstreams": [
            {
                "name": w.name,
                "units": w.units,
                "lead": str(w.lead) if w.lead else "",
                "status": w.get_status_display(),
                "options": [
                    {"title": o.title, "description": o.description, "zero": o.is_zero_alternative}
                    for o in w.options.all()
                ],
            }
            for w in workstreams
        ],
    }


def section_context(project: Project) -> dict:
    """What the mandate's sections (templates/projects/_section.html) show besides the project."""
    goals = list(project.goals.all())
    return {
        "project": project,
        "result_goals": [g for g in goals if g.kind == Goal.Kind.RESULT],
        "effect_goals": [g for g in goals if g.kind == Goal.Kind.EFFECT],
        "benefits": list(project.benefits.all()),
    }
