"""Start the test provider: `python -m tests.oidc_provider.serve PORT`. Makes its RSA key,
migrates its own SQLite file, registers the test user and reorg as a client, and serves on
127.0.0.1:PORT until it is terminated. Environment: PROVIDER_DB (the SQLite file),
PROVIDER_REDIRECT_URI and PROVIDER_LOGOUT_URI (reorg's callback and login page),
PROVIDER_ID_TOKEN_SECONDS (the ID token's lifetime)."""

import os
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "reorg"
CLIENT_SECRET = "reorg-test-secret"
USERNAME = "kari"
PASSWORD = "leverandør-passord"


def _rsa_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def main(port: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    os.environ["PROVIDER_RSA_KEY"] = _rsa_key()
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)

    from django.contrib.auth.models import User
    from oauth2_provider.models import Application

    User.objects.create_user(
        USERNAME,
        email="kari.nordmann@amot.kommune.no",
        password=PASSWORD,
        first_name="Kari",
        last_name="Nordmann",
    )
    Application.objects.create(
        name="reorg",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=os.environ["PROVIDER_REDIRECT_URI"],
        post_logout_redirect_uris=os.environ["PROVIDER_LOGOUT_URI"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, skip_checks=True)


if __name__ == "__main__":
    main(sys.argv[1])
