from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from consultations import gate
from consultations.models import AgendaItem, Meeting
from core.cache import cached_part
from core.forms import errors_as_message, errors_on_form, form_errors
from core.pdf import cached_pdf, frozen_pdf_download, pdf_download
from milestones.mandate import mandate_milestones
from milestones.models import Milestone, overdue_condition, today
from projects import services as project_services
from projects.forms import SECTIONS, GateCriterionForm
from projects.mandate import section_context
from projects.models import GateCriterion, MandateVersion, Membership, Phase, Project, Workstream
from projects.permissions import (
    CHANGE_MANDATE,
    CHANGE_PLAN,
    DECIDE_GATE,
    DECIDE_MANDATE,
    MANAGE_MEMBERS,
    no_store,
    project_view,
    require,
)

from . import cycle, periods, portfolio, services, worklist
from .archive import archive_filename, archive_zip, frozen_documents
from .calendar import project_calendar
from .compare import compare as compare_snapshots
from .dashboard import dashboard_projects, dashboard_rows
from .documents import (
    mandate_pdf_filename,
    render_mandate_pdf,
    render_status_report_pdf,
    status_report_context,
    status_report_filename,
)
from .forms import (
    BenefitMeasurementForm,
    DecisionForm,
    DecisionRequestForm,
    GateApprovalForm,
    GateReturnForm,
    GateSubmitForm,
    MandateDecisionForm,
    MandateReturnForm,
    MandateSubmitForm,
    StatusReportForm,
)
from .mandate import changelog as changelog_entries
from .mandate import mandate_snapshot
from .models import CalendarFeed, DecisionRequest, StatusReport

# Who downloads the archive export for the records office: the owner and the leader, who answer
# for the project's documents (MANAGE_MEMBERS). The records office has no role of its own; an
# archivist who is to fetch it themselves is made a member with the leader's role, or gets the
# file from the owner or the leader.
EXPORT_ARCHIVE = MANAGE_MEMBERS


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


# --- The mandate and the change log ------------------------------------------------------------


@project_view()
def mandate(request, project):
    """The mandate, section by section (each edited in place, projects.views.mandate_section),
    with the phases, workstreams, decision points and milestone table, its versions, and the way
    to the owner's decision: sent by the leader, decided or sent back by the owner, with what was
    consulted on."""
    return _mandate_page(request, project)


def _mandate_page(request, project, **forms):
    deciding = DECIDE_MANDATE in project.perms and project.mandate_state != "decided"
    consultation = gate.for_mandate(project) if deciding else None
    context = section_context(project)
    context.update(
        sections=SECTIONS,
        phases=project.phases.all(),
        workstreams=project.workstreams.select_related("lead").prefetch_related("options"),
        versions=project.mandate_versions.select_related("decided_by"),
        parts=mandate_milestones(project),
        submission=project.mandate_submissions.select_related("sent_by", "handled_by").first(),
        submit_form=forms.get("submit_form") or MandateSubmitForm(prefix="send")
        if CHANGE_MANDATE in project.perms and project.mandate_state == "draft"
        else None,
        decision_form=forms.get("decision_form")
        or MandateDecisionForm(
            prefix="beslutt", initial={"decided_on": today()}, consulted=consultation.approved
        )
        if consultation
        else None,
        return_form=forms.get("return_form") or MandateReturnForm(prefix="tilbake")
        if deciding and project.mandate_state == "submitted"
        else None,
        consultation=consultation,
        strict=project.organisation.strict_consultation,
    )
    return render(request, "reports/mandate.html", context)


@require_POST
@project_view(CHANGE_MANDATE)
def mandate_submit(request, project):
    form = MandateSubmitForm(request.POST, prefix="send")
    if form.is_valid():
        with errors_on_form(form):
            project_services.submit_mandate(
                project=project, message=form.cleaned_data["message"], by=request.user
            )
            messages.success(request, _("Mandatet er sendt til prosjekteieren for beslutning."))
            return redirect("reports:mandate", project.pk)
    return _mandate_page(request, project, submit_form=form)


