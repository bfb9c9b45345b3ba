"""Every write to meetings, agendas, protocols and questions. Each runs in a transaction, checks
its rules and records history with the user; its e-mail is written to the outbox in the same
transaction (consultations.notices), and sent after the commit.

Rules: a meeting is called for a time to come; an approved protocol is never edited (a change
makes the next version); only someone present adds a protocol entry, for their own side; each
side present confirms a protocol sent for approval, and it is approved when every side has; a
question is answered once."""

import datetime as dt
import os
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.files import document_kind, sha256_of
from core.history import acting_as
from core.tasks import after_commit
from milestones import services as milestone_services
from milestones.models import Milestone
from projects.models import Project
from projects.notices import site_url
from roles import services as role_services
from roles.models import OrgUnit, Placement, RoleDescription

from . import gate, notices
from .documents import ensure_protocol_pdf, protocol_snapshot
from .models import (
    AgendaItem,
    Attachment,
    Confirmation,
    Meeting,
    Participant,
    Protocol,
    ProtocolEntry,
    Question,
    attachment_storage,
)


def _lock(meeting: Meeting) -> Meeting:
    Project.objects.select_for_update().get(pk=meeting.project_id)
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _not_approved(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.PROTOCOL_APPROVED:
        raise ValidationError(
            _(
                "Protokollen for møtet er godkjent og kan ikke endres. Lag en ny versjon av "
                "protokollen for å endre den."
            )
        )


def _not_cancelled(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("Møtet er avlyst."))


def _not_out_for_approval(meeting: Meeting) -> None:
    if meeting.protocols.filter(status=Protocol.Status.SENT).exists():
        raise ValidationError(
            _("Protokollen er sendt til godkjenning. Den må åpnes igjen før endringer.")
        )


# --- Meetings ---------------------------------------------------------------------------------


@transaction.atomic
def save_meeting(
    *,
    meeting: Meeting,
    participants: list[dict] | None = None,
    by: User,
    held_before: bool = False,
) -> Meeting:
    """Create or change a meeting. `participants` (dicts of user, side, union_name), when given,
    are the invited. A meeting already called gets an updated invitation. A new meeting lies in
    the future, unless `held_before`: one held before the project used reorg, recorded after."""
    Project.objects.select_for_update().get(pk=meeting.project_id)
    if meeting.pk:
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _not_approved(current)
        _not_cancelled(current)
        if current.status != Meeting.Status.PLANNED and meeting.starts_at != current.starts_at:
            raise ValidationError({"starts_at": _("Møtet er holdt; tidspunktet kan ikke flyttes.")})
    elif meeting.starts_at <= timezone.now() and not held_before:
        raise ValidationError({"starts_at": _("Et nytt møte må ligge fram i tid.")})
    meeting.full_clean()
    if participants is not None and meeting.pk and current.status != Meeting.Status.PLANNED:
        # Who was invited and who came is what the protocol rests on.
        invited = set(current.participants.values_list("user_id", flat=True))
        if {p["user"].pk for p in participants} != invited:
            raise ValidationError(
                {"participants": _("Møtet er holdt; deltakerne kan ikke endres.")}
            )
    if participants is not None:
        members = set(meeting.project.memberships.values_list("user_id", flat=True))
        if any(p["user"].pk not in members for p in participants):
            raise ValidationError({"participants": _("Bare prosjektets medlemmer kan kalles inn.")})
    # A change to a meeting already called, and not yet held, goes out as an updated invitation;
    # those no longer invited get the cancellation of theirs.
    called = meeting.pk and meeting.called_at and meeting.status == Meeting.Status.PLANNED
    removed: list[User] = []
    with acting_as(by):
        if called:
            meeting.sequence += 1
        if held_before and not meeting.pk:
            meeting.recorded_afterwards = True
        meeting.save()
        if participants is not None:
            removed = _set_participants(meeting, participants)
    if called:
        notices.queue_notice(meeting, by=by, update=True)
        notices.queue_cancellation(meeting, recipients=removed, by=by)
    return meeting


def _set_participants(meeting: Meeting, participants: list[dict]) -> list[User]:
    """Make the invited exactly `participants`; returns those no longer invited."""
    wanted = {p["user"].pk: p for p in participants}
    removed = []
    for existing in meeting.participants.select_related("user"):
        if existing.user_id not in wanted:
            removed.append(existing.user)
            existing.delete()
            continue
        data = wanted.pop(existing.user_id)
        if (existing.side, existing.union_name) != (data["side"], data.get("union_name", "")):
            existing.side, existing.union_name = data["side"], data.get("union_name", "")
            existing.save()
    for data in wanted.values():
        Participant.objects.create(
            meeting=meeting,
            user=data["user"],
            side=data["side"],
            union_name=data.get("union_name", ""),
        )
    return removed


@transaction.atomic
def call_meeting(*, meeting: Meeting, by: User) -> Meeting:
    """Send the notice with the agenda and a calendar invitation to everyone invited."""
    meeting = _lock(meeting)
    _not_cancelled(meeting)
    if meeting.starts_at <= timezone.now():
        raise ValidationError(_("Møtet har allerede startet. Flytt det fram i tid før innkalling."))
    if not meeting.participants.exists():
        raise ValidationError(_("Møtet har ingen deltakere å kalle inn."))
    update = meeting.called_at is not None
    with acting_as(by):
        if update:
            meeting.sequence += 1
        meeting.called_at = timezone.now()
        meeting.save()
    notices.queue_notice(meeting, by=by, update=update)
    return meeting


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, by: User) -> Meeting:
    """Call a planned meeting off: everyone invited gets the cancellation of the invitation."""
    meeting = _lock(meeting)
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Bare et planlagt møte kan avlyses."))
    with acting_as(by):
        if meeting.called_at:
            meeting.sequence += 1
        meeting.status = Meeting.Status.CANCELLED
        meeting.save()
    invited = [p.user for p in meeting.participants.select_related("user")]
    notices.queue_cancellation(meeting, recipients=invited, by=by)
    return meeting


