"""Personal data from import to deletion: an employee erased on request leaves none of their
values in any table, live or history; every response that shows an employee's data is one row in
the access log and is never cached; a closed project's personal data is erased when its retention
ends (with a frozen clock), after a warning and at most one extension; the access request and
the record of processing; insight for a purpose that ends by itself; users pseudonymised."""

import datetime as dt
import json
import re

import pytest
import time_machine
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notifications.models import OutgoingMail
from projects import services as project_services
from projects.models import Membership, Project
from roles import privacy
from roles import services as role_services
from roles.models import Employee, MappingInterview, PersonalDataAccess, Placement, Wish

from .factories import (
    AgendaItemFactory,
    EmployeeFactory,
    MappingInterviewFactory,
    MeetingFactory,
    OrgUnitFactory,
    PlacementFactory,
    PositionFactory,
)

Role = Membership.Role
# Values no factory makes, so that finding one anywhere means it was not erased.
PERSON = {
    "first_name": "Sigrun",
    "last_name": "Brekkestø",
    "employee_number": "8812345",
    "current_position": "Fagkoordinator palliasjon",
    "competences": "Palliasjonsutdanning\nVeiledningskompetanse",
}
NOTES = "Ønsker redusert stilling på grunn av omsorg for foreldre."
PLACEMENT_NOTE = "Tilrettelegging etter sykmelding i 2025."


@pytest.fixture
def hr(member_with_role):
    return member_with_role(Role.HR)


@pytest.fixture
def person(project, leader, hr):
    unit = OrgUnitFactory(project=project, name="Institusjon", by=leader)
    position = PositionFactory(unit=unit, title="Sykepleier", fte=200, by=leader)
    employee = EmployeeFactory(
        project=project, start_date=dt.date(2011, 3, 1),
        restructuring_conversation_on=dt.date(2026, 2, 2), by=hr, **PERSON,
    )  # fmt: skip
    MappingInterviewFactory(employee=employee, held_by=hr, notes=NOTES, wishes=[position], by=hr)
    PlacementFactory(employee=employee, position=position, note=PLACEMENT_NOTE, by=hr)
    return employee


def identifying_values(employee_fields=PERSON) -> list[str]:
    return [*employee_fields.values(), NOTES, PLACEMENT_NOTE, "Palliasjonsutdanning"]


def text_anywhere(needles: list[str]) -> list[tuple[str, str]]:
    """Every (table, value) pair where one of the needles stands in a text column of any of the
    project's models, live or historical."""
    found = []
    for model in apps.get_models():
        if model._meta.app_label not in {"accounts", "projects", "milestones", "roles",
                                          "consultations", "reports", "notifications"}:  # fmt: skip
            continue
        text_fields = [
            f.name for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField))
        ]  # fmt: skip
        for row in model.objects.values(*text_fields):
            for value in row.values():
                flat = (
                    json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
                )
                for needle in needles:
                    if needle and needle in (flat or ""):
                        found.append((model._meta.db_table, needle))
    return found


# --- Erasure ---------------------------------------------------------------------------------------


def test_erasing_an_employee_leaves_none_of_their_values_in_any_table_live_or_history(
    client, project, hr, person
):
    client.force_login(hr)
    client.get(reverse("roles:employee", args=[project.pk, person.pk]))  # logged
    assert text_anywhere(identifying_values())  # there before
    url = reverse("roles:employee_erase", args=[project.pk, person.pk])
    page = client.get(url).content.decode()
    assert "navn og ansattnummer" in page and "1 kartleggingssamtale, med notater og ønsker" in page
    assert client.post(url, {"reason": "Bedt om sletting", "confirm": ""}).status_code == 200
    assert Employee.objects.get(pk=person.pk).erased_at is None  # not confirmed: nothing erased
    response = client.post(url, {"reason": "Den ansatte har bedt om sletting", "confirm": "on"})
    assert response.status_code == 302

    assert text_anywhere(identifying_values()) == []
    person.refresh_from_db()
    assert person.erased_at and str(person) == privacy.pseudonym(person)
    assert not MappingInterview.objects.filter(employee=person).exists()
    assert not Wish.objects.exists()
    # The placement stays, as a count; the access log keeps its rows, under the pseudonym.
    assert Placement.objects.filter(employee=person).count() == 1
    rows = PersonalDataAccess.objects.filter(employees=person)
    assert (
        rows.filter(purpose="record").exists() and rows.filter(purpose="erasure").count() == 3
    )  # shown twice, then done
    body = client.get(reverse("roles:access_log", args=[project.pk])).content.decode()
    assert privacy.pseudonym(person) in body and "Sigrun" not in body
    assert Employee.history.filter(id=person.pk).first().history_user == hr


