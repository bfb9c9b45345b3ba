from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from core.validators import validate_date_range, validate_single_line

User = settings.AUTH_USER_MODEL


class Organisation(models.Model):
    """A municipality. Users belong to one or more; nothing is visible across them."""

    name = models.CharField(_("navn"), max_length=200, validators=[validate_single_line])
    org_number = models.CharField(
        _("organisasjonsnummer"),
        max_length=9,
        unique=True,
        validators=[
            RegexValidator(r"^\d{9}$", _("Organisasjonsnummeret har ni sifre.")),
            validate_single_line,
        ],
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="organisations",
        blank=True,
        verbose_name=_("brukere"),
    )
    strict_consultation = models.BooleanField(
        _("streng drøftingsplikt"),
        default=False,
        help_text=_(
            "Mandater, innplasseringer og beslutningssaker som berører ansatte kan ikke "
            "besluttes før drøftingen har en godkjent protokoll (Hovedavtalen § 1-4). Ellers "
            "kreves en skriftlig begrunnelse, som sendes til tillitsvalgte og verneombud."
        ),
    )
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("organisasjon")
        verbose_name_plural = _("organisasjoner")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Projects the user may see: a view permission through a membership, in one of the
        user's organisations. One query, filtered in SQL."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            organisation__members=user,
            projectuserobjectpermission__user=user,
            projectuserobjectpermission__permission__codename="view_project",
        )


