"""Thin views: check through projects.permissions, validate a form, call a service, render."""

from copy import copy

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.cache import cached_part
from core.forms import errors_as_message, errors_on_form, first_submission

from . import services
from .forms import (
    SECTIONS_BY_SLUG,
    BenefitFormSet,
    GateCriterionForm,
    GoalsForm,
    MembershipForm,
    PhaseForm,
    ProjectBasicsForm,
    RiskForm,
    SolutionOptionForm,
    TickForm,
    WorkstreamForm,
    text_section_form,
)
from .mandate import section_context
from .models import (
    Benefit,
    GateCriterion,
    Membership,
    Phase,
    Project,
    Risk,
    SolutionOption,
    Workstream,
)
from .permissions import (
    CHANGE_MANDATE,
    CHANGE_PLAN,
    MANAGE_MEMBERS,
    ROLE_PERMISSIONS,
    VIEW_PERSONAL_DATA,
    may_start_projects,
    project_view,
    require,
)
from .risks import matrix as risk_matrix

PROJECTS_PER_PAGE = 50


def project_list(request):
    """The projects the user may see, 50 to a page; kept in the cache while the data are
    unchanged (core.cache)."""

    def build_context():
        projects = (
            Project.objects.visible_to(request.user)
            .select_related("organisation", "owner", "leader")
            # The list never shows the mandate's long texts: leave them in the database.
            .defer("background", "purpose", "constraints", "obligations", "quality_requirements")
            .order_by("organisation__name", "name")
        )
        page = Paginator(projects, PROJECTS_PER_PAGE).get_page(request.GET.get("side"))
        return {
            "projects": page.object_list,
            "page": page,
            "can_create": may_start_projects(request.user),
        }

    projects_html = cached_part(
        request, "project-list", "projects/project_list.html#projects", build_context
    )
    return render(request, "projects/project_list.html", {"projects_html": projects_html})


# --- The mandate, section by section ------------------------------------------------------------


def _section_form(section, project, data=None):
    # Bound forms write onto their instance while validating: give them a copy, so that a refused
    # save does not show unsaved values in the page around the form.
    project = copy(project)
    if section.kind == "basics":
        return ProjectBasicsForm(data, instance=project, prefix=section.slug)
    if section.kind == "text":
        return text_section_form(section.field)(data, instance=project, prefix=section.slug)
    if section.kind == "goals":
        current = "\n".join(g.text for g in project.goals.filter(kind=section.field))
        return GoalsForm(data, initial={"goals": current}, prefix=section.slug)
    return BenefitFormSet(
        data, queryset=Benefit.objects.filter(project=project), prefix=section.slug
    )


def _save_section(section, project, form, user):
    if section.kind in ("basics", "text"):
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        services.update_mandate_fields(
            project=project, values=values, section=section.title, by=user
        )
    elif section.kind == "goals":
        services.replace_goals(
            project=project,
            kind=section.field,
            texts=form.cleaned_data["goals"],
            section=section.title,
            by=user,
        )
    else:
        rows = [f.cleaned_data for f in form.forms if f.cleaned_data]
        services.replace_benefits(project=project, rows=rows, section=section.title, by=user)


@project_view()
def mandate_section(request, project, slug):
    """GET shows a section (or its form with ?rediger=1); POST saves it. With htmx the answer is
    the section alone, swapped in place; without, a page of its own and a redirect."""
    section = SECTIONS_BY_SLUG.get(slug)
    if section is None:
        raise Http404
    editing = request.method == "POST" or "rediger" in request.GET
    if editing:
        require(project, CHANGE_MANDATE)
    form = None
    if request.method == "POST":
        form = _section_form(section, project, request.POST)
        if form.is_valid():
            with errors_on_form(form):
                _save_section(section, project, form, request.user)
                if not request.htmx:
                    messages.success(
                        request, _("%(section)s er lagret.") % {"section": section.title}
                    )
                    return redirect(
                        reverse("reports:mandate", args=[project.pk]) + f"#{section.slug}"
                    )
                editing = False
    elif editing:
        form = _section_form(section, project)
    context = section_context(project)
    context.update(
        section=section, form=form, editing=editing, saved=request.method == "POST" and not editing
    )
    template = "projects/_section.html" if request.htmx else "projects/mandate_section.html"
    return render(request, template, context)


# --- Phases ------------------------------------------------------------------------------------


