"""Writes to accounts: a person signing in through OpenID Connect."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.history import acting_as

from .models import ExternalIdentity, User

NAME_LENGTH = User._meta.get_field("first_name").max_length or 150
USERNAME_LENGTH = User._meta.get_field("username").max_length or 150


def _text(claims: Mapping[str, Any], name: str, length: int = NAME_LENGTH) -> str:
    """A claim as one line of at most `length` characters ("" if missing or not text)."""
    value = claims.get(name) if name else None
    return " ".join(value.split())[:length] if isinstance(value, str) else ""


def _email(claims: Mapping[str, Any]) -> str:
    address = _text(claims, settings.OIDC_EMAIL_CLAIM, 254)
    try:
        validate_email(address)
    except ValidationError:
        return ""
    return address


def _free_username(claims: Mapping[str, Any], subject: str) -> str:
    """The provider's user name (Entra's UPN, Keycloak's preferred_username) if no one has it,
    else that name with a number; never someone else's account."""
    wanted = _text(claims, settings.OIDC_USERNAME_CLAIM, USERNAME_LENGTH - 4)
    wanted = "".join(c for c in wanted if c.isalnum() or c in "@.+-_") or f"oidc-{subject[:40]}"
    username, n = wanted, 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{wanted}-{n}"
    return username


@transaction.atomic
def sign_in_from_claims(*, issuer: str, claims: Mapping[str, Any]) -> User:
    """The user that the verified ID token's claims name: found by (issuer, subject), or made
    with no password and no project roles. Name and e-mail follow the provider at every sign-in.
    Raises ValidationError without the subject claim."""
    subject = claims.get(settings.OIDC_SUBJECT_CLAIM)
    if not isinstance(subject, str) or not subject.strip():
        raise ValidationError(
            _("Innloggingen manglet identiteten «%(claim)s»."),
            params={"claim": settings.OIDC_SUBJECT_CLAIM},
        )
    identity = (
        ExternalIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    fields = {
        "first_name": _text(claims, settings.OIDC_GIVEN_NAME_CLAIM),
        "last_name": _text(claims, settings.OIDC_FAMILY_NAME_CLAIM),
        "email": _email(claims),
    }
    if identity is not None:
        user = identity.user
        changed = [name for name, value in fields.items() if getattr(user, name) != value]
        for name in changed:
            setattr(user, name, fields[name])
        if changed:
            user.full_clean(exclude=["password"])
            user.save(update_fields=changed)
        return user
    user = User(username=_free_username(claims, subject), **fields)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    try:
        with transaction.atomic():
            user.save()
            identity = ExternalIdentity(user=user, issuer=issuer, subject=subject)
            identity.full_clean(validate_constraints=False)  # the database decides, below
            with acting_as(user):
                identity.save()
    except IntegrityError:
        # The same person's first sign-in in another tab got there first.
        return (
            ExternalIdentity.objects.select_related("user").get(issuer=issuer, subject=subject).user
        )
    return user
