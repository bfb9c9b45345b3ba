"""Thin views: check through projects.permissions, validate a form, call a service, render.

The organization, positions and role descriptions are for every member to read (union and safety
representatives are consulted on them); owner, leader and HR change them (CHANGE_ORGANISATION).
Employees, mapping interviews and placements are personal data: their views use
`personal_data_view`, which answers 404 to anyone without VIEW_PERSONAL_DATA, and every view of an
employee's record and every export is logged."""

from collections import Counter, defaultdict
from copy import copy

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import User
from core.forms import errors_as_message, errors_on_form, first_submission
from core.pdf import norwegian_slug, pdf_download, render_pdf
from projects.models import Membership
from projects.permissions import (
    CHANGE_ORGANISATION,
    MANAGE_MEMBERS,
    MANAGE_PERSONNEL,
    MANAGE_PRIVACY,
    ROLE_PERMISSIONS,
    VIEW_PERSONAL_DATA,
    no_store,
    personal_data_view,
    project_view,
)

from . import access_log, documents, exports, imports, privacy, services
from .forms import (
    CompetenceFormSet,
    CsvUploadForm,
    EmployeeForm,
    ErasureForm,
    InsightForm,
    InterviewForm,
    PlacementForm,
    PlacementStatusForm,
    PositionForm,
    RetentionForm,
    RoleDescriptionForm,
    UnitForm,
)
from .models import (
    Competence,
    Employee,
    MappingInterview,
    OrgUnit,
    PersonalDataAccess,
    Placement,
    Position,
    RoleDescription,
    filled_fte,
)
from .orgchart import build_tree, compare, layout_chart

Purpose = PersonalDataAccess.Purpose

Structure = OrgUnit.Structure
STRUCTURE_SLUGS = {"navaerende": Structure.CURRENT, "fremtidig": Structure.FUTURE}
PER_PAGE = 100


def _structure(slug):
    if slug not in STRUCTURE_SLUGS:
        raise Http404
    return STRUCTURE_SLUGS[slug]


# --- The organization, as it is and as it will be -----------------------------------------------


@project_view()
def organisation(request, project):
    units = list(project.org_units.all())
    current = [u for u in units if u.structure == Structure.CURRENT]
    future = [u for u in units if u.structure == Structure.FUTURE]
    mappings = list(
        OrgUnit.successors.through.objects.filter(from_orgunit__project=project).values_list(
            "from_orgunit_id", "to_orgunit_id"
        )
    )
    context = {
        "project": project,
        "current_chart": layout_chart(current, dom_id="naa"),
        "current_tree": build_tree(current),
        "future_chart": layout_chart(future, dom_id="framtid"),
        "future_tree": build_tree(future),
        "comparison": compare(current, future, mappings),
        "can_edit": CHANGE_ORGANISATION in project.perms,
    }
    return render(request, "roles/organisation.html", context)


@project_view(CHANGE_ORGANISATION)
def unit_create(request, project, structure):
    return _unit_form(request, project, _structure(structure), None)


@project_view(CHANGE_ORGANISATION)
def unit_edit(request, project, pk):
    unit = get_object_or_404(OrgUnit, project=project, pk=pk)
    return _unit_form(request, project, unit.structure, unit)


def _unit_form(request, project, structure, unit):
    form = UnitForm(
        request.POST or None,
        instance=copy(unit) if unit else None,
        project=project,
        structure=structure,
    )
    if request.method == "POST" and form.is_valid():
        with errors_on_form(form):
            saved = services.save_unit(
                unit=form.save(commit=False),
                successors=form.cleaned_data.get("successors"),
                by=request.user,
            )
            messages.success(request, _("%(name)s er lagret.") % {"name": saved.name})
            return redirect("roles:organisation", project.pk)
    context = {"project": project, "form": form, "unit": unit, "structure": structure}
    return render(request, "roles/unit_form.html", context)


