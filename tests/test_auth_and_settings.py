"""Logging in, guessing protection, sessions, and configuration that stops bad start-ups."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from .factories import PASSWORD

ROOT = Path(__file__).resolve().parent.parent


def test_pages_ask_anonymous_visitors_to_log_in(client, project):
    response = client.get(reverse("reports:mandate", args=[project.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_htmx_request_after_the_session_ended_sends_the_browser_to_log_in(client, project):
    url = reverse("projects:mandate_section", args=[project.pk, "bakgrunn"])
    response = client.get(url + "?rediger=1", headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(reverse("login"))


def test_it_logs_in_with_the_form(client, leader, project):
    response = client.post(reverse("login"), {"username": "leder", "password": PASSWORD})
    assert response.status_code == 302
    assert project.name in client.get(reverse("projects:list")).content.decode()


def test_a_wrong_password_is_answered_in_norwegian(client, leader):
    response = client.post(reverse("login"), {"username": "leder", "password": "feil"})
    assert response.status_code == 200
    assert "Feil brukernavn eller passord." in response.content.decode()


def test_five_failures_lock_the_user_for_30_minutes(client, leader):
    for _ in range(5):
        client.post(reverse("login"), {"username": "leder", "password": "gjetning"})
    response = client.post(reverse("login"), {"username": "leder", "password": PASSWORD})
    assert response.status_code == 429
    assert "Kontoen er midlertidig sperret" in response.content.decode()
    assert client.get(reverse("projects:list")).status_code == 302  # not logged in
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60


def login(client, username, password, address, **headers):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address,
        headers=headers,
    )  # fmt: skip


def test_a_stranger_elsewhere_cannot_lock_a_user_out(client, leader):
    for _ in range(5):
        login(client, "leder", "gjetning", "203.0.113.9")
    assert login(client, "leder", PASSWORD, "203.0.113.9").status_code == 429
    # The leader, at the town hall's address, logs in as always.
    assert login(client, "leder", PASSWORD, "198.51.100.20").status_code == 302


def test_spraying_passwords_across_user_names_locks_the_address(client, leader, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 12
    for number in range(12):  # never more than four tries for one name
        login(client, f"bruker{number % 3}", f"gjetning{number}", "203.0.113.9")
    response = login(client, "leder", PASSWORD, "203.0.113.9")
    assert response.status_code == 429 and "midlertidig sperret" in response.content.decode()
    assert login(client, "leder", PASSWORD, "198.51.100.20").status_code == 302


def test_behind_our_own_proxy_the_address_is_the_one_it_saw(client, leader, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for _ in range(5):  # the client writes its own X-Forwarded-For; the proxy appends the real one
        login(client, "leder", "gjetning", proxy, x_forwarded_for=f"198.51.100.{_}, 203.0.113.9")
    assert login(client, "leder", PASSWORD, proxy, x_forwarded_for="203.0.113.9").status_code == 429
    assert (
        login(client, "leder", PASSWORD, proxy, x_forwarded_for="198.51.100.20").status_code == 302
    )


def test_logging_out_is_a_post(client, leader):
    client.force_login(leader)
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("projects:list")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("projects:list")).status_code == 302


def test_sessions_end_after_30_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_pages_send_a_content_security_policy(client, leader):
    client.force_login(leader)
    policy = client.get(reverse("projects:list"))["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy


def test_the_english_interface_is_available(client, leader):
    client.force_login(leader)
    client.post(reverse("set_language"), {"language": "en"})
    assert 'lang="en"' in client.get(reverse("projects:list")).content.decode()


def run_django(env_overrides, settings_module="reorg.settings.local"):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(env_overrides, DJANGO_SETTINGS_MODULE=settings_module)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DATABASE_URL", "ikke-en-url", "DATABASE_URL"),
        ("EMAIL_PORT", "tjuefem", "EMAIL_PORT"),
        ("DEBUG", "kanskje", "DEBUG"),
        ("REDIS_URL", "http://127.0.0.1:6379", "REDIS_URL"),
    ],
)
def test_a_bad_setting_stops_start_up_with_a_clear_message(variable, value, message):
    result = run_django({variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr.strip().splitlines()[-1]


def test_production_refuses_a_weak_secret_key():
    result = run_django({"SECRET_KEY": "kort"}, settings_module="reorg.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr.strip().splitlines()[-1]


def test_without_database_or_redis_urls_it_runs_embedded():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
            "DJANGO_SETTINGS_MODULE": "reorg.settings.local",
        },
    )
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"]
