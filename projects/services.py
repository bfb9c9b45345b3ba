"""Every write to the projects app that is more than one save(). Each runs in a transaction,
checks its rules and leaves history (simple-history records the request's user, or the user
given to core.history.acting_as)."""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from core.history import acting_as
from notifications.services import cancel_notices

from . import benefits
from .models import (
    BENEFIT_FIELDS,
    MAX_GOALS,
    Benefit,
    BenefitMeasurement,
    GateCriterion,
    GateSubmission,
    Goal,
    Lesson,
    MandateSubmission,
    MandateVersion,
    Membership,
    Organisation,
    Phase,
    Project,
    ProjectUserObjectPermission,
    Risk,
    SolutionOption,
    Workstream,
)
from .notices import members_with, notify_members, site_url
from .permissions import VIEW, permissions_for_roles

Role = Membership.Role

MIN_OPTIONS, MAX_OPTIONS = 2, 4


def _reason(message: str | Promise, **params: object) -> str:
    """A change-log entry is stored in the product's own language (Bokmål), whatever the editor's
    language, and translated when it is shown."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(message)
    return text % params if params else text


# --- Projects and members ------------------------------------------------------------------


@transaction.atomic
def create_project(
    *,
    organisation: Organisation,
    name: str,
    code: str,
    owner: User,
    leader: User,
    start_date: dt.date,
    by: User,
    **fields: Any,
) -> Project:
    with acting_as(by):
        project = Project(
            organisation=organisation,
            name=name,
            code=code,
            owner=owner,
            leader=leader,
            start_date=start_date,
            **fields,
        )
        project.full_clean()
        project._change_reason = _reason(gettext_noop("Prosjektet opprettet"))
        project.save()
        add_member(project=project, user=owner, role=Membership.Role.OWNER, by=by)
        add_member(project=project, user=leader, role=Membership.Role.LEADER, by=by)
    return project


def _check_may_change_role(project: Project, role: str, by: User) -> None:
    """Who is project owner is the owner's decision: a leader may manage members, but may not make
    anyone (themselves included) owner, nor remove an owner."""
    if role != Membership.Role.OWNER:
        return
    owners = Membership.objects.filter(project=project, role=Membership.Role.OWNER)
    if owners.exists() and not owners.filter(user=by).exists():
        raise ValidationError(
            {"role": _("Bare prosjekteieren kan endre hvem som er prosjekteier.")}
        )


def _sync_owner_and_leader(project: Project) -> None:
    """Project.owner and Project.leader name the first member holding each role, so that the
    mandate always names someone who has the role."""
    changed = []
    for field, role in (("owner", Membership.Role.OWNER), ("leader", Membership.Role.LEADER)):
        first = (
            Membership.objects.filter(project=project, role=role)
            .order_by("created_at", "pk")
            .first()
        )
        if first and getattr(project, f"{field}_id") != first.user_id:
            setattr(project, field, first.user)
            changed.append(field)
    if changed:
        _mark_mandate_changed(project, gettext_noop("Medlemmer"), fields=changed)


@transaction.atomic
def add_member(
    *, project: Project, user: User, role: str, by: User, union_name: str = ""
) -> Membership:
    # One change to a project's members at a time: a double submit gets a clear message, not an
    # IntegrityError.
    project = Project.objects.select_for_update().select_related("organisation").get(pk=project.pk)
    if not project.organisation.members.filter(pk=user.pk).exists():
        raise ValidationError(
            {
                "user": _("Brukeren tilhører ikke organisasjonen %(org)s.")
                % {"org": project.organisation}
            }
        )
    if Membership.objects.filter(project=project, user=user, role=role).exists():
        raise ValidationError({"role": _("Brukeren har allerede denne rollen i prosjektet.")})
    _check_may_change_role(project, role, by)
    with acting_as(by):
        membership = Membership(project=project, user=user, role=role, union_name=union_name)
        membership.full_clean()
        membership.save()
        sync_permissions(project=project, user=user)
        _sync_owner_and_leader(project)
    _tell_member(project, user, by=by)
    return membership


def _tell_member(project: Project, user: User, *, by: User) -> None:
    """A member is told their roles in the project when they change (not when they change them
    themselves)."""
    if user.pk == by.pk:
        return
    roles = [
        str(m.get_role_display()) for m in Membership.objects.filter(project=project, user=user)
    ]
    grant = Membership.objects.filter(project=project, user=user, sees_personal_data=True)
    notify_members(
        [user],
        "projects/email/member_roles",
        {"roles": roles, "sees_personal_data": grant.exists(), "changed_by": by},
        kind="member.roles",
        project=project,
        url=site_url("reports:overview", project.pk),
        sender=by,
        ref=f"project:{project.pk}",
    )


@transaction.atomic
def remove_member(*, membership: Membership, by: User) -> None:
    project = Project.objects.select_for_update().get(pk=membership.project_id)
    if membership.role in (Membership.Role.OWNER, Membership.Role.LEADER):
        others = Membership.objects.filter(project=project, role=membership.role).exclude(
            pk=membership.pk
        )
        if not others.exists():
            raise ValidationError(
                _("Prosjektet må ha minst én %(role)s.")
                % {"role": membership.get_role_display().lower()}
            )
    try:
        _check_may_change_role(project, membership.role, by)
    except ValidationError as error:
        raise ValidationError(error.message_dict["role"]) from None
    with acting_as(by):
        membership.delete()
        sync_permissions(project=project, user=membership.user)
        _sync_owner_and_leader(project)
    remaining = set(
        Membership.objects.filter(project=project, user=membership.user).values_list(
            "role", flat=True
        )
    )
    if remaining:
        cancel_notices(user=membership.user, project_id=project.pk, roles=remaining)
        _tell_member(project, membership.user, by=by)


@transaction.atomic
def set_personal_data_access(
    *,
    membership: Membership,
    grant: bool,
    by: User,
    purpose: str = "",
    until: dt.date | None = None,
) -> Membership:
    """The project grants (or withdraws) a member's insight into personal data, e.g. a union
    representative who is to consult on the placements: for a purpose, until a day (it ends by
    itself then: roles.privacy). Their roles' own rights are unchanged. The access log records
    the grant (roles.services.grant_insight, which calls this)."""
    Project.objects.select_for_update().get(pk=membership.project_id)
    membership = Membership.objects.select_related("project", "user").get(pk=membership.pk)
    if grant:
        errors = {}
        if not purpose.strip():
            errors["purpose"] = _("Skriv hva innsynet skal brukes til.")
        if until is None:
            errors["until"] = _("Innsyn gis til en bestemt dato.")
        elif until < timezone.localdate():
            errors["until"] = _("Datoen har vært.")
        if errors:
            raise ValidationError(errors)
    if membership.sees_personal_data == grant and not grant:
        return membership
    with acting_as(by):
        membership.sees_personal_data = grant
        membership.insight_purpose = purpose.strip() if grant else ""
        membership.insight_until = until if grant else None
        membership.insight_granted_by = by if grant else None
        membership._change_reason = _reason(
            gettext_noop("Innsyn i personopplysninger gitt")
            if grant
            else gettext_noop("Innsyn i personopplysninger trukket")
        )
        membership.save(
            update_fields=[
                "sees_personal_data", "insight_purpose", "insight_until", "insight_granted_by"
            ]
        )  # fmt: skip
        sync_permissions(project=membership.project, user=membership.user)
    _tell_member(membership.project, membership.user, by=by)
    return membership


def sync_permissions(*, project: Project, user: User) -> None:
    """Make the user's guardian permissions on the project exactly those their roles give."""
    from django.contrib.auth.models import Permission

    memberships = list(
        Membership.objects.filter(project=project, user=user).values_list(
            "role", "sees_personal_data"
        )
    )
    wanted = permissions_for_roles(
        [role for role, _grant in memberships],
        sees_personal_data=any(grant for _role, grant in memberships),
    )
    existing = dict(
        ProjectUserObjectPermission.objects.filter(user=user, content_object=project).values_list(
            "permission__codename", "pk"
        )
    )
    stale = [pk for codename, pk in existing.items() if codename not in wanted]
    if stale:
        ProjectUserObjectPermission.objects.filter(pk__in=stale).delete()
    if VIEW in existing and VIEW not in wanted:
        cancel_notices(user=user, project_id=project.pk)
    missing = wanted - existing.keys()
    if missing:
        permissions = Permission.objects.filter(
            content_type__app_label="projects",
            content_type__model="project",
            codename__in=missing,
        )
        ProjectUserObjectPermission.objects.bulk_create(
            [
                ProjectUserObjectPermission(user=user, content_object=project, permission=p)
                for p in permissions
            ]
        )


