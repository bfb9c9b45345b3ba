"""The daily e-mail to each responsible person about their milestones that are overdue or due
within a week: composed at 07:00 and written to the outbox (notifications), once per person and
day however many beats or workers run it. The Celery task in milestones.tasks only calls this."""

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import reverse

from accounts.models import User
from core.mail import automated_message, mailbox
from notifications.services import queue
from projects.models import Project
from projects.permissions import VIEW

from .models import Milestone

logger = logging.getLogger(__name__)

DAYS_AHEAD = 7
CLOSED_PROJECT_STATUSES = (Project.Status.COMPLETED, Project.Status.CANCELLED)


def milestones_to_remind(day: dt.date, recipient: User | None = None) -> QuerySet[Milestone]:
    """The milestones someone is reminded of on `day`: not reached, with a responsible person who
    can still see the project (a member of its organisation with the view right on it, as in
    Project.objects.visible_to) and has an e-mail address, due within DAYS_AHEAD days or overdue
    (missed ones included), in a project that is neither completed nor cancelled. Ordered by
    person, project and date; one query, with what the e-mail shows."""
    milestones = (
        Milestone.objects.open()
        .filter(
            due_date__lte=day + dt.timedelta(days=DAYS_AHEAD),
            responsible__isnull=False,
            responsible__is_active=True,
            # In one filter() call, so that both conditions hold for the same permission row.
            # Guardian keeps one row per user, permission and project: no duplicates.
            project__projectuserobjectpermission__user=F("responsible"),
            project__projectuserobjectpermission__permission__codename=VIEW,
        )
        .filter(project__organisation__members=F("responsible"))
        .exclude(responsible__email="")
        .exclude(project__status__in=CLOSED_PROJECT_STATUSES)
    )
    if recipient is not None:
        milestones = milestones.filter(responsible=recipient)
    return milestones.select_related(
        "responsible", "project", "project__organisation", "project__leader"
    ).order_by("responsible_id", "project__name", "project_id", "due_date", "kind", "pk")


def milestone_list_url(project: Project) -> str:
    return settings.SITE_URL + reverse("milestones:list", args=[project.pk])


def compose_reminder(
    recipient: User, milestones: Iterable[Milestone], day: dt.date
) -> EmailMessage:
    """The reminder e-mail, in Bokmål whatever the active language: overdue milestones first,
    then those due within the week, each list in project and date order, and a link to each
    project's milestones."""
    milestones = sorted(
        milestones, key=lambda m: (m.project.name, m.project_id, m.due_date, m.kind, m.pk)
    )
    overdue = [m for m in milestones if m.is_overdue(day)]
    soon = [m for m in milestones if not m.is_overdue(day)]
    projects = [
        {"project": project, "url": milestone_list_url(project)}
        for project in dict.fromkeys(m.project for m in milestones)
    ]
    context = {
        "recipient": recipient,
        "name": recipient.first_name or str(recipient),
        "overdue": overdue,
        "soon": soon,
        "overdue_count": len(overdue),
        "soon_count": len(soon),
        "days_ahead": DAYS_AHEAD,
        "projects": projects,
        "day": day,
        "site_url": settings.SITE_URL,
    }
    return automated_message("milestones/email/reminder", context, to=[mailbox(recipient)])


def queue_reminders(day: dt.date) -> int:
    """Each person with milestones to be reminded of on `day` gets one reminder, written to the
    outbox in one transaction: once per person and day however often it runs (the outbox's key
    is the claim). Returns the number of people reminded."""
    people: dict[User, list[Milestone]] = {}
    for milestone in milestones_to_remind(day):
        assert milestone.responsible is not None  # milestones_to_remind: someone responsible
        people.setdefault(milestone.responsible, []).append(milestone)
    with transaction.atomic():
        for recipient, items in people.items():
            queue(
                compose_reminder(recipient, items, day),
                kind="milestones.reminder",
                recipient=recipient,
                key=f"reminder:{recipient.pk}:{day.isoformat()}",
                url=milestone_list_url(items[0].project),
            )
    logger.info("Milestone reminders for %s: %d person(s)", day, len(people))
    return len(people)
