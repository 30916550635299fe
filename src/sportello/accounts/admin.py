from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    fields = ["municipality", "role", "is_active"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_superuser", "must_change_password"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("Sportello", {"fields": ["fiscal_code", "phone", "language", "must_change_password"]}),
    ]
