"""Password reset for local accounts: Django's own views and token, in Norwegian, with the mail
written to the outbox like every other (so it is sent once, and not lost while the mail server
is down), limited per client address, per e-mail address and per account, and the same answer
whether or not the address belongs to anyone. With OIDC_ONLY only the break-glass superuser may
reset a password. Here, not in accounts, because the outbox sits above accounts."""

import hashlib
import logging

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core.cache import cache
from django.db import transaction
from django.urls import path, reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from accounts.lockout import client_address
from accounts.models import User
from core.mail import automated_message, mailbox

from .services import queue

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60 * 60
# Within an hour: requests from one client address (a town hall shares one behind its NAT),
# requests for one e-mail address, and mails to one account.
ADDRESS_LIMIT = 20
EMAIL_LIMIT = 3
ACCOUNT_LIMIT = 3


def within_limit(name: str, limit: int) -> bool:
    """Count one more for `name` in this hour's window; False once past `limit`."""
    key = "password-reset:" + hashlib.sha256(name.encode()).hexdigest()
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count <= limit


def may_reset(user: User) -> bool:
    """Whether `user` may set a password by e-mail: with OIDC_ONLY only a superuser."""
    return user.is_superuser or not settings.OIDC_ONLY


class OutboxPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("E-postadresse"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def get_users(self, email):
        return (user for user in super().get_users(email) if may_reset(user))

    def save(  # type: ignore[override]
        self,
        *,
        request=None,
        token_generator: PasswordResetTokenGenerator = default_token_generator,
        **kwargs,
    ) -> None:
        """Queue a reset mail to each active local account with this address, within the
        limits. Nothing tells the visitor what happened."""
        email = self.cleaned_data["email"]
        if not within_limit(f"address:{client_address(request)}", ADDRESS_LIMIT):
            logger.warning("Password reset: too many requests from one address")
            return
        if not within_limit(f"email:{email.casefold()}", EMAIL_LIMIT):
            logger.warning("Password reset: too many requests for one e-mail address")
            return
        for user in self.get_users(email):
            if within_limit(f"user:{user.pk}", ACCOUNT_LIMIT):
                queue_reset_mail(user=user, token_generator=token_generator)


@transaction.atomic
def queue_reset_mail(*, user: User, token_generator: PasswordResetTokenGenerator) -> None:
    """The link to set a new password, to the user's address, through the outbox. The link is
    built from SITE_URL, never from the request's Host header."""
    link = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": token_generator.make_token(user),
        },
    )
    message = automated_message(
        "notifications/email/password_reset",
        {
            "name": user.first_name or user.get_username(),
            "username": user.get_username(),
            "url": settings.SITE_URL + link,
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
        to=[mailbox(user)],
    )
    queue(message, kind="password_reset", recipient=user)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm
    template_name = "registration/password_reset_form.html"
    title = _("Glemt passord")

    def get_context_data(self, **kwargs):
        return super().get_context_data(oidc_only=settings.OIDC_ONLY, **kwargs)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    title = _("Sjekk e-posten din")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    title = _("Nytt passord")
    success_url = reverse_lazy("password_reset_complete")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and may_reset(user) else None


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    title = _("Passordet er endret")


urlpatterns = [
    path("glemt-passord/", PasswordResetView.as_view(), name="password_reset"),
    path("glemt-passord/sendt/", PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "nytt-passord/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "nytt-passord/ferdig/",
        PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
