from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from consultations.models import AgendaItem
from core.forms import (
    DATE_WIDGET,
    DateField,
    ModelMultipleChoiceField,
    choice_field,
    model_choice_field,
)
from core.validators import validate_single_line
from projects.forms import ProjectCreateForm
from projects.models import Benefit, BenefitMeasurement

from .builtin_template import BUILTIN_KEY, BUILTIN_NAME
from .models import DIMENSIONS, DecisionRequest, Light, StatusReport
from .services import EDITABLE_FIELDS


class AgendaItemChoiceField(ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        meeting = obj.meeting
        return f"{meeting.title} ({meeting.starts_at:%d.%m.%Y}), sak {obj.order}: {obj.title}"


class DecisionRequestForm(forms.ModelForm):
    agenda_items = AgendaItemChoiceField(
        queryset=AgendaItem.objects.none(),
        required=False,
        label=_("Drøftet i"),
        help_text=_(
            "Sakene på møtenes sakslister der saken er drøftet med de ansattes representanter."
        ),
    )

    class Meta:
        model = DecisionRequest
        fields = ["title", "question", "basis", "deadline", "affects_employees", "agenda_items"]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 3}),
            "basis": forms.Textarea(attrs={"rows": 6}),
            "deadline": DATE_WIDGET,
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "agenda_items").queryset = (
            AgendaItem.objects.filter(meeting__project=project)
            .exclude(meeting__status="cancelled")
            .select_related("meeting")
            .order_by("-meeting__starts_at", "order")
        )


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
    decided_on = DateField(
        label=_("Dato for vedtak"),
        required=False,
        help_text=_("Står den tom, brukes dagens dato."),
    )
    no_protocol_reason = forms.CharField(required=False, max_length=5000)


class StatusReportForm(forms.ModelForm):
    """The leader's part of a draft: a light and a comment per section, and the three texts."""

    class Meta:
        model = StatusReport
        fields = EDITABLE_FIELDS
        widgets = {
            **{f"{key}_comment": forms.Textarea(attrs={"rows": 2}) for key, _label in DIMENSIONS},
            "achieved": forms.Textarea(attrs={"rows": 5}),
            "planned": forms.Textarea(attrs={"rows": 5}),
            "challenges": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, _label in DIMENSIONS:
            choice_field(self, f"{key}_status").choices = [("", _("Ikke satt")), *Light.choices]

    def sections(self):
        """Each section's light and comment fields, for the template's fieldsets."""
        return [(label, self[f"{key}_status"], self[f"{key}_comment"]) for key, label in DIMENSIONS]


class BenefitMeasurementForm(forms.ModelForm):
    class Meta:
        model = BenefitMeasurement
        fields = ["benefit", "measured_on", "value", "comment"]
        widgets = {"measured_on": DATE_WIDGET}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "benefit").queryset = Benefit.objects.filter(project=project)
        self.fields["benefit"].label = _("Gevinst")


# --- The mandate to the owner ---------------------------------------------------------------------

NO_PROTOCOL_REASON = forms.CharField(
    label=_("Begrunnelse for å beslutte uten godkjent protokoll"),
    required=False,
    max_length=5000,
    widget=forms.Textarea(attrs={"rows": 3}),
    help_text=_("Sendes til tillitsvalgte og verneombud i prosjektet, og står ved beslutningen."),
)