class Project(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        ACTIVE = "active", _("Aktivt")
        COMPLETED = "completed", _("Avsluttet")
        CANCELLED = "cancelled", _("Avbrutt")

    class MandateState(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        SUBMITTED = "submitted", _("Til beslutning")
        DECIDED = "decided", _("Besluttet")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("organisasjon"),
    )
    name = models.CharField(
        _("prosjektets navn"), max_length=200, validators=[validate_single_line]
    )
    code = models.CharField(
        _("kortnavn"),
        max_length=20,
        validators=[
            RegexValidator(r"^[A-Za-z0-9ÆØÅæøå_-]+$", _("Bruk bokstaver, tall, - og _.")),
            validate_single_line,
        ],
        help_text=_("Kort kode for prosjektet, for eksempel OU-VELFERD."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    # Closed (completed or cancelled) on: the personal data is anonymised a retention period
    # after (roles.privacy), unless extended once, with a reason.
    closed_on = models.DateField(_("avsluttet"), null=True, blank=True)
    retention_extended_until = models.DateField(
        _("oppbevaring forlenget til"), null=True, blank=True, validators=[validate_date_range]
    )
    retention_extension_reason = models.TextField(
        _("begrunnelse for forlenget oppbevaring"), blank=True, max_length=2000
    )
    personal_data_erased_at = models.DateTimeField(
        _("personopplysninger anonymisert"), null=True, blank=True
    )
    owner = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="owned_projects",
        verbose_name=_("prosjekteier"),
    )
    owner_title = models.CharField(
        _("prosjekteiers tittel"),
        max_length=150,
        blank=True,
        help_text=_("For eksempel Rådmann."),
        validators=[validate_single_line],
    )
    leader = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="led_projects", verbose_name=_("prosjektleder")
    )
    start_date = models.DateField(_("startdato"), validators=[validate_date_range])
    last_delivery_date = models.DateField(
        _("siste leveransedato"), null=True, blank=True, validators=[validate_date_range]
    )
    report_interval_days = models.PositiveSmallIntegerField(
        _("rapporteringsintervall (dager)"),
        default=21,
        validators=[MinValueValidator(7), MaxValueValidator(90)],
    )

    # The mandate's text sections, in the order of seed 001.
    background = models.TextField(_("bakgrunn"), blank=True, max_length=20000)
    purpose = models.TextField(_("hensikt og kort beskrivelse"), blank=True, max_length=20000)
    constraints = models.TextField(_("rammebetingelser og føringer"), blank=True, max_length=20000)
    obligations = models.TextField(
        _("organisasjonens forpliktelser overfor prosjektet"), blank=True, max_length=10000
    )
    quality_requirements = models.TextField(_("kvalitet"), blank=True, max_length=10000)
    mandate_state = models.CharField(
        _("mandatets status"), max_length=10, choices=MandateState, default=MandateState.DRAFT
    )
    # The number of the latest decided version (0: never decided), so that a page can say
    # "Besluttet v1 · utkast til v2" without asking for the versions.
    mandate_version = models.PositiveIntegerField(_("siste besluttede versjon"), default=0)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])
    _change_reason: str  # read by simple-history when set before save() or delete()

    objects = ProjectQuerySet.as_manager()

    # Not stored. The user's permission codenames, set on a project fetched for a user by
    # projects.permissions.get_project_for (and reports.calendar); own_workstream_ids' answer,
    # kept for the rest of the request.
    perms: frozenset[str]
    _own_workstream_ids: frozenset[int]

    class Meta:
        verbose_name = _("prosjekt")
        verbose_name_plural = _("prosjekter")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="project_code_unique_in_organisation"
            ),
            models.CheckConstraint(
                condition=Q(last_delivery_date__isnull=True)
                | Q(last_delivery_date__gte=models.F("start_date")),
                name="project_delivery_after_start",
                violation_error_message=_("Siste leveransedato kan ikke være før startdatoen."),
            ),
        ]
        permissions = [
            ("change_mandate", _("Kan redigere mandatet")),
            ("decide_mandate", _("Kan beslutte mandatet")),
            ("change_plan", _("Kan endre faser og arbeidsstrømmer")),
            ("manage_members", _("Kan endre medlemmer")),
            ("view_personal_data", _("Kan se personopplysninger om ansatte")),
            (
                "update_progress",
                _("Kan oppdatere status og aktiviteter i egne arbeidsstrømmer"),
            ),
            (
                "change_org_plan",
                _("Kan endre organisasjon, stillinger og rollebeskrivelser"),
            ),
            ("manage_personnel", _("Kan registrere ansatte, samtaler og innplasseringer")),
            ("run_meetings", _("Kan kalle inn til og lede møter med tillitsvalgte og verneombud")),
            ("answer_questions", _("Kan besvare spørsmål fra arbeidsstrømmene")),
            (
                "manage_privacy",
                _(
                    "Kan forvalte personopplysningene: innsynslogg, sletting, innsyn og behandlingsprotokoll"
                ),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def mandate_label(self) -> str:
        """The mandate's state as every page says it: "Utkast", "Til beslutning", "Besluttet
        v1", and after later edits "Besluttet v1 · utkast til v2" (never just "Utkast")."""
        n = self.mandate_version
        if self.mandate_state == self.MandateState.DECIDED:
            return _("Besluttet v%(n)s") % {"n": n}
        if n == 0:
            return str(self.MandateState(self.mandate_state).label)
        if self.mandate_state == self.MandateState.SUBMITTED:
            return _("Besluttet v%(n)s · v%(next)s til beslutning") % {"n": n, "next": n + 1}
        return _("Besluttet v%(n)s · utkast til v%(next)s") % {"n": n, "next": n + 1}

    def clean(self):
        if (
            self.last_delivery_date
            and self.start_date
            and self.last_delivery_date < self.start_date
        ):
            raise ValidationError(
                {"last_delivery_date": _("Siste leveransedato kan ikke være før startdatoen.")}
            )


class ProjectUserObjectPermission(UserObjectPermissionBase):
    """django-guardian's direct foreign-key permission table for projects: one join instead of a
    generic relation. Written only by projects.services.sync_permissions."""

    content_object = models.ForeignKey(Project, on_delete=models.CASCADE)


# A mandate's list of goals is read, printed and voted on: a few, not thousands.
MAX_GOALS = 50


class Goal(models.Model):
    class Kind(models.TextChoices):
        RESULT = "result", _("Resultatmål")
        EFFECT = "effect", _("Effektmål")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="goals")
    kind = models.CharField(_("type"), max_length=10, choices=Kind)
    order = models.PositiveIntegerField(_("rekkefølge"))
    text = models.TextField(_("mål"), max_length=2000)
    history = HistoricalRecords()
    _change_reason: str  # read by simple-history when set before save() or delete()

    class Meta:
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        ordering = ["kind", "order"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "order"], name="goal_order_unique"),
        ]

    def __str__(self):
        return self.text


# What a benefit says, in the order the mandate lists it (seed 001, section 4).
BENEFIT_FIELDS = ("title", "indicator", "baseline", "target", "unit", "owner")


class BenefitQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The benefits the user may see: every benefit of a project they may see, and in the
        projects of their organisations the benefits they own (a benefit owner in the line
        organisation need not be a member of the project, and goes on measuring after it has
        closed). One query, filtered in SQL."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(project__in=Project.objects.visible_to(user).values("pk"))
            | Q(
                owner_user=user,
                project__organisation__in=Organisation.objects.filter(members=user).values("pk"),
            )
        )

    def due(self, on):
        """Benefits whose next planned measurement is on or before `on`."""
        return self.filter(next_measurement_on__isnull=False, next_measurement_on__lte=on)


