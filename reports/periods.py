"""The reporting periods of a project and when a report is due.

Period 1 starts on the project's start date and lasts `report_interval_days` (21 by default:
"rapportere fremdrift, status og eventuelle beslutningsgrunnlag hver 3. uke", seed 000); each
next period starts the day after. The report of a period is made when the period has ended, and
is late if it is not published within three working days (Norwegian public holidays are not
working days)."""

import datetime as dt
from dataclasses import dataclass
from functools import cache

WORKING_DAYS_TO_PUBLISH = 3


@dataclass(frozen=True)
class Period:
    number: int
    start: dt.date
    end: dt.date

    @property
    def deadline(self) -> dt.date:
        """The last day to publish the report of this period."""
        return add_working_days(self.end, WORKING_DAYS_TO_PUBLISH)

    def is_late(self, on: dt.date) -> bool:
        return on > self.deadline


def period(project, number: int) -> Period:
    length = project.report_interval_days
    start = project.start_date + dt.timedelta(days=(number - 1) * length)
    return Period(number, start, start + dt.timedelta(days=length - 1))


def last_number(project) -> int | None:
    """The project's last period: the one its last delivery date falls in (None: no end)."""
    if not project.last_delivery_date:
        return None
    return (
        project.last_delivery_date - project.start_date
    ).days // project.report_interval_days + 1


def latest_ended(project, on: dt.date) -> Period | None:
    """The latest period that ended before `on`, within the project's last delivery; None before
    the first period has ended."""
    number = (on - project.start_date).days // project.report_interval_days
    last = last_number(project)
    if last is not None:
        number = min(number, last)
    return period(project, number) if number >= 1 else None


def current(project, on: dt.date) -> Period | None:
    """The period `on` falls in, or None before the start or after the last period."""
    if on < project.start_date:
        return None
    number = (on - project.start_date).days // project.report_interval_days + 1
    last = last_number(project)
    if last is not None and number > last:
        return None
    return period(project, number)


# --- Working days --------------------------------------------------------------------------------


def _easter(year: int) -> dt.date:
    """Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@cache
def public_holidays(year: int) -> frozenset[dt.date]:
    """Norway's public holidays (helligdager and 1 and 17 May) that can fall on a weekday."""
    easter = _easter(year)
    movable = [
        -3,
        -2,
        1,
        39,
        50,
    ]  # Maundy Thursday, Good Friday, Easter Monday, Ascension, Whit Monday
    fixed = [(1, 1), (5, 1), (5, 17), (12, 25), (12, 26)]
    return frozenset(
        [easter + dt.timedelta(days=n) for n in movable]
        + [dt.date(year, month, day) for month, day in fixed]
    )


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def add_working_days(day: dt.date, count: int) -> dt.date:
    while count:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day
