from collections import Counter

from django.db.models import Count, Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from milestones.models import Milestone, overdue_condition, today
from projects.models import MandateVersion, Membership, Project, Workstream
from projects.permissions import project_view
from projects.services import mandate_snapshot

from .documents import mandate_pdf_filename, render_mandate_pdf


@project_view()
def overview(request, project):
    workstreams = list(project.workstreams.all())
    roles = Counter(
        Membership.objects.filter(project=project).order_by().values_list("role", flat=True)
    )
    context = {
        "project": project,
        "phases": project.phases.all(),
        "workstreams": workstreams,
        "ready_count": sum(1 for w in workstreams if w.status == Workstream.Status.READY),
        "role_counts": [
            (label, roles[value]) for value, label in Membership.Role.choices if roles[value]
        ],
        "latest_version": project.mandate_versions.select_related("decided_by").first(),
        **_progress(project),
    }
    return render(request, "reports/overview.html", context)


def _progress(project) -> dict:
    """The progress bar of the overview: reached of all, overdue, and the next three."""
    on = today()
    milestones = Milestone.objects.filter(project=project)
    counts = milestones.aggregate(
        total=Count("pk"),
        reached=Count("pk", filter=Q(status=Milestone.Status.REACHED)),
        overdue=Count("pk", filter=overdue_condition(on)),
    )
    upcoming = milestones.open().filter(due_date__gte=on).select_related("responsible")
    return {
        "milestone_counts": counts,
        "next_milestones": list(upcoming.in_plan_order()[:3]),
    }


@project_view()
def mandate_pdf(request, project):
    """The current mandate: the decided version's stored PDF if nothing has changed since, else
    a draft marked UTKAST."""
    latest = project.mandate_versions.first()
    if latest and project.mandate_state == Project.MandateState.DECIDED:
        return redirect("reports:mandate_version_pdf", project.pk, latest.number)
    snapshot = mandate_snapshot(project)
    return _pdf_download(render_mandate_pdf(snapshot), mandate_pdf_filename(snapshot))


@project_view()
def mandate_version_pdf(request, project, number):
    version = get_object_or_404(
        MandateVersion.objects.select_related("decided_by"), project=project, number=number
    )
    filename = mandate_pdf_filename(version.snapshot, version)
    if version.pdf:
        return FileResponse(
            version.pdf.open("rb"),
            as_attachment=True,
            filename=filename,
            content_type="application/pdf",
        )
    # The task that stores it has not run yet (it is queued when the mandate is decided). Render
    # the same frozen snapshot now, without writing: a GET never changes data.
    return _pdf_download(render_mandate_pdf(version.snapshot, version=version), filename)


def _pdf_download(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