@require_POST
@project_view(CHANGE_ORGANISATION)
def unit_delete(request, project, pk):
    unit = get_object_or_404(OrgUnit, project=project, pk=pk)
    with errors_as_message(request):
        services.delete_unit(unit=unit, by=request.user)
        messages.success(request, _("%(name)s er slettet.") % {"name": unit.name})
        return redirect("roles:organisation", project.pk)
    return redirect("roles:unit_edit", project.pk, unit.pk)


@project_view(CHANGE_ORGANISATION)
def units_import(request, project):
    return _csv_import(
        request,
        project,
        importer=imports.import_current_units,
        done=lambda n: ngettext("%(n)s enhet er importert.", "%(n)s enheter er importert.", n),
        back="roles:organisation",
        title=_("Importer nåværende organisasjon"),
        columns="Kode; Navn; Type; Overordnet; Leder",
        example="Kode;Navn;Type;Overordnet;Leder\nHM;Helse og mestring;Sektor;;Kommunalsjef\n"
        "HJT;Hjemmetjenesten;Enhet;HM;Enhetsleder",
    )


def _csv_import(request, project, *, importer, done, back, title, columns, example, logged=None):
    """Upload a CSV file from the HR system: all rows imported, or none and every bad line named.
    `logged`: the access log's purpose, for a file of personal data."""
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with errors_on_form(form):
            created = importer(project=project, file=form.cleaned_data["file"], by=request.user)
            if logged:
                access_log.log(request, project, logged, employees=created)
            messages.success(request, done(len(created)) % {"n": len(created)})
            return redirect(back, project.pk)
    context = {
        "project": project,
        "form": form,
        "title": title,
        "back": reverse(back, args=[project.pk]),
        "columns": columns,
        "example": example,
    }
    return render(request, "roles/csv_import.html", context)


# --- Positions and role descriptions -------------------------------------------------------------


@project_view()
def positions(request, project):
    form = None
    if CHANGE_ORGANISATION in project.perms:
        form = PositionForm(request.POST or None, project=project, prefix="ny")
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            position = form.save(commit=False)
            with errors_on_form(form), first_submission(form) as first:
                if first:
                    services.save_position(position=position, by=request.user)
                messages.success(request, _("%(title)s er lagt til.") % {"title": position.title})
                return redirect("roles:positions", project.pk)
    items = (
        project.positions.select_related("unit", "reports_to", "role_description")
        .annotate(filled=filled_fte())
        .order_by("unit__order", "unit__name", "order", "title", "pk")
    )
    units = [
        # (unit, positions, whether any of them has a role description for the unit's PDF)
        (unit, ps, any(getattr(p, "role_description", None) for p in ps))
        for unit, ps in _by_unit(items)
    ]
    context = {"project": project, "units": units, "form": form}
    return render(request, "roles/positions.html", context)


def _by_unit(positions):
    grouped = defaultdict(list)
    units = {}
    for position in positions:
        position.vacant = position.fte - position.filled
        grouped[position.unit_id].append(position)
        units[position.unit_id] = position.unit
    return [(units[pk], grouped[pk]) for pk in units]


@project_view(CHANGE_ORGANISATION)
def position_edit(request, project, pk):
    position = get_object_or_404(Position, project=project, pk=pk)
    form = PositionForm(request.POST or None, instance=copy(position), project=project)
    if request.method == "POST" and form.is_valid():
        with errors_on_form(form):
            services.save_position(position=form.save(commit=False), by=request.user)
            messages.success(request, _("Stillingen er lagret."))
            return redirect("roles:positions", project.pk)
    return render(
        request,
        "roles/position_form.html",
        {"project": project, "form": form, "position": position},
    )


@require_POST
@project_view(CHANGE_ORGANISATION)
def position_delete(request, project, pk):
    position = get_object_or_404(Position, project=project, pk=pk)
    with errors_as_message(request):
        services.delete_position(position=position, by=request.user)
        messages.success(request, _("Stillingen er slettet."))
        return redirect("roles:positions", project.pk)
    return redirect("roles:position_edit", project.pk, position.pk)


