"""Sign-in with OpenID Connect: the authorization code flow with PKCE, state and nonce, the ID
token's signature checked against the provider's keys (JWKS), its issuer, audience and lifetime
checked, and the person found by the claim that names them for good (accounts.services).

mozilla-django-oidc does the protocol; this module gives it the provider's endpoints, which are
read from the discovery document at the first sign-in and cached (never at start-up, so reorg
starts while the provider is down), and turns every refusal into a Norwegian message on the
login page instead of an error page."""

import hashlib
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from .services import sign_in_from_claims

logger = logging.getLogger(__name__)

DISCOVERY_SECONDS = 60 * 60
# How far the provider's clock may be from ours when the token's times are checked.
LEEWAY_SECONDS = 60

UNAVAILABLE = _("Fikk ikke kontakt med påloggingstjenesten. Prøv igjen om litt.")
WRONG_ISSUER = _("ID-tokenet kommer fra en annen utsteder enn den reorg stoler på.")
WRONG_AUDIENCE = _("ID-tokenet er laget for en annen tjeneste enn reorg.")
EXPIRED = _("ID-tokenet er utløpt. Sjekk at klokken på maskinen stemmer, og prøv igjen.")
NOT_VERIFIED = _("ID-tokenet kunne ikke bekreftes.")
CANCELLED = _("Innloggingen ble avbrutt.")
STALE = _("Innloggingen var utløpt eller allerede brukt. Prøv igjen.")
INACTIVE = _("Kontoen din i reorg er deaktivert. Kontakt administratoren.")


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read."""


class Refused(SuspiciousOperation):
    """A sign-in refused for a reason the person is told."""


def _discovery() -> dict[str, Any]:
    url = settings.OIDC_DISCOVERY_URL
    key = "oidc:discovery:" + hashlib.sha256(url.encode()).hexdigest()
    document = cache.get(key)
    if document is None:
        try:
            response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            logger.warning("OIDC discovery at %s failed: %s", url, exc)
            raise ProviderUnavailable(url) from exc
        if not isinstance(document, dict) or not document.get("issuer"):
            logger.warning("OIDC discovery at %s gave no issuer", url)
            raise ProviderUnavailable(url)
        cache.set(key, document, DISCOVERY_SECONDS)
    return document


def endpoint(name: str) -> str:
    """A provider endpoint ("token_endpoint", "jwks_uri", ...): set explicitly, or from the
    discovery document ("" if it has none)."""
    explicit = settings.OIDC_ENDPOINTS.get(name, "")
    if explicit or not settings.OIDC_DISCOVERY_URL:
        return explicit
    return str(_discovery().get(name) or "")


def issuer() -> str:
    """The issuer an ID token must name: OIDC_ISSUER, else the discovery document's."""
    return settings.OIDC_ISSUER or str(_discovery()["issuer"]).rstrip("/")


def end_session_url(id_token: str, *, post_logout_redirect_uri: str) -> str | None:
    """Where to send the browser so that the provider ends its session too (RP-initiated
    logout), or None where it offers no end-session endpoint or cannot be reached."""
    try:
        url = endpoint("end_session_endpoint")
    except ProviderUnavailable:
        return None
    if not url:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": post_logout_redirect_uri,
            "client_id": settings.OIDC_RP_CLIENT_ID,
        }
    )
    return f"{url}{'&' if '?' in url else '?'}{query}"


class OIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with the endpoints read when first needed, the ID token's
    issuer, audience and times checked, and the user found by (issuer, subject).
    projects.sign_in adds the organisation."""

    def __init__(self, *args, **kwargs):
        # Django makes a backend for every login attempt and every request (get_user): nothing
        # is read from the provider here, only when a sign-in needs it (the properties below).
        self.UserModel = get_user_model()

    OIDC_RP_IDP_SIGN_KEY = None

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:
        return settings.OIDC_RP_CLIENT_ID

    @property
    def OIDC_RP_CLIENT_SECRET(self) -> str:
        return settings.OIDC_RP_CLIENT_SECRET

    @property
    def OIDC_RP_SIGN_ALGO(self) -> str:
        return settings.OIDC_RP_SIGN_ALGO

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:
        return endpoint("token_endpoint")

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:
        return endpoint("userinfo_endpoint")

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:
        return endpoint("jwks_uri")

    def authenticate(self, request, **kwargs):
        if not settings.OIDC_ENABLED or request is None or "code" not in request.GET:
            return None  # a password sign-in, or no OIDC: nothing to ask the provider
        try:
            return super().authenticate(request, **kwargs)
        except Refused as exc:
            logger.warning("OIDC sign-in refused: %s", exc)
            request.oidc_refusal = exc.args[0]
        except (ProviderUnavailable, requests.RequestException) as exc:
            logger.warning("OIDC sign-in failed at the provider: %s", exc)
            request.oidc_refusal = UNAVAILABLE
        except SuspiciousOperation as exc:  # the library's own checks (nonce, algorithm, key)
            logger.warning("OIDC sign-in refused: %s", exc)
            request.oidc_refusal = NOT_VERIFIED
        return None

    def _verify_jws(self, payload, key):
        """The signature with the provider's key, and the claims: issued by the issuer we
        trust, for us, not expired, and naming someone."""
        algorithm = jwt.get_unverified_header(payload).get("alg")
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise Refused(NOT_VERIFIED)
        try:
            claims = jwt.decode(
                payload,
                key,
                algorithms=[algorithm],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=issuer(),
                leeway=LEEWAY_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Refused(EXPIRED) from exc
        except jwt.InvalidIssuerError as exc:
            raise Refused(WRONG_ISSUER) from exc
        except jwt.InvalidAudienceError as exc:
            raise Refused(WRONG_AUDIENCE) from exc
        except jwt.InvalidTokenError as exc:
            raise Refused(NOT_VERIFIED) from exc
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise Refused(WRONG_AUDIENCE)
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        """The user the verified ID token names; the userinfo endpoint may add what the token
        lacks (name, e-mail), if it speaks of the same subject."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            info = self.get_userinfo(access_token, id_token, payload)
            if isinstance(info, dict) and info.get("sub") == payload.get("sub"):
                claims = {**info, **payload}
        try:
            user = sign_in_from_claims(issuer=issuer(), claims=claims)
        except ValidationError as exc:
            self.request.oidc_refusal = " ".join(exc.messages)
            raise Refused(exc.messages[0]) from exc
        self.after_sign_in(user, claims)
        return user

    def after_sign_in(self, user, claims: Mapping[str, Any]) -> None:
        """What a layer above adds at each sign-in (projects.sign_in: the organisation)."""

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


@method_decorator(login_not_required, name="dispatch")
class AuthenticateView(OIDCAuthenticationRequestView):
    """ "Logg inn med …": to the provider's authorization endpoint with state, nonce and the
    PKCE challenge (kept in the session)."""

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the endpoint is read in get(), not for every view

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:
        return settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = endpoint("authorization_endpoint")
        except ProviderUnavailable:
            return _failed(request, UNAVAILABLE)
        return super().get(request)


@method_decorator(login_not_required, name="dispatch")
class CallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back: the code is exchanged and the ID token
    verified (OIDCBackend); a refusal goes to the login page with its reason."""

    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            return super().get(request)
        except SuspiciousOperation:  # a state this session did not start, or used already
            request.oidc_refusal = STALE
            return self.login_failure()

    def login_failure(self):
        request = self.request
        reason = getattr(request, "oidc_refusal", None)
        if reason is None:
            if request.GET.get("error"):
                reason = CANCELLED
            elif getattr(self, "user", None) is not None:
                reason = INACTIVE
            else:
                reason = STALE
        return _failed(request, reason)


def _failed(request, reason) -> HttpResponseRedirect:
    messages.error(
        request,
        _("Innlogging med %(provider)s mislyktes. %(reason)s")
        % {"provider": settings.OIDC_PROVIDER_NAME, "reason": reason},
    )
    return redirect(settings.LOGIN_URL)
