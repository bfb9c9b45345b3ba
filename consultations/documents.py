"""The protocol of a meeting with the employees' representatives, as plain data and as PDF.

`protocol_snapshot` reads what the protocol says now: frozen into Protocol.snapshot when a version
is sent for approval, and the input of the PDF (`render_protocol_pdf`), which is laid out on the
shared print base (header with municipality and project, "Side N av M", version line, UTKAST on
anything not yet approved).

A protocol goes to every participant, so it carries no personal data beyond the participants' own
names: an agenda item's placements are counted ("Saken gjelder 3 innplasseringer"), never read,
and no employee's name is ever part of the snapshot or the document."""

import os
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Prefetch
from django.utils import timezone, translation

from core.pdf import norwegian_slug, render_pdf
from roles.models import RoleDescription

from .models import AgendaItem, Confirmation, Meeting, Participant, Protocol, ProtocolEntry, Side

TEMPLATE = "consultations/pdf/protocol.html"

OSLO = ZoneInfo("Europe/Oslo")

# The sides in the order a protocol lists them (the model orders them alphabetically by key).
SIDE_ORDER = [Side.EMPLOYER, Side.UNION, Side.SAFETY]


def _local(value):
    return timezone.localtime(value, OSLO) if value is not None else None


def _date(value) -> str:
    value = _local(value)
    return f"{value:%d.%m.%Y}" if value is not None else ""


def _time(value) -> str:
    value = _local(value)
    return f"{value:%H:%M}" if value is not None else ""


def _side_label(side: str) -> str:
    try:
        return str(Side(side).label)
    except ValueError:
        return side


def placements_line(count: int) -> str:
    """What an item says about the placements it concerns: only how many."""
    if not count:
        return ""
    return f"Saken gjelder {count} innplassering{'' if count == 1 else 'er'}"


def _meeting_with_protocol_data(meeting: Meeting) -> Meeting:
    """The meeting again, with everything the protocol shows in a fixed number of queries.
    Placements are counted in SQL, never loaded."""
    items = (
        AgendaItem.objects.annotate(placement_count=Count("placements", distinct=True))
        .order_by("order", "pk")
        .prefetch_related(
            "milestones",
            "units",
            Prefetch(
                "role_descriptions",
                queryset=RoleDescription.objects.select_related("position__unit"),
            ),
            Prefetch("entries", queryset=ProtocolEntry.objects.select_related("author")),
        )
    )
    return (
        Meeting.objects.select_related("project__organisation")
        .prefetch_related(
            Prefetch("participants", queryset=Participant.objects.select_related("user")),
            Prefetch("items", queryset=items),
        )
        .get(pk=meeting.pk)
    )


def _person(participant: Participant) -> dict:
    return {
        "name": str(participant.user),
        "side": participant.side,
        "side_label": _side_label(participant.side),
        "union_name": participant.union_name,
    }


def _present_by_side(participants: list[Participant]) -> list[dict]:
    """The participants present, one group per side that has someone present, in SIDE_ORDER."""
    groups = []
    for side in SIDE_ORDER:
        people = [_person(p) for p in participants if p.present and p.side == side]
        if people:
            groups.append({"side": str(side), "label": str(side.label), "participants": people})
    return groups


def _role_description_title(description: RoleDescription) -> str:
    return description.position_name or description.position.title


def _item(item: AgendaItem) -> dict:
    count = item.placement_count  # type: ignore[attr-defined]  # annotated by _meeting_with_protocol_data
    return {
        "number": item.order,
        "title": item.title,
        "done": item.done,
        "next_steps": item.next_steps,
        "outcome": item.outcome,
        "outcome_label": str(item.get_outcome_display()),
        "conclusion": item.conclusion,
        "milestones": [{"code": m.code, "title": m.title} for m in item.milestones.all()],
        "units": [{"code": u.code, "name": u.name} for u in item.units.all()],
        "role_descriptions": [
            {
                "title": _role_description_title(d),
                "position_code": d.position.code,
                "unit": d.position.unit.name,
            }
            for d in item.role_descriptions.all()
        ],
        "placement_count": count,
        "placements_note": placements_line(count),
        "entries": [
            {
                "side": entry.side,
                "side_label": _side_label(entry.side),
                "author": str(entry.author),
                "text": entry.text,
            }
            for entry in item.entries.all()
        ],
    }


def protocol_snapshot(meeting: Meeting) -> dict:
    """What the meeting's protocol says now, as plain JSON-able data in Bokmål.

    Keys: organisation, project_name, project_code, kind, kind_label, title, date, date_iso,
    start_time, end_date, end_time, place, present (groups by side: side, label, participants),
    absent, items (number, title, done, next_steps, outcome, outcome_label, conclusion,
    milestones, units, role_descriptions, placement_count, placements_note, entries)."""
    with translation.override(settings.LANGUAGE_CODE):
        meeting = _meeting_with_protocol_data(meeting)
        project = meeting.project
        participants = list(meeting.participants.all())
        starts_at, ends_at = _local(meeting.starts_at), _local(meeting.ends_at)
        return {
            "organisation": project.organisation.name,
            "project_name": project.name,
            "project_code": project.code,
            "kind": meeting.kind,
            "kind_label": str(meeting.get_kind_display()),
            "title": meeting.title,
            "date": _date(starts_at),
            "date_iso": starts_at.date().isoformat(),
            "start_time": _time(starts_at),
            "end_date": _date(ends_at),
            "end_time": _time(ends_at),
            "place": meeting.place,
            "present": _present_by_side(participants),
            "absent": [
                _person(p)
                for side in SIDE_ORDER
                for p in participants
                if not p.present and p.side == side
            ],
            "items": [_item(item) for item in meeting.items.all()],
        }


