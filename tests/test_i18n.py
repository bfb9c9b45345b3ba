"""The English catalogue: complete, compiled, and used when a user picks English."""

import ast
import gettext
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from projects.models import Phase

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LC_MESSAGES / "django.po"
MO_FILE = LC_MESSAGES / "django.mo"


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # a plain msgstr is index 0
    flags: set[str] = field(default_factory=set)
    line: int = 0


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader: enough for what makemessages writes (no obsolete entries)."""
    entries, entry, key = [], None, None

    def finish():
        if entry is not None:
            entries.append(entry)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            entry, key = None, None
            continue
        if line.startswith("#~"):  # obsolete: makemessages --no-obsolete leaves none
            continue
        if entry is None:
            entry = Entry(line=number)
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if key == "msgid":
                entry.msgid += text
            elif key == "msgid_plural":
                entry.msgid_plural += text
            elif key == "msgctxt":
                entry.msgctxt += text
            else:
                entry.msgstr[key] += text
        else:
            keyword, _, value = line.partition(" ")
            text = ast.literal_eval(value)
            if keyword == "msgid":
                key, entry.msgid = "msgid", text
            elif keyword == "msgid_plural":
                key, entry.msgid_plural = "msgid_plural", text
            elif keyword == "msgctxt":
                key, entry.msgctxt = "msgctxt", text
            elif keyword == "msgstr":
                key = 0
                entry.msgstr[0] = text
            elif keyword.startswith("msgstr["):
                key = int(keyword[len("msgstr[") : -1])
                entry.msgstr[key] = text
            else:
                raise ValueError(f"{path}:{number}: cannot read {raw!r}")
    finish()
    return entries


@pytest.fixture(scope="module")
def catalogue():
    entries = parse_po(PO_FILE)
    header = [e for e in entries if e.msgid == "" and e.msgctxt is None]
    assert len(header) == 1, "the catalogue has no header entry"
    return header[0], [e for e in entries if e is not header[0]]


def where(entry):
    return f"{PO_FILE.name}:{entry.line} {entry.msgid!r}"


def test_the_catalogue_is_not_empty(catalogue):
    _, entries = catalogue
    assert len(entries) > 100


def test_every_entry_is_translated(catalogue):
    _, entries = catalogue
    untranslated = [
        where(e)
        for e in entries
        if not e.msgstr
        or any(not text for text in e.msgstr.values())
        or (e.msgid_plural is not None and sorted(e.msgstr) != [0, 1])
    ]
    assert untranslated == []


def test_no_entry_is_fuzzy(catalogue):
    header, entries = catalogue
    assert "fuzzy" not in header.flags, "the header is marked fuzzy: msgfmt would skip it"
    assert [where(e) for e in entries if "fuzzy" in e.flags] == []


def test_the_header_declares_english_with_two_plural_forms(catalogue):
    header, _ = catalogue
    assert "Language: en\n" in header.msgstr[0]
    assert "nplurals=2; plural=(n != 1);" in header.msgstr[0]


def test_the_compiled_catalogue_matches_the_po_file(catalogue):
    """The .mo is kept in the repository: it must be compiled from the .po as it stands."""
    _, entries = catalogue
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for e in entries:
        if e.msgctxt is not None:
            found = compiled.pgettext(e.msgctxt, e.msgid)
            wanted = e.msgstr[0]
        elif e.msgid_plural is not None:
            found = (
                compiled.ngettext(e.msgid, e.msgid_plural, 1),
                compiled.ngettext(e.msgid, e.msgid_plural, 2),
            )
            wanted = (e.msgstr[0], e.msgstr[1])
        else:
            found, wanted = compiled.gettext(e.msgid), e.msgstr[0]
        if found != wanted:
            stale.append(where(e))
    assert stale == [], "run `manage.py compilemessages` after changing the .po file"


@pytest.fixture
def english(client, leader):
    client.force_login(leader)
    client.post(reverse("set_language"), {"language": "en"})
    return client


def test_the_mandate_page_is_in_english(english, project):
    body = english.get(reverse("reports:mandate", args=[project.pk])).content.decode()
    assert 'lang="en"' in body
    assert "Project mandate" in body
    assert "Prosjektmandat" not in body


def test_the_project_list_is_in_english(english, project):
    body = english.get(reverse("projects:list")).content.decode()
    assert "Projects" in body
    assert "Prosjekter" not in body


def test_a_form_error_is_in_english(english, project):
    response = english.post(
        reverse("projects:phases", args=[project.pk]),
        {
            "ny-order": "1",
            "ny-name": "Phase 1",
            "ny-start_date": "2026-06-01",
            "ny-end_date": "2026-05-01",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "The end date cannot be before the start date." in body
    assert "Slutt kan ikke være før start." not in body
    assert not Phase.objects.exists()


def test_norwegian_stays_the_default(client, leader, project):
    client.force_login(leader)
    body = client.get(reverse("reports:mandate", args=[project.pk])).content.decode()
    assert "Prosjektmandat" in body and "Project mandate" not in body


def test_django_keeps_its_own_bokmal_where_rest_framework_translates_the_same_message():
    """DRF's catalogue is searched before Django's: locale/nb keeps Django's wording."""
    from django.utils import translation

    with translation.override("nb"):
        assert translation.gettext("This field is required.") == "Feltet er påkrevet."
        assert translation.gettext("Enter a valid email address.") == (
            "Oppgi en gyldig e-postadresse"
        )
