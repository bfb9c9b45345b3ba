from django.dispatch import receiver

from projects.signals import mandate_decided

from .tasks import render_mandate_version_pdf


@receiver(mandate_decided)
def store_decided_mandate_pdf(sender, version, **kwargs):
    render_mandate_version_pdf.delay(version.pk)
