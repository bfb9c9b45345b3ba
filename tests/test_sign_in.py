"""Signing in without a browser: the claims that make and update a user, the organisation from a
claim, OIDC_ONLY and the break-glass superuser, the start of the code flow (PKCE, state, nonce),
discovery read only when needed, and the password reset by e-mail through the outbox (once,
rate-limited, the same answer for an unknown address). The whole flow against a real provider
is in test_browser_sign_in.py."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from accounts.services import sign_in_from_claims
from notifications import password_reset
from notifications.models import OutgoingMail
from projects.services import join_organisations_from_claims

from .factories import PASSWORD, OrganisationFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
ISSUER = "https://login.example.org/tenant/v2.0"
UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing answers


@pytest.fixture(autouse=True)
def empty_cache():
    """Discovery documents and the reset limits are counted in the cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def oidc(settings):
    settings.OIDC_ENABLED = True
    settings.OIDC_ISSUER = ISSUER
    settings.OIDC_DISCOVERY_URL = f"{UNREACHABLE}/.well-known/openid-configuration"
    settings.OIDC_RP_CLIENT_ID = "reorg"
    settings.OIDC_RP_CLIENT_SECRET = "hemmelig"
    settings.OIDC_PROVIDER_NAME = "Åmot kommune"
    return settings


def claims(**more):
    return {
        "sub": "abc-123",
        "preferred_username": "kari@amot.kommune.no",
        "given_name": "Kari",
        "family_name": "Nordmann",
        "email": "kari@amot.kommune.no",
        **more,
    }


# --- From claims to a user ----------------------------------------------------------------------


def test_a_first_sign_in_makes_a_user_without_password_or_roles(db):
    user = sign_in_from_claims(issuer=ISSUER, claims=claims())
    assert (user.username, user.get_full_name(), user.email) == (
        "kari@amot.kommune.no",
        "Kari Nordmann",
        "kari@amot.kommune.no",
    )
    assert not user.has_usable_password()
    assert not user.organisations.exists() and not user.memberships.exists()
    identity = user.identities.get()
    assert (identity.issuer, identity.subject) == (ISSUER, "abc-123")
    assert identity.history.get().history_user == user


def test_the_next_sign_in_finds_the_user_by_subject_and_updates_name_and_email(db):
    user = sign_in_from_claims(issuer=ISSUER, claims=claims())
    again = sign_in_from_claims(
        issuer=ISSUER,
        claims=claims(family_name="Nordmann Berg", email="kari.berg@amot.kommune.no"),
    )
    assert again.pk == user.pk
    user.refresh_from_db()
    assert (user.get_full_name(), user.email) == ("Kari Nordmann Berg", "kari.berg@amot.kommune.no")
    assert User.objects.count() == 1


def test_an_email_address_alone_never_finds_an_account(db):
    local = UserFactory(username="kari@amot.kommune.no", email="kari@amot.kommune.no")
    user = sign_in_from_claims(issuer=ISSUER, claims=claims())
    assert user.pk != local.pk
    assert user.username == "kari@amot.kommune.no-2"  # the name was taken
    # Nor does the same subject at another issuer.
    other = sign_in_from_claims(issuer="https://annen.example.org", claims=claims())
    assert other.pk not in (user.pk, local.pk)


def test_the_subject_claim_is_configurable_for_entra_ids_oid(db, settings):
    settings.OIDC_SUBJECT_CLAIM = "oid"
    user = sign_in_from_claims(issuer=ISSUER, claims=claims(oid="0000-oid", sub="pairwise-1"))
    assert user.identities.get().subject == "0000-oid"
    same = sign_in_from_claims(issuer=ISSUER, claims=claims(oid="0000-oid", sub="pairwise-2"))
    assert same.pk == user.pk


def test_without_the_subject_claim_the_sign_in_is_refused(db):
    with pytest.raises(ValidationError, match="identiteten «sub»"):
        sign_in_from_claims(issuer=ISSUER, claims=claims(sub=""))
    assert not User.objects.exists()


def test_what_the_provider_sends_is_kept_within_bounds(db):
    user = sign_in_from_claims(
        issuer=ISSUER,
        claims=claims(given_name="Kari\nAnne " + "x" * 300, email="ikke en adresse"),
    )
    assert user.first_name.startswith("Kari Anne ") and len(user.first_name) == 150
    assert user.email == ""


