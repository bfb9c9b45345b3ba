"""What reports/ keeps of its own: the decision requests to the steering group. (Status reports
and their deliveries come with the three-week cycle.)"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models import Project


class DecisionRequest(models.Model):
    """What the steering group is asked to decide ("beslutningssak"), on what basis, by when, and
    the decision once taken."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Til behandling")
        DECIDED = "decided", _("Vedtatt")
        DEFERRED = "deferred", _("Utsatt")
        REJECTED = "rejected", _("Avvist")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="decision_requests")
    title = models.CharField(_("sak"), max_length=200)
    question = models.TextField(
        _("styringsgruppen bes om å"),
        max_length=5000,
        help_text=_("Hva styringsgruppen skal ta stilling til."),
    )
    basis = models.TextField(_("beslutningsgrunnlag"), blank=True, max_length=20000)
    deadline = models.DateField(_("frist"), null=True, blank=True)
    outcome = models.CharField(_("utfall"), max_length=10, choices=Outcome, default=Outcome.PENDING)
    decision = models.TextField(_("vedtak"), blank=True, max_length=5000)
    decided_on = models.DateField(_("dato for vedtak"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

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
