"""Early warnings (预警): one place where every module's rules put their warnings, for the 预警中心 page, the
meetings that take them up and the command centre. See docs/alerts.md."""
from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "pingan.alerts"
    label = "alerts"
    verbose_name = "预警中心"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from pingan.accounts.choices import Role
        from pingan.accounts.permissions import register_capability
        from pingan.core import registry

        from . import panels  # noqa: F401  (home panel)

        # Who acts on a warning (列入研判, 已处置, 排除): the centre and the township office; leaders read only.
        register_capability("alerts.handle", {Role.DISTRICT_ADMIN, Role.CENTER_STAFF, Role.TOWNSHIP_OFFICER})
        # Who switches rules on and off and sets their numbers, per district or township.
        register_capability("alerts.configure", {Role.DISTRICT_ADMIN, Role.CENTER_STAFF})
        registry.nav("alerts", "预警中心", "alerts:list", order=71, data_kind="case")
        registry.action_label("alert.raise", "发出预警")
        registry.action_label("alert.handle", "处置预警")
        registry.action_label("alert.resolve", "预警自动关闭")
        registry.action_label("alert_rule.configure", "设置预警规则")
        registry.object_type_labeler("alertrule.", _rule_label)
        # Each module's rules: `<app>/alerts.py`, imported once every app is loaded.
        autodiscover_modules("alerts")


def _rule_label(key: str) -> str:
    from .registry import _RULES

    rule = _RULES.get(key)
    return f"预警规则：{rule.label}" if rule else "预警规则"
