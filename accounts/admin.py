from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import ExternalIdentity, User


class ExternalIdentityInline(admin.TabularInline):
    """Who the user is at the OpenID Connect provider: made at their first sign-in. Deleting it
    lets the next sign-in with that identity make a new account."""

    model = ExternalIdentity
    extra = 0
    fields = readonly_fields = ("issuer", "subject", "created_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), (None, {"fields": ("job_title",)}))
    list_display = ("username", "first_name", "last_name", "job_title", "email", "is_staff")
    inlines = [ExternalIdentityInline]
