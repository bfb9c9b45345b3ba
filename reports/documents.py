"""What goes into the mandate and status-report documents (rendered by
core.pdf.render_pdf)."""

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import acting_as
from core.pdf import render_pdf
from projects.models import MandateVersion

from .compile import changes, present
from .models import FinalReport, StatusReport


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
    """A decided version (frozen) as PDF/A-2b; the draft as a plain PDF."""
    return render_pdf(
        "reports/pdf/mandate.html",
        mandate_context(snapshot, version=version),
        archival=version is not None,
    )


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


# --- Status reports -------------------------------------------------------------------------------


def status_report_context(report) -> dict:
    """What the report page and the PDF show: the leader's statuses and text, the compiled data
    (frozen once published), and what changed since the previous published report."""
    # A published report is compared with the one before it when it was published (frozen in
    # its data); a draft with the latest published before it.
    previous_reports = StatusReport.objects.published().filter(project_id=report.project_id)
    if report.is_published:
        number = report.data.get("previous_number")
        previous = previous_reports.filter(number=number).first() if number else None
    else:
        previous = previous_reports.filter(number__lt=report.number).order_by("-number").first()
    data = present(report.data)
    milestones = data.get("milestones", {})
    the_period = report.period
    return {
        "report": report,
        "project": report.project,
        "statuses": report.statuses(),
        "data": data,
        "milestone_groups": [
            (_("Nådd i perioden"), milestones.get("reached"), _("Ingen milepæler ble nådd.")),
            (
                _("Ikke nådd innen fristen"),
                milestones.get("missed"),
                _("Ingen milepæler er forsinket."),
            ),
            (
                _("Forfaller neste periode"),
                milestones.get("next"),
                _("Ingen milepæler forfaller i neste periode."),
            ),
        ],
        "changes": changes(previous, report),
        "draft": not report.is_published,
        "deadline": the_period.deadline,
        "late": not report.is_published and the_period.is_late(timezone.localdate()),
        "printed_at": timezone.localtime(),
    }


def render_status_report_pdf(report) -> bytes:
    """A published report (frozen) as PDF/A-2b; a draft as a plain PDF."""
    return render_pdf(
        "reports/pdf/status_report.html",
        status_report_context(report),
        archival=report.is_published,
    )


def status_report_filename(report) -> str:
    return f"statusrapport-{report.project.code.lower()}-{report.number:02d}.pdf"


def store_missing(limit: int = 50) -> int:
    """Store the PDFs that frozen documents still lack, at most `limit` of each kind a run."""
    from consultations.documents import ensure_protocol_pdf
    from consultations.models import Protocol

    from .closeout import ensure_final_report_pdf
    from .cycle import ensure_pdf  # the cycle mails these documents

    stored = 0
    for pk in MandateVersion.objects.filter(pdf="").values_list("pk", flat=True)[:limit]:
        store_mandate_version_pdf(pk)
        stored += 1
    approved = Protocol.objects.filter(status=Protocol.Status.APPROVED, pdf="")
    for pk in approved.values_list("pk", flat=True)[:limit]:
        ensure_protocol_pdf(pk)
        stored += 1
    for pk in StatusReport.objects.published().filter(pdf="").values_list("pk", flat=True)[:limit]:
        ensure_pdf(pk)
        stored += 1
    published = FinalReport.objects.filter(state=FinalReport.State.PUBLISHED, pdf="")
    for pk in published.values_list("pk", flat=True)[:limit]:
        ensure_final_report_pdf(pk)
        stored += 1
    return stored
