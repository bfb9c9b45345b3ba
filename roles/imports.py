"""Import the current organization and the employees from CSV files exported from an HR system.

All or nothing: the whole file is read and checked first, and if any row is bad a ValidationError
lists every problem (one message per problem, "Linje 7: …", in line order) and nothing is saved.
Line numbers are physical lines of the file, the header being line 1, so that a quoted cell with
line breaks does not shift the numbers of the rows below it.

The files are what Norwegian Excel and HR systems write: UTF-8 with or without a BOM, or
Windows-1252; separated by ";" (Excel's default with Norwegian settings), "," or tab. Headers are
matched without regard to case, in Norwegian or English; unknown columns are ignored, since HR
exports carry many. Messages are translated (Bokmål msgids) into the active language.
"""

import codecs
import contextlib
import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import IO, Any, NoReturn

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from core.cache import data_changed
from core.history import acting_as
from projects.models import Project

from .models import MAX_ORG_LEVELS, Employee, OrgUnit, unit_levels

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_ERRORS = 50
BATCH_SIZE = 500
# Stored untranslated in the history, like every change reason; translated when shown.
CHANGE_REASON = gettext_noop("Importert fra CSV")
# An upload, or any file object opened in binary or text mode.
CsvFile = File | IO[Any]

# --- Columns ------------------------------------------------------------------------------------

# Column names in messages; lazy, so they are translated when a message is made.
UNIT_LABELS = {
    "code": gettext_lazy("Kode"),
    "name": gettext_lazy("Navn"),
    "kind": gettext_lazy("Type"),
    "parent": gettext_lazy("Overordnet"),
    "leader_title": gettext_lazy("Leder"),
}
UNIT_REQUIRED = ("code", "name")
# Header cells, normalised by _header_key: Norwegian, then English.
UNIT_HEADERS = {
    "kode": "code",
    "enhetskode": "code",
    "enhetsnr": "code",
    "enhetsnummer": "code",
    "navn": "name",
    "enhetsnavn": "name",
    "type": "kind",
    "nivå": "kind",
    "enhetstype": "kind",
    "overordnet": "parent",
    "overordnet enhet": "parent",
    "overordnet kode": "parent",
    "overordnet enhetskode": "parent",
    "leder": "leader_title",
    "lederstilling": "leader_title",
    "leders stilling": "leader_title",
    "code": "code",
    "unit code": "code",
    "id": "code",
    "name": "name",
    "unit name": "name",
    "kind": "kind",
    "level": "kind",
    "unit type": "kind",
    "parent": "parent",
    "parent code": "parent",
    "parent unit": "parent",
    "leader": "leader_title",
    "leader title": "leader_title",
    "manager": "leader_title",
}
KINDS = {
    "sektor": OrgUnit.Kind.SECTOR,
    "enhet": OrgUnit.Kind.UNIT,
    "avdeling": OrgUnit.Kind.DEPARTMENT,
    "sector": OrgUnit.Kind.SECTOR,
    "unit": OrgUnit.Kind.UNIT,
    "department": OrgUnit.Kind.DEPARTMENT,
}

