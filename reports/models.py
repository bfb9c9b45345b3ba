"""What reports/ keeps of its own: the status reports of the three-week cycle and their
mail (in the outbox), the decision requests to the steering group, and the calendar links."""

from collections.abc import Callable

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.fields.files import FieldFile
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from consultations.models import AgendaItem
from core.validators import validate_date_range, validate_single_line
from projects.models import Membership, Organisation, Project

from .periods import Period


class DecisionRequestQuerySet(models.QuerySet):
    def put_forward(self):
        """Those before the steering group: a request put forward in a status report reaches it
        when the report is published; until then it is the leader's draft."""
        return self.exclude(report__state=StatusReport.State.DRAFT)


class DecisionRequest(models.Model):
    """What the steering group is asked to decide ("beslutningssak"), on what basis, by when, and
    the decision once taken."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Til behandling")
        DECIDED = "decided", _("Vedtatt")
        DEFERRED = "deferred", _("Utsatt")
        REJECTED = "rejected", _("Avvist")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="decision_requests")
    title = models.CharField(_("sak"), max_length=200, validators=[validate_single_line])
    question = models.TextField(
        _("styringsgruppen bes om å"),
        max_length=5000,
        help_text=_("Hva styringsgruppen skal ta stilling til."),
    )
    basis = models.TextField(_("beslutningsgrunnlag"), blank=True, max_length=20000)
    deadline = models.DateField(_("frist"), null=True, blank=True, validators=[validate_date_range])
    outcome = models.CharField(_("utfall"), max_length=10, choices=Outcome, default=Outcome.PENDING)
    decision = models.TextField(_("vedtak"), blank=True, max_length=5000)
    decided_on = models.DateField(
        _("dato for vedtak"), null=True, blank=True, validators=[validate_date_range]
    )
    affects_employees = models.BooleanField(
        _("berører ansatte"),
        default=False,
        help_text=_(
            "Saken skal drøftes med tillitsvalgte og verneombud før den besluttes "
            "(Hovedavtalen § 1-4)."
        ),
    )
    agenda_items = models.ManyToManyField(
        AgendaItem,
        blank=True,
        related_name="decision_requests",
        verbose_name=_("drøftet i"),
    )
    # Decided before the consultation had an approved protocol: why (consultations.gate).
    no_protocol_reason = models.TextField(
        _("begrunnelse for å beslutte uten godkjent protokoll"), blank=True, max_length=5000
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    report = models.ForeignKey(
        "StatusReport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decision_requests",
        verbose_name=_("lagt fram i statusrapport"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[agenda_items])

    objects = DecisionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("beslutningssak")
        verbose_name_plural = _("beslutningssaker")
        ordering = [models.F("deadline").asc(nulls_last=True), "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="pending", decided_on__isnull=True)
                | (~Q(outcome="pending") & Q(decided_on__isnull=False)),
                name="decision_request_dated_once_decided",
                violation_error_message=_("En behandlet sak må ha dato."),
            ),
        ]

    def __str__(self):
        return self.title


class Light(models.TextChoices):
    """A traffic light of a status report. Always shown with its text, never as colour alone."""

    GREEN = "green", _("Grønn")
    YELLOW = "yellow", _("Gul")
    RED = "red", _("Rød")


# The sections of a status report, as Norwegian public-sector project tools (Prosjektveiviseren,
# Prosjektportalen) report them: the field prefix and its label.
DIMENSIONS = [
    ("overall", _("Samlet status")),
    ("progress", _("Fremdrift")),
    ("economy", _("Økonomi")),
    ("quality", _("Kvalitet")),
    ("risk", _("Risiko")),
    ("benefits", _("Gevinster")),
]


def _light(label):
    return models.CharField(label, max_length=6, choices=Light, blank=True)


def _comment(label):
    return models.TextField(label, blank=True, max_length=5000)


class StatusReportQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=StatusReport.State.PUBLISHED)


class StatusReport(models.Model):
    """The report to the steering group for one period of the project's report interval: a
    draft compiled from the data when the period ends, completed by the leader and published
    (frozen, with its PDF, mailed to the steering group)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        PUBLISHED = "published", _("Publisert")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="status_reports")
    number = models.PositiveIntegerField(_("periode"))
    period_start = models.DateField(_("periodens start"), validators=[validate_date_range])
    period_end = models.DateField(_("periodens slutt"), validators=[validate_date_range])
    state = models.CharField(_("status"), max_length=10, choices=State, default=State.DRAFT)

    overall_status = _light(_("samlet status"))
    overall_comment = _comment(_("kommentar til samlet status"))
    progress_status = _light(_("fremdrift"))
    progress_comment = _comment(_("kommentar til fremdrift"))
    economy_status = _light(_("økonomi"))
    economy_comment = _comment(_("kommentar til økonomi"))
    quality_status = _light(_("kvalitet"))
    quality_comment = _comment(_("kommentar til kvalitet"))
    risk_status = _light(_("risiko"))
    risk_comment = _comment(_("kommentar til risiko"))
    benefits_status = _light(_("gevinster"))
    benefits_comment = _comment(_("kommentar til gevinster"))

    achieved = models.TextField(_("oppnådd siste periode"), blank=True, max_length=10000)
    planned = models.TextField(_("planlagt neste periode"), blank=True, max_length=10000)
    challenges = models.TextField(_("utfordringer"), blank=True, max_length=10000)

    # What the data said: compiled when the draft is made (and again on request), frozen when the
    # report is published. See reports.compile.
    data = models.JSONField(default=dict, blank=True)
    compiled_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("publisert"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pdf = models.FileField(upload_to="statusrapporter/%Y/", blank=True)
    history = HistoricalRecords(excluded_fields=["data"])
    _change_reason: str  # read by simple-history when set before save() or delete()
    # Added by simple-history: save() without a historical record.
    save_without_historical_record: Callable[..., None]

    objects = StatusReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("statusrapport")
        verbose_name_plural = _("statusrapporter")
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "number"], name="one_status_report_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="status_report_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(published_at__isnull=False),
                name="status_report_published_when_dated",
            ),
        ]

    def __str__(self):
        return f"{self.project.code} – {self.number}"

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    def stored_pdf(self) -> FieldFile:
        """A published report's PDF, stored first if no one has (a frozen document: the outbox
        attaches it by this name)."""
        from .cycle import ensure_pdf  # the cycle reads these models

        return ensure_pdf(self.pk).pdf

    @property
    def period(self):
        """The period as the report was made for it, whatever the project's interval is now."""
        return Period(self.number, self.period_start, self.period_end)

    def statuses(self) -> list[dict]:
        """Each section with its light and comment, in report order."""
        return [
            {
                "key": key,
                "label": label,
                "light": getattr(self, f"{key}_status"),
                "light_label": Light(getattr(self, f"{key}_status")).label
                if getattr(self, f"{key}_status")
                else "",
                "comment": getattr(self, f"{key}_comment"),
            }
            for key, label in DIMENSIONS
        ]