# --- The mandate -------------------------------------------------------------------------------


# Fields of the project that are not part of the mandate: changing them leaves a decided mandate
# decided.
NOT_MANDATE_FIELDS = {"status", "closed_on"}


def _mark_mandate_changed(
    project: Project, reason: str | Promise, fields: Iterable[str] = ()
) -> None:
    # The owner decides what was sent, not something else: a change takes it back.
    _close_submission(project, MandateSubmission.Outcome.WITHDRAWN, by=None, comment="")
    project.mandate_state = Project.MandateState.DRAFT
    project._change_reason = _reason(reason)
    project.full_clean()
    project.save(update_fields=[*fields, "mandate_state", "updated_at"])


def _close_submission(
    project: Project, outcome: str, *, by: User | None, comment: str
) -> MandateSubmission | None:
    submission = (
        MandateSubmission.objects.select_for_update()
        .filter(project=project, outcome=MandateSubmission.Outcome.PENDING)
        .first()
    )
    if submission is not None:
        submission.outcome, submission.comment = outcome, comment
        submission.handled_by, submission.handled_at = by, timezone.now()
        submission.save()
    return submission


@transaction.atomic
def update_mandate_fields(
    *, project: Project, values: dict[str, Any], section: str | Promise, by: User
) -> Project:
    """Save some of the project's own mandate fields as one change in the change log. Saving what
    is already there changes nothing, and a decided mandate stays decided."""
    changed = [name for name, value in values.items() if getattr(project, name) != value]
    if not changed:
        return project
    with acting_as(by):
        for name in changed:
            setattr(project, name, values[name])
        if "status" in changed:
            # Closed: the retention of its personal data starts (roles.privacy); reopened: not.
            closed = project.status in (Project.Status.COMPLETED, Project.Status.CANCELLED)
            project.closed_on = (project.closed_on or timezone.localdate()) if closed else None
            changed.append("closed_on")
        if set(changed) <= NOT_MANDATE_FIELDS:
            project._change_reason = _reason(section)
            project.full_clean()
            project.save(update_fields=[*changed, "updated_at"])
        else:
            _mark_mandate_changed(project, section, fields=changed)
    return project


