"""Read a milestone table pasted from Word or Excel.

The table is the one in a mandate's "Hovedmilepæler" section: Nr, Milepæl, Kriterium, Dato.
Pure Python, no database: the caller passes the project's existing codes and decides what to
save. Every problem with a row is reported on that row, in Norwegian, so the preview can show
them all at once; only problems with the table as a whole raise ValueError.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

# Same as milestones.models.CODE_PATTERN (a test checks it); copied so that this module does not
# need Django.
CODE_PATTERN = r"^[A-Za-zÆØÅæøå]{0,3}\d{1,3}[a-z]?$"
MAX_ROWS = 500
MAX_TITLE = 200
MAX_CRITERION = 2000

FIELDS = ("code", "title", "criterion", "date")
LABELS = {"code": "Nr", "title": "Milepæl", "criterion": "Kriterium", "date": "Dato"}
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
}
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

NOT_A_DATE = "«{}» er ikke en dato. Skriv for eksempel 13.05.2013 eller 19. august 2013."

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
    """(date, date_text). Raises ValueError with a clear Norwegian message.

    date_text is "" when the text is a plain date. Otherwise (a prefix such as "Senest", or a
    range of days) it is the date written out the Norwegian way, "Senest 19. august 2013" or
    "11.–12. april 2013", whatever form it was typed in; the due date of a range is its last day.
    """
    tidy = " ".join(text.split())
    if not tidy:
        raise ValueError("Dato mangler.")
    prefix, rest = "", tidy
    if match := PREFIX_RE.fullmatch(tidy):
        prefix, rest = match["prefix"], match["rest"]

    first_day = None
    parts = _single_date(rest)
    # A single date is tried first: "13-05-2013" is a date, not the 13th to the "05-2013".
    if parts is None and (match := RANGE_RE.fullmatch(rest)):
        first_day, parts = int(match["first"]), _single_date(match["last"])
    if parts is None:
        raise ValueError(NOT_A_DATE.format(tidy))

    day, month, year = parts
    if year is None:
        raise ValueError(f"Året mangler i datoen «{tidy}».")
    try:
        due = datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"Datoen «{tidy}» finnes ikke.") from None

    if first_day is None:
        if not prefix:
            return due, ""
        written = f"{day}. {MONTH_NAMES[month]} {year}"
    else:
        if not 1 <= first_day < day:
            raise ValueError(f"I datoen «{tidy}» må første dag komme før siste dag.")
        written = f"{first_day}.–{day}. {MONTH_NAMES[month]} {year}"
    # The prefix starts the cell, so it starts with a capital letter, as in the mandate.
    return due, f"{prefix[:1].upper()}{prefix[1:]} {written}".strip()


def _single_date(text: str) -> tuple[int, int, int | None] | None:
    """(day, month, year or None) of one date, or None when the text is not one."""
    if match := ISO_RE.fullmatch(text):
        year, month, day = map(int, match.groups())
        return day, month, year
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

    Raises ValueError (Norwegian message) only when the table as a whole cannot be used: more
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
            raise ValueError(f"Tabellen har mer enn {MAX_ROWS} rader. Del den opp.")

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
                f'Et anførselstegn (") på linje {start} er ikke lukket. Fjern det eller lukk det.'
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
    names = [HEADER_NAMES.get(cell.casefold()) for cell in cells]
    if len(names) < 2 or None in names:
        return None
    for name in set(names):
        if names.count(name) > 1:
            raise ValueError(f"Kolonnen {LABELS[name]} står to ganger i overskriftsraden.")
    for name in ("code", "title", "date"):
        if name not in names:
            raise ValueError(f"Overskriftsraden mangler kolonnen {LABELS[name]}.")
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
    labels = ", ".join(LABELS[name] for name in expected)
    error = f"Raden har {count} {'kolonne' if count == 1 else 'kolonner'}; forventet {labels}."
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
        errors.append("Nr. mangler.")
    elif not re.fullmatch(CODE_PATTERN, parsed.code):
        errors.append(f"Nr. «{parsed.code}» er ugyldig. Bruk bokstaver og tall, for eksempel M1.")
    if not parsed.title:
        errors.append("Milepælen mangler navn.")
    elif len(parsed.title) > MAX_TITLE:
        errors.append(f"Navnet på milepælen er {len(parsed.title)} tegn; maks {MAX_TITLE}.")
    if len(parsed.criterion) > MAX_CRITERION:
        errors.append(f"Kriteriet er {len(parsed.criterion)} tegn; maks {MAX_CRITERION}.")
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
                f"Nr. {row.code} står to ganger i tabellen (linje {first_line[key]} og {row.line})."
            )
        else:
            first_line[key] = row.line
        if key in existing:
            row.errors.append(f"Prosjektet har allerede milepæl {row.code}.")
