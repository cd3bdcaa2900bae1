from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "pingan.jobs"
    label = "jobs"
    verbose_name = "后台任务"

    def ready(self) -> None:
        from pingan.core import registry

        # The job pages: the user's own imports and exports, and full-value exports waiting for approval.
        registry.nav("jobs", "后台任务", "jobs:list", order=81, capability="ledgers.export")
