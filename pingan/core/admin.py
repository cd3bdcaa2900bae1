from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is append-only, in the admin too."""

    list_display = ("at", "actor_name", "action", "object_repr", "outcome")
    search_fields = ("actor_name", "action", "object_repr", "request_id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _superuser_only(request) -> bool:
    # The Django admin is for superusers (system maintenance) only; every role works in the app's own pages.
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superuser_only
