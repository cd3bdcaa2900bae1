from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "pingan.events"
    label = "events"
    verbose_name = "网格事件"
