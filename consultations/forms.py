from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import (
    DATETIME_WIDGET,
    DateField,
    ModelMultipleChoiceField,
    choice_field,
    model_choice_field,
)
from core.validators import validate_single_line
from projects.models import Membership

from .models import AgendaItem, Meeting, Question, Side

# Which side a member sits on, by their role in the project.
SIDE_OF_ROLE = {
    Membership.Role.UNION_REP: Side.UNION,
    Membership.Role.SAFETY_REP: Side.SAFETY,
}


class MemberChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.user} – {obj.get_role_display()}" + (
            f" ({obj.union_name})" if obj.union_name else ""
        )


class MeetingForm(forms.ModelForm):
    invited = MemberChoiceField(
        queryset=None,
        label=_("Deltakere"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tillitsvalgte og verneombud representerer sin part; de andre representerer arbeidsgiver."
        ),
    )

    class Meta:
        model = Meeting
        fields = ["kind", "title", "starts_at", "ends_at", "place"]
        widgets = {"starts_at": DATETIME_WIDGET, "ends_at": DATETIME_WIDGET}

    def __init__(self, *args, project, held=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        self.held = held
        if held:
            self.fields["invited"].label = _("Deltakere i møtet")
        invited = Membership.objects.for_project(project)
        model_choice_field(self, "invited").queryset = invited
        if self.instance.pk:
            users = set(self.instance.participants.values_list("user_id", flat=True))
            self.initial["invited"] = [m.pk for m in invited if m.user_id in users]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Møtet må slutte etter at det starter."))
        if self.held and starts and starts > timezone.now():
            self.add_error("starts_at", _("Et møte som registreres i ettertid, er allerede holdt."))
        return cleaned

    @property
    def participants(self) -> list[dict]:
        """One participant per user: their first role decides the side."""
        seen: dict[int, dict] = {}
        for membership in self.cleaned_data["invited"]:
            side = SIDE_OF_ROLE.get(membership.role, Side.EMPLOYER)
            current = seen.get(membership.user_id)
            if current is None or (current["side"] == Side.EMPLOYER and side != Side.EMPLOYER):
                seen[membership.user_id] = {
                    "user": membership.user,
                    "side": side,
                    "union_name": membership.union_name,
                }
        return list(seen.values())


class LinkChoiceField(ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "order",
            "title",
            "done",
            "next_steps",
            "outcome",
            "conclusion",
            "concerns_mandate",
            "concerns_phase",
        ]
        widgets = {
            "done": forms.Textarea(attrs={"rows": 5}),
            "next_steps": forms.Textarea(attrs={"rows": 5}),
            "conclusion": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, project, sees_personal_data, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "concerns_phase").queryset = project.phases.order_by("order", "pk")
        links = {
            "milestones": (_("Milepæler"), project.milestones.order_by("due_date", "pk")),
            "units": (_("Enheter"), project.org_units.order_by("structure", "order", "name")),
            "role_descriptions": (
                _("Rollebeskrivelser"),
                _role_descriptions(project),
            ),
        }
        if sees_personal_data:
            links["placements"] = (_("Innplasseringer"), _placements(project))
        for name, (label, queryset) in links.items():
            self.fields[name] = LinkChoiceField(queryset=queryset, required=False, label=label)
            if self.instance.pk:
                self.initial[name] = list(getattr(self.instance, name).values_list("pk", flat=True))
        self.link_names = list(links)

    @property
    def links(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.link_names}


def _role_descriptions(project):
    from roles.models import RoleDescription

    return RoleDescription.objects.filter(position__project=project).select_related("position")


def _placements(project):
    from roles.models import Placement

    return Placement.objects.filter(employee__project=project).select_related(
        "employee", "position"
    )


class HeldForm(forms.Form):
    present = forms.MultipleChoiceField(
        label=_("Til stede"), required=False, widget=forms.CheckboxSelectMultiple
    )
    reached = forms.MultipleChoiceField(
        label=_("Milepæler møtet nådde"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Kryss av for hver milepæl på sakslisten som er nådd med dette møtet. En milepæl der "
            "saken endte i uenighet, kan ikke markeres som nådd."
        ),
    )

    def __init__(self, *args, meeting, reachable, **kwargs):
        super().__init__(*args, **kwargs)
        participants = list(meeting.participants.select_related("user"))
        choice_field(self, "present").choices = [
            (str(p.user_id), f"{p.user} ({p.get_side_display()})") for p in participants
        ]
        self.initial.setdefault(
            "present", [str(p.user_id) for p in participants if p.present] or None
        )
        if reachable:
            choice_field(self, "reached").choices = [
                (str(m.pk), f"{m.code} {m.title}") for m in reachable
            ]
        else:
            del self.fields["reached"]


class EntryForm(forms.Form):
    text = forms.CharField(
        label=_("Protokolltilførsel"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["workstream", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, project, workstreams, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        model_choice_field(self, "workstream").queryset = workstreams
        self.fields["workstream"].required = True


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Svar"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )


class CorrectionForm(forms.Form):
    comment = forms.CharField(
        label=_("Hva bør rettes?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PlacementDecisionForm(forms.Form):
    decided_on = DateField(label=_("Beslutningsdato"))
    no_protocol_reason = forms.CharField(
        label=_("Begrunnelse for å beslutte uten godkjent protokoll"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Sendes til tillitsvalgte og verneombud i prosjektet (uten den ansattes navn), og står "
            "ved beslutningen."
        ),
    )

    def __init__(self, *args, consulted: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if consulted:
            del self.fields["no_protocol_reason"]


class AttachmentForm(forms.Form):
    """A file for the project, a meeting or one of its agenda items. What the file is, and its
    size, the service checks from its content (core.files)."""

    file = forms.FileField(
        label=_("Fil"),
        help_text=_("PDF, Word (.docx) eller Excel (.xlsx), høyst %(max)s MB."),
        widget=forms.FileInput(
            attrs={
                "accept": ".pdf,.docx,.xlsx,application/pdf,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
        error_messages={"required": _("Velg en fil."), "empty": _("Filen er tom.")},
    )
    title = forms.CharField(
        label=_("Tittel"),
        max_length=200,
        required=False,
        help_text=_("Tomt: filnavnet."),
        validators=[validate_single_line],
    )
    item = forms.ModelChoiceField(
        queryset=AgendaItem.objects.none(),
        label=_("Sak"),
        required=False,
        empty_label=_("– Hele møtet –"),
    )

    def __init__(self, *args, meeting: Meeting | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        file_field = self.fields["file"]
        file_field.help_text = file_field.help_text % {
            "max": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)
        }
        if meeting is None:
            del self.fields["item"]
        else:
            model_choice_field(self, "item").queryset = meeting.items.all()
