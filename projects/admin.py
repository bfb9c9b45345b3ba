from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Benefit,
    Goal,
    MandateVersion,
    Membership,
    Organisation,
    Phase,
    Project,
    SolutionOption,
    Workstream,
)


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "org_number")
    search_fields = ("name", "org_number")
    filter_horizontal = ("members",)


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """For what the app writes through its services (rules, history with the user): the admin
    shows it, with its history, and cannot change it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class GoalInline(ReadOnlyInline):
    model = Goal


class BenefitInline(ReadOnlyInline):
    model = Benefit


class PhaseInline(ReadOnlyInline):
    model = Phase


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "organisation", "status", "owner", "leader", "start_date")
    list_filter = ("status", "organisation")
    search_fields = ("name", "code")
    list_select_related = ("organisation", "owner", "leader")
    # The mandate, its goals, benefits and phases are edited in the product, where the services
    # keep its versions and change log; here they are for reading.
    inlines = [GoalInline, BenefitInline, PhaseInline]
    readonly_fields = (
        "mandate_state",
        "owner",
        "leader",
        "background",
        "purpose",
        "constraints",
        "obligations",
        "quality_requirements",
    )


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("project", "user", "role", "union_name")
    list_filter = ("role",)
    list_select_related = ("project", "user")

    # Memberships change only through projects.services, which keeps the guardian permissions
    # in step: never here.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SolutionOptionInline(ReadOnlyInline):
    model = SolutionOption


@admin.register(Workstream)
class WorkstreamAdmin(SimpleHistoryAdmin):
    list_display = ("name", "project", "status")
    list_select_related = ("project",)
    inlines = [SolutionOptionInline]
    readonly_fields = ("status",)


@admin.register(MandateVersion)
class MandateVersionAdmin(SimpleHistoryAdmin):
    list_display = ("project", "number", "decided_by", "decided_at")
    list_select_related = ("project", "decided_by")
    readonly_fields = ("project", "number", "snapshot", "decided_by", "decided_at", "pdf")