@project_view()
def phases(request, project):
    form = None
    if CHANGE_PLAN in project.perms:
        next_order = (project.phases.count() or 0) + 1
        form = PhaseForm(request.POST or None, initial={"order": next_order}, prefix="ny")
    if request.method == "POST":
        require(project, CHANGE_PLAN)
        assert form is not None  # made above for a user with the right
        if form.is_valid():
            phase = form.save(commit=False)
            phase.project = project
            with errors_on_form(form), first_submission(form) as first:
                if first:
                    services.save_phase(phase=phase, by=request.user)
                messages.success(request, _("Fasen %(name)s er lagt til.") % {"name": phase.name})
                return redirect("projects:phases", project.pk)
    criteria = GateCriterion.objects.select_related("ticked_by")
    phase_list = project.phases.prefetch_related(Prefetch("criteria", queryset=criteria))
    return render(
        request,
        "projects/phases.html",
        {"project": project, "phases": phase_list, "form": form},
    )


@project_view(CHANGE_PLAN)
def phase_edit(request, project, pk):
    phase = get_object_or_404(Phase, project=project, pk=pk)
    form = PhaseForm(request.POST or None, instance=phase)
    if request.method == "POST" and form.is_valid():
        with errors_on_form(form):
            services.save_phase(phase=form.save(commit=False), by=request.user)
            messages.success(request, _("Fasen er lagret."))
            return redirect("projects:phases", project.pk)
    return render(
        request, "projects/phase_form.html", {"project": project, "phase": phase, "form": form}
    )


@require_POST
@project_view(CHANGE_PLAN)
def phase_delete(request, project, pk):
    phase = get_object_or_404(Phase, project=project, pk=pk)
    with errors_as_message(request):
        services.delete_phase(phase=phase, by=request.user)
        messages.success(request, _("Fasen %(name)s er slettet.") % {"name": phase.name})
    return redirect("projects:phases", project.pk)


# --- The gate's checklist (the gate page itself: reports.views.phase_gate) ------------------------


def _gate_page(project, phase_pk) -> str:
    return reverse("reports:phase_gate", args=[project.pk, phase_pk]) + "#sjekkliste"


@project_view(CHANGE_PLAN)
def criterion_add(request, project, phase_pk):
    """A new criterion of the phase's checklist (the form is on the gate page; a refused one is
    shown again on a page of its own)."""
    phase = get_object_or_404(Phase, project=project, pk=phase_pk)
    initial = {"order": phase.criteria.count() + 1}
    form = GateCriterionForm(request.POST or None, initial=initial, prefix="kriterium")
    if request.method == "POST" and form.is_valid():
        criterion = form.save(commit=False)
        criterion.phase = phase
        with errors_on_form(form), first_submission(form) as first:
            if first:
                services.save_criterion(criterion=criterion, by=request.user)
            messages.success(request, _("Kriteriet er lagt til."))
            return redirect(_gate_page(project, phase.pk))
    context = {"project": project, "phase": phase, "form": form, "criterion": None}
    return render(request, "projects/criterion_form.html", context)


@project_view(CHANGE_PLAN)
def criterion_edit(request, project, phase_pk, pk):
    criterion = get_object_or_404(
        GateCriterion.objects.select_related("phase"),
        phase__project=project,
        phase_id=phase_pk,
        pk=pk,
    )
    form = GateCriterionForm(request.POST or None, instance=copy(criterion))
    if request.method == "POST" and form.is_valid():
        with errors_on_form(form):
            services.save_criterion(criterion=form.save(commit=False), by=request.user)
            messages.success(request, _("Kriteriet er lagret."))
            return redirect(_gate_page(project, phase_pk))
    context = {"project": project, "phase": criterion.phase, "form": form, "criterion": criterion}
    return render(request, "projects/criterion_form.html", context)


@require_POST
@project_view(CHANGE_PLAN)
def criterion_delete(request, project, phase_pk, pk):
    criterion = get_object_or_404(GateCriterion, phase__project=project, phase_id=phase_pk, pk=pk)
    with errors_as_message(request):
        services.delete_criterion(criterion=criterion, by=request.user)
        messages.success(request, _("Kriteriet er slettet."))
    return redirect(_gate_page(project, phase_pk))