EMPLOYEE_LABELS = {
    "employee_number": gettext_lazy("Ansattnummer"),
    "first_name": gettext_lazy("Fornavn"),
    "last_name": gettext_lazy("Etternavn"),
    "unit": gettext_lazy("Enhet"),
    "position": gettext_lazy("Stilling"),
    "fte": gettext_lazy("Stillingsprosent"),
    "start_date": gettext_lazy("Startdato"),
    "competences": gettext_lazy("Kompetanse"),
}
EMPLOYEE_REQUIRED = ("employee_number", "first_name", "last_name")
EMPLOYEE_HEADERS = {
    "ansattnummer": "employee_number",
    "ansattnr": "employee_number",
    "ansatt nr": "employee_number",
    "ansattnr.": "employee_number",
    "ansatt nr.": "employee_number",
    "fornavn": "first_name",
    "etternavn": "last_name",
    "enhet": "unit",
    "enhetskode": "unit",
    "stilling": "position",
    "stillingsbetegnelse": "position",
    "stillingstittel": "position",
    "stillingsprosent": "fte",
    "stillingsandel": "fte",
    "stillingsprosent %": "fte",
    "startdato": "start_date",
    "ansatt fra": "start_date",
    "ansettelsesdato": "start_date",
    "tiltredelsesdato": "start_date",
    "kompetanse": "competences",
    "kompetanser": "competences",
    "employee number": "employee_number",
    "employee no": "employee_number",
    "employee no.": "employee_number",
    "employee id": "employee_number",
    "first name": "first_name",
    "firstname": "first_name",
    "given name": "first_name",
    "last name": "last_name",
    "lastname": "last_name",
    "surname": "last_name",
    "family name": "last_name",
    "unit": "unit",
    "unit code": "unit",
    "position": "position",
    "job title": "position",
    "title": "position",
    "fte": "fte",
    "fte %": "fte",
    "percentage": "fte",
    "start date": "start_date",
    "competence": "competences",
    "competences": "competences",
    "skills": "competences",
}

FTE_RE = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")
# 01.08.2015 or 1.8.2015, 2015-08-01; Excel sometimes adds a time of day, which is ignored.
TIME_SUFFIX = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"
NORWEGIAN_DATE_RE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})" + TIME_SUFFIX)
ISO_DATE_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + TIME_SUFFIX)
# Characters no text file has: a file with them is binary (a spreadsheet, a PDF, an image).
CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


# --- Public functions ---------------------------------------------------------------------------


def import_current_units(*, project: Project, file: CsvFile, by: User) -> list[OrgUnit]:
    """Create the units of a CSV file in the project's current organization, and return them in
    the order of the file. Columns: Kode and Navn (required), Type (Sektor, Enhet or Avdeling;
    Enhet when empty), Overordnet (the parent's code, in the file or already in the current
    organization), Leder (the leader's position title).

    Raises ValidationError with every problem when the file cannot be imported; then nothing is
    saved."""
    return _import_units(project, _read_table(file, UNIT_HEADERS, UNIT_LABELS, UNIT_REQUIRED), by)


def import_current_units_from_records(
    *, project: Project, records: list[dict[str, str]], by: User
) -> list[OrgUnit]:
    """The same import from records (the API's JSON), each with the file's columns by field name:
    code, name, kind, parent, leader_title. A problem names its record (1 for the first)."""
    return _import_units(project, _records_table(records), by)


def _import_units(project: Project, table: "_Table", by: User) -> list[OrgUnit]:
    problems = table.problems
    rows = [_parse_unit(row, problems) for row in table.rows]

    with transaction.atomic():
        project = _lock(project)
        current = OrgUnit.objects.filter(project=project, structure=OrgUnit.Structure.CURRENT)
        existing = _by_code(current)
        _check_units(rows, existing, problems)

        offset = current.aggregate(last=Max("order"))["last"] or 0
        for index, row in enumerate(rows, start=1):
            row.unit = OrgUnit(
                project=project,
                structure=OrgUnit.Structure.CURRENT,
                kind=row.kind,
                name=row.name,
                code=row.code,
                leader_title=row.leader_title,
                order=offset + index,
            )
            # The parent is checked above; the code's uniqueness too, under the lock.
            _full_clean(row.unit, row.line, problems, exclude=["project", "parent"])
        problems.raise_if_any()
        in_file = {row.code.casefold(): row for row in rows}
        _check_levels(rows, in_file, current, existing, problems)
        problems.raise_if_any()

        # A unit is created after its parent, so that each is created with its parent and
        # history has one correct record per unit: the units at the top first (parent outside
        # the file or none), then those under them, and so on. A parent later in the file is
        # thus no problem.
        for level in _levels(rows, in_file):
            for row in level:
                parent_row = in_file.get(row.parent_code.casefold()) if row.parent_code else None
                row.unit.parent = (
                    parent_row.unit if parent_row else _lookup(existing, row.parent_code)
                )
                row.unit._change_reason = CHANGE_REASON
            with acting_as(by):
                bulk_create_with_history(
                    [row.unit for row in level],
                    OrgUnit,
                    batch_size=BATCH_SIZE,
                    default_user=by,
                    default_change_reason=CHANGE_REASON,
                )
    data_changed()  # bulk_create_with_history sends no signal (core.cache)
    return [row.unit for row in rows]


