"""Read-only in the admin: meetings, protocols and questions are written in the app through the
services that keep their rules (an approved protocol is never edited in place)."""

from django.contrib import admin

from core.admin import ReadOnlyHistoryAdmin

from .models import Meeting, Protocol, Question


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyHistoryAdmin):
    list_display = ("title", "kind", "starts_at", "status", "project")
    list_filter = ("kind", "status", "project__organisation")
    search_fields = ("title", "project__name")
    list_select_related = ("project",)


@admin.register(Protocol)
class ProtocolAdmin(ReadOnlyHistoryAdmin):
    list_display = ("meeting", "version", "status", "approved_at")
    list_select_related = ("meeting",)


@admin.register(Question)
class QuestionAdmin(ReadOnlyHistoryAdmin):
    list_display = ("text", "workstream", "asked_on", "answered_at", "project")
    list_select_related = ("workstream", "project")
