from django.dispatch import receiver
from django.utils.translation import gettext as _

from projects.signals import changelog_sources_requested, mandate_snapshot_requested

from .models import Activity, Milestone


@receiver(mandate_snapshot_requested)
def mandate_milestones(sender, project, **kwargs):
    """The mandate's decision points (section 5.2 in seed 001) and its milestone table (5.5), as
    plain data: a decided version keeps them as they were decided. Statuses are not part of the
    mandate; they change as the project goes."""
    rows = {Milestone.Kind.DECISION_POINT: [], Milestone.Kind.MILESTONE: []}
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


@receiver(changelog_sources_requested)
def milestone_history(sender, project, **kwargs):
    """Milestones and activities in the project's change log."""
    return [
        (Milestone.history.filter(project_id=project.pk), _("Milepæler")),
        (Activity.history.filter(project_id=project.pk), _("Aktiviteter")),
    ]
