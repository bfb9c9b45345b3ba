"""What core.cache keeps between changes (the portfolio, the project list, the menu's task count):
taken from the cache while the data are unchanged, built again at once after any change to them,
and built without the cache when it cannot be reached."""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from core.cache import VERSION_KEY, data_version
from notifications.models import OutgoingMail
from notifications.outbox import _failed
from projects import services as project_services
from projects.models import Membership

from .factories import UserFactory
from .test_home import menu_count
from .test_queries import REQUEST

Role = Membership.Role


@pytest.fixture
def reader(organisation):
    return UserFactory(username="leser", organisations=[organisation])


def test_an_unchanged_portfolio_costs_only_the_request_itself(
    client, project, steering, django_assert_num_queries
):
    client.force_login(steering)
    first = client.get(reverse("reports:dashboard")).content.decode()
    assert project.name in first
    # Session and user, and the session saved again: no query for the page or the menu.
    with django_assert_num_queries(REQUEST - 1):
        again = client.get(reverse("reports:dashboard")).content.decode()
    assert _main(again) == _main(first)


def test_the_project_list_from_the_cache_is_the_same_page(
    client, project, leader, django_assert_num_queries
):
    client.force_login(leader)
    first = client.get(reverse("projects:list")).content.decode()
    with django_assert_num_queries(REQUEST - 1):
        again = client.get(reverse("projects:list")).content.decode()
    assert _main(again) == _main(first) and project.name in again


def _main(body: str) -> str:
    """The page's own content (the rest holds a new form token and CSP nonce each time)."""
    return body[body.index("<main") : body.index("</main>")]


def test_a_new_member_sees_the_project_at_once(client, project, leader, reader):
    client.force_login(reader)
    assert project.name not in client.get(reverse("reports:dashboard")).content.decode()
    assert project.name not in client.get(reverse("projects:list")).content.decode()

    project_services.add_member(project=project, user=reader, role=Role.STEERING, by=leader)

    assert project.name in client.get(reverse("reports:dashboard")).content.decode()
    assert project.name in client.get(reverse("projects:list")).content.decode()


def test_a_change_made_on_a_page_shows_on_the_next_one(client, organisation, leader):
    """The leader starts a project (a request): the list that was kept shows it at once."""
    leader.user_permissions.add(*_start_projects())
    client.force_login(leader)
    assert "Nytt prosjekt i dag" not in client.get(reverse("projects:list")).content.decode()
    response = client.post(
        reverse("reports:project_create"),
        {
            "start_from": "blank",
            "organisation": organisation.pk,
            "name": "Nytt prosjekt i dag",
            "code": "NYTT-1",
            "start_date": "01.02.2027",
            "owner": leader.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Nytt prosjekt i dag" in client.get(reverse("projects:list")).content.decode()


def test_the_right_to_start_projects_shows_at_once(client, reader):
    """Granted in the admin (Django's permission tables keep no history)."""
    client.force_login(reader)
    assert "Nytt prosjekt</a>" not in client.get(reverse("projects:list")).content.decode()
    reader.user_permissions.add(*_start_projects())
    assert "Nytt prosjekt</a>" in client.get(reverse("projects:list")).content.decode()


def _start_projects():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(codename="add_project", content_type__app_label="projects")


def test_the_menu_counts_a_new_task_at_once(client, project, owner, leader):
    client.force_login(owner)
    before = menu_count(client.get(reverse("projects:list")).content.decode())
    project_services.submit_mandate(project=project, message="Klar", by=leader)
    after = menu_count(client.get(reverse("projects:list")).content.decode())
    assert after == before + 1


def test_mail_that_did_not_arrive_is_counted_at_once(client, project, leader):
    """The outbox keeps no history: giving up on a mail moves the version on itself."""
    client.force_login(leader)
    before = menu_count(client.get(reverse("projects:list")).content.decode())
    mail = OutgoingMail.objects.create(
        kind="test",
        sender=leader,
        recipient=leader,
        to=["leder@example.no"],
        subject="Prøve",
        body="Prøve",
        message_id="<proeve@reorg.example.no>",
        key="page-cache-test",
    )
    from smtplib import SMTPRecipientsRefused

    _failed(mail, SMTPRecipientsRefused({"leder@example.no": (550, b"Ukjent")}), mail.queued_at)
    assert menu_count(client.get(reverse("projects:list")).content.decode()) == before + 1


def test_each_user_has_their_own_page(client, project, steering, reader):
    """The key holds the user: another user with the same query never gets the first one's page."""
    client.force_login(steering)
    assert project.name in client.get(reverse("reports:dashboard")).content.decode()
    client.force_login(reader)
    body = client.get(reverse("reports:dashboard")).content.decode()
    assert project.name not in body
    assert "Du har ikke tilgang til noen prosjekter ennå." in body


def test_the_version_moves_again_after_the_commit(transactional_db, project, leader, reader):
    """Once when the row is written (the transaction reads its own change) and once after the
    commit (a page built from what was committed before cannot keep the new number)."""
    committed = []
    with transaction.atomic():
        # Registered first, so it runs after the commit and before core.cache's own callback.
        transaction.on_commit(lambda: committed.append(data_version()))
        start = data_version()
        project_services.add_member(project=project, user=reader, role=Role.OBSERVER, by=leader)
        written = data_version()
    assert written > start
    assert committed == [written]
    assert data_version() > written


def test_a_new_start_of_the_cache_never_meets_an_old_number(project):
    old = data_version()
    cache.delete(VERSION_KEY)
    assert data_version() > old


def test_pages_answer_when_the_cache_cannot_be_reached(client, settings, project, steering):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    client.force_login(steering)
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200 and project.name in response.content.decode()
    response = client.get(reverse("projects:list"))
    assert response.status_code == 200 and project.name in response.content.decode()
