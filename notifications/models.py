"""The outbox: every e-mail the product sends, as a row written in the same transaction as the
change it tells about. A request never talks to the broker or the mail server: beat's sweep
(notifications.outbox.sweep) sends what is due, each row under its lock, so nothing is lost when
Redis or the mail server is down, and nothing is sent twice. A send log, not domain data: no
history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingMailQuerySet(models.QuerySet):
    def due(self, now=None):
        """Queued, its next try now or past, and not held for a daily digest (held ones go out
        once their recipient no longer wants the digest)."""
        return self.filter(
            Q(digest=False) | Q(recipient__daily_digest=False),
            state=OutgoingMail.State.QUEUED,
            next_attempt_at__lte=now or timezone.now(),
        )

    def failed_for(self, user):
        """What `user` caused to be sent that did not arrive: refused for good, or given up."""
        return self.filter(sender=user, state=OutgoingMail.State.FAILED)


class OutgoingMail(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Venter på utsending")
        SENT = "sent", _("Sendt")
        FAILED = "failed", _("Ikke sendt")
        DIGESTED = "digested", _("Sendt i dagens oppsummering")
        CANCELLED = "cancelled", _("Ikke lenger mottaker")

    kind = models.CharField(_("type"), max_length=40)
    # The project it is about. Not a foreign key: the outbox sits below the apps that use it
    # (docs/DESIGN.md); projects.services cancels a person's notices when they leave a project.
    project_id = models.PositiveIntegerField(_("prosjekt"), null=True, blank=True, db_index=True)
    # What it is about, for the page that lists its sends, e.g. "statusreport:12".
    ref = models.CharField(max_length=60, blank=True, db_index=True)
    # A person's own notice: held for their daily digest if they have chosen one, and never sent
    # once they have left the project or been deactivated.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mottaker"),
    )
    # Who caused it: told if it does not arrive, and may send it again.
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("avsender"),
    )
    # One mail per occasion however often the change is retried, e.g. "report:12:user:5".
    key = models.CharField(max_length=200, unique=True, null=True, blank=True)

    to = models.JSONField(_("til"), default=list)
    bcc = models.JSONField(_("blindkopi"), default=list)
    subject = models.CharField(_("emne"), max_length=400)
    body = models.TextField(_("tekst"))
    headers = models.JSONField(default=dict)
    message_id = models.CharField(max_length=200, unique=True)
    # A calendar invitation (RFC 5545 text, CRLF line ends kept) and its iTIP method.
    invitation = models.TextField(blank=True)
    invitation_method = models.CharField(max_length=10, blank=True)
    # PDFs of frozen documents, {"model": "reports.statusreport", "pk": 12}: stored first if no
    # one has, and attached when the mail is sent.
    attachments = models.JSONField(default=list)
    url = models.CharField(_("lenke"), max_length=500, blank=True)
    # The project roles its recipient must still hold when it is sent (a report to the steering
    # group): empty, any member.
    roles = models.JSONField(default=list)

    digest = models.BooleanField(_("samles i daglig oppsummering"), default=False)
    state = models.CharField(_("status"), max_length=10, choices=State, default=State.QUEUED)
    attempts = models.PositiveIntegerField(_("forsøk"), default=0)
    last_error = models.CharField(_("siste feil"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("laget"), auto_now_add=True)
    # Since when it has been tried: given up a day after (notifications.outbox.GIVE_UP_AFTER).
    queued_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    digested_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        verbose_name = _("utgående e-post")
        verbose_name_plural = _("utgående e-post")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], condition=Q(state="queued"), name="outbox_due"
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to) or ', '.join(self.bcc)}"
