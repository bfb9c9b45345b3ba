"""Signing in, in a real browser: through a real OpenID Connect provider that this module starts as
a process of its own (tests/oidc_provider: django-oauth-toolkit, RS256 with a key made at start),
and with a password reset by e-mail. The provider is started once, for the tests that ask for it;
a second one that hands out ID tokens that have already run out is started for that test only.
Every reorg page passes axe-core and reflows at 320 px."""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import jwt
import pytest
import requests
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from playwright.sync_api import Page, expect

from accounts.models import ExternalIdentity, User
from projects.models import Membership
from tests.oidc_provider import serve

from .browser import assert_accessible, assert_reflows
from .factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ORG_NUMBER = "964947082"  # the test provider's "organisation" claim
PROVIDER_NAME = "Åmot kommune"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_provider(directory: Path, reorg_url: str, id_token_seconds: int):
    port = _free_port()
    env = {
        **os.environ,
        "PROVIDER_DB": str(directory / "provider.sqlite3"),
        "PROVIDER_REDIRECT_URI": f"{reorg_url}/accounts/oidc/callback/",
        "PROVIDER_LOGOUT_URI": f"{reorg_url}/accounts/login/",
        "PROVIDER_ID_TOKEN_SECONDS": str(id_token_seconds),
    }
    log = (directory / "provider.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"{url}/o/.well-known/openid-configuration", timeout=1).ok:
                break
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError((directory / "provider.log").read_text())
        time.sleep(0.2)
    return process, url


def _stop(process) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def provider(live_server, tmp_path_factory):
    """The provider's address; it trusts reorg's live server as the client `reorg`."""
    process, url = _start_provider(tmp_path_factory.mktemp("provider"), live_server.url, 300)
    yield url
    _stop(process)


@pytest.fixture(scope="session")
def expired_token_provider(live_server, tmp_path_factory):
    """A provider whose ID tokens ran out an hour before they were made."""
    directory = tmp_path_factory.mktemp("expired-provider")
    process, url = _start_provider(directory, live_server.url, -3600)
    yield url
    _stop(process)


def _use(settings, provider_url: str, **more) -> None:
    """Point reorg at the provider through its discovery document only."""
    settings.OIDC_ENABLED = True
    settings.OIDC_DISCOVERY_URL = f"{provider_url}/o/.well-known/openid-configuration"
    settings.OIDC_ISSUER = ""
    settings.OIDC_RP_CLIENT_ID = serve.CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = serve.CLIENT_SECRET
    settings.OIDC_ORGANISATION_CLAIM = "organisation"
    settings.OIDC_PROVIDER_NAME = PROVIDER_NAME
    # As base.py would have it from the environment: the logout form may go on to the provider.
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "form-action": ["'self'", provider_url],
    }
    for name, value in more.items():
        setattr(settings, name, value)


def _sign_in_at_provider(page: Page) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("link", name=f"Logg inn med {PROVIDER_NAME}").click()
    expect(page.get_by_role("heading", name="Testleverandør")).to_be_visible()
    page.get_by_label("Username").fill(serve.USERNAME)
    page.get_by_label("Password").fill(serve.PASSWORD)
    page.get_by_role("button", name="Logg inn hos leverandøren").click()


def test_sign_in_through_the_provider_makes_the_user_from_the_subject(
    page: Page, settings, provider
):
    _use(settings, provider)
    organisation = OrganisationFactory(name="Åmot kommune", org_number=ORG_NUMBER)
    # A local account with the same e-mail address is somebody else: never matched by it.
    local = UserFactory(username="kari.lokal", email="kari.nordmann@amot.kommune.no")

    page.goto("/accounts/login/")
    expect(page.get_by_role("link", name=f"Logg inn med {PROVIDER_NAME}")).to_be_visible()
    assert_accessible(page)
    assert_reflows(page)

    _sign_in_at_provider(page)
    expect(page.get_by_role("heading", level=1, name="Mine oppgaver")).to_be_visible()

    identity = ExternalIdentity.objects.select_related("user").get()
    # Discovered, not configured: the issuer is the provider's own, and its subject its user id.
    assert identity.issuer == f"{provider}/o"
    assert identity.subject == "1"
    user = identity.user
    assert user != local
    assert (user.username, user.get_full_name(), user.email) == (
        "kari",
        "Kari Nordmann",
        "kari.nordmann@amot.kommune.no",
    )
    assert not user.has_usable_password()
    assert list(user.organisations.all()) == [organisation]
    assert not Membership.objects.filter(user=user).exists()  # no project roles yet
    assert identity.history.get().history_user == user
    # The session holds the ID token that was accepted: RS256, signed with the provider's key.
    session_key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    id_token = SessionStore(session_key)["oidc_id_token"]
    key = jwt.PyJWKClient(f"{provider}/o/.well-known/jwks.json").get_signing_key_from_jwt(id_token)
    verified = jwt.decode(id_token, key, algorithms=["RS256"], audience=serve.CLIENT_ID)
    assert (verified["iss"], verified["sub"]) == (f"{provider}/o", "1")


