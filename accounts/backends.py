from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class PasswordBackend(ModelBackend):
    """Django's passwords, and with OIDC_ONLY only the break-glass superuser's: everyone else
    signs in with the organisation's provider. The password is checked all the same, so a
    refusal looks and takes as long as a wrong password and counts towards the lockout."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and settings.OIDC_ONLY and not user.is_superuser:
            return None
        return user
