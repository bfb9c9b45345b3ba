"""Pages of reuse (issue 16): "Nytt prosjekt" (empty, from a template, or a copy), the
organisation's templates, and "Lagre som mal" on a project. Thin: the access helper, a form, a
service of reports.reuse or projects.services, a message, a redirect."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import errors_as_message, errors_on_form
from projects import services as project_services
from projects.models import Lesson, Project, ProjectUserObjectPermission
from projects.permissions import CHANGE_PLAN, may_start_projects, project_view

from . import builtin_template, reuse
from .forms import MAX_ID, ProjectStartForm, TemplateSaveForm
from .models import ProjectTemplate

StartFrom = ProjectStartForm.StartFrom


def _copyable(user):
    """The projects the user may copy: those they may see (visible_to: a view permission, in
    one of the user's organisations)."""
    return (
        Project.objects.visible_to(user)
        .select_related("organisation")
        .only("pk", "name", "code", "organisation__name", "organisation_id")
        .order_by("organisation__name", "name")
    )


def _templates(user):
    return (
        ProjectTemplate.objects.visible_to(user)
        .select_related("organisation", "created_by")
        .defer("snapshot")
        .order_by("organisation__name", "name", "pk")
    )


def _id_or_404(value) -> int:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < pk <= MAX_ID:
        raise Http404
    return pk


def project_create(request):
    """Someone granted the right starts a project in one of their organisations, and leads it:
    empty, from a template, or as a copy of a project they may see (404 for one they may not)."""
    if not may_start_projects(request.user):
        raise PermissionDenied
    initial = {"owner": request.user.pk}
    if "kopi" in request.GET:
        source = get_object_or_404(_copyable(request.user), pk=_id_or_404(request.GET["kopi"]))
        initial |= {
            "start_from": StartFrom.COPY,
            "source": source.pk,
            "organisation": source.organisation_id,
        }
    elif "mal" in request.GET:
        key = request.GET["mal"]
        if key != builtin_template.BUILTIN_KEY:
            get_object_or_404(ProjectTemplate.objects.visible_to(request.user), pk=_id_or_404(key))
        initial |= {"start_from": StartFrom.TEMPLATE, "template": key}
    form = ProjectStartForm(
        request.POST or None,
        user=request.user,
        templates=list(_templates(request.user)),
        sources=list(_copyable(request.user)),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        start_from = form.cleaned_data["start_from"]
        with errors_on_form(form):
            if start_from == StartFrom.COPY:
                source = get_object_or_404(
                    Project.objects.visible_to(request.user).select_related("organisation"),
                    pk=form.cleaned_data["source"],
                )
                project = reuse.copy_project(source=source, by=request.user, **data)
                message = _("Prosjektet er opprettet som en kopi av %(name)s.") % {
                    "name": source.name
                }
            elif start_from == StartFrom.TEMPLATE:
                key = form.cleaned_data["template"]
                template = (
                    None
                    if key == builtin_template.BUILTIN_KEY
                    else get_object_or_404(
                        ProjectTemplate.objects.visible_to(request.user), pk=int(key)
                    )
                )
                project = reuse.start_from_template(template=template, by=request.user, **data)
                message = _("Prosjektet er opprettet fra malen. Gå gjennom mandatet og datoene.")
            else:
                project = project_services.create_project(
                    leader=request.user, by=request.user, **data
                )
                message = _("Prosjektet er opprettet. Skriv mandatet, seksjon for seksjon.")
            messages.success(request, message)
            return redirect("reports:mandate", project.pk)
    # What earlier projects learned, for the leader starting a new one (projects.lesson_views).
    lessons = Lesson.objects.visible_to(request.user).select_related("project")[:LESSONS_ON_START]
    return render(request, "reports/project_create.html", {"form": form, "lessons": lessons})


LESSONS_ON_START = 5


def _templates_with_rights(user):
    """The templates with whether the user may plan the project each was saved from, in the
    same query."""
    may_plan = ProjectUserObjectPermission.objects.filter(
        user=user, content_object=OuterRef("source_project"), permission__codename=CHANGE_PLAN
    )
    return _templates(user).annotate(may_plan_source=Exists(may_plan))


def templates(request):
    """The organisation's templates, and the built-in one. Seen by the organisation's users."""
    rows = list(_templates_with_rights(request.user))
    for template in rows:
        template.may_delete = reuse.may_delete_template(template, request.user)
    context = {
        "templates": rows,
        "builtin": {
            "key": builtin_template.BUILTIN_KEY,
            "name": builtin_template.BUILTIN_NAME,
            "description": builtin_template.BUILTIN_DESCRIPTION,
            "phases": len(builtin_template.SNAPSHOT["phases"]),
            "milestones": len(builtin_template.SNAPSHOT["milestones"]),
        },
        "can_start": may_start_projects(request.user),
    }
    return render(request, "reports/templates.html", context)


@require_POST
def template_delete(request, pk):
    template = get_object_or_404(_templates_with_rights(request.user), pk=pk)
    if not reuse.may_delete_template(template, request.user):
        raise PermissionDenied
    with errors_as_message(request):
        reuse.delete_template(template=template, by=request.user)
        messages.success(request, _("Malen «%(name)s» er slettet.") % {"name": template.name})
    return redirect("reports:templates")


@project_view(CHANGE_PLAN)
def template_save(request, project):
    """ "Lagre som mal": for those who may plan the project (its owner and leader)."""
    form = TemplateSaveForm(request.POST or None, initial={"name": project.name})
    if request.method == "POST" and form.is_valid():
        with errors_on_form(form):
            template = reuse.save_template(
                project=project,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                by=request.user,
            )
            messages.success(
                request,
                _("Malen «%(name)s» er lagret. Nye prosjekter kan starte fra den.")
                % {"name": template.name},
            )
            return redirect("reports:templates")
    return render(request, "reports/template_save.html", {"project": project, "form": form})
