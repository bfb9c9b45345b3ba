"""Benefits realisation, the pure part: when a benefit is to be measured (its plan's occasions
and the next one due), a measured value read as a number, and the chart of a benefit (baseline,
target and the measurements over time) laid out for an inline SVG with its table.

Nothing here queries the database: the services and the pages hand in what they fetched."""

import datetime as dt
import re
from calendar import monthrange
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext

# A measurement this long before a planned occasion counts for it (measured a little early).
EARLY = dt.timedelta(days=14)
# At most this many occasions in a plan: 36 months × 100 years would be silly.
MAX_OCCASIONS = 240

_NUMBER = re.compile(r"^\s*([-−]?[0-9]{1,12}(?:[ \u00a0][0-9]{3})*(?:[.,][0-9]{1,4})?)(?![0-9])")


def parse_number(text: str) -> Decimal | None:
    """The number a measured value starts with ("12", "12,5", "80 %", "1 200 kr"), or None."""
    match = _NUMBER.match(text or "")
    if not match:
        return None
    digits = match.group(1).replace("−", "-").replace(" ", "").replace("\u00a0", "")
    digits = digits.replace(",", ".")
    try:
        number = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None
    if abs(number) >= Decimal(10) ** 12:
        return None
    return number


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` so many months later, the day clamped to the month's length (31.01 + 1 = 28.02)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def occasions(
    measure_from: dt.date | None, every_months: int | None, measure_until: dt.date | None
) -> list[dt.date]:
    """The planned measurements: from the first date every so many months up to the end date,
    or, without a frequency, the first date and the end date."""
    if measure_from is None:
        return []
    if not every_months:
        return sorted({measure_from, measure_until or measure_from})
    end = measure_until or measure_from
    found: list[dt.date] = []
    n = 0
    while len(found) < MAX_OCCASIONS:
        day = add_months(measure_from, every_months * n)
        if day > end:
            break
        found.append(day)
        n += 1
    return found


def next_due(planned: list[dt.date], latest_measured: dt.date | None) -> dt.date | None:
    """The first planned occasion not yet met: a measurement on or after an occasion (or up to
    EARLY before it) meets it and every one before it."""
    for day in planned:
        if latest_measured is None or latest_measured < day - EARLY:
            return day
    return None


# --- The chart -----------------------------------------------------------------------------------

WIDTH = 640
HEIGHT = 260
LEFT = 56  # the value axis's labels
RIGHT = 16
TOP = 16
BOTTOM = 40  # the date labels
TICKS = 4


@dataclass(slots=True)
class Point:
    x: float
    y: float
    label: str  # "12 timer, 01.03.2026"


@dataclass(slots=True)
class Line:
    y: float
    label: str
    value: str


@dataclass(slots=True)
class Tick:
    pos: float
    label: str


@dataclass(slots=True)
class BenefitChart:
    dom_id: str
    width: int = WIDTH
    height: int = HEIGHT
    empty: bool = True
    summary: str = ""
    points: list[Point] = field(default_factory=list)
    path: str = ""
    baseline: Line | None = None
    target: Line | None = None
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_top: int = TOP
    plot_bottom: int = HEIGHT - BOTTOM


def _fmt(number: Decimal | float) -> str:
    text = f"{Decimal(str(number)).normalize():f}"
    return text.replace(".", ",")


def build_benefit_chart(
    *,
    dom_id: str,
    baseline: str,
    target: str,
    unit: str,
    measurements: list[tuple[dt.date, Decimal | None]],
    start: dt.date | None = None,
) -> BenefitChart:
    """Baseline and target as horizontal lines, the measurements with a number as a line of
    points over time. `measurements` in date order; those without a number are in the table
    only."""
    chart = BenefitChart(dom_id=dom_id)
    base, goal = parse_number(baseline), parse_number(target)
    dated = [(day, n) for day, n in measurements if n is not None]
    if not dated:
        chart.summary = gettext("Ingen målinger med tallverdi ennå.")
        return chart
    chart.empty = False
    values = [n for _d, n in dated] + [v for v in (base, goal) if v is not None]
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    pad = (high - low) / 10
    low, high = low - pad, high + pad
    first = min([d for d, _n in dated] + ([start] if start else []))
    last = max(d for d, _n in dated)
    if first == last:
        first, last = first - dt.timedelta(days=15), last + dt.timedelta(days=15)
    span_days = (last - first).days
    width = chart.plot_right - chart.plot_left
    height = chart.plot_bottom - chart.plot_top

    def x_of(day: dt.date) -> float:
        return round(chart.plot_left + width * (day - first).days / span_days, 1)

    def y_of(value: Decimal) -> float:
        return round(chart.plot_bottom - height * float((value - low) / (high - low)), 1)

    suffix = f" {unit}" if unit else ""
    for day, number in dated:
        assert number is not None
        chart.points.append(
            Point(x_of(day), y_of(number), f"{_fmt(number)}{suffix}, {day:%d.%m.%Y}")
        )
    chart.path = " ".join(
        f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(chart.points)
    )
    if base is not None:
        chart.baseline = Line(y_of(base), gettext("Nullpunkt"), _fmt(base) + suffix)
    if goal is not None:
        chart.target = Line(y_of(goal), gettext("Målverdi"), _fmt(goal) + suffix)
    for i in range(TICKS + 1):
        value = low + (high - low) * i / TICKS
        chart.y_ticks.append(Tick(y_of(value), _fmt(round(value, 1))))
    for i in range(3):
        day = first + dt.timedelta(days=round(span_days * i / 2))
        chart.x_ticks.append(Tick(x_of(day), f"{day:%d.%m.%Y}"))
    latest_day, latest = dated[-1]
    assert latest is not None
    chart.summary = gettext(
        "%(count)s målinger fra %(first)s til %(last)s. Siste: %(latest)s. "
        "Nullpunkt %(baseline)s, målverdi %(target)s."
    ) % {
        "count": len(dated),
        "first": f"{dated[0][0]:%d.%m.%Y}",
        "last": f"{latest_day:%d.%m.%Y}",
        "latest": _fmt(latest) + suffix,
        "baseline": (baseline or "–"),
        "target": (target or "–"),
    }
    return chart
