"""The project calendar as an iCalendar feed (RFC 5545) for a member's calendar app: the
milestones and decision points as all-day events, and the meetings the member may see, in
Bokmål whatever the active language.

A meeting keeps the UID and SEQUENCE of the invitation mailed by consultations.notices, so a
calendar that has both shows it once, and the newest version of it. No participant lists: the
feed is read through a link that anyone who gets hold of it can open."""

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import STATUS, TRANSP, Calendar, Event, vDuration

from consultations.models import Meeting
from consultations.notices import PRODID, meeting_url
from milestones.models import Milestone
from projects.permissions import project_permissions

from .models import CalendarFeed

TIME_ZONE = "Europe/Oslo"
# How often a calendar app should fetch the feed again (Outlook reads X-PUBLISHED-TTL, others
# RFC 7986's REFRESH-INTERVAL).
REFRESH = dt.timedelta(hours=1)


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "reorg"


def _milestone_event(milestone: Milestone, *, url: str, host: str, stamp: dt.datetime) -> Event:
    if milestone.is_decision_point:
        summary = _("Beslutningspunkt: %(milestone)s") % {"milestone": milestone}
    else:
        summary = str(milestone)
    lines = [_("Status: %(status)s") % {"status": milestone.get_status_display()}]
    if milestone.criterion:
        lines.append(_("Kriterium: %(criterion)s") % {"criterion": milestone.criterion})
    lines.append(url)
    return Event.new(
        uid=f"milestone-{milestone.pk}@{host}",
        stamp=stamp,
        start=milestone.due_date,
        end=milestone.due_date + dt.timedelta(days=1),
        summary=summary,
        description="\n".join(lines),
        url=url,
        # A date to keep in mind, not time taken: it does not make the day busy.
        transparency=TRANSP.TRANSPARENT,
    )


def _meeting_event(meeting: Meeting, *, stamp: dt.datetime) -> Event:
    url = meeting_url(meeting)
    return Event.new(
        # As in the invitation (consultations.notices.meeting_ics).
        uid=f"{meeting.uid}@reorg",
        sequence=meeting.sequence,
        stamp=stamp,
        start=meeting.starts_at.astimezone(dt.UTC),
        end=meeting.ends_at.astimezone(dt.UTC),
        summary=meeting.title,
        location=meeting.place or None,
        description=f"{meeting.get_kind_display()}\n{url}",
        url=url,
        status=STATUS.CONFIRMED,
    )


def project_calendar(feed: CalendarFeed) -> bytes:
    """The feed's project calendar, as its user may see it. Three queries whatever the size:
    the user's permissions, the milestones, the meetings (filtered by those permissions), and
    nothing per row. `feed.project` and `feed.user` are expected to be loaded with the feed."""
    project, user = feed.project, feed.user
    project.perms = project_permissions(user, project)
    milestones = Milestone.objects.filter(project=project).in_plan_order()
    meetings = Meeting.objects.visible_to(user, project).order_by("starts_at", "pk")
    milestones_url = settings.SITE_URL + reverse("milestones:list", args=[project.pk])
    host = _host()
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{project.code} – {project.name}")
    calendar.add("x-wr-timezone", TIME_ZONE)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    with translation.override(settings.LANGUAGE_CODE):
        for milestone in milestones:
            calendar.add_component(
                _milestone_event(milestone, url=milestones_url, host=host, stamp=stamp)
            )
        for meeting in meetings:
            calendar.add_component(_meeting_event(meeting, stamp=stamp))
    return calendar.to_ical()
