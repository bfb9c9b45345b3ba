"""What every app's forms and views share: date widgets, and a service's refusal shown where the
user acts (on the form, or as a message on the next page)."""

from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
DATETIME_WIDGET = forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"})


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
