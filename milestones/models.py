import datetime as dt

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.validators import validate_date_range, validate_single_line
from projects.models import Phase, Project, Workstream

User = settings.AUTH_USER_MODEL

CODE_PATTERN = r"^[A-Za-zÆØÅæøå]{0,3}\d{1,3}[a-z]?$"


def today() -> dt.date:
    return timezone.localdate()


def overdue_condition(on: dt.date | None = None) -> Q:
    """Due date passed and not reached. Derived, never stored: a missed milestone is overdue too
    until it is reached. (A Q, so that counts can use it inside one aggregate.)"""
    return Q(due_date__lt=on or today()) & ~Q(status=Milestone.Status.REACHED)


class MilestoneQuerySet(models.QuerySet):
    def overdue(self, on: dt.date | None = None):
        return self.filter(overdue_condition(on))

    def open(self):
        return self.exclude(status=Milestone.Status.REACHED)

    def due_within(self, days: int, on: dt.date | None = None):
        start = on or today()
        return self.open().filter(due_date__gte=start, due_date__lte=start + dt.timedelta(days))

    def in_plan_order(self):
        return self.order_by("due_date", "kind", "pk")


class Milestone(models.Model):
    """A milestone or a decision point of the progress plan ("fremdriftsplan"), as in the
    table M1–M16 and section 5.2 of seed 001."""

    class Kind(models.TextChoices):
        MILESTONE = "milestone", _("Milepæl")
        DECISION_POINT = "decision_point", _("Beslutningspunkt")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planlagt")
        IN_PROGRESS = "in_progress", _("Pågår")
        REACHED = "reached", _("Nådd")
        MISSED = "missed", _("Ikke nådd")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    code = models.CharField(
        _("nr."),
        max_length=8,
        validators=[
            RegexValidator(CODE_PATTERN, _("Bruk bokstaver og tall, for eksempel M1.")),
            validate_single_line,
        ],
        help_text=_("For eksempel M1 for en milepæl eller B1 for et beslutningspunkt."),
    )
    title = models.CharField(_("milepæl"), max_length=200, validators=[validate_single_line])
    criterion = models.TextField(
        _("kriterium"), blank=True, max_length=2000, help_text=_("Hva må være oppfylt?")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind, default=Kind.MILESTONE)
    due_date = models.DateField(_("dato"), validators=[validate_date_range])
    date_text = models.CharField(
        _("dato som skrevet"),
        max_length=60,
        blank=True,
        help_text=_("Valgfritt, for eksempel «Senest 19. august 2013» eller «11.–12. april»."),
        validators=[validate_single_line],
    )
    phase = models.ForeignKey(
        Phase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("fase"),
    )
    workstream = models.ForeignKey(
        Workstream,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("arbeidsstrøm"),
    )
    responsible = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_milestones",
        verbose_name=_("ansvarlig"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNED)
    reached_on = models.DateField(
        _("dato nådd"), null=True, blank=True, validators=[validate_date_range]
    )
    reached_note = models.TextField(_("hvordan den ble nådd"), blank=True, max_length=2000)
    depends_on = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="dependents",
        verbose_name=_("avhenger av"),
    )
    history = HistoricalRecords(m2m_fields=[depends_on])
    _change_reason: str  # read by simple-history when set before save() or delete()

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("milepæl")
        verbose_name_plural = _("milepæler")
        ordering = ["due_date", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "code"],
                name="milestone_code_unique_in_project",
                violation_error_message=_("Prosjektet har allerede en milepæl med dette nummeret."),
            ),
            models.CheckConstraint(
                condition=Q(status="reached") | Q(reached_on__isnull=True),
                name="milestone_reached_on_only_when_reached",
                violation_error_message=_(
                    "Bare en milepæl som er nådd, kan ha dato for når den ble nådd."
                ),
            ),
        ]
        indexes = [models.Index(fields=["project", "due_date"])]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def is_reached(self) -> bool:
        return self.status == self.Status.REACHED

    def is_overdue(self, on: dt.date | None = None) -> bool:
        return not self.is_reached and self.due_date < (on or today())

    @property
    def is_decision_point(self) -> bool:
        return self.kind == self.Kind.DECISION_POINT

    @property
    def date_display(self) -> str:
        return self.date_text or self.due_date.strftime("%d.%m.%Y")


class ActivityQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=Activity.Status.DONE)


class Activity(models.Model):
    """What is done and what happens next ("Hva er gjort / Hva skal nå gjøres", seed 004)."""

    class Status(models.TextChoices):
        TODO = "todo", _("Ikke startet")
        DOING = "doing", _("Pågår")
        DONE = "done", _("Ferdig")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(_("aktivitet"), max_length=300, validators=[validate_single_line])
    owner = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("ansvarlig"),
    )
    due_date = models.DateField(_("frist"), null=True, blank=True, validators=[validate_date_range])
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.TODO)
    done_on = models.DateField(
        _("ferdigdato"), null=True, blank=True, validators=[validate_date_range]
    )
    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("milepæl"),
    )
    workstream = models.ForeignKey(
        Workstream,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("arbeidsstrøm"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        ordering = [models.F("due_date").asc(nulls_last=True), "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done") | Q(done_on__isnull=True),
                name="activity_done_on_only_when_done",
                violation_error_message=_("Bare en ferdig aktivitet kan ha ferdigdato."),
            ),
        ]

    def __str__(self):
        return self.title

    def is_overdue(self, on: dt.date | None = None) -> bool:
        return (
            self.status != self.Status.DONE
            and self.due_date is not None
            and self.due_date < (on or today())
        )


def history_sources(project: Project) -> list[tuple[models.QuerySet, Promise]]:
    """Milestones and activities in the project's change log (reports.mandate.changelog)."""
    return [
        (Milestone.history.filter(project_id=project.pk), _("Milepæler")),
        (Activity.history.filter(project_id=project.pk), _("Aktiviteter")),
    ]