def _description_of(project, position_pk):
    position = get_object_or_404(
        Position.objects.select_related("unit", "unit__parent", "reports_to"),
        project=project,
        pk=position_pk,
    )
    description = (
        RoleDescription.objects.filter(position=position).prefetch_related("competences").first()
    )
    return position, description


@project_view()
def role_description(request, project, position_pk):
    position, description = _description_of(project, position_pk)
    context = {
        "project": project,
        "position": position,
        "description": description,
        "can_edit": CHANGE_ORGANISATION in project.perms,
    }
    return render(request, "roles/role_description.html", context)


@project_view(CHANGE_ORGANISATION)
def role_description_edit(request, project, position_pk):
    position, description = _description_of(project, position_pk)
    instance = copy(description) if description else RoleDescription(position=position)
    form = RoleDescriptionForm(request.POST or None, instance=instance)
    competences = CompetenceFormSet(
        request.POST or None,
        queryset=description.competences.all() if description else Competence.objects.none(),
        prefix="kompetanse",
    )
    if request.method == "POST" and form.is_valid() and competences.is_valid():
        rows = [
            {k: f.cleaned_data[k] for k in ("category", "text", "level")}
            for f in competences.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        with errors_on_form(form):
            saved = services.save_role_description(
                description=form.save(commit=False), competences=rows, by=request.user
            )
            messages.success(
                request,
                _("Rollebeskrivelsen er lagret som versjon %(n)s.") % {"n": saved.version},
            )
            return redirect("roles:role_description", project.pk, position.pk)
    context = {
        "project": project,
        "position": position,
        "description": description,
        "form": form,
        "competences": competences,
    }
    return render(request, "roles/role_description_form.html", context)


@project_view()
def role_description_pdf(request, project, position_pk):
    position, description = _description_of(project, position_pk)
    if description is None:
        raise Http404
    pdf = documents.render_role_descriptions_pdf(project, [description])
    return pdf_download(pdf, documents.role_descriptions_filename(project, description=description))


@project_view()
def unit_role_descriptions_pdf(request, project, unit_pk):
    """All role descriptions of a future unit (and the units below it) in one file."""
    unit = get_object_or_404(OrgUnit, project=project, pk=unit_pk, structure=Structure.FUTURE)
    units = {unit.pk}
    children = defaultdict(list)
    for pk, parent in project.org_units.filter(structure=Structure.FUTURE).values_list(
        "pk", "parent_id"
    ):
        children[parent].append(pk)
    stack = [unit.pk]
    while stack:
        for child in children[stack.pop()]:
            units.add(child)
            stack.append(child)
    descriptions = list(
        RoleDescription.objects.filter(position__unit__in=units)
        .select_related(
            "position", "position__unit", "position__unit__parent", "position__reports_to"
        )
        .prefetch_related("competences")
        .order_by(
            "position__unit__order", "position__unit__name", "position__order", "position__pk"
        )
    )
    if not descriptions:
        messages.info(
            request, _("%(unit)s har ingen rollebeskrivelser ennå.") % {"unit": unit.name}
        )
        return redirect("roles:positions", project.pk)
    pdf = documents.render_role_descriptions_pdf(project, descriptions)
    return pdf_download(pdf, documents.role_descriptions_filename(project, unit=unit))


# --- The staffing plan -----------------------------------------------------------------------


@project_view()
def staffing(request, project):
    """Per future unit its positions with filled and vacant FTE, for every member; per employee
    the status, for those who may see personal data. Others see the counts only."""
    positions = (
        project.positions.select_related("unit")
        .annotate(filled=filled_fte())
        .order_by("unit__order", "unit__name", "order", "title", "pk")
    )
    units = _by_unit(positions)
    totals = {
        "fte": sum((p.fte for _u, ps in units for p in ps), start=0),
        "filled": sum((p.filled for _u, ps in units for p in ps), start=0),
    }
    totals["vacant"] = totals["fte"] - totals["filled"]
    sees_names = VIEW_PERSONAL_DATA in project.perms
    employees = project.employees.all()
    status_counts = _status_counts(project)
    page = None
    if sees_names:
        page = Paginator(
            employees.select_related("current_unit").prefetch_related(
                Prefetch(
                    "placements",
                    queryset=Placement.objects.select_related("position", "position__unit"),
                )
            ),
            PER_PAGE,
        ).get_page(request.GET.get("side"))
        for employee in page.object_list:
            employee.status = exports.employee_status(employee, list(employee.placements.all()))
        access_log.log(request, project, Purpose.STAFFING, employees=page.object_list)
    context = {
        "project": project,
        "units": units,
        "totals": totals,
        "sees_names": sees_names,
        "page": page,
        "status_counts": status_counts,
    }
    response = render(request, "roles/staffing.html", context)
    return no_store(response) if sees_names else response


def _status_counts(project):
    """How many employees have each status: counts, not names (union representatives see these).
    One query whatever the number of employees."""
    counts = Counter(
        exports.status_label(
            filling=filling,
            pending=pending,
            redundant=redundant,
            declined=declined,
            conversation=bool(conversation_on),
        )
        for filling, pending, redundant, declined, conversation_on in (
            project.employees.with_placement_state().values_list(
                "filling_status",
                "pending_status",
                "redundant",
                "has_declined",
                "restructuring_conversation_on",
            )
        )
    )
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


@personal_data_view()
def staffing_export(request, project):
    units = list(project.org_units.filter(structure=Structure.FUTURE))
    positions = list(
        project.positions.select_related("unit").prefetch_related(
            Prefetch(
                "placements",
                queryset=Placement.objects.filter(status__in=Placement.FILLING).select_related(
                    "employee"
                ),
            )
        )
    )
    employees = list(
        project.employees.select_related("current_unit").prefetch_related(
            Prefetch("placements", queryset=Placement.objects.select_related("position"))
        )
    )
    placements = [p for position in positions for p in position.placements.all()]
    with translation.override(settings.LANGUAGE_CODE):  # the workbook is in Bokmål, as HR files it
        workbook = exports.staffing_plan_workbook(project, units, positions, placements, employees)
    access_log.log(request, project, Purpose.EXPORT, employees=employees)
    response = HttpResponse(
        workbook,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="bemanningsplan-{project.code.lower()}.xlsx"'
    )
    return response


# --- Employees and mapping interviews (personal data) --------------------------------------------


@personal_data_view()
def employees(request, project):
    form = None
    if MANAGE_PERSONNEL in project.perms:
        form = EmployeeForm(request.POST or None, project=project, prefix="ny")
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            with errors_on_form(form):
                employee = services.save_employee(employee=form.save(commit=False), by=request.user)
                messages.success(request, _("%(name)s er lagt til.") % {"name": employee})
                return redirect("roles:employee", project.pk, employee.pk)
    # PostgreSQL takes no NUL in a string: a search for one finds what the rest finds.
    query = request.GET.get("sok", "").replace("\x00", "").strip()
    items = project.employees.select_related("current_unit")
    if query:
        items = items.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(employee_number__icontains=query)
        )
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("side"))
    access_log.log(
        request,
        project,
        Purpose.SEARCH if query else Purpose.LIST,
        employees=page.object_list,
        query=query,
    )
    context = {"project": project, "page": page, "form": form, "query": query}
    return render(request, "roles/employees.html", context)