def import_employees(*, project: Project, file: CsvFile, by: User) -> list[Employee]:
    """Create the employees of a CSV file in the project, and return them in the order of the
    file. Columns: Ansattnummer, Fornavn and Etternavn (required), Enhet (the code of a unit of
    the current organization), Stilling, Stillingsprosent (100 when empty), Startdato
    (dd.mm.åååå or åååå-mm-dd), Kompetanse (items separated by ";"; as the last column, its
    items may be cells of their own).

    Raises ValidationError with every problem when the file cannot be imported; then nothing is
    saved."""
    table = _read_table(
        file, EMPLOYEE_HEADERS, EMPLOYEE_LABELS, EMPLOYEE_REQUIRED, rest="competences"
    )
    return _import_employees(project, table, by)


def import_employees_from_records(
    *, project: Project, records: list[dict[str, str]], by: User
) -> list[Employee]:
    """The same import from records (the API's JSON), each with the file's columns by field
    name: employee_number, first_name, last_name, unit, position, fte, start_date, competences
    (items separated by ";" or line breaks). A problem names its record (1 for the first)."""
    return _import_employees(project, _records_table(records), by)


def _import_employees(project: Project, table: "_Table", by: User) -> list[Employee]:
    problems = table.problems
    rows = [_parse_employee(row, problems) for row in table.rows]

    with transaction.atomic():
        project = _lock(project)
        units = _by_code(
            OrgUnit.objects.filter(project=project, structure=OrgUnit.Structure.CURRENT)
        )
        taken = {
            number.casefold()
            for number in Employee.objects.filter(project=project).values_list(
                "employee_number", flat=True
            )
        }
        first_line: dict[str, int] = {}
        employees = []
        for row in rows:
            key = row.employee_number.casefold()  # "": reported as missing
            if key and key in first_line:
                problems.add(
                    row.line,
                    _("Ansattnummeret «%(number)s» står også på linje %(first)s.")
                    % {"number": row.employee_number, "first": first_line[key]},
                )
            elif key:
                first_line[key] = row.line
            if key in taken:
                problems.add(
                    row.line,
                    _("Prosjektet har allerede en ansatt med ansattnummer «%(number)s».")
                    % {"number": row.employee_number},
                )
            unit = None
            if row.unit_code:
                unit = _lookup(units, row.unit_code)
                if unit is None:
                    problems.add(
                        row.line,
                        _("Enheten «%(code)s» finnes ikke i den nåværende organisasjonen.")
                        % {"code": row.unit_code},
                    )
            employee = Employee(
                project=project,
                employee_number=row.employee_number,
                first_name=row.first_name,
                last_name=row.last_name,
                current_unit=unit,
                current_position=row.position,
                fte=row.fte,
                start_date=row.start_date,
                competences=row.competences,
            )
            # Project and unit are the locked project and one of its current units; the number's
            # uniqueness is checked above, under the lock, for the whole file in one query.
            _full_clean(employee, row.line, problems, exclude=["project", "current_unit"])
            employee._change_reason = CHANGE_REASON
            employees.append(employee)
        problems.raise_if_any()

        with acting_as(by):
            bulk_create_with_history(
                employees,
                Employee,
                batch_size=BATCH_SIZE,
                default_user=by,
                default_change_reason=CHANGE_REASON,
            )
    data_changed()  # bulk_create_with_history sends no signal (core.cache)
    return employees


# --- Problems -----------------------------------------------------------------------------------


