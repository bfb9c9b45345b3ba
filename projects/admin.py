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


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0


class BenefitInline(admin.TabularInline):
    model = Benefit
    extra = 0


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "organisation", "status", "owner", "leader", "start_date")
    list_filter = ("status", "organisation")
    search_fields = ("name", "code")
    list_select_related = ("organisation", "owner", "leader")
    inlines = [GoalInline, BenefitInline, PhaseInline]
    # Memberships are edited in the product (or below), never as raw guardian rows: the
    # membership service keeps permissions in step.
    readonly_fields = ("mandate_state",)


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("project", "user", "role", "union_name")
    list_filter = ("role",)
    list_select_related = ("project", "user")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SolutionOptionInline(admin.StackedInline):
    model = SolutionOption
    extra = 0


@admin.register(Workstream)
class WorkstreamAdmin(SimpleHistoryAdmin):
    list_display = ("name", "project", "status")
    list_select_related = ("project",)
    inlines = [SolutionOptionInline]


@admin.register(MandateVersion)
class MandateVersionAdmin(SimpleHistoryAdmin):
    list_display = ("project", "number", "decided_by", "decided_at")
    list_select_related = ("project", "decided_by")
    readonly_fields = ("project", "number", "snapshot", "decided_by", "decided_at", "pdf")