def test_an_erased_employee_cannot_be_erased_again_and_others_are_untouched(project, hr, person):
    other = EmployeeFactory(project=project, first_name="Ragnhild", by=hr)
    privacy.erase_employee(employee=person, by=hr)
    with pytest.raises(Exception, match="allerede anonymisert"):
        privacy.erase_employee(employee=Employee.objects.get(pk=person.pk), by=hr)
    other.refresh_from_db()
    assert other.first_name == "Ragnhild" and other.erased_at is None


def test_only_the_owner_and_hr_erase(client, project, leader, owner, hr, steering, person):
    url = reverse("roles:employee_erase", args=[project.pk, person.pk])
    for user, status in ((leader, 403), (owner, 200), (hr, 200), (steering, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status, user


# --- The access log --------------------------------------------------------------------------------


@pytest.fixture
def personal_urls(project, leader, hr, person):
    """Every page and file that shows or gives out an employee's data, and who may read it."""
    placement = person.placements.get()
    interview = person.interviews.get()
    meeting = MeetingFactory(project=project, participants=[{"user": leader, "side": "employer"}],
                             by=leader)  # fmt: skip
    item = AgendaItemFactory(meeting=meeting, links={"placements": [placement]}, by=leader)
    p, e = project.pk, person.pk
    everyone = {"leader", "owner", "hr", "insight"}
    managers = {"leader", "owner", "hr"}
    keepers = {"owner", "hr"}
    return [
        (reverse("roles:employees", args=[p]), "list", everyone),
        (reverse("roles:employees", args=[p]) + "?sok=Brek", "search", everyone),
        (reverse("roles:employee", args=[p, e]), "record", everyone),
        (reverse("roles:employee_edit", args=[p, e]), "edit", managers),
        (reverse("roles:interview_create", args=[p, e]), "interview", managers),
        (reverse("roles:interview_edit", args=[p, e, interview.pk]), "interview", managers),
        (reverse("roles:placements", args=[p]), "placements", everyone),
        (reverse("roles:placement_create", args=[p, e]), "edit", managers),
        (reverse("roles:staffing", args=[p]), "staffing", everyone),
        (reverse("roles:staffing_export", args=[p]), "export", everyone),
        (reverse("consultations:meeting", args=[p, meeting.pk]), "meeting", {"leader", "owner"}),
        (
            reverse("consultations:item_edit", args=[p, meeting.pk, item.pk]),
            "edit",
            {"leader", "owner"},
        ),  # fmt: skip
        (reverse("consultations:placement_decide", args=[p, placement.pk]), "decision", managers),
        (reverse("roles:access_request", args=[p, e, "pdf"]), "access_request", keepers),
        (reverse("roles:access_request", args=[p, e, "json"]), "access_request", keepers),
        (reverse("roles:employee_erase", args=[p, e]), "erasure", keepers),
    ]


def test_every_personal_data_url_is_one_log_row_for_each_allowed_role_and_never_cached(
    client, project, owner, leader, hr, member_with_role, personal_urls
):
    rep = member_with_role(Role.UNION_REP, union_name="Fagforbundet")
    role_services.grant_insight(
        membership=Membership.objects.get(project=project, user=rep), grant=True, by=leader,
        purpose="Drøfting av innplasseringene", until=timezone.localdate() + dt.timedelta(days=14),
    )  # fmt: skip
    users = {"leader": leader, "owner": owner, "hr": hr, "insight": rep}
    for url, purpose, allowed in personal_urls:
        for name, user in users.items():
            client.force_login(user)
            before = PersonalDataAccess.objects.filter(user=user).count()
            response = client.get(url)
            rows = PersonalDataAccess.objects.filter(user=user).order_by("-pk")
            if name not in allowed:
                assert response.status_code in (403, 404), (url, name)
                assert rows.count() == before, (url, name)
                continue
            assert response.status_code == 200, (url, name)
            assert rows.count() == before + 1, (url, name)
            row = rows.first()
            assert row.purpose == purpose and row.employees.filter(pk=person_pk(project)).exists()
            assert (
                "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
            )
    assert set(
        PersonalDataAccess.objects.filter(purpose="search").values_list("query", flat=True)
    ) == {"Brek"}


def person_pk(project) -> int:
    return Employee.objects.get(project=project, employee_number=PERSON["employee_number"]).pk


def test_the_keepers_read_the_log_per_employee_and_per_user(client, project, owner, hr, person):
    client.force_login(hr)
    client.get(reverse("roles:employee", args=[project.pk, person.pk]))
    client.force_login(owner)
    url = reverse("roles:access_log", args=[project.pk])
    body = client.get(url, {"ansatt": person.pk}).content.decode()
    assert str(hr) in body and "En ansatts side" in body
    # Reading the log is not itself logged: the owner has read no one's data.
    body = client.get(url, {"bruker": owner.pk}).content.decode()
    assert "Ingen innsyn registrert." in body
    assert client.get(url, {"ansatt": 999999}).status_code == 404


def test_a_page_without_personal_data_is_cached_as_before_and_not_logged(client, project, steering):
    client.force_login(steering)
    response = client.get(reverse("roles:staffing", args=[project.pk]))
    assert response.status_code == 200 and "no-store" not in response.get("Cache-Control", "")
    assert not PersonalDataAccess.objects.exists()


# --- Insight for a purpose, until a day ---------------------------------------------------------


def test_insight_needs_a_purpose_and_a_day_and_ends_by_itself(
    client, project, leader, member_with_role, person
):
    rep = member_with_role(Role.UNION_REP, union_name="Delta")
    membership = Membership.objects.get(project=project, user=rep)
    client.force_login(leader)
    url = reverse("roles:insight", args=[project.pk, membership.pk])
    assert client.post(url, {"purpose": "", "until": ""}).status_code == 200
    membership.refresh_from_db()
    assert not membership.sees_personal_data
    until = timezone.localdate() + dt.timedelta(days=7)
    client.post(url, {"purpose": "Drøfting 3. mars", "until": until.isoformat()})
    membership.refresh_from_db()
    assert (membership.sees_personal_data, membership.insight_purpose) == (True, "Drøfting 3. mars")
    granted = PersonalDataAccess.objects.get(purpose="insight")
    assert granted.user == leader and "Drøfting 3. mars" in granted.note

    client.force_login(rep)
    assert client.get(reverse("roles:employee", args=[project.pk, person.pk])).status_code == 200
    assert PersonalDataAccess.objects.filter(user=rep, purpose="record").count() == 1  # its use

    assert role_services.end_expired_insight(until) == 0  # still valid that day
    assert role_services.end_expired_insight(until + dt.timedelta(days=1)) == 1
    assert client.get(reverse("roles:employee", args=[project.pk, person.pk])).status_code == 404
    assert PersonalDataAccess.objects.filter(purpose="insight").count() == 2
    membership.refresh_from_db()
    assert membership.history.first().history_user == leader  # withdrawn as who gave it


# --- Retention ------------------------------------------------------------------------------------


def close(project, owner, day):
    with time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC), tick=False):
        project_services.update_mandate_fields(
            project=project, values={"status": Project.Status.COMPLETED}, section="Navn", by=owner
        )