class _Problems:
    """The problems found so far, each with its line (0 for the file as a whole)."""

    def __init__(self, *, records: bool = False) -> None:
        self.items: list[tuple[int, str]] = []
        self.lines: set[int] = set()
        self.records = records  # numbered records of JSON, not lines of a file

    def add(self, line: int, message: str) -> None:
        self.items.append((line, message))
        self.lines.add(line)

    def has(self, line: int) -> bool:
        return line in self.lines

    def raise_if_any(self) -> None:
        if not self.items:
            return
        # Stable: the problems of a line stay in the order they were found.
        ordered = sorted(self.items, key=lambda item: item[0])
        where = _("Rad %(line)s: %(problem)s") if self.records else _("Linje %(line)s: %(problem)s")
        messages = [
            where % {"line": line, "problem": message} if line else message
            for line, message in ordered
        ]
        if len(messages) > MAX_ERRORS:
            more = len(messages) - MAX_ERRORS
            messages = messages[:MAX_ERRORS] + [
                ngettext("… og %(count)s feil til.", "… og %(count)s feil til.", more)
                % {"count": more}
            ]
        raise ValidationError(messages)


def _fail(message: str) -> NoReturn:
    raise ValidationError([message])


# --- Reading the file ---------------------------------------------------------------------------


@dataclass
class _Table:
    rows: list["_Row"]
    problems: _Problems


@dataclass
class _Row:
    line: int  # the physical line of the file where the row starts; the header is line 1
    cells: dict[str, str]  # field -> stripped text; "" for a column the file does not have


def _read_table(
    file: CsvFile,
    headers: dict[str, str],
    labels: dict,
    required: tuple[str, ...],
    rest: str = "",
) -> _Table:
    """The data rows of a CSV file, by field. Problems with the file as a whole raise
    ValidationError; a row with more cells than the header gets a problem of its own, unless the
    header's last column is `rest`: its items may be separated by the delimiter itself when not
    quoted ("Sykepleier;Veiledning" in a ";" file), so the cells beyond the header are its."""
    text = _decode(_read_bytes(file))
    if not text.strip():
        _fail(_("Filen er tom."))
    delimiter = _delimiter(text)
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=delimiter,
        skipinitialspace=delimiter != "\t",
    )
    problems = _Problems()
    columns: dict[str, int] | None = None  # field -> index, from the header row
    width = 0
    takes_rest = False
    rows: list[_Row] = []
    start = 1
    last: tuple[int, list[str]] | None = None  # the last record that is not blank
    try:
        for raw in reader:
            line, start = start, reader.line_num + 1
            cells = [_clean_cell(cell) for cell in raw]
            if not any(cells):
                continue
            last = (line, raw)
            if columns is None:
                columns = _header(cells, headers, labels, required)
                width = len(_drop_trailing_empty(cells))
                takes_rest = bool(rest) and columns.get(rest) == width - 1
                continue
            filled = _drop_trailing_empty(cells)
            if len(filled) > width and takes_rest:
                cells = [*filled[: width - 1], ";".join(filled[width - 1 :])]
            elif len(filled) > width:
                problems.add(
                    line,
                    _(
                        "Raden har %(count)s kolonner, men overskriftsraden har bare %(columns)s. "
                        "Har en celle et skilletegn (%(delimiter)s) uten anførselstegn rundt?"
                    )
                    % {
                        "count": len(filled),
                        "columns": width,
                        "delimiter": _delimiter_name(delimiter),
                    },
                )
            rows.append(
                _Row(
                    line=line,
                    cells={
                        name: cells[index] if index < len(cells) else ""
                        for name, index in columns.items()
                    },
                )
            )
            if len(rows) > MAX_ROWS:
                _fail(
                    _("Filen har mer enn %(max)s rader. Del den opp.")
                    % {"max": formats.number_format(MAX_ROWS, force_grouping=True)}
                )
    except csv.Error:
        _fail(_("Filen kunne ikke leses som CSV (linje %(line)s).") % {"line": start})
    if last is not None and _unclosed_quote(text, last[1]):
        _fail(
            _('Et anførselstegn (") på linje %(line)s er ikke lukket. Fjern det eller lukk det.')
            % {"line": last[0]}
        )
    if not rows:
        _fail(_("Filen har ingen rader under overskriftsraden."))
    return _Table(rows=rows, problems=problems)