def test_a_token_signed_with_another_key_is_refused(
    page: Page, settings, provider, expired_token_provider
):
    # reorg trusts the other provider's keys only: this provider's signing key is not among them.
    _use(settings, provider)
    settings.OIDC_ENDPOINTS = {
        **settings.OIDC_ENDPOINTS,
        "jwks_uri": f"{expired_token_provider}/o/.well-known/jwks.json",
    }

    _sign_in_at_provider(page)
    expect(page.get_by_role("heading", level=1, name="Logg inn")).to_be_visible()
    expect(page.get_by_text("ID-tokenet kunne ikke bekreftes.")).to_be_visible()
    assert not User.objects.exists()


def test_a_second_sign_in_finds_the_user_by_subject_and_updates_name_and_email(
    page: Page, settings, provider
):
    _use(settings, provider)
    user = UserFactory(username="kn", first_name="K.", last_name="Gammel", email="gammel@x.no")
    ExternalIdentity.objects.create(user=user, issuer=f"{provider}/o", subject="1")

    _sign_in_at_provider(page)
    expect(page.get_by_role("heading", level=1, name="Mine oppgaver")).to_be_visible()
    expect(page.get_by_role("link", name="Kari Nordmann – min profil")).to_be_visible()

    user.refresh_from_db()
    assert (user.username, user.get_full_name(), user.email) == (
        "kn",
        "Kari Nordmann",
        "kari.nordmann@amot.kommune.no",
    )
    assert User.objects.filter(identities__isnull=False).count() == 1


def test_logging_out_ends_the_provider_session_too(page: Page, settings, provider):
    _use(settings, provider, OIDC_ONLY=True)
    _sign_in_at_provider(page)
    expect(page.get_by_role("heading", level=1, name="Mine oppgaver")).to_be_visible()

    page.get_by_role("button", name="Logg ut").click()
    # Through the provider's end-session endpoint and back to reorg's login page.
    expect(page.get_by_role("heading", level=1, name="Logg inn")).to_be_visible()
    assert urlsplit(page.url).path == "/accounts/login/"
    expect(page.get_by_role("heading", name="Lokal administratorkonto")).to_be_visible()
    assert_accessible(page)
    assert_reflows(page)

    # The provider asks who it is again: its session has ended.
    page.get_by_role("link", name=f"Logg inn med {PROVIDER_NAME}").click()
    expect(page.get_by_role("heading", name="Testleverandør")).to_be_visible()
    expect(page.get_by_label("Username")).to_be_visible()


def test_a_token_from_another_issuer_is_refused(page: Page, settings, provider):
    _use(settings, provider, OIDC_ISSUER="https://login.example.org/annen-leverandor")

    _sign_in_at_provider(page)
    expect(page.get_by_role("heading", level=1, name="Logg inn")).to_be_visible()
    expect(page.get_by_text("ID-tokenet kommer fra en annen utsteder")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Mine oppgaver")).to_have_count(0)
    assert not User.objects.exists()
    assert_accessible(page)


def test_an_expired_id_token_is_refused(page: Page, settings, expired_token_provider):
    _use(settings, expired_token_provider)

    _sign_in_at_provider(page)
    expect(page.get_by_role("heading", level=1, name="Logg inn")).to_be_visible()
    expect(page.get_by_text("ID-tokenet er utløpt")).to_be_visible()
    assert not User.objects.exists()


def test_a_password_reset_by_email(page: Page):
    user = UserFactory(username="lokal", email="lokal@amot.kommune.no")
    user.password = make_password("gammelt-passord-123")
    user.save(update_fields=["password"])

    page.goto("/accounts/login/")
    page.get_by_role("link", name="Glemt passordet?").click()
    expect(page.get_by_role("heading", level=1, name="Glemt passord")).to_be_visible()
    assert_accessible(page)
    assert_reflows(page)
    page.get_by_label("E-postadresse").fill("lokal@amot.kommune.no")
    page.get_by_role("button", name="Send lenke").click()
    expect(page.get_by_role("heading", level=1, name="Sjekk e-posten din")).to_be_visible()
    assert_accessible(page)
    assert_reflows(page)

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/nytt-passord/\S+/", mail.outbox[0].body)
    assert link
    page.goto(urlsplit(link.group(0)).path)
    expect(page.get_by_role("heading", level=1, name="Nytt passord")).to_be_visible()
    assert_accessible(page)
    assert_reflows(page)
    page.get_by_label("Nytt passord", exact=True).fill("Et-nytt-langt-passord-42")
    page.get_by_label("Bekreft nytt passord").fill("Et-nytt-langt-passord-42")
    page.get_by_role("button", name="Lagre nytt passord").click()
    expect(page.get_by_role("heading", level=1, name="Passordet er endret")).to_be_visible()
    assert_accessible(page)

    user.refresh_from_db()
    assert user.check_password("Et-nytt-langt-passord-42")
