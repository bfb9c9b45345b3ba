"""The staffing plan as an Excel workbook, and the status label of an employee's placement.

The workbook holds personal data (names, employee numbers, placements): whoever serves it checks
VIEW_PERSONAL_DATA and logs the export (services.log_access). The functions here are pure: they
read only the objects they are given, so callers select_related and prefetch what is read below
(position.unit, employee.current_unit, placement.position.unit)."""

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.pdf import norwegian_slug

from .models import Employee, OrgUnit, Placement, Position

Status = Placement.Status

NOT_PLACED = _("Ikke plassert")
REDUNDANT = _("Overtallig")
CONVERSATION = _("Omstillingssamtale")

DATE_FORMAT = "DD.MM.YYYY"
FTE_FORMAT = "0.##"
WHOLE_FTE_FORMAT = "0"


def _placement_order(placement: Placement):
    return (placement.created_at or timezone.now(), placement.pk or 0)


def current_placement(placements_of_employee: Iterable[Placement]) -> Placement | None:
    """The placement that tells where the employee stands: the decided or accepted one, else the
    latest proposed or consulted one, else None (declined offers do not count)."""
    placements = list(placements_of_employee)
    for placement in placements:
        if placement.status in Placement.FILLING:
            return placement
    pending = [p for p in placements if p.status in (Status.PROPOSED, Status.CONSULTED)]
    return max(pending, key=_placement_order) if pending else None


def employee_status(employee: Employee, placements_of_employee: Iterable[Placement]) -> str:
    """The label of where an employee stands in the placement (see status_label)."""
    placements = list(placements_of_employee)
    placement = current_placement(placements)
    filling = placement.status if placement and placement.status in Placement.FILLING else None
    return status_label(
        filling=filling,
        pending=placement.status if placement and not filling else None,
        redundant=employee.redundant,
        declined=any(p.status == Status.DECLINED for p in placements),
        conversation=bool(employee.restructuring_conversation_on),
    )


def status_label(*, filling, pending, redundant, declined, conversation) -> str:
    """The status of the decided/accepted placement (Besluttet, Akseptert), else of the latest
    proposed/consulted one (Foreslått, Drøftet), else Overtallig if the employee is redundant,
    else Takket nei if the employee declined an offer, else Omstillingssamtale if that
    conversation was held, else Ikke plassert. The arguments are what
    Employee.objects.with_placement_state() annotates, so that counts need no objects."""
    if filling or pending:
        return str(Status(filling or pending).label)
    if redundant:
        return str(REDUNDANT)
    if declined:
        return str(Status.DECLINED.label)
    if conversation:
        return str(CONVERSATION)
    return str(NOT_PLACED)


