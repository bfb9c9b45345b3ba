""" "Mine oppgaver", the front page: what waits for each person across their projects, each item
linking to where they act; the count in the main menu; each demo role has its own; an empty
state that says what the role can do; the same number of queries with 3 and with 300 projects."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from consultations.models import Meeting, Participant, Protocol, Question
from milestones.models import Activity, Milestone
from notifications.models import OutgoingMail
from projects.models import (
    Benefit,
    MandateSubmission,
    Membership,
    Phase,
    Project,
    ProjectUserObjectPermission,
)
from projects.permissions import ROLE_PERMISSIONS
from reports.models import DecisionRequest, StatusReport
from roles.models import Employee, OrgUnit, Placement, Position

from .factories import (
    ActivityFactory,
    BenefitFactory,
    DecisionRequestFactory,
    EmployeeFactory,
    MeetingFactory,
    MembershipFactory,
    MilestoneFactory,
    OrganisationFactory,
    OrgUnitFactory,
    PlacementFactory,
    PositionFactory,
    ProjectFactory,
    QuestionFactory,
    StatusReportFactory,
    UserFactory,
)
from .test_queries import REQUEST

Role = Membership.Role


def menu_count(body: str) -> int:
    found = re.search(r'class="nav-count">(\d+)<', body)
    return int(found.group(1)) if found else 0


# --- The demo: something waits for each role ----------------------------------------------------

EXPECTED = {
    "eier": ["Mandatet venter på beslutningen din", "Antall kommunalsjefer"],
    "leder": ["Statusrapport", "Spørsmål å besvare"],
    "styring": ["Antall kommunalsjefer"],
    "kdg": ["Antall kommunalsjefer"],
    "medlem": ["Forsinket", "Intervjue kommunalsjefer og seksjonsledere om ledernivåene"],
    "hr": ["venter på drøfting", "Gevinster å måle"],  # owns Åmot's benefits of HR
    "tillitsvalgt": ["Protokoller å bekrefte", "Drøftingsmøte om innplassering av enhetsledere"],
    "verneombud": ["Protokoller å bekrefte", "Drøftingsmøte om innplassering av enhetsledere"],
}


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_each_demo_role_has_its_own_tasks_and_the_menu_counts_them(client, demo, username):
    client.force_login(User.objects.get(username=username))
    response = client.get(reverse("home"))
    body = response.content.decode()
    assert response.status_code == 200
    for text in EXPECTED[username]:
        assert text in body, (username, text)
    tasks = body.count('class="task"')
    assert tasks > 0 and menu_count(body) == tasks


def test_the_owner_is_not_shown_what_is_the_leaders_and_the_union_rep_no_names(client, demo):
    client.force_login(User.objects.get(username="eier"))
    body = client.get(reverse("home")).content.decode()
    assert "Protokoller å bekrefte" not in body  # the employer's side has confirmed
    client.force_login(User.objects.get(username="tillitsvalgt"))
    body = client.get(reverse("home")).content.decode()
    assert "venter på drøfting" not in body and "Ola Testesen" not in body


def test_someone_with_nothing_waiting_is_told_what_their_role_can_do(client, demo):
    client.force_login(User.objects.get(username="utenfor"))
    body = client.get(reverse("home")).content.decode()
    assert "Ingenting venter på deg nå." in body
    assert "Som prosjektleder skriver du mandatet" in body
    assert menu_count(body) == 0


def test_a_user_without_roles_is_told_who_gives_them_one(client, demo):
    client.force_login(User.objects.get(username="admin"))
    body = client.get(reverse("home")).content.decode()
    assert "Du har ingen rolle i noe prosjekt ennå." in body


def test_the_front_page_needs_a_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Each kind of task, and the same number of queries at any size -------------------------------


def build(n_projects: int) -> User:
    """n projects in one organisation where `user` holds every role, each with one task of every
    kind waiting for them: a mandate sent for decision, a decision request, a protocol to confirm,
    a draft report, a milestone and an activity due, a question, a placement to consult on, a
    meeting in a week. In bulk, with the guardian rows the services would write."""
    org = OrganisationFactory()
    user = UserFactory(organisations=[org])
    other = UserFactory(organisations=[org])
    projects = Project.objects.bulk_create(
        ProjectFactory.build(
            organisation=org,
            name=f"Prosjekt {i:03d}",
            code=f"P{i}",
            owner=user,
            leader=user,
            status=Project.Status.ACTIVE,
            mandate_state=Project.MandateState.SUBMITTED,
        )
        for i in range(n_projects)
    )
    roles = [Role.OWNER, Role.LEADER, Role.HR, Role.STEERING]
    Membership.objects.bulk_create(
        MembershipFactory.build(project=p, user=user, role=role) for p in projects for role in roles
    )
    perms = {p.codename: p for p in Permission.objects.filter(content_type__model="project")}
    wanted = set().union(*(ROLE_PERMISSIONS[r] for r in roles))
    ProjectUserObjectPermission.objects.bulk_create(
        ProjectUserObjectPermission(content_object=p, user=user, permission=perms[codename])
        for p in projects
        for codename in wanted
    )
    now, today = timezone.now(), timezone.localdate()
    MandateSubmission.objects.bulk_create(
        MandateSubmission(project=p, sent_by=user, sent_at=now) for p in projects
    )
    DecisionRequest.objects.bulk_create(
        DecisionRequestFactory.build(project=p, created_by=user, deadline=today) for p in projects
    )
    Phase.objects.bulk_create(
        Phase(project=p, order=1, name="Fase 1", state=Phase.State.AT_GATE) for p in projects
    )
    StatusReport.objects.bulk_create(
        StatusReportFactory.build(project=p, number=1) for p in projects
    )
    Milestone.objects.bulk_create(
        MilestoneFactory.build(project=p, code="M1", responsible=user, due_date=today)
        for p in projects
    )
    Activity.objects.bulk_create(
        ActivityFactory.build(project=p, owner=user, due_date=today - dt.timedelta(days=3))
        for p in projects
    )
    Question.objects.bulk_create(
        QuestionFactory.build(project=p, asked_by=other, asked_on=today) for p in projects
    )
    meetings = Meeting.objects.bulk_create(
        MeetingFactory.build(
            project=p,
            starts_at=now + dt.timedelta(days=7),
            ends_at=now + dt.timedelta(days=7, hours=2),
            called_at=now,
        )
        for p in projects
    )
    held = Meeting.objects.bulk_create(
        MeetingFactory.build(
            project=p,
            starts_at=now - dt.timedelta(days=7),
            ends_at=now - dt.timedelta(days=7, hours=-2),
            status=Meeting.Status.HELD,
        )
        for p in projects
    )
    Participant.objects.bulk_create(
        Participant(meeting=m, user=user, side="union", present=True) for m in [*meetings, *held]
    )
    Protocol.objects.bulk_create(
        Protocol(meeting=m, version=1, status=Protocol.Status.SENT, sent_at=now) for m in held
    )
    units = OrgUnit.objects.bulk_create(
        OrgUnitFactory.build(project=p, structure="future") for p in projects
    )
    positions = Position.objects.bulk_create(
        PositionFactory.build(project=p, unit=u) for p, u in zip(projects, units, strict=True)
    )
    employees = Employee.objects.bulk_create(EmployeeFactory.build(project=p) for p in projects)
    Placement.objects.bulk_create(
        PlacementFactory.build(employee=e, position=pos, fte=100)
        for e, pos in zip(employees, positions, strict=True)
    )
    Benefit.objects.bulk_create(
        BenefitFactory.build(project=p, order=1, owner_user=user, next_measurement_on=today)
        for p in projects
    )
    OutgoingMail.objects.create(
        kind="test", sender=user, to=["x@example.no"], subject="Til styringsgruppen",
        body=".", message_id="<x@reorg>", state=OutgoingMail.State.FAILED, last_error="(550)",
    )  # fmt: skip
    return user


# session, user, the menu's count (REQUEST) + mandates to decide, phase gates to decide, decision
# requests, protocols to confirm, report drafts, mandates sent back, protocols to correct,
# milestones due, activities due, questions, placements waiting, meetings ahead, benefits to
# measure, mail that did not arrive; the user's roles
HOME_QUERIES = REQUEST + 14 + 1


@pytest.mark.parametrize("n_projects", [3, 300])
def test_every_kind_of_task_is_listed_with_the_same_queries_at_any_size(
    client, db, django_assert_num_queries, n_projects
):
    user = build(n_projects)
    client.force_login(user)
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(reverse("home"))
    body = response.content.decode()
    for heading in (
        "Til beslutning",
        "Protokoller å bekrefte",
        "Statusrapporter å fullføre",
        "Milepæler og aktiviteter som forfaller",
        "Spørsmål å besvare",
        "Innplasseringer",
        "Møter du er innkalt til",
        "Gevinster å måle",
        "E-post som ikke kom fram",
    ):
        assert heading in body, heading
    # Per project: the mandate, the phase's gate, the request, the protocol, the report, the
    # milestone, the activity, the question, the placements, the meeting, the benefit; and the
    # one mail.
    assert body.count('class="task"') == 11 * n_projects + 1
    assert menu_count(body) == 11 * n_projects + 1
    assert body.count("Forsinket") >= n_projects  # the activity, three days late
