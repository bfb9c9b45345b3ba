"""The user's own API tokens, on a page of their profile: make one (shown once), revoke one."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import errors_on_form
from projects.permissions import no_store

from . import tokens
from .forms import TokenForm
from .models import ApiToken


def token_list(request):
    form = TokenForm(request.POST or None)
    made = None
    if request.method == "POST" and form.is_valid():
        with errors_on_form(form):
            token, made = tokens.create_token(
                user=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=form.expires_at(),
                by=request.user,
            )
            form = TokenForm()  # the next one starts empty
    context = {
        "form": form,
        "made": made,
        "tokens": ApiToken.objects.filter(user=request.user).order_by("-created_at", "-pk"),
    }
    # The new token is in this response only: never cached, never shown again.
    return no_store(render(request, "api/tokens.html", context))


@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    tokens.revoke_token(token=token, by=request.user)
    messages.success(request, _("Nøkkelen «%(name)s» er trukket tilbake.") % {"name": token.name})
    return redirect("api:tokens")
