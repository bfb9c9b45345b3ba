"""The steering group's dashboard (reports.dashboard): lights with their text, reports late by
working days, what is up for decision in the next three weeks, only the projects and meetings
the user may see, and the same number of queries for 5 and for 500 projects."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from consultations.models import Meeting, Participant, Side
from milestones.models import Milestone
from projects.models import Membership, Organisation, Project, ProjectUserObjectPermission
from reports.dashboard import dashboard_rows
from reports.models import DecisionRequest, StatusReport
from reports.views import DASHBOARD_PAGE_SIZE

from .factories import (
    DecisionRequestFactory,
    MeetingFactory,
    MembershipFactory,
    MilestoneFactory,
    OrganisationFactory,
    ParticipantFactory,
    ProjectFactory,
    StatusReportFactory,
    UserFactory,
)
from .test_queries import REQUEST  # what every page costs: session and user

D = dt.date
Role = Membership.Role
ACTIVE = Project.Status.ACTIVE
PUBLISHED = StatusReport.State.PUBLISHED


@pytest.fixture(autouse=True)
def bokmal(settings):
    settings.LANGUAGE_CODE = "nb"


ALL_GREEN = dict.fromkeys(
    ("overall", "progress", "economy", "quality", "risk", "benefits"), "green"
)


def row_of(user, project, on):
    return next(r for r in dashboard_rows(user, on) if r.project.pk == project.pk)


@pytest.fixture
def active(project):
    """The conftest project (start 05.01.2026, a report every 21 days), running."""
    Project.objects.filter(pk=project.pk).update(status=ACTIVE)
    project.refresh_from_db()
    return project


# --- Lights and reports ---------------------------------------------------------------------------


def test_it_shows_the_latest_published_lights_as_words_and_links_the_report(
    client, active, steering
):
    StatusReportFactory(project=active, number=1, state=PUBLISHED, **ALL_GREEN)
    StatusReportFactory(
        project=active,
        number=2,
        state=PUBLISHED,
        **(ALL_GREEN | {"overall": "yellow", "risk": "red"}),
    )
    # not published: not shown
    StatusReportFactory(project=active, number=3, state=StatusReport.State.DRAFT, overall="red")
    client.force_login(steering)

    table = client.get(reverse("reports:dashboard")).content.decode()
    assert '<h1 class="ds-heading" data-size="lg">Styringsoversikt</h1>' in table
    assert '<span class="light" data-light="red">Rød</span>' in table
    card = reverse("reports:dashboard-project", args=[active.pk])
    assert card in table  # each row opens the project's card

    response = client.get(card)

    body = response.content.decode()
    assert response.status_code == 200
    assert f'href="{reverse("reports:dashboard")}">Styringsoversikt</a>' in body
    # Colour and word: the mark's data-light and the light's name.
    assert '<span class="light" data-light="yellow">Gul</span>' in body
    assert '<span class="light" data-light="red">Rød</span>' in body
    assert reverse("reports:report", args=[active.pk, 2]) in body
    assert reverse("reports:report", args=[active.pk, 3]) not in body
    assert reverse("reports:reports", args=[active.pk]) in body
    assert reverse("reports:overview", args=[active.pk]) in body
    # The history: an SVG with its text alternative, and a table with the words.
    assert 'role="img"' in body
    assert "2 publiserte statusrapporter, fra periode 1 (25.01.2026) til periode 2" in body
    assert "Samlet status i den siste: Gul (før: Grønn)." in body
    assert "<summary>Vis som tabell</summary>" in body


def test_a_project_without_reports_says_so(client, active, steering):
    client.force_login(steering)
    assert "Ingen rapport ennå" in client.get(reverse("reports:dashboard")).content.decode()
    body = client.get(reverse("reports:dashboard-project", args=[active.pk])).content.decode()
    assert "Ingen rapport publisert ennå." in body
    assert "Ingen publiserte statusrapporter ennå." in body
    assert 'role="img"' not in body


def test_the_main_menu_links_to_the_dashboard(client, steering, project):
    client.force_login(steering)
    body = client.get(reverse("projects:list")).content.decode()
    assert f'href="{reverse("reports:dashboard")}">Styringsoversikt</a>' in body


def test_it_is_for_logged_in_users_only(client):
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- Due and late ------------------------------------------------------------------------------


def test_a_report_is_late_three_working_days_after_its_period(active, steering):
    # Period 1: 05.01.–25.01.2026 (a Sunday). Three working days: 26., 27. and 28. January.
    on_time = row_of(steering, active, D(2026, 1, 28))
    assert not on_time.report_late
    assert on_time.report_note == "Rapporten for periode 1 skal publiseres innen 28.01.2026."
    assert on_time.current_period.number == 2
    assert on_time.next_due == D(2026, 2, 15)  # the end of period 2: its draft is made then

    late = row_of(steering, active, D(2026, 1, 29))
    assert late.report_late
    assert late.report_note == (
        "Rapporten for periode 1 er forsinket: den er ikke laget, og fristen var 28.01.2026."
    )

    StatusReportFactory(project=active, number=1, state=StatusReport.State.DRAFT)
    draft = row_of(steering, active, D(2026, 1, 29))
    assert draft.report_late
    assert "utkastet er ikke publisert" in draft.report_note

    StatusReport.objects.filter(project=active, number=1).update(
        state=PUBLISHED,
        published_at=timezone.now(),
        **{f"{k}_status": v for k, v in ALL_GREEN.items()},
    )
    published = row_of(steering, active, D(2026, 1, 29))
    assert not published.report_late
    assert published.report_note == ""
    assert published.latest.number == 1


def test_easter_does_not_count_as_working_days(organisation, owner, leader, steering):
    # Period 1 ends Wednesday 01.04.2026; 2., 3. and 6. April are public holidays, so the three
    # working days are 7., 8. and 9. April.
    project = ProjectFactory(
        organisation=organisation,
        owner=owner,
        leader=leader,
        code="PASKE",
        start_date=D(2026, 3, 12),
        status=ACTIVE,
    )
    MembershipFactory(project=project, user=steering, role=Role.STEERING, by=leader)
    assert not row_of(steering, project, D(2026, 4, 7)).report_late
    assert not row_of(steering, project, D(2026, 4, 9)).report_late
    assert row_of(steering, project, D(2026, 4, 10)).report_late


def test_the_late_flag_is_on_the_page(client, active, steering, monkeypatch):
    monkeypatch.setattr("reports.views.today", lambda: D(2026, 2, 2))
    client.force_login(steering)
    body = client.get(reverse("reports:dashboard")).content.decode()
    assert '<span class="ds-tag" data-color="danger">Forsinket</span>' in body
    card = client.get(reverse("reports:dashboard-project", args=[active.pk])).content.decode()
    assert "fristen var 28.01.2026" in card


def test_a_project_not_running_has_no_report_due(project, steering):
    row = row_of(steering, project, D(2026, 3, 1))  # the conftest project is a draft
    assert not row.report_late and row.report_note == "" and row.next_due is None


# --- Milestones and decisions ------------------------------------------------------------------


def test_milestone_progress_and_overdue(active, steering):
    on = D(2026, 3, 2)
    MilestoneFactory(project=active, code="M1", title="a", due_date=D(2026, 2, 1))  # overdue
    MilestoneFactory(
        project=active,
        code="M2",
        title="b",
        due_date=D(2026, 2, 1),
        status="reached",
        reached_on=D(2026, 2, 1),
    )
    MilestoneFactory(project=active, code="M3", title="c", due_date=D(2026, 4, 1))
    row = row_of(steering, active, on)
    assert (row.milestones_total, row.milestones_reached, row.milestones_overdue) == (3, 1, 1)


def test_decision_points_and_requests_of_the_next_three_weeks(
    client, active, steering, leader, monkeypatch
):
    on = D(2026, 3, 2)
    point = Milestone.Kind.DECISION_POINT
    MilestoneFactory(
        project=active, code="B1", title="Ved grensen", kind=point, due_date=on + dt.timedelta(21)
    )
    MilestoneFactory(
        project=active, code="B2", title="For sent", kind=point, due_date=on + dt.timedelta(22)
    )
    MilestoneFactory(project=active, code="M1", title="Bare milepæl", due_date=on + dt.timedelta(3))
    MilestoneFactory(
        project=active, code="B3", title="Allerede nådd", kind=point, due_date=on + dt.timedelta(3),
        status="reached", reached_on=on,
    )  # fmt: skip

    DecisionRequestFactory(project=active, title="Om ti dager", deadline=on + dt.timedelta(10))
    DecisionRequestFactory(
        project=active, title="Utsatt til grensen", deadline=on + dt.timedelta(21),
        outcome="deferred", decided_on=on,
    )  # fmt: skip
    DecisionRequestFactory(project=active, title="Fristen gikk ut", deadline=on - dt.timedelta(2))
    DecisionRequestFactory(project=active, title="Om en måned", deadline=on + dt.timedelta(30))
    DecisionRequestFactory(project=active, title="Uten frist", deadline=None)
    DecisionRequestFactory(
        project=active, title="Alt vedtatt", deadline=on + dt.timedelta(5),
        outcome="decided", decided_on=on,
    )  # fmt: skip

    row = row_of(steering, active, on)

    assert [m.code for m in row.decision_points] == ["B1"]
    assert [d.title for d in row.decision_requests] == [
        "Fristen gikk ut",
        "Om ti dager",
        "Utsatt til grensen",
    ]

    monkeypatch.setattr("reports.views.today", lambda: on)
    client.force_login(steering)
    table = client.get(reverse("reports:dashboard")).content.decode()
    assert "Fristen gikk ut</a>, frist 28.02.2026" in table  # the first of them
    body = client.get(reverse("reports:dashboard-project", args=[active.pk])).content.decode()
    assert "Beslutningspunkt B1 Ved grensen – 23.03.2026" in body
    assert "Om ti dager</a> – frist 12.03.2026 (til behandling)" in body
    assert "For sent" not in body and "Om en måned" not in body and "Alt vedtatt" not in body
    assert body.count("Fristen er passert") == 1


# --- Who sees what -----------------------------------------------------------------------------


def test_only_projects_the_user_may_see(
    active, steering, organisation, owner, leader, other_organisation
):
    not_a_member = ProjectFactory(
        organisation=organisation, owner=owner, leader=leader, code="ANNET", name="Annet prosjekt"
    )
    boss = UserFactory(organisations=[other_organisation])
    elsewhere = ProjectFactory(
        organisation=other_organisation, owner=boss, leader=boss, code="NABO", name="Nabo"
    )
    # A membership in a project of an organisation the user has left gives nothing.
    other_organisation.members.add(steering)
    MembershipFactory(project=elsewhere, user=steering, role=Role.STEERING, by=boss)
    other_organisation.members.remove(steering)

    rows = dashboard_rows(steering, D(2026, 3, 2))

    assert [r.project.pk for r in rows] == [active.pk]
    assert dashboard_rows(UserFactory(organisations=[organisation]), D(2026, 3, 2)) == []
    assert {r.project.pk for r in dashboard_rows(leader, D(2026, 3, 2))} == {
        active.pk,
        not_a_member.pk,
    }


def test_the_latest_meeting_is_one_the_user_may_see(active, steering, leader):
    start = timezone.make_aware(dt.datetime(2026, 2, 10, 9))
    invited = MeetingFactory(
        project=active,
        title="Drøfting med steering til stede",
        starts_at=start,
        participants=[{"user": steering, "side": Side.EMPLOYER}],
    )
    latest = MeetingFactory(
        project=active, title="Forhandlingsmøte", starts_at=start + dt.timedelta(days=7)
    )

    # The leader runs meetings and sees them all; the steering member only the one invited to.
    assert row_of(leader, active, D(2026, 3, 2)).meeting == latest
    assert row_of(steering, active, D(2026, 3, 2)).meeting == invited

    Participant.objects.filter(meeting=invited).delete()
    assert row_of(steering, active, D(2026, 3, 2)).meeting is None


# --- Queries -----------------------------------------------------------------------------------


# Period 5 of a project started 05.01.2026 ended 19.04.2026; its report was due 22.04.2026.
ON = D(2026, 5, 4)


def build_many(n_projects, steering_user):
    """n projects in two organisations, in bulk: the steering user a member of all with the
    guardian row the service would have written, each project with 2 milestones, a decision
    point, 4 published reports, the draft of period 5 (late on ON), a decision request and a
    meeting the user attends."""
    orgs = [OrganisationFactory(), OrganisationFactory()]
    for org in orgs:
        org.members.add(steering_user)
    boss = UserFactory(organisations=orgs)
    projects = Project.objects.bulk_create(
        ProjectFactory.build(
            organisation=orgs[i % 2],
            name=f"Prosjekt {i:04d}",
            code=f"P{i}",
            owner=boss,
            leader=boss,
            status=ACTIVE,
            start_date=D(2026, 1, 5),
        )
        for i in range(n_projects)
    )
    Membership.objects.bulk_create(
        MembershipFactory.build(project=p, user=steering_user, role=Role.STEERING) for p in projects
    )
    view = Permission.objects.get(codename="view_project")
    ProjectUserObjectPermission.objects.bulk_create(
        ProjectUserObjectPermission(content_object=p, user=steering_user, permission=view)
        for p in projects
    )
    on = ON
    Milestone.objects.bulk_create(
        MilestoneFactory.build(
            project=p,
            code=code,
            title=code,
            due_date=on + dt.timedelta(days),
            kind="decision_point" if code == "B1" else "milestone",
        )
        for p in projects
        for code, days in (("M1", -5), ("M2", 5), ("B1", 7))
    )
    StatusReport.objects.bulk_create(
        StatusReportFactory.build(
            project=p,
            number=n,
            state="published" if n < 5 else "draft",
            published_at=timezone.now() if n < 5 else None,
            **(ALL_GREEN | {"risk": "yellow"}),
        )
        for p in projects
        for n in (1, 2, 3, 4, 5)
    )
    DecisionRequest.objects.bulk_create(
        DecisionRequestFactory.build(
            project=p, title="Sak", question="vedta", deadline=on, created_by=boss
        )
        for p in projects
    )
    start = timezone.make_aware(dt.datetime(2026, 2, 10, 9))
    meetings = Meeting.objects.bulk_create(
        MeetingFactory.build(
            project=p, title="Møte", starts_at=start, ends_at=start + dt.timedelta(hours=1)
        )
        for p in projects
    )
    Participant.objects.bulk_create(
        ParticipantFactory.build(meeting=m, user=steering_user, side=Side.EMPLOYER)
        for m in meetings
    )
    return projects


# + the filters' choices (municipalities; owners and leaders), every visible project's standing
# (one query, with subqueries), the page of projects with their organisation, milestone counts,
# latest meetings and open requests (one query, with subqueries), their current phases, their
# reports, their decision points of the next three weeks, their open decision requests, and the
# meetings
DASHBOARD_QUERIES = REQUEST + 9


@pytest.mark.parametrize("n_projects", [5, 500])
def test_the_dashboard_makes_the_same_number_of_queries_at_any_size(
    db, client, django_assert_num_queries, monkeypatch, n_projects
):
    assert not Organisation.objects.exists()
    steering_user = UserFactory()
    build_many(n_projects, steering_user)
    monkeypatch.setattr("reports.views.today", lambda: ON)
    client.force_login(steering_user)

    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(reverse("reports:dashboard"))

    body = response.content.decode()
    shown = min(n_projects, DASHBOARD_PAGE_SIZE)
    assert body.count('<th scope="row">') == shown
    assert body.count('data-color="danger">Forsinket</span>') == shown
    assert body.count("Trenger oppfølging</span>") == shown
    assert f"{n_projects} prosjekter, per" in body

    last = (n_projects - 1) // DASHBOARD_PAGE_SIZE + 1
    cache.clear()  # nothing kept from the first page (core.cache)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        body = client.get(reverse("reports:dashboard"), {"side": last}).content.decode()
    assert f"Prosjekt {n_projects - 1:04d}" in body


def test_a_user_without_projects_is_told_so(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert "Du har ikke tilgang til noen prosjekter ennå." in response.content.decode()