@require_POST
@project_view(CHANGE_PLAN)
def criterion_tick(request, project, phase_pk, pk):
    """Tick a criterion as met, with a note, or take the tick away."""
    criterion = get_object_or_404(GateCriterion, phase__project=project, phase_id=phase_pk, pk=pk)
    form = TickForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Merknaden kan være høyst 500 tegn."))
        return redirect(_gate_page(project, phase_pk))
    ticked = form.cleaned_data["ticked"]
    with errors_as_message(request):
        services.tick_criterion(
            criterion=criterion, ticked=ticked, note=form.cleaned_data["note"], by=request.user
        )
        messages.success(
            request,
            (
                _("«%(text)s» er krysset av som oppfylt.")
                if ticked
                else _("Avkrysningen for «%(text)s» er fjernet.")
            )
            % {"text": criterion.text},
        )
    return redirect(_gate_page(project, phase_pk))


@require_POST
@project_view(CHANGE_PLAN)
def phase_start(request, project, phase_pk):
    phase = get_object_or_404(Phase, project=project, pk=phase_pk)
    with errors_as_message(request):
        services.start_phase(phase=phase, by=request.user)
        messages.success(request, _("Fasen %(name)s er startet.") % {"name": phase.name})
    return redirect("reports:phase_gate", project.pk, phase.pk)


# --- Workstreams and solution options ---------------------------------------------------------


@project_view()
def workstreams(request, project):
    form = None
    if CHANGE_PLAN in project.perms:
        form = WorkstreamForm(
            request.POST or None,
            organisation=project.organisation,
            initial={"order": project.workstreams.count() + 1},
            prefix="ny",
        )
    if request.method == "POST":
        require(project, CHANGE_PLAN)
        assert form is not None  # made above for a user with the right
        if form.is_valid():
            workstream = form.save(commit=False)
            workstream.project = project
            with errors_on_form(form):
                services.save_workstream(
                    workstream=workstream, members=form.cleaned_data["members"], by=request.user
                )
                messages.success(
                    request, _("Arbeidsstrømmen %(name)s er lagt til.") % {"name": workstream.name}
                )
                return redirect("projects:workstream", project.pk, workstream.pk)
    items = project.workstreams.select_related("lead").prefetch_related("options", "members")
    return render(
        request,
        "projects/workstreams.html",
        {"project": project, "workstreams": items, "form": form},
    )


@project_view()
def workstream(request, project, pk):
    item = get_object_or_404(
        Workstream.objects.select_related("lead").prefetch_related("members"),
        project=project,
        pk=pk,
    )
    form = option_form = None
    if CHANGE_PLAN in project.perms:
        form = WorkstreamForm(
            request.POST or None, instance=copy(item), organisation=project.organisation
        )
        option_form = SolutionOptionForm(
            initial={"order": item.options.count() + 1}, prefix="forslag"
        )
    if request.method == "POST":
        require(project, CHANGE_PLAN)
        assert form is not None  # made above for a user with the right
        if form.is_valid():
            with errors_on_form(form):
                services.save_workstream(
                    workstream=form.save(commit=False),
                    members=form.cleaned_data["members"],
                    by=request.user,
                )
                messages.success(request, _("Arbeidsstrømmen er lagret."))
                return redirect("projects:workstream", project.pk, item.pk)
    return _render_workstream(request, project, item, form, option_form)


def _render_workstream(request, project, item, form, option_form, status=200):
    context = {
        "project": project,
        "workstream": item,
        "options": item.options.all(),
        "form": form,
        "option_form": option_form,
    }
    return render(request, "projects/workstream.html", context, status=status)


@require_POST
@project_view(CHANGE_PLAN)
def option_add(request, project, pk):
    item = get_object_or_404(Workstream, project=project, pk=pk)
    option_form = SolutionOptionForm(request.POST, prefix="forslag")
    if option_form.is_valid():
        option = option_form.save(commit=False)
        option.workstream = item
        with errors_on_form(option_form):
            services.save_option(option=option, by=request.user)
            messages.success(request, _("Løsningsforslaget er lagt til."))
            return redirect("projects:workstream", project.pk, item.pk)
    form = WorkstreamForm(instance=item, organisation=project.organisation)
    return _render_workstream(request, project, item, form, option_form)


