"""What every app's forms and views share: date widgets and fields, and a service's refusal shown where the
user acts (on the form, or as a message on the next page)."""

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, transaction
from django.http import HttpRequest
from django.utils import timezone

from .models import FormSubmission
from .validators import EARLIEST_DATE, LATEST_DATE, validate_date_range

# The browser's date picker keeps to the same limits as the validator.
DATE_WIDGET = forms.DateInput(
    format="%Y-%m-%d",
    attrs={"type": "date", "min": f"{EARLIEST_DATE:%Y-%m-%d}", "max": f"{LATEST_DATE:%Y-%m-%d}"},
)
DATETIME_WIDGET = forms.DateTimeInput(
    format="%Y-%m-%dT%H:%M",
    attrs={
        "type": "datetime-local",
        "min": f"{EARLIEST_DATE:%Y-%m-%d}T00:00",
        "max": f"{LATEST_DATE:%Y-%m-%d}T23:59",
    },
)


class DateField(forms.DateField):
    """A date of a form that is not a model's, within the limits of every date in reorg."""

    widget = DATE_WIDGET
    default_validators = [validate_date_range]


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, with an id too large for the database's integers refused as an invalid choice,
    like any id that is not among the choices. Django's own lookups only check the range of a
    single value; with several (`__in`), SQLite raises OverflowError instead."""

    def _check_values(self, value):
        assert self.queryset is not None
        meta = self.queryset.model._meta
        field = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        kind = field.get_internal_type()
        if kind.endswith(("AutoField", "IntegerField")):
            low, high = connections[self.queryset.db].ops.integer_field_range(kind)
            for item in value:
                try:
                    number = int(item)
                except (TypeError, ValueError):
                    continue  # Django's own check names it
                if not low <= number <= high:
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": item},
                    )
        return super()._check_values(value)  # type: ignore[misc]  # private in django-stubs


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """`form.fields[name]`, a model choice field whose queryset the form's __init__ narrows to the
    project (django-stubs types `form.fields` as plain Fields, without a queryset)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField), name
    return field


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """`form.fields[name]`, a choice field whose choices the form's __init__ sets."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField), name
    return field


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field where the form has one, and for
    a formset above its rows."""
    if not hasattr(form, "add_error"):
        form._non_form_errors = form.error_class(error.messages)  # a formset has no add_error
    elif hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@contextmanager
def errors_on_form(form) -> Iterator[None]:
    """Run a service for a valid form: a ValidationError it raises is shown on the form, and the
    rest of the block (the success message, the redirect) is skipped, so the view renders the
    form again with the error.

        if request.method == "POST" and form.is_valid():
            with errors_on_form(form):
                services.save_phase(phase=form.save(commit=False), by=request.user)
                messages.success(request, _("Fasen er lagret."))
                return redirect(...)
        return render(...)
    """
    try:
        yield
    except ValidationError as error:
        add_service_errors(form, error)


@contextmanager
def errors_as_message(request: HttpRequest) -> Iterator[None]:
    """Run a service for a POST without a form of its own (a button): a ValidationError it raises
    becomes the error message of the page the view redirects to, and the rest of the block is
    skipped."""
    try:
        yield
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))


def form_errors(form) -> str:
    """The errors of a form posted from a page that shows another one, as one message."""
    return " ".join(error for errors in form.errors.values() for error in errors)


# --- Saved once however often it is sent ---------------------------------------------------------

ONCE_FIELD = "submission"


class SubmittedOnce(forms.BaseForm):
    """A create form with a hidden one-time key, new each time the empty form is shown; the view
    saves under `first_submission`. A form posted without the key (a script) is saved as always."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[ONCE_FIELD] = forms.UUIDField(
            widget=forms.HiddenInput, required=False, initial=uuid.uuid4
        )


@contextmanager
def first_submission(form) -> Iterator[bool]:
    """Whether this is the first time the form's key is saved: if not, the record was made by the
    earlier submit, and the view says so without making another. The key and what the block
    saves are one transaction: if the service refuses, the key is not spent. Two submits at the
    same moment wait for each other on the key's row.

        with errors_on_form(form), first_submission(form) as first:
            if first:
                services.save_risk(risk=form.save(commit=False), by=request.user)
            messages.success(request, ...)
            return redirect(...)
    """
    key = form.cleaned_data.get(ONCE_FIELD)
    with transaction.atomic():
        first = True
        if key is not None:
            FormSubmission.objects.filter(
                created_at__lt=timezone.now() - dt.timedelta(days=1)
            ).delete()
            try:
                with transaction.atomic():
                    FormSubmission.objects.create(key=key)
            except IntegrityError:
                first = False
        yield first
