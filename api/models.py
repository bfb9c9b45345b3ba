"""Access tokens for the API. A token is shown once, when it is made; only its SHA-256 is kept
(the secret is 32 random bytes, so a fast hash is as safe as a slow one and lets every request
be checked in one indexed lookup). Its prefix, kept in the clear, names it in lists and logs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.validators import validate_date_range, validate_single_line
from projects.models import Organisation


class Scope(models.TextChoices):
    READ = "read", _("Lese")
    WRITE = "write", _("Endre")
    PERSONAL_DATA = "personal_data", _("Personopplysninger")


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A personal access token (a user makes it on their profile page) or a service token (an
    administrator makes it for an organisation; it acts as its service account, a user with no
    password who is given project roles like anyone else). Either way the API sees the token's
    user, and the user's rights in each project decide what the token may do, within its
    scopes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("bruker"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="service_tokens",
        verbose_name=_("organisasjon (tjenestenøkkel)"),
    )
    name = models.CharField(_("navn"), max_length=100, validators=[validate_single_line])
    prefix = models.CharField(_("prefiks"), max_length=12, unique=True)
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("tilganger"), default=list)
    created_at = models.DateTimeField(_("laget"), auto_now_add=True)
    expires_at = models.DateTimeField(_("utløper"), validators=[validate_date_range])
    last_used_at = models.DateTimeField(_("sist brukt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["digest", "last_used_at"])

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API-nøkkel")
        verbose_name_plural = _("API-nøkler")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=models.F("created_at")),
                name="api_token_revoked_after_created",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def get_scopes_display(self) -> str:
        labels = dict(Scope.choices)
        return ", ".join(str(labels[s]) for s in Scope.values if s in self.scopes)