@project_view(CHANGE_PLAN)
def option_edit(request, project, pk, option_pk):
    option = get_object_or_404(
        SolutionOption, workstream__project=project, workstream_id=pk, pk=option_pk
    )
    form = SolutionOptionForm(request.POST or None, instance=option)
    if request.method == "POST" and form.is_valid():
        with errors_on_form(form):
            services.save_option(option=form.save(commit=False), by=request.user)
            messages.success(request, _("Løsningsforslaget er lagret."))
            return redirect("projects:workstream", project.pk, pk)
    return render(
        request, "projects/option_form.html", {"project": project, "option": option, "form": form}
    )


@require_POST
@project_view(CHANGE_PLAN)
def option_delete(request, project, pk, option_pk):
    option = get_object_or_404(
        SolutionOption, workstream__project=project, workstream_id=pk, pk=option_pk
    )
    with errors_as_message(request):
        services.delete_option(option=option, by=request.user)
        messages.success(request, _("Løsningsforslaget er slettet."))
    return redirect("projects:workstream", project.pk, pk)


# --- Members ----------------------------------------------------------------------------------


@project_view()
def members(request, project):
    form = None
    if MANAGE_MEMBERS in project.perms:
        form = MembershipForm(request.POST or None, organisation=project.organisation)
    if request.method == "POST":
        require(project, MANAGE_MEMBERS)
        assert form is not None  # made above for a user with the right
        if form.is_valid():
            with errors_on_form(form):
                services.add_member(
                    project=project,
                    user=form.cleaned_data["user"],
                    role=form.cleaned_data["role"],
                    union_name=form.cleaned_data["union_name"],
                    by=request.user,
                )
                messages.success(request, _("Medlemmet er lagt til."))
                return redirect("projects:members", project.pk)
    memberships = list(Membership.objects.for_project(project))
    for membership in memberships:
        membership.role_sees_personal_data = VIEW_PERSONAL_DATA in ROLE_PERMISSIONS[membership.role]
    return render(
        request,
        "projects/members.html",
        {"project": project, "memberships": memberships, "form": form},
    )


@require_POST
@project_view(MANAGE_MEMBERS)
def member_remove(request, project, pk):
    membership = get_object_or_404(
        Membership.objects.select_related("user"), project=project, pk=pk
    )
    with errors_as_message(request):
        services.remove_member(membership=membership, by=request.user)
        messages.success(
            request,
            _("%(user)s er fjernet som %(role)s.")
            % {"user": membership.user, "role": membership.get_role_display().lower()},
        )
    return redirect("projects:members", project.pk)


# --- The risk register --------------------------------------------------------------------------


@project_view()
def risks(request, project):
    """The register and its 5×5 matrix for every member; owner and leader keep it."""
    form = None
    if CHANGE_PLAN in project.perms:
        form = RiskForm(request.POST or None, project=project, prefix="ny")
    if request.method == "POST":
        require(project, CHANGE_PLAN)
        assert form is not None  # made above for a user with the right
        if form.is_valid():
            risk = form.save(commit=False)
            with errors_on_form(form), first_submission(form) as first:
                if first:
                    services.save_risk(risk=risk, by=request.user)
                messages.success(
                    request, _("Risikoen «%(title)s» er lagt til.") % {"title": risk.title}
                )
                return redirect("projects:risks", project.pk)
    numbered = list(enumerate(project.risks.select_related("owner"), start=1))
    open_risks = [(n, r) for n, r in numbered if r.status != Risk.Status.CLOSED]
    context = {
        "project": project,
        "risks": numbered,
        "matrix": risk_matrix(open_risks),
        "form": form,
    }
    return render(request, "projects/risks.html", context)


@project_view(CHANGE_PLAN)
def risk_edit(request, project, pk):
    risk = get_object_or_404(Risk, project=project, pk=pk)
    form = RiskForm(request.POST or None, instance=copy(risk), project=project)
    if request.method == "POST" and form.is_valid():
        with errors_on_form(form):
            services.save_risk(risk=form.save(commit=False), by=request.user)
            messages.success(request, _("Risikoen er lagret."))
            return redirect("projects:risks", project.pk)
    return render(
        request, "projects/risk_form.html", {"project": project, "risk": risk, "form": form}
    )


@require_POST
@project_view(CHANGE_PLAN)
def risk_delete(request, project, pk):
    risk = get_object_or_404(Risk, project=project, pk=pk)
    services.delete_risk(risk=risk, by=request.user)
    messages.success(request, _("Risikoen «%(title)s» er slettet.") % {"title": risk.title})
    return redirect("projects:risks", project.pk)