def _records_table(records: list[dict[str, str]]) -> _Table:
    """Records as the rows of a table, numbered from 1, their values cleaned as a file's cells."""
    if not records:
        _fail(_("Det er ingen rader å importere."))
    if len(records) > MAX_ROWS:
        _fail(
            _("Importen har mer enn %(max)s rader. Del den opp.")
            % {"max": formats.number_format(MAX_ROWS, force_grouping=True)}
        )
    rows = [
        _Row(line=number, cells={name: value.strip() for name, value in record.items()})
        for number, record in enumerate(records, start=1)
    ]
    return _Table(rows=rows, problems=_Problems(records=True))


def _read_bytes(file: CsvFile) -> bytes:
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        _too_big()
    # From the start, also when a form has read it already; one that cannot seek is read from
    # where it is.
    with contextlib.suppress(AttributeError, OSError, ValueError):
        file.seek(0)
    data = file.read(MAX_BYTES + 1)
    if isinstance(data, str):  # a text file object: already decoded
        data = data.encode("utf-8")
    if len(data) > MAX_BYTES:
        _too_big()
    return data


def _too_big() -> NoReturn:
    _fail(_("Filen er større enn %(max)s MB. Del den opp.") % {"max": MAX_BYTES // (1024 * 1024)})


def _decode(data: bytes) -> str:
    """The text of the file: UTF-8 (a BOM is dropped), UTF-16 with a BOM (Excel's "Unicode text"),
    else Windows-1252, the encoding of Norwegian Excel's plain CSV."""
    try:
        if data.startswith(codecs.BOM_UTF8):
            text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16")
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    # An old DOS end-of-file mark is harmless.
    if text is None or CONTROL_RE.search(text.rstrip("\x1a")):
        _fail(
            _(
                "Filen er ikke en CSV-fil. Lagre regnearket som CSV (semikolonseparert) "
                "og prøv igjen."
            )
        )
    return text.rstrip("\x1a")


def _delimiter(text: str) -> str:
    """The delimiter of the header line: the most common of ";", tab and ","; a tie goes to ";"
    (Excel's with Norwegian settings), then tab."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: header.count(delimiter) for delimiter in (";", "\t", ",")}
    best = max(counts, key=counts.__getitem__)  # the first of the most common
    return best if counts[best] else ";"


def _delimiter_name(delimiter: str) -> str:
    return {"\t": _("tabulator"), ";": _("semikolon"), ",": _("komma")}[delimiter]


def _clean_cell(cell: str) -> str:
    cell = cell.strip()
    # ="00123": how some exports keep Excel from dropping leading zeros.
    if len(cell) >= 3 and cell.startswith('="') and cell.endswith('"'):
        cell = cell[2:-1].strip()
    return cell


def _drop_trailing_empty(cells: list[str]) -> list[str]:
    cells = list(cells)
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _header_key(cell: str) -> str:
    key = cell.casefold().strip().strip('"').strip()
    key = re.sub(r"[\s_\-]+", " ", key)
    return key.removesuffix(":").removesuffix("*").strip()


def _header(
    cells: list[str], headers: dict[str, str], labels: dict, required: tuple[str, ...]
) -> dict[str, int]:
    columns: dict[str, int] = {}
    messages = []
    for index, cell in enumerate(cells):
        name = headers.get(_header_key(cell))
        if name is None:
            continue  # a column of the HR system that is not imported
        if name in columns:
            messages.append(
                _("Kolonnen %(column)s står to ganger i overskriftsraden.")
                % {"column": labels[name]}
            )
        else:
            columns[name] = index
    messages += [
        _("Filen mangler kolonnen %(column)s.") % {"column": labels[name]}
        for name in required
        if name not in columns
    ]
    if messages:
        raise ValidationError(messages)
    return columns


def _unclosed_quote(text: str, last: list[str]) -> bool:
    """Whether the last record starts a quoted cell that is never closed. csv then reads the rest
    of the file into that cell without complaint, so the record's last cell has line breaks and
    the file does not end with the closing quote."""
    return bool(last) and ("\n" in last[-1] or "\r" in last[-1]) and not text.rstrip().endswith('"')


# --- Units --------------------------------------------------------------------------------------


@dataclass
class _UnitRow:
    line: int
    code: str
    name: str
    kind: str
    parent_code: str
    leader_title: str
    unit: OrgUnit = field(init=False, repr=False, compare=False)  # made once the file is checked


def _parse_unit(row: _Row, problems: _Problems) -> _UnitRow:
    cells = row.cells
    parsed = _UnitRow(
        line=row.line,
        code=cells.get("code", ""),
        name=_one_line(cells.get("name", "")),
        kind=OrgUnit.Kind.UNIT,
        parent_code=cells.get("parent", ""),
        leader_title=_one_line(cells.get("leader_title", "")),
    )
    if not parsed.code:
        problems.add(row.line, _("Koden mangler."))
    if not parsed.name:
        problems.add(row.line, _("Navnet mangler."))
    kind = cells.get("kind", "")
    if kind:
        if kind.casefold() in KINDS:
            parsed.kind = KINDS[kind.casefold()]
        else:
            problems.add(
                row.line,
                _("Typen «%(value)s» er ukjent. Bruk Sektor, Enhet eller Avdeling.")
                % {"value": kind},
            )
    _check_lengths(
        row.line,
        problems,
        UNIT_LABELS,
        OrgUnit,
        code=("code", parsed.code),
        name=("name", parsed.name),
        leader_title=("leader_title", parsed.leader_title),
    )
    return parsed


def _check_units(rows: list[_UnitRow], existing: dict[str, OrgUnit], problems: _Problems) -> None:
    """Codes unique in the file and new to the organization; parents that exist; no cycles."""
    first_line: dict[str, int] = {}
    for row in rows:
        key = row.code.casefold()
        if not key:
            continue
        if key in first_line:
            problems.add(
                row.line,
                _("Koden «%(code)s» står også på linje %(first)s.")
                % {"code": row.code, "first": first_line[key]},
            )
        else:
            first_line[key] = row.line
        if _lookup(existing, row.code) is not None:
            problems.add(
                row.line,
                _("Enheten med kode «%(code)s» finnes allerede i den nåværende organisasjonen.")
                % {"code": row.code},
            )

    in_file = {row.code.casefold(): row for row in reversed(rows) if row.code}  # first wins
    for row in rows:
        if not row.parent_code:
            continue
        if row.code and row.parent_code.casefold() == row.code.casefold():
            problems.add(
                row.line,
                _("Enheten «%(code)s» kan ikke være overordnet seg selv.") % {"code": row.code},
            )
        elif (
            row.parent_code.casefold() not in in_file and _lookup(existing, row.parent_code) is None
        ):
            problems.add(
                row.line,
                _(
                    "Den overordnede enheten «%(code)s» finnes verken i filen eller i den "
                    "nåværende organisasjonen."
                )
                % {"code": row.parent_code},
            )

    # Cycles of two or more units of the file (one unit over itself is reported above).
    state: dict[str, str] = {}  # code -> "visiting" or "done"
    for row in rows:
        path: list[_UnitRow] = []
        current: _UnitRow | None = row
        while current is not None and current.code and state.get(current.code.casefold()) is None:
            state[current.code.casefold()] = "visiting"
            path.append(current)
            parent_key = current.parent_code.casefold()
            parent = in_file.get(parent_key) if parent_key != current.code.casefold() else None
            if parent is not None and state.get(parent.code.casefold()) == "visiting":
                keys = [unit.code.casefold() for unit in path]
                cycle = path[keys.index(parent.code.casefold()) :]
                chain = [*cycle, parent]
                problems.add(
                    min(unit.line for unit in cycle),
                    _("Overordnet enhet går i sirkel: %(chain)s.")
                    % {"chain": " → ".join(f"«{unit.code}»" for unit in chain)},
                )
                break
            current = parent
        for unit in path:
            state[unit.code.casefold()] = "done"


def _check_levels(
    rows: list[_UnitRow],
    in_file: dict[str, _UnitRow],
    current: QuerySet[OrgUnit],
    existing: dict[str, OrgUnit],
    problems: _Problems,
) -> None:
    """No unit more than MAX_ORG_LEVELS down, counting the levels above it already in the
    current organization. The file has no cycles (checked before)."""
    parents: dict[Any, Any] = dict(current.values_list("pk", "parent_id"))
    for row in rows:
        parent_row = in_file.get(row.parent_code.casefold()) if row.parent_code else None
        if parent_row is not None:
            parents[("line", row.line)] = ("line", parent_row.line)
        else:
            parent = _lookup(existing, row.parent_code) if row.parent_code else None
            parents[("line", row.line)] = parent.pk if parent else None
    levels = unit_levels(parents)
    for row in rows:
        if levels[("line", row.line)] > MAX_ORG_LEVELS:
            problems.add(
                row.line,
                _("Enheten ligger på nivå %(level)s; en organisasjon kan ha høyst %(max)s nivåer.")
                % {"level": levels[("line", row.line)], "max": MAX_ORG_LEVELS},
            )


def _levels(rows: list[_UnitRow], in_file: dict[str, _UnitRow]) -> list[list[_UnitRow]]:
    """The rows by depth within the file, in file order: those whose parent is not in the file
    first, then their children, and so on. The file has no cycles (checked before)."""
    depth: dict[int, int] = {}  # line -> depth

    def parent_of(row: _UnitRow) -> _UnitRow | None:
        return in_file.get(row.parent_code.casefold()) if row.parent_code else None

    levels: list[list[_UnitRow]] = []
    for row in rows:
        chain, current = [], row
        while current.line not in depth and (parent := parent_of(current)) is not None:
            chain.append(current)
            current = parent
        depth.setdefault(current.line, 0)
        for item in reversed(chain):
            parent = parent_of(item)
            assert parent is not None  # the chain is made of rows with a parent in the file
            depth[item.line] = depth[parent.line] + 1
        level = depth[row.line]
        while len(levels) <= level:
            levels.append([])
        levels[level].append(row)
    return levels


# --- Employees ----------------------------------------------------------------------------------


@dataclass
class _EmployeeRow:
    line: int
    employee_number: str
    first_name: str
    last_name: str
    unit_code: str
    position: str
    fte: Decimal
    start_date: dt.date | None
    competences: str


def _parse_employee(row: _Row, problems: _Problems) -> _EmployeeRow:
    cells = row.cells
    line = row.line
    parsed = _EmployeeRow(
        line=line,
        employee_number=cells.get("employee_number", ""),
        first_name=_one_line(cells.get("first_name", "")),
        last_name=_one_line(cells.get("last_name", "")),
        unit_code=cells.get("unit", ""),
        position=_one_line(cells.get("position", "")),
        fte=Decimal("100"),
        start_date=None,
        competences="\n".join(
            item
            for item in (
                part.strip() for part in re.split(r"[;\r\n]+", cells.get("competences", ""))
            )
            if item
        ),
    )
    if not parsed.employee_number:
        problems.add(line, _("Ansattnummeret mangler."))
    if not parsed.first_name:
        problems.add(line, _("Fornavnet mangler."))
    if not parsed.last_name:
        problems.add(line, _("Etternavnet mangler."))
    if fte := cells.get("fte", ""):
        try:
            parsed.fte = parse_fte(fte)
        except ValueError as error:
            problems.add(line, str(error))
    if start_date := cells.get("start_date", ""):
        try:
            parsed.start_date = parse_date(start_date)
        except ValueError as error:
            problems.add(line, str(error))
    _check_lengths(
        line,
        problems,
        EMPLOYEE_LABELS,
        Employee,
        employee_number=("employee_number", parsed.employee_number),
        first_name=("first_name", parsed.first_name),
        last_name=("last_name", parsed.last_name),
        current_position=("position", parsed.position),
        competences=("competences", parsed.competences),
    )
    return parsed


def parse_fte(text: str) -> Decimal:
    """A percentage as HR systems write it: "100", "80,5", "80.5", "80 %". Rounded to two
    decimals. Raises ValueError with a translated message."""
    tidy = re.sub(r"[\s\u00a0\u202f]+", "", text).removesuffix("%")
    if not FTE_RE.fullmatch(tidy):
        raise ValueError(
            _("Stillingsprosenten «%(value)s» er ikke et tall. Skriv for eksempel 100 eller 80,5.")
            % {"value": text}
        )
    try:
        value = Decimal(tidy.replace(",", ".")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # pragma: no cover - the pattern lets only numbers through
        raise ValueError(
            _("Stillingsprosenten «%(value)s» er ikke et tall. Skriv for eksempel 100 eller 80,5.")
            % {"value": text}
        ) from None
    if not Decimal("0.01") <= value <= Decimal("100"):
        raise ValueError(
            _("Stillingsprosenten «%(value)s» må være mellom 0 og 100.") % {"value": text}
        )
    return value


def parse_date(text: str) -> dt.date:
    """dd.mm.åååå or åååå-mm-dd. Raises ValueError with a translated message."""
    if match := NORWEGIAN_DATE_RE.fullmatch(text):
        day, month, year = map(int, match.groups())
    elif match := ISO_DATE_RE.fullmatch(text):
        year, month, day = map(int, match.groups())
    else:
        raise ValueError(
            _(
                "Startdatoen «%(value)s» er ikke en dato. Skriv den som dd.mm.åååå, "
                "for eksempel 01.08.2015."
            )
            % {"value": text}
        )
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(_("Startdatoen «%(value)s» finnes ikke.") % {"value": text}) from None


# --- Helpers ------------------------------------------------------------------------------------


def _lock(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


def _by_code(units: QuerySet[OrgUnit]) -> dict[str, OrgUnit]:
    """Units by code, exact and casefolded (the exact code wins when two differ in case)."""
    found: dict[str, OrgUnit] = {}
    for unit in units.exclude(code=""):
        found.setdefault(unit.code.casefold(), unit)
        found[unit.code] = unit
    return found


def _lookup(units: dict[str, OrgUnit], code: str) -> OrgUnit | None:
    return units.get(code) or units.get(code.casefold())


def _one_line(text: str) -> str:
    """A name or title from a cell with line breaks: on one line."""
    return " ".join(text.split())


def _check_lengths(line: int, problems: _Problems, labels: dict, model, **values) -> None:
    """Each model field given as field=(column, value) within its max_length."""
    for field_name, (column, value) in values.items():
        limit = model._meta.get_field(field_name).max_length
        if limit and len(value) > limit:
            problems.add(
                line,
                _("%(column)s er %(length)s tegn; maks %(max)s.")
                % {"column": labels[column], "length": len(value), "max": limit},
            )


def _full_clean(obj, line: int, problems: _Problems, *, exclude: list[str]) -> None:
    """The model's own checks, as a safety net behind the ones above: any error becomes a
    problem of the row. A row with problems already is not checked again: the model would only
    repeat them in other words."""
    if problems.has(line):
        return
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            label = capfirst(obj._meta.get_field(name).verbose_name) if name != "__all__" else None
            for message in messages:
                problems.add(line, f"{label}: {message}" if label else message)
