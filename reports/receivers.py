from django.dispatch import receiver
from django.utils.translation import gettext as _

from projects.signals import changelog_sources_requested, mandate_decided

from .tasks import render_mandate_version_pdf


@receiver(mandate_decided)
def store_decided_mandate_pdf(sender, version, **kwargs):
    render_mandate_version_pdf.delay(version.pk)


@receiver(changelog_sources_requested)
def steering_history(sender, project, **kwargs):
    """The decision requests and status reports to the steering group in the change log."""
    from .models import DecisionRequest, StatusReport

    return [
        (DecisionRequest.history.filter(project_id=project.pk), _("Beslutningssaker")),
        (StatusReport.history.filter(project_id=project.pk), _("Statusrapporter")),
    ]
