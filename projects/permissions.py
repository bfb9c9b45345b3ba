"""The one place that decides what a user may see and do in a project.

Rights come from memberships: each role maps to a set of django-guardian object permissions on
the project (ROLE_PERMISSIONS), kept in step by projects.services.sync_permissions. Everything
inside a project is authorised through its project with `get_project_for`: a project the user
cannot see answers 404, an action they may not take answers 403."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponseBase
from django.utils.cache import patch_cache_control

from .models import Benefit, Membership, Project, ProjectUserObjectPermission, Workstream

Role = Membership.Role

VIEW = "view_project"
CHANGE_MANDATE = "change_mandate"
DECIDE_MANDATE = "decide_mandate"
# The owner decides the mandate, and the gates between the phases with it.
DECIDE_GATE = DECIDE_MANDATE
CHANGE_PLAN = "change_plan"
MANAGE_MEMBERS = "manage_members"
VIEW_PERSONAL_DATA = "view_personal_data"
# Status of milestones and activities in the workstreams the user leads or is a member of; owner
# and leader (CHANGE_PLAN) update all of them.
UPDATE_PROGRESS = "update_progress"
# The organization and staffing plan: units, positions, role descriptions.
# (Not "change_organisation": that is the default permission of the Organisation model.)
CHANGE_ORGANISATION = "change_org_plan"
# Employees, mapping interviews and placements: writing them (reading needs VIEW_PERSONAL_DATA).
MANAGE_PERSONNEL = "manage_personnel"
# Meetings with union and safety representatives: calling, running, writing the protocol.
RUN_MEETINGS = "run_meetings"
# The questions log: answering (and so publishing) a workstream's question.
ANSWER_QUESTIONS = "answer_questions"
# The personal data's keepers, the owner and HR (GDPR articles 15, 17 and 30): the access log,
# the record of processing, erasure and retention, an employee's access request.
MANAGE_PRIVACY = "manage_privacy"

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.OWNER: frozenset(
        {
            VIEW,
            CHANGE_MANDATE,
            DECIDE_MANDATE,
            CHANGE_PLAN,
            MANAGE_MEMBERS,
            VIEW_PERSONAL_DATA,
            CHANGE_ORGANISATION,
            MANAGE_PERSONNEL,
            RUN_MEETINGS,
            ANSWER_QUESTIONS,
            MANAGE_PRIVACY,
        }
    ),
    Role.LEADER: frozenset(
        {
            VIEW,
            CHANGE_MANDATE,
            CHANGE_PLAN,
            MANAGE_MEMBERS,
            VIEW_PERSONAL_DATA,
            CHANGE_ORGANISATION,
            MANAGE_PERSONNEL,
            RUN_MEETINGS,
            ANSWER_QUESTIONS,
        }
    ),
    Role.STEERING: frozenset({VIEW}),
    Role.PROJECT_GROUP: frozenset({VIEW, UPDATE_PROGRESS}),
    Role.WORKSTREAM_LEAD: frozenset({VIEW, UPDATE_PROGRESS}),
    Role.UNION_REP: frozenset({VIEW}),
    Role.SAFETY_REP: frozenset({VIEW}),
    Role.HR: frozenset(
        {VIEW, VIEW_PERSONAL_DATA, CHANGE_ORGANISATION, MANAGE_PERSONNEL, MANAGE_PRIVACY}
    ),
    Role.OBSERVER: frozenset({VIEW}),
}


def permissions_for_roles(roles, *, sees_personal_data=False) -> set[str]:
    """The rights of a member holding these roles; `sees_personal_data` is the project's grant
    of VIEW_PERSONAL_DATA to a member whose roles do not give it (e.g. a union representative)."""
    granted: set[str] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    if sees_personal_data:
        granted.add(VIEW_PERSONAL_DATA)
    return granted


def project_permissions(user, project) -> frozenset[str]:
    """The codenames the user holds on the project, in one query."""
    if not user.is_authenticated:
        return frozenset()
    return frozenset(
        ProjectUserObjectPermission.objects.filter(user=user, content_object=project).values_list(
            "permission__codename", flat=True
        )
    )


def get_project_for(user, pk, perm: str = VIEW) -> Project:
    """The project with this pk if the user may see it (else 404) and hold `perm` (else 403).
    The user's permission codenames are attached as `project.perms` for templates and views."""
    project = (
        Project.objects.visible_to(user)
        .select_related("organisation", "owner", "leader")
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise Http404
    project.perms = project_permissions(user, project)
    if perm not in project.perms:
        raise PermissionDenied
    return project


def project_view(perm: str = VIEW):
    """Decorator for views under /prosjekter/<project_pk>/: passes the project, checked."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, project_pk, *args, **kwargs):
            project = get_project_for(request.user, project_pk, perm)
            return view(request, project, *args, **kwargs)

        return wrapper

    return decorator


def require(project: Project, perm: str) -> None:
    """For a view that already holds the project and needs a further right for a POST."""
    if perm not in project.perms:
        raise PermissionDenied


def own_workstream_ids(user, project: Project) -> frozenset[int]:
    """The project's workstreams the user leads or is a member of, in one query, kept on the
    project object for the rest of the request."""
    cached = getattr(project, "_own_workstream_ids", None)
    if cached is None:
        cached = frozenset(
            Workstream.objects.filter(project=project)
            .filter(Q(lead=user) | Q(members=user))
            .values_list("pk", flat=True)
        )
        project._own_workstream_ids = cached
    return cached


def may_update_progress(user, project: Project, workstream_id: int | None) -> bool:
    """Whether the user may change the status of a milestone or an activity, or add an activity,
    in this workstream (None: the project as a whole, which only owner and leader plan)."""
    if CHANGE_PLAN in project.perms:
        return True
    if UPDATE_PROGRESS not in project.perms or workstream_id is None:
        return False
    return workstream_id in own_workstream_ids(user, project)


def require_progress(user, project: Project, workstream_id: int | None) -> None:
    if not may_update_progress(user, project, workstream_id):
        raise PermissionDenied


def no_store(response: HttpResponseBase) -> HttpResponseBase:
    """A response with personal data: kept by no cache, shared or the browser's."""
    patch_cache_control(response, no_store=True, no_cache=True, private=True)
    return response


def personal_data_view(perm: str = VIEW_PERSONAL_DATA):
    """Decorator for views of personal data (employees, interviews, placements): a user without
    the right gets 404, as if the page did not exist, not 403 (which would confirm it does).
    The response is never cached (the view logs what it shows: roles.access_log)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, project_pk, *args, **kwargs):
            project = get_project_for(request.user, project_pk)
            if VIEW_PERSONAL_DATA not in project.perms:
                raise Http404
            if perm not in project.perms:
                raise PermissionDenied
            return no_store(view(request, project, *args, **kwargs))

        return wrapper

    return decorator


def may_start_projects(user) -> bool:
    """Starting projects (empty, from a template or as a copy) is a right the administrator
    grants (projects.add_project), in the user's own organisations."""
    return user.has_perm("projects.add_project") and user.organisations.exists()


# --- Benefits: their owner in the line organisation ------------------------------------------


def get_benefit_for(user, pk, *, record: bool = False, plan: bool = False) -> Benefit:
    """A benefit the user may see (Benefit.objects.visible_to: in a project they may see, or
    owned by them in a project of their organisation), else 404. Its owner and the project's
    leadership (CHANGE_PLAN) may record measurements (`record`), during the project and after it
    has closed; only the leadership sets the owner and the plan (`plan`): else 403. The
    project's codenames ride on `benefit.project.perms` (none for an owner who is not a
    member, who sees the project's name only)."""
    benefit = (
        Benefit.objects.visible_to(user)
        .select_related("project", "project__organisation", "owner_user")
        .filter(pk=pk)
        .first()
    )
    if benefit is None:
        raise Http404
    benefit.project.perms = project_permissions(user, benefit.project)
    if record and not may_record_measurement(user, benefit):
        raise PermissionDenied
    if plan and CHANGE_PLAN not in benefit.project.perms:
        raise PermissionDenied
    return benefit


def may_record_measurement(user, benefit: Benefit) -> bool:
    """The benefit's owner, and the project's owner and leader, record its measurements."""
    return benefit.owner_user_id == user.pk or CHANGE_PLAN in benefit.project.perms
