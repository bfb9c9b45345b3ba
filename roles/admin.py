"""Read-only in the admin: the organization, positions and role descriptions are written in the
app through the services that check their rules; employees, interviews and placements are
personal data, shown only in the project to those with the right (and logged there). The admin
lists the organization for support and the personal-data access log for audit."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyHistoryAdmin

from .models import OrgUnit, PersonalDataAccess, Position, RoleDescription


@admin.register(OrgUnit)
class OrgUnitAdmin(ReadOnlyHistoryAdmin):
    list_display = ("name", "structure", "kind", "project", "code")
    list_filter = ("structure", "kind", "project__organisation")
    search_fields = ("name", "code", "project__name")
    list_select_related = ("project",)


@admin.register(Position)
class PositionAdmin(ReadOnlyHistoryAdmin):
    list_display = ("title", "unit", "code", "fte", "project")
    search_fields = ("title", "code", "project__name")
    list_select_related = ("unit", "project")


@admin.register(RoleDescription)
class RoleDescriptionAdmin(ReadOnlyHistoryAdmin):
    list_display = ("__str__", "position", "version", "updated_at")
    list_select_related = ("position",)


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    """Who saw or exported personal data. Employees are shown by number only here."""

    list_display = ("at", "user", "purpose", "project", "employee_numbers")
    list_filter = ("purpose", "project__organisation")
    list_select_related = ("user", "project")
    exclude = ("employees",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("employees")

    @admin.display(description="ansattnummer")
    def employee_numbers(self, obj):
        return ", ".join(e.employee_number for e in obj.employees.all()) or "–"
