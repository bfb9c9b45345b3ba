from django import forms
from django.utils.translation import gettext_lazy as _

from projects.forms import DATE_WIDGET

from .models import DecisionRequest


class DecisionRequestForm(forms.ModelForm):
    class Meta:
        model = DecisionRequest
        fields = ["title", "question", "basis", "deadline"]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 3}),
            "basis": forms.Textarea(attrs={"rows": 6}),
            "deadline": DATE_WIDGET,
        }


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Utfall"),
        choices=[
            (DecisionRequest.Outcome.DECIDED, DecisionRequest.Outcome.DECIDED.label),
            (DecisionRequest.Outcome.DEFERRED, DecisionRequest.Outcome.DEFERRED.label),
            (DecisionRequest.Outcome.REJECTED, DecisionRequest.Outcome.REJECTED.label),
        ],
    )
    decision = forms.CharField(
        label=_("Vedtak"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    decided_on = forms.DateField(
        label=_("Dato for vedtak"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Står den tom, brukes dagens dato."),
    )
