from django.dispatch import receiver
from django.utils.translation import gettext as _

from projects.signals import changelog_sources_requested

from .models import OrgUnit, Position, RoleDescription


@receiver(changelog_sources_requested)
def organisation_history(sender, project, **kwargs):
    """The organization, positions and role descriptions in the project's change log. Employees,
    interviews and placements are personal data and stay out of it: every member reads the log."""
    return [
        (OrgUnit.history.filter(project_id=project.pk), _("Organisasjon")),
        (Position.history.filter(project_id=project.pk), _("Stillinger")),
        (
            RoleDescription.history.filter(
                position_id__in=Position.history.filter(project_id=project.pk).values("id")
            ),
            _("Rollebeskrivelser"),
        ),
    ]