def test_the_organisation_claim_gives_membership_by_organisation_number(db, settings):
    amot = OrganisationFactory(org_number="964947082")
    OrganisationFactory(org_number="111111111")
    user = sign_in_from_claims(issuer=ISSUER, claims=claims())
    settings.OIDC_ORGANISATION_CLAIM = "org"
    joined = join_organisations_from_claims(user=user, claims=claims(org="964947082"))
    assert joined == [amot]
    assert list(user.organisations.all()) == [amot]
    assert amot.history.latest().history_user == user
    # Signing in again changes nothing.
    assert join_organisations_from_claims(user=user, claims=claims(org="964947082")) == []


def test_groups_are_mapped_to_organisations_and_unknown_values_ignored(db, settings):
    amot = OrganisationFactory(org_number="964947082")
    user = UserFactory()
    settings.OIDC_ORGANISATION_CLAIM = "groups"
    settings.OIDC_ORGANISATIONS = {"9f1c-gruppe": "964947082"}
    join_organisations_from_claims(user=user, claims={"groups": ["annen-gruppe", "9f1c-gruppe"]})
    assert list(user.organisations.all()) == [amot]


def test_without_an_organisation_claim_no_organisation_is_joined(db):
    OrganisationFactory(org_number="964947082")
    user = UserFactory()
    assert join_organisations_from_claims(user=user, claims={"org": "964947082"}) == []


# --- The login page, OIDC_ONLY and the break-glass account --------------------------------------


def test_the_login_page_offers_the_organisations_button_when_oidc_is_set_up(client, oidc):
    page = client.get(reverse("login")).content.decode()
    assert "Logg inn med Åmot kommune" in page
    assert reverse("oidc_authentication_init") in page


def test_without_oidc_the_login_page_has_only_the_password_form(client):
    page = client.get(reverse("login")).content.decode()
    assert "Logg inn med" not in page
    assert client.get(reverse("oidc_authentication_init")).status_code == 404