@personal_data_view(MANAGE_PERSONNEL)
def employees_import(request, project):
    return _csv_import(
        request,
        project,
        importer=imports.import_employees,
        logged=Purpose.IMPORT,
        done=lambda n: ngettext("%(n)s ansatt er importert.", "%(n)s ansatte er importert.", n),
        back="roles:employees",
        title=_("Importer ansatte"),
        columns="Ansattnummer; Fornavn; Etternavn; Enhet; Stilling; Stillingsprosent; "
        "Startdato; Kompetanse",
        example="Ansattnummer;Fornavn;Etternavn;Enhet;Stilling;Stillingsprosent;Startdato;"
        "Kompetanse\n1001;Kari;Eksempel;HJT;Sykepleier;80;01.09.2015;Sykepleier;Veiledning",
    )


@personal_data_view()
def employee(request, project, pk):
    """An employee's record. Every view is logged: who, when."""
    item = get_object_or_404(
        Employee.objects.select_related("current_unit"), project=project, pk=pk
    )
    access_log.log(request, project, Purpose.RECORD, employees=[item])
    placements = list(
        item.placements.select_related("position", "position__unit", "position__role_description")
        .prefetch_related("position__role_description__competences")
        .order_by("-created_at")
    )
    for placement in placements:
        # For the template only: not a field of Placement.
        placement.missing = services.missing_competences(item, placement.position)  # type: ignore[attr-defined]
    context = {
        "project": project,
        "employee": item,
        "interviews": item.interviews.select_related("held_by").prefetch_related(
            "wishes__position__unit"
        ),
        "placements": placements,
        "accesses": item.accesses.select_related("user").order_by("-at")[:20],
        "can_edit": MANAGE_PERSONNEL in project.perms,
    }
    return render(request, "roles/employee.html", context)