@require_POST
@project_view(DECIDE_MANDATE)
def mandate_return(request, project):
    form = MandateReturnForm(request.POST, prefix="tilbake")
    if form.is_valid():
        with errors_on_form(form):
            project_services.return_mandate(
                project=project, comment=form.cleaned_data["comment"], by=request.user
            )
            messages.success(request, _("Mandatet er sendt tilbake til prosjektlederen."))
            return redirect("reports:mandate", project.pk)
    return _mandate_page(request, project, return_form=form)


@require_POST
@project_view(DECIDE_MANDATE)
def decide_mandate(request, project):
    consulted = gate.for_mandate(project).approved
    form = MandateDecisionForm(request.POST, prefix="beslutt", consulted=consulted)
    if form.is_valid():
        with errors_on_form(form):
            version = services.decide_mandate(project=project, by=request.user, **form.cleaned_data)
            messages.success(
                request, _("Mandatet er besluttet som versjon %(n)s.") % {"n": version.number}
            )
            return redirect("reports:mandate", project.pk)
    return _mandate_page(request, project, decision_form=form)


# --- Phase gates ------------------------------------------------------------------------------------


@project_view()
def phase_gate(request, project, phase_pk):
    """A phase's gate: its checklist (kept and ticked by those who plan), the way to the owner
    (submitted by the leader, approved or sent back by the owner, with what was consulted on),
    and its earlier submissions."""
    return _gate_page(request, project, phase_pk)


def _gate_page(request, project, phase_pk, **forms):
    phase = get_object_or_404(Phase, project=project, pk=phase_pk)
    State = Phase.State
    planning = CHANGE_PLAN in project.perms
    deciding = DECIDE_MANDATE in project.perms and phase.state == State.AT_GATE
    open_checklist = planning and phase.state in (State.NOT_STARTED, State.IN_PROGRESS)
    consultation = gate.for_phase(phase) if deciding else None
    criteria = list(GateCriterion.objects.filter(phase=phase).select_related("ticked_by"))
    context = {
        "project": project,
        "phase": phase,
        "criteria": criteria,
        "missing": [c for c in criteria if not c.is_ticked],
        "submissions": list(
            phase.submissions.select_related("sent_by", "handled_by").order_by("-sent_at", "-pk")
        ),
        "open_checklist": open_checklist,
        "may_start": planning and phase.state == State.NOT_STARTED,
        "criterion_form": GateCriterionForm(
            initial={"order": len(criteria) + 1}, prefix="kriterium"
        )
        if open_checklist
        else None,
        # A refused form is shown with its error even where the state no longer offers it.
        "submit_form": forms.get("submit_form")
        or (
            GateSubmitForm(prefix="send") if planning and phase.state == State.IN_PROGRESS else None
        ),
        "decision_form": forms.get("decision_form")
        or (
            GateApprovalForm(
                prefix="godkjenn", initial={"decided_on": today()}, consulted=consultation.approved
            )
            if consultation
            else None
        ),
        "return_form": forms.get("return_form")
        or (GateReturnForm(prefix="tilbake") if deciding else None),
        "consultation": consultation,
        "strict": project.organisation.strict_consultation,
    }
    return render(request, "reports/phase_gate.html", context)


@require_POST
@project_view(CHANGE_PLAN)
def phase_gate_submit(request, project, phase_pk):
    phase = get_object_or_404(Phase, project=project, pk=phase_pk)
    form = GateSubmitForm(request.POST, prefix="send")
    if form.is_valid():
        with errors_on_form(form):
            project_services.submit_gate(
                phase=phase, message=form.cleaned_data["message"], by=request.user
            )
            messages.success(
                request, _("Faseovergangen er sendt til prosjekteieren for beslutning.")
            )
            return redirect("reports:phase_gate", project.pk, phase.pk)
    return _gate_page(request, project, phase_pk, submit_form=form)


@require_POST
@project_view(DECIDE_GATE)
def phase_gate_return(request, project, phase_pk):
    phase = get_object_or_404(Phase, project=project, pk=phase_pk)
    form = GateReturnForm(request.POST, prefix="tilbake")
    if form.is_valid():
        with errors_on_form(form):
            project_services.return_gate(
                phase=phase, comment=form.cleaned_data["comment"], by=request.user
            )
            messages.success(request, _("Faseovergangen er sendt tilbake til prosjektlederen."))
            return redirect("reports:phase_gate", project.pk, phase.pk)
    return _gate_page(request, project, phase_pk, return_form=form)