def test_a_password_sign_in_does_not_ask_the_provider(client, oidc, leader):
    # The discovery URL points where nothing answers: a password sign-in never goes there.
    response = client.post(reverse("login"), {"username": "leder", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_oidc_only_refuses_passwords_except_the_superusers(client, oidc, leader):
    oidc.OIDC_ONLY = True
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    response = client.post(reverse("login"), {"username": "leder", "password": PASSWORD})
    assert response.status_code == 200
    page = response.content.decode()
    # The same answer as a wrong password: it does not tell that the password was right.
    assert "Feil brukernavn eller passord." in page
    assert "alle andre logger inn med Åmot kommune" in page
    assert "Lokal administratorkonto" in page

    response = client.post(reverse("login"), {"username": admin.username, "password": PASSWORD})
    assert response.status_code == 302


# --- The code flow's start, discovery and the callback ------------------------------------------


def test_the_sign_in_starts_with_pkce_state_and_nonce(client, oidc, db):
    oidc.OIDC_ENDPOINTS = {
        **oidc.OIDC_ENDPOINTS,
        "authorization_endpoint": "https://login.example.org/authorize",
    }
    response = client.get(reverse("oidc_authentication_init") + "?next=/prosjekter/")
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == "https://login.example.org/authorize"
    query = {key: values[0] for key, values in parse_qs(url.query).items()}
    assert query["response_type"] == "code"
    assert query["client_id"] == "reorg"
    assert query["scope"] == "openid profile email"
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert query["redirect_uri"] == "http://testserver/accounts/oidc/callback/"
    state = client.session["oidc_states"][query["state"]]
    assert state["nonce"] == query["nonce"] and len(state["code_verifier"]) == 64


def test_a_provider_that_does_not_answer_is_a_message_not_an_error(client, oidc, db):
    response = client.get(reverse("oidc_authentication_init"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "Fikk ikke kontakt med påloggingstjenesten" in response.content.decode()


def test_a_callback_this_browser_did_not_start_is_refused_with_a_message(client, oidc, db):
    response = client.get(reverse("oidc_authentication_callback") + "?code=x&state=y")
    assert response["Location"] == reverse("login")
    message = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == [
        "Innlogging med Åmot kommune mislyktes. "
        "Innloggingen var utløpt eller allerede brukt. Prøv igjen."
    ]
    assert not User.objects.exists()


def test_a_refusal_at_the_provider_is_a_message(client, oidc, db):
    response = client.get(reverse("oidc_authentication_callback") + "?error=access_denied")
    assert response["Location"] == reverse("login")
    assert "Innloggingen ble avbrutt." in str(list(get_messages(response.wsgi_request))[0])


def test_explicit_endpoints_win_over_discovery(oidc):
    from accounts import oidc as client

    oidc.OIDC_ENDPOINTS = {**oidc.OIDC_ENDPOINTS, "token_endpoint": "https://x.example/token"}
    assert client.endpoint("token_endpoint") == "https://x.example/token"
    with pytest.raises(client.ProviderUnavailable):  # the rest from discovery, when needed
        client.endpoint("jwks_uri")
    assert client.issuer() == ISSUER  # the configured issuer needs no discovery


def test_logging_out_without_oidc_goes_to_the_login_page(client, leader):
    client.force_login(leader)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")


def test_settings_from_the_environment_read_nothing_from_the_provider_at_start_up():
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="reorg.settings.local",
        OIDC_ISSUER=f"{UNREACHABLE}/tenant/v2.0/",
        OIDC_CLIENT_ID="reorg",
        OIDC_CLIENT_SECRET="hemmelig",
        OIDC_ONLY="true",
    )
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.OIDC_DISCOVERY_URL, s.OIDC_ENABLED, s.OIDC_ONLY, s.SECURE_CSP['form-action'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(maxsplit=3) == [
        f"{UNREACHABLE}/tenant/v2.0/.well-known/openid-configuration",
        "True",
        "True",
        f"[<CSP.SELF: \"'self'\">, '{UNREACHABLE}']\n",
    ]

    env.pop("OIDC_CLIENT_ID")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert "OIDC_ONLY=true krever at OIDC_CLIENT_ID er satt" in result.stderr


# --- Password reset -----------------------------------------------------------------------------


@pytest.fixture
def local_user(db):
    return UserFactory(username="lokal", email="lokal@amot.kommune.no")


def ask_reset(client, email, address="192.0.2.10"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_a_reset_mail_goes_through_the_outbox_once(
    client, local_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask_reset(client, "LOKAL@amot.kommune.no")
    assert response["Location"] == reverse("password_reset_done")
    row = OutgoingMail.objects.get()
    assert (row.kind, row.state, row.recipient) == ("password_reset", "sent", local_user)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Nytt passord i reorg"
    assert message.to[0].endswith(" <lokal@amot.kommune.no>")
    # From SITE_URL, never from the request's Host header.
    assert "http://127.0.0.1:8000/accounts/nytt-passord/" in message.body
    assert "Lenken virker i 24 timer, og bare én gang." in message.body


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, local_user):
    known = ask_reset(client, "lokal@amot.kommune.no")
    unknown = ask_reset(client, "ingen@amot.kommune.no")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert OutgoingMail.objects.count() == 1
    done = client.get(known["Location"]).content.decode()
    assert "Hører adressen til en bruker med passord i reorg" in done


def test_no_reset_for_an_account_that_signs_in_with_oidc(client, db):
    user = sign_in_from_claims(issuer=ISSUER, claims=claims())  # no usable password
    ask_reset(client, user.email)
    assert not OutgoingMail.objects.exists()


def test_resets_are_limited_per_email_address(client, local_user):
    for _ in range(password_reset.EMAIL_LIMIT + 2):
        ask_reset(client, "lokal@amot.kommune.no")
    assert OutgoingMail.objects.count() == password_reset.EMAIL_LIMIT


def test_resets_are_limited_per_account(client, local_user, monkeypatch):
    monkeypatch.setattr(password_reset, "EMAIL_LIMIT", 100)
    for i in range(password_reset.ACCOUNT_LIMIT + 2):
        ask_reset(client, "lokal@amot.kommune.no", address=f"192.0.2.{i + 1}")
    assert OutgoingMail.objects.count() == password_reset.ACCOUNT_LIMIT


def test_resets_are_limited_per_client_address(client, db):
    users = UserFactory.create_batch(password_reset.ADDRESS_LIMIT + 2)
    for user in users:
        ask_reset(client, user.email, address="198.51.100.7")
    assert OutgoingMail.objects.count() == password_reset.ADDRESS_LIMIT
    ask_reset(client, users[-1].email, address="198.51.100.8")  # another address may
    assert OutgoingMail.objects.count() == password_reset.ADDRESS_LIMIT + 1


def test_with_oidc_only_only_the_superuser_may_reset(client, oidc, local_user):
    oidc.OIDC_ONLY = True
    admin = UserFactory(username="admin", email="admin@amot.kommune.no", is_superuser=True)
    page = client.get(reverse("password_reset")).content.decode()
    assert "Passord brukes bare av den lokale administratorkontoen" in page
    ask_reset(client, local_user.email)
    assert not OutgoingMail.objects.exists()
    ask_reset(client, admin.email)
    assert OutgoingMail.objects.get().recipient == admin
