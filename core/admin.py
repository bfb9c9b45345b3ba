"""Read-only admin bases: what the apps write through their services (rules, history with the
user, guardian permissions kept in step) the admin shows, and cannot change."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """For a log the product writes (access log, reminders): shown, never changed."""


class ReadOnlyHistoryAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """For domain data, with its history."""


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