@require_POST
@project_view(DECIDE_GATE)
def phase_gate_approve(request, project, phase_pk):
    phase = get_object_or_404(Phase, project=project, pk=phase_pk)
    consulted = gate.for_phase(phase).approved
    form = GateApprovalForm(request.POST, prefix="godkjenn", consulted=consulted)
    if form.is_valid():
        with errors_on_form(form):
            services.approve_gate(phase=phase, by=request.user, **form.cleaned_data)
            messages.success(
                request, _("Faseovergangen fra %(name)s er godkjent.") % {"name": phase.name}
            )
            return redirect("reports:phase_gate", project.pk, phase.pk)
    return _gate_page(request, project, phase_pk, decision_form=form)


DRAFT = "utkast"


@project_view()
def mandate_compare(request, project):
    """A decided version against the draft or another version, section by section, the changed
    words marked: ?fra=<version>&til=<version or utkast>. By default the latest version against
    the draft (or, before any change, against the version before it)."""
    versions = list(project.mandate_versions.select_related("decided_by"))
    if not versions:
        raise Http404
    numbers = {str(v.number): v for v in versions}
    new_key = request.GET.get("til") or DRAFT
    old_key = request.GET.get("fra") or str(versions[0].number)
    if old_key not in numbers or (new_key != DRAFT and new_key not in numbers):
        raise Http404
    old = numbers[old_key].snapshot
    new = mandate_snapshot(project) if new_key == DRAFT else numbers[new_key].snapshot
    context = {
        "project": project,
        "versions": versions,
        "old_key": old_key,
        "new_key": new_key,
        "draft_key": DRAFT,
        "sections": compare_snapshots(old, new),
    }
    return render(request, "reports/mandate_compare.html", context)


@project_view()
def changelog(request, project):
    context = {"project": project, "entries": changelog_entries(project)}
    return render(request, "reports/changelog.html", context)


@project_view()
def mandate_pdf(request, project):
    """The current mandate: the decided version's stored PDF if nothing has changed since, else
    a draft marked UTKAST."""
    latest = project.mandate_versions.first()
    if latest and project.mandate_state == Project.MandateState.DECIDED:
        return redirect("reports:mandate_version_pdf", project.pk, latest.number)
    snapshot = mandate_snapshot(project)
    # The draft says the day it was printed: that is part of what it is.
    content = {"snapshot": snapshot, "printed_on": timezone.localdate()}
    pdf = cached_pdf(content, lambda: render_mandate_pdf(snapshot), prefix="mandate-draft")
    return pdf_download(pdf, mandate_pdf_filename(snapshot))


@project_view()
def mandate_version_pdf(request, project, number):
    version = get_object_or_404(
        MandateVersion.objects.select_related("decided_by"), project=project, number=number
    )
    return frozen_pdf_download(
        version.pdf,
        mandate_pdf_filename(version.snapshot, version),
        lambda: render_mandate_pdf(version.snapshot, version=version),
    )


# --- Status reports ------------------------------------------------------------------------------


def _report(project, number) -> StatusReport:
    report = get_object_or_404(
        StatusReport.objects.select_related("published_by"), project=project, number=number
    )
    if not report.is_published and CHANGE_PLAN not in project.perms:
        # A draft is the leader's until it is published.
        raise Http404
    report.project = project  # with what get_project_for loaded
    return report


@project_view()
def reports(request, project):
    """Every report of the project, newest first, and the period that is due."""
    on = today()
    items = project.status_reports.select_related("published_by")
    if CHANGE_PLAN not in project.perms:
        items = items.published()  # a draft is the leader's until it is published
    items = list(items)
    latest = periods.latest_ended(project, on)
    made = {r.number for r in items}
    return render(
        request,
        "reports/reports.html",
        {
            "project": project,
            "reports": [
                {
                    "report": r,
                    "late": not r.is_published and r.period.is_late(on),
                }
                for r in items
            ],
            "due": latest if latest and latest.number not in made else None,
            "current": periods.current(project, on),
            "today": on,
        },
    )


