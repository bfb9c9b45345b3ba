from dataclasses import dataclass

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.forms import DATE_WIDGET, ModelMultipleChoiceField, SubmittedOnce, model_choice_field

from .models import (
    Benefit,
    BenefitMeasurement,
    GateCriterion,
    Lesson,
    Membership,
    Phase,
    Project,
    Risk,
    SolutionOption,
    Workstream,
)


def project_people(project):
    """The project's members, for choices of who is responsible, who held a meeting etc."""
    return (
        get_user_model()
        .objects.filter(memberships__project=project)
        .distinct()
        .order_by("first_name", "last_name")
    )


class ProjectBasicsForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "name",
            "code",
            "owner_title",
            "status",
            "start_date",
            "last_delivery_date",
            "report_interval_days",
        ]
        widgets = {"start_date": DATE_WIDGET, "last_delivery_date": DATE_WIDGET}

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("start_date"), cleaned.get("last_delivery_date")
        if start and end and end < start:
            self.add_error(
                "last_delivery_date", _("Siste leveransedato kan ikke være før startdatoen.")
            )
        return cleaned


def text_section_form(field_name: str):
    return forms.modelform_factory(
        Project, fields=[field_name], widgets={field_name: forms.Textarea(attrs={"rows": 12})}
    )


class GoalsForm(forms.Form):
    goals = forms.CharField(
        label=_("Mål"),
        help_text=_("Ett mål per linje, i prioritert rekkefølge."),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        max_length=20000,
    )

    def clean_goals(self):
        lines = [line.strip() for line in self.cleaned_data["goals"].splitlines() if line.strip()]
        too_long = [n for n, line in enumerate(lines, start=1) if len(line) > 2000]
        if too_long:
            raise ValidationError(
                _("Mål nummer %(n)s er for langt (høyst 2000 tegn).") % {"n": too_long[0]}
            )
        return lines


class BenefitForm(forms.ModelForm):
    class Meta:
        model = Benefit
        fields = ["title", "indicator", "baseline", "target", "unit", "owner"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An empty row is allowed and ignored; a row with anything in it needs a title.
        self.fields["title"].required = False

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if not cleaned.get("title") and any(cleaned.get(f) for f in self.Meta.fields[1:]):
            self.add_error("title", _("Gi gevinsten et navn, eller tøm raden."))
        return cleaned

    def validate_unique(self):
        pass  # order and project are set by the service


BenefitFormSet = forms.modelformset_factory(
    Benefit, form=BenefitForm, extra=2, max_num=30, validate_max=True
)


@dataclass(frozen=True)
class Section:
    """One section of the mandate page, edited on its own."""

    slug: str
    title: str | Promise
    kind: str  # "basics", "text", "goals", "benefits"
    field: str = ""


SECTIONS = [
    Section("navn", _("Prosjektets navn og eier"), "basics"),
    Section("bakgrunn", _("Bakgrunn"), "text", "background"),
    Section("hensikt", _("Hensikt og kort beskrivelse"), "text", "purpose"),
    Section("resultatmal", _("Resultatmål"), "goals", "result"),
    Section("effektmal", _("Effektmål"), "goals", "effect"),
    Section("gevinster", _("Gevinster"), "benefits"),
    Section("rammer", _("Rammebetingelser og føringer"), "text", "constraints"),
    Section(
        "forpliktelser",
        _("Organisasjonens forpliktelser overfor prosjektet"),
        "text",
        "obligations",
    ),
    Section("kvalitet", _("Kvalitet"), "text", "quality_requirements"),
]
SECTIONS_BY_SLUG = {s.slug: s for s in SECTIONS}


class PhaseForm(SubmittedOnce, forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["order", "name", "goal", "start_date", "end_date"]
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "goal": forms.Textarea(attrs={"rows": 3}),
        }


class GateCriterionForm(SubmittedOnce, forms.ModelForm):
    class Meta:
        model = GateCriterion
        fields = ["order", "text"]
        labels = {"text": _("Hva må være på plass?")}


class TickForm(forms.Form):
    """Tick a criterion as met (or take the tick away), with how it was met."""

    ticked = forms.BooleanField(required=False)
    note = forms.CharField(label=_("Merknad"), required=False, max_length=500)


class OrganisationUserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.job_title})" if obj.job_title else str(obj)


class OrganisationUsersChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class WorkstreamForm(forms.ModelForm):
    lead = OrganisationUserChoiceField(
        queryset=None, required=False, label=_("Leder for arbeidsstrømmen")
    )
    members = OrganisationUsersChoiceField(
        queryset=None, required=False, label=_("Medlemmer"), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Workstream
        fields = ["order", "name", "units", "lead", "members", "status"]
        widgets = {"units": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        users = organisation.members.order_by("first_name", "last_name")
        model_choice_field(self, "lead").queryset = users
        model_choice_field(self, "members").queryset = users


class SolutionOptionForm(forms.ModelForm):
    class Meta:
        model = SolutionOption
        fields = ["order", "title", "description", "is_zero_alternative"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class MembershipForm(forms.ModelForm):
    user = OrganisationUserChoiceField(queryset=None, label=_("Bruker"))

    class Meta:
        model = Membership
        fields = ["user", "role", "union_name"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "user").queryset = organisation.members.order_by(
            "first_name", "last_name"
        )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("role") == Membership.Role.UNION_REP and not cleaned.get("union_name"):
            self.add_error("union_name", _("Oppgi fagforeningen til den tillitsvalgte."))
        return cleaned

    def validate_unique(self):
        pass  # the service checks duplicates, with the project it knows


class ProjectCreateForm(forms.ModelForm):
    """A new project in one of the user's organisations; the user becomes its leader."""

    owner = OrganisationUserChoiceField(queryset=None, label=_("Prosjekteier"))

    class Meta:
        model = Project
        fields = [
            "organisation",
            "name",
            "code",
            "owner",
            "owner_title",
            "start_date",
            "last_delivery_date",
        ]
        widgets = {"start_date": DATE_WIDGET, "last_delivery_date": DATE_WIDGET}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = user.organisations.order_by("name")
        model_choice_field(self, "organisation").queryset = organisations
        model_choice_field(self, "organisation").empty_label = None
        model_choice_field(self, "owner").queryset = (
            get_user_model()
            .objects.filter(organisations__in=organisations)
            .distinct()
            .order_by("first_name", "last_name")
        )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        organisation, owner = cleaned.get("organisation"), cleaned.get("owner")
        if organisation and owner and not organisation.members.filter(pk=owner.pk).exists():
            self.add_error(
                "owner", _("Prosjekteieren må høre til %(org)s.") % {"org": organisation}
            )
        start, end = cleaned.get("start_date"), cleaned.get("last_delivery_date")
        if start and end and end < start:
            self.add_error(
                "last_delivery_date", _("Siste leveransedato kan ikke være før startdatoen.")
            )
        return cleaned


class RiskForm(SubmittedOnce, forms.ModelForm):
    owner = OrganisationUserChoiceField(queryset=None, required=False, label=_("Risikoeier"))

    class Meta:
        model = Risk
        fields = [
            "title",
            "description",
            "probability",
            "consequence",
            "owner",
            "mitigation",
            "status",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "mitigation": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        model_choice_field(self, "owner").queryset = project_people(project)


# --- Benefits realisation and lessons learned ---------------------------------------------------


class BenefitPlanForm(forms.ModelForm):
    """The benefit's owner in the line organisation (anyone in the project's organisation) and
    when it is measured."""

    class Meta:
        model = Benefit
        fields = ["owner_user", "measure_from", "measure_every_months", "measure_until"]
        widgets = {"measure_from": DATE_WIDGET, "measure_until": DATE_WIDGET}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "owner_user").queryset = (
            get_user_model()
            .objects.filter(organisations=project.organisation_id, is_active=True)
            .order_by("first_name", "last_name", "pk")
        )


class MeasurementForm(forms.ModelForm):
    """A measurement of one benefit (the benefit is in the URL)."""

    class Meta:
        model = BenefitMeasurement
        fields = ["measured_on", "value", "comment"]
        widgets = {"measured_on": DATE_WIDGET}
        help_texts = {"value": _("Et tall der det er mulig, for eksempel 12 eller 12,5.")}


class LessonForm(forms.ModelForm):
    class Meta:
        model = Lesson
        fields = ["category", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}


class LessonSearchForm(forms.Form):
    q = forms.CharField(label=_("Søk i teksten"), required=False, max_length=200)
    kategori = forms.ChoiceField(
        label=_("Kategori"),
        required=False,
        choices=[("", _("Alle kategorier")), *Lesson.Category.choices],
    )
