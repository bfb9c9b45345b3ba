"""The API with the demo: an API role walk (each demo user's token gets what their pages show,
an outsider nothing, and no employee's name without the personal-data scope and right), the
access log, the portfolio fields, constant queries per page, and schemathesis against the live
schema with the leader's and a steering member's tokens."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from api.models import Scope
from milestones.models import Milestone
from projects.models import Project
from projects.permissions import VIEW_PERSONAL_DATA, project_permissions
from roles.models import Employee, PersonalDataAccess

from .factories import EmployeeFactory, MilestoneFactory
from .test_api import ALL, api, make_token, project_url

RESOURCES = [
    "phases/",
    "workstreams/",
    "milestones/",
    "activities/",
    "status-reports/",
    "risks/",
    "decision-requests/",
    "meetings/",
    "units/",
    "positions/",
]
PERSONAL = ["employees/", "placements/"]
DEMO_USERS = [
    "admin",
    "eier",
    "leder",
    "styring",
    "medlem",
    "hr",
    "tillitsvalgt",
    "verneombud",
    "kdg",
    "kdl",
    "utenfor",
]


@pytest.mark.parametrize("username", DEMO_USERS)
def test_the_api_role_walk_gives_each_demo_user_what_their_pages_show(client, demo, username):
    user = User.objects.get(username=username)
    plain = make_token(user)
    visible = set(Project.objects.visible_to(user).values_list("pk", flat=True))
    listed = {p["id"] for p in api(client, plain).json()["results"]}
    assert listed == visible
    names = {
        f"{first} {last}" for first, last in Employee.objects.values_list("first_name", "last_name")
    }
    read_only = make_token(user, [Scope.READ])
    for project in Project.objects.all():
        if project.pk not in visible:
            for resource in ["", *RESOURCES, *PERSONAL]:
                assert api(client, plain, url=project_url(project, resource)).status_code == 404
            continue
        assert api(client, plain, url=f"/api/v1/projects/{project.pk}/").status_code == 200
        for resource in RESOURCES:
            response = api(client, plain, url=project_url(project, resource))
            assert response.status_code == 200, (resource, response.content)
            assert not [n for n in names if n in response.content.decode()], resource
        sees = VIEW_PERSONAL_DATA in project_permissions(user, project)
        for resource in PERSONAL:
            response = api(client, plain, url=project_url(project, resource))
            assert response.status_code == (200 if sees else 403), resource
            # Without the scope, not even a user with the right gets names.
            assert api(client, read_only, url=project_url(project, resource)).status_code == 403
    logged = PersonalDataAccess.objects.filter(user=user, purpose=PersonalDataAccess.Purpose.API)
    if username in ("styring", "medlem", "tillitsvalgt", "verneombud", "kdg", "kdl"):
        assert not logged.exists()


def test_every_response_with_employees_is_in_the_access_log_and_never_cached(client, demo):
    hr = User.objects.get(username="hr")
    project = next(p for p in demo if p.employees.exists())
    plain = make_token(hr)
    response = api(client, plain, url=project_url(project, "employees/?page_size=5"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    shown = {row["id"] for row in response.json()["results"]}
    assert len(shown) == 5
    entry = PersonalDataAccess.objects.get(user=hr, purpose=PersonalDataAccess.Purpose.API)
    assert set(entry.employees.values_list("pk", flat=True)) == shown
    assert entry.path.startswith(f"/api/v1/projects/{project.pk}/employees/")


def test_a_steering_member_sees_the_portfolio_fields_and_no_draft_decision_request(client, demo):
    steering = User.objects.get(username="styring")
    plain = make_token(steering, [Scope.READ])
    rows = api(client, plain).json()["results"]
    assert rows and all(
        {"current_phase", "lights", "latest_report", "next_report_due", "milestones"} <= set(row)
        for row in rows
    )
    reported = [row for row in rows if row["latest_report"]]
    assert reported and all(len(row["lights"]) == 6 for row in reported)
    for project in demo:
        requests = api(client, plain, url=project_url(project, "decision-requests/")).json()
        drafts = project.decision_requests.filter(report__state="draft").values_list(
            "pk", flat=True
        )
        assert not {r["id"] for r in requests["results"]} & set(drafts)


def test_a_steering_member_may_not_set_a_milestones_status(client, demo):
    steering = User.objects.get(username="styring")
    plain = make_token(steering, [Scope.READ, Scope.WRITE])
    milestone = Milestone.objects.filter(project=demo[0]).first()
    url = project_url(demo[0], f"milestones/{milestone.pk}/")
    response = api(client, plain, "patch", url, {"status": "reached"})
    assert response.status_code == 403
    assert response.json()["title"] == "Ingen tilgang"


def _count(client, plain, url):
    with CaptureQueriesContext(connection) as queries:
        assert api(client, plain, url=url).status_code == 200
    return len(queries)


def test_a_page_of_results_costs_the_same_queries_at_any_size(client, demo):
    leader = User.objects.get(username="leder")
    plain = make_token(leader, ALL)
    project = next(p for p in demo if p.employees.exists())
    api(client, plain)  # the token's first use is noted once (last_used_at)
    urls = ["/api/v1/projects/", *(project_url(project, r) for r in RESOURCES + PERSONAL)]
    before = {url: _count(client, plain, url) for url in urls}
    for n in range(30):
        MilestoneFactory(project=project, code=f"X{n}")
    for n in range(30):
        EmployeeFactory(project=project, employee_number=f"X{n}")
    after = {url: _count(client, plain, url) for url in urls}
    assert after == before
    assert max(before.values()) <= 12
