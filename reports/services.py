"""Writes of reports/: the decision requests to the steering group. Each runs in a transaction
and records history with the user."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.history import acting_as
from projects.models import Project

from .models import DecisionRequest

Outcome = DecisionRequest.Outcome


@transaction.atomic
def save_decision_request(*, request: DecisionRequest, by) -> DecisionRequest:
    """Create or change what the steering group is asked to decide. A request already decided
    is not rewritten: its question and basis are what was decided on."""
    Project.objects.select_for_update().get(pk=request.project_id)
    if request.pk:
        current = DecisionRequest.objects.select_for_update().get(pk=request.pk)
        if current.outcome != Outcome.PENDING:
            raise ValidationError(
                _("Saken er behandlet av styringsgruppen og kan ikke endres. Lag en ny sak.")
            )
    else:
        request.created_by = by
    request.outcome, request.decision, request.decided_on = Outcome.PENDING, "", None
    request.full_clean()
    with acting_as(by):
        request.save()
    return request


@transaction.atomic
def record_decision(
    *, request: DecisionRequest, outcome: str, decision: str, on: dt.date | None, by
) -> DecisionRequest:
    """The steering group's decision: decided, deferred or rejected, with its date. A deferred
    request may be decided later; a decided or rejected one is final."""
    request = DecisionRequest.objects.select_for_update().get(pk=request.pk)
    if outcome not in (Outcome.DECIDED, Outcome.DEFERRED, Outcome.REJECTED):
        raise ValidationError({"outcome": _("Velg vedtatt, utsatt eller avvist.")})
    if request.outcome in (Outcome.DECIDED, Outcome.REJECTED):
        raise ValidationError(_("Saken er allerede avgjort."))
    day = on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"decided_on": _("Datoen kan ikke være fram i tid.")})
    request.outcome, request.decision, request.decided_on = outcome, decision.strip(), day
    request.full_clean()
    with acting_as(by):
        request.save()
    return request
