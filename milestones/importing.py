"""Read a milestone table pasted from Word or Excel.

The table is the one in a mandate's "Hovedmilepæler" section: Nr, Milepæl, Kriterium, Dato.
No database: the caller passes the project's existing codes and decides what to save. Every
problem with a row is reported on that row, so the preview can show them all at once; only
problems with the table as a whole raise ValueError. The messages are translated (Bokmål msgids)
into the language active when the table is read. Headers and month names may be Norwegian or
English.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.validators import validate_date_range

# Same as milestones.models.CODE_PATTERN (a test checks it); copied so that this module does not
# import the models.
CODE_PATTERN = r"^[A-Za-zÆØÅæøå]{0,3}\d{1,3}[a-z]?$"
MAX_ROWS = 500
MAX_TITLE = 200
MAX_CRITERION = 2000

FIELDS = ("code", "title", "criterion", "date")
# Column names in messages; lazy, so they are translated when a message is made.
LABELS = {
    "code": gettext_lazy("Nr"),
    "title": gettext_lazy("Milepæl"),
    "criterion": gettext_lazy("Kriterium"),
    "date": gettext_lazy("Dato"),
}
# Header cells, casefolded: Norwegian, then English.
HEADER_NAMES = {
    "nr": "code",
    "nr.": "code",
    "kode": "code",
    "milepæl": "title",
    "milepel": "title",
    "tittel": "title",
    "kriterium": "criterion",
    "kriterier": "criterion",
    "dato": "date",
    "frist": "date",
    "no": "code",
    "no.": "code",
    "number": "code",
    "milestone": "title",
    "title": "title",
    "criterion": "criterion",
    "criteria": "criterion",
    "date": "date",
    "deadline": "date",
}

MONTHS = {
    "januar": 1,
    "jan": 1,
    "februar": 2,
    "feb": 2,
    "mars": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mai": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "desember": 12,
    "des": 12,
    # English, where it differs from the Norwegian.
    "january": 1,
    "february": 2,
    "march": 3,
    "may": 5,
    "june": 6,
    "july": 7,
    "october": 10,
    "oct": 10,
    "december": 12,
    "dec": 12,
}
# How date_text writes a month: Norwegian, as in the mandate, whatever the month was typed as.
MONTH_NAMES = [
    "",
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
]

# "Senest 19. august 2013": words that qualify the date. They are kept in date_text.
PREFIX_RE = re.compile(r"(?P<prefix>senest|innen|før|cirka|ca\.?)\s*(?P<rest>\d.*)", re.I)
# "11.–12. april 2013", "11-12 april 2013", "11.-12.04.2013": the first day, then a whole date.
RANGE_RE = re.compile(r"(?P<first>\d{1,2})\.?\s*[-–—]\s*(?P<last>.+)")
ISO_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
# 13.05.2013, 3.5.2013, 13.05.13, 13/5-2013, 13-05-2013; the year is optional so that a missing
# year gets its own message.
NUMERIC_RE = re.compile(r"(\d{1,2})\s*[./-]\s*(\d{1,2})(?:\s*[./-]\s*(\d{4}|\d{2}))?\.?")
# 3. mai 2013, 3 mai 2013, 19. aug. 2013
TEXT_RE = re.compile(r"(\d{1,2})\.?\s*([^\W\d_]+)\.?(?:\s*(\d{4}|\d{2}))?\.?")


@dataclass
class ParsedRow:
    line: int  # 1-based line in the pasted text where the row starts
    code: str = ""
    title: str = ""
    criterion: str = ""
    due_date: datetime.date | None = None
    date_text: str = ""  # "" for a plain date, else e.g. "Senest 19. august 2013"
    errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def parse_date(text: str) -> tuple[datetime.date, str]:
    """(date, date_text). Raises ValueError with a clear, translated message.

    date_text is "" when the text is a plain date. Otherwise (a prefix such as "Senest", or a
    range of days) it is the date written out the Norwegian way, "Senest 19. august 2013" or
    "11.–12. april 2013", whatever form it was typed in; the due date of a range is its last day.
    """
    tidy = " ".join(text.split())
    if not tidy:
        raise ValueError(_("Dato mangler."))
    prefix, rest = "", tidy
    if match := PREFIX_RE.fullmatch(tidy):
        prefix, rest = match["prefix"], match["rest"]

    first_day = None
    parts = _single_date(rest)
    # A single date is tried first: "13-05-2013" is a date, not the 13th to the "05-2013".
    if parts is None and (match := RANGE_RE.fullmatch(rest)):
        first_day, parts = int(match["first"]), _single_date(match["last"])
    if parts is None:
        raise ValueError(
            _("«%(text)s» er ikke en dato. Skriv for eksempel 13.05.2013 eller 19. august 2013.")
            % {"text": tidy}
        )

    day, month, year = parts
    if year is None:
        raise ValueError(_("Året mangler i datoen «%(text)s».") % {"text": tidy})
    try:
        due = datetime.date(year, month, day)
    except ValueError:
        raise ValueError(_("Datoen «%(text)s» finnes ikke.") % {"text": tidy}) from None
    try:
        validate_date_range(due)
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None

    if first_day is None:
        if not prefix:
            return due, ""
        written = f"{day}. {MONTH_NAMES[month]} {year}"
    else:
        if not 1 <= first_day < day:
            raise ValueError(
                _("I datoen «%(text)s» må første dag komme før siste dag.") % {"text": tidy}
            )
        written = f"{first_day}.–{day}. {MONTH_NAMES[month]} {year}"
    # The prefix starts the cell, so it starts with a capital letter, as in the mandate.
    return due, f"{prefix[:1].upper()}{prefix[1:]} {written}".strip()


def _single_date(text: str) -> tuple[int, int, int | None] | None:
    """(day, month, year or None) of one date, or None when the text is not one."""
    if match := ISO_RE.fullmatch(text):
        year, month, day = match.groups()
        return int(day), int(month), int(year)
    if match := NUMERIC_RE.fullmatch(text):
        day, month, year = match.groups()
    elif (match := TEXT_RE.fullmatch(text)) and match[2].lower() in MONTHS:
        day, month, year = match[1], MONTHS[match[2].lower()], match[3]
    else:
        return None
    if year is not None:
        year = int(year) + (2000 if len(year) == 2 else 0)
    return int(day), int(month), year


def parse_milestone_table(text: str, existing_codes: Iterable[str] = ()) -> list[ParsedRow]:
    """The rows of a pasted milestone table, each with its errors.

    Raises ValueError (translated message) only when the table as a whole cannot be used: more
    than MAX_ROWS rows, a header row without the Nr, Milepæl or Dato column, or a quote that is
    never closed.
    """
    lines = _read_lines(text)
    layout = None  # the columns named by a header row; None: Nr, Milepæl, Kriterium, Dato
    if lines and (layout := _header_layout(lines[0][1])) is not None:
        lines = lines[1:]

    # Without a header the Nr is the first cell, in both the three- and four-column form.
    code_index = layout.index("code") if layout else 0
    rows: list[_RawRow] = []
    for line, cells in lines:
        if rows and (len(cells) <= code_index or not cells[code_index]):
            # No Nr but other text: Word has put a paragraph of a cell of the row above on a
            # line of its own. Its cells belong to the same columns of that row.
            previous = rows[-1]
            columns, column_error = _columns(cells, previous.columns)
            for name, value in zip(columns, cells, strict=False):
                if value:
                    previous.cells[name] = f"{previous.cells.get(name, '')} {value}".strip()
            if column_error:
                previous.errors.append(column_error)
            continue
        columns, column_error = _columns(cells, layout)
        rows.append(
            _RawRow(
                line=line,
                columns=columns,
                cells=dict(zip(columns, cells, strict=False)),
                errors=[column_error] if column_error else [],
            )
        )
        if len(rows) > MAX_ROWS:
            raise ValueError(
                _("Tabellen har mer enn %(max)s rader. Del den opp.") % {"max": MAX_ROWS}
            )

    parsed = [_validate(row) for row in rows]
    _check_codes(parsed, existing_codes)
    return parsed


@dataclass
class _RawRow:
    line: int
    columns: tuple[str, ...]  # which field each cell is, in order
    cells: dict[str, str]  # field -> text, continuation lines appended
    errors: list[str]


def _read_lines(text: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) of each non-blank row, cells stripped and their whitespace (line
    breaks too) collapsed to single spaces. Line breaks in a cell are layout, not meaning, and
    so a table gives the same rows whether it came from Word or Excel."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    delimiter = _delimiter(text)
    # csv handles Excel's quoting of cells with line breaks ("..." with "" for a quote).
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, skipinitialspace=delimiter != "\t")
    # "| M1 | Ledersamling | … |": the outer bars make an empty first and last cell.
    bordered = delimiter == "|" and all(
        line.strip()[0] == line.strip()[-1] == "|" for line in text.split("\n") if line.strip()
    )
    lines = []
    start = 1
    for raw in reader:
        if any("\n" in cell and delimiter in cell for cell in raw):
            # A cell that swallowed line breaks and separators: a quote that was never closed.
            raise ValueError(
                _(
                    'Et anførselstegn (") på linje %(line)s er ikke lukket. Fjern det eller lukk det.'
                )
                % {"line": start}
            )
        cells = [" ".join(cell.split()) for cell in raw]
        if bordered:
            cells = cells[1:-1]
        is_divider = all(re.fullmatch(r":?-+:?", cell) for cell in cells if cell)
        if any(cells) and not is_divider:
            lines.append((start, cells))
        start = reader.line_num + 1
    return lines


def _delimiter(text: str) -> str:
    # Word and Excel put tabs on the clipboard. Without any, take the more common of ";" and "|"
    # (hand-made or OCR'd tables); a tie goes to ";".
    if "\t" in text:
        return "\t"
    lines = [line for line in text.split("\n") if line.strip()]
    semicolons = sum(";" in line for line in lines)
    bars = sum("|" in line for line in lines)
    if not semicolons and not bars:
        return "\t"  # one cell per line; every row gets a column error
    return ";" if semicolons >= bars else "|"


def _header_layout(cells: list[str]) -> tuple[str, ...] | None:
    """The fields of a header row's columns, or None when the row is not a header."""
    cells = _drop_trailing_empty(cells, 0)
    found = [HEADER_NAMES.get(cell.casefold()) for cell in cells]
    if len(found) < 2 or None in found:
        return None
    names = [name for name in found if name is not None]
    for name in set(names):
        if names.count(name) > 1:
            raise ValueError(
                _("Kolonnen %(column)s står to ganger i overskriftsraden.")
                % {"column": LABELS[name]}
            )
    for name in ("code", "title", "date"):
        if name not in names:
            raise ValueError(
                _("Overskriftsraden mangler kolonnen %(column)s.") % {"column": LABELS[name]}
            )
    return tuple(names)


