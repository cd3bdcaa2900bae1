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
        from . import checks  # noqa: F401  (system checks of the SMS settings)