@require_POST
@project_view(CHANGE_PLAN)
def report_create(request, project):
    """Make the draft of the latest ended period now, without waiting for the hourly dispatch."""
    period = periods.latest_ended(project, today())
    if period is None:
        messages.error(request, _("Ingen rapporteringsperiode er slutt ennå."))
        return redirect("reports:reports", project.pk)
    report, created = services.create_draft(project=project, period=period, by=request.user)
    if created:
        messages.success(request, _("Utkastet er laget fra prosjektets data."))
    return redirect("reports:report", project.pk, report.number)


@project_view()
def report(request, project, number):
    """A report: the leader completes the draft here; every member reads it."""
    item = _report(project, number)
    editable = CHANGE_PLAN in project.perms and not item.is_published
    form = StatusReportForm(request.POST or None, instance=item) if editable else None
    if request.method == "POST":
        require(project, CHANGE_PLAN)
        if form is None:
            messages.error(request, _("Rapporten er publisert og kan ikke endres."))
            return redirect("reports:report", project.pk, number)
        if form.is_valid():
            with errors_on_form(form):
                services.save_report(report=item, values=form.cleaned_data, by=request.user)
                messages.success(request, _("Rapporten er lagret."))
                return redirect("reports:report", project.pk, number)
    context = {
        **status_report_context(item),
        "form": form,
        "decision_form": DecisionRequestForm(prefix="ny", project=project) if editable else None,
        "benefit_form": BenefitMeasurementForm(project=project, prefix="maling")
        if editable and project.benefits.exists()
        else None,
        "deliveries": cycle.deliveries(item)
        if item.is_published and CHANGE_PLAN in project.perms
        else None,
    }
    return render(request, "reports/report.html", context)


@require_POST
@project_view(CHANGE_PLAN)
def report_refresh(request, project, number):
    with errors_as_message(request):
        services.refresh_draft(report=_report(project, number), by=request.user)
        messages.success(request, _("Tallene er hentet på nytt fra prosjektets data."))
    return redirect("reports:report", project.pk, number)


@require_POST
@project_view(CHANGE_PLAN)
def report_publish(request, project, number):
    with errors_as_message(request):
        report = services.publish(report=_report(project, number), by=request.user)
        if cycle.deliveries(report).exists():
            messages.success(
                request, _("Rapporten er publisert og sendes til styringsgruppen med PDF.")
            )
        else:
            messages.warning(
                request,
                _("Rapporten er publisert, men ingen i styringsgruppen har e-postadresse."),
            )
    return redirect("reports:report", project.pk, number)


@project_view()
def report_pdf(request, project, number):
    """The published report's stored PDF, or the draft rendered now and marked UTKAST."""
    item = _report(project, number)
    return frozen_pdf_download(
        item.pdf, status_report_filename(item), lambda: render_status_report_pdf(item)
    )


@require_POST
@project_view(CHANGE_PLAN)
def report_decision_request(request, project, number):
    """A decision request put forward in this report."""
    item = _report(project, number)
    form = DecisionRequestForm(request.POST, prefix="ny", project=project)
    if form.is_valid():
        decision = form.save(commit=False)
        decision.project, decision.report = project, item
        with errors_on_form(form):
            with transaction.atomic():  # the request and the draft's figures, or neither
                services.save_decision_request(
                    request=decision,
                    agenda_items=form.cleaned_data["agenda_items"],
                    by=request.user,
                )
                services.refresh_draft(report=item, by=request.user)
            messages.success(request, _("Saken er lagt fram for styringsgruppen i rapporten."))
            return redirect("reports:report", project.pk, number)
    messages.error(request, form_errors(form))
    return redirect("reports:report", project.pk, number)


@require_POST
@project_view(CHANGE_PLAN)
def report_benefit_measurement(request, project, number):
    item = _report(project, number)
    form = BenefitMeasurementForm(request.POST, project=project, prefix="maling")
    if form.is_valid():
        with errors_on_form(form):
            with transaction.atomic():  # the measurement and the draft's figures, or neither
                project_services.record_benefit_measurement(
                    measurement=form.save(commit=False), by=request.user
                )
                services.refresh_draft(report=item, by=request.user)
            messages.success(request, _("Målingen er registrert."))
            return redirect("reports:report", project.pk, number)
    messages.error(request, form_errors(form))
    return redirect("reports:report", project.pk, number)


# --- Decision requests to the steering group ----------------------------------------------------


