from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts import admin as accounts_admin
from accounts.models import User
from core.admin import ReadOnlyHistoryAdmin, ReadOnlyInline

from . import services
from .models import (
    Benefit,
    Goal,
    Lesson,
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
    list_display = ("name", "org_number", "strict_consultation")
    search_fields = ("name", "org_number")
    filter_horizontal = ("members",)


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


# Memberships change only through projects.services, which keeps the guardian permissions in
# step: never here.
@admin.register(Membership)
class MembershipAdmin(ReadOnlyHistoryAdmin):
    list_display = ("project", "user", "role", "union_name")
    list_filter = ("role",)
    list_select_related = ("project", "user")


# Lessons learned are written by members in the product; here they are for reading.
@admin.register(Lesson)
class LessonAdmin(ReadOnlyHistoryAdmin):
    list_display = ("project", "category", "written_by", "written_at")
    list_filter = ("category",)
    list_select_related = ("project", "written_by")
    search_fields = ("text",)


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


# The users: the admin may pseudonymise one who has left (projects.services), since the access
# log, the history and decisions refer to them and a deletion would break those records.
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(accounts_admin.UserAdmin):
    actions = ["pseudonymise"]

    @admin.action(description=_("Pseudonymiser valgte brukere (de som har sluttet)"))
    def pseudonymise(self, request, queryset):
        for user in queryset.exclude(pk=request.user.pk):
            services.pseudonymise_user(user=user, by=request.user)
        self.message_user(request, _("Brukerne er deaktivert og pseudonymisert."))

    def has_delete_permission(self, request, obj=None):
        return False  # pseudonymise instead: the records that name them stay whole