class Benefit(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="benefits")
    order = models.PositiveIntegerField(_("rekkefølge"))
    title = models.CharField(_("gevinst"), max_length=300, validators=[validate_single_line])
    indicator = models.CharField(
        _("indikator"), max_length=300, blank=True, validators=[validate_single_line]
    )
    baseline = models.CharField(
        _("nullpunkt"), max_length=100, blank=True, validators=[validate_single_line]
    )
    target = models.CharField(
        _("målverdi"), max_length=100, blank=True, validators=[validate_single_line]
    )
    unit = models.CharField(
        _("enhet"), max_length=50, blank=True, validators=[validate_single_line]
    )
    # The owner's title as the mandate names it ("Rådmann"); the person is owner_user.
    owner = models.CharField(
        _("gevinsteier"), max_length=150, blank=True, validators=[validate_single_line]
    )
    # Benefits realisation: the person in the line organisation who owns the benefit and measures
    # it (a member of the project or not), and the plan of when it is measured: from a first
    # date, every so many months (or once more at the end date only), until the end date.
    owner_user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_benefits",
        verbose_name=_("gevinsteier (person)"),
        help_text=_("Personen i linjen som eier gevinsten og registrerer målingene."),
    )
    measure_from = models.DateField(
        _("første måling"), null=True, blank=True, validators=[validate_date_range]
    )
    measure_every_months = models.PositiveSmallIntegerField(
        _("måles hver (måneder)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text=_("Tomt: bare første og siste måling."),
    )
    measure_until = models.DateField(
        _("siste måling"), null=True, blank=True, validators=[validate_date_range]
    )
    # The next planned measurement not yet made (None: no plan, or all made); kept by
    # projects.services from the plan and the measurements, so that a reminder and the task
    # list are one indexed query.
    next_measurement_on = models.DateField(_("neste måling"), null=True, blank=True)
    history = HistoricalRecords()
    _change_reason: str  # read by simple-history when set before save() or delete()

    objects = BenefitQuerySet.as_manager()

    class Meta:
        verbose_name = _("gevinst")
        verbose_name_plural = _("gevinster")
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["project", "order"], name="benefit_order_unique"),
            models.CheckConstraint(
                condition=Q(measure_until__isnull=True)
                | Q(measure_from__isnull=True)
                | Q(measure_until__gte=models.F("measure_from")),
                name="benefit_plan_in_order",
                violation_error_message=_("Siste måling kan ikke være før første måling."),
            ),
        ]
        indexes = [models.Index(fields=["owner_user", "next_measurement_on"])]

    def __str__(self):
        return self.title

    def clean(self):
        if self.measure_from and self.measure_until and self.measure_until < self.measure_from:
            raise ValidationError(
                {"measure_until": _("Siste måling kan ikke være før første måling.")}
            )
        if (self.measure_every_months or self.measure_until) and not self.measure_from:
            raise ValidationError({"measure_from": _("Sett datoen for første måling.")})


