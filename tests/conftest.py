import pytest
from django.contrib.auth.models import Permission

from projects import services
from projects.models import Membership

# Fixtures defined in their own modules, registered once here: browser, page, smtp_sink,
# start_worker, worker_redis_url.
from .browser import browser_fixture, page_fixture  # noqa: F401
from .factories import OrganisationFactory, UserFactory, make_project
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
    return make_project(organisation=organisation, owner=owner, leader=leader)


@pytest.fixture
def member_with_role(project, organisation, leader):
    """member_with_role("union_rep") is a user of the organisation holding that role."""

    def make(role, **kwargs):
        user = UserFactory(organisations=[organisation])
        services.add_member(project=project, user=user, role=role, by=leader, **kwargs)
        return user

    return make


@pytest.fixture
def steering(member_with_role):
    return member_with_role(Role.STEERING)


@pytest.fixture
def outsider(other_organisation):
    return UserFactory(username="utenfor", organisations=[other_organisation])


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Stored PDFs go to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path
