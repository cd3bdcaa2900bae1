from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "pingan.reports"
    label = "reports"
    verbose_name = "平安建设报告"

    def ready(self) -> None:
        from pingan.accounts.choices import Role
        from pingan.accounts.permissions import register_capability
        from pingan.core import registry

        # Monthly, quarterly and annual reports: those who report upwards or read reports — leaders, the
        # centre, the district's administrator, township offices (their own township). Not grid workers,
        # mediators, village officers or departments' handlers.
        register_capability("reports.generate", {Role.DISTRICT_ADMIN, Role.CENTER_STAFF, Role.TOWNSHIP_OFFICER,
                                                 Role.LEADER})
        registry.nav("reports", "平安建设报告", "reports:index", order=72, data_kind="case",
                     capability="reports.generate")
        from . import jobs

        jobs.register_handlers()
