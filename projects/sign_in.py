"""Sign-in with OpenID Connect (accounts.oidc), and the organisation the provider says a person
belongs to: the backend named in AUTHENTICATION_BACKENDS."""

from collections.abc import Mapping
from typing import Any

from accounts import oidc

from .services import join_organisations_from_claims


class OIDCBackend(oidc.OIDCBackend):
    def after_sign_in(self, user, claims: Mapping[str, Any]) -> None:
        join_organisations_from_claims(user=user, claims=dict(claims))
