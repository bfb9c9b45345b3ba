from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import (
    DATE_WIDGET,
    DateField,
    ModelMultipleChoiceField,
    SubmittedOnce,
    model_choice_field,
)
from core.validators import validate_single_line
from projects.forms import OrganisationUserChoiceField, project_people

from .models import (
    Competence,
    Employee,
    MappingInterview,
    OrgUnit,
    Placement,
    Position,
    RoleDescription,
)


class UnitForm(forms.ModelForm):
    """A unit of one of the two organizations; choices only from the same project, and parents
    only from the same organization."""

    class Meta:
        model = OrgUnit
        fields = ["name", "kind", "parent", "code", "leader_title", "order", "successors"]
        widgets = {"successors": forms.CheckboxSelectMultiple}
        field_classes = {"successors": ModelMultipleChoiceField}

    def __init__(self, *args, project, structure, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        self.instance.structure = structure
        same = project.org_units.filter(structure=structure)
        if self.instance.pk:
            same = same.exclude(pk=self.instance.pk)
        model_choice_field(self, "parent").queryset = same
        model_choice_field(self, "parent").empty_label = _("– Øverst –")
        if structure == OrgUnit.Structure.CURRENT:
            model_choice_field(self, "successors").queryset = project.org_units.filter(
                structure=OrgUnit.Structure.FUTURE
            )
        else:
            del self.fields["successors"]


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-fil"),
        help_text=_("Eksportert fra HR-systemet, med overskrifter på første linje."),
    )


class PositionForm(SubmittedOnce, forms.ModelForm):
    class Meta:
        model = Position
        fields = ["unit", "title", "code", "fte", "reports_to", "order"]

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        model_choice_field(self, "unit").queryset = project.org_units.filter(
            structure=OrgUnit.Structure.FUTURE
        )
        others = project.positions.select_related("unit")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        model_choice_field(self, "reports_to").queryset = others


class RoleDescriptionForm(forms.ModelForm):
    class Meta:
        model = RoleDescription
        fields = [
            "position_name",
            "main_goal",
            "main_tasks",
            "education",
            "education_level",
            "certifications",
            "general_requirements",
            "personnel_responsibility",
            "budget_responsibility",
            "professional_responsibility",
            "special_tasks",
            "change_clause",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in [
                "main_goal",
                "education",
                "certifications",
                "general_requirements",
                "personnel_responsibility",
                "budget_responsibility",
                "professional_responsibility",
                "special_tasks",
                "change_clause",
            ]
        } | {"main_tasks": forms.Textarea(attrs={"rows": 6})}


class CompetenceForm(forms.ModelForm):
    class Meta:
        model = Competence
        fields = ["category", "text", "level"]


CompetenceFormSet = forms.modelformset_factory(
    Competence, form=CompetenceForm, extra=3, can_delete=True
)


class EmployeeForm(forms.ModelForm):
    class Meta:
        model = Employee
        fields = [
            "first_name",
            "last_name",
            "employee_number",
            "current_unit",
            "current_position",
            "fte",
            "start_date",
            "competences",
            "restructuring_conversation_on",
            "redundant",
        ]
        widgets = {
            "start_date": DATE_WIDGET,
            "restructuring_conversation_on": DATE_WIDGET,
            "competences": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        model_choice_field(self, "current_unit").queryset = project.org_units.filter(
            structure=OrgUnit.Structure.CURRENT
        )


class PositionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.unit.name})"


class InterviewForm(forms.ModelForm):
    held_by = OrganisationUserChoiceField(queryset=None, label=_("Holdt av"))
    wish_1 = PositionChoiceField(queryset=None, required=False, label=_("Ønske 1"))
    wish_2 = PositionChoiceField(queryset=None, required=False, label=_("Ønske 2"))
    wish_3 = PositionChoiceField(queryset=None, required=False, label=_("Ønske 3"))

    class Meta:
        model = MappingInterview
        fields = ["held_on", "held_by", "notes"]
        widgets = {"held_on": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "held_by").queryset = project_people(project)
        positions = project.positions.select_related("unit")
        for n in (1, 2, 3):
            model_choice_field(self, f"wish_{n}").queryset = positions
        if self.instance.pk:
            for wish in self.instance.wishes.all()[:3]:
                self.initial[f"wish_{wish.priority}"] = wish.position_id

    @property
    def wishes(self):
        return [self.cleaned_data[f"wish_{n}"] for n in (1, 2, 3) if self.cleaned_data[f"wish_{n}"]]


class PlacementForm(forms.ModelForm):
    """A proposed placement of one employee (the page is the employee's)."""

    position = PositionChoiceField(queryset=None, label=_("Stilling"))

    class Meta:
        model = Placement
        fields = ["position", "basis", "fte", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, project, employee, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.employee = employee
        model_choice_field(self, "position").queryset = project.positions.select_related("unit")
        self.fields["fte"].required = False
        self.fields["fte"].help_text = _("Står den tom, brukes den ansattes stillingsprosent.")


class PlacementStatusForm(forms.Form):
    """The steps the placements list takes itself: "drøftet" is marked from the meeting's agenda
    item, and a decision goes through the consultation gate (consultations.views)."""

    status = forms.ChoiceField(
        label=_("Ny status"),
        choices=[
            (value, label)
            for value, label in Placement.Status.choices
            if value not in (Placement.Status.CONSULTED, Placement.Status.DECIDED)
        ],
    )


# --- Personal data: insight, erasure, retention ----------------------------------------------------


class InsightForm(forms.Form):
    purpose = forms.CharField(
        label=_("Formål"),
        max_length=300,
        validators=[validate_single_line],
        help_text=_("Hva innsynet skal brukes til, for eksempel drøfting av innplasseringene."),
    )
    until = DateField(
        label=_("Til og med"),
        help_text=_("Innsynet tar slutt av seg selv etter denne dagen."),
    )


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=_("Grunn"),
        max_length=500,
        validators=[validate_single_line],
        help_text=_(
            "For eksempel: den ansatte har bedt om sletting (personvernforordningen art. 17)."
        ),
    )
    confirm = forms.BooleanField(
        label=_("Jeg forstår at opplysningene ikke kan hentes tilbake."),
        error_messages={"required": _("Kryss av for å bekrefte at du forstår dette.")},
    )


class RetentionForm(forms.Form):
    reason = forms.CharField(
        label=_("Begrunnelse"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Hvorfor personopplysningene må oppbevares lenger, for eksempel en klagesak."),
    )
