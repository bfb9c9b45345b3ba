"""The project calendar: a member's secret, revocable link to an iCalendar feed of the
milestones, the decision points and the meetings the member may see."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from consultations.notices import meeting_ics
from milestones.models import Milestone
from projects import services as project_services
from projects.models import Membership
from reports import services
from reports.models import CalendarFeed

from .factories import MeetingFactory, MilestoneFactory, ProjectFactory, UserFactory
from .test_queries import REQUEST  # what every page costs

Role = Membership.Role


def page_url(project):
    return reverse("reports:calendar", args=[project.pk])


def feed_url(token):
    return reverse("reports:calendar_feed", args=[token])


def make_link(client, project, user) -> str:
    """The token of a new link, made through the page as the user."""
    client.force_login(user)
    response = client.post(page_url(project), {"action": "create"})
    assert response.status_code == 302
    return CalendarFeed.objects.get(project=project, user=user, revoked_at__isnull=True).token


def fetch(token):
    """The feed as a calendar app fetches it: no session, no cookies."""
    return Client().get(feed_url(token))


def events(response) -> dict[str, object]:
    calendar = Calendar.from_ical(response.content)
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


@pytest.fixture
def rep(member_with_role):
    return member_with_role(Role.UNION_REP, union_name="Fagforbundet")


@pytest.fixture
def plan(project, leader, rep):
    """M1 and B1, a meeting the union rep is called to and one only the employer side has."""
    MilestoneFactory(
        project=project,
        code="M1",
        due_date=dt.date(2026, 3, 2),
        title="Mandat vedtatt",
        criterion="Styringsgruppen har vedtatt mandatet",
        by=leader,
    )
    MilestoneFactory(
        project=project,
        code="B1",
        due_date=dt.date(2026, 4, 15),
        title="Valg av organisasjonsmodell",
        kind=Milestone.Kind.DECISION_POINT,
        by=leader,
    )
    drofting = MeetingFactory(
        project=project,
        title="Drøftingsmøte om organisasjonskartet",
        place="Rådhuset, møterom Æsir",
        participants=[{"user": leader, "side": "employer"}, {"user": rep, "side": "union"}],
        by=leader,
    )
    internal = MeetingFactory(
        project=project,
        title="Arbeidsgivermøte",
        days=8,
        participants=[{"user": leader, "side": "employer"}],
        by=leader,
    )
    return drofting, internal


def test_the_feed_has_the_plan_and_the_meetings_the_user_may_see(client, project, rep, plan):
    drofting, internal = plan
    token = make_link(client, project, rep)
    calendar_app = Client()
    calendar_app.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # in Bokmål all the same
    response = calendar_app.get(feed_url(token))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'inline; filename="{project.code}.ics"'
    assert response["Cache-Control"] == "private, max-age=300"

    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == f"{project.code} – {project.name}"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Oslo"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["VERSION"]) == "2.0"
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in response.content
    found = events(response)
    assert set(found) == {
        "M1 Mandat vedtatt",
        "Beslutningspunkt: B1 Valg av organisasjonsmodell",
        "Drøftingsmøte om organisasjonskartet",
    }  # not the employer side's own meeting

    m1 = found["M1 Mandat vedtatt"]
    assert m1["DTSTART"].dt == dt.date(2026, 3, 2)
    assert not isinstance(m1["DTSTART"].dt, dt.datetime)  # all day
    assert m1["DTEND"].dt == dt.date(2026, 3, 3)
    milestone = Milestone.objects.get(project=project, code="M1")
    assert str(m1["UID"]).startswith(f"milestone-{milestone.pk}@")
    description = str(m1["DESCRIPTION"])
    assert "Status: Planlagt" in description
    assert "Styringsgruppen har vedtatt mandatet" in description
    assert settings.SITE_URL + reverse("milestones:list", args=[project.pk]) in description

    meeting = found["Drøftingsmøte om organisasjonskartet"]
    assert meeting["DTSTART"].dt == drofting.starts_at
    assert meeting["DTEND"].dt == drofting.ends_at
    assert str(meeting["LOCATION"]) == "Rådhuset, møterom Æsir"
    assert meeting["SEQUENCE"] == drofting.sequence
    # The same event as the invitation mailed by consultations.
    invitation = Calendar.from_ical(meeting_ics(drofting, recipients=[]))
    assert str(meeting["UID"]) == str(invitation.walk("VEVENT")[0]["UID"])
    assert "Fagforbundet" not in response.content.decode()  # no participants


def test_those_who_run_meetings_see_them_all(client, project, leader, plan):
    found = events(fetch(make_link(client, project, leader)))
    assert {"Drøftingsmøte om organisasjonskartet", "Arbeidsgivermøte"} <= set(found)


def test_the_page_shows_the_link_and_makes_a_new_one(client, project, steering):
    client.force_login(steering)
    body = client.get(page_url(project)).content.decode()
    assert "Du har ingen kalenderlenke" in body
    assert "Slett lenken" not in body

    first = make_link(client, project, steering)
    response = client.get(page_url(project))
    body = response.content.decode()
    assert f'value="http://testserver{feed_url(first)}" readonly' in body
    assert '<label class="ds-label" for="kalenderlenke">' in body
    assert f'href="webcal://testserver{feed_url(first)}"' in body
    assert "no-cache" in response["Cache-Control"]

    response = client.post(page_url(project), {"action": "create"}, follow=True)
    assert "Ny kalenderlenke er laget. En eldre lenke virker ikke lenger." in (
        response.content.decode()
    )
    second = CalendarFeed.objects.get(project=project, user=steering, revoked_at__isnull=True)
    assert second.token != first
    assert fetch(first).status_code == 404
    assert fetch(second.token).status_code == 200
    assert feed_url(first) not in response.content.decode()


def test_a_deleted_or_unknown_link_answers_404(client, project, steering):
    token = make_link(client, project, steering)
    response = client.post(page_url(project), {"action": "revoke"}, follow=True)
    assert "Kalenderlenken er slettet og virker ikke lenger." in response.content.decode()
    assert "Du har ingen kalenderlenke" in response.content.decode()
    assert fetch(token).status_code == 404
    assert fetch("ukjent-lenke").status_code == 404
    assert client.post(page_url(project), {"action": "noe"}).status_code == 400


def test_the_link_stops_working_when_the_user_leaves_or_is_deactivated(
    client, project, leader, steering, rep
):
    token = make_link(client, project, steering)
    assert fetch(token).status_code == 200
    project_services.remove_member(
        membership=Membership.objects.get(project=project, user=steering), by=leader
    )
    assert fetch(token).status_code == 404

    token = make_link(client, project, rep)
    rep.is_active = False
    rep.save()
    assert fetch(token).status_code == 404


def test_no_link_to_a_project_the_user_cannot_see(
    client, organisation, project, steering, outsider
):
    boss = UserFactory(organisations=[organisation])
    other = ProjectFactory(organisation=organisation, owner=boss, leader=boss, code="ANNET")
    for user in (steering, outsider):
        client.force_login(user)
        assert client.get(page_url(other)).status_code == 404
        assert client.post(page_url(other), {"action": "create"}).status_code == 404
    assert not CalendarFeed.objects.filter(project=other).exists()
    client.logout()
    # Logged out, the page asks for a login; only the feed goes without.
    response = client.get(page_url(project))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_history_records_who_made_and_deleted_the_link(client, project, steering):
    make_link(client, project, steering)
    client.post(page_url(project), {"action": "revoke"})
    history = CalendarFeed.history.filter(project=project).order_by("history_date")
    assert [(h.history_type, h.history_user) for h in history] == [
        ("+", steering),
        ("~", steering),
    ]
    assert history.last().revoked_at is not None
    assert not hasattr(history.first(), "token")  # the key is not kept in the history


def test_the_service_keeps_one_active_link(project, steering):
    first = services.create_calendar_feed(project=project, user=steering)
    second = services.create_calendar_feed(project=project, user=steering)
    first.refresh_from_db()
    assert first.revoked_at is not None and second.revoked_at is None
    assert CalendarFeed.objects.filter(project=project, user=steering).count() == 2


@pytest.mark.parametrize("n", [5, 50])
def test_the_feed_makes_a_fixed_number_of_queries(
    client, project, leader, rep, django_assert_num_queries, n
):
    for i in range(n):
        kind = Milestone.Kind.DECISION_POINT if i % 5 == 0 else Milestone.Kind.MILESTONE
        MilestoneFactory(
            project=project,
            code=f"M{i + 1}",
            due_date=dt.date(2026, 1, 1) + dt.timedelta(i),
            kind=kind,
            by=leader,
        )
    for i in range(n // 5):
        MeetingFactory(
            project=project,
            title=f"Møte {i}",
            days=7 + i,
            participants=[{"user": leader, "side": "employer"}, {"user": rep, "side": "union"}],
            by=leader,
        )
    token = make_link(client, project, rep)
    calendar_app = Client()
    # the feed with its project and user, whether the user may still see the project, the user's
    # permissions, the milestones, the meetings the user may see
    with django_assert_num_queries(5):
        response = calendar_app.get(feed_url(token))
    assert response.status_code == 200
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == n + n // 5


@pytest.mark.parametrize("n", [1, 10])
def test_the_calendar_page_makes_a_fixed_number_of_queries(
    client, project, steering, django_assert_num_queries, n
):
    for _ in range(n):
        services.create_calendar_feed(project=project, user=steering)
    client.force_login(steering)
    # every page's (REQUEST) + project, permissions, the active link
    with django_assert_num_queries(REQUEST + 3):
        assert client.get(page_url(project)).status_code == 200