def _columns(cells: list[str], layout: tuple[str, ...] | None) -> tuple[tuple[str, ...], str]:
    """(the field of each cell, an error about the number of cells or "").

    Without a header: four cells are Nr, Milepæl, Kriterium, Dato, and three are Nr, Milepæl,
    Dato (a table without criteria). The layout is the header's, or for a continuation line the
    columns of the row it continues.
    """
    expected = layout or FIELDS
    # Excel copies empty cells beyond the table as trailing tabs; they are harmless.
    count = len(_drop_trailing_empty(cells, len(expected)))
    error = ngettext(
        "Raden har %(count)s kolonne; forventet %(columns)s.",
        "Raden har %(count)s kolonner; forventet %(columns)s.",
        count,
    ) % {"count": count, "columns": ", ".join(str(LABELS[name]) for name in expected)}
    if layout is not None:
        return layout, error if count > len(layout) else ""
    if count == 3:
        return ("code", "title", "date"), ""
    return FIELDS, "" if count == 4 else error


def _drop_trailing_empty(cells: list[str], keep: int) -> list[str]:
    cells = list(cells)
    while len(cells) > keep and not cells[-1]:
        cells.pop()
    return cells


def _validate(row: _RawRow) -> ParsedRow:
    parsed = ParsedRow(
        line=row.line,
        code=normalise_code(row.cells.get("code", "")),
        title=row.cells.get("title", ""),
        criterion=row.cells.get("criterion", ""),
        errors=list(row.errors),
    )
    errors = parsed.errors
    if not parsed.code:
        errors.append(_("Nr. mangler."))
    elif not re.fullmatch(CODE_PATTERN, parsed.code):
        errors.append(
            _("Nr. «%(code)s» er ugyldig. Bruk bokstaver og tall, for eksempel M1.")
            % {"code": parsed.code}
        )
    if not parsed.title:
        errors.append(_("Milepælen mangler navn."))
    elif len(parsed.title) > MAX_TITLE:
        errors.append(
            _("Navnet på milepælen er %(length)s tegn; maks %(max)s.")
            % {"length": len(parsed.title), "max": MAX_TITLE}
        )
    if len(parsed.criterion) > MAX_CRITERION:
        errors.append(
            _("Kriteriet er %(length)s tegn; maks %(max)s.")
            % {"length": len(parsed.criterion), "max": MAX_CRITERION}
        )
    try:
        parsed.due_date, parsed.date_text = parse_date(row.cells.get("date", ""))
    except ValueError as error:
        errors.append(str(error))
    return parsed


def normalise_code(code: str) -> str:
    """Upper-case the letters before the number ("m1" -> "M1") but not a letter after it: the
    model's pattern wants "M3a". A trailing dot ("1." from a numbered list) goes."""
    code = code.removesuffix(".").strip()
    if match := re.fullmatch(r"(\D*)(\d+)(\D*)", code):
        return match[1].upper() + match[2] + match[3].lower()
    return code.upper()


def _check_codes(rows: list[ParsedRow], existing_codes: Iterable[str]) -> None:
    """Mark the later rows of a code that is in the table twice, and codes the project has."""
    existing = {code.casefold() for code in existing_codes}
    first_line: dict[str, int] = {}
    for row in rows:
        key = row.code.casefold()
        if not key:
            continue
        if key in first_line:
            row.errors.append(
                _("Nr. %(code)s står to ganger i tabellen (linje %(first)s og %(line)s).")
                % {"code": row.code, "first": first_line[key], "line": row.line}
            )
        else:
            first_line[key] = row.line
        if key in existing:
            row.errors.append(_("Prosjektet har allerede milepæl %(code)s.") % {"code": row.code})
