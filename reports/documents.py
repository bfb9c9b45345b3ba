"""What goes into the mandate document (rendered by projects.documents.render_pdf)."""

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.history import acting_as
from projects.documents import render_pdf
from projects.models import MandateVersion


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
