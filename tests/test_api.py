"""The API (/api/v1/): tokens stored hashed, scoped and revocable; the same rights as the pages
through the same access helper (404 for a project the user cannot see, 403 for what they may
not do); personal data only with the scope and the right, each response in the access log; the
JSON imports with the CSV import's rules; problem details; a rate limit per token; constant
queries per page."""

import datetime as dt

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from api import tokens
from api.models import ApiToken, Scope
from milestones.models import Milestone
from projects.models import Membership
from roles.models import Employee, OrgUnit, PersonalDataAccess

from .factories import MilestoneFactory, ProjectFactory

Role = Membership.Role
ALL = [Scope.READ, Scope.WRITE, Scope.PERSONAL_DATA]


def make_token(user, scopes=ALL, days=30):
    _token, plain = tokens.create_token(
        user=user,
        name="Test",
        scopes=list(scopes),
        expires_at=timezone.now() + dt.timedelta(days=days),
        by=user,
    )
    return plain


def api(client, plain, method="get", url="/api/v1/projects/", data=None):
    call = getattr(client, method)
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {plain}"}
    if data is not None:
        kwargs.update(data=data, content_type="application/json")
    return call(url, **kwargs)


def project_url(project, resource=""):
    return f"/api/v1/projects/{project.pk}/{resource}"


# --- Tokens --------------------------------------------------------------------------------------


def test_a_token_is_kept_as_its_hash_and_opens_the_api_until_revoked(client, leader, project):
    plain = make_token(leader, [Scope.READ])
    token = ApiToken.objects.get(user=leader)
    assert plain.startswith(f"reorg_{token.prefix}_")
    assert plain not in str(ApiToken.objects.values_list().get()) and token.digest != plain
    assert token.history.first().history_user == leader

    response = api(client, plain)
    assert response.status_code == 200
    assert [p["id"] for p in response.json()["results"]] == [project.pk]

    tokens.revoke_token(token=token, by=leader)
    refused = api(client, plain)
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"
    assert refused["WWW-Authenticate"] == 'Bearer realm="reorg"'
    assert refused.json()["detail"] == "Nøkkelen er ukjent, utløpt eller trukket tilbake."


def test_no_token_a_wrong_one_and_an_expired_one_get_401(client, leader, project):
    assert client.get("/api/v1/projects/").status_code == 401
    assert api(client, "reorg_0000_nope").status_code == 401
    plain = make_token(leader, [Scope.READ])
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api(client, plain).status_code == 401
    # A session (a logged-in browser) opens nothing in the API.
    client.force_login(leader)
    assert client.get("/api/v1/projects/").status_code == 401


