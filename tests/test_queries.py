"""Pages make a fixed number of queries whatever the number of projects."""

import pytest
from django.urls import reverse

from projects import services
from projects.models import Membership
from reports import services as report_services

from .factories import (
    UNCONSULTED,
    ActivityFactory,
    AgendaItemFactory,
    EmployeeFactory,
    MeetingFactory,
    MembershipFactory,
    MilestoneFactory,
    OrganisationFactory,
    OrgUnitFactory,
    ParticipantFactory,
    PhaseFactory,
    PlacementFactory,
    PositionFactory,
    ProjectFactory,
    QuestionFactory,
    RoleDescriptionFactory,
    SolutionOptionFactory,
    UserFactory,
    WorkstreamFactory,
)


def build(n_projects):
    """n projects across three organisations, each with a written mandate, one steering user in all."""
    organisations = [OrganisationFactory() for _ in range(3)]
    steering = UserFactory(organisations=organisations)
    projects = []
    for i in range(n_projects):
        org = organisations[i % 3]
        boss = UserFactory(organisations=[org])
        project = ProjectFactory(organisation=org, owner=boss, leader=boss, code=f"P{i}")
        MembershipFactory(project=project, user=steering, role=Membership.Role.STEERING, by=boss)
        services.replace_goals(
            project=project, kind="result", texts=["a", "b", "c"], section="R", by=boss
        )
        services.replace_benefits(
            project=project, rows=[{"title": "g1"}, {"title": "g2"}], section="G", by=boss
        )
        PhaseFactory(project=project, name="Fase 1", by=boss)
        for w in range(2):
            ws = WorkstreamFactory(project=project, name=f"Strøm {w}", by=boss)
            ws.members.add(boss)
            for o in range(3):
                SolutionOptionFactory(
                    workstream=ws, title=f"F{o}", is_zero_alternative=o == 0, by=boss
                )
        report_services.decide_mandate(project=project, by=boss, no_protocol_reason=UNCONSULTED)
        projects.append(project)
    return steering, projects


# Each page as it is built (tests/test_page_cache.py counts a page taken from the cache).
pytestmark = pytest.mark.usefixtures("nothing_cached")


# Every page: session, user, the number of tasks beside "Mine oppgaver" in the menu (one query,
# reports.worklist.count), and at the end the session saved again (savepoint, update, release)
# because sessions end after 30 idle minutes (SESSION_SAVE_EVERY_REQUEST).
REQUEST = 6
# + count, the page of projects with organisation, owner and leader joined, and whether the user
# may start projects (their own and their groups' permissions)
PROJECT_LIST_QUERIES = REQUEST + 4
# + project, permissions, goals, benefits, phases, workstreams (+lead), options, versions, the
# latest sending to the owner, and the decision points and milestones (one query,
# milestones.mandate.mandate_milestones)
MANDATE_QUERIES = REQUEST + 10
# + project, permissions, workstreams, memberships, phases, latest version, the milestone counts
# (one aggregate) and the next three milestones
OVERVIEW_QUERIES = REQUEST + 8
# + project, permissions, workstreams (+lead), options, members
WORKSTREAMS_QUERIES = REQUEST + 5


# + project, permissions, memberships with their users
MEMBERS_QUERIES = REQUEST + 3
# + project, permissions, and the history of the project, goals, benefits, benefit measurements,
# phases, the gates' criteria and submissions, workstreams, options, memberships, the mandate's
# sendings to the owner, risks, lessons learned, milestones, activities, org units, positions and
# role descriptions (each with its users), decision requests, status reports and the final report
CHANGELOG_QUERIES = REQUEST + 2 + 21


