"""A project's history of statuses, drawn on the server as a small inline SVG: one column per
published report, one row per section of the report (DIMENSIONS), a mark per light.

As with the progress plan's timeline (milestones.timeline), everything is computed here, in SVG
user units, so that `reports/_status_chart.html` only prints numbers and strings. The function is
pure: it receives the reports the dashboard already fetched and makes no queries, so the tests
need no database. It reads only the `<dimension>_status` fields and `number`/`period_end`: the
dashboard fetches the reports without their comments and data.

A light is never colour alone: it has the shape it has everywhere in the product (the `.light`
marks of static/css/reorg.css): green a circle, yellow a square, red a diamond, no status a
dashed circle; and the same history is in a table next to the chart.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from .models import DIMENSIONS, Light

# --- Geometry, in SVG user units ----------------------------------------------------------------

FONT_SIZE = 12
GUTTER = 112  # the left column with the section labels
HEADER = 22  # the top row with the report numbers
COLUMN = 28  # one report
ROW = 26  # one section
RIGHT_MARGIN = 4
BOTTOM_MARGIN = 4
LABEL_X = 4

RADIUS = 8  # the circle of green and of no status
SQUARE = 14  # the side of yellow's square
DIAMOND = 10  # half the diagonal of red's diamond


def format_date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def light_label(light: str) -> str:
    return str(Light(light).label) if light else gettext("Ingen status")


# --- What the template prints -------------------------------------------------------------------


@dataclass(slots=True)
class Cell:
    """One light: its centre, and its mark, the SVG element of its shape (built here rather than
    chosen in the template: a dashboard draws thousands of them)."""

    cx: float
    cy: float
    light: str  # green, yellow, red or "none" (no status given)
    label: str  # "Gul", or "Ingen status"
    tooltip: str
    mark: str


@dataclass(slots=True)
class Column:
    """One published report: its number over the column, and its lights for the table."""

    number: int
    period_end: dt.date
    x: float
    label_x: float
    tooltip: str
    cells: list[Cell] = field(default_factory=list)


@dataclass(slots=True)
class Row:
    key: str
    label: str
    label_y: float


@dataclass(slots=True)
class StatusChart:
    empty: bool
    summary: str
    dom_id: str
    width: float = 0
    height: float = 0
    label_x: float = LABEL_X
    header_y: float = HEADER - 7
    columns: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)


# --- Layout -------------------------------------------------------------------------------------


def build_status_chart(reports: list, *, dom_id: str = "statushistorikk") -> StatusChart:
    """Lay out the lights of `reports` (published StatusReport-likes, any order) in columns by
    report number. `dom_id` prefixes the ids in the SVG, for a page with more than one chart."""
    reports = sorted(reports, key=lambda r: r.number)
    if not reports:
        return StatusChart(
            empty=True,
            dom_id=dom_id,
            summary=gettext("Ingen publiserte statusrapporter ennå."),
        )
    chart = StatusChart(
        empty=False,
        dom_id=dom_id,
        summary=_summary(reports),
        width=GUTTER + len(reports) * COLUMN + RIGHT_MARGIN,
        height=HEADER + len(DIMENSIONS) * ROW + BOTTOM_MARGIN,
    )
    labels = [(key, str(label)) for key, label in DIMENSIONS]  # translated once, not per cell
    light_labels = {light: light_label(light) for light in (*Light.values, "")}
    chart.rows = [
        Row(key=key, label=label, label_y=HEADER + i * ROW + ROW / 2 + FONT_SIZE / 3)
        for i, (key, label) in enumerate(labels)
    ]
    for c, report in enumerate(reports):
        x = GUTTER + c * COLUMN
        period = gettext("Periode %(number)d, %(date)s") % {
            "number": report.number,
            "date": format_date(report.period_end),
        }
        column = Column(
            number=report.number,
            period_end=report.period_end,
            x=x,
            label_x=x + COLUMN / 2,
            tooltip=period,
        )
        for r, (key, label) in enumerate(labels):
            light = getattr(report, f"{key}_status") or ""
            cx, cy = x + COLUMN / 2, HEADER + r * ROW + ROW / 2
            column.cells.append(
                Cell(
                    cx=cx,
                    cy=cy,
                    light=light or "none",
                    label=light_labels[light],
                    tooltip=f"{period}: {label}: {light_labels[light]}",
                    mark=_mark(light, cx, cy),
                )
            )
        chart.columns.append(column)
    return chart


def _mark(light: str, cx: float, cy: float) -> str:
    """The light's shape, as the .light marks have it: green a circle, yellow a square, red a
    diamond, none a dashed circle. Numbers only, so nothing here needs escaping; the fill and
    stroke are the light theme's, overridden by static/css/reorg.css on the page."""
    if light == Light.GREEN:
        shape = f'<circle cx="{cx:g}" cy="{cy:g}" r="{RADIUS}" fill="#068718" stroke="#292c30"/>'
    elif light == Light.YELLOW:
        x, y = cx - SQUARE / 2, cy - SQUARE / 2
        shape = (
            f'<rect x="{x:g}" y="{y:g}" width="{SQUARE}" height="{SQUARE}" fill="#f2c230" '
            'stroke="#292c30"/>'
        )
    elif light == Light.RED:
        d = DIAMOND
        points = f"{cx:g},{cy - d:g} {cx + d:g},{cy:g} {cx:g},{cy + d:g} {cx - d:g},{cy:g}"
        shape = f'<polygon points="{points}" fill="#c01b1b" stroke="#292c30"/>'
    else:
        shape = (
            f'<circle cx="{cx:g}" cy="{cy:g}" r="{RADIUS}" fill="none" stroke="#77797b" '
            'stroke-dasharray="3 2"/>'
        )
    return mark_safe(shape)


def _summary(reports: list) -> str:
    """The text alternative, e.g. "5 publiserte statusrapporter, fra periode 1 (31.01.2026) til
    periode 5 (25.03.2026). Samlet status i den siste: Gul (før: Grønn)." """
    first, last = reports[0], reports[-1]
    count = ngettext(
        "%(count)d publisert statusrapport",
        "%(count)d publiserte statusrapporter",
        len(reports),
    ) % {"count": len(reports)}
    if first is last:
        span = gettext("%(items)s, periode %(number)d (%(date)s).") % {
            "items": count,
            "number": last.number,
            "date": format_date(last.period_end),
        }
    else:
        span = gettext(
            "%(items)s, fra periode %(first)d (%(first_date)s) til periode %(last)d (%(last_date)s)."
        ) % {
            "items": count,
            "first": first.number,
            "first_date": format_date(first.period_end),
            "last": last.number,
            "last_date": format_date(last.period_end),
        }
    overall = light_label(last.overall_status)
    if len(reports) > 1:
        before = light_label(reports[-2].overall_status)
        latest = gettext("Samlet status i den siste: %(light)s (før: %(before)s).") % {
            "light": overall,
            "before": before,
        }
    else:
        latest = gettext("Samlet status: %(light)s.") % {"light": overall}
    return f"{span} {latest}"
