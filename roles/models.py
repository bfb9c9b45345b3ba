"""The organization and staffing plan: the current and the future organization (OrgUnit trees),
positions and role descriptions in the future one, and the personal data of the placement
("innplassering"): employees, mapping interviews and placements.

Employees, interviews, placements and the access log are personal data: every view of them goes
through projects.permissions with VIEW_PERSONAL_DATA, and their lists are filtered in SQL."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.validators import validate_date_range, validate_single_line
from projects.models import Project

User = settings.AUTH_USER_MODEL

# A person's FTE is at most 100 %; a position may be several whole jobs (300 % is three).
FTE_VALIDATORS = [MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))]
POSITION_FTE_VALIDATORS = [MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("10000"))]


# Levels an organization may have (the top units are level 1): a municipality has four or five;
# the chart and the outline are drawn for at most this many.
MAX_ORG_LEVELS = 15


def unit_levels(parents: dict[Any, Any]) -> dict[Any, int]:
    """The level of every unit (1 at the top), from {unit: its parent or None}. Iterative, so that
    no stored organization, however deep, can exhaust the stack; a unit in a loop of parents
    counts as a top unit where the loop is entered."""
    levels: dict[Any, int] = {}
    for start in parents:
        chain: list[Any] = []
        on_chain: set[Any] = set()
        current = start
        while current is not None and current not in levels and current not in on_chain:
            chain.append(current)
            on_chain.add(current)
            current = parents.get(current)
        level = levels.get(current, 0)
        for unit in reversed(chain):
            level += 1
            levels[unit] = level
    return levels


class OrgUnit(models.Model):
    """A sector, unit or department, in the organization as it is (current) or as it will be
    (future). The current one is imported from the HR system; the future one is drawn up in the
    product. `successors` maps a current unit to the future units its work goes to."""

    class Structure(models.TextChoices):
        CURRENT = "current", _("Nåværende")
        FUTURE = "future", _("Fremtidig")

    class Kind(models.TextChoices):
        SECTOR = "sector", _("Sektor")
        UNIT = "unit", _("Enhet")
        DEPARTMENT = "department", _("Avdeling")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="org_units")
    structure = models.CharField(_("organisasjon"), max_length=10, choices=Structure)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("overordnet"),
    )
    kind = models.CharField(_("type"), max_length=12, choices=Kind, default=Kind.UNIT)
    name = models.CharField(_("navn"), max_length=200, validators=[validate_single_line])
    code = models.CharField(
        _("kode"),
        max_length=30,
        blank=True,
        help_text=_("Enhetens kode i HR-systemet."),
        validators=[validate_single_line],
    )
    leader_title = models.CharField(
        _("lederstilling"),
        max_length=200,
        blank=True,
        help_text=_("For eksempel Enhetsleder."),
        validators=[validate_single_line],
    )
    order = models.PositiveIntegerField(_("rekkefølge"), default=1)
    successors = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="predecessors",
        verbose_name=_("videreføres i"),
        help_text=_("De fremtidige enhetene arbeidet i denne enheten går til."),
    )
    history = HistoricalRecords(m2m_fields=[successors])
    _change_reason: str  # read by simple-history when set before save() or delete()

    class Meta:
        verbose_name = _("organisasjonsenhet")
        verbose_name_plural = _("organisasjonsenheter")
        ordering = ["structure", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "structure", "code"],
                condition=~Q(code=""),
                name="org_unit_code_unique",
                violation_error_message=_("Koden er allerede brukt i denne organisasjonen."),
            ),
        ]

    def __str__(self):
        return self.name


class Position(models.Model):
    """A position ("stilling") in the future organization."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="positions")
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="positions", verbose_name=_("enhet")
    )
    title = models.CharField(
        _("stillingsbetegnelse"), max_length=200, validators=[validate_single_line]
    )
    code = models.CharField(
        _("stillingskode"), max_length=20, blank=True, validators=[validate_single_line]
    )
    fte = models.DecimalField(
        _("stillingsprosent"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("100"),
        validators=POSITION_FTE_VALIDATORS,
        help_text=_("Summen av stillingsprosenter: 100 er én hel stilling, 300 er tre."),
    )
    reports_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("rapporterer til"),
    )
    order = models.PositiveIntegerField(_("rekkefølge"), default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stilling")
        verbose_name_plural = _("stillinger")
        ordering = ["unit__order", "unit__name", "order", "title", "pk"]

    def __str__(self):
        return f"{self.title}, {self.unit}" if self.unit_id else self.title


STANDARD_CHANGE_CLAUSE = (
    "Arbeidsgiver har rett til å foreta endringer i rollebeskrivelsen når dette er begrunnet i "
    "virksomhetens behov. Ved endringer skal arbeidstaker få rimelig varsel. Arbeidsgiver skal i "
    "denne sammenhengen vurdere eventuelle kompetanseutviklingstiltak."
)


class RoleDescription(models.Model):
    """The role description of a position, with the fields of Appendix 1 of seed 001. Each saved
    change raises `version`; history keeps every version."""

    position = models.OneToOneField(
        Position,
        on_delete=models.CASCADE,
        related_name="role_description",
        verbose_name=_("stilling"),
    )
    position_name = models.CharField(
        _("stillingens navn (i dagligtale)"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
    )
    main_goal = models.TextField(
        _("hovedmål"),
        blank=True,
        max_length=2000,
        help_text=_("Fortsetter «… har som hovedmål å»: ansvars- og arbeidsområdet."),
    )
    main_tasks = models.TextField(
        _("arbeidsoppgaver og hovedoppgaver"), blank=True, max_length=10000
    )
    education = models.TextField(_("utdanningskrav"), blank=True, max_length=2000)
    education_level = models.CharField(
        _("utdanningsnivå"), max_length=200, blank=True, validators=[validate_single_line]
    )
    certifications = models.TextField(_("sertifisering og kurs"), blank=True, max_length=2000)
    general_requirements = models.TextField(
        _("generelle og andre krav"), blank=True, max_length=5000
    )
    personnel_responsibility = models.TextField(_("personalansvar"), blank=True, max_length=2000)
    budget_responsibility = models.TextField(_("budsjettansvar"), blank=True, max_length=2000)
    professional_responsibility = models.TextField(_("fagansvar"), blank=True, max_length=2000)
    special_tasks = models.TextField(_("særskilte oppgaver"), blank=True, max_length=2000)
    change_clause = models.TextField(
        _("opphør og/eller endring"), default=STANDARD_CHANGE_CLAUSE, max_length=2000
    )
    version = models.PositiveIntegerField(_("versjon"), default=1)
    updated_at = models.DateTimeField(_("sist endret"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rollebeskrivelse")
        verbose_name_plural = _("rollebeskrivelser")

    def __str__(self):
        return self.position_name or str(self.position)


class Competence(models.Model):
    """One item of a role description's competence profile."""

    class Category(models.TextChoices):
        PERSONAL = "personal", _("Personlige egenskaper")
        EXPERIENCE = "experience", _("Relevant erfaring")
        PROFESSIONAL = "professional", _("Fagområder")

    class Level(models.TextChoices):
        REQUIRED = "required", _("Påkrevd")
        USEFUL = "useful", _("Nyttig")

    role_description = models.ForeignKey(
        RoleDescription, on_delete=models.CASCADE, related_name="competences"
    )
    category = models.CharField(_("kategori"), max_length=12, choices=Category)
    text = models.CharField(_("kompetanse"), max_length=200, validators=[validate_single_line])
    level = models.CharField(_("krav"), max_length=10, choices=Level, default=Level.REQUIRED)
    order = models.PositiveIntegerField(_("rekkefølge"), default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kompetanse")
        verbose_name_plural = _("kompetanseprofil")
        ordering = ["category", "order", "pk"]

    def __str__(self):
        return self.text


# --- Personal data ------------------------------------------------------------------------------


class EmployeeQuerySet(models.QuerySet):
    def with_placement_state(self):
        """Where each employee stands, in SQL: the status of their decided/accepted placement,
        of their latest proposed/consulted one, and whether they declined an offer (see
        roles.exports.status_label)."""
        placements = Placement.objects.filter(employee=models.OuterRef("pk"))
        pending = (Placement.Status.PROPOSED, Placement.Status.CONSULTED)
        return self.annotate(
            filling_status=models.Subquery(
                placements.filter(status__in=Placement.FILLING).values("status")[:1]
            ),
            pending_status=models.Subquery(
                placements.filter(status__in=pending)
                .order_by("-created_at", "-pk")
                .values("status")[:1]
            ),
            has_declined=models.Exists(placements.filter(status=Placement.Status.DECLINED)),
        )


class Employee(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="employees")
    first_name = models.CharField(_("fornavn"), max_length=100, validators=[validate_single_line])
    last_name = models.CharField(_("etternavn"), max_length=100, validators=[validate_single_line])
    employee_number = models.CharField(
        _("ansattnummer"), max_length=30, validators=[validate_single_line]
    )
    current_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employees",
        verbose_name=_("nåværende enhet"),
    )
    current_position = models.CharField(
        _("nåværende stilling"), max_length=200, blank=True, validators=[validate_single_line]
    )
    fte = models.DecimalField(
        _("stillingsprosent"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("100"),
        validators=FTE_VALIDATORS,
    )
    start_date = models.DateField(
        _("ansatt fra"), null=True, blank=True, validators=[validate_date_range]
    )
    competences = models.TextField(
        _("kompetanse"),
        blank=True,
        max_length=5000,
        help_text=_("Én per linje, for eksempel Sykepleier eller Lederutdanning."),
    )
    restructuring_conversation_on = models.DateField(
        _("omstillingssamtale holdt"),
        null=True,
        blank=True,
        help_text=_("For den som ikke blir innplassert direkte."),
        validators=[validate_date_range],
    )
    redundant = models.BooleanField(
        _("overtallig"),
        default=False,
        help_text=_("Kommunens retningslinjer for nedbemanning gjelder."),
    )
    # Anonymised (personvernforordningen art. 17): what identified the person is gone, here and
    # in the history; the placements stay, as counts (roles.privacy.erase_employee).
    erased_at = models.DateTimeField(_("anonymisert"), null=True, blank=True)
    history = HistoricalRecords()
    _change_reason: str  # read by simple-history when set before save() or delete()

    objects = EmployeeQuerySet.as_manager()

    class Meta:
        verbose_name = _("ansatt")
        verbose_name_plural = _("ansatte")
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "employee_number"],
                name="employee_number_unique_in_project",
                violation_error_message=_("Prosjektet har allerede en ansatt med dette nummeret."),
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def competence_list(self) -> list[str]:
        return [line.strip() for line in self.competences.splitlines() if line.strip()]


class MappingInterview(models.Model):
    """A mapping interview ("kartleggingssamtale") with an employee."""

    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="interviews", verbose_name=_("ansatt")
    )
    held_on = models.DateField(_("dato"), validators=[validate_date_range])
    held_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("holdt av"),
    )
    notes = models.TextField(_("notater"), blank=True, max_length=10000)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kartleggingssamtale")
        verbose_name_plural = _("kartleggingssamtaler")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.employee} {self.held_on:%d.%m.%Y}"


class Wish(models.Model):
    """A position the employee wishes for, in order of priority (1 first)."""

    interview = models.ForeignKey(MappingInterview, on_delete=models.CASCADE, related_name="wishes")
    position = models.ForeignKey(
        Position, on_delete=models.CASCADE, related_name="wishes", verbose_name=_("stilling")
    )
    priority = models.PositiveSmallIntegerField(_("prioritet"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ønske")
        verbose_name_plural = _("ønsker")
        ordering = ["priority"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "priority"], name="wish_priority_unique"),
            models.UniqueConstraint(fields=["interview", "position"], name="wish_position_unique"),
        ]

    def __str__(self):
        return f"{self.priority}. {self.position}"


class Placement(models.Model):
    """An employee proposed for, and then placed in, a position of the future organization."""

    class Basis(models.TextChoices):
        SAME_WORK = "same_work", _("Samme arbeid videreføres")
        AFTER_CONVERSATION = "after_conversation", _("Etter samtale")
        APPLIED = "applied", _("Etter søknad")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Foreslått")
        CONSULTED = "consulted", _("Drøftet")
        DECIDED = "decided", _("Besluttet")
        ACCEPTED = "accepted", _("Akseptert")
        DECLINED = "declined", _("Takket nei")

    # A placement counts against the position's FTE, and is the employee's one placement, from
    # the decision on.
    FILLING = (Status.DECIDED, Status.ACCEPTED)

    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="placements", verbose_name=_("ansatt")
    )
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, related_name="placements", verbose_name=_("stilling")
    )
    basis = models.CharField(_("grunnlag"), max_length=20, choices=Basis)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PROPOSED)
    fte = models.DecimalField(
        _("stillingsprosent"),
        max_digits=5,
        decimal_places=2,
        validators=FTE_VALIDATORS,
        help_text=_("Hvor mye av stillingen den ansatte får."),
    )
    decided_on = models.DateField(
        _("beslutningsdato"), null=True, blank=True, validators=[validate_date_range]
    )
    declined_on = models.DateField(
        _("dato for avslag"), null=True, blank=True, validators=[validate_date_range]
    )
    # Where it was consulted on: the meeting and agenda item.
    consulted_in = models.CharField(_("drøftet i"), max_length=400, blank=True)
    # Decided before the consultation had an approved protocol: why (consultations.gate).
    no_protocol_reason = models.TextField(
        _("begrunnelse for å beslutte uten godkjent protokoll"), blank=True, max_length=5000
    )
    note = models.TextField(_("merknad"), blank=True, max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("innplassering")
        verbose_name_plural = _("innplasseringer")
        ordering = ["employee__last_name", "employee__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee"],
                condition=Q(status__in=["decided", "accepted"]),
                name="one_decided_placement_per_employee",
                violation_error_message=_("Den ansatte er allerede innplassert i en stilling."),
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | Q(declined_on__isnull=False),
                name="declined_placement_has_date",
                violation_error_message=_(
                    "En innplassering det er takket nei til, må ha dato for avslaget."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.employee} → {self.position}"


class PersonalDataAccess(models.Model):
    """The access log: one row per response that showed or gave out personal data, with the
    employees it showed (or the search), who, why and when. Written, never changed; an erased
    employee stays in it under their pseudonym."""

    class Purpose(models.TextChoices):
        LIST = "list", _("Ansattlisten")
        SEARCH = "search", _("Søk blant ansatte")
        RECORD = "record", _("En ansatts side")
        EDIT = "edit", _("Registrering og endring")
        INTERVIEW = "interview", _("Kartleggingssamtale")
        PLACEMENTS = "placements", _("Innplasseringer")
        STAFFING = "staffing", _("Bemanningsplanen med navn")
        MEETING = "meeting", _("Sak om innplasseringer i et møte")
        DECISION = "decision", _("Beslutning om innplassering")
        EXPORT = "export", _("Eksport av bemanningsplanen")
        IMPORT = "import", _("Import av ansatte")
        ACCESS_REQUEST = (
            "access_request",
            _("Innsyn for den ansatte (personvernforordningen art. 15)"),
        )
        ERASURE = "erasure", _("Sletting (anonymisering)")
        INSIGHT = "insight", _("Innsyn gitt eller trukket")
        API = "api", _("API")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("formål"), max_length=20, choices=Purpose)
    employees = models.ManyToManyField(
        Employee, blank=True, related_name="accesses", verbose_name=_("ansatte")
    )
    query = models.CharField(_("søk"), max_length=200, blank=True)
    path = models.CharField(_("adresse"), max_length=300, blank=True)
    note = models.CharField(_("merknad"), max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("innsyn i personopplysninger")
        verbose_name_plural = _("innsyn i personopplysninger")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["project", "-at"], name="access_log_by_project")]

    def __str__(self):
        return f"{self.user} {self.get_purpose_display()} {self.at:%d.%m.%Y %H:%M}"


def history_sources(project: Project) -> list[tuple[models.QuerySet, Promise]]:
    """The organization, positions and role descriptions in the project's change log
    (reports.mandate.changelog). Employees, interviews and placements are personal data and stay
    out of it: every member reads the log."""
    position_ids = Position.history.filter(project_id=project.pk).values("id")
    return [
        (OrgUnit.history.filter(project_id=project.pk), _("Organisasjon")),
        (Position.history.filter(project_id=project.pk), _("Stillinger")),
        (RoleDescription.history.filter(position_id__in=position_ids), _("Rollebeskrivelser")),
    ]


def filled_fte():
    """The FTE of a position filled by decided (or accepted) placements, as an annotation of
    positions, in SQL."""
    return Coalesce(
        models.Sum("placements__fte", filter=Q(placements__status__in=Placement.FILLING)),
        models.Value(0),
        output_field=models.DecimalField(max_digits=7, decimal_places=2),
    )