@personal_data_view(MANAGE_PERSONNEL)
def employee_edit(request, project, pk):
    item = get_object_or_404(Employee, project=project, pk=pk)
    access_log.log(request, project, Purpose.EDIT, employees=[item])
    form = EmployeeForm(request.POST or None, instance=copy(item), project=project)
    if request.method == "POST" and form.is_valid():
        with errors_on_form(form):
            services.save_employee(employee=form.save(commit=False), by=request.user)
            messages.success(request, _("Opplysningene er lagret."))
            return redirect("roles:employee", project.pk, item.pk)
    return render(
        request, "roles/employee_form.html", {"project": project, "form": form, "employee": item}
    )


@personal_data_view(MANAGE_PERSONNEL)
def interview_create(request, project, employee_pk):
    return _interview_form(request, project, employee_pk, None)


@personal_data_view(MANAGE_PERSONNEL)
def interview_edit(request, project, employee_pk, pk):
    interview = get_object_or_404(
        MappingInterview, employee__project=project, employee_id=employee_pk, pk=pk
    )
    return _interview_form(request, project, employee_pk, interview)


def _interview_form(request, project, employee_pk, interview):
    item = get_object_or_404(Employee, project=project, pk=employee_pk)
    access_log.log(request, project, Purpose.INTERVIEW, employees=[item])
    instance = copy(interview) if interview else MappingInterview(employee=item)
    form = InterviewForm(request.POST or None, instance=instance, project=project)
    if request.method == "POST" and form.is_valid():
        with errors_on_form(form):
            services.save_interview(
                interview=form.save(commit=False), wishes=form.wishes, by=request.user
            )
            messages.success(request, _("Kartleggingssamtalen er lagret."))
            return redirect("roles:employee", project.pk, item.pk)
    context = {"project": project, "form": form, "employee": item, "interview": interview}
    return render(request, "roles/interview_form.html", context)


# --- Placements (personal data) ----------------------------------------------------------------


@personal_data_view()
def placements(request, project):
    items = Placement.objects.filter(employee__project=project).select_related(
        "employee", "position", "position__unit"
    )
    status = request.GET.get("status", "")
    if status in Placement.Status.values:
        items = items.filter(status=status)
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("side"))
    _attach_missing(page.object_list)
    access_log.log(
        request, project, Purpose.PLACEMENTS, employees=[p.employee_id for p in page.object_list]
    )
    context = {
        "project": project,
        "page": page,
        "status": status,
        "statuses": Placement.Status.choices,
        "can_edit": MANAGE_PERSONNEL in project.perms,
    }
    return render(request, "roles/placements.html", context)


