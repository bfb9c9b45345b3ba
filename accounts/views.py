from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _

from . import oidc
from .forms import LoginForm, ProfileForm


def profile(request):
    """The user's own page: who they are in reorg, and how they want to be told."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Profilen er lagret."))
        return redirect("profile")
    return render(request, "accounts/profile.html", {"form": form})


class LoginView(auth_views.LoginView):
    """The organisation's sign-in button where OpenID Connect is set up, and the password form
    (with OIDC_ONLY only for the break-glass superuser)."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            oidc_enabled=settings.OIDC_ENABLED,
            oidc_provider_name=settings.OIDC_PROVIDER_NAME,
            oidc_only=settings.OIDC_ONLY,
            **kwargs,
        )


class LogoutView(auth_views.LogoutView):
    """Ends reorg's session, and the provider's too where the user signed in through OpenID
    Connect and the provider offers an end-session endpoint: it comes back to the login page."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get("oidc_id_token")
        response = super().post(request, *args, **kwargs)
        if id_token and settings.OIDC_ENABLED:
            back = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
            url = oidc.end_session_url(id_token, post_logout_redirect_uri=back)
            if url:
                return HttpResponseRedirect(url)
        return response
