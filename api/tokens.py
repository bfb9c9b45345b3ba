"""Making, checking and revoking API tokens. A token reads `reorg_<prefix>_<secret>`: the prefix
finds it in lists and logs, the secret (32 random bytes) is never stored, only the SHA-256 of the
whole token."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from core.history import acting_as
from projects.models import Organisation

from .models import ApiToken, Scope

TOKEN_PREFIX = "reorg_"
# last_used_at is written at most this often per token, not on every request.
LAST_USED_PRECISION = dt.timedelta(minutes=5)


def digest(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()


def _new_secret() -> tuple[str, str]:
    prefix = secrets.token_hex(4)
    return prefix, f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"


def _check(name: str, scopes: list[str], expires_at: dt.datetime) -> list[str]:
    errors = {}
    if not name.strip():
        errors["name"] = _("Gi nøkkelen et navn.")
    chosen = [s for s in Scope.values if s in scopes]
    if not chosen or set(scopes) - set(Scope.values):
        errors["scopes"] = _("Velg minst én tilgang.")
    if expires_at <= timezone.now():
        errors["expires_at"] = _("Utløpsdatoen må være fram i tid.")
    elif expires_at > timezone.now() + dt.timedelta(days=settings.API_TOKEN_MAX_DAYS):
        errors["expires_at"] = _("En nøkkel kan gjelde i høyst %(days)s dager.") % {
            "days": settings.API_TOKEN_MAX_DAYS
        }
    if errors:
        raise ValidationError(errors)
    return chosen


def create_token(
    *,
    user: User,
    name: str,
    scopes: list[str],
    expires_at: dt.datetime,
    by: User,
    organisation: Organisation | None = None,
) -> tuple[ApiToken, str]:
    """A new token for the user, and its plain text, which is shown once and never again."""
    chosen = _check(name, scopes, expires_at)
    prefix, plain = _new_secret()
    token = ApiToken(
        user=user,
        organisation=organisation,
        name=name.strip(),
        prefix=prefix,
        digest=digest(plain),
        scopes=chosen,
        expires_at=expires_at,
    )
    token.full_clean(exclude=["digest"])
    with transaction.atomic(), acting_as(by):
        token.save()
    return token, plain


def create_service_token(
    *,
    organisation: Organisation,
    name: str,
    scopes: list[str],
    expires_at: dt.datetime,
    by: User,
) -> tuple[ApiToken, str]:
    """A token for an organisation's system (its HR system, Power BI): it acts as a service
    account of its own, a member of the organisation without a password, who sees the projects
    it is given a role in, like anyone else."""
    # create_token checks the input; refused, the account is rolled back with it.
    with transaction.atomic(), acting_as(by):
        base = f"tjeneste-{slugify(organisation.name)[:40]}-{slugify(name)[:40]}".strip("-")
        username = base
        while User.objects.filter(username=username).exists():
            username = f"{base}-{secrets.token_hex(2)}"
        account = User(username=username, first_name=name.strip()[:150], last_name="")
        account.set_unusable_password()
        account.save()
        organisation.members.add(account)
        return create_token(
            user=account,
            name=name,
            scopes=scopes,
            expires_at=expires_at,
            by=by,
            organisation=organisation,
        )


def revoke_token(*, token: ApiToken, by: User) -> ApiToken:
    with transaction.atomic(), acting_as(by):
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token


def authenticate(plain: str) -> ApiToken | None:
    """The active token with this text, its user fetched alongside; None for any other text."""
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > 100:
        return None
    token = ApiToken.objects.active().select_related("user").filter(digest=digest(plain)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        # Not domain data, and outside history: an update of this one column.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