@transaction.atomic
def replace_goals(
    *, project: Project, kind: str, texts: list[str], section: str | Promise, by: User
) -> None:
    """Make the project's goals of this kind exactly `texts`, in order. Goals are updated in place
    so that history shows what changed, not a delete and a new list."""
    texts = [t.strip() for t in texts if t.strip()]
    if len(texts) > MAX_GOALS:
        raise ValidationError(
            _("Høyst %(max)s mål i hver liste; slå sammen eller prioriter.") % {"max": MAX_GOALS}
        )
    with acting_as(by):
        current = list(
            Goal.objects.select_for_update().filter(project=project, kind=kind).order_by("order")
        )
        if [g.text for g in current] == texts:
            return
        for goal, text in zip(current, texts, strict=False):
            if goal.text != text:
                goal.text = text
                goal.full_clean()
                goal._change_reason = _reason(section)
                goal.save(update_fields=["text"])
        for order, text in enumerate(texts[len(current) :], start=len(current) + 1):
            goal = Goal(project=project, kind=kind, order=order, text=text)
            goal.full_clean()
            goal._change_reason = _reason(section)
            goal.save()
        for goal in current[len(texts) :]:
            goal._change_reason = _reason(section)
            goal.delete()
        _mark_mandate_changed(project, section)


MAX_BENEFITS_MOVED = 100_000  # above any benefit's order, to move one out of the way


@transaction.atomic
def replace_benefits(
    *, project: Project, rows: list[dict[str, Any]], section: str | Promise, by: User
) -> None:
    """Make the project's benefits exactly `rows` (dicts of BENEFIT_FIELDS), in order. A row
    names the benefit it edits as "id" (the mandate's form does); without ids the rows are the
    benefits in their order. A benefit is matched by its id, never by its place, so that its
    owner, plan and measurements stay with it when another one is removed; one with
    measurements is not removed."""
    rows = [r for r in rows if str(r.get("title", "")).strip()]
    with acting_as(by):
        current = list(
            Benefit.objects.select_for_update().filter(project=project).order_by("order", "pk")
        )
        if [[getattr(b, f) for f in BENEFIT_FIELDS] for b in current] == [
            [row.get(f, "") for f in BENEFIT_FIELDS] for row in rows
        ]:
            return
        if not any("id" in row for row in rows):
            rows = [{**row, "id": b} for row, b in zip(rows, current, strict=False)] + rows[
                len(current) :
            ]
        by_pk = {b.pk: b for b in current}
        matched: list[Benefit | None] = []
        for row in rows:
            named = row.get("id")
            matched.append(by_pk.get(getattr(named, "pk", named)) if named else None)
        kept = {b.pk for b in matched if b is not None}
        gone = [b for b in current if b.pk not in kept]
        measured = BenefitMeasurement.objects.filter(benefit__in=gone).select_related("benefit")
        if measured:
            raise ValidationError(
                _("Gevinsten «%(title)s» har målinger og kan ikke fjernes.")
                % {"title": measured[0].benefit.title}
            )
        for removed in gone:
            removed._change_reason = _reason(section)
            removed.delete()
        # Out of the way of the new order first: (project, order) is unique at every step.
        moved = [b.pk for order, b in enumerate(matched, start=1) if b and b.order != order]
        Benefit.objects.filter(pk__in=moved).update(order=F("order") + MAX_BENEFITS_MOVED)
        for order, (row, existing) in enumerate(zip(rows, matched, strict=True), start=1):
            values = {**{f: row.get(f, "") for f in BENEFIT_FIELDS}, "order": order}
            if existing is None:
                benefit = Benefit(project=project, **values)
            elif all(getattr(existing, f) == v for f, v in values.items()):
                continue
            else:
                benefit = existing
                for f, v in values.items():
                    setattr(benefit, f, v)
            benefit.full_clean()
            benefit._change_reason = _reason(section)
            benefit.save()
        _mark_mandate_changed(project, section)