def test_a_closed_projects_personal_data_is_erased_when_its_retention_ends(
    settings, project, owner, hr, person
):
    settings.PERSONAL_DATA_RETENTION_MONTHS = 12
    close(project, owner, dt.date(2026, 1, 10))
    project.refresh_from_db()
    assert project.closed_on == dt.date(2026, 1, 10)
    assert privacy.erasure_due(project) == dt.date(2027, 1, 10)

    with time_machine.travel(dt.datetime(2026, 12, 10, 3, tzinfo=dt.UTC), tick=False):
        assert privacy.apply_retention(timezone.localdate()) == {"warned": [], "erased": []}
    with time_machine.travel(dt.datetime(2026, 12, 11, 3, tzinfo=dt.UTC), tick=False):
        assert privacy.apply_retention(timezone.localdate())["warned"] == [project.pk]
        privacy.apply_retention(timezone.localdate())  # warned once
    warnings = OutgoingMail.objects.filter(kind="privacy.retention")
    assert {w.recipient for w in warnings} == {owner, hr}
    assert all("anonymiseres 10.01.2027" in w.body for w in warnings)

    with time_machine.travel(dt.datetime(2027, 1, 10, 3, tzinfo=dt.UTC), tick=False):
        assert privacy.apply_retention(timezone.localdate())["erased"] == [project.pk]
    person.refresh_from_db()
    assert person.erased_at is not None
    assert text_anywhere(identifying_values()) == []
    project.refresh_from_db()
    assert project.personal_data_erased_at is not None


