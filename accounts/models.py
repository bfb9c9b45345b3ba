from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.validators import validate_single_line


class User(AbstractUser):
    """A person who logs in. Which organisations they belong to, and what they may do in each
    project, is kept in `projects` (Organisation.members, Membership)."""

    job_title = models.CharField(
        _("stillingstittel"), max_length=150, blank=True, validators=[validate_single_line]
    )
    daily_digest = models.BooleanField(
        _("samle varslene i én e-post hver morgen"),
        default=False,
        help_text=_(
            "Ellers får du hvert varsel med en gang. Innkallinger med kalenderinvitasjon og "
            "dokumenter (protokoller, statusrapporter) kommer alltid med en gang."
        ),
    )

    class Meta:
        verbose_name = _("bruker")
        verbose_name_plural = _("brukere")
        ordering = ["first_name", "last_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username


class ExternalIdentity(models.Model):
    """Who a person is at the OpenID Connect provider: the issuer and the claim that names them
    for good there (`sub`, or `oid` for Entra ID; OIDC_SUBJECT_CLAIM). A sign-in finds its user
    by this, never by the e-mail address, which can change hands."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="identities", verbose_name=_("bruker")
    )
    issuer = models.CharField(_("utsteder"), max_length=255)
    subject = models.CharField(_("identitet hos utstederen"), max_length=255)
    created_at = models.DateTimeField(_("første innlogging"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ekstern identitet")
        verbose_name_plural = _("eksterne identiteter")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="unique_external_identity")
        ]

    def __str__(self):
        return f"{self.subject} @ {self.issuer}"
