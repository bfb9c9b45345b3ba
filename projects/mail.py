"""E-mail the product sends by itself (reminders, notices, reports), for every app to use."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

# RFC 3834: sent by a program, so that auto-replies (out of office) are not sent back.
AUTO_HEADERS = {"Auto-Submitted": "auto-generated"}


def automated_message(
    template: str, context: dict, *, to: list[str], headers: dict | None = None
) -> EmailMessage:
    """`<template>_subject.txt` and `<template>_body.txt` rendered in Bokmål whatever the active
    language, the subject on one line, from DEFAULT_FROM_EMAIL, marked as sent by a program."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}_body.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body.strip() + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers={**AUTO_HEADERS, **(headers or {})},
    )