@project_view()
def decisions(request, project):
    """What the steering group is asked to decide: for every member to read; the leader and the
    owner write the requests and record the decisions."""
    form = None
    if CHANGE_PLAN in project.perms:
        form = DecisionRequestForm(request.POST or None, prefix="ny", project=project)
    if request.method == "POST":
        require(project, CHANGE_PLAN)
        assert form is not None  # made above for a user with the right
        if form.is_valid():
            item = form.save(commit=False)
            item.project = project
            with errors_on_form(form):
                services.save_decision_request(
                    request=item, agenda_items=form.cleaned_data["agenda_items"], by=request.user
                )
                messages.success(request, _("Saken er lagt fram for styringsgruppen."))
                return redirect("reports:decisions", project.pk)
    requests = project.decision_requests.select_related("created_by").prefetch_related(
        Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("meeting"))
    )
    if CHANGE_PLAN not in project.perms:
        # One put forward in a status report reaches the steering group when it is published.
        requests = requests.put_forward()
    items = list(requests)
    for item in items:
        item.consulted = any(
            i.meeting.status == Meeting.Status.PROTOCOL_APPROVED for i in item.agenda_items.all()
        )
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
        messages.error(request, form_errors(form))
    else:
        with errors_as_message(request):
            services.record_decision(
                request=item,
                outcome=form.cleaned_data["outcome"],
                decision=form.cleaned_data["decision"],
                on=form.cleaned_data["decided_on"],
                no_protocol_reason=form.cleaned_data["no_protocol_reason"],
                by=request.user,
            )
            messages.success(request, _("Vedtaket er registrert."))
    return redirect("reports:decisions", project.pk)


# --- The project calendar (iCalendar feed with a secret link) -----------------------------------
# Imports of this section kept here, apart from the rest of the module.


