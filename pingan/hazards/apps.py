from django.apps import AppConfig


class HazardsConfig(AppConfig):
    name = "pingan.hazards"
    label = "hazards"
    verbose_name = "风险隐患排查整治"