class BenefitMeasurement(models.Model):
    """A measured value of a benefit's indicator, as the status report shows it."""

    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField(_("målt dato"), validators=[validate_date_range])
    value = models.CharField(_("målt verdi"), max_length=100, validators=[validate_single_line])
    comment = models.CharField(
        _("kommentar"), max_length=500, blank=True, validators=[validate_single_line]
    )
    # The value as a number where it is one ("12", "12,5", "80 %"), for the chart; read from
    # `value` by the service.
    number = models.DecimalField(
        _("verdi som tall"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrert av"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gevinstmåling")
        verbose_name_plural = _("gevinstmålinger")
        ordering = ["benefit", "-measured_on", "-pk"]

    def __str__(self):
        return f"{self.benefit}: {self.value}"


class Phase(models.Model):
    """A phase of the project, ending in a gate ("faseovergang"): criteria that must hold before
    the next phase, submitted by the leader and approved by the owner (projects.services)."""

    class State(models.TextChoices):
        NOT_STARTED = "not_started", _("Ikke startet")
        IN_PROGRESS = "in_progress", _("Pågår")
        AT_GATE = "at_gate", _("Ved beslutningspunkt")
        APPROVED = "approved", _("Godkjent")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveIntegerField(_("rekkefølge"), default=1)
    name = models.CharField(_("navn"), max_length=200, validators=[validate_single_line])
    goal = models.TextField(_("mål for fasen"), blank=True, max_length=5000)
    start_date = models.DateField(
        _("start"), null=True, blank=True, validators=[validate_date_range]
    )
    end_date = models.DateField(_("slutt"), null=True, blank=True, validators=[validate_date_range])
    # Changed only by the gate's services (start, submit, approve, send back), never by the form.
    state = models.CharField(_("status"), max_length=12, choices=State, default=State.NOT_STARTED)
    history = HistoricalRecords()
    _change_reason: str  # read by simple-history when set before save() or delete()

    class Meta:
        verbose_name = _("fase")
        verbose_name_plural = _("faser")
        ordering = ["order", "start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="phase_end_after_start",
                violation_error_message=_("Slutt kan ikke være før start."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Slutt kan ikke være før start.")})


class GateCriterion(models.Model):
    """What must hold before the project leaves the phase ("Mandatet er besluttet",
    "Innplasseringene er gjennomført"), ticked with who and when."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveIntegerField(_("rekkefølge"), default=1)
    text = models.CharField(_("kriterium"), max_length=300, validators=[validate_single_line])
    ticked_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("krysset av"),
    )
    ticked_at = models.DateTimeField(_("krysset av"), null=True, blank=True)
    note = models.CharField(
        _("merknad"), max_length=500, blank=True, validators=[validate_single_line]
    )
    history = HistoricalRecords()
    _change_reason: str  # read by simple-history when set before save() or delete()

    class Meta:
        verbose_name = _("kriterium for faseovergang")
        verbose_name_plural = _("kriterier for faseovergang")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ticked_by__isnull=True, ticked_at__isnull=True)
                | Q(ticked_by__isnull=False, ticked_at__isnull=False),
                name="gate_criterion_ticked_with_who_and_when",
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def is_ticked(self) -> bool:
        return self.ticked_at is not None


class GateSubmission(models.Model):
    """The leader submits the phase's gate to the owner with a message; the owner approves it
    with a date and a comment (and, without an approved protocol from the consultation, why),
    or sends it back with a comment. As MandateSubmission for the mandate."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Til beslutning")
        APPROVED = "approved", _("Godkjent")
        RETURNED = "returned", _("Sendt tilbake")

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="submissions")
    message = models.TextField(_("melding til prosjekteieren"), blank=True, max_length=5000)
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("sendt"))
    outcome = models.CharField(_("utfall"), max_length=10, choices=Outcome, default=Outcome.PENDING)
    handled_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    decided_on = models.DateField(
        _("beslutningsdato"), null=True, blank=True, validators=[validate_date_range]
    )
    comment = models.TextField(_("kommentar"), blank=True, max_length=5000)
    # Approved without an approved protocol from the consultation (Hovedavtalen § 1-4): why.
    no_protocol_reason = models.TextField(
        _("begrunnelse for å beslutte uten godkjent protokoll"), blank=True, max_length=5000
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("faseovergang til beslutning")
        verbose_name_plural = _("faseoverganger til beslutning")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["phase"],
                condition=Q(outcome="pending"),
                name="one_pending_gate_submission",
            ),
        ]

    def __str__(self):
        return f"{self.phase}: {self.get_outcome_display()}"


