import io

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction

from projects.models import Membership, Project

# Fixtures defined in their own modules, registered once here: browser, page, smtp_sink,
# start_worker, worker_redis_url.
from .browser import browser_fixture, page_fixture  # noqa: F401
from .factories import (
    MembershipFactory,
    OrganisationFactory,
    ProjectFactory,
    UserFactory,
    build_staff,
)
from .smtp_sink import smtp_sink_fixture  # noqa: F401
from .worker import start_worker_fixture, worker_redis_url_fixture  # noqa: F401

Role = Membership.Role


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Åmot kommune")


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(name="Nabokommune")


@pytest.fixture
def owner(organisation):
    return UserFactory(username="eier", organisations=[organisation])


@pytest.fixture
def leader(organisation):
    user = UserFactory(username="leder", organisations=[organisation])
    user.user_permissions.add(Permission.objects.get(codename="add_project"))
    return user


@pytest.fixture
def project(organisation, owner, leader):
    return ProjectFactory(organisation=organisation, owner=owner, leader=leader)


@pytest.fixture
def member_with_role(project, leader):
    """member_with_role("union_rep") is a user of the organisation holding that role."""

    def make(role, **kwargs):
        return MembershipFactory(project=project, role=role, by=leader, **kwargs).user

    return make


@pytest.fixture
def steering(member_with_role):
    return member_with_role(Role.STEERING)


@pytest.fixture
def staff(project, leader):
    """The organization and three fictitious employees of factories.build_staff."""
    return build_staff(project, leader)


@pytest.fixture
def outsider(other_organisation):
    return UserFactory(username="utenfor", organisations=[other_organisation])


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Stored PDFs go to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (this process's own memory): a page kept under the
    data version by an earlier test, whose data were rolled back, is never found (core.cache)."""
    cache.clear()


@pytest.fixture
def nothing_cached(settings):
    """Pages as they are built: what core.cache keeps (the menu's task count, the project list,
    the portfolio) is built on every request, for tests that count a page's queries."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo (`load_demo`, from the seeds), built once for a test module, in a transaction
    rolled back after it. Each test runs in a savepoint inside it (the `db` fixture), so what a
    test changes is gone before the next. Nothing is committed, so nothing queued to run after a
    commit (PDFs, mail) runs: the PDF tests render what they read."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_data, db):
    """The three seed projects (not the neighbour's, which their users cannot see)."""
    return Project.objects.exclude(code="NABO-SERVICE").order_by("pk")
