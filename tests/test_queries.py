"""Pages make a fixed number of queries whatever the number of projects."""

import pytest
from django.urls import reverse

from projects import services
from projects.models import Membership, Phase, SolutionOption, Workstream

from .factories import OrganisationFactory, UserFactory, make_project


def build(n_projects):
    """n projects across three organisations, each with a written mandate, one steering user in all."""
    organisations = [OrganisationFactory() for _ in range(3)]
    steering = UserFactory(organisations=organisations)
    projects = []
    for i in range(n_projects):
        org = organisations[i % 3]
        boss = UserFactory(organisations=[org])
        project = make_project(organisation=org, owner=boss, leader=boss, code=f"P{i}")
        services.add_member(project=project, user=steering, role=Membership.Role.STEERING, by=boss)
        services.replace_goals(
            project=project, kind="result", texts=["a", "b", "c"], section="R", by=boss
        )
        services.replace_benefits(
            project=project, rows=[{"title": "g1"}, {"title": "g2"}], section="G", by=boss
        )
        services.save_phase(phase=Phase(project=project, name="Fase 1"), by=boss)
        for w in range(2):
            ws = services.save_workstream(
                workstream=Workstream(project=project, name=f"Strøm {w}"), by=boss
            )
            ws.members.add(boss)
            for o in range(3):
                services.save_option(
                    option=SolutionOption(workstream=ws, title=f"F{o}", is_zero_alternative=o == 0),
                    by=boss,
                )
        services.decide_mandate(project=project, by=boss)
        projects.append(project)
    return steering, projects


# Every page: session, user, and at the end the session saved again (savepoint, update, release)
# because sessions end after 30 idle minutes (SESSION_SAVE_EVERY_REQUEST).
REQUEST = 5
# + count, the page of projects with organisation, owner and leader joined, and whether the user
# may start projects (their own and their groups' permissions)
PROJECT_LIST_QUERIES = REQUEST + 4
# + project, permissions, goals, benefits, phases, workstreams (+lead), options, versions
MANDATE_QUERIES = REQUEST + 8
# + project, permissions, workstreams, memberships, phases, latest version
OVERVIEW_QUERIES = REQUEST + 6
# + project, permissions, workstreams (+lead), options, members
WORKSTREAMS_QUERIES = REQUEST + 5


# + project, permissions, memberships with their users
MEMBERS_QUERIES = REQUEST + 3
# + project, permissions, and the history of the project, goals, benefits, phases, workstreams,
# options and memberships (each with its users)
CHANGELOG_QUERIES = REQUEST + 2 + 7


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
        response = client.get(reverse("projects:mandate", args=[project.pk]))
    assert response.status_code == 200

    with django_assert_num_queries(OVERVIEW_QUERIES):
        assert client.get(reverse("reports:overview", args=[project.pk])).status_code == 200

    with django_assert_num_queries(MEMBERS_QUERIES):
        assert client.get(reverse("projects:members", args=[project.pk])).status_code == 200

    with django_assert_num_queries(CHANGELOG_QUERIES):
        assert client.get(reverse("projects:changelog", args=[project.pk])).status_code == 200

    with django_assert_num_queries(WORKSTREAMS_QUERIES):
        assert client.get(reverse("projects:workstreams", args=[project.pk])).status_code == 200
