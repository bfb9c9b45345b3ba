"""Small template helpers shared by every app's pages (accounts is the lowest layer)."""

from decimal import Decimal

from django import template
from django.template import defaultfilters

register = template.Library()

INPUT_CLASSES = {"radioselect": "", "checkboxselectmultiple": ""}


@register.filter
def ds_input(bound_field):
    """Render a form field's widget with Designsystemet's input class."""
    css = INPUT_CLASSES.get(bound_field.widget_type, "ds-input")
    attrs = {"class": css} if css else {}
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}_helptext")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}_error")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return bound_field.as_widget(attrs=attrs)


@register.filter
def fte_years(percent):
    """A sum of position percentages as årsverk (full-time equivalents) with one decimal, as
    HR counts them: 1040 % is "10,4". A person's own share stays a percentage."""
    if percent in (None, ""):
        return ""
    return defaultfilters.floatformat(Decimal(percent) / 100, 1)
