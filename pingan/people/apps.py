from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "pingan.people"
    label = "people"
    verbose_name = "实有人口与特殊人群"
