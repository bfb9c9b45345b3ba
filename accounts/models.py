from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

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