def _locked(project: Project) -> Project:
    return (
        Project.objects.select_for_update()
        .select_related("organisation", "owner", "leader")
        .get(pk=project.pk)
    )


@transaction.atomic
def submit_mandate(*, project: Project, message: str, by: User) -> MandateSubmission:
    """The leader sends the mandate as it stands to the owner for decision; the owner is told."""
    project = _locked(project)
    if project.mandate_state == Project.MandateState.SUBMITTED:
        raise ValidationError(_("Mandatet er allerede sendt til beslutning."))
    if project.mandate_state == Project.MandateState.DECIDED:
        raise ValidationError(_("Mandatet er besluttet og ikke endret siden."))
    with acting_as(by):
        submission = MandateSubmission(
            project=project, message=message.strip(), sent_by=by, sent_at=timezone.now()
        )
        submission.full_clean()
        submission.save()
        project.mandate_state = Project.MandateState.SUBMITTED
        project._change_reason = _reason(gettext_noop("Mandatet sendt til beslutning"))
        project.save(update_fields=["mandate_state", "updated_at"])
    notify_members(
        members_with(project, Role.OWNER),
        "projects/email/mandate_submitted",
        {"submission": submission, "sent_by": by},
        kind="mandate.submitted",
        project=project,
        url=site_url("reports:mandate", project.pk),
        sender=by,
        ref=f"mandatesubmission:{submission.pk}",
    )
    return submission


@transaction.atomic
def return_mandate(*, project: Project, comment: str, by: User) -> MandateSubmission:
    """The owner sends the mandate back to the leader with a comment, undecided."""
    project = _locked(project)
    if not comment.strip():
        raise ValidationError({"comment": _("Skriv hva som må endres før mandatet kan besluttes.")})
    if project.mandate_state != Project.MandateState.SUBMITTED:
        raise ValidationError(_("Mandatet er ikke sendt til beslutning."))
    with acting_as(by):
        submission = _close_submission(
            project, MandateSubmission.Outcome.RETURNED, by=by, comment=comment.strip()
        )
        assert submission is not None  # SUBMITTED has its pending submission
        project.mandate_state = Project.MandateState.DRAFT
        project._change_reason = _reason(gettext_noop("Mandatet sendt tilbake til prosjektlederen"))
        project.save(update_fields=["mandate_state", "updated_at"])
    notify_members(
        [*members_with(project, Role.LEADER), submission.sent_by],
        "projects/email/mandate_returned",
        {"submission": submission, "owner": by},
        kind="mandate.returned",
        project=project,
        url=site_url("reports:mandate", project.pk),
        sender=by,
        ref=f"mandatesubmission:{submission.pk}",
    )
    return submission


@transaction.atomic
def decide_mandate(
    *,
    project: Project,
    snapshot: dict,
    by: User,
    decided_on: dt.date | None = None,
    comment: str = "",
    no_protocol_reason: str = "",
) -> MandateVersion:
    """The owner decides the mandate: `snapshot` (reports.mandate.mandate_snapshot, taken under
    the project's lock) is frozen as the next numbered version, with the decision's date and
    comment (and, decided before the consultation had an approved protocol, why). The first
    decision makes a draft project active: its status reports start. The caller checks the
    consultation (reports.services.decide_mandate) and queues the PDF."""
    project = _locked(project)
    if project.mandate_state == Project.MandateState.DECIDED and project.mandate_versions.exists():
        raise ValidationError(_("Mandatet er allerede besluttet, og det er ikke endret siden."))
    day = decided_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"decided_on": _("Beslutningsdatoen kan ikke være fram i tid.")})
    number = (project.mandate_versions.aggregate(n=Max("number"))["n"] or 0) + 1
    with acting_as(by):
        version = MandateVersion(
            project=project,
            number=number,
            snapshot=snapshot,
            decided_by=by,
            decided_at=timezone.now(),
            decided_on=day,
            comment=comment.strip(),
            no_protocol_reason=no_protocol_reason.strip(),
        )
        version.full_clean()
        version.save()
        _close_submission(project, MandateSubmission.Outcome.DECIDED, by=by, comment=comment)
        project.mandate_state = Project.MandateState.DECIDED
        project.mandate_version = number
        fields = ["mandate_state", "mandate_version", "updated_at"]
        if number == 1 and project.status == Project.Status.DRAFT:
            project.status = Project.Status.ACTIVE
            fields.append("status")
        project._change_reason = _reason(
            gettext_noop("Mandatet besluttet (versjon %(n)s)"), n=number
        )
        project.save(update_fields=fields)
    return version


