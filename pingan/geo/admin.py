from django.contrib import admin

from .models import LiaisonPoint, Node


@admin.register(Node)
class NodeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "is_pilot")
    search_fields = ("code", "name")
    raw_id_fields = ("parent", "grid_leader", "grid_worker")


admin.site.register(LiaisonPoint)
