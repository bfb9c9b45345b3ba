"""Thin views: check through projects.permissions, validate a form, call a service, render.

Owner and leader (CHANGE_PLAN) plan: they add, change, import and delete. Workstream leads and
project-group members (UPDATE_PROGRESS) change the status of milestones and activities of their
own workstreams and add activities there. Everyone else who can see the project reads."""

from copy import copy

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.forms import errors_on_form
from projects.permissions import (
    CHANGE_PLAN,
    UPDATE_PROGRESS,
    own_workstream_ids,
    project_view,
    require_progress,
)

from . import services
from .forms import (
    ActivityFilterForm,
    ActivityForm,
    ActivityStatusForm,
    ImportForm,
    MilestoneForm,
    MilestoneStatusForm,
    PlanFilterForm,
)
from .importing import parse_milestone_table
from .models import Activity, Milestone, today
from .timeline import build_timeline


def _filter_form(request, project):
    return PlanFilterForm(
        request.GET or None, phases=project.phases.all(), workstreams=project.workstreams.all()
    )


def _editable_workstreams(request, project):
    """What the template needs to know per row, in at most one query: may the user change
    everything (None), or which workstreams."""
    if CHANGE_PLAN in project.perms:
        return None
    if UPDATE_PROGRESS in project.perms:
        return own_workstream_ids(request.user, project)
    return frozenset()


# --- The progress plan --------------------------------------------------------------------------


@project_view()
def plan(request, project):
    filters = _filter_form(request, project)
    phases = list(project.phases.all())
    workstreams = list(project.workstreams.all())
    milestones = list(
        filters.apply(project.milestones.select_related("phase", "workstream", "responsible"))
    )
    on = today()
    context = {
        "project": project,
        "filters": filters,
        "milestones": milestones,
        "overdue_count": sum(1 for m in milestones if m.is_overdue(on)),
        "today": on,
        "timeline": build_timeline(
            start=project.start_date,
            end=project.last_delivery_date,
            phases=phases,
            workstreams=workstreams,
            milestones=milestones,
            today=on,
        ),
    }
    return render(request, "milestones/plan.html", context)


# --- Milestones ---------------------------------------------------------------------------------


def _milestone_rows(request, project, milestones):
    editable = _editable_workstreams(request, project)
    on = today()
    rows = []
    for milestone in milestones:
        rows.append(
            {
                "milestone": milestone,
                "overdue": milestone.is_overdue(on),
                "warnings": services.dependency_warnings(milestone),
                "can_update": editable is None or milestone.workstream_id in editable,
            }
        )
    return rows


@project_view()
def milestone_list(request, project):
    filters = _filter_form(request, project)
    milestones = filters.apply(
        project.milestones.select_related("phase", "workstream", "responsible").prefetch_related(
            "depends_on"
        )
    )
    context = {
        "project": project,
        "filters": filters,
        "rows": _milestone_rows(request, project, milestones),
        "can_plan": CHANGE_PLAN in project.perms,
        "statuses": Milestone.Status.choices,
    }
    return render(request, "milestones/milestone_list.html", context)


@project_view(CHANGE_PLAN)
def milestone_create(request, project):
    return _milestone_form(request, project, None)


@project_view(CHANGE_PLAN)
def milestone_edit(request, project, pk):
    return _milestone_form(request, project, get_object_or_404(Milestone, project=project, pk=pk))


def _milestone_form(request, project, milestone):
    # The form validates onto a copy, so that a refused save does not show unsaved values (such
    # as a new number) around the form.
    instance = copy(milestone) if milestone else None
    form = MilestoneForm(request.POST or None, instance=instance, project=project)
    if request.method == "POST" and form.is_valid():
        with errors_on_form(form):
            saved = services.save_milestone(
                milestone=form.save(commit=False),
                depends_on=form.cleaned_data["depends_on"],
                by=request.user,
            )
            message = _("%(code)s er lagret.") if milestone else _("%(code)s er lagt til.")
            messages.success(request, message % {"code": saved.code})
            _warn(request, saved)
            return redirect("milestones:list", project.pk)
    return render(
        request,
        "milestones/milestone_form.html",
        {"project": project, "form": form, "milestone": milestone},
    )