@personal_data_view(MANAGE_PERSONNEL)
def placement_create(request, project, employee_pk):
    item = get_object_or_404(Employee, project=project, pk=employee_pk)
    access_log.log(request, project, Purpose.EDIT, employees=[item])
    form = PlacementForm(request.POST or None, project=project, employee=item)
    if request.method == "POST" and form.is_valid():
        with errors_on_form(form):
            placement = services.save_placement(placement=form.save(commit=False), by=request.user)
            messages.success(
                request,
                _("%(employee)s er foreslått til %(position)s.")
                % {"employee": placement.employee, "position": placement.position.title},
            )
            _warn_missing(request, placement)
            return redirect("roles:employee", project.pk, item.pk)
    return render(
        request, "roles/placement_form.html", {"project": project, "form": form, "employee": item}
    )


def _attach_missing(placements):
    """The competence warning for each placement on the page, with two queries for all of them:
    the required competences of the positions' role descriptions."""
    position_ids = {p.position_id for p in placements}
    required = defaultdict(list)
    for position_id, text in Competence.objects.filter(
        role_description__position_id__in=position_ids, level=Competence.Level.REQUIRED
    ).values_list("role_description__position_id", "text"):
        required[position_id].append(text)
    for placement in placements:
        has = {c.casefold() for c in placement.employee.competence_list}
        placement.missing = [t for t in required[placement.position_id] if t.casefold() not in has]
        # "Drøftet" is marked from the meeting's agenda item, and a decision has a page of its
        # own with what was consulted on (consultations): the rest changes here.
        nexts = services.NEXT_STATUSES[placement.status]
        placement.allowed = [
            (value, Placement.Status(value).label)
            for value in sorted(nexts - {Placement.Status.CONSULTED, Placement.Status.DECIDED})
        ]
        placement.decidable = Placement.Status.DECIDED in nexts


def _warn_missing(request, placement):
    missing = services.missing_competences(placement.employee, placement.position)
    if missing:
        messages.warning(
            request,
            _("%(employee)s mangler påkrevd kompetanse for stillingen: %(missing)s.")
            % {"employee": placement.employee, "missing": ", ".join(missing)},
        )


@personal_data_view(MANAGE_PERSONNEL)  # outermost: without the right, even a GET answers 404
@require_POST
def placement_status(request, project, pk):
    placement = get_object_or_404(
        Placement.objects.select_related("employee", "position"), employee__project=project, pk=pk
    )
    form = PlacementStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Velg en gyldig status."))
    else:
        with errors_as_message(request):
            placement = services.set_placement_status(
                placement=placement, status=form.cleaned_data["status"], by=request.user
            )
            messages.success(
                request,
                _("Innplasseringen av %(employee)s er nå «%(status)s».")
                % {"employee": placement.employee, "status": placement.get_status_display()},
            )
    return redirect(reverse("roles:placements", args=[project.pk]) + f"#p{placement.pk}")


# --- Personal data from import to deletion (GDPR articles 15, 17 and 30) ---------------------------


@project_view(MANAGE_MEMBERS)
def insight(request, project, pk):
    """Give a member without a personal-data role insight, for a purpose until a day (GET: the
    form; POST), or take it back (POST withdraw=1). Both are in the access log."""
    membership = get_object_or_404(
        Membership.objects.select_related("user"), project=project, pk=pk
    )
    if ROLE_PERMISSIONS[membership.role] >= {VIEW_PERSONAL_DATA}:
        raise Http404  # their role sees it already
    if request.method == "POST" and request.POST.get("withdraw"):
        services.grant_insight(membership=membership, grant=False, by=request.user)
        messages.success(
            request,
            _("%(user)s har ikke lenger innsyn i personopplysninger.") % {"user": membership.user},
        )
        return redirect("projects:members", project.pk)
    form = InsightForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_on_form(form):
            services.grant_insight(membership=membership, grant=True, by=request.user,
                                   **form.cleaned_data)  # fmt: skip
            messages.success(
                request,
                _("%(user)s har fått innsyn i personopplysninger til og med %(until)s.")
                % {"user": membership.user, "until": f"{form.cleaned_data['until']:%d.%m.%Y}"},
            )
            return redirect("projects:members", project.pk)
    context = {"project": project, "membership": membership, "form": form}
    return render(request, "roles/insight_form.html", context)


