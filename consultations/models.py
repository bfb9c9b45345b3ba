"""Meetings with the employees' representatives (information, consultation, negotiation) as the
Working Environment Act and the Basic Agreement require them, their agendas and protocols, and
the questions log of seed 001 section 5.3.

A union or safety representative sees the meetings they are invited to; owner and leader run
them all (projects.permissions.RUN_MEETINGS). An agenda item may concern milestones, units, role
descriptions and placements; placements are personal data and are shown only to those who may
see it."""

import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.files import KINDS
from core.validators import validate_date_range, validate_single_line
from milestones.models import Milestone
from projects.models import Phase, Project, Workstream
from roles.models import OrgUnit, Placement, RoleDescription

User = settings.AUTH_USER_MODEL


class Side(models.TextChoices):
    EMPLOYER = "employer", _("Arbeidsgiver")
    UNION = "union", _("Tillitsvalgte")
    SAFETY = "safety", _("Verneombud")


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user, project):
        """The project's meetings the user may see: all of them for those who run meetings,
        else those they are invited to. Filtered in SQL."""
        meetings = self.filter(project=project)
        if "run_meetings" in getattr(project, "perms", ()):
            return meetings
        return meetings.filter(participants__user=user).distinct()


class Meeting(models.Model):
    class Kind(models.TextChoices):
        INFORMATION = "information", _("Informasjonsmøte")
        CONSULTATION = "consultation", _("Drøftingsmøte")
        NEGOTIATION = "negotiation", _("Forhandlingsmøte")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planlagt")
        HELD = "held", _("Holdt")
        PROTOCOL_APPROVED = "approved", _("Protokoll godkjent")
        CANCELLED = "cancelled", _("Avlyst")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("type"), max_length=15, choices=Kind, default=Kind.CONSULTATION)
    title = models.CharField(_("tittel"), max_length=200, validators=[validate_single_line])
    starts_at = models.DateTimeField(_("starter"), validators=[validate_date_range])
    ends_at = models.DateTimeField(_("slutter"), validators=[validate_date_range])
    place = models.CharField(
        _("sted"), max_length=200, blank=True, validators=[validate_single_line]
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PLANNED)
    called_at = models.DateTimeField(_("innkalling sendt"), null=True, blank=True)
    # Held without a notice from reorg, and recorded here afterwards by the leader.
    recorded_afterwards = models.BooleanField(_("registrert i ettertid"), default=False)
    # The calendar invitation: one UID for the meeting, SEQUENCE raised by every update sent.
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    sequence = models.PositiveIntegerField(default=0)
    history = HistoricalRecords(excluded_fields=["sequence"])

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("møte")
        verbose_name_plural = _("møter")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_it_starts",
                violation_error_message=_("Møtet må slutte etter at det starter."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_called(self) -> bool:
        return self.called_at is not None


class Participant(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="meeting_participations")
    side = models.CharField(_("part"), max_length=10, choices=Side)
    union_name = models.CharField(
        _("fagforening"), max_length=100, blank=True, validators=[validate_single_line]
    )
    present = models.BooleanField(_("til stede"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deltaker")
        verbose_name_plural = _("deltakere")
        ordering = ["side", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="participant_once"),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_side_display()})"


class AgendaItem(models.Model):
    class Outcome(models.TextChoices):
        OPEN = "open", _("Ikke behandlet")
        AGREED = "agreed", _("Enighet")
        DISAGREED = "disagreed", _("Uenighet")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField(_("nr."), default=1)
    title = models.CharField(_("sak"), max_length=300, validators=[validate_single_line])
    done = models.TextField(_("hva er gjort"), blank=True, max_length=10000)
    next_steps = models.TextField(_("hva skal nå gjøres"), blank=True, max_length=10000)
    outcome = models.CharField(_("utfall"), max_length=10, choices=Outcome, default=Outcome.OPEN)
    conclusion = models.TextField(_("konklusjon"), blank=True, max_length=5000)
    concerns_mandate = models.BooleanField(
        _("gjelder prosjektmandatet"),
        default=False,
        help_text=_("Saken er drøftingen av mandatet før prosjekteieren beslutter det."),
    )
    # The phase whose gate this item consulted on (projects.Phase's approval shows it).
    concerns_phase = models.ForeignKey(
        Phase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("gjelder faseovergangen"),
        help_text=_("Saken er drøftingen før prosjekteieren godkjenner overgangen fra fasen."),
    )
    milestones = models.ManyToManyField(
        Milestone, blank=True, related_name="agenda_items", verbose_name=_("milepæler")
    )
    units = models.ManyToManyField(
        OrgUnit, blank=True, related_name="agenda_items", verbose_name=_("enheter")
    )
    role_descriptions = models.ManyToManyField(
        RoleDescription,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("rollebeskrivelser"),
    )
    placements = models.ManyToManyField(
        Placement, blank=True, related_name="agenda_items", verbose_name=_("innplasseringer")
    )
    history = HistoricalRecords(m2m_fields=[milestones, units, role_descriptions, placements])

    class Meta:
        verbose_name = _("sak")
        verbose_name_plural = _("saker")
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.order}) {self.title}"