def _warn(request, milestone):
    for warning in services.dependency_warnings(milestone):
        messages.warning(request, warning)


@project_view()
def milestone_status(request, project, pk):
    """The status of one milestone: a small form of its own (GET), the inline form of the list
    (POST; with htmx the answer is the row, swapped in place)."""
    milestone = get_object_or_404(
        Milestone.objects.select_related("phase", "workstream", "responsible"),
        project=project,
        pk=pk,
    )
    require_progress(request.user, project, milestone.workstream_id)
    inline = "inline" in request.POST  # the small form in the list's row
    prefix = f"m{milestone.pk}" if inline else None
    form = MilestoneStatusForm(
        request.POST or None,
        prefix=prefix,
        initial={
            "status": milestone.status,
            "reached_on": milestone.reached_on,
            "reached_note": milestone.reached_note,
        },
    )
    if request.method == "POST" and form.is_valid():
        note_field = form.add_prefix("reached_note")
        with errors_on_form(form):
            milestone = services.set_milestone_status(
                milestone=milestone,
                status=form.cleaned_data["status"],
                reached_on=form.cleaned_data["reached_on"],
                note=form.cleaned_data["reached_note"] if note_field in request.POST else None,
                by=request.user,
            )
            if inline and request.htmx:
                return _render_row(request, project, milestone, saved=True)
            messages.success(
                request,
                _("Status for %(code)s er nå «%(status)s».")
                % {"code": milestone.code, "status": milestone.get_status_display()},
            )
            return redirect(reverse("milestones:list", args=[project.pk]) + f"#m{milestone.pk}")
    if inline and request.htmx:
        return _render_row(request, project, milestone, error=True)
    return render(
        request,
        "milestones/milestone_status.html",
        {"project": project, "milestone": milestone, "form": form},
    )


def _render_row(request, project, milestone, *, saved=False, error=False):
    milestone = (
        Milestone.objects.select_related("phase", "workstream", "responsible")
        .prefetch_related("depends_on")
        .get(pk=milestone.pk)
    )
    context = {
        "project": project,
        "row": _milestone_rows(request, project, [milestone])[0],
        "saved": saved,
        "error": error,
        "can_plan": CHANGE_PLAN in project.perms,
        "statuses": Milestone.Status.choices,
    }
    # 200 even for an error: htmx swaps only successful responses, and the row says what is wrong.
    return render(request, "milestones/_milestone_row.html", context)


@require_POST
@project_view(CHANGE_PLAN)
def milestone_delete(request, project, pk):
    milestone = get_object_or_404(Milestone, project=project, pk=pk)
    services.delete_milestone(milestone=milestone, by=request.user)
    messages.success(request, _("%(code)s er slettet.") % {"code": milestone.code})
    return redirect("milestones:list", project.pk)


@project_view(CHANGE_PLAN)
def milestone_import(request, project):
    """Paste a table from Word or Excel. The first POST shows each row parsed or its error; the
    confirming POST (same text) saves all rows, or none."""
    form = ImportForm(request.POST or None)
    rows = None
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["table"]
        if "confirm" in request.POST:
            with errors_on_form(form):
                created = services.import_milestones(project=project, text=text, by=request.user)
                messages.success(
                    request,
                    ngettext(
                        "%(n)s milepæl er importert.", "%(n)s milepæler er importert.", len(created)
                    )
                    % {"n": len(created)},
                )
                return redirect("milestones:list", project.pk)
        try:
            rows = parse_milestone_table(
                text, existing_codes=project.milestones.values_list("code", flat=True)
            )
        except ValueError as error:
            form.add_error("table", str(error))
    context = {
        "project": project,
        "form": form,
        "rows": rows,
        "all_valid": bool(rows and all(row.is_valid for row in rows)),
        "error_count": sum(1 for row in rows or () if not row.is_valid),
    }
    return render(request, "milestones/milestone_import.html", context)


# --- Activities ---------------------------------------------------------------------------------


def _activity_form(request, project, data=None, instance=None):
    workstreams = (
        None if CHANGE_PLAN in project.perms else own_workstream_ids(request.user, project)
    )
    return ActivityForm(data, instance=instance, project=project, workstreams=workstreams)


