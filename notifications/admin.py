from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(ReadOnlyAdmin):
    """The outbox, for support: what was sent, what waits and why."""

    list_display = ("created_at", "kind", "subject", "state", "attempts", "last_error")
    list_filter = ("state", "kind")
    search_fields = ("subject", "to", "message_id")
    list_select_related = ("project",)
    exclude = ("body",)  # may name people in a project the administrator is not a member of