@never_cache  # the page shows the secret link
@project_view()
def calendar(request, project):
    """The member's own secret link to the project calendar: shown, made anew or deleted."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            services.create_calendar_feed(project=project, user=request.user)
            messages.success(
                request, _("Ny kalenderlenke er laget. En eldre lenke virker ikke lenger.")
            )
        elif action == "revoke":
            services.revoke_calendar_feed(project=project, user=request.user)
            messages.success(request, _("Kalenderlenken er slettet og virker ikke lenger."))
        else:
            raise BadRequest
        return redirect("reports:calendar", project.pk)
    feed = CalendarFeed.objects.usable().filter(project=project, user=request.user).first()
    feed_url = (
        request.build_absolute_uri(reverse("reports:calendar_feed", args=[feed.token]))
        if feed
        else ""
    )
    context = {
        "project": project,
        "feed": feed,
        "feed_url": feed_url,
        # webcal:// asks the operating system to subscribe with its calendar app.
        "webcal_url": "webcal://" + feed_url.split("://", 1)[1] if feed_url else "",
    }
    return render(request, "reports/calendar.html", context)


@login_not_required  # a calendar app cannot log in: the token is the key
@require_safe
def calendar_feed(request, token):
    """The calendar of the feed's project as its user may see it now: 404 for a token unknown or
    revoked, and for a user deactivated or no longer able to see the project."""
    feed = (
        CalendarFeed.objects.usable().select_related("project", "user").filter(token=token).first()
    )
    if feed is None or not (
        Project.objects.visible_to(feed.user).filter(pk=feed.project_id).exists()
    ):
        raise Http404
    response = HttpResponse(project_calendar(feed), content_type="text/calendar; charset=utf-8")
    disposition = content_disposition_header(
        as_attachment=False, filename=f"{feed.project.code}.ics"
    )
    assert disposition is not None  # None only without a filename
    response["Content-Disposition"] = disposition
    response["Cache-Control"] = "private, max-age=300"
    return response


# --- The steering group's dashboard --------------------------------------------------------------


DASHBOARD_PAGE_SIZE = portfolio.PAGE_SIZE


def _portfolio(request):
    """The filters of the URL, and the standings they let through, need first."""
    on = today()
    form = portfolio.PortfolioFilter(
        request.GET or None, projects=Project.objects.visible_to(request.user)
    )
    choices = form.cleaned_data if form.is_valid() else {}
    return on, form, portfolio.standings(request.user, on, choices)


@login_required
def dashboard(request):
    """Every project the user may see at a glance ("styringsoversikt"): a table, those that need
    attention first, filtered by the URL, 50 to a page; each row opens the project's card. A
    fixed number of queries (reports.portfolio), and none while the data are unchanged: the
    table is kept in the cache under the data version (core.cache)."""

    def build_context():
        on, form, standings = _portfolio(request)
        page = Paginator(standings, DASHBOARD_PAGE_SIZE).get_page(request.GET.get("side"))
        query = request.GET.copy()
        query.pop("side", None)
        return {
            "rows": portfolio.portfolio_rows(request.user, on, list(page.object_list)),
            "page": page,
            "form": form,
            "filtered": form.is_filtered(),
            "query": query.urlencode(),
            "today": on,
        }

    portfolio_html = cached_part(
        request, "portfolio", "reports/dashboard.html#portfolio", build_context
    )
    return render(request, "reports/dashboard.html", {"portfolio": portfolio_html})


@login_required
@require_safe
def dashboard_timeline(request):
    """The phases, decision points and milestones of the portfolio's projects (the same filters,
    the same page) in a window of months, as a timeline with its table. A fixed number of
    queries."""
    on, form, standings = _portfolio(request)
    page = Paginator(standings, DASHBOARD_PAGE_SIZE).get_page(request.GET.get("side"))
    window = portfolio.TimelineWindow(request.GET or None)
    start, end = window.window(on)
    projects = list(
        Project.objects.filter(pk__in=[s.pk for s in page.object_list]).only("pk", "name", "code")
    )
    order = {s.pk: index for index, s in enumerate(page.object_list)}
    projects.sort(key=lambda p: order[p.pk])
    timeline, rows = portfolio.portfolio_timeline(projects, start, end, on)
    context = {
        "form": form,
        "window": window,
        "start": start,
        "end": end,
        "timeline": timeline,
        "rows": rows,
        "page": page,
        "today": on,
    }
    return render(request, "reports/dashboard_timeline.html", context)


@login_required
@require_safe
def dashboard_export(request):
    """The portfolio as the filters show it, every page, as an Excel workbook."""
    on, _form, standings = _portfolio(request)
    rows = portfolio.portfolio_rows(request.user, on, standings)
    with translation.override(settings.LANGUAGE_CODE):  # in Bokmål, as the steering group files it
        book = portfolio.workbook(rows)
    response = HttpResponse(
        book, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=portfolio.filename(on)
    )
    return response


@project_view()
def dashboard_project(request, project):
    """One project's card of the portfolio: lights, reports, milestones, what is up for
    decision, the latest consultation and the history of statuses."""
    on = today()
    rows = dashboard_rows(
        request.user, on, dashboard_projects(request.user, on).filter(pk=project.pk)
    )
    return render(
        request,
        "reports/dashboard_project.html",
        {"project": project, "row": rows[0], "today": on},
    )


# --- "Mine oppgaver": the front page -------------------------------------------------------------


@login_required
def home(request):
    """What waits for the user across their projects, grouped, each linking to where they act;
    with nothing waiting, what their roles let them do. A fixed number of queries."""
    items = worklist.tasks(request.user)
    groups = [
        {"key": key, "label": label, "tasks": [t for t in items if t.kind == key]}
        for key, label in worklist.GROUPS.items()
    ]
    roles = set(Membership.objects.filter(user=request.user).values_list("role", flat=True))
    context = {
        "groups": [g for g in groups if g["tasks"]],
        "count": len(items),
        "roles": roles,
        "today": today(),
    }
    return render(request, "reports/home.html", context)


# --- The archive export -------------------------------------------------------------------------


@project_view(EXPORT_ARCHIVE)
def archive(request, project):
    """What the archive export holds: every frozen document, with its type, date and responsible
    person, before the records office downloads it."""
    context = {
        "project": project,
        "documents": frozen_documents(project),
        "filename": archive_filename(project),
    }
    return render(request, "reports/archive.html", context)


@require_safe
@project_view(EXPORT_ARCHIVE)
def archive_download(request, project):
    """The zip, built in the request (every document stored or rendered as PDF/A-2b)."""
    response = HttpResponse(archive_zip(project), content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=archive_filename(project)
    )
    return no_store(response)
