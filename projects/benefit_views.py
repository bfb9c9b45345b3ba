"""Benefits realisation: the overview of the benefits a user follows, a project's benefits, and
one benefit with its chart, its measurements, the form its owner records them with and the plan
the leader sets. A benefit's owner in the line organisation need not be a member of the project:
projects.permissions.get_benefit_for decides, as get_project_for does for the project's pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import errors_on_form

from . import services
from .benefits import build_benefit_chart, occasions
from .forms import BenefitPlanForm, MeasurementForm
from .models import Benefit, BenefitMeasurement, Membership, Project
from .permissions import CHANGE_PLAN, get_benefit_for, may_record_measurement, project_view

BENEFITS_PER_PAGE = 50


def with_latest(benefits: QuerySet) -> QuerySet:
    """Benefits with their latest measurement's value and date, in the same query."""
    latest = BenefitMeasurement.objects.filter(benefit=OuterRef("pk")).order_by(
        "-measured_on", "-pk"
    )
    return benefits.annotate(
        latest_value=Subquery(latest.values("value")[:1]),
        latest_on=Subquery(latest.values("measured_on")[:1]),
    )


def followed_by(user) -> QuerySet:
    """The benefits a user follows: those of the projects they own or lead, and those they own
    themselves (in any project of their organisations, a member or not, open or closed)."""
    leading = Membership.objects.filter(
        user=user, role__in=[Membership.Role.OWNER, Membership.Role.LEADER]
    ).values("project_id")
    return Benefit.objects.visible_to(user).filter(Q(project__in=leading) | Q(owner_user=user))


@login_required
def overview(request):
    """ "Gevinster": the benefits the user follows across projects, each with its latest
    measurement and the next one planned. Four queries whatever the number."""
    benefits = (
        with_latest(followed_by(request.user))
        .select_related("project", "owner_user")
        .order_by("project__name", "project_id", "order")
    )
    page = Paginator(benefits, BENEFITS_PER_PAGE).get_page(request.GET.get("side"))
    context = {"benefits": page.object_list, "page": page, "today": timezone.localdate()}
    return render(request, "projects/benefits_overview.html", context)


@project_view()
def project_benefits(request, project):
    """The project's benefits: owner, plan, latest and next measurement."""
    benefits = with_latest(Benefit.objects.filter(project=project)).select_related("owner_user")
    context = {"project": project, "benefits": benefits, "today": timezone.localdate()}
    return render(request, "projects/project_benefits.html", context)


def _benefit_page(request, benefit, *, measurement_form=None, plan_form=None):
    project: Project = benefit.project
    measurements = list(
        BenefitMeasurement.objects.filter(benefit=benefit)
        .select_related("recorded_by")
        .order_by("measured_on", "pk")
    )
    chart = build_benefit_chart(
        dom_id=f"gevinst-{benefit.pk}",
        baseline=benefit.baseline,
        target=benefit.target,
        unit=benefit.unit,
        measurements=[(m.measured_on, m.number) for m in measurements],
        start=benefit.measure_from,
    )
    may_record = may_record_measurement(request.user, benefit)
    may_plan = CHANGE_PLAN in project.perms
    context = {
        "benefit": benefit,
        "project": project,
        "member": bool(project.perms),
        "chart": chart,
        "measurements": list(reversed(measurements)),
        "planned": occasions(
            benefit.measure_from, benefit.measure_every_months, benefit.measure_until
        ),
        "measurement_form": measurement_form
        or (
            MeasurementForm(prefix="maling", initial={"measured_on": timezone.localdate()})
            if may_record
            else None
        ),
        "plan_form": plan_form
        or (
            BenefitPlanForm(prefix="plan", instance=benefit, project=project) if may_plan else None
        ),
        "today": timezone.localdate(),
    }
    return render(request, "projects/benefit.html", context)


@login_required
def benefit(request, pk):
    return _benefit_page(request, get_benefit_for(request.user, pk))


@login_required
@require_POST
def benefit_measure(request, pk):
    benefit = get_benefit_for(request.user, pk, record=True)
    form = MeasurementForm(request.POST, prefix="maling")
    if form.is_valid():
        measurement = form.save(commit=False)
        measurement.benefit = benefit
        with errors_on_form(form):
            services.record_benefit_measurement(measurement=measurement, by=request.user)
            messages.success(request, _("Målingen er registrert."))
            return redirect("projects:benefit", benefit.pk)
    return _benefit_page(request, benefit, measurement_form=form)


@login_required
@require_POST
def benefit_plan(request, pk):
    benefit = get_benefit_for(request.user, pk, plan=True)
    form = BenefitPlanForm(
        request.POST,
        prefix="plan",
        instance=Benefit.objects.get(pk=benefit.pk),
        project=benefit.project,
    )
    if form.is_valid():
        with errors_on_form(form):
            services.set_benefit_plan(
                benefit=benefit,
                owner_user=form.cleaned_data["owner_user"],
                measure_from=form.cleaned_data["measure_from"],
                measure_every_months=form.cleaned_data["measure_every_months"],
                measure_until=form.cleaned_data["measure_until"],
                by=request.user,
            )
            messages.success(request, _("Gevinstrealiseringsplanen er lagret."))
            return redirect("projects:benefit", benefit.pk)
    return _benefit_page(request, benefit, plan_form=form)