@pytest.mark.parametrize("n_projects", [3, 60])
def test_pages_make_the_same_number_of_queries_at_any_size(
    db, client, django_assert_num_queries, n_projects
):
    steering, projects = build(n_projects)
    client.force_login(steering)
    project = projects[-1]

    with django_assert_num_queries(PROJECT_LIST_QUERIES):
        response = client.get(reverse("projects:list"))
    assert response.content.decode().count('href="/prosjekter/') >= min(n_projects, 50)

    with django_assert_num_queries(MANDATE_QUERIES):
        response = client.get(reverse("reports:mandate", args=[project.pk]))
    assert response.status_code == 200

    with django_assert_num_queries(OVERVIEW_QUERIES):
        assert client.get(reverse("reports:overview", args=[project.pk])).status_code == 200

    with django_assert_num_queries(MEMBERS_QUERIES):
        assert client.get(reverse("projects:members", args=[project.pk])).status_code == 200

    with django_assert_num_queries(CHANGELOG_QUERIES):
        assert client.get(reverse("reports:changelog", args=[project.pk])).status_code == 200

    with django_assert_num_queries(WORKSTREAMS_QUERIES):
        assert client.get(reverse("projects:workstreams", args=[project.pk])).status_code == 200


def build_plan(n_milestones):
    """A project with n milestones spread over phases and workstreams, dependencies and
    activities. Made in bulk: the services' rules are not what this measures."""
    import datetime as dt

    from milestones.models import Activity, Milestone

    org = OrganisationFactory()
    boss = UserFactory(organisations=[org])
    member = UserFactory(organisations=[org])
    project = ProjectFactory(organisation=org, owner=boss, leader=boss, code="PLAN")
    MembershipFactory(project=project, user=member, role=Membership.Role.PROJECT_GROUP, by=boss)
    phases = [PhaseFactory(project=project, name=f"Fase {i}", by=boss) for i in range(3)]
    streams = [
        WorkstreamFactory(project=project, name=f"Strøm {i}", members=[member], by=boss)
        for i in range(4)
    ]
    start = dt.date(2026, 1, 5)
    milestones = Milestone.objects.bulk_create(
        MilestoneFactory.build(
            project=project,
            code=f"M{i + 1}",
            title=f"Milepæl {i + 1}",
            due_date=start + dt.timedelta(days=i % 300),
            phase=phases[i % 3],
            workstream=streams[i % 5] if i % 5 < 4 else None,
            responsible=boss,
            kind="decision_point" if i % 7 == 0 else "milestone",
            status="reached" if i % 3 == 0 else "planned",
            reached_on=start if i % 3 == 0 else None,
        )
        for i in range(n_milestones)
    )
    Through = Milestone.depends_on.through
    Through.objects.bulk_create(
        Through(from_milestone=m, to_milestone=milestones[i - 1])
        for i, m in enumerate(milestones)
        if i
    )
    Activity.objects.bulk_create(
        ActivityFactory.build(
            project=project,
            title=f"Aktivitet {i}",
            milestone=m,
            workstream=m.workstream,
            owner=boss,
        )
        for i, m in enumerate(milestones)
    )
    return project, boss, member


# + project, permissions, phases, workstreams, milestones (+phase, workstream, responsible), and
# the filter form's phase and workstream choices
PLAN_QUERIES = REQUEST + 2 + 3 + 2
# + project, permissions, milestones (+…), their dependencies, the filter's two choice lists;
# a workstream member's own workstreams
MILESTONE_LIST_QUERIES = REQUEST + 2 + 2 + 2
# + project, permissions, the user's workstreams (to add to), the tabs' counts (one aggregate),
# the page's count and its activities (+owner, milestone, workstream), the filter's workstreams,
# and the form's choices: people, milestones, workstreams
ACTIVITY_LIST_QUERIES = REQUEST + 2 + 1 + 1 + 2 + 1 + 3


