"""Read-only in the admin: milestones and activities are written in the app, through the services
that check their rules (dependency loops, another project's phase or workstream) and record
history. The admin shows them, with their history, for support."""

from django.contrib import admin

from core.admin import ReadOnlyHistoryAdmin

from .models import Activity, Milestone


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyHistoryAdmin):
    list_display = ("code", "title", "project", "kind", "due_date", "status", "responsible")
    list_filter = ("kind", "status", "project__organisation")
    search_fields = ("code", "title", "project__name", "project__code")
    list_select_related = ("project", "responsible")


@admin.register(Activity)
class ActivityAdmin(ReadOnlyHistoryAdmin):
    list_display = ("title", "project", "workstream", "owner", "due_date", "status")
    list_filter = ("status", "project__organisation")
    search_fields = ("title", "project__name", "project__code")
    list_select_related = ("project", "workstream", "owner")
