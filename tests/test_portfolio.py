"""The portfolio ("Styringsoversikt") as a table: those that need attention first (overall red,
report late, milestones overdue, a decision within three weeks), filters and search in the URL,
the filtered view as Excel, the latest consultation for the steering group without its content,
dates instead of period numbers, and each project's card."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from consultations.models import Meeting
from projects.models import Membership, Project

from .factories import (
    DecisionRequestFactory,
    MeetingFactory,
    MembershipFactory,
    MilestoneFactory,
    ProjectFactory,
    StatusReportFactory,
)
from .test_queries import REQUEST

D = dt.date
ON = D(2026, 3, 2)
Role = Membership.Role
GREEN = dict.fromkeys(("overall", "progress", "economy", "quality", "risk", "benefits"), "green")


@pytest.fixture(autouse=True)
def frozen_day(monkeypatch, settings):
    settings.LANGUAGE_CODE = "nb"
    monkeypatch.setattr("reports.views.today", lambda: ON)


@pytest.fixture
def portfolio(organisation, owner, leader, steering, project):
    """Five projects the steering member sees, each with one reason to be looked at, and one
    that is fine. All started 05.01.2026, reports every 21 days: period 2 ended 15.02.2026,
    its report was due 18.02.2026. The late one has published none."""

    def make(name, **kwargs):
        p = ProjectFactory(
            organisation=organisation,
            owner=owner,
            leader=leader,
            name=name,
            status=Project.Status.ACTIVE,
            start_date=D(2026, 1, 5),
            **kwargs,
        )
        MembershipFactory(project=p, user=steering, role=Role.STEERING, by=leader)
        return p

    fine = make("A Alt i rute")
    red = make("E Rød")
    late = make("D Sen")
    overdue = make("C Forsinket milepæl")
    soon = make("B Beslutning snart")
    for p in (fine, red, overdue, soon):
        StatusReportFactory(project=p, number=1, state="published", **GREEN)
        StatusReportFactory(
            project=p,
            number=2,
            state="published",
            **(GREEN | ({"overall": "red"} if p == red else {})),
        )
    MilestoneFactory(project=overdue, code="M1", due_date=ON - dt.timedelta(days=1))
    DecisionRequestFactory(project=soon, title="Ny struktur", deadline=ON + dt.timedelta(days=10))
    Project.objects.filter(pk=project.pk).delete()  # conftest's: not part of this
    return {"fine": fine, "red": red, "late": late, "overdue": overdue, "soon": soon}


def names(body: str, projects: dict) -> list[str]:
    found = [(body.find(f">{p.name}</a>"), p.name) for p in projects.values()]
    return [name for index, name in sorted(found) if index >= 0]


def test_those_that_need_attention_come_first(client, steering, portfolio):
    client.force_login(steering)
    body = client.get(reverse("reports:dashboard")).content.decode()
    assert names(body, portfolio) == [
        "E Rød",
        "D Sen",
        "C Forsinket milepæl",
        "B Beslutning snart",
        "A Alt i rute",
    ]
    assert body.count("Trenger oppfølging</span>") == 4
    # The steering group reads dates, not the leader's period numbers.
    assert "Siste: 26.01.–15.02.2026" in body
    assert "Periode 2" not in body


def test_filters_and_search_are_kept_in_the_url(client, steering, portfolio):
    client.force_login(steering)
    url = reverse("reports:dashboard")
    assert names(client.get(url, {"attention": "on"}).content.decode(), portfolio) == [
        "E Rød",
        "D Sen",
        "C Forsinket milepæl",
        "B Beslutning snart",
    ]
    assert names(client.get(url, {"light": "red"}).content.decode(), portfolio) == ["E Rød"]
    assert names(client.get(url, {"light": "none"}).content.decode(), portfolio) == ["D Sen"]
    assert names(client.get(url, {"q": "snart"}).content.decode(), portfolio) == [
        "B Beslutning snart"
    ]
    other = portfolio["fine"]
    code = client.get(url, {"q": other.code.lower()}).content.decode()
    assert names(code, portfolio) == ["A Alt i rute"]
    none = client.get(url, {"q": "finnes ikke"}).content.decode()
    assert "Ingen prosjekter passer til filtrene." in none
    # The export keeps the filter: its link carries the query.
    assert (
        f"{reverse('reports:dashboard-export')}?light=red"
        in client.get(url, {"light": "red"}).content.decode()
    )
    # Nonsense in the URL is ignored, not an error.
    assert client.get(url, {"organisation": "x", "owner": "99999999999"}).status_code == 200


def test_the_export_is_the_filtered_view_with_text_as_text(client, steering, portfolio):
    Project.objects.filter(pk=portfolio["red"].pk).update(name="=HYPERLINK(1)")
    client.force_login(steering)
    response = client.get(reverse("reports:dashboard-export"), {"attention": "on"})
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == 'attachment; filename="styringsoversikt-2026-03-02.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Prosjekt", "Kode", "Kommune")
    assert [r[0] for r in rows[1:]] == [
        "=HYPERLINK(1)",
        "D Sen",
        "C Forsinket milepæl",
        "B Beslutning snart",
    ]
    assert sheet["A2"].data_type == "s"


def test_the_steering_group_sees_that_a_consultation_was_held_not_what_was_said(
    client, steering, leader, portfolio
):
    soon = portfolio["soon"]
    start = dt.datetime(2026, 2, 20, 9, tzinfo=dt.UTC)
    MeetingFactory(
        project=soon,
        title="Hemmelig tittel",
        kind=Meeting.Kind.CONSULTATION,
        status=Meeting.Status.PROTOCOL_APPROVED,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
    )
    client.force_login(steering)
    body = client.get(reverse("reports:dashboard")).content.decode()
    assert "20.02.2026, drøftingsmøte: protokoll godkjent" in body
    card = client.get(reverse("reports:dashboard-project", args=[soon.pk])).content.decode()
    assert "Drøftingsmøte, 20.02.2026 – protokoll godkjent" in card
    assert "Hemmelig tittel" not in body + card


def test_a_card_of_a_project_the_user_cannot_see_is_404(client, outsider, portfolio):
    client.force_login(outsider)
    url = reverse("reports:dashboard-project", args=[portfolio["red"].pk])
    assert client.get(url).status_code == 404


# The project (access helper: the project and the user's rights), then the card's queries: the
# project with its counts, phases, reports, decision points, decision requests (and the meetings,
# for a project that has any).
CARD_QUERIES = REQUEST + 2 + 5


@pytest.mark.usefixtures("nothing_cached")
def test_a_card_makes_a_fixed_number_of_queries(
    client, steering, portfolio, django_assert_num_queries
):
    client.force_login(steering)
    for project in (portfolio["fine"], portfolio["soon"]):
        with django_assert_num_queries(CARD_QUERIES):
            assert (
                client.get(reverse("reports:dashboard-project", args=[project.pk])).status_code
                == 200
            )


def test_staffing_is_counted_in_full_time_equivalents(client, project, leader, steering):
    from decimal import Decimal

    from .factories import OrgUnitFactory, PositionFactory

    unit = OrgUnitFactory(project=project, structure="future", name="Sykehjem")
    PositionFactory(unit=unit, title="Sykepleier", fte=Decimal("1040"))
    PositionFactory(unit=unit, title="Leder", fte=Decimal("100"))
    client.force_login(steering)
    body = client.get(reverse("roles:staffing", args=[project.pk])).content.decode()
    assert "Til sammen 11,4 årsverk, 0,0 besatt og 11,4 ledig." in body
    assert "<td>10,4</td>" in body


def test_the_portfolio_timeline_shows_the_window_with_a_table(
    client, steering, portfolio, django_assert_num_queries
):
    from projects.models import Phase

    overdue = portfolio["overdue"]
    Phase.objects.create(
        project=overdue,
        order=1,
        name="Utredning",
        start_date=D(2026, 1, 5),
        end_date=D(2026, 4, 30),
    )
    MilestoneFactory(project=overdue, code="B9", title="Vedtak", kind="decision_point",
                     due_date=D(2026, 6, 1))  # fmt: skip
    MilestoneFactory(project=overdue, code="M9", title="Etter vinduet", due_date=D(2026, 9, 15))
    client.force_login(steering)
    url = reverse("reports:dashboard-timeline")
    # The filters' choices, the standings, the page's projects, their phases and milestones.
    with django_assert_num_queries(REQUEST + 6):
        body = client.get(url).content.decode()
    assert 'role="img"' in body and "Tidslinje for porteføljen" in body
    assert "02.03.2026 til 01.09.2026" in body  # today and six months
    assert "Beslutningspunkt B9: Vedtak" in body
    assert "Fase: Utredning" in body
    assert "Etter vinduet" not in body
    longer = client.get(url, {"maneder": "12"}).content.decode()
    assert "Etter vinduet" in longer
    assert client.get(url, {"fra": "31.12.9999", "maneder": "x"}).status_code == 200