@pytest.mark.parametrize("n_milestones", [10, 500])
def test_progress_pages_make_the_same_number_of_queries_at_any_size(
    db, client, django_assert_num_queries, n_milestones
):
    project, boss, member = build_plan(n_milestones)
    client.force_login(boss)
    with django_assert_num_queries(PLAN_QUERIES):
        response = client.get(reverse("milestones:plan", args=[project.pk]))
    assert response.content.decode().count("<tr>") >= n_milestones
    with django_assert_num_queries(MILESTONE_LIST_QUERIES):
        response = client.get(reverse("milestones:list", args=[project.pk]))
    assert response.content.decode().count('class="status-row"') == n_milestones

    client.force_login(member)
    with django_assert_num_queries(MILESTONE_LIST_QUERIES + 1):
        response = client.get(reverse("milestones:list", args=[project.pk]))
    assert response.content.decode().count("Oppdater") == n_milestones - n_milestones // 5
    with django_assert_num_queries(ACTIVITY_LIST_QUERIES):
        response = client.get(reverse("milestones:activities", args=[project.pk]))
    assert response.content.decode().count('class="status-row"') == min(n_milestones, 100)
    assert f"Hva skal nå gjøres ({n_milestones})" in response.content.decode()
    with django_assert_num_queries(OVERVIEW_QUERIES):
        assert client.get(reverse("reports:overview", args=[project.pk])).status_code == 200


def build_staffing(n_employees):
    """A project with a future organization of 5 units × 4 positions, and n employees, most of
    them proposed for or placed in a position. Made in bulk: this measures reading."""
    import datetime as dt
    from decimal import Decimal

    from roles.models import Employee, Placement

    org = OrganisationFactory()
    boss = UserFactory(organisations=[org])
    steering = UserFactory(organisations=[org])
    project = ProjectFactory(organisation=org, owner=boss, leader=boss, code="HR")
    MembershipFactory(project=project, user=steering, role=Membership.Role.STEERING, by=boss)
    current = OrgUnitFactory(project=project, structure="current", name="I dag")
    units = [OrgUnitFactory(project=project, name=f"Enhet {u}") for u in range(5)]
    positions = [
        PositionFactory(unit=unit, title=f"Stilling {u}-{p}", fte=Decimal(9000))
        for u, unit in enumerate(units)
        for p in range(4)
    ]
    for position in positions[:5]:
        RoleDescriptionFactory(
            position=position,
            main_goal="lede",
            competences=[{"category": "experience", "text": "Ledererfaring"}],
        )
    employees = Employee.objects.bulk_create(
        EmployeeFactory.build(
            project=project,
            first_name=f"Fornavn{i}",
            last_name=f"Etternavn{i}",
            employee_number=str(i),
            current_unit=current,
            competences="Sykepleier",
            start_date=dt.date(2010, 1, 1),
        )
        for i in range(n_employees)
    )
    statuses = ["proposed", "consulted", "decided", "accepted"]
    Placement.objects.bulk_create(
        PlacementFactory.build(
            employee=e,
            position=positions[i % len(positions)],
            basis="same_work",
            fte=Decimal(100),
            status=statuses[i % 4],
        )
        for i, e in enumerate(employees)
        if i % 10
    )
    return project, boss, steering


# The access log: its row, and the employees the page showed (roles.access_log).
ACCESS_LOG = 2
# + project, permissions, positions with their filled FTE (one aggregate), the status counts
# (one query), the page's count and employees, their placements (+position, unit), the log
STAFFING_QUERIES = REQUEST + 2 + 1 + 1 + 2 + 1 + ACCESS_LOG
# as a member without the personnel right: no page of names
STAFFING_COUNTS_ONLY_QUERIES = REQUEST + 2 + 1 + 1
# + project, permissions, the page's count and placements (+employee, position, unit), the
# required competences of their positions, the log
PLACEMENT_LIST_QUERIES = REQUEST + 2 + 2 + 1 + ACCESS_LOG
# + project, permissions, the page's count and employees (+current unit), the log, and the
# new-employee form's current units
EMPLOYEE_LIST_QUERIES = REQUEST + 2 + 2 + ACCESS_LOG + 1


