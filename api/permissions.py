"""What a token may do: its scopes limit what its user may do, and the user's rights in each
project (projects.permissions, the one access helper) decide the rest."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from .models import Scope


class TokenScopes(permissions.BasePermission):
    """Reading needs the read scope, writing the write scope."""

    message = _("Nøkkelen har ikke tilgangen dette krever.")

    def has_permission(self, request, view):
        token = request.auth
        if token is None:
            return False
        needed = Scope.READ if request.method in permissions.SAFE_METHODS else Scope.WRITE
        return token.has_scope(needed)
