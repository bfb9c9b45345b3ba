"""Service tokens for an organisation's systems, made by an administrator: the form makes the
service account and the token, and shows the token once."""

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from projects.models import Organisation

from . import tokens
from .models import ApiToken, Scope


class ServiceTokenForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(), label=gettext_lazy("Organisasjon")
    )
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Tilganger"),
    )
    days = forms.IntegerField(
        min_value=1, max_value=365, initial=365, label=gettext_lazy("Gyldig i dager")
    )

    class Meta:
        model = ApiToken
        fields = ["organisation", "name", "scopes"]


@admin.register(ApiToken)
class ApiTokenAdmin(SimpleHistoryAdmin):
    list_display = ["name", "prefix", "user", "organisation", "expires_at", "revoked_at"]
    list_filter = ["organisation"]
    search_fields = ["name", "prefix", "user__username"]
    actions = ["revoke"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            return ServiceTokenForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [f.name for f in ApiToken._meta.fields if f.name != "digest"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["organisation", "name", "scopes", "days"]
        return self.get_readonly_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        token, plain = tokens.create_service_token(
            organisation=form.cleaned_data["organisation"],
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_at=timezone.now() + dt.timedelta(days=form.cleaned_data["days"]),
            by=request.user,
        )
        obj.pk = token.pk
        messages.warning(
            request,
            _(
                "Tjenestenøkkelen er laget for brukeren %(user)s. Kopier den nå, den vises ikke "
                "igjen: %(token)s"
            )
            % {"user": token.user.username, "token": plain},
        )

    @admin.action(description=gettext_lazy("Trekk tilbake valgte nøkler"))
    def revoke(self, request, queryset):
        for token in queryset:
            tokens.revoke_token(token=token, by=request.user)