def test_the_retention_is_extended_once_with_a_reason(client, settings, project, owner, person):
    settings.PERSONAL_DATA_RETENTION_MONTHS = 12
    close(project, owner, dt.date(2026, 1, 31))
    client.force_login(owner)
    url = reverse("roles:processing", args=[project.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    client.post(url, {"reason": "Klagesak om innplassering er til behandling."})
    project.refresh_from_db()
    assert project.retention_extended_until == dt.date(2028, 1, 31)
    assert privacy.erasure_due(project) == dt.date(2028, 1, 31)
    with pytest.raises(Exception, match="allerede forlenget"):
        privacy.extend_retention(project=project, reason="Igjen", by=owner)
    body = client.get(url).content.decode()
    assert "31.01.2028" in body and "Klagesak om innplassering" in body


def test_reopening_a_project_stops_its_retention(project, owner):
    close(project, owner, dt.date(2026, 1, 10))
    project_services.update_mandate_fields(
        project=project, values={"status": Project.Status.ACTIVE}, section="Navn", by=owner
    )
    project.refresh_from_db()
    assert project.closed_on is None and privacy.erasure_due(project) is None


# --- The access request and the record of processing ----------------------------------------------


def test_the_access_request_gives_everything_held_about_the_employee(client, project, hr, person):
    client.force_login(hr)
    response = client.get(reverse("roles:access_request", args=[project.pk, person.pk, "json"]))
    record = json.loads(response.content)
    assert record["employee"]["last_name"] == "Brekkestø"
    assert record["interviews"][0]["notes"] == NOTES and record["interviews"][0]["wishes"]
    assert record["placements"][0]["note"] == PLACEMENT_NOTE
    assert record["changes"] and record["seen_by"]
    assert 'filename="innsyn-sigrun-brekkesto.json"' in response["Content-Disposition"]
    pdf = client.get(reverse("roles:access_request", args=[project.pk, person.pk, "pdf"]))
    assert pdf.content.startswith(b"%PDF")
    assert PersonalDataAccess.objects.filter(purpose="access_request").count() == 2


def test_the_record_of_processing_says_what_why_who_and_until_when(
    client, project, owner, hr, leader, steering, person
):
    client.force_login(hr)
    body = client.get(reverse("roles:processing", args=[project.pk])).content.decode()
    assert "Behandlingsprotokoll for personopplysninger" in body
    assert "Kartleggingssamtaler" in body and "artikkel 6" in body
    assert "12 måneder etter at prosjektet er avsluttet" in body
    for user, status in ((owner, 200), (leader, 403), (steering, 404)):
        client.force_login(user)
        assert client.get(reverse("roles:processing", args=[project.pk])).status_code == status


# --- Users who leave --------------------------------------------------------------------------------


def test_a_user_who_left_is_pseudonymised_without_breaking_the_records(
    client, project, hr, person, leader
):
    client.force_login(hr)
    client.get(reverse("roles:employee", args=[project.pk, person.pk]))
    project_services.pseudonymise_user(user=hr, by=leader)
    hr.refresh_from_db()
    assert (hr.username, hr.first_name, hr.email, hr.is_active) == (
        f"slettet-{hr.pk}",
        "",
        "",
        False,
    )
    assert not Membership.objects.filter(user=hr).exists()
    assert PersonalDataAccess.objects.filter(user=hr).exists()  # the log still names the account
    assert not hr.has_usable_password() and not hr.is_active
    assert User.objects.filter(pk=hr.pk).exists()


# --- The role walk: no employee's name for a role without insight -------------------------------

HREF = re.compile(r'href="(/prosjekter/[^"#?]*)(?:\?[^"#]*)?[#"]')
READ_AS_TEXT = ("text/html", "text/calendar", "application/json", "text/plain", "text/csv")


def crawl(client, start: list[str], limit: int = 400):
    """Every page reachable from `start` by the links on the pages, within the projects, as the
    logged-in user sees them: (url, status, body) for each, text bodies only."""
    seen, queue, pages = set(start), list(start), []
    while queue and len(pages) < limit:
        url = queue.pop(0)
        response = client.get(url)
        kind = response.get("Content-Type", "")
        body = response.content.decode() if kind.startswith(READ_AS_TEXT) else ""
        pages.append((url, response.status_code, body))
        for link in HREF.findall(body):
            # PDFs are rendered from what the pages show, and cost a second each.
            if link not in seen and not link.rstrip("/").endswith("pdf"):
                seen.add(link)
                queue.append(link)
    return pages


@pytest.mark.parametrize("username", ["styring", "medlem", "tillitsvalgt", "verneombud"])
def test_the_role_walk_finds_no_employee_name_for_a_role_without_insight(client, demo, username):
    names = {
        f"{first} {last}" for first, last in Employee.objects.values_list("first_name", "last_name")
    }
    assert len(names) > 10  # the demo's employees
    client.force_login(User.objects.get(username=username))
    start = ["/", *(reverse("reports:overview", args=[project.pk]) for project in demo)]
    pages = crawl(client, start)
    assert len(pages) > 40, "the walk reached the project's pages"
    assert all(status < 500 for _, status, _ in pages)
    leaks = [(url, name) for url, _, body in pages for name in names if name in body]
    assert leaks == []
    assert not PersonalDataAccess.objects.filter(user__username=username).exists()