@personal_data_view(MANAGE_PRIVACY)
def access_log_page(request, project):
    """The access log, newest first, for one employee or one user if chosen: who saw what, why,
    when. A page at a time."""
    rows = (
        PersonalDataAccess.objects.filter(project=project)
        .select_related("user")
        .prefetch_related("employees")
    )
    employee = user = None
    if (pk := request.GET.get("ansatt", "")).isascii() and pk.isdigit():  # not "²" or "١"
        employee = get_object_or_404(Employee, project=project, pk=pk)
        rows = rows.filter(employees=employee)
    if (pk := request.GET.get("bruker", "")).isascii() and pk.isdigit():  # not "²" or "١"
        user = get_object_or_404(User, memberships__project=project, pk=pk)
        rows = rows.filter(user=user)
    page = Paginator(rows.distinct(), PER_PAGE).get_page(request.GET.get("side"))
    context = {"project": project, "page": page, "employee": employee, "chosen_user": user,
               "users": User.objects.filter(memberships__project=project).distinct()}  # fmt: skip
    return render(request, "roles/access_log.html", context)


@personal_data_view(MANAGE_PRIVACY)
def processing(request, project):
    """The project's record of processing (article 30): what personal data it holds, why, who
    may see it, and when it is erased; the keepers may extend the retention once."""
    form = None
    if project.closed_on and not project.retention_extended_until:
        form = RetentionForm(request.POST or None)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            with errors_on_form(form):
                extended = privacy.extend_retention(
                    project=project, reason=form.cleaned_data["reason"], by=request.user
                )
                messages.success(
                    request,
                    _("Personopplysningene oppbevares til %(day)s.")
                    % {"day": f"{extended.retention_extended_until:%d.%m.%Y}"},
                )
                return redirect("roles:processing", project.pk)
    context = {
        "project": project,
        "record": privacy.processing(project),
        "months": privacy.retention_months(),
        "form": form,
    }
    return render(request, "roles/processing.html", context)


@personal_data_view(MANAGE_PRIVACY)
def employee_erase(request, project, pk):
    """Anonymise an employee, after a confirmation that says what goes."""
    item = get_object_or_404(Employee, project=project, pk=pk, erased_at__isnull=True)
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_on_form(form):
            # The service logs the erasure itself.
            privacy.erase_employee(employee=item, by=request.user,
                                   reason=form.cleaned_data["reason"])  # fmt: skip
            messages.success(request, _("Den ansatte er anonymisert."))
            return redirect("roles:employees", project.pk)
    access_log.log(request, project, Purpose.ERASURE, employees=[item], note=_("Bekreftelse"))
    context = {
        "project": project,
        "employee": item,
        "form": form,
        "interviews": item.interviews.count(),
        "placements": item.placements.count(),
    }
    return render(request, "roles/employee_erase.html", context)


@personal_data_view(MANAGE_PRIVACY)
def access_request(request, project, pk, kind):
    """Everything held about one employee (article 15): a PDF for the person, JSON for the
    record. Logged."""
    item = get_object_or_404(Employee.objects.select_related("project"), project=project, pk=pk)
    access_log.log(request, project, Purpose.ACCESS_REQUEST, employees=[item], note=kind)
    slug = norwegian_slug(f"{item.first_name}-{item.last_name}", 40)
    if kind == "json":
        response = HttpResponse(privacy.employee_record_json(item), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="innsyn-{slug}.json"'
        return response
    pdf = render_pdf("roles/pdf/access_request.html",
                     {"record": privacy.employee_record(item), "project": project})  # fmt: skip
    return pdf_download(pdf, f"innsyn-{slug}.pdf")