@pytest.mark.parametrize("n_employees", [20, 2000])
def test_staffing_pages_make_the_same_number_of_queries_at_any_size(
    db, client, django_assert_num_queries, n_employees
):
    project, boss, steering = build_staffing(n_employees)
    client.force_login(boss)
    with django_assert_num_queries(STAFFING_QUERIES):
        response = client.get(reverse("roles:staffing", args=[project.pk]))
    assert response.content.decode().count("Etternavn") == min(n_employees, 100)
    with django_assert_num_queries(PLACEMENT_LIST_QUERIES):
        response = client.get(reverse("roles:placements", args=[project.pk]))
    assert response.status_code == 200
    with django_assert_num_queries(EMPLOYEE_LIST_QUERIES):
        response = client.get(reverse("roles:employees", args=[project.pk]))
    assert response.status_code == 200

    client.force_login(steering)
    with django_assert_num_queries(STAFFING_COUNTS_ONLY_QUERIES):
        response = client.get(reverse("roles:staffing", args=[project.pk]))
    assert "Etternavn" not in response.content.decode()


def build_meetings(n):
    """A project with n meetings (each with participants and two agenda items) and n questions,
    half of them answered. Made in bulk: this measures reading."""
    import datetime as dt

    from django.utils import timezone

    from consultations.models import AgendaItem, Meeting, Participant, Question

    org = OrganisationFactory()
    boss = UserFactory(organisations=[org])
    rep = UserFactory(organisations=[org])
    project = ProjectFactory(organisation=org, owner=boss, leader=boss, code="MOTER")
    MembershipFactory(project=project, user=rep, role=Membership.Role.UNION_REP, by=boss)
    workstream = WorkstreamFactory(project=project, name="Strøm", members=[rep], by=boss)
    start = timezone.now() + dt.timedelta(days=1)
    meetings = Meeting.objects.bulk_create(
        MeetingFactory.build(
            project=project,
            title=f"Møte {i}",
            starts_at=start + dt.timedelta(days=i),
            ends_at=start + dt.timedelta(days=i, hours=2),
        )
        for i in range(n)
    )
    Participant.objects.bulk_create(
        ParticipantFactory.build(meeting=m, user=user, side=side)
        for m in meetings
        for user, side in ((boss, "employer"), (rep, "union"))
    )
    AgendaItem.objects.bulk_create(
        AgendaItemFactory.build(meeting=m, order=o, title=f"Sak {o}")
        for m in meetings
        for o in (1, 2)
    )
    Question.objects.bulk_create(
        QuestionFactory.build(
            project=project,
            workstream=workstream,
            asked_by=rep,
            asked_on=dt.date(2026, 3, 1),
            text=f"Spørsmål {i}",
            answer="Svar" if i % 2 else "",
            answered_by=boss if i % 2 else None,
            answered_at=timezone.now() if i % 2 else None,
        )
        for i in range(n)
    )
    return project, boss, rep


# + project, permissions, the meetings with their counts of items and participants
MEETINGS_QUERIES = REQUEST + 2 + 1
# + project, permissions, the form's workstreams and the questions (+workstream, asker,
# answerer); a member who does not answer: + their workstreams, and whether they have any
QUESTIONS_QUERIES = REQUEST + 2 + 2


@pytest.mark.parametrize("n", [5, 200])
def test_meeting_and_question_lists_make_the_same_number_of_queries_at_any_size(
    db, client, django_assert_num_queries, n
):
    project, boss, rep = build_meetings(n)
    for user, own_workstreams in ((boss, 0), (rep, 2)):
        client.force_login(user)
        with django_assert_num_queries(MEETINGS_QUERIES):
            response = client.get(reverse("consultations:meetings", args=[project.pk]))
        assert response.content.decode().count("<tr>") == n + 1  # and the header
        with django_assert_num_queries(QUESTIONS_QUERIES + own_workstreams):
            response = client.get(reverse("consultations:questions", args=[project.pk]))
        assert response.content.decode().count("Spørsmål ") >= n