class ProtocolEntry(models.Model):
    """A party's own statement in the protocol ("protokolltilførsel"), by someone present."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="entries")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(_("part"), max_length=10, choices=Side)
    text = models.TextField(_("protokolltilførsel"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("protokolltilførsel")
        verbose_name_plural = _("protokolltilførsler")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_side_display()}: {self.text[:40]}"


class Protocol(models.Model):
    """A version of a meeting's protocol. Draft → sent for approval → approved. What is sent is
    frozen in `snapshot`; an approved version is never changed: a change makes the next version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        SENT = "sent", _("Sendt til godkjenning")
        APPROVED = "approved", _("Godkjent")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="protocols")
    version = models.PositiveIntegerField(_("versjon"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    snapshot = models.JSONField(_("innhold"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    approved_at = models.DateTimeField(_("godkjent"), null=True, blank=True)
    # A representative asked for a correction instead of confirming: back to draft until the
    # leader sends it again.
    correction_requested_at = models.DateTimeField(null=True, blank=True)
    correction_requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    correction_comment = models.TextField(_("ønsket retting"), blank=True, max_length=5000)
    pdf = models.FileField(_("PDF"), upload_to="protocols/", blank=True)
    history = HistoricalRecords()
    # Added by simple-history: save() without a historical record.
    save_without_historical_record: Callable[..., None]

    class Meta:
        verbose_name = _("protokoll")
        verbose_name_plural = _("protokoller")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="protocol_version_unique"),
            models.UniqueConstraint(
                fields=["meeting"],
                condition=~Q(status="approved"),
                name="one_open_protocol_per_meeting",
            ),
        ]

    def __str__(self):
        return f"{self.meeting} v{self.version}"

    def stored_pdf(self) -> FieldFile:
        """An approved version's PDF, stored first if no one has (a frozen document: the outbox
        attaches it by this name)."""
        from .documents import ensure_protocol_pdf  # documents reads these models

        return ensure_protocol_pdf(self.pk).pdf


class Confirmation(models.Model):
    """A side's representative confirms the protocol sent for approval: who, for which side,
    when."""

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="confirmations")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(_("part"), max_length=10, choices=Side)
    confirmed_at = models.DateTimeField(_("bekreftet"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bekreftelse")
        verbose_name_plural = _("bekreftelser")
        ordering = ["confirmed_at"]
        constraints = [
            models.UniqueConstraint(fields=["protocol", "user"], name="confirm_once"),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_side_display()})"


class Question(models.Model):
    """A question from a workstream, answered once by the project leader and published to every
    workstream (seed 001, 5.3)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="questions")
    workstream = models.ForeignKey(
        Workstream,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("arbeidsstrøm"),
    )
    asked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("spurt av")
    )
    asked_on = models.DateField(_("dato"), validators=[validate_date_range])
    text = models.TextField(_("spørsmål"), max_length=5000)
    answer = models.TextField(_("svar"), blank=True, max_length=10000)
    answered_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("besvart"), null=True, blank=True)
    digest_sent_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("spørsmål")
        verbose_name_plural = _("spørsmål")
        ordering = ["-asked_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answer="", answered_at__isnull=True)
                | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="question_answered_with_time",
            ),
        ]

    def __str__(self):
        return self.text[:60]


# --- Attachments --------------------------------------------------------------------------------


def attachment_storage():
    """The "attachments" storage (settings.STORAGES): the file system outside MEDIA_ROOT by
    default, an S3-compatible store by configuration. Never served from /media/."""
    return storages["attachments"]


def attachment_path(instance: "Attachment", filename: str) -> str:
    """An unguessable name under the project; the name the user gave is kept in `filename`."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return f"prosjekt-{instance.project_id}/{uuid.uuid4().hex}.{extension}"


class AttachmentQuerySet(models.QuerySet):
    def visible_to(self, user, project):
        """The project's attachments the user may see: the project's own for every member who
        sees the project, a meeting's (and its agenda items') for those who see the meeting
        (Meeting.objects.visible_to). Filtered in SQL."""
        meetings = Meeting.objects.visible_to(user, project).values("pk")
        return self.filter(project=project).filter(
            Q(meeting__isnull=True) | Q(meeting__in=meetings)
        )


class Attachment(models.Model):
    """A document on the project, a meeting or one of its agenda items (a draft the
    representatives are to read before the meeting): a PDF, Word or Excel file, its kind read
    from its content (core.files), stored through the "attachments" storage and downloaded only
    through the access helper."""

    class Kind(models.TextChoices):
        PDF = "pdf", _("PDF")
        WORD = "docx", _("Word")
        EXCEL = "xlsx", _("Excel")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="attachments")
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("møte"),
    )
    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("sak"),
    )
    title = models.CharField(_("tittel"), max_length=200, validators=[validate_single_line])
    file = models.FileField(
        _("fil"), upload_to=attachment_path, storage=attachment_storage, max_length=255
    )
    filename = models.CharField(_("filnavn"), max_length=200, validators=[validate_single_line])
    kind = models.CharField(_("filtype"), max_length=4, choices=Kind)
    size = models.PositiveBigIntegerField(_("størrelse"))
    sha256 = models.CharField(_("sjekksum"), max_length=64)
    uploaded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("lastet opp av")
    )
    uploaded_at = models.DateTimeField(_("lastet opp"), auto_now_add=True)
    history = HistoricalRecords()

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("vedlegg")
        verbose_name_plural = _("vedlegg")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(item__isnull=True) | Q(meeting__isnull=False),
                name="attachment_item_has_meeting",
                violation_error_message=_("Et vedlegg til en sak hører til sakens møte."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def content_type(self) -> str:
        return KINDS[self.kind].content_type
