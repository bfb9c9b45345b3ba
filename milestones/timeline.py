"""Layout of the progress plan's timeline ("fremdriftsplan"), drawn on the server as inline SVG.

Everything is computed here, in SVG user units, so that `milestones/_timeline.html` only prints
numbers and strings: no arithmetic in the template, no JavaScript, no chart library. The function
is pure (it receives lists and makes no queries), so the view passes what it already fetched for
the table, and the tests need no database.

Text widths are estimated from the number of characters. The labels are short (codes such as
"M12", month names) and the estimate is generous, so overlap is avoided without measuring fonts.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

# --- Geometry, in SVG user units (pixels when the SVG is drawn at its natural width) ------------

FONT_SIZE = 12
CHAR_WIDTH = 0.62 * FONT_SIZE  # a generous average advance for Inter, bold digits included
GUTTER = 172  # the left column with the lane labels; the plot starts here
LANE_LABEL_X = 8
RIGHT_MARGIN = 16
YEAR_BASELINE = 15
MONTH_BASELINE = 33
PLOT_TOP = 42  # grid lines start under the axis labels
TICK_LABEL_GAP = 12  # min. space between two month labels
PHASE_HEIGHT = 22
PHASE_GAP = 4
BAND_PADDING = 6
LANE_PADDING = 4
LABEL_ROW = 16  # height of one row of marker labels
MARKER_ZONE = 22  # the strip the markers sit in, between the label rows above and below
MARKER_RADIUS = 7
DIAMOND_RADIUS = 9  # a diamond looks smaller than a circle of the same radius
LABEL_GAP = 6  # min. space between two marker labels in the same row
TODAY_STRIP = 24  # under the plot, for the "I dag" label

# Month steps for the ticks: monthly, quarterly, yearly, then every few years. Half-yearly is left
# out on purpose: a quarter or a year is what a plan is read in.
TICK_STEPS = (1, 3, 12, 24, 60, 120)
MAX_TICKS = 14

MIN_PADDING_DAYS = 7
PADDING_SHARE = 0.03  # of the span, on each side, so markers at the ends are not cut in half
MIN_SPAN_DAYS = 31  # a single date still gets a month around it


def text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def fit_text(text: str, width: float, *, min_chars: int = 4) -> str:
    """The text, shortened with an ellipsis to fit `width`, or "" if too little of it would
    be left to be useful. The full text is always in a <title> next to it."""
    if text_width(text) <= width:
        return text
    chars = int(width / CHAR_WIDTH)
    if chars < min_chars:
        return ""
    return text[: chars - 1].rstrip() + "…"


def format_date(day: dt.date) -> str:
    # The same format as Milestone.date_display and the tables.
    return day.strftime("%d.%m.%Y")


# --- What the template prints -------------------------------------------------------------------


@dataclass(slots=True)
class Tick:
    """A month tick: a grid line at `x`, a short label ("apr.") at `label_x` unless there is no
    room for it. `label` is the full name ("apr. 2013")."""

    x: float
    date: dt.date
    label: str
    short_label: str
    label_x: float


@dataclass(slots=True)
class YearMark:
    """A year label; `boundary` when 1 January is inside the range (a stronger grid line)."""

    x: float
    label: str
    label_x: float
    boundary: bool


@dataclass(slots=True)
class PhaseBar:
    x: float
    y: float
    w: float
    h: float
    name: str
    label: str  # shortened or "" if the bar is too narrow; the full name is in `tooltip`
    label_x: float
    label_y: float
    tooltip: str


@dataclass(slots=True)
class Marker:
    pk: object
    code: str
    title: str
    date: str
    kind: str
    status: str
    status_label: str
    decision_point: bool
    reached: bool
    overdue: bool
    tooltip: str
    x: float
    y: float = 0
    points: str = ""  # the diamond's polygon, for decision points
    label_x: float = 0
    label_y: float = 0
    label_row: int = 0  # 0 right above the marker, 1 right below, 2 above row 0, ...
    # A thin line from the marker to a label that is not next to it (rows 2 and up).
    leader_y1: float | None = None
    leader_y2: float | None = None

    @property
    def label_width(self) -> float:
        # The "!" after the code of an overdue one takes room as well.
        return text_width(self.code + (" !" if self.overdue else ""))


@dataclass(slots=True)
class Lane:
    name: str
    label: str  # shortened to fit the left column; the full name is in `name`
    y: float = 0
    h: float = 0
    label_y: float = 0
    marker_y: float = 0
    rows: int = 1
    striped: bool = False
    markers: list[Marker] = field(default_factory=list)


@dataclass(slots=True)
class Timeline:
    empty: bool
    summary: str
    width: int
    height: float = 0
    dom_id: str = "timeline"
    start: dt.date | None = None
    end: dt.date | None = None
    plot_left: float = GUTTER
    plot_right: float = 0
    plot_top: float = PLOT_TOP
    plot_bottom: float = 0
    year_line_top: float = 2  # year boundaries run up through the year labels
    tick_line_top: float = MONTH_BASELINE - FONT_SIZE  # month ticks through the month labels
    lane_label_x: float = LANE_LABEL_X
    year_baseline: float = YEAR_BASELINE
    month_baseline: float = MONTH_BASELINE
    ticks: list[Tick] = field(default_factory=list)
    years: list[YearMark] = field(default_factory=list)
    phases: list[PhaseBar] = field(default_factory=list)
    phase_band_y: float = 0
    phase_band_h: float = 0
    phase_label_y: float = 0
    lanes: list[Lane] = field(default_factory=list)
    today_x: float | None = None
    today_line_bottom: float = 0
    today_label_x: float = 0
    today_label_y: float = 0

    @property
    def markers(self) -> list[Marker]:
        return [marker for lane in self.lanes for marker in lane.markers]


# --- Layout -------------------------------------------------------------------------------------


def build_timeline(
    *,
    start: dt.date | None,
    end: dt.date | None,
    phases: list,
    workstreams: list,
    milestones: list,
    today: dt.date,
    width: int = 960,
    dom_id: str = "timeline",
) -> Timeline:
    """Lay out phases, milestones and decision points on a horizontal time axis.

    `phases` have name, start_date, end_date (bars need both dates). `workstreams` have pk and
    name, in the order the lanes are drawn. `milestones` are Milestone-like. `dom_id` prefixes the
    ids in the SVG, for a page that shows more than one timeline.
    """
    # A milestone without a date cannot be placed (the model requires one; this is for
    # unsaved or imported objects).
    milestones = sorted(
        (m for m in milestones if m.due_date),
        key=lambda m: (m.due_date, m.is_decision_point, m.pk or 0, m.code),
    )
    bars = [p for p in phases if p.start_date and p.end_date]
    dates = [d for d in (start, end) if d]
    dates += [m.due_date for m in milestones]
    dates += [d for p in bars for d in (p.start_date, p.end_date)]
    if not dates:
        return Timeline(
            empty=True,
            width=width,
            dom_id=dom_id,
            summary=gettext("Ingen milepæler eller datoer å vise ennå."),
        )

    first, last = min(dates), max(dates)
    range_start, range_end = _pad(first, last)
    timeline = Timeline(
        empty=False,
        width=width,
        dom_id=dom_id,
        start=range_start,
        end=range_end,
        plot_right=width - RIGHT_MARGIN,
        summary=_summary(milestones, bars, today),
    )
    span = (range_end - range_start).days
    plot_width = timeline.plot_right - timeline.plot_left

    def x_of(day: dt.date) -> float:
        return round(timeline.plot_left + (day - range_start).days / span * plot_width, 1)

    timeline.ticks = _ticks(range_start, range_end, x_of, plot_width, width)
    timeline.years = _years(range_start, range_end, x_of, timeline.plot_left, width)
    if not any(tick.short_label for tick in timeline.ticks):
        # Yearly ticks have no month names: the years move down next to the plot.
        timeline.year_baseline = MONTH_BASELINE
        timeline.year_line_top = timeline.tick_line_top

    y: float = PLOT_TOP
    if bars:
        timeline.phases, height = _phase_bars(bars, x_of, y)
        timeline.phase_band_y, timeline.phase_band_h = y, height
        timeline.phase_label_y = round(y + height / 2 + FONT_SIZE / 3, 1)
        y += height

    timeline.lanes = _lanes(workstreams, milestones, today, x_of, width)
    for index, lane in enumerate(timeline.lanes):
        _place_lane(lane, y)
        # Stripes alternate from the first lane, after the phase band (which is not striped).
        lane.striped = index % 2 == 0
        y += lane.h

    timeline.plot_bottom = y
    timeline.height = y + TODAY_STRIP
    if range_start <= today <= range_end:
        timeline.today_x = x_of(today)
        timeline.today_line_bottom = y + 4
        half = text_width(gettext("I dag")) / 2
        timeline.today_label_x = _clamp(
            timeline.today_x, timeline.plot_left + half, width - half - 2
        )
        timeline.today_label_y = y + 16
    return timeline


def _pad(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """Widen the range a little on both sides, so that the first and last markers and their
    labels are not drawn on the edge."""
    padding = max(MIN_PADDING_DAYS, round((last - first).days * PADDING_SHARE))
    start, end = first - dt.timedelta(padding), last + dt.timedelta(padding)
    missing = MIN_SPAN_DAYS - (end - start).days
    if missing > 0:
        start -= dt.timedelta(missing // 2)
        end += dt.timedelta(missing - missing // 2)
    return start, end


def _clamp(value: float, low: float, high: float) -> float:
    return round(max(low, min(value, high)), 1)


def _month_starts(start: dt.date, end: dt.date, step: int) -> list[dt.date]:
    """The first days of months inside [start, end] that fall on the step: every month, the
    quarters (January, April, ...), every January, or every January of every second year."""
    year, month = start.year, start.month
    if start.day != 1:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    days = []
    while (day := dt.date(year, month, 1)) <= end:
        if (year * 12 + month - 1) % step == 0:
            days.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def _ticks(start, end, x_of, plot_width, width) -> list[Tick]:
    span = (end - start).days
    widest = max(text_width(date_format(dt.date(2000, m, 1), "N")) for m in range(1, 13))
    for step in TICK_STEPS:
        days = _month_starts(start, end, step)
        spacing = plot_width * step * 30.4 / span
        if len(days) <= MAX_TICKS and spacing >= widest + TICK_LABEL_GAP:
            break
    ticks = []
    for day in days:
        x = x_of(day)
        # From a yearly step on, the year labels say it all: a month name would only repeat
        # "jan." under each year. A label that would run off the right edge is left out.
        short = date_format(day, "N") if step < 12 else ""
        if x + 4 + text_width(short) > width:
            short = ""
        ticks.append(Tick(x, day, date_format(day, "N Y"), short, round(x + 4, 1)))
    return ticks


def _years(start, end, x_of, plot_left, width) -> list[YearMark]:
    marks = []
    for year in range(start.year, end.year + 1):
        january = dt.date(year, 1, 1)
        boundary = january > start
        x = x_of(january) if boundary else plot_left
        marks.append(YearMark(x, str(year), round(x + 4, 1), boundary))
    # The first year's label sits at the left edge; if 1 January follows closely, the two would
    # overlap: keep the later one. A label that would run off the right edge is left out.
    for mark, following in zip(marks, marks[1:], strict=False):
        if following.x - mark.x < text_width(mark.label) + TICK_LABEL_GAP:
            mark.label = ""
    for mark in marks:
        if mark.label_x + text_width(mark.label) > width:
            mark.label = ""
    return marks


def _phase_bars(bars, x_of, top) -> tuple[list[PhaseBar], float]:
    """Phase bars, in rows: phases that overlap in time get a row each."""
    rows_end: list[dt.date] = []
    placed = []
    for phase in sorted(bars, key=lambda p: (p.start_date, p.end_date)):
        row = next((i for i, end in enumerate(rows_end) if phase.start_date > end), None)
        if row is None:
            row = len(rows_end)
            rows_end.append(phase.end_date)
        else:
            rows_end[row] = phase.end_date
        placed.append((phase, row))

    result = []
    for phase, row in placed:
        x = x_of(phase.start_date)
        # A one-day phase still gets a visible bar.
        w = max(round(x_of(phase.end_date) - x, 1), 3)
        y = top + BAND_PADDING + row * (PHASE_HEIGHT + PHASE_GAP)
        dates = f"{format_date(phase.start_date)}–{format_date(phase.end_date)}"
        result.append(
            PhaseBar(
                x=x,
                y=y,
                w=w,
                h=PHASE_HEIGHT,
                name=phase.name,
                label=fit_text(phase.name, w - 10),
                label_x=round(x + 5, 1),
                label_y=y + PHASE_HEIGHT / 2 + FONT_SIZE / 3,
                tooltip=f"{phase.name}: {dates}",
            )
        )
    rows = len(rows_end)
    height = 2 * BAND_PADDING + rows * PHASE_HEIGHT + (rows - 1) * PHASE_GAP
    return result, height


def _lanes(workstreams, milestones, today, x_of, width) -> list[Lane]:
    """One lane for the whole project (milestones without a workstream) first, then one per
    workstream that has milestones, in the order given."""
    known = {ws.pk for ws in workstreams}
    general = Lane(name=gettext("Hele prosjektet"), label="")
    by_workstream = {ws.pk: Lane(name=ws.name, label="") for ws in workstreams}
    for milestone in milestones:
        # A milestone of a workstream the caller did not pass is shown with the whole project
        # rather than left out.
        lane = (
            by_workstream[milestone.workstream_id] if milestone.workstream_id in known else general
        )
        lane.markers.append(_marker(milestone, today, x_of))
    lanes = [lane for lane in (general, *by_workstream.values()) if lane.markers]
    for lane in lanes:
        lane.label = fit_text(lane.name, GUTTER - LANE_LABEL_X - 8, min_chars=1)
        _stagger(lane, width)
    return lanes


def _marker(milestone, today, x_of) -> Marker:
    overdue = milestone.is_overdue(today)
    status_display = getattr(milestone, "get_status_display", None)
    status_label = str(status_display()) if status_display else str(milestone.status)
    date = getattr(milestone, "date_display", None) or format_date(milestone.due_date)
    parts = [f"{milestone.code} {milestone.title}", date, status_label]
    if overdue:
        parts.append(gettext("Forsinket"))
    return Marker(
        pk=milestone.pk,
        code=milestone.code,
        title=milestone.title,
        date=date,
        kind=str(milestone.kind),
        status=str(milestone.status),
        status_label=status_label,
        decision_point=milestone.is_decision_point,
        reached=milestone.is_reached,
        overdue=overdue,
        tooltip=" – ".join(parts),
        x=x_of(milestone.due_date),
    )


def _stagger(lane: Lane, width: float) -> None:
    """Give each marker's label a row, so that no two labels in a row overlap.

    Labels are centred over their marker (kept inside the plot at the edges). Taken from left to
    right, each label goes into the first row where it clears the previous label by LABEL_GAP;
    this first-fit uses as few rows as the closest cluster of markers needs.
    """
    rows_end: list[float] = []
    for marker in sorted(lane.markers, key=lambda m: (m.x, m.code)):
        half = marker.label_width / 2
        marker.label_x = _clamp(marker.x, GUTTER + half, width - half - 2)
        left = marker.label_x - half
        row = next((i for i, end in enumerate(rows_end) if left >= end + LABEL_GAP), None)
        if row is None:
            row = len(rows_end)
            rows_end.append(0)
        rows_end[row] = marker.label_x + half
        marker.label_row = row
    lane.rows = max(len(rows_end), 1)


def _place_lane(lane: Lane, top: float) -> None:
    """Vertical positions in a lane: even label rows above the markers, odd rows below, the
    rows nearest to the markers first; the lane is as tall as its rows need."""
    above, below = (lane.rows + 1) // 2, lane.rows // 2
    lane.y = top
    lane.marker_y = top + LANE_PADDING + above * LABEL_ROW + MARKER_ZONE / 2
    lane.h = 2 * LANE_PADDING + (above + below) * LABEL_ROW + MARKER_ZONE
    lane.label_y = lane.marker_y + FONT_SIZE / 3
    zone_top = lane.marker_y - MARKER_ZONE / 2
    zone_bottom = lane.marker_y + MARKER_ZONE / 2
    for marker in lane.markers:
        marker.y = lane.marker_y
        if marker.decision_point:
            x, y, r = marker.x, marker.y, DIAMOND_RADIUS
            marker.points = f"{x},{y - r} {x + r},{y} {x},{y + r} {x - r},{y}"
        depth = marker.label_row // 2
        if marker.label_row % 2 == 0:  # above
            marker.label_y = zone_top - depth * LABEL_ROW - 4
            edge = marker.label_y + 3
            start = marker.y - MARKER_RADIUS - 2
        else:  # below
            marker.label_y = zone_bottom + depth * LABEL_ROW + FONT_SIZE
            edge = marker.label_y - FONT_SIZE + 1
            start = marker.y + MARKER_RADIUS + 2
        if depth:
            marker.leader_y1, marker.leader_y2 = start, edge


def _summary(milestones, bars, today) -> str:
    """The text alternative in the SVG's <desc>, e.g. "16 milepæler og 3 beslutningspunkter fra
    12.04.2013 til 26.08.2013. 2 er forsinket. 5 er nådd." """
    sentences = []
    if milestones:
        decisions = sum(1 for m in milestones if m.is_decision_point)
        plain = len(milestones) - decisions
        counts = []
        if plain:
            counts.append(
                ngettext("%(count)d milepæl", "%(count)d milepæler", plain) % {"count": plain}
            )
        if decisions:
            counts.append(
                ngettext("%(count)d beslutningspunkt", "%(count)d beslutningspunkter", decisions)
                % {"count": decisions}
            )
        if len(counts) == 2:
            items = gettext("%(first)s og %(second)s") % {"first": counts[0], "second": counts[1]}
        else:
            items = counts[0]
        first, last = milestones[0].due_date, milestones[-1].due_date
        if first == last:
            sentences.append(
                gettext("%(items)s den %(date)s.") % {"items": items, "date": format_date(first)}
            )
        else:
            sentences.append(
                gettext("%(items)s fra %(first)s til %(last)s.")
                % {"items": items, "first": format_date(first), "last": format_date(last)}
            )
        overdue = sum(1 for m in milestones if m.is_overdue(today))
        reached = sum(1 for m in milestones if m.is_reached)
        sentences.append(
            ngettext("%(count)d er forsinket.", "%(count)d er forsinket.", overdue)
            % {"count": overdue}
        )
        sentences.append(
            ngettext("%(count)d er nådd.", "%(count)d er nådd.", reached) % {"count": reached}
        )
    else:
        sentences.append(gettext("Ingen milepæler eller beslutningspunkter ennå."))
    if bars:
        sentences.append(
            ngettext("Planen har %(count)d fase.", "Planen har %(count)d faser.", len(bars))
            % {"count": len(bars)}
        )
    return " ".join(sentences)
