"""Lessons learned ("erfaringer"): a project's, written by its members, and the search across
every project of the organisation that the user may see, for the next project's leader."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.forms import errors_on_form

from . import services
from .forms import LessonForm, LessonSearchForm
from .models import Lesson
from .permissions import project_view

LESSONS_PER_PAGE = 25


@login_required
def lessons(request):
    """Every lesson the user may see (the projects they may see), newest first, searched by
    text and category in SQL, a page at a time. Three queries whatever the number."""
    form = LessonSearchForm(request.GET or None)
    found = Lesson.objects.visible_to(request.user)
    if form.is_valid():
        if text := form.cleaned_data["q"].strip():
            found = found.filter(text__icontains=text)
        if category := form.cleaned_data["kategori"]:
            found = found.filter(category=category)
    found = found.select_related("project", "written_by").order_by("-written_at", "-pk")
    page = Paginator(found, LESSONS_PER_PAGE).get_page(request.GET.get("side"))
    context = {"form": form, "lessons": page.object_list, "page": page}
    return render(request, "projects/lessons.html", context)


@project_view()
def project_lessons(request, project):
    """The project's lessons; every member may write one, during the project or at its close."""
    form = LessonForm(request.POST or None, prefix="erfaring")
    if request.method == "POST" and form.is_valid():
        with errors_on_form(form):
            services.add_lesson(
                project=project,
                category=form.cleaned_data["category"],
                text=form.cleaned_data["text"],
                by=request.user,
            )
            messages.success(request, _("Erfaringen er lagret."))
            return redirect("projects:project_lessons", project.pk)
    items = Lesson.objects.filter(project=project).select_related("written_by")
    return render(
        request,
        "projects/project_lessons.html",
        {"project": project, "lessons": items, "form": form},
    )
