from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "pingan.events"
    label = "events"
    verbose_name = "网格事件"

    def ready(self) -> None:
        from pingan.accounts.permissions import register_capability
        from pingan.core import registry

        from . import workflow  # noqa: F401  (registers the case kind with the engine)
        from .workflow import CAPABILITIES

        for name, roles in CAPABILITIES.items():
            register_capability(name, roles)
        registry.nav("events-queue", "我的待办事件", "events:queue", order=20, data_kind="case")
        registry.nav("events-report", "上报事件", "events:report", order=21, capability="events.report")
        registry.nav("events", "网格事件", "events:list", order=22, data_kind="case")
        registry.nav("events-config", "事件类别与派遣", "events:category_list", order=80,
                     capability="events.configure")
        registry.nav("events-keys", "开放接口密钥", "events:key_list", order=81, capability="events.keys")
        from . import panels  # noqa: F401  (home panel)