class CalendarFeedQuerySet(models.QuerySet):
    def usable(self):
        """Links not revoked, of active users who have been members of the project without a
        break since the link was made: removing a member revokes their link, and adding them
        back later does not bring it back."""
        since = Membership.objects.filter(
            project=OuterRef("project"),
            user=OuterRef("user"),
            created_at__lte=OuterRef("created_at"),
        )
        return self.filter(revoked_at__isnull=True, user__is_active=True).filter(Exists(since))


class CalendarFeed(models.Model):
    """A member's secret link to the project calendar (iCalendar), for Outlook or a phone. The
    token is the only key, so it can be revoked and a new one made."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="calendar_feeds")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["token"])

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("kalenderlenke")
        verbose_name_plural = _("kalenderlenker")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "user"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_calendar_feed",
            ),
        ]

    def __str__(self):
        return f"{self.project.code} – {self.user}"


class ProjectTemplateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An organisation's templates are seen only within it."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(organisation__members=user)


class ProjectTemplate(models.Model):
    """An organisation's template for new projects ("Lagre som mal"): a frozen snapshot of what
    a project's copy takes (reports.reuse.project_snapshot), every date as days from the start,
    so that later edits of the project it was saved from leave it as it was."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="project_templates",
        verbose_name=_("organisasjon"),
    )
    name = models.CharField(_("navn på malen"), max_length=200, validators=[validate_single_line])
    description = models.TextField(_("beskrivelse"), blank=True, max_length=2000)
    snapshot = models.JSONField(_("innhold"))
    source_project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lagret fra prosjekt"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("laget av"),
    )
    created_at = models.DateTimeField(_("lagret"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ProjectTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("prosjektmal")
        verbose_name_plural = _("prosjektmaler")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="project_template_name_unique_in_organisation",
                violation_error_message=_("Organisasjonen har allerede en mal med dette navnet."),
            ),
        ]

    def __str__(self):
        return self.name


class FinalReport(models.Model):
    """The project's final report ("sluttrapport"): drafted from the data (goals, milestones,
    benefits, deviations, the consultations held, lessons learned), completed by the leader
    (a result per goal, a summary, the deviations), and published: frozen as `data`, stored as
    a PDF, mailed to the steering group, and the project closed."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        PUBLISHED = "published", _("Publisert")

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="final_report")
    state = models.CharField(_("status"), max_length=10, choices=State, default=State.DRAFT)
    summary = models.TextField(_("sammendrag"), blank=True, max_length=20000)
    # The leader's result per goal: {"<goal pk>": "what was achieved"}.
    goal_results = models.JSONField(_("resultat per mål"), default=dict, blank=True)
    deviations = models.TextField(_("avvik"), blank=True, max_length=20000)
    benefits_followup = models.TextField(
        _("videre gevinstrealisering"), blank=True, max_length=10000
    )
    # Frozen at publishing (reports.closeout.compile_final_report).
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("publisert"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pdf = models.FileField(upload_to="sluttrapporter/%Y/", blank=True)
    history = HistoricalRecords(excluded_fields=["data"])
    _change_reason: str  # read by simple-history when set before save() or delete()
    save_without_historical_record: Callable[..., None]

    class Meta:
        verbose_name = _("sluttrapport")
        verbose_name_plural = _("sluttrapporter")
        constraints = [
            models.CheckConstraint(
                condition=Q(state="draft") | Q(published_at__isnull=False),
                name="final_report_published_when_dated",
            ),
        ]

    def __str__(self):
        return f"{self.project.code} – sluttrapport"

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    def stored_pdf(self) -> FieldFile:
        """The published report's PDF, stored first if no one has (the outbox attaches it)."""
        from .closeout import ensure_final_report_pdf  # closeout reads these models

        return ensure_final_report_pdf(self.pk).pdf


def history_sources(project: Project) -> list[tuple[models.QuerySet, Promise]]:
    """The decision requests and status reports in the project's change log."""
    return [
        (DecisionRequest.history.filter(project_id=project.pk), _("Beslutningssaker")),
        (StatusReport.history.filter(project_id=project.pk), _("Statusrapporter")),
        (FinalReport.history.filter(project_id=project.pk), _("Sluttrapport")),
    ]