class MandateSubmitForm(forms.Form):
    message = forms.CharField(
        label=_("Melding til prosjekteieren"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class GatedDecisionForm(forms.Form):
    """A decision that the consultation gate applies to (consultations.gate): the reason for
    deciding without an approved protocol is asked for only when there is none."""

    no_protocol_reason = NO_PROTOCOL_REASON

    def __init__(self, *args, consulted: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if consulted:
            del self.fields["no_protocol_reason"]


class MandateDecisionForm(GatedDecisionForm):
    decided_on = DateField(label=_("Beslutningsdato"))
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    field_order = ["decided_on", "comment", "no_protocol_reason"]


class MandateReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Hva må endres?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


# --- Reuse: a new project from a template or a copy (reports.reuse) -------------------------

MAX_ID = 2**31 - 1


class ProjectStartForm(ProjectCreateForm):
    """ "Nytt prosjekt": empty, from a template (the built-in one or the organisation's), or a
    copy of a project the user may see. The template and the project are ids the view looks up
    through their `visible_to` (404 for one the user may not see)."""

    class StartFrom(models.TextChoices):
        BLANK = "blank", _("Tomt prosjekt")
        TEMPLATE = "template", _("En mal")
        COPY = "copy", _("Kopi av et prosjekt")

    start_from = forms.ChoiceField(
        label=_("Start fra"), choices=StartFrom.choices, initial=StartFrom.BLANK
    )
    template = forms.CharField(
        label=_("Mal"),
        required=False,
        widget=forms.Select,
        help_text=_("Brukes når du starter fra en mal."),
    )
    source = forms.IntegerField(
        label=_("Prosjekt å kopiere"),
        required=False,
        min_value=1,
        max_value=MAX_ID,
        widget=forms.Select,
        help_text=_(
            "Brukes når du kopierer: mandatets tekster, mål, gevinster, faser, "
            "arbeidsstrømmer, milepæler og rollebeskrivelser, med alle datoer flyttet like "
            "mye som startdatoen. Ikke medlemmer, ansatte eller historikk."
        ),
    )

    field_order = ["start_from", "template", "source"]

    def __init__(self, *args, user, templates, sources, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["template"].widget.choices = [
            (BUILTIN_KEY, BUILTIN_NAME),
            *((str(t.pk), f"{t.name} ({t.organisation})") for t in templates),
        ]
        self.fields["source"].widget.choices = [
            ("", _("Velg prosjekt")),
            *((p.pk, f"{p.name} ({p.code}, {p.organisation})") for p in sources),
        ]
        self.fields["owner_title"].help_text = _("Tom: som i malen eller prosjektet du kopierer.")
        self.fields["last_delivery_date"].help_text = _(
            "Tom: fra malen eller prosjektet du kopierer, flyttet med startdatoen."
        )

    def clean_template(self):
        value = self.cleaned_data.get("template") or ""
        if value in ("", BUILTIN_KEY):
            return BUILTIN_KEY
        if not value.isdigit() or int(value) > MAX_ID:
            raise forms.ValidationError(_("Velg en mal fra listen."))
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start_from") == self.StartFrom.COPY and not cleaned.get("source"):
            self.add_error("source", _("Velg prosjektet du vil kopiere."))
        return cleaned


class TemplateSaveForm(forms.Form):
    name = forms.CharField(
        label=_("Navn på malen"), max_length=200, validators=[validate_single_line]
    )
    description = forms.CharField(
        label=_("Beskrivelse"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Hva malen passer for."),
    )


# --- Phase gates to the owner ---------------------------------------------------------------------


class GateSubmitForm(MandateSubmitForm):
    pass


class GateApprovalForm(MandateDecisionForm):
    pass


class GateReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Hva må på plass før faseovergangen kan godkjennes?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- The final report ------------------------------------------------------------------------------


class FinalReportForm(forms.Form):
    """The leader's texts of the final report, and a result for each of the mandate's goals."""

    summary = forms.CharField(
        label=_("Sammendrag"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
        required=False,
        help_text=_("Kreves for å publisere."),
    )
    deviations = forms.CharField(
        label=_("Avvik"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
        required=False,
        help_text=_("Avvik fra mandatet, planen og rammene. Forsinkede milepæler og røde lys "
                    "fra siste statusrapport tas med automatisk."),
    )  # fmt: skip
    benefits_followup = forms.CharField(
        label=_("Videre gevinstrealisering"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
        required=False,
    )

    def __init__(self, *args, goals, report=None, **kwargs):
        results = (report.goal_results if report else {}) or {}
        initial: dict[str, str] = {}
        if report:
            initial.update(
                summary=report.summary,
                deviations=report.deviations,
                benefits_followup=report.benefits_followup,
            )
        for goal in goals:
            initial[f"goal_{goal.pk}"] = results.get(str(goal.pk), "")
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for goal in goals:
            self.fields[f"goal_{goal.pk}"] = forms.CharField(
                label=_("Resultat: %(goal)s") % {"goal": goal.text[:200]},
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=5000,
                required=False,
            )
        self.goals = list(goals)

    def goal_results(self) -> dict[int, str]:
        return {g.pk: self.cleaned_data.get(f"goal_{g.pk}", "") for g in self.goals}