@transaction.atomic
def mark_held(
    *,
    meeting: Meeting,
    present_user_ids: Iterable[int],
    reached_milestone_ids: Iterable[int] = (),
    by: User,
) -> Meeting:
    """Record who came, and which of the milestones on the agenda the meeting reached (as "M11
    Drøftet ny organisasjons- og bemanningsplan" is reached by a meeting): only those the leader
    names, never one whose item ended in disagreement."""
    meeting = _lock(meeting)
    _not_approved(meeting)
    _not_cancelled(meeting)
    _not_out_for_approval(meeting)
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Møtet har ikke startet ennå."))
    wanted = set(reached_milestone_ids)
    reachable = {m.pk: m for m in reachable_milestones(meeting)}
    if wanted - reachable.keys():
        raise ValidationError(
            {
                "reached": _(
                    "Bare milepæler på sakslisten som ikke er nådd, og der saken ikke endte i "
                    "uenighet, kan markeres som nådd."
                )
            }
        )
    present = set(present_user_ids)
    with acting_as(by):
        for participant in meeting.participants.all():
            if participant.present != (participant.user_id in present):
                participant.present = participant.user_id in present
                participant.save()
        meeting.status = Meeting.Status.HELD
        meeting.save()
    day = timezone.localdate(meeting.starts_at)
    for pk in sorted(wanted):
        milestone_services.set_milestone_status(
            milestone=reachable[pk],
            status=Milestone.Status.REACHED,
            reached_on=day,
            # The meeting's title stays out: the note is read by people not invited to it.
            note=_("Nådd i møte med de ansattes representanter %(date)s.")
            % {"date": day.strftime("%d.%m.%Y")},
            by=by,
        )
    return meeting


def reachable_milestones(meeting: Meeting) -> QuerySet[Milestone]:
    """The milestones on the meeting's agenda that it may mark reached: not reached yet, and on
    no item that ended in disagreement."""
    disagreed = AgendaItem.objects.filter(
        meeting=meeting, outcome=AgendaItem.Outcome.DISAGREED
    ).values("milestones")
    return (
        Milestone.objects.filter(agenda_items__meeting=meeting)
        .exclude(status=Milestone.Status.REACHED)
        .exclude(pk__in=disagreed)
        .distinct()
        .order_by("due_date", "code", "pk")
    )


# --- The agenda -------------------------------------------------------------------------------


