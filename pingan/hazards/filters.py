"""One FilterSet for the hazard list page and the API (place, type, level, status, overdue, dates)."""
from __future__ import annotations

import django_filters
from django.db.models import Q

from pingan.cases.filters import CaseFilterMethods
from pingan.core.filters import FilterSet

from .choices import HazardStatus, HazardType, RiskLevel
from .models import Hazard


class HazardFilter(CaseFilterMethods, FilterSet):
    place = django_filters.CharFilter(method="filter_place", label="地点（区划代码）")
    hazard_type = django_filters.ChoiceFilter(choices=HazardType.choices, label="隐患类型")
    risk_level = django_filters.ChoiceFilter(choices=RiskLevel.choices, label="风险等级")
    state = django_filters.ChoiceFilter(choices=HazardStatus.choices, label="整治状态")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="是否超期")
    open = django_filters.BooleanFilter(method="filter_open", label="是否未办结")
    supervised = django_filters.BooleanFilter(method="filter_supervised", label="是否督办中")
    screened_from = django_filters.DateFilter(field_name="screened_on", lookup_expr="gte", label="排查日期起")
    screened_to = django_filters.DateFilter(field_name="screened_on", lookup_expr="lte", label="排查日期止")
    department = django_filters.NumberFilter(field_name="responsible_department", label="整治责任单位")
    q = django_filters.CharFilter(method="filter_q", label="关键词")

    class Meta:
        model = Hazard
        fields = ["place", "hazard_type", "risk_level", "state", "overdue", "open", "screened_from", "screened_to",
                  "department", "supervised", "q"]

    def filter_place(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if not value.isdigit():
            return queryset.filter(jurisdiction__name__contains=value)
        return queryset.filter(jurisdiction__path__contains=f"{value}/")

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(description__icontains=value)
                               | Q(responsible_unit_name__icontains=value) | Q(location__icontains=value))
