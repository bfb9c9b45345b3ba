"""Rendering documents to PDF, shared by every app that makes one (the mandate, role
descriptions, protocols): WeasyPrint with the one print stylesheet, fonts and stylesheet read from
the source tree, and the text in Bokmål whatever the request's language. The apps keep what goes
into their documents; this is only how a document becomes a PDF and a download."""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify

# Fonts and the print stylesheet are read from the source tree, so that documents look the same
# whether or not collectstatic has run.
STATIC_BASE = f"{settings.BASE_DIR / 'static'}/"

_NORWEGIAN = str.maketrans({"æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "å": "a", "Å": "a"})


def render_pdf(template_name: str, context: dict) -> bytes:
    from weasyprint import HTML  # imported here: it costs most of a second at start-up

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template_name, context)
    return HTML(string=html, base_url=STATIC_BASE).write_pdf()


def norwegian_slug(text: str, max_length: int = 60) -> str:
    """A file-name slug that keeps æ, ø and å readable (ae, o, a) instead of dropping them."""
    slug = slugify(str(text).translate(_NORWEGIAN))
    return slug[:max_length].strip("-")


def pdf_download(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
