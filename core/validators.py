"""Limits on input that would otherwise be saved and then break a page for everyone who opens it:
dates the calendar and the progress plan cannot compute with, and "one-line" text with line
breaks or invisible control characters in it.

They are model field validators, so that every ModelForm, every import that calls full_clean and
the API check them the same way; form fields that are not a model's use them too."""

import datetime as dt
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Wide enough for any employee's start date and any project's plan; narrow enough that a date
# plus a few years, or a day's timestamp, is always a valid date.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2200, 12, 31)

# Characters that reorder text without showing (bidi embeddings, overrides and isolates) or
# separate lines: a name with them reads differently from what it is.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
LINE_SEPARATORS = frozenset("\u2028\u2029\x85")


def validate_date_range(value: dt.date | dt.datetime | None) -> None:
    if value is None:
        return
    day = value.date() if isinstance(value, dt.datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(
            _("Datoen må være mellom %(earliest)s og %(latest)s."),
            code="date_out_of_range",
            params={
                "earliest": EARLIEST_DATE.strftime("%d.%m.%Y"),
                "latest": LATEST_DATE.strftime("%d.%m.%Y"),
            },
        )


def validate_single_line(value: str) -> None:
    """A title or a name: no line breaks, no control characters, no bidi overrides, and at least
    one visible character (not only zero-width spaces)."""
    if not value:
        return
    if any(
        char in BIDI_CONTROLS or char in LINE_SEPARATORS or unicodedata.category(char) == "Cc"
        for char in value
    ):
        raise ValidationError(
            _("Teksten kan ikke ha linjeskift, tabulatorer eller usynlige styretegn."),
            code="control_characters",
        )
    if all(char.isspace() or unicodedata.category(char) in {"Cf", "Zs"} for char in value):
        raise ValidationError(_("Teksten må ha synlige tegn."), code="invisible")
