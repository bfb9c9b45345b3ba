"""Read-only in the admin: meetings, protocols and questions are written in the app through the
services that keep their rules (an approved protocol is never edited in place)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Meeting, Protocol, Question


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "starts_at", "status", "project")
    list_filter = ("kind", "status", "project__organisation")
    search_fields = ("title", "project__name")
    list_select_related = ("project",)


@admin.register(Protocol)
class ProtocolAdmin(ReadOnlyAdmin):
    list_display = ("meeting", "version", "status", "approved_at")
    list_select_related = ("meeting",)


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ("text", "workstream", "asked_on", "answered_at", "project")
    list_select_related = ("workstream", "project")