# --- Phases, workstreams and solution options ---------------------------------------------------


def _plan_changed(project_id: int, reason: str) -> None:
    """Phases and workstreams are part of the mandate: changing them makes a new draft."""
    project = Project.objects.select_for_update().get(pk=project_id)
    _mark_mandate_changed(project, reason)


@transaction.atomic
def save_phase(*, phase: Phase, by: User) -> Phase:
    Project.objects.select_for_update().filter(pk=phase.project_id).first()
    if phase.pk:
        # The state changes only through the gate's services: a phase edited while its gate
        # was decided keeps the state the gate gave it (read under the project's lock).
        phase.state = Phase.objects.values_list("state", flat=True).get(pk=phase.pk)
    with acting_as(by):
        phase.full_clean()
        phase._change_reason = _reason(gettext_noop("Faser"))
        phase.save()
        _plan_changed(phase.project_id, gettext_noop("Faser"))
    return phase


@transaction.atomic
def delete_phase(*, phase: Phase, by: User) -> None:
    Project.objects.select_for_update().filter(pk=phase.project_id).first()
    if GateSubmission.objects.filter(phase=phase).exists():
        raise ValidationError(
            _("Fasen har vært til beslutning hos prosjekteieren og kan ikke slettes.")
        )
    with acting_as(by):
        phase._change_reason = _reason(gettext_noop("Faser"))
        phase.delete()
        _plan_changed(phase.project_id, gettext_noop("Faser"))


# --- Phase gates -----------------------------------------------------------------------------------
#
# A phase is not started, in progress, at its gate (submitted to the owner) or approved. Its
# criteria are kept and ticked by those who plan (CHANGE_PLAN) while it is not at its gate; the
# leader submits the gate when every criterion is ticked; the owner approves it (the next phase
# starts: reports.services.approve_gate, which applies the consultation gate) or sends it back.
# None of this is part of the mandate: the mandate stays as decided.

State = Phase.State


def _locked_phase(phase: Phase) -> tuple[Project, Phase]:
    """The project and the phase, locked in that order (as every service locks the project
    first), the phase read again."""
    project = (
        Project.objects.select_for_update()
        .select_related("organisation", "owner", "leader")
        .get(pk=phase.project_id)
    )
    return project, Phase.objects.select_for_update().get(pk=phase.pk, project=project)


def _check_checklist_open(phase: Phase) -> None:
    if phase.state == State.AT_GATE:
        raise ValidationError(
            _(
                "Faseovergangen er sendt til prosjekteieren. Sjekklisten kan ikke endres før den "
                "er godkjent eller sendt tilbake."
            )
        )
    if phase.state == State.APPROVED:
        raise ValidationError(_("Faseovergangen er godkjent, og sjekklisten kan ikke endres."))


@transaction.atomic
def save_criterion(*, criterion: GateCriterion, by: User) -> GateCriterion:
    """A new or changed criterion of a phase's gate, while the checklist is open. A changed text
    is a new criterion: its tick is taken away."""
    _project, phase = _locked_phase(criterion.phase)
    _check_checklist_open(phase)
    if criterion.pk:
        current = GateCriterion.objects.select_for_update().get(pk=criterion.pk, phase=phase)
        if current.text != criterion.text:
            criterion.ticked_by, criterion.ticked_at = None, None
    criterion.full_clean()
    with acting_as(by):
        criterion._change_reason = _reason(gettext_noop("Sjekkliste for faseovergang"))
        criterion.save()
    return criterion


@transaction.atomic
def delete_criterion(*, criterion: GateCriterion, by: User) -> None:
    _project, phase = _locked_phase(criterion.phase)
    _check_checklist_open(phase)
    with acting_as(by):
        criterion._change_reason = _reason(gettext_noop("Sjekkliste for faseovergang"))
        criterion.delete()


@transaction.atomic
def tick_criterion(
    *, criterion: GateCriterion, ticked: bool, by: User, note: str | None = None
) -> GateCriterion:
    """Tick a criterion as met (who and when are recorded) or take the tick away; `note` (when
    given) says how it was met. Ticking a ticked one again keeps the first tick."""
    _project, phase = _locked_phase(criterion.phase)
    _check_checklist_open(phase)
    criterion = GateCriterion.objects.select_for_update().get(pk=criterion.pk, phase=phase)
    changed = []
    if ticked and not criterion.is_ticked:
        criterion.ticked_by, criterion.ticked_at = by, timezone.now()
        changed += ["ticked_by", "ticked_at"]
    elif not ticked and criterion.is_ticked:
        criterion.ticked_by, criterion.ticked_at = None, None
        changed += ["ticked_by", "ticked_at"]
    if note is not None and note.strip() != criterion.note:
        criterion.note = note.strip()
        changed.append("note")
    if not changed:
        return criterion
    criterion.full_clean()
    with acting_as(by):
        criterion._change_reason = _reason(
            gettext_noop("Kriterium oppfylt") if ticked else gettext_noop("Kriterium ikke oppfylt")
        )
        criterion.save(update_fields=changed)
    return criterion


