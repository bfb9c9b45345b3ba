"""The benefit owner's reminder that a planned measurement is due: composed each morning and
written to the outbox, once per benefit and planned occasion however many beats or workers run
it (the outbox's key is the claim). The Celery task in projects.tasks only calls this. It goes on
after the project has closed: benefits are realised in the line, long after."""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import reverse

from core.mail import automated_message, mailbox
from notifications.models import OutgoingMail
from notifications.services import queue

from .models import Benefit

logger = logging.getLogger(__name__)


def benefits_due(day: dt.date) -> QuerySet[Benefit]:
    """Benefits whose next planned measurement is on or before `day`, with an active owner who
    still belongs to the project's organisation and has an e-mail address. One query."""
    return (
        Benefit.objects.due(day)
        .filter(owner_user__is_active=True, project__organisation__members=F("owner_user"))
        .exclude(owner_user__email="")
        .exclude(project__status="cancelled")
        .select_related("owner_user", "project")
        .order_by("owner_user_id", "project__name", "order")
    )


def benefit_url(benefit: Benefit) -> str:
    return settings.SITE_URL + reverse("projects:benefit", args=[benefit.pk])


def reminder_key(benefit: Benefit) -> str:
    assert benefit.next_measurement_on is not None
    return f"benefit:{benefit.pk}:{benefit.next_measurement_on.isoformat()}"


def queue_benefit_reminders(day: dt.date) -> int:
    """One mail per benefit whose measurement is due, to its owner, once per occasion (the
    occasion's date is in the key: the next occasion is a new reminder). Returns how many were
    written now."""
    due = list(benefits_due(day))
    sent = set(
        OutgoingMail.objects.filter(key__in=[reminder_key(b) for b in due]).values_list(
            "key", flat=True
        )
    )
    written = 0
    with transaction.atomic():
        for benefit in due:
            key = reminder_key(benefit)
            if key in sent:
                continue
            owner = benefit.owner_user
            assert owner is not None
            url = benefit_url(benefit)
            message = automated_message(
                "projects/email/benefit_due",
                {
                    "benefit": benefit,
                    "project": benefit.project,
                    "name": owner.first_name or str(owner),
                    "url": url,
                },
                to=[mailbox(owner)],
            )
            # A concurrent run that wrote the key first wins; queue() keeps its row.
            queue(
                message,
                kind="benefits.reminder",
                project_id=benefit.project_id,
                ref=f"benefit:{benefit.pk}",
                recipient=owner,
                key=key,
                url=url,
            )
            written += 1
    logger.info("Benefit reminders for %s: %d", day, written)
    return written
