from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), (None, {"fields": ("job_title",)}))
    list_display = ("username", "first_name", "last_name", "job_title", "email", "is_staff")
