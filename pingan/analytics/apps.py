from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "pingan.analytics"
    label = "analytics"
    verbose_name = "统计分析"

    def ready(self) -> None:
        from pingan.accounts.choices import Role
        from pingan.accounts.permissions import register_capability
        from pingan.core import registry

        # Ledgers: the district and townships exchange them; villages import their own; leaders read exports.
        importers = {Role.DISTRICT_ADMIN, Role.CENTER_STAFF, Role.TOWNSHIP_OFFICER, Role.VILLAGE_OFFICER}
        register_capability("ledgers.import", importers)
        register_capability("ledgers.export", importers | {Role.LEADER})
        # Statistics: every working role reads the indicators of its own scope.
        register_capability("analytics.stats", {Role.DISTRICT_ADMIN, Role.CENTER_STAFF, Role.TOWNSHIP_OFFICER,
                                                Role.VILLAGE_OFFICER, Role.LEADER, Role.GRID_WORKER,
                                                Role.MEDIATOR, Role.DEPT_HANDLER})
        registry.nav("ledgers", "台账导入导出", "core:ledgers", order=80, data_kind="case", capability="ledgers.export")
        registry.nav("stats", "统计指标", "analytics:stats", order=70, data_kind="case", capability="analytics.stats")
