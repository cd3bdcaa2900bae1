from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pingan.core"
    label = "core"
    verbose_name = "平台核心"

    def ready(self) -> None:
        from . import registry

        registry.nav("audit", "审计日志", "core:audit_log", order=95, capability="audit.read_log")
