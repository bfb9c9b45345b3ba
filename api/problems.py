"""Errors as problem details (RFC 9457): `application/problem+json` with the HTTP status, a
title, the Norwegian message as `detail`, and for refused input every problem in `errors`, each
with the field (or row) it concerns."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.views import exception_handler

PROBLEM_JSON = "application/problem+json"


def titles() -> dict[int, str]:
    return {
        400: _("Ugyldig forespørsel"),
        401: _("Ikke autentisert"),
        403: _("Ingen tilgang"),
        404: _("Finnes ikke"),
        405: _("Metoden er ikke tillatt"),
        406: _("Formatet kan ikke leveres"),
        415: _("Innholdstypen støttes ikke"),
        429: _("For mange forespørsler"),
    }


def _flatten(detail, pointer: str = "") -> list[dict]:
    """DRF's nested error detail as a flat list of {field, message}; `field` is a JSON pointer
    to the value (RFC 6901), "" for the request as a whole."""
    if isinstance(detail, dict):
        items = []
        for key, value in detail.items():
            where = "" if key in ("non_field_errors", "__all__") else f"{pointer}/{key}"
            items += _flatten(value, where or pointer)
        return items
    if isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            return [{"field": pointer, "message": str(item)} for item in detail]
        items = []
        for index, item in enumerate(detail):
            items += _flatten(item, f"{pointer}/{index}")
        return items
    return [{"field": pointer, "message": str(detail)}]


def handle(exc, context):
    if isinstance(exc, DjangoValidationError):
        # A service's refusal: its messages, by field where it names one.
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    response = exception_handler(exc, context)
    if response is None:
        return None  # a 500: Django's own handling and logging
    code = response.status_code
    body = {
        "type": "about:blank",
        "title": titles().get(code, _("Feil")),
        "status": code,
        "instance": context["request"].path if context.get("request") else "",
    }
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        body["detail"] = (
            errors[0]["message"]
            if len(errors) == 1
            else _("Forespørselen har %(count)s feil.") % {"count": len(errors)}
        )
        body["errors"] = errors
    else:
        detail = getattr(exc, "detail", None)
        body["detail"] = str(detail) if detail else body["title"]
    if code == status.HTTP_429_TOO_MANY_REQUESTS and getattr(exc, "wait", None):
        body["retry_after"] = int(exc.wait)
    response.data = body
    response.content_type = PROBLEM_JSON
    return response


def page_not_found(request, exception):
    """The site's 404 (handler404): a problem for an address under /api/ that matches no route
    (an id that is not a number), the site's page for the rest."""
    if not request.path.startswith("/api/"):
        return defaults.page_not_found(request, exception)
    body = {
        "type": "about:blank",
        "title": titles()[404],
        "status": 404,
        "detail": _("Adressen finnes ikke i API-et."),
        "instance": request.path,
    }
    return JsonResponse(body, status=404, content_type=PROBLEM_JSON)
