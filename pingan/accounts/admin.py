from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Department, User


@admin.register(User)
class PinganUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (("平安", {"fields": ("full_name", "role", "scope", "department", "post", "phone",
                                                           "expires_at", "locked_until")}),)
    list_display = ("username", "full_name", "role", "scope", "is_active")
    raw_id_fields = ("scope", "department")


admin.site.register(Department)
admin.site.site_header = "平安 · 系统管理（仅超级用户）"
