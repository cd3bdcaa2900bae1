from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "pingan.analytics"
    label = "analytics"
    verbose_name = "统计分析"

    def ready(self) -> None:
        from pingan.accounts.choices import Role
        from pingan.accounts.permissions import register_capability
        from pingan.core import registry

        # Statistics: every working role reads the indicators of its own scope.
        register_capability("analytics.stats", {Role.DISTRICT_ADMIN, Role.CENTER_STAFF, Role.TOWNSHIP_OFFICER,
                                                Role.VILLAGE_OFFICER, Role.LEADER, Role.GRID_WORKER,
                                                Role.MEDIATOR, Role.DEPT_HANDLER})
        registry.nav("dashboard", "驾驶舱", "analytics:dashboard", order=70, data_kind="case",
                     capability="analytics.stats")
        registry.nav("stats", "统计指标", "analytics:stats", order=70, data_kind="case", capability="analytics.stats")
        registry.nav("screen", "大屏", "analytics:screen", order=73, data_kind="case", capability="analytics.stats")
        from . import panels  # noqa: F401  (the home panel leading to the dashboard)
