"""One FilterSet for the 预警中心 page and the API: module, rule, level, status, place (township or village),
period, whether still waiting."""
from __future__ import annotations

import django_filters

from pingan.core.filters import FilterSet

from .models import ACTIVE, Alert, Level, Status
from .registry import rules


def _module_choices():
    seen: dict[str, str] = {}
    for rule in rules():
        seen.setdefault(rule.module, module_label(rule.module))
    return sorted(seen.items())


def _rule_choices():
    return [(rule.key, rule.label) for rule in rules()]


# The Chinese names of the modules that register rules (a module not listed shows its app's verbose name).
MODULE_LABELS = {
    "people": "实有人口与特殊人群", "disputes": "矛盾纠纷", "petitions": "信访", "events": "网格事件",
    "hazards": "风险隐患", "security": "治安防控", "hall": "综治中心窗口", "campaigns": "专项行动",
    "crimes": "刑事案件统计",
}


def module_label(module: str) -> str:
    if module in MODULE_LABELS:
        return MODULE_LABELS[module]
    from django.apps import apps

    try:
        return str(apps.get_app_config(module).verbose_name)
    except LookupError:
        return "其他模块"


class AlertFilter(FilterSet):
    module = django_filters.ChoiceFilter(choices=_module_choices, label="模块")
    rule = django_filters.ChoiceFilter(choices=_rule_choices, label="预警规则")
    level = django_filters.ChoiceFilter(choices=Level.choices, label="预警等级")
    status = django_filters.ChoiceFilter(choices=Status.choices, label="状态")
    active = django_filters.BooleanFilter(method="filter_active", label="是否待处理（待处置或已列入研判）")
    place = django_filters.CharFilter(method="filter_place", label="乡镇（街道）或村（社区）代码")
    raised_from = django_filters.DateFilter(field_name="raised_at", lookup_expr="date__gte", label="预警日期起")
    raised_to = django_filters.DateFilter(field_name="raised_at", lookup_expr="date__lte", label="预警日期止")

    class Meta:
        model = Alert
        fields = ["module", "rule", "level", "status", "active", "place", "raised_from", "raised_to"]

    def filter_active(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(status__in=ACTIVE) if value else queryset.exclude(status__in=ACTIVE)

    def filter_place(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if not value.isdigit() or len(value) > 15:
            return queryset.none()
        return queryset.filter(jurisdiction__path__contains=f"{value}/")
