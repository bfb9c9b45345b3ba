from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DATE_WIDGET, DateField, ModelMultipleChoiceField, model_choice_field
from projects.forms import OrganisationUserChoiceField, project_people
from projects.models import Phase, Workstream

from .importing import normalise_code
from .models import Activity, Milestone


class MilestoneChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.title}"


class MilestoneForm(forms.ModelForm):
    """The whole milestone, for those who plan (owner and leader). Choices come only from the
    milestone's own project, so another project's milestone, phase or person is refused as an
    invalid choice."""

    responsible = OrganisationUserChoiceField(queryset=None, required=False, label=_("Ansvarlig"))
    depends_on = MilestoneChoiceField(
        queryset=None,
        required=False,
        label=_("Avhenger av"),
        help_text=_("Milepæler som må være nådd først. Hold Ctrl for å velge flere."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Milestone
        fields = [
            "code",
            "title",
            "kind",
            "criterion",
            "due_date",
            "date_text",
            "phase",
            "workstream",
            "responsible",
            "status",
            "reached_on",
            "reached_note",
            "depends_on",
        ]
        widgets = {
            "due_date": DATE_WIDGET,
            "reached_on": DATE_WIDGET,
            "criterion": forms.Textarea(attrs={"rows": 3}),
            "reached_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        model_choice_field(self, "phase").queryset = project.phases.all()
        model_choice_field(self, "workstream").queryset = project.workstreams.all()
        model_choice_field(self, "responsible").queryset = project_people(project)
        others = project.milestones.order_by("due_date", "pk")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        model_choice_field(self, "depends_on").queryset = others

    def clean_code(self):
        return normalise_code(self.cleaned_data["code"])


class MilestoneStatusForm(forms.Form):
    """The inline status change on the milestone list."""

    status = forms.ChoiceField(label=_("Status"), choices=Milestone.Status.choices)
    reached_on = DateField(
        label=_("Dato nådd"),
        required=False,
        help_text=_("Står den tom, brukes dagens dato."),
    )
    reached_note = forms.CharField(
        label=_("Hvordan den ble nådd"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ActivityForm(forms.ModelForm):
    owner = OrganisationUserChoiceField(queryset=None, required=False, label=_("Ansvarlig"))

    class Meta:
        model = Activity
        fields = ["title", "owner", "due_date", "status", "workstream", "milestone"]
        widgets = {"due_date": DATE_WIDGET}

    def __init__(self, *args, project, workstreams=None, **kwargs):
        """`workstreams`: the workstreams the user may add to (None: all of the project's, and
        none at all allowed, for owner and leader)."""
        super().__init__(*args, **kwargs)
        self.instance.project = project
        model_choice_field(self, "owner").queryset = project_people(project)
        milestone = model_choice_field(self, "milestone")
        milestone.queryset = project.milestones.order_by("due_date", "pk")
        # Replacing the method on this one field: mypy allows only a subclass to override it.
        milestone.label_from_instance = lambda m: f"{m.code} {m.title}"  # type: ignore[method-assign, assignment]
        if workstreams is None:
            model_choice_field(self, "workstream").queryset = project.workstreams.all()
        else:
            model_choice_field(self, "workstream").queryset = project.workstreams.filter(
                pk__in=workstreams
            )
            self.fields["workstream"].required = True


class ActivityStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Activity.Status.choices)


class ImportForm(forms.Form):
    table = forms.CharField(
        label=_("Tabell"),
        help_text=_(
            "Kopier tabellen fra Word eller Excel og lim den inn her. Kolonnene er Nr, Milepæl, "
            "Kriterium og Dato, som i mandatets milepælstabell."
        ),
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=200_000,
    )


class PlanFilterForm(forms.Form):
    """Filters of the progress plan and the milestone list (GET). An unknown value, such as
    another project's phase, is an invalid choice and filters nothing."""

    fase: "forms.ModelChoiceField[Phase]" = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Fase"), empty_label=_("Alle faser")
    )
    arbeidsstrom: "forms.ModelChoiceField[Workstream]" = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Arbeidsstrøm"),
        empty_label=_("Alle arbeidsstrømmer"),
    )

    def __init__(self, data, *, phases, workstreams):
        super().__init__(data)
        model_choice_field(self, "fase").queryset = phases
        model_choice_field(self, "arbeidsstrom").queryset = workstreams

    def apply(self, milestones):
        if not self.is_valid():
            return milestones
        if phase := self.cleaned_data["fase"]:
            milestones = milestones.filter(phase=phase)
        if workstream := self.cleaned_data["arbeidsstrom"]:
            milestones = milestones.filter(workstream=workstream)
        return milestones

    @property
    def active(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())


class ActivityFilterForm(forms.Form):
    """The activity list's tab (open or done) and workstream (GET)."""

    vis = forms.ChoiceField(
        choices=[("", _("Hva skal nå gjøres")), ("gjort", _("Hva er gjort"))],
        required=False,
        widget=forms.HiddenInput,
    )
    arbeidsstrom: "forms.ModelChoiceField[Workstream]" = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Vis arbeidsstrøm"),
        empty_label=_("Alle arbeidsstrømmer"),
    )

    def __init__(self, data, *, workstreams):
        super().__init__(data)
        model_choice_field(self, "arbeidsstrom").queryset = workstreams

    @property
    def show_done(self) -> bool:
        return self.is_valid() and self.cleaned_data["vis"] == "gjort"

    def apply(self, activities):
        if self.is_valid() and (workstream := self.cleaned_data["arbeidsstrom"]):
            activities = activities.filter(workstream=workstream)
        return activities

    def query_string(self) -> str:
        """The workstream part of the query, for the tabs' and pages' links."""
        if self.is_valid() and self.cleaned_data["arbeidsstrom"]:
            return f"arbeidsstrom={self.cleaned_data['arbeidsstrom'].pk}"
        return ""
