"""The role walk: every project URL as every demo user, against DESIGN.md's permissions.

The demo data is the real thing (load_demo from the seeds), so this also proves that it builds."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from projects.models import MandateVersion, Membership, Project

EDITORS = {"eier", "leder"}
READERS = {"styring", "medlem", "hr", "tillitsvalgt", "verneombud"}
NOT_MEMBERS = {"utenfor", "admin"}


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Project.objects.exclude(code="NABO-SERVICE").order_by("pk")


def read_urls(project):
    phase = project.phases.first()
    workstream = project.workstreams.first()
    urls = [
        reverse("reports:overview", args=[project.pk]),
        reverse("projects:mandate", args=[project.pk]),
        reverse("projects:mandate_section", args=[project.pk, "bakgrunn"]),
        reverse("projects:changelog", args=[project.pk]),
        reverse("projects:phases", args=[project.pk]),
        reverse("projects:workstreams", args=[project.pk]),
        reverse("projects:members", args=[project.pk]),
    ]
    if workstream:
        urls.append(reverse("projects:workstream", args=[project.pk, workstream.pk]))
    edit_urls = [reverse("projects:mandate_section", args=[project.pk, "gevinster"]) + "?rediger=1"]
    if phase:
        edit_urls.append(reverse("projects:phase_edit", args=[project.pk, phase.pk]))
    option = workstream and workstream.options.first()
    if option:
        edit_urls.append(
            reverse("projects:option_edit", args=[project.pk, workstream.pk, option.pk])
        )
    return urls, edit_urls


def expected(username, editing=False):
    if username in NOT_MEMBERS:
        return 404
    if editing and username not in EDITORS:
        return 403
    return 200


@pytest.mark.parametrize("username", sorted(EDITORS | READERS | NOT_MEMBERS))
def test_every_role_gets_exactly_what_design_md_says(client, demo, username):
    user = User.objects.get(username=username)
    client.force_login(user)
    for project in demo:
        urls, edit_urls = read_urls(project)
        for url in urls:
            assert client.get(url).status_code == expected(username), (username, url)
        for url in edit_urls:
            assert client.get(url).status_code == expected(username, editing=True), (username, url)


@pytest.mark.parametrize("username", sorted(READERS | NOT_MEMBERS))
def test_posts_by_those_who_may_not_are_refused_and_change_nothing(client, demo, username):
    client.force_login(User.objects.get(username=username))
    project = demo.get(code="AMOT-ADM")
    before = (
        Project.objects.values().get(pk=project.pk),
        Membership.objects.count(),
        MandateVersion.objects.count(),
        project.phases.count(),
    )
    status = 404 if username in NOT_MEMBERS else 403
    workstream = project.workstreams.first()
    posts = [
        (
            reverse("projects:mandate_section", args=[project.pk, "bakgrunn"]),
            {"bakgrunn-background": "Kapret"},
        ),
        (reverse("projects:decide_mandate", args=[project.pk]), {}),
        (
            reverse("projects:phases", args=[project.pk]),
            {"ny-order": "9", "ny-name": "Kapret fase"},
        ),
        (reverse("projects:phase_delete", args=[project.pk, project.phases.first().pk]), {}),
        (
            reverse("projects:workstream", args=[project.pk, workstream.pk]),
            {"name": "Kapret", "order": "1"},
        ),
        (
            reverse("projects:option_add", args=[project.pk, workstream.pk]),
            {"forslag-title": "Kapret"},
        ),
        (reverse("projects:members", args=[project.pk]), {"user": "1", "role": "owner"}),
        (reverse("projects:member_remove", args=[project.pk, project.memberships.first().pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == status, (username, url)
    after = (
        Project.objects.values().get(pk=project.pk),
        Membership.objects.count(),
        MandateVersion.objects.count(),
        project.phases.count(),
    )
    assert after == before


def test_the_owner_decides_and_the_leader_manages_members(client, demo):
    project = demo.get(code="OU-VELFERD")
    client.force_login(User.objects.get(username="leder"))
    assert client.post(reverse("projects:decide_mandate", args=[project.pk])).status_code == 403
    observer = User.objects.get(username="medlem")
    response = client.post(
        reverse("projects:members", args=[project.pk]), {"user": observer.pk, "role": "observer"}
    )
    assert response.status_code == 302
    client.force_login(User.objects.get(username="eier"))
    assert client.post(reverse("projects:decide_mandate", args=[project.pk])).status_code == 302
    assert project.mandate_versions.count() == 1


def test_the_outsider_sees_only_their_own_project(client, demo):
    client.force_login(User.objects.get(username="utenfor"))
    body = client.get(reverse("projects:list")).content.decode()
    assert "NABO-SERVICE" in body
    for project in demo:
        assert project.name not in body


def test_load_demo_twice_changes_nothing(demo):
    counts = (User.objects.count(), Project.objects.count(), Membership.objects.count())
    history = Project.history.count()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (User.objects.count(), Project.objects.count(), Membership.objects.count()) == counts
    assert Project.history.count() == history


def test_demo_history_always_names_a_user(demo):
    assert not Project.history.filter(history_user__isnull=True).exists()
    assert not Membership.history.filter(history_user__isnull=True).exists()


def test_the_leader_cannot_make_anyone_owner_nor_remove_the_owner(client, demo):
    project = demo.get(code="AMOT-ADM")
    leader = User.objects.get(username="leder")
    client.force_login(leader)
    response = client.post(
        reverse("projects:members", args=[project.pk]), {"user": leader.pk, "role": "owner"}
    )
    assert "Bare prosjekteieren kan endre hvem som er prosjekteier." in response.content.decode()
    owner_membership = project.memberships.get(role="owner")
    client.post(reverse("projects:member_remove", args=[project.pk, owner_membership.pk]))
    assert project.memberships.filter(role="owner").get().user.username == "eier"
    assert client.post(reverse("projects:decide_mandate", args=[project.pk])).status_code == 403


def test_the_owner_hands_over_and_the_mandate_names_the_new_owner(client, demo):
    project = demo.get(code="OU-VELFERD")
    kdg = User.objects.get(username="kdg")
    client.force_login(User.objects.get(username="eier"))
    client.post(reverse("projects:members", args=[project.pk]), {"user": kdg.pk, "role": "owner"})
    old = project.memberships.get(role="owner", user__username="eier")
    client.post(reverse("projects:member_remove", args=[project.pk, old.pk]))
    project.refresh_from_db()
    assert project.owner == kdg
    assert Project.history.filter(id=project.pk).first().history_user.username == "eier"
    # Without a role in the project, the old owner no longer sees it.
    assert client.get(reverse("projects:mandate", args=[project.pk])).status_code == 404