def _set_state(phase: Phase, state: str, reason: str) -> None:
    phase.state = state
    phase._change_reason = _reason(reason)
    phase.save(update_fields=["state"])


@transaction.atomic
def start_phase(*, phase: Phase, by: User) -> Phase:
    """The leader starts a phase that has not started: the first (the next ones start by
    themselves when the gate before them is approved), or one that runs alongside."""
    _project, phase = _locked_phase(phase)
    if phase.state != State.NOT_STARTED:
        raise ValidationError(_("Fasen er allerede startet."))
    with acting_as(by):
        _set_state(phase, State.IN_PROGRESS, gettext_noop("Fasen er startet"))
    return phase


def missing_criteria(phase: Phase) -> list[GateCriterion]:
    return list(phase.criteria.filter(ticked_at__isnull=True))


@transaction.atomic
def submit_gate(*, phase: Phase, message: str, by: User) -> GateSubmission:
    """The leader submits the phase's gate to the owner, with a message, when every criterion of
    its checklist is ticked; the owner is told."""
    project, phase = _locked_phase(phase)
    if phase.state == State.AT_GATE:
        raise ValidationError(_("Faseovergangen er allerede sendt til beslutning."))
    if phase.state == State.APPROVED:
        raise ValidationError(_("Faseovergangen er allerede godkjent."))
    if phase.state == State.NOT_STARTED:
        raise ValidationError(_("Fasen er ikke startet."))
    if not phase.criteria.exists():
        raise ValidationError(
            _("Fasen har ingen kriterier. Skriv hva som må være på plass før neste fase.")
        )
    missing = missing_criteria(phase)
    if missing:
        raise ValidationError(
            _("Alle kriteriene må være oppfylt før faseovergangen sendes. Mangler: %(list)s.")
            % {"list": "; ".join(c.text for c in missing)}
        )
    with acting_as(by):
        submission = GateSubmission(
            phase=phase, message=message.strip(), sent_by=by, sent_at=timezone.now()
        )
        submission.full_clean()
        submission.save()
        _set_state(phase, State.AT_GATE, gettext_noop("Faseovergangen sendt til beslutning"))
    notify_members(
        members_with(project, Role.OWNER),
        "projects/email/gate_submitted",
        {"submission": submission, "phase": phase, "sent_by": by},
        kind="gate.submitted",
        project=project,
        url=site_url("reports:phase_gate", project.pk, phase.pk),
        sender=by,
        ref=f"gatesubmission:{submission.pk}",
    )
    return submission


def _pending(phase: Phase) -> GateSubmission:
    submission = (
        GateSubmission.objects.select_for_update()
        .select_related("sent_by")
        .filter(phase=phase, outcome=GateSubmission.Outcome.PENDING)
        .first()
    )
    if phase.state != State.AT_GATE or submission is None:
        raise ValidationError(_("Faseovergangen er ikke sendt til beslutning."))
    return submission


@transaction.atomic
def return_gate(*, phase: Phase, comment: str, by: User) -> GateSubmission:
    """The owner sends the gate back to the leader with a comment: the phase goes on."""
    project, phase = _locked_phase(phase)
    if not comment.strip():
        raise ValidationError(
            {"comment": _("Skriv hva som må på plass før faseovergangen kan godkjennes.")}
        )
    submission = _pending(phase)
    with acting_as(by):
        submission.outcome, submission.comment = GateSubmission.Outcome.RETURNED, comment.strip()
        submission.handled_by, submission.handled_at = by, timezone.now()
        submission.save()
        _set_state(
            phase,
            State.IN_PROGRESS,
            gettext_noop("Faseovergangen sendt tilbake til prosjektlederen"),
        )
    notify_members(
        [*members_with(project, Role.LEADER), submission.sent_by],
        "projects/email/gate_returned",
        {"submission": submission, "phase": phase, "owner": by},
        kind="gate.returned",
        project=project,
        url=site_url("reports:phase_gate", project.pk, phase.pk),
        sender=by,
        ref=f"gatesubmission:{submission.pk}",
    )
    return submission


