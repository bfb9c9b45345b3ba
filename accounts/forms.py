from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import User


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Brukernavn"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Passord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "Feil brukernavn eller passord. Merk at det skilles mellom store og små bokstaver."
        ),
        "inactive": _("Denne kontoen er deaktivert."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if settings.OIDC_ENABLED:  # the first thing on the page is the sign-in button
            self.fields["username"].widget.attrs.pop("autofocus", None)
        if settings.OIDC_ONLY:
            self.error_messages = {
                **self.error_messages,
                "invalid_login": _(
                    "Feil brukernavn eller passord. Passord brukes bare av den lokale "
                    "administratorkontoen; alle andre logger inn med %(provider)s."
                )
                % {"provider": settings.OIDC_PROVIDER_NAME},
            }


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["job_title", "daily_digest"]
