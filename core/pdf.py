"""Documents as PDF, for every app that makes one (the mandate, role descriptions, protocols,
status reports): WeasyPrint with the one print stylesheet (templates/pdf/base.html), fonts and
stylesheet read from the source tree, the text in Bokmål whatever the request's language. The
apps keep what goes into their documents; this is only how a document becomes a PDF, a file and a
download."""

import contextlib
import hashlib
import json
import os
import signal
import threading
import traceback
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify

# Fonts and the print stylesheet are read from the source tree, so that documents look the same
# whether or not collectstatic has run.
STATIC_BASE = f"{settings.BASE_DIR / 'static'}/"

_NORWEGIAN = str.maketrans({"æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "å": "a", "Å": "a"})


# One WeasyPrint font configuration per thread, kept between documents: the print stylesheet's
# @font-face fonts (Inter, WOFF2) are then decoded once per process instead of on every document,
# which took about a third of a draft mandate's rendering time (bench/README.md, load mode). Per
# thread, as Pango's font map is not meant to be shared between threads.
_fonts = threading.local()


def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    if getattr(_fonts, "config", None) is None:
        _fonts.config = FontConfiguration()
    return _fonts.config


# The variant of every frozen document (a decided mandate version, an approved protocol, a
# published status report, a role description as archived): PDF/A-2b, as archives require for
# deposit. WeasyPrint writes the XMP identification (pdfaid:part 2, conformance B), the sRGB
# output intent (GTS_PDFA1) and embeds every font; tests/test_archive.py checks each with pikepdf.
ARCHIVAL_VARIANT = "pdf/a-2b"


def render_pdf(template_name: str, context: dict, *, archival: bool = False) -> bytes:
    """The document as PDF; `archival` for what is frozen: PDF/A-2b (ARCHIVAL_VARIANT)."""
    from weasyprint import HTML  # imported here: it costs most of a second at start-up

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template_name, context)

    options = {"pdf_variant": ARCHIVAL_VARIANT} if archival else {}

    def write() -> bytes:
        return HTML(string=html, base_url=STATIC_BASE).write_pdf(
            font_config=_font_config(), **options
        )

    if settings.PDF_IN_CHILD_PROCESS and single_threaded():
        return in_child_process(write)
    return write()


def single_threaded() -> bool:
    """Whether this process runs one thread: Python's and the libraries' own (GLib starts one
    once Pango has been used in the process), as the kernel counts them."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:  # not Linux: Python's threads only
        return threading.active_count() == 1
    threads = next(line for line in status.splitlines() if line.startswith("Threads:"))
    return int(threads.split()[1]) == 1


class RenderingFailed(RuntimeError):
    """The child process that rendered a document failed; its traceback is the message."""


# A child that has not finished by then is stuck: it ends, and the download fails.
CHILD_SECONDS = 120


def in_child_process(write: Callable[[], bytes]) -> bytes:
    """`write()` run in a child forked from this process, its bytes read back through a pipe.

    WeasyPrint keeps memory it does not give back: Pango's and Fontconfig's font maps, the
    fonts, and a heap fragmented by each document (bench/README.md: a web worker grew from
    about 100 to 150 MB over 20 draft PDFs). Forked, the child has everything this process has
    (Django, the template already rendered, WeasyPrint imported), and what the rendering takes
    goes back to the system when it exits; this process stays the size it was. The child uses
    nothing of the parent's but memory: no database, no cache, no sockets, and it leaves with
    os._exit, so nothing of the parent's (connections, atexit) is closed or run twice. Only
    where this process has one thread (a sync web worker, a Celery prefork child): forking a
    process with other threads running may copy a lock one of them holds."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        try:
            os.close(read_end)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
            signal.alarm(CHILD_SECONDS)
            try:
                payload = b"\x00" + write()
            except BaseException:  # everything goes back to the parent as a message
                payload = b"\x01" + traceback.format_exc().encode()
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        payload = pipe.read()
    try:
        _pid, status = os.waitpid(pid, 0)
    except ChildProcessError:  # reaped already where SIGCHLD is ignored; the pipe tells
        status = -1
    if payload[:1] == b"\x00":
        return payload[1:]
    reason = payload[1:].decode(errors="replace") or f"the child ended with status {status}"
    raise RenderingFailed(reason)


def norwegian_slug(text: str, max_length: int = 60) -> str:
    """A file-name slug that keeps æ, ø and å readable (ae, o, a) instead of dropping them."""
    slug = slugify(str(text).translate(_NORWEGIAN))
    return slug[:max_length].strip("-")


def pdf_download(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def frozen_pdf_download(
    stored: FieldFile, filename: str, render: Callable[[], bytes]
) -> HttpResponseBase:
    """A frozen document (a decided mandate, an approved protocol, a published report): its
    stored file, or, until the task that stores it has run, the same frozen content rendered now
    without writing anything (a GET never changes data)."""
    if stored:
        return FileResponse(
            stored.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
        )
    return pdf_download(render(), filename)


def cached_pdf(content: object, render: Callable[[], bytes], *, prefix: str) -> bytes:
    """A document that is costly to render and stays the same until its content changes (a
    draft mandate with long lists takes seconds): kept in the cache under a hash of `content`
    (JSON), so that a change is a new key and nothing has to be invalidated. A cache that is
    down (Redis) costs the rendering, never the page."""
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()
    key = f"pdf:{prefix}:{digest}"
    pdf = None
    with contextlib.suppress(Exception):  # the cache backend's own errors, whatever they are
        pdf = cache.get(key)
    if pdf is None:
        pdf = render()
        with contextlib.suppress(Exception):
            cache.set(key, pdf, timeout=settings.DOCUMENT_CACHE_SECONDS)
    return pdf