@transaction.atomic
def save_item(
    *,
    item: AgendaItem,
    links: dict[str, Iterable[Milestone | OrgUnit | RoleDescription | Placement]] | None = None,
    by: User,
) -> AgendaItem:
    """An agenda item. `links` maps milestones/units/role_descriptions/placements to objects of
    the meeting's project."""
    meeting = _lock(item.meeting)
    _not_approved(meeting)
    _not_out_for_approval(meeting)
    phase = item.concerns_phase if item.concerns_phase_id else None
    if phase is not None and phase.project_id != meeting.project_id:
        raise ValidationError({"concerns_phase": _("Velg fra dette prosjektet.")})
    if links:
        for name, objects in links.items():
            for obj in objects:
                project_id = _project_of(obj)
                if project_id != meeting.project_id:
                    raise ValidationError({name: _("Velg fra dette prosjektet.")})
    item.full_clean()
    with acting_as(by):
        item.save()
        for name, objects in (links or {}).items():
            getattr(item, name).set(objects)
    return item


def _project_of(obj: Milestone | OrgUnit | RoleDescription | Placement) -> int:
    if isinstance(obj, Milestone | OrgUnit):
        return obj.project_id
    # A role description, or a placement (which has a position too, of the same project).
    return obj.position.project_id


@transaction.atomic
def delete_item(*, item: AgendaItem, by: User) -> None:
    meeting = _lock(item.meeting)
    _not_approved(meeting)
    _not_out_for_approval(meeting)
    # The item's attachments go with it (a cascade), and so do their files, after the commit.
    names = [name for name in item.attachments.values_list("file", flat=True) if name]
    with acting_as(by):
        item.delete()
    storage = attachment_storage()
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


@transaction.atomic
def add_entry(*, item: AgendaItem, text: str, by: User) -> ProtocolEntry:
    """A party's own entry in the protocol, by someone present at the meeting, for their side."""
    meeting = _lock(item.meeting)
    _not_approved(meeting)
    participant = meeting.participants.filter(user=by, present=True).first()
    if participant is None:
        raise ValidationError(
            {"text": _("Bare de som var til stede i møtet, kan skrive protokolltilførsler.")}
        )
    _not_out_for_approval(meeting)
    entry = ProtocolEntry(item=item, author=by, side=participant.side, text=text.strip())
    entry.full_clean()
    with acting_as(by):
        entry.save()
    return entry


# --- The protocol -------------------------------------------------------------------------------


def current_protocol(meeting: Meeting) -> Protocol | None:
    return meeting.protocols.order_by("-version").first()


@transaction.atomic
def send_for_approval(*, meeting: Meeting, by: User) -> Protocol:
    """Freeze the protocol as it stands and ask each side present to confirm it."""
    meeting = _lock(meeting)
    if meeting.status == Meeting.Status.PLANNED:
        raise ValidationError(_("Møtet er ikke holdt ennå."))
    protocol = meeting.protocols.exclude(status=Protocol.Status.APPROVED).first()
    if protocol is None:
        if meeting.status == Meeting.Status.PROTOCOL_APPROVED:
            raise ValidationError(_("Protokollen er godkjent. Lag en ny versjon for å endre den."))
        protocol = Protocol(meeting=meeting, version=_next_version(meeting))
    if protocol.status == Protocol.Status.SENT:
        raise ValidationError(_("Protokollen er allerede sendt til godkjenning."))
    with acting_as(by):
        protocol.snapshot = protocol_snapshot(meeting)
        protocol.status = Protocol.Status.SENT
        protocol.sent_at = timezone.now()
        protocol.correction_requested_at = protocol.correction_requested_by = None
        protocol.correction_comment = ""
        protocol.save()
    notices.notify_to_confirm(protocol, by=by)
    return protocol


@transaction.atomic
def request_correction(*, meeting: Meeting, comment: str, by: User) -> Protocol:
    """A representative present asks for a correction instead of confirming: the protocol goes
    back to draft (its confirmations go), and the leader is told what to correct."""
    meeting = _lock(meeting)
    protocol = meeting.protocols.filter(status=Protocol.Status.SENT).first()
    if protocol is None:
        raise ValidationError(_("Det er ingen protokoll til godkjenning."))
    if not meeting.participants.filter(user=by, present=True).exists():
        raise ValidationError(
            _("Bare de som var til stede i møtet, kan be om retting av protokollen.")
        )
    if not comment.strip():
        raise ValidationError({"comment": _("Skriv hva som bør rettes.")})
    with acting_as(by):
        protocol.confirmations.all().delete()
        protocol.status = Protocol.Status.DRAFT
        protocol.snapshot = None
        protocol.sent_at = None
        protocol.correction_requested_at = timezone.now()
        protocol.correction_requested_by = by
        protocol.correction_comment = comment.strip()
        protocol.save()
    notices.notify_correction(protocol, by=by)
    return protocol