class Workstream(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Under arbeid")
        READY = "ready", _("Klar til beslutning")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="workstreams")
    order = models.PositiveIntegerField(_("nummer"), default=1)
    name = models.CharField(_("navn"), max_length=200, validators=[validate_single_line])
    units = models.TextField(_("enheter som omfattes"), blank=True, max_length=2000)
    lead = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_workstreams",
        verbose_name=_("leder for arbeidsstrømmen"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="workstreams",
        verbose_name=_("medlemmer"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    history = HistoricalRecords(m2m_fields=[members])
    _change_reason: str  # read by simple-history when set before save() or delete()

    class Meta:
        verbose_name = _("arbeidsstrøm")
        verbose_name_plural = _("arbeidsstrømmer")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class SolutionOption(models.Model):
    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveIntegerField(_("rekkefølge"), default=1)
    title = models.CharField(_("tittel"), max_length=200, validators=[validate_single_line])
    description = models.TextField(_("beskrivelse"), blank=True, max_length=10000)
    is_zero_alternative = models.BooleanField(
        _("0-alternativet"), default=False, help_text=_("Å beholde dagens løsning.")
    )
    history = HistoricalRecords()
    _change_reason: str  # read by simple-history when set before save() or delete()

    class Meta:
        verbose_name = _("løsningsforslag")
        verbose_name_plural = _("løsningsforslag")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title


class MembershipQuerySet(models.QuerySet):
    def for_project(self, project):
        """The project's members, owner first, in the order the roles are listed."""
        rank = models.Case(
            *(models.When(role=value, then=i) for i, value in enumerate(Membership.Role.values)),
            output_field=models.IntegerField(),
        )
        return (
            self.filter(project=project)
            .select_related("user")
            .order_by(rank, "user__first_name", "user__last_name")
        )


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Prosjekteier")
        LEADER = "leader", _("Prosjektleder")
        STEERING = "steering", _("Styringsgruppe")
        PROJECT_GROUP = "project_group", _("Prosjektgruppe")
        WORKSTREAM_LEAD = "workstream_lead", _("Leder av arbeidsstrøm")
        UNION_REP = "union_rep", _("Tillitsvalgt")
        SAFETY_REP = "safety_rep", _("Verneombud")
        HR = "hr", _("HR")
        OBSERVER = "observer", _("Observatør")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("bruker")
    )
    role = models.CharField(_("rolle"), max_length=20, choices=Role)
    union_name = models.CharField(
        _("fagforening"),
        max_length=100,
        blank=True,
        help_text=_("For tillitsvalgte: hvilken fagforening."),
        validators=[validate_single_line],
    )
    sees_personal_data = models.BooleanField(
        _("innsyn i personopplysninger"),
        default=False,
        help_text=_(
            "Gir innsyn i ansatte, kartleggingssamtaler og innplasseringer, for eksempel for en "
            "tillitsvalgt som skal drøfte innplasseringen."
        ),
    )
    # The grant of insight is for a purpose and ends by itself (roles.tasks.end_expired_insight).
    insight_purpose = models.CharField(
        _("formål med innsynet"), max_length=300, blank=True, validators=[validate_single_line]
    )
    insight_until = models.DateField(
        _("innsyn til og med"), null=True, blank=True, validators=[validate_date_range]
    )
    insight_granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()
    _change_reason: str  # read by simple-history when set before save() or delete()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        ordering = ["role", "user__first_name", "user__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "user", "role"], name="membership_unique_role"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}"


class MandateVersion(models.Model):
    """A decided mandate, frozen: the snapshot is what was decided, the PDF is rendered once."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="mandate_versions")
    number = models.PositiveIntegerField(_("versjon"))
    snapshot = models.JSONField(_("innhold"))
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("besluttet av")
    )
    decided_at = models.DateTimeField(_("besluttet"))
    decided_on = models.DateField(
        _("beslutningsdato"), null=True, blank=True, validators=[validate_date_range]
    )
    comment = models.TextField(_("kommentar"), blank=True, max_length=5000)
    # Decided without an approved protocol from the consultation (Hovedavtalen § 1-4): why. Shown
    # with the decision and sent to the union and safety representatives.
    no_protocol_reason = models.TextField(
        _("begrunnelse for å beslutte uten godkjent protokoll"), blank=True, max_length=5000
    )
    pdf = models.FileField(_("PDF"), upload_to="mandates/", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mandatversjon")
        verbose_name_plural = _("mandatversjoner")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="mandate_version_unique"),
        ]

    def __str__(self):
        return f"{self.project} v{self.number}"


class MandateSubmission(models.Model):
    """The leader sends the mandate to the owner for decision ("Send til beslutning"), with a
    message; the owner decides it or sends it back with a comment."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Til beslutning")
        DECIDED = "decided", _("Besluttet")
        RETURNED = "returned", _("Sendt tilbake")
        WITHDRAWN = "withdrawn", _("Endret etter innsending")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="mandate_submissions"
    )
    message = models.TextField(_("melding til prosjekteieren"), blank=True, max_length=5000)
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("sendt"))
    outcome = models.CharField(_("utfall"), max_length=10, choices=Outcome, default=Outcome.PENDING)
    handled_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("kommentar"), blank=True, max_length=5000)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("innsending av mandatet")
        verbose_name_plural = _("innsendinger av mandatet")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(outcome="pending"),
                name="one_pending_mandate_submission",
            ),
        ]

    def __str__(self):
        return f"{self.project}: {self.get_outcome_display()}"


