"""The English catalogue keeps up with the code: every string marked for translation is in it,
translated and not fuzzy.

`makemessages` is run as `make messages` runs it, but on a copy: the real `locale/` is never
touched. The copy has to be of the sources too, not only of `locale/`. Run from the repository
root, makemessages finds `./locale` while walking the tree, puts it first in its list of locale
directories, and sends every file whose directory starts with that directory's parent (the
repository root: all of them) there, whatever LOCALE_PATHS says. It also writes a temporary
`<template>.py` next to every template it reads. So the sources it reads are copied to a
temporary repository root together with `locale/`, and LOCALE_PATHS points at that copy.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.utils import is_ignored_path

from .test_i18n import parse_po

ROOT = Path(django_settings.BASE_DIR)
LOCALE = ROOT / "locale"
PO = Path("en", "LC_MESSAGES", "django.po")

# The same as the Makefile's `messages` target.
IGNORE_PATTERNS = [
    ".venv/*",
    "bench/*",
    "tests/*",
    "node_modules/*",
    "static/vendor/*",
    "media/*",
    "staticfiles/*",
]
# makemessages adds these unless --no-default-ignore; it reads only these extensions.
DEFAULT_IGNORE_PATTERNS = ["CVS", ".*", "*~", "*.pyc", "__pycache__"]
EXTENSIONS = {".py", ".html", ".txt"}
PROGRAMS = ["xgettext", "msguniq", "msgmerge", "msgattrib"]


def snapshot(directory: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(directory)): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def copy_sources(destination: Path) -> None:
    """What makemessages reads (and `locale/` whole), at the same paths under destination."""
    patterns = IGNORE_PATTERNS + DEFAULT_IGNORE_PATTERNS

    def wanted(path: Path) -> bool:
        if is_ignored_path(os.path.normpath(path), patterns):
            return False
        return path.parts[0] == "locale" or path.suffix in EXTENSIONS or (ROOT / path).is_dir()

    def skip(directory, names):
        relative = Path(directory).relative_to(ROOT)
        return [name for name in names if not wanted(relative / name)]

    shutil.copytree(ROOT, destination, ignore=skip, symlinks=True)


@pytest.mark.skipif(
    any(shutil.which(program) is None for program in PROGRAMS),
    reason="makemessages needs GNU gettext (xgettext, msguniq, msgmerge, msgattrib): "
    "install the gettext package",
)
def test_every_string_in_the_code_is_translated(settings, monkeypatch, tmp_path):
    before = snapshot(LOCALE)
    copy = tmp_path / "repository"
    copy_sources(copy)
    po_file = copy / "locale" / PO
    os.utime(po_file, ns=(0, 0))  # proves below that makemessages wrote this file
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)

    call_command(
        "makemessages",
        locale=["en"],
        ignore_patterns=IGNORE_PATTERNS,
        no_obsolete=True,
        verbosity=0,
    )

    assert snapshot(LOCALE) == before, "makemessages changed the real locale/ directory"
    assert po_file.stat().st_mtime_ns > 0, f"makemessages did not write {po_file}"
    assert not (copy / "locale" / "django.pot").exists(), "makemessages left its .pot file"
    entries = [e for e in parse_po(po_file) if e.msgid or e.msgctxt is not None]
    assert len(entries) > 100, "makemessages found almost no strings: are the paths right?"
    untranslated = [
        e.msgid
        for e in entries
        if not e.msgstr
        or any(not text for text in e.msgstr.values())
        or (e.msgid_plural is not None and sorted(e.msgstr) != [0, 1])
    ]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not untranslated and not fuzzy, (
        f"locale/{PO} is behind the code. Run `make messages`, translate the entries below "
        "in it (check each fuzzy msgstr and remove its `#, fuzzy` flag), then compile with "
        "`manage.py compilemessages -l en` and commit both the .po and the .mo.\n"
        f"Untranslated ({len(untranslated)}): {untranslated!r}\n"
        f"Fuzzy ({len(fuzzy)}): {fuzzy!r}"
    )
