"""Notices about a project, for every app above this one: the outbox's `notify`, to those of the
given users who can still see the project, with links that work from an e-mail."""

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse

from accounts.models import User
from notifications.models import OutgoingMail
from notifications.services import notify

from .models import Project
from .permissions import VIEW


def site_url(name: str, *args: object) -> str:
    """An absolute link to a page, for e-mail (a task has no request to take the host from)."""
    return settings.SITE_URL + reverse(name, args=args)


def members_with(project: Project, *roles: str):
    """The project's members holding any of these roles, each once."""
    return User.objects.filter(memberships__project=project, memberships__role__in=roles).distinct()


def who_see(project: Project, users: Iterable[User]):
    """Of `users`, those who can see the project now: members of its organisation with the view
    right (as Project.objects.visible_to). One query."""
    return (
        User.objects.filter(pk__in=[u.pk for u in users])
        .filter(
            organisations=project.organisation_id,
            projectuserobjectpermission__content_object=project,
            projectuserobjectpermission__permission__codename=VIEW,
        )
        .distinct()
    )


def notify_members(
    users: Iterable[User],
    template: str,
    context: dict,
    *,
    kind: str,
    project: Project,
    url: str,
    ref: str = "",
    sender: User | None = None,
    key: str | None = None,
) -> list[OutgoingMail]:
    """A notice about the project (`project` in the context) to each of `users` who can see it,
    at once or in their daily digest."""
    return notify(
        who_see(project, users),
        template,
        {**context, "project": project},
        kind=kind,
        project_id=project.pk,
        ref=ref,
        sender=sender,
        url=url,
        key=key,
    )
