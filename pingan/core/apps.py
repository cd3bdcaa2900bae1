from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pingan.core"
    label = "core"
    verbose_name = "平台核心"

    def ready(self) -> None:
        from .workflow import setup

        setup.register()
