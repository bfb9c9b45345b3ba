"""Small documents for the demo's attachments, made here so the demo needs no files: a one-page
PDF with a few lines of text, and an Excel workbook (openpyxl). They are what a leader would
attach: a draft the representatives read before the meeting, a table of positions."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook


def _pdf_text(text: str) -> bytes:
    """The text as a PDF string in WinAnsi (Windows-1252: æ, ø, å and the en dash), with its
    specials escaped."""
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return escaped.encode("cp1252")


def tiny_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page A4 PDF with a heading and lines of Helvetica (a standard font: not embedded,
    so not PDF/A; an attachment is a working document, not an archived one)."""
    content = b"BT /F1 16 Tf 56 780 Td (" + _pdf_text(title) + b") Tj /F1 11 Tf"
    for line in lines:
        content += b" 0 -22 Td (" + _pdf_text(line) + b") Tj"
    content += b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe6\xf8\xe5\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def pdf_upload(filename: str, title: str, lines: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile(filename, tiny_pdf(title, lines), content_type="application/pdf")


def xlsx_upload(filename: str, rows: list[tuple]) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has one sheet
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(filename, buffer.getvalue(), content_type="application/octet-stream")
