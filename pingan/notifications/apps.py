from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """The in-app inbox and the channels behind it (SMS through a gateway backend).

    This app sits below the case layer: it knows nothing about cases. `pingan.cases.notify` decides who is
    told about what and connects itself from the case layer's side; `pingan.cases.reminders` is the periodic
    deadline-reminder job."""

    name = "pingan.notifications"
    label = "notifications"
    verbose_name = "消息通知"

    def ready(self) -> None:
        from pingan.core import registry

        from . import checks  # noqa: F401  (system checks of the SMS settings)

        registry.action_label("notification.send", "发送消息")
        registry.action_label("notification.read", "消息标为已读")
        registry.action_label("notification.read_all", "全部消息标为已读")
        registry.action_label("notification.purge", "清理过期消息")
