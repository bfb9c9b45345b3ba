"""What goes into the documents, and rendering them to PDF with WeasyPrint."""

import datetime as dt

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.history import acting_as
from projects.models import MandateVersion

# Fonts and the print stylesheet are read from the source tree, so that documents look the same
# whether or not collectstatic has run.
STATIC_BASE = f"{settings.BASE_DIR / 'static'}/"


def render_pdf(template_name: str, context: dict) -> bytes:
    from weasyprint import HTML  # imported here: it costs most of a second at start-up

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template_name, context)
    return HTML(string=html, base_url=STATIC_BASE).write_pdf()


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def mandate_context(snapshot: dict, *, version: MandateVersion | None = None) -> dict:
    """The mandate document from a snapshot (live for a draft, frozen for a decided version)."""
    mandate = dict(snapshot)
    for key in ("start_date", "last_delivery_date"):
        mandate[key] = _date(mandate.get(key))
    mandate["phases"] = [
        {**p, "start_date": _date(p["start_date"]), "end_date": _date(p["end_date"])}
        for p in snapshot.get("phases", [])
    ]
    return {
        "mandate": mandate,
        "draft": version is None,
        "version": version,
        "printed_at": timezone.localtime(),
    }


def render_mandate_pdf(snapshot: dict, *, version: MandateVersion | None = None) -> bytes:
    return render_pdf("reports/pdf/mandate.html", mandate_context(snapshot, version=version))


def mandate_pdf_filename(snapshot: dict, version: MandateVersion | None = None) -> str:
    suffix = f"v{version.number}" if version else "utkast"
    return f"mandat-{snapshot['code'].lower()}-{suffix}.pdf"


@transaction.atomic
def store_mandate_version_pdf(version_id: int) -> MandateVersion:
    """Render a decided version once and keep the file; later calls return the stored one."""
    version = (
        MandateVersion.objects.select_for_update().select_related("decided_by").get(pk=version_id)
    )
    if version.pdf:
        return version
    pdf = render_mandate_pdf(version.snapshot, version=version)
    with acting_as(version.decided_by):
        version.pdf.save(
            mandate_pdf_filename(version.snapshot, version), ContentFile(pdf), save=True
        )
    return version