@transaction.atomic
def approve_gate(
    *,
    phase: Phase,
    by: User,
    decided_on: dt.date | None = None,
    comment: str = "",
    no_protocol_reason: str = "",
) -> GateSubmission:
    """The owner approves the gate with the decision's date and comment (and, approved before the
    consultation had an approved protocol, why): the phase is approved and the next one starts.
    The caller checks the consultation and tells the people (reports.services.approve_gate)."""
    project, phase = _locked_phase(phase)
    submission = _pending(phase)
    day = decided_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"decided_on": _("Beslutningsdatoen kan ikke være fram i tid.")})
    with acting_as(by):
        submission.outcome = GateSubmission.Outcome.APPROVED
        submission.handled_by, submission.handled_at = by, timezone.now()
        submission.decided_on, submission.comment = day, comment.strip()
        submission.no_protocol_reason = no_protocol_reason.strip()
        submission.full_clean()
        submission.save()
        _set_state(phase, State.APPROVED, gettext_noop("Faseovergangen godkjent"))
        following = (
            Phase.objects.select_for_update()
            .filter(project=project, state=State.NOT_STARTED)
            .exclude(pk=phase.pk)
            .filter(Q(order__gt=phase.order) | Q(order=phase.order, pk__gt=phase.pk))
            .order_by("order", "start_date", "pk")
            .first()
        )
        if following is not None:
            _set_state(following, State.IN_PROGRESS, gettext_noop("Fasen er startet"))
    return submission


