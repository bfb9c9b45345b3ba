from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .models import OutgoingMail


@require_POST
def resend(request, pk):
    """The one who caused a mail that did not arrive sends it again; anyone else gets 404."""
    mail = get_object_or_404(OutgoingMail, pk=pk, sender=request.user)
    services.resend(mail=mail, by=request.user)
    messages.success(
        request, _("E-posten «%(subject)s» sendes på nytt.") % {"subject": mail.subject}
    )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = "/"
    return redirect(back)
