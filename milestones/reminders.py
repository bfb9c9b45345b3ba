"""The daily e-mail to each responsible person about their milestones that are overdue or due
within a week.

Once per person and day, however many workers or retries: `claim_reminders` makes one Reminder
row per person and day (the unique constraint is the claim), and `send_reminder` sends while it
holds that row's lock and marks it sent in the same transaction, so a duplicate task waits for
the lock and then finds it sent. The Celery tasks in milestones.tasks only call these."""

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.mail import automated_message
from projects.models import Project
from projects.permissions import VIEW

from .models import Milestone, Reminder

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
    return automated_message("milestones/email/reminder", context, to=[recipient.email])


def claim_reminders(day: dt.date) -> list[int]:
    """One Reminder row per person with milestones to be reminded of on `day` (an existing row is
    kept: the unique constraint settles a race between two dispatchers), and the ids of that
    day's rows for these people not sent yet."""
    recipient_ids = set(
        milestones_to_remind(day).order_by().values_list("responsible_id", flat=True).distinct()
    )
    Reminder.objects.bulk_create(
        [Reminder(recipient_id=pk, day=day) for pk in sorted(recipient_ids)],
        ignore_conflicts=True,
    )
    return list(
        Reminder.objects.filter(day=day, recipient_id__in=recipient_ids, sent_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def send_reminder(reminder_id: int) -> int:
    """Send one claimed reminder unless it has been sent; returns the number of milestones in
    the e-mail. The row stays locked while the mail goes out and is marked sent in the same
    transaction: a concurrent duplicate waits and then sees it sent, and a failed send leaves it
    unsent for the retry. Milestones reached since the claim are left out; with none left,
    nothing is sent and the row is closed with a count of 0."""
    with transaction.atomic():
        reminder = Reminder.objects.select_for_update().filter(pk=reminder_id).first()
        if reminder is None or reminder.sent_at is not None:
            return 0
        recipient = reminder.recipient
        milestones = list(milestones_to_remind(reminder.day, recipient=recipient))
        if milestones:
            compose_reminder(recipient, milestones, reminder.day).send()
        reminder.sent_at = timezone.now()
        reminder.milestone_count = len(milestones)
        reminder.save(update_fields=["sent_at", "milestone_count"])
    logger.info(
        "Milestone reminder %s for user %s on %s: %d milestone(s)",
        reminder.pk,
        recipient.pk,
        reminder.day,
        len(milestones),
    )
    return len(milestones)
