"""Uploaded documents: what a file is, read from its content, never from the name or the content
type the browser sends. A PDF starts with `%PDF-`; a Word (.docx) or Excel (.xlsx) file is an
Office Open XML package: a zip with `[Content_Types].xml` and the main part of its kind
(`word/document.xml`, `xl/workbook.xml`). Anything else is refused with a Norwegian message."""

import hashlib
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class DocumentKind:
    key: str
    extension: str
    content_type: str


PDF = DocumentKind("pdf", ".pdf", "application/pdf")
WORD = DocumentKind(
    "docx",
    ".docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
EXCEL = DocumentKind(
    "xlsx", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)
KINDS = {kind.key: kind for kind in (PDF, WORD, EXCEL)}

# The main part that makes an OOXML package a Word or an Excel file.
_OOXML_MAIN_PARTS = {"word/document.xml": WORD, "xl/workbook.xml": EXCEL}
_ZIP_MAGIC = b"PK\x03\x04"


def _wrong_type() -> ValidationError:
    return ValidationError(
        _("Filen er ikke en PDF-, Word- (.docx) eller Excel-fil (.xlsx)."), code="file_type"
    )


def _ooxml_kind(file: UploadedFile) -> DocumentKind:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _wrong_type() from error
    if "[Content_Types].xml" not in names:
        raise _wrong_type()
    kinds = {kind for part, kind in _OOXML_MAIN_PARTS.items() if part in names}
    if len(kinds) != 1:
        raise _wrong_type()
    return kinds.pop()


def document_kind(file: UploadedFile, *, max_bytes: int) -> DocumentKind:
    """The kind of an uploaded document (PDF, Word, Excel), from its content; refused if it is
    none of them, if its name says another kind, if it is empty or larger than `max_bytes`."""
    size = file.size or 0
    if size == 0:
        raise ValidationError(_("Filen er tom."), code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("Filen er for stor (%(size)s MB). Største tillatte størrelse er %(max)s MB.")
            % {"size": _megabytes(size), "max": _megabytes(max_bytes)},
            code="too_large",
        )
    file.seek(0)
    head = file.read(8)
    if head.startswith(b"%PDF-"):
        kind = PDF
    elif head.startswith(_ZIP_MAGIC):
        kind = _ooxml_kind(file)
    else:
        raise _wrong_type()
    file.seek(0)
    name = (file.name or "").lower()
    if not name.endswith(kind.extension):
        raise ValidationError(
            _("Filnavnet må slutte på %(extension)s, slik innholdet er.")
            % {"extension": kind.extension},
            code="extension",
        )
    return kind


def sha256_of(file: UploadedFile) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",").replace(",0", "")
