from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import ProfileForm


def profile(request):
    """The user's own page: who they are in reorg, and how they want to be told."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Profilen er lagret."))
        return redirect("profile")
    return render(request, "accounts/profile.html", {"form": form})