def check_ready_for_decision(options: Sequence[SolutionOption]) -> None:
    """The rule of seed 001 section 5.1: 2 to 4 solution options, exactly one the 0-alternative."""
    count = len(options)
    zero = sum(1 for o in options if o.is_zero_alternative)
    errors = []
    if not MIN_OPTIONS <= count <= MAX_OPTIONS:
        errors.append(
            _(
                "En arbeidsstrøm må ha minst %(min)s og høyst %(max)s løsningsforslag før den er klar "
                "til beslutning. Den har %(count)s."
            )
            % {"min": MIN_OPTIONS, "max": MAX_OPTIONS, "count": count}
        )
    if zero != 1:
        errors.append(
            _(
                "Nøyaktig ett av løsningsforslagene må være 0-alternativet (å beholde dagens løsning). "
                "Nå er %(zero)s merket slik."
            )
            % {"zero": zero}
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_workstream(
    *, workstream: Workstream, members: Iterable[User] | None = None, by: User
) -> Workstream:
    with acting_as(by):
        if workstream.pk:
            locked = Workstream.objects.select_for_update().get(pk=workstream.pk)
            if workstream.status == Workstream.Status.READY:
                check_ready_for_decision(list(locked.options.all()))
        elif workstream.status == Workstream.Status.READY:
            check_ready_for_decision([])
        workstream.full_clean()
        workstream._change_reason = _reason(gettext_noop("Arbeidsstrømmer"))
        workstream.save()
        if members is not None:
            workstream.members.set(members)
        _plan_changed(workstream.project_id, gettext_noop("Arbeidsstrømmer"))
    return workstream


@transaction.atomic
def save_option(*, option: SolutionOption, by: User) -> SolutionOption:
    workstream = Workstream.objects.select_for_update().get(pk=option.workstream_id)
    with acting_as(by):
        option.full_clean()
        option._change_reason = _reason(gettext_noop("Løsningsforslag"))
        option.save()
        _recheck_ready(workstream)
        _plan_changed(workstream.project_id, gettext_noop("Løsningsforslag"))
    return option


@transaction.atomic
def delete_option(*, option: SolutionOption, by: User) -> None:
    workstream = Workstream.objects.select_for_update().get(pk=option.workstream_id)
    with acting_as(by):
        option._change_reason = _reason(gettext_noop("Løsningsforslag"))
        option.delete()
        _recheck_ready(workstream)
        _plan_changed(workstream.project_id, gettext_noop("Løsningsforslag"))


def _recheck_ready(workstream: Workstream) -> None:
    # A workstream marked ready must stay valid: a change that breaks the rule is refused, and
    # the transaction rolls it back.
    if workstream.status == Workstream.Status.READY:
        check_ready_for_decision(list(workstream.options.all()))


# --- The risk register ----------------------------------------------------------------------------


@transaction.atomic
def save_risk(*, risk: Risk, by: User) -> Risk:
    """A risk of the project's register; its owner must be a member of the project."""
    Project.objects.select_for_update().get(pk=risk.project_id)
    if (
        risk.owner_id
        and not Membership.objects.filter(
            project_id=risk.project_id, user_id=risk.owner_id
        ).exists()
    ):
        raise ValidationError({"owner": _("Risikoeieren må være medlem av prosjektet.")})
    risk.full_clean()
    with acting_as(by):
        risk.save()
    return risk


@transaction.atomic
def delete_risk(*, risk: Risk, by: User) -> None:
    with acting_as(by):
        risk.delete()


# --- Benefit measurements -------------------------------------------------------------------------


def _next_measurement(benefit: Benefit) -> dt.date | None:
    latest = (
        BenefitMeasurement.objects.filter(benefit=benefit)
        .order_by("-measured_on")
        .values_list("measured_on", flat=True)
        .first()
    )
    planned = benefits.occasions(
        benefit.measure_from, benefit.measure_every_months, benefit.measure_until
    )
    return benefits.next_due(planned, latest)


@transaction.atomic
def record_benefit_measurement(*, measurement: BenefitMeasurement, by: User) -> BenefitMeasurement:
    """A measured value of one of the project's benefits, by the benefit's owner or the
    project's leadership, during the project or after it has closed; not in the future. The
    value is read as a number where it is one (for the chart), and the benefit's next planned
    measurement moves on."""
    if measurement.measured_on and measurement.measured_on > timezone.localdate():
        raise ValidationError({"measured_on": _("Datoen kan ikke være fram i tid.")})
    benefit = Benefit.objects.select_for_update().get(pk=measurement.benefit_id)
    measurement.number = benefits.parse_number(measurement.value)
    measurement.recorded_by = by
    measurement.full_clean()
    with acting_as(by):
        measurement.save()
        following = _next_measurement(benefit)
        if following != benefit.next_measurement_on:
            benefit.next_measurement_on = following
            benefit._change_reason = _reason(gettext_noop("Måling registrert"))
            benefit.save(update_fields=["next_measurement_on"])
    return measurement


PLAN_FIELDS = ("owner_user", "measure_from", "measure_every_months", "measure_until")


@transaction.atomic
def set_benefit_plan(
    *,
    benefit: Benefit,
    owner_user: User | None,
    measure_from: dt.date | None,
    measure_every_months: int | None,
    measure_until: dt.date | None,
    by: User,
) -> Benefit:
    """The benefit's owner in the line organisation (who need not be a member, but must belong
    to the project's organisation) and its realisation plan; the next planned measurement
    follows from the plan and the measurements made."""
    current = Benefit.objects.select_for_update().select_related("project").get(pk=benefit.pk)
    if (
        owner_user is not None
        and not owner_user.organisations.filter(pk=current.project.organisation_id).exists()
    ):
        raise ValidationError(
            {"owner_user": _("Gevinsteieren må høre til prosjektets organisasjon.")}
        )
    current.owner_user = owner_user
    current.measure_from = measure_from
    current.measure_every_months = measure_every_months
    current.measure_until = measure_until
    current.full_clean()
    current.next_measurement_on = _next_measurement(current)
    current._change_reason = _reason(gettext_noop("Gevinstrealiseringsplan"))
    with acting_as(by):
        current.save()
    return current


# --- Lessons learned -----------------------------------------------------------------------------


@transaction.atomic
def add_lesson(*, project: Project, category: str, text: str, by: User) -> Lesson:
    """A lesson learned, by a member of the project, during the project or at its close."""
    lesson = Lesson(
        project=project,
        category=category,
        text=text.strip(),
        written_by=by,
        written_at=timezone.now(),
    )
    lesson.full_clean()
    with acting_as(by):
        lesson.save()
    return lesson


# --- Users who leave -----------------------------------------------------------------------------


@transaction.atomic
def pseudonymise_user(*, user: User, by: User) -> User:
    """A user who has left, on request: deactivated, out of every project and organisation, and
    nothing left that names them (name, user name, e-mail, job title). The rows that refer to
    them (history, the access log, decisions) keep pointing to this account, now a pseudonym, so
    no record breaks."""
    user = User.objects.select_for_update().get(pk=user.pk)
    with acting_as(by):
        for membership in Membership.objects.filter(user=user).select_related("project"):
            membership.delete()
            sync_permissions(project=membership.project, user=user)
        for organisation in user.organisations.all():
            organisation.members.remove(user)
    user.username = f"slettet-{user.pk}"
    user.first_name = user.last_name = user.job_title = ""
    user.email = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.daily_digest = False
    user.set_unusable_password()
    user.save()
    # The provider's identity goes too: signing in again would make a new, empty account.
    with acting_as(by):
        user.identities.all().delete()
    return user


@transaction.atomic
def join_organisations_from_claims(*, user: User, claims: dict[str, Any]) -> list[Organisation]:
    """At a sign-in through OpenID Connect: make `user` a member of the organisations that the
    claim OIDC_ORGANISATION_CLAIM names (a value or a list; each an organisation number, or
    translated to one by OIDC_ORGANISATIONS). Values that name no organisation are ignored, and
    no one is taken out of an organisation here (an administrator does that). Recorded in the
    organisation's history as the user's own change. Returns the organisations joined now."""
    claim = settings.OIDC_ORGANISATION_CLAIM
    value = claims.get(claim) if claim else None
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    mapping = settings.OIDC_ORGANISATIONS
    numbers = {str(mapping.get(str(v), v)) for v in values if isinstance(v, str | int)}
    joined = list(
        Organisation.objects.filter(org_number__in=numbers).exclude(members=user).order_by("pk")
    )
    with acting_as(user):
        for organisation in joined:
            organisation.members.add(user)
    return joined
