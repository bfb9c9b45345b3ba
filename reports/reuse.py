"""Reuse (issue 16): a new project copied from another, or started from a template.

Each app reads and writes its own rows (projects.copying, milestones.copying, roles.copying);
this module composes them. `project_snapshot` is what a copy takes, as plain JSON with every date
as days from the project's start; a saved template is that snapshot, frozen; a copy is a start
from the snapshot taken at once. So a copy and a template build the same rows, and every date
moves by the same offset: the new start minus the source's."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from core.history import acting_as
from milestones.copying import build_milestones, milestones_snapshot
from projects import services as project_services
from projects.copying import build_core, core_snapshot, project_fields
from projects.models import Organisation, Project
from roles.copying import build_roles, roles_snapshot

from . import builtin_template
from .models import ProjectTemplate

SNAPSHOT_VERSION = 1


def project_snapshot(project: Project) -> dict[str, Any]:
    """What of the project a copy or a template takes. A fixed number of queries."""
    return {
        "version": SNAPSHOT_VERSION,
        **core_snapshot(project),
        **milestones_snapshot(project),
        **roles_snapshot(project),
    }


def _reason(message: str, **params: object) -> str:
    """Stored in Bokmål (the change log translates it when shown)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(message) % params


@transaction.atomic
def start_project(
    *,
    snapshot: dict[str, Any],
    organisation: Organisation,
    name: str,
    code: str,
    owner: User,
    start_date: dt.date,
    by: User,
    reason: str,
    last_delivery_date: dt.date | None = None,
    owner_title: str | None = None,
) -> Project:
    """A new draft project led by `by`, with the snapshot's rows, every date from `start_date`.
    Its members are those project creation makes (the owner and `by` as leader), nothing else;
    every row's history is its creation, by `by`."""
    fields = project_fields(snapshot, start_date)
    if last_delivery_date is not None:
        fields["last_delivery_date"] = last_delivery_date
    if owner_title:
        fields["owner_title"] = owner_title
    try:
        project = project_services.create_project(
            organisation=organisation,
            name=name,
            code=code,
            owner=owner,
            leader=by,
            start_date=start_date,
            by=by,
            **fields,
        )
        with acting_as(by):
            phases, workstreams = build_core(
                project=project, snapshot=snapshot, by=by, reason=reason
            )
            build_milestones(
                project=project,
                snapshot=snapshot,
                phases=phases,
                workstreams=workstreams,
                by=by,
                reason=reason,
            )
            build_roles(project=project, snapshot=snapshot, by=by, reason=reason)
    except ValidationError as error:
        if "date_out_of_range" in _codes(error):
            raise ValidationError(
                {
                    "start_date": _(
                        "Med denne startdatoen havner datoer i planen utenfor det tillatte: "
                        "%(error)s"
                    )
                    % {"error": " ".join(error.messages)}
                }
            ) from error
        raise
    return project


def _codes(error: ValidationError) -> set[str | None]:
    lists = error.error_dict.values() if hasattr(error, "error_dict") else [error.error_list]
    return {e.code for errors in lists for e in errors}


def copy_project(*, source: Project, by: User, **new: Any) -> Project:
    """A copy of `source` (which the caller has found through Project.objects.visible_to(by)),
    in the same organisation."""
    if new["organisation"].pk != source.organisation_id:
        raise ValidationError(
            {"organisation": _("Et prosjekt kan bare kopieres innenfor sin egen organisasjon.")}
        )
    reason = _reason(gettext_noop("Kopiert fra prosjektet %(code)s"), code=source.code)
    return start_project(snapshot=project_snapshot(source), by=by, reason=reason, **new)


def start_from_template(*, template: ProjectTemplate | None, by: User, **new: Any) -> Project:
    """A project from an organisation's template, or from the built-in one (`template=None`)."""
    if template is None:
        snapshot, name = builtin_template.SNAPSHOT, builtin_template.BUILTIN_NAME
    else:
        if template.organisation_id != new["organisation"].pk:
            raise ValidationError({"organisation": _("Malen hører til en annen organisasjon.")})
        snapshot, name = template.snapshot, template.name
    reason = _reason(gettext_noop("Opprettet fra malen %(name)s"), name=name)
    return start_project(snapshot=snapshot, by=by, reason=reason, **new)


@transaction.atomic
def save_template(*, project: Project, name: str, description: str, by: User) -> ProjectTemplate:
    """Freezes what a copy of the project would take as a template of its organisation. The
    caller has checked that `by` may plan the project (CHANGE_PLAN)."""
    with acting_as(by):
        template = ProjectTemplate(
            organisation=project.organisation,
            name=name,
            description=description,
            # Not the risk register: a template is read by the whole organisation, and a risk's
            # free text is for the project's members (a copy, by one of them, takes them).
            snapshot={**project_snapshot(project), "risks": []},
            source_project=project,
            created_by=by,
        )
        template.full_clean()
        try:
            with transaction.atomic():
                template.save()
        except IntegrityError as taken:  # the same name saved at the same moment (a double submit)
            raise ValidationError(
                {"name": _("Organisasjonen har allerede en mal med dette navnet.")}
            ) from taken
    return template


def may_delete_template(template: ProjectTemplate, user: User) -> bool:
    """The template's maker, or whoever may plan the project it was saved from (its owner and
    leader); `template.may_plan_source` is annotated by the template list's query."""
    return template.created_by_id == user.pk or bool(getattr(template, "may_plan_source", False))


@transaction.atomic
def delete_template(*, template: ProjectTemplate, by: User) -> None:
    if not may_delete_template(template, by):
        raise PermissionDenied
    with acting_as(by):
        template.delete()