def _number(value: Decimal | None):
    """A Decimal as an int or float, for a numeric cell."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _fte_format(value) -> str:
    return WHOLE_FTE_FORMAT if isinstance(value, int) else FTE_FORMAT


def _write_row(sheet, values: list, *, bold: bool = False) -> None:
    """Append a row: numbers as numbers, dates as dates, text as text (never a formula, however
    it begins: names and titles come from users and the HR system). The row number is counted
    here: openpyxl's max_row walks every cell, which made 2,000 rows take seconds."""
    from openpyxl.styles import Font

    row = sheet._reorg_rows = getattr(sheet, "_reorg_rows", 0) + 1
    font = Font(bold=True) if bold else None
    for column, value in enumerate(values, start=1):
        if isinstance(value, Decimal):
            value = _number(value)
        cell = sheet.cell(row=row, column=column, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        elif isinstance(value, dt.date):
            cell.number_format = DATE_FORMAT
        if font:
            cell.font = font


def _header(sheet, columns: list[tuple[str, int]]) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    _write_row(sheet, [title for title, _width in columns], bold=True)
    for index, (_title, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.cell(row=1, column=index).alignment = Alignment(vertical="top", wrap_text=True)
    sheet.freeze_panes = "A2"


def _finish(sheet) -> None:
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions


STAFFING_COLUMNS = [
    ("Enhet", 32),
    ("Stilling", 34),
    ("Stillingskode", 14),
    ("Stillingsprosent", 16),
    ("Besatt", 10),
    ("Ledig", 10),
    ("Innplassert", 50),
]

EMPLOYEE_COLUMNS = [
    ("Navn", 30),
    ("Ansattnummer", 14),
    ("Nåværende enhet", 30),
    ("Nåværende stilling", 30),
    ("Stillingsprosent", 16),
    ("Ansatt fra", 12),
    ("Status", 16),
    ("Ny stilling", 30),
    ("Ny enhet", 30),
    ("Besluttet dato", 14),
    ("Omstillingssamtale", 18),
    ("Overtallig", 11),
]


def _name(employee: Employee | None) -> str:
    return str(employee) if employee is not None else ""


def staffing_plan_workbook(
    project,
    units: Iterable[OrgUnit],
    positions: Iterable[Position],
    placements: Iterable[Placement],
    employees: Iterable[Employee],
) -> bytes:
    """The staffing plan (.xlsx) of the future organization.

    Bemanningsplan: a row per position, grouped by future unit in the order of `units`: its FTE,
    the FTE filled by decided/accepted placements, what is vacant and who is placed.
    Ansatte: a row per employee with the current unit and position and the placement status
    (employee_status)."""
    units = list(units)
    positions = list(positions)
    placements = list(placements)
    employees = list(employees)
    employees_by_id = {e.pk: e for e in employees}

    placements_by_employee = defaultdict(list)
    filling_by_position = defaultdict(list)
    for placement in placements:
        placements_by_employee[placement.employee_id].append(placement)
        if placement.status in Placement.FILLING:
            filling_by_position[placement.position_id].append(placement)

    # openpyxl is imported when a workbook is made, not with the views: it is 12 MB that a web
    # worker serving pages never needs.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.worksheet import Worksheet

    workbook = Workbook()
    plan = workbook.active
    assert isinstance(plan, Worksheet)  # a new workbook's one sheet
    plan.title = "Bemanningsplan"
    _header(plan, STAFFING_COLUMNS)

    future_units = [u for u in units if u.structure == OrgUnit.Structure.FUTURE]
    unit_ids = {u.pk for u in future_units}
    positions_by_unit = defaultdict(list)
    for position in positions:
        positions_by_unit[position.unit_id].append(position)
    # Positions of units the caller did not pass still get a row, after the others.
    groups = [(unit.name, positions_by_unit.get(unit.pk, [])) for unit in future_units]
    groups += [
        (position.unit.name, [position])
        for position in positions
        if position.unit_id not in unit_ids
    ]

    for unit_name, unit_positions in groups:
        for position in unit_positions:
            filling = filling_by_position.get(position.pk, [])
            filled = sum((p.fte for p in filling), Decimal(0))
            vacant = max(position.fte - filled, Decimal(0))
            names = ", ".join(
                _name(employees_by_id.get(p.employee_id) or p.employee) for p in filling
            )
            _write_row(
                plan,
                [
                    unit_name,
                    position.title,
                    position.code,
                    position.fte,
                    filled,
                    vacant,
                    names,
                ],
            )
    if positions:
        # The totals are formulas, so that they follow when HR edits a figure in Excel.
        last = plan._reorg_rows  # type: ignore[attr-defined]  # counted by _write_row
        _write_row(plan, ["Sum"], bold=True)
        for column in "DEF":
            cell = plan[f"{column}{last + 1}"]
            cell.value = f"=SUM({column}2:{column}{last})"
            cell.font = Font(bold=True)
    for row in plan.iter_rows(min_row=2, min_col=4, max_col=6):
        for cell in row:
            cell.number_format = _fte_format(cell.value)
    _finish(plan)

    staff = workbook.create_sheet("Ansatte")
    _header(staff, EMPLOYEE_COLUMNS)
    for employee in employees:
        own = placements_by_employee.get(employee.pk, [])
        placed = current_placement(own)
        new_position = placed.position if placed is not None else None
        _write_row(
            staff,
            [
                _name(employee),
                employee.employee_number,
                employee.current_unit.name if employee.current_unit is not None else "",
                employee.current_position,
                employee.fte,
                employee.start_date,
                employee_status(employee, own),
                new_position.title if new_position is not None else "",
                new_position.unit.name if new_position is not None else "",
                placed.decided_on if placed is not None else None,
                employee.restructuring_conversation_on,
                "Ja" if employee.redundant else "Nei",
            ],
        )
    for row in staff.iter_rows(min_row=2, min_col=5, max_col=5):
        for cell in row:
            cell.number_format = _fte_format(cell.value)
    _finish(staff)

    workbook.properties.title = f"Bemanningsplan – {project.name}"
    workbook.properties.creator = "reorg"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def staffing_plan_filename(project) -> str:
    return f"bemanningsplan-{norwegian_slug(project.code, 30)}.xlsx"