class Risk(models.Model):
    """A risk in the project's register: probability and consequence 1–5 (the 5×5 matrix), an
    owner, what is done about it, and whether it is still open."""

    class Status(models.TextChoices):
        OPEN = "open", _("Åpen")
        HANDLED = "handled", _("Håndtert")
        CLOSED = "closed", _("Lukket")

    class Level(models.TextChoices):
        LOW = "low", _("Lav")
        MEDIUM = "medium", _("Middels")
        HIGH = "high", _("Høy")

    SCALE = [(n, str(n)) for n in range(1, 6)]

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risks")
    title = models.CharField(_("risiko"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True, max_length=5000)
    probability = models.PositiveSmallIntegerField(
        _("sannsynlighet"),
        choices=SCALE,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 = svært lite sannsynlig, 5 = svært sannsynlig."),
    )
    consequence = models.PositiveSmallIntegerField(
        _("konsekvens"),
        choices=SCALE,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 = ubetydelig, 5 = svært alvorlig."),
    )
    owner = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_risks",
        verbose_name=_("risikoeier"),
    )
    mitigation = models.TextField(_("tiltak"), blank=True, max_length=5000)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risiko")
        verbose_name_plural = _("risikoer")
        ordering = [models.F("probability") * models.F("consequence") * -1, "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(probability__gte=1, probability__lte=5)
                & Q(consequence__gte=1, consequence__lte=5),
                name="risk_on_the_5x5_scale",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def score(self) -> int:
        return self.probability * self.consequence

    @property
    def level(self) -> str:
        """Low up to 4, medium up to 12, high from 15 (the products a 5×5 matrix can give)."""
        if self.score >= 15:
            return self.Level.HIGH
        if self.score >= 5:
            return self.Level.MEDIUM
        return self.Level.LOW

    def get_level_display(self) -> str:
        return str(self.Level(self.level).label)


class LessonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Lessons of the projects the user may see, in any of their organisations: one query,
        filtered in SQL."""
        return self.filter(project__in=Project.objects.visible_to(user).values("pk"))


class Lesson(models.Model):
    """A lesson learned ("erfaring"), written by a member during the project or at its close,
    read by the next project's leader, and part of the final report."""

    class Category(models.TextChoices):
        GOVERNANCE = "governance", _("Styring")
        CONSULTATION = "consultation", _("Medvirkning og drøfting")
        COMMUNICATION = "communication", _("Kommunikasjon")
        SCHEDULE = "schedule", _("Tidsplan")
        RESOURCES = "resources", _("Ressurser")
        OTHER = "other", _("Annet")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="lessons")
    category = models.CharField(_("kategori"), max_length=20, choices=Category)
    text = models.TextField(_("erfaring"), max_length=5000)
    written_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("skrevet av")
    )
    written_at = models.DateTimeField(_("skrevet"))
    history = HistoricalRecords()

    objects = LessonQuerySet.as_manager()

    class Meta:
        verbose_name = _("erfaring")
        verbose_name_plural = _("erfaringer")
        ordering = ["-written_at", "-pk"]
        indexes = [models.Index(fields=["project", "-written_at"])]

    def __str__(self):
        return self.text[:80]


def history_sources(project: Project) -> list[tuple[models.QuerySet, Promise]]:
    """The project's own history in its change log ("endringslogg"), as (historical records,
    section) pairs; reports.mandate.changelog composes it with the other apps'."""
    workstream_ids = Workstream.history.filter(project_id=project.pk).values("id")
    benefit_ids = Benefit.history.filter(project_id=project.pk).values("id")
    phase_ids = Phase.history.filter(project_id=project.pk).values("id")
    return [
        (Project.history.filter(id=project.pk), _("Mandat")),
        (Goal.history.filter(project_id=project.pk), _("Mål")),
        (Benefit.history.filter(project_id=project.pk), _("Gevinster")),
        (BenefitMeasurement.history.filter(benefit_id__in=benefit_ids), _("Gevinstmålinger")),
        (Phase.history.filter(project_id=project.pk), _("Faser")),
        (GateCriterion.history.filter(phase_id__in=phase_ids), _("Faseoverganger")),
        (GateSubmission.history.filter(phase_id__in=phase_ids), _("Faseoverganger")),
        (Workstream.history.filter(project_id=project.pk), _("Arbeidsstrømmer")),
        (SolutionOption.history.filter(workstream_id__in=workstream_ids), _("Løsningsforslag")),
        (Membership.history.filter(project_id=project.pk), _("Medlemmer")),
        (MandateSubmission.history.filter(project_id=project.pk), _("Mandatet til beslutning")),
        (Risk.history.filter(project_id=project.pk), _("Risiko")),
        (Lesson.history.filter(project_id=project.pk), _("Erfaringer")),
    ]
