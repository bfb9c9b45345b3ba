"""The consultation gate (Hovedavtalen § 1-4, arbeidsmiljøloven §§ 8-1 and 8-2): the employer
informs and consults the employees' representatives *before* deciding what concerns the
employees. Deciding the mandate, a placement or a decision request that affects employees shows
what was consulted on; without an approved protocol the decision needs a written reason, which
is recorded with it and sent to the union and safety representatives. An organisation in strict
mode refuses such a decision instead."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.models import OutgoingMail
from projects.models import Membership, Phase, Project
from projects.notices import members_with, notify_members
from roles.models import Placement

from .models import AgendaItem, Meeting, Protocol

REPRESENTATIVES = (Membership.Role.UNION_REP, Membership.Role.SAFETY_REP)


@dataclass(frozen=True)
class ConsultedItem:
    item: AgendaItem
    protocol: Protocol | None  # the meeting's latest protocol

    @property
    def meeting(self) -> Meeting:
        return self.item.meeting


@dataclass(frozen=True)
class Consultation:
    """What was consulted on about one matter: its agenda items, each with its meeting, outcome
    and protocol."""

    items: list[ConsultedItem]

    @property
    def approved(self) -> bool:
        """Consulted, with an approved protocol: a meeting where it was on the agenda has its
        protocol approved by every side present."""
        return any(i.meeting.status == Meeting.Status.PROTOCOL_APPROVED for i in self.items)


def consultation(items: QuerySet[AgendaItem]) -> Consultation:
    """The agenda items, oldest meeting first, each with its meeting's latest protocol. Two
    queries."""
    protocols = Prefetch("meeting__protocols", queryset=Protocol.objects.order_by("-version"))
    rows = items.select_related("meeting").prefetch_related(protocols)
    return Consultation(
        [
            ConsultedItem(item, next(iter(item.meeting.protocols.all()), None))
            for item in rows.order_by("meeting__starts_at", "order")
        ]
    )


def for_mandate(project: Project) -> Consultation:
    return consultation(AgendaItem.objects.filter(meeting__project=project, concerns_mandate=True))


def for_phase(phase: Phase) -> Consultation:
    """The agenda items that consulted on leaving the phase (AgendaItem.concerns_phase)."""
    return consultation(
        AgendaItem.objects.filter(meeting__project_id=phase.project_id, concerns_phase=phase)
    )


def for_placement(placement: Placement) -> Consultation:
    return consultation(AgendaItem.objects.filter(placements=placement))


def check(consulted: Consultation, *, project: Project, reason: str) -> str:
    """May it be decided now? Returns the reason to record ("" when an approved protocol exists);
    refuses in strict mode, and without a reason."""
    if consulted.approved:
        return ""
    if project.organisation.strict_consultation:
        raise ValidationError(
            _(
                "%(org)s krever at saken er drøftet med godkjent protokoll før den besluttes "
                "(Hovedavtalen § 1-4). Drøft saken og få protokollen godkjent først."
            )
            % {"org": project.organisation}
        )
    if not reason.strip():
        raise ValidationError(
            {
                "no_protocol_reason": _(
                    "Drøftingen har ingen godkjent protokoll. Skriv hvorfor det likevel "
                    "besluttes nå; begrunnelsen sendes til tillitsvalgte og verneombud."
                )
            }
        )
    return reason.strip()


def tell_representatives(
    *, project: Project, what: str, reason: str, url: str, by: User, ref: str
) -> list[OutgoingMail]:
    """The union and safety representatives are told that `what` was decided without an
    approved protocol, and why."""
    return notify_members(
        members_with(project, *REPRESENTATIVES),
        "consultations/email/decided_without_protocol",
        {"what": what, "reason": reason, "decided_by": by},
        kind="consultation.gate",
        project=project,
        url=url,
        sender=by,
        ref=ref,
        key=f"gate:{ref}",
    )