def _next_version(meeting: Meeting) -> int:
    latest = meeting.protocols.order_by("-version").first()
    return latest.version + 1 if latest else 1


@transaction.atomic
def reopen(*, meeting: Meeting, by: User) -> Protocol:
    """Take a protocol back from approval (its confirmations go), or start the next version of
    an approved one: never an edit in place."""
    meeting = _lock(meeting)
    open_protocol = meeting.protocols.exclude(status=Protocol.Status.APPROVED).first()
    with acting_as(by):
        if open_protocol is not None:
            open_protocol.confirmations.all().delete()
            open_protocol.status = Protocol.Status.DRAFT
            open_protocol.snapshot = None
            open_protocol.sent_at = None
            open_protocol.save()
            return open_protocol
        if meeting.status != Meeting.Status.PROTOCOL_APPROVED:
            raise ValidationError(_("Møtet har ingen protokoll å åpne."))
        meeting.status = Meeting.Status.HELD
        meeting.save()
        return Protocol.objects.create(meeting=meeting, version=_next_version(meeting))


def sides_present(meeting: Meeting) -> set[str]:
    return set(meeting.participants.filter(present=True).values_list("side", flat=True))


@transaction.atomic
def confirm(*, meeting: Meeting, by: User) -> Protocol:
    """A representative present confirms the protocol for their side. When every side present
    has confirmed, it is approved: its PDF is stored and e-mailed to the participants."""
    meeting = _lock(meeting)
    protocol = meeting.protocols.filter(status=Protocol.Status.SENT).first()
    if protocol is None:
        raise ValidationError(_("Det er ingen protokoll til godkjenning."))
    participant = meeting.participants.filter(user=by, present=True).first()
    if participant is None:
        raise ValidationError(_("Bare de som var til stede i møtet, kan bekrefte protokollen."))
    if protocol.confirmations.filter(user=by).exists():
        raise ValidationError(_("Du har allerede bekreftet protokollen."))
    with acting_as(by):
        Confirmation.objects.create(protocol=protocol, user=by, side=participant.side)
        confirmed = set(protocol.confirmations.values_list("side", flat=True))
        if sides_present(meeting) <= confirmed:
            _approve(meeting, protocol, by)
    return protocol


def _approve(meeting: Meeting, protocol: Protocol, by: User) -> None:
    protocol.status = Protocol.Status.APPROVED
    protocol.approved_at = timezone.now()
    protocol.save()
    meeting.status = Meeting.Status.PROTOCOL_APPROVED
    meeting.save()
    # Mailed with its PDF; the PDF stored after the commit (the mail stores it if it goes first).
    notices.queue_protocol(protocol, by=by)
    after_commit(ensure_protocol_pdf, protocol.pk)


# --- Questions ----------------------------------------------------------------------------------


@transaction.atomic
def ask(*, question: Question, by: User) -> Question:
    Project.objects.select_for_update().get(pk=question.project_id)
    if question.workstream and question.workstream.project_id != question.project_id:
        raise ValidationError({"workstream": _("Velg en arbeidsstrøm i dette prosjektet.")})
    question.asked_by = by
    question.asked_on = question.asked_on or timezone.localdate()
    question.full_clean()
    with acting_as(by):
        question.save()
    return question


