import datetime as dt

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateField

from .models import Scope


def _default_expiry() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=90)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Navn"),
        max_length=100,
        help_text=_("Hva nøkkelen brukes til, for eksempel «Power BI» eller «HR-integrasjon»."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Tilganger"),
        choices=Scope.choices,
        initial=[Scope.READ],
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Personopplysninger gir bare det du selv har rett til å se, og hver bruk logges."
        ),
    )
    expires_on = DateField(label=_("Gyldig til og med"), initial=_default_expiry)

    def clean_expires_on(self):
        expires_on = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if expires_on < today:
            raise forms.ValidationError(_("Datoen kan ikke være før i dag."))
        if expires_on > today + dt.timedelta(days=settings.API_TOKEN_MAX_DAYS):
            raise forms.ValidationError(
                _("En nøkkel kan gjelde i høyst %(days)s dager.")
                % {"days": settings.API_TOKEN_MAX_DAYS}
            )
        return expires_on

    def expires_at(self) -> dt.datetime:
        """The end of the chosen day, in the site's time zone."""
        end = dt.datetime.combine(self.cleaned_data["expires_on"], dt.time(23, 59, 59))
        return timezone.make_aware(end)
