from collections import Counter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from milestones.models import Milestone, overdue_condition, today
from projects.documents import pdf_download
from projects.forms import add_service_errors
from projects.models import MandateVersion, Membership, Project, Workstream
from projects.permissions import CHANGE_PLAN, project_view, require
from projects.services import mandate_snapshot

from . import services
from .documents import mandate_pdf_filename, render_mandate_pdf
from .forms import DecisionForm, DecisionRequestForm
from .models import DecisionRequest


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
    return pdf_download(render_mandate_pdf(snapshot), mandate_pdf_filename(snapshot))


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
    return pdf_download(render_mandate_pdf(version.snapshot, version=version), filename)


# --- Decision requests to the steering group ----------------------------------------------------


@project_view()
def decisions(request, project):
    """What the steering group is asked to decide: for every member to read; the leader and the
    owner write the requests and record the decisions."""
    form = None
    if CHANGE_PLAN in project.perms:
        form = DecisionRequestForm(request.POST or None, prefix="ny")
    if request.method == "POST":
        require(project, CHANGE_PLAN)
        if form.is_valid():
            item = form.save(commit=False)
            item.project = project
            try:
                services.save_decision_request(request=item, by=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saken er lagt fram for styringsgruppen."))
                return redirect("reports:decisions", project.pk)
    items = list(project.decision_requests.select_related("created_by"))
    context = {
        "project": project,
        "pending": [i for i in items if i.outcome == DecisionRequest.Outcome.PENDING],
        "deferred": [i for i in items if i.outcome == DecisionRequest.Outcome.DEFERRED],
        "done": [i for i in items if i.outcome in ("decided", "rejected")],
        "form": form,
        "decision_form": DecisionForm(),
    }
    return render(request, "reports/decisions.html", context)


@require_POST
@project_view(CHANGE_PLAN)
def decision_record(request, project, pk):
    item = get_object_or_404(DecisionRequest, project=project, pk=pk)
    form = DecisionForm(request.POST, prefix=f"d{pk}")
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            services.record_decision(
                request=item,
                outcome=form.cleaned_data["outcome"],
                decision=form.cleaned_data["decision"],
                on=form.cleaned_data["decided_on"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Vedtaket er registrert."))
    return redirect("reports:decisions", project.pk)
