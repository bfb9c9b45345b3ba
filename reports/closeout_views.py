"""The final report's pages: read by every member once published (a draft is the leader's),
completed and published by the leader, which closes the project."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import errors_as_message, errors_on_form
from core.pdf import frozen_pdf_download, pdf_download
from projects.models import Goal, Project
from projects.permissions import CHANGE_PLAN, project_view

from . import closeout, services
from .forms import FinalReportForm
from .models import FinalReport


def _require_leader(request, project: Project) -> None:
    """Only the project's leader completes and publishes its final report; the owner and the
    steering group read it."""
    if CHANGE_PLAN not in project.perms or project.leader_id != request.user.pk:
        raise PermissionDenied


def _final_report(project: Project) -> FinalReport | None:
    report = FinalReport.objects.select_related("published_by").filter(project=project).first()
    if report:
        report.project = project  # with what get_project_for loaded
    return report


@project_view()
def final_report(request, project):
    report = _final_report(project)
    published = bool(report and report.is_published)
    is_leader = CHANGE_PLAN in project.perms and project.leader_id == request.user.pk
    editable = is_leader and not published and project.status not in services.CLOSED
    form = None
    if editable:
        goals = list(Goal.objects.filter(project=project).order_by("kind", "order"))
        form = FinalReportForm(request.POST or None, goals=goals, report=report)
    if request.method == "POST":
        _require_leader(request, project)
        if form is None:
            messages.error(request, _("Sluttrapporten er publisert og kan ikke endres."))
            return redirect("reports:final_report", project.pk)
        if form.is_valid():
            with errors_on_form(form):
                services.save_final_report(
                    project=project,
                    values=form.cleaned_data,
                    goal_results=form.goal_results(),
                    by=request.user,
                )
                messages.success(request, _("Sluttrapporten er lagret."))
                return redirect("reports:final_report", project.pk)
    context = {
        "form": form,
        "shown": published or CHANGE_PLAN in project.perms,
        "may_publish": editable,
        "deliveries": closeout.deliveries(report) if published and report and is_leader else None,
        **closeout.final_report_context(project, report, timezone.localdate()),
    }
    return render(request, "reports/final_report.html", context)


@require_POST
@project_view(CHANGE_PLAN)
def final_report_publish(request, project):
    _require_leader(request, project)
    with errors_as_message(request):
        services.publish_final_report(project=project, by=request.user)
        messages.success(
            request,
            _("Sluttrapporten er publisert og sendes til styringsgruppen med PDF. "
              "Prosjektet er avsluttet."),
        )  # fmt: skip
    return redirect("reports:final_report", project.pk)


@project_view()
def final_report_pdf(request, project):
    """The published report's stored PDF; the draft (for the leadership) rendered now."""
    report = _final_report(project)
    published = bool(report and report.is_published)
    filename = closeout.final_report_filename(project, report)
    if published and report:
        return frozen_pdf_download(
            report.pdf, filename, lambda: closeout.render_final_report_pdf(project, report)
        )
    if CHANGE_PLAN not in project.perms:
        raise Http404
    return pdf_download(closeout.render_final_report_pdf(project, report), filename)