@transaction.atomic
def answer(
    *, question: Question, text: str, by: User, answered_at: dt.datetime | None = None
) -> Question:
    """Answer once; the answer is published to every workstream (list and e-mail digest).
    `answered_at`: when it was answered, for an answer given before it was recorded here."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.answered_at is not None:
        raise ValidationError({"answer": _("Spørsmålet er allerede besvart.")})
    if not text.strip():
        raise ValidationError({"answer": _("Skriv et svar.")})
    with acting_as(by):
        question.answer = text.strip()
        question.answered_by = by
        question.answered_at = answered_at or timezone.now()
        question.full_clean()
        question.save()
    notices.queue_answer(question, by=by)
    return question


# --- Placements: consulted in a meeting, decided through the gate ------------------------------


def consulted_in(item: AgendaItem) -> str:
    """Where an agenda item was consulted on, as a placement records it."""
    meeting = item.meeting
    day = timezone.localdate(meeting.starts_at)
    return _("%(kind)s «%(title)s» %(date)s, sak %(n)s") % {
        "kind": meeting.get_kind_display(),
        "title": meeting.title,
        "date": day.strftime("%d.%m.%Y"),
        "n": item.order,
    }


@transaction.atomic
def mark_placements_consulted(*, item: AgendaItem, by: User) -> list[Placement]:
    """The placements an agenda item concerns were consulted on in its meeting (once held): each
    one proposed becomes "drøftet", with the meeting and item it was consulted in."""
    meeting = _lock(item.meeting)
    if meeting.status not in (Meeting.Status.HELD, Meeting.Status.PROTOCOL_APPROVED):
        raise ValidationError(_("Møtet er ikke holdt ennå."))
    item = AgendaItem.objects.select_related("meeting").get(pk=item.pk)
    where = consulted_in(item)
    moved = []
    for placement in item.placements.filter(status=Placement.Status.PROPOSED):
        moved.append(
            role_services.set_placement_status(
                placement=placement,
                status=Placement.Status.CONSULTED,
                consulted_in=where,
                by=by,
            )
        )
    if not moved:
        raise ValidationError(_("Saken gjelder ingen foreslåtte innplasseringer."))
    return moved


@transaction.atomic
def decide_placement(
    *,
    placement: Placement,
    by: User,
    decided_on: dt.date | None = None,
    no_protocol_reason: str = "",
) -> Placement:
    """Decide a placement, through the consultation gate: without an approved protocol from a
    meeting where it was on the agenda, it needs a reason (refused in strict mode), which the
    union and safety representatives are sent, naming the position, never the employee."""
    project = (
        Project.objects.select_for_update()
        .select_related("organisation")
        .get(pk=placement.employee.project_id)
    )
    reason = gate.check(gate.for_placement(placement), project=project, reason=no_protocol_reason)
    placement = role_services.set_placement_status(
        placement=placement,
        status=Placement.Status.DECIDED,
        on=decided_on,
        no_protocol_reason=reason,
        by=by,
    )
    if reason:
        gate.tell_representatives(
            project=project,
            what=str(
                _("Innplassering i stillingen %(position)s")
                % {"position": placement.position.title}
            ),
            reason=reason,
            url=site_url("roles:staffing", project.pk),
            by=by,
            ref=f"placement:{placement.pk}",
        )
    return placement


# --- Attachments --------------------------------------------------------------------------------


@transaction.atomic
def add_attachment(
    *,
    project: Project,
    file: UploadedFile,
    title: str = "",
    meeting: Meeting | None = None,
    item: AgendaItem | None = None,
    by: User,
) -> Attachment:
    """A PDF, Word or Excel file on the project, on a meeting or on one of its agenda items. Its
    kind is read from its content (core.files.document_kind), its size is limited by
    settings.ATTACHMENT_MAX_BYTES; it is stored through the "attachments" storage. A meeting's
    attachments are named in its notice: a notice already sent is sent again by the leader."""
    Project.objects.select_for_update().get(pk=project.pk)
    if item is not None:
        meeting = item.meeting
    if meeting is not None:
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.project_id != project.pk:
            raise ValidationError(_("Møtet hører ikke til dette prosjektet."))
        _not_cancelled(meeting)
        _not_approved(meeting)  # its documents are settled with its protocol
    try:
        kind = document_kind(file, max_bytes=settings.ATTACHMENT_MAX_BYTES)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    filename = os.path.basename(file.name or "")[:200] or f"vedlegg{kind.extension}"
    attachment = Attachment(
        project=project,
        meeting=meeting,
        item=item,
        title=(title or "").strip() or os.path.splitext(filename)[0],
        filename=filename,
        kind=kind.key,
        size=file.size or 0,
        sha256=sha256_of(file),
        uploaded_by=by,
    )
    attachment.full_clean(exclude=["file"])
    # Checked before the file is written: a refusal leaves nothing in the storage. (Django has
    # no hook for a rollback; a file whose row is then not saved is unreachable, never served.)
    attachment.file.save(filename, file, save=False)
    with acting_as(by):
        attachment.save()
    return attachment


@transaction.atomic
def remove_attachment(*, attachment: Attachment, by: User) -> None:
    """Take an attachment away (not from a meeting whose protocol is approved). Its history (who
    added it, who removed it, when) is kept; the file is deleted from the storage after the
    commit."""
    Project.objects.select_for_update().get(pk=attachment.project_id)
    if attachment.meeting_id is not None:
        meeting = Meeting.objects.select_for_update().get(pk=attachment.meeting_id)
        _not_approved(meeting)
    name = attachment.file.name
    with acting_as(by):
        attachment.delete()
    storage = attachment_storage()
    transaction.on_commit(lambda: storage.delete(name) if name else None)