def test_the_scopes_limit_what_a_token_may_do(client, leader, project):
    milestone = MilestoneFactory(project=project, code="M1")
    read = make_token(leader, [Scope.READ])
    url = project_url(project, f"milestones/{milestone.pk}/")
    response = api(client, read, "patch", url, {"status": "in_progress"})
    assert response.status_code == 403
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.PLANNED

    write = make_token(leader, [Scope.WRITE])
    assert api(client, write, url=url).status_code == 403  # writing is not reading
    write = make_token(leader, [Scope.READ, Scope.WRITE])
    response = api(client, write, "patch", url, {"status": "in_progress"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_progress"
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.IN_PROGRESS
    assert milestone.history.first().history_user == leader


def test_a_token_is_made_and_revoked_on_the_profile_page(client, leader):
    client.force_login(leader)
    page = client.get(reverse("profile"))
    assert reverse("api:tokens") in page.content.decode()
    expires = timezone.localdate() + dt.timedelta(days=30)
    response = client.post(
        reverse("api:tokens"),
        {"name": "Power BI", "scopes": ["read"], "expires_on": expires.isoformat()},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=leader)
    assert token.scopes == ["read"] and timezone.localtime(token.expires_at).date() == expires
    plain = response.context["made"]
    assert tokens.authenticate(plain) == token
    assert plain not in client.get(reverse("api:tokens")).content.decode()  # shown once

    too_late = timezone.localdate() + dt.timedelta(days=400)
    refused = client.post(
        reverse("api:tokens"), {"name": "X", "scopes": ["read"], "expires_on": too_late}
    )
    assert "En nøkkel kan gjelde i høyst 365 dager." in refused.content.decode()
    assert ApiToken.objects.count() == 1

    client.post(reverse("api:token-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert tokens.authenticate(plain) is None


def test_nobody_revokes_another_users_token(client, leader, owner):
    make_token(leader)
    client.force_login(owner)
    token = ApiToken.objects.get()
    assert client.post(reverse("api:token-revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_command_prints_a_read_token(leader, capsys):
    call_command("create_api_token", leader.username)
    plain = capsys.readouterr().out.strip()
    token = tokens.authenticate(plain)
    assert token.user == leader and token.scopes == ["read"]


def test_a_service_token_acts_as_an_account_of_its_organisation(organisation, owner):
    token, plain = tokens.create_service_token(
        organisation=organisation,
        name="Visma HR",
        scopes=["read"],
        expires_at=timezone.now() + dt.timedelta(days=10),
        by=owner,
    )
    account = token.user
    assert not account.has_usable_password()
    assert organisation.members.filter(pk=account.pk).exists()
    assert token.organisation == organisation
    assert tokens.authenticate(plain) == token


# --- Same rights as the pages -------------------------------------------------------------------

# --- Imports -------------------------------------------------------------------------------------


def test_employees_are_imported_as_json_all_or_nothing_with_errors_by_row(
    client, project, member_with_role
):
    hr = member_with_role(Role.HR)
    plain = make_token(hr)
    unit = OrgUnit.objects.create(project=project, structure="current", name="Skole", code="S1")
    url = project_url(project, "employees/import/")
    rows = [
        {"employee_number": "1", "first_name": "Kari", "last_name": "Li", "unit": "S1"},
        {"employee_number": "1", "first_name": "", "last_name": "Hol", "fte": "abc"},
    ]
    response = api(client, plain, "post", url, rows)
    assert response.status_code == 400, response.content
    problem = response.json()
    messages = [e["message"] for e in problem["errors"]]
    assert any(m.startswith("Rad 2: ") and "Fornavnet mangler." in m for m in messages)
    assert not Employee.objects.filter(project=project).exists()

    rows[1] = {"employee_number": "2", "first_name": "Ola", "last_name": "Hol", "fte": "80,5"}
    response = api(client, plain, "post", url, rows)
    assert response.status_code == 201, response.content
    assert response.json() == {"created": 2}
    kari = Employee.objects.get(employee_number="1")
    assert kari.current_unit == unit and kari.history.first().history_user == hr
    assert PersonalDataAccess.objects.filter(purpose="import", user=hr).exists()


def test_units_are_imported_as_json(client, project, leader):
    plain = make_token(leader)
    url = project_url(project, "units/import/")
    rows = [
        {"code": "B", "name": "Barnehage", "parent": "A"},
        {"code": "A", "name": "Oppvekst", "kind": "Sektor"},
    ]
    response = api(client, plain, "post", url, rows)
    assert response.status_code == 201, response.content
    assert [u["code"] for u in response.json()] == ["B", "A"]
    assert OrgUnit.objects.get(code="B").parent.code == "A"
    bad = api(client, plain, "post", url, [{"code": "A", "name": "Igjen"}, {"name": 3}])
    assert bad.status_code == 400
    assert bad["Content-Type"] == "application/problem+json"
    assert OrgUnit.objects.filter(project=project).count() == 2


# --- Problems, rate limit, queries ---------------------------------------------------------------


def test_errors_are_problem_details_in_norwegian(client, leader, project, other_organisation):
    plain = make_token(leader)
    hidden = ProjectFactory(organisation=other_organisation)
    response = api(client, plain, url=f"/api/v1/projects/{hidden.pk}/risks/")
    assert response.status_code == 404
    body = response.json()
    assert body["status"] == 404 and body["title"] == "Finnes ikke"
    assert body["instance"] == f"/api/v1/projects/{hidden.pk}/risks/"
    milestone = MilestoneFactory(project=project, code="M1")
    bad = api(
        client, plain, "patch", project_url(project, f"milestones/{milestone.pk}/"), {"status": 1}
    )
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "/status"


def test_a_token_is_limited_to_its_rate(client, leader, project, settings):
    settings.API_RATE_LIMIT = "3/minute"
    plain = make_token(leader, [Scope.READ])
    assert [api(client, plain).status_code for _ in range(3)] == [200, 200, 200]
    limited = api(client, plain)
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert limited.json()["title"] == "For mange forespørsler"
    other = make_token(leader, [Scope.READ])
    assert api(client, other).status_code == 200  # counted per token


def test_the_schema_and_the_docs_are_public_and_the_docs_page_lists_every_operation(client):
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/projects/{project_pk}/employees/import/" in paths
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    body = docs.content.decode()
    assert "/api/v1/projects/{project_pk}/milestones/{id}/" in body
    assert "<script>" not in body and "style=" not in body


def test_an_administrator_makes_a_service_token_in_the_admin(client, organisation):
    admin = User.objects.create_superuser("root", "root@example.no", "pw")
    client.force_login(admin)
    add = reverse("admin:api_apitoken_add")
    assert client.get(add).status_code == 200
    response = client.post(
        add,
        {"organisation": organisation.pk, "name": "Visma HR", "scopes": ["read"], "days": 30},
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    plain = next(m.rsplit(": ", 1)[1] for m in shown if "Tjenestenøkkelen" in m)
    assert tokens.authenticate(plain) == token
    assert token.organisation == organisation and token.user.username.startswith("tjeneste-")
    assert client.get(reverse("admin:api_apitoken_change", args=[token.pk])).status_code == 200