def _may_add_activities(request, project) -> bool:
    return CHANGE_PLAN in project.perms or bool(
        UPDATE_PROGRESS in project.perms and own_workstream_ids(request.user, project)
    )


ACTIVITIES_PER_PAGE = 100


@project_view()
def activity_list(request, project):
    """ "Hva skal nå gjøres" (open) and "Hva er gjort" (done) as two tabs, by workstream if asked,
    a page at a time: a project may have thousands."""
    form = None
    if _may_add_activities(request, project):
        form = _activity_form(request, project, request.POST or None)
    if request.method == "POST":
        if form is None:
            require_progress(request.user, project, None)
        assert form is not None  # require_progress refused a user who may not add one
        if form.is_valid():
            activity = form.save(commit=False)
            require_progress(request.user, project, activity.workstream_id)
            with errors_on_form(form):
                services.save_activity(activity=activity, by=request.user)
                messages.success(request, _("Aktiviteten er lagt til."))
                return redirect("milestones:activities", project.pk)
    filters = ActivityFilterForm(request.GET or None, workstreams=project.workstreams.all())
    activities = filters.apply(project.activities.all())
    counts = activities.aggregate(
        open=Count("pk", filter=~Q(status=Activity.Status.DONE)),
        done=Count("pk", filter=Q(status=Activity.Status.DONE)),
    )
    show_done = filters.show_done
    if show_done:
        activities = activities.filter(status=Activity.Status.DONE).order_by("-done_on", "-pk")
    else:
        activities = activities.open()
    page = Paginator(
        activities.select_related("owner", "milestone", "workstream"), ACTIVITIES_PER_PAGE
    ).get_page(request.GET.get("side"))
    editable = _editable_workstreams(request, project)
    on = today()
    rows = [
        {
            "activity": activity,
            "overdue": activity.is_overdue(on),
            "can_update": editable is None or activity.workstream_id in editable,
        }
        for activity in page.object_list
    ]
    context = {
        "project": project,
        "rows": rows,
        "page": page,
        "counts": counts,
        "show_done": show_done,
        "filters": filters,
        "query": filters.query_string(),
        "form": form,
        "statuses": Activity.Status.choices,
    }
    return render(request, "milestones/activity_list.html", context)


@project_view()
def activity_edit(request, project, pk):
    activity = get_object_or_404(Activity, project=project, pk=pk)
    require_progress(request.user, project, activity.workstream_id)
    form = _activity_form(request, project, request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        changed = form.save(commit=False)
        require_progress(request.user, project, changed.workstream_id)
        with errors_on_form(form):
            services.save_activity(activity=changed, by=request.user)
            messages.success(request, _("Aktiviteten er lagret."))
            return redirect("milestones:activities", project.pk)
    return render(
        request,
        "milestones/activity_form.html",
        {"project": project, "form": form, "activity": activity},
    )


@require_POST
@project_view()
def activity_status(request, project, pk):
    activity = get_object_or_404(
        Activity.objects.select_related("owner", "milestone", "workstream"), project=project, pk=pk
    )
    require_progress(request.user, project, activity.workstream_id)
    form = ActivityStatusForm(request.POST, prefix=f"a{activity.pk}")
    if form.is_valid():
        activity = services.set_activity_status(
            activity=activity, status=form.cleaned_data["status"], by=request.user
        )
        if request.htmx:
            row = {"activity": activity, "overdue": activity.is_overdue(), "can_update": True}
            context = {
                "project": project,
                "row": row,
                "saved": True,
                "statuses": Activity.Status.choices,
            }
            return render(request, "milestones/_activity_row.html", context)
        messages.success(
            request,
            _("«%(title)s» er nå «%(status)s».")
            % {"title": activity.title, "status": activity.get_status_display()},
        )
    else:
        messages.error(request, _("Velg en gyldig status."))
    return redirect(reverse("milestones:activities", args=[project.pk]) + f"#a{activity.pk}")


@require_POST
@project_view()
def activity_delete(request, project, pk):
    activity = get_object_or_404(Activity, project=project, pk=pk)
    require_progress(request.user, project, activity.workstream_id)
    services.delete_activity(activity=activity, by=request.user)
    messages.success(request, _("Aktiviteten er slettet."))
    return redirect("milestones:activities", project.pk)