def _time_span(snapshot: dict) -> str:
    start, end = snapshot.get("start_time", ""), snapshot.get("end_time", "")
    if not end:
        return start
    if snapshot.get("end_date") and snapshot["end_date"] != snapshot.get("date"):
        return f"{start}–{snapshot['end_date']} {end}"
    return f"{start}–{end}"


def _version_line(protocol: Protocol | None, printed_at) -> str:
    printed = f"skrevet ut {printed_at:%d.%m.%Y}"
    if protocol is None:
        return f"Utkast, {printed}"
    if protocol.status == Protocol.Status.APPROVED:
        approved = f", godkjent {_date(protocol.approved_at)}" if protocol.approved_at else ""
        return f"Versjon {protocol.version}{approved}"
    if protocol.status == Protocol.Status.SENT:
        sent = f" {_date(protocol.sent_at)}" if protocol.sent_at else ""
        return f"Versjon {protocol.version}, utkast sendt til godkjenning{sent}"
    return f"Versjon {protocol.version}, utkast, {printed}"


def _confirmation(confirmation: Confirmation) -> dict:
    return {
        "name": str(confirmation.user),
        "side": confirmation.side,
        "side_label": _side_label(confirmation.side),
        "confirmed_at": f"{_date(confirmation.confirmed_at)} {_time(confirmation.confirmed_at)}",
    }


def _signatures(snapshot: dict, confirmations: list[dict]) -> list[dict]:
    """One signature block per side present: the side, its unions, and the name of whoever
    confirmed for it (blank to fill in by hand when no one has)."""
    blocks = []
    for group in snapshot.get("present", []):
        unions = list(
            dict.fromkeys(p["union_name"] for p in group["participants"] if p.get("union_name"))
        )
        names = [c["name"] for c in confirmations if c["side"] == group["side"]]
        blocks.append(
            {
                "side": group["side"],
                "label": group["label"],
                "unions": ", ".join(unions),
                "names": ", ".join(names),
            }
        )
    return blocks


def protocol_context(
    snapshot: dict, protocol: Protocol | None, confirmations: Iterable[Confirmation]
) -> dict:
    """The context of the protocol PDF. `protocol` is None for a preview before any version
    exists; every version not approved is a draft (UTKAST). Callers select_related the
    confirmations' user."""
    printed_at = timezone.localtime(timezone.now(), OSLO)
    confirmed = [_confirmation(c) for c in confirmations]
    draft = protocol is None or protocol.status != Protocol.Status.APPROVED
    return {
        "p": snapshot,
        "protocol": protocol,
        "draft": draft,
        "heading": f"Protokoll fra {snapshot.get('kind_label', '').lower()}",
        "time_span": _time_span(snapshot),
        "confirmations": confirmed,
        "signatures": _signatures(snapshot, confirmed),
        "version_line": _version_line(protocol, printed_at),
        "printed_at": printed_at,
    }


def render_protocol_pdf(
    snapshot: dict, *, protocol: Protocol | None, confirmations: Iterable[Confirmation]
) -> bytes:
    """An approved version (frozen) as PDF/A-2b; a draft or a version out for approval as a
    plain PDF."""
    approved = protocol is not None and protocol.status == Protocol.Status.APPROVED
    return render_pdf(
        TEMPLATE, protocol_context(snapshot, protocol, confirmations), archival=approved
    )


def protocol_filename(snapshot: dict, protocol: Protocol | None) -> str:
    """protokoll-<project code>-<yyyy-mm-dd>-v<N>.pdf (…-utkast.pdf before any version)."""
    suffix = f"v{protocol.version}" if protocol is not None else "utkast"
    code = norwegian_slug(snapshot["project_code"], 30) or "prosjekt"
    return f"protokoll-{code}-{snapshot['date_iso']}-{suffix}.pdf"


def stored_filename(protocol: Protocol) -> str:
    """The name an approved protocol's PDF is downloaded and mailed under."""
    if protocol.snapshot:
        return protocol_filename(protocol.snapshot, protocol)
    assert protocol.pdf.name is not None  # called for a stored PDF
    return os.path.basename(protocol.pdf.name)


def approved_protocol_pdf(protocol: Protocol) -> bytes:
    """An approved version as its PDF, from what was frozen when it was sent for approval."""
    assert protocol.snapshot is not None  # frozen when the version was sent for approval
    confirmations = list(protocol.confirmations.select_related("user"))
    return render_protocol_pdf(protocol.snapshot, protocol=protocol, confirmations=confirmations)


def ensure_protocol_pdf(protocol_id: int) -> Protocol:
    """Render an approved protocol once and store it; later calls (and a concurrent one, which
    waits for the lock) find it stored. The file renders what was approved: no history record."""
    with transaction.atomic():
        protocol = (
            Protocol.objects.select_for_update(of=("self",))
            .select_related("meeting", "meeting__project")
            .get(pk=protocol_id)
        )
        if protocol.status == Protocol.Status.APPROVED and not protocol.pdf:
            assert protocol.snapshot is not None  # frozen when the version was sent for approval
            filename = protocol_filename(protocol.snapshot, protocol)
            protocol.pdf.save(filename, ContentFile(approved_protocol_pdf(protocol)), save=False)
            protocol.save_without_historical_record(update_fields=["pdf"])
    return protocol
