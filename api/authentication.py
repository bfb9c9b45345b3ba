"""Bearer tokens for the API (RFC 6750): `Authorization: Bearer reorg_…`. No session and no
password: a browser's cookies open nothing here, so the API needs no CSRF check."""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from . import tokens


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != b"bearer":
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Skriv nøkkelen etter «Bearer», uten mellomrom.")
            )
        try:
            plain = header[1].decode("ascii")
        except UnicodeDecodeError:
            plain = ""
        token = tokens.authenticate(plain)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("Nøkkelen er ukjent, utløpt eller trukket tilbake.")
            )
        return token.user, token

    def authenticate_header(self, request):
        # A 401 (not a 403) for a missing or wrong token, as RFC 6750 asks.
        return 'Bearer realm="reorg"'


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": _("En API-nøkkel fra profilsiden: Authorization: Bearer reorg_…"),
        }
