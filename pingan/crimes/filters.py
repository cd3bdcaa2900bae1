"""One FilterSet for the crime counts (the API list): month range, township (code), category (code or name)."""
from __future__ import annotations

import django_filters
from django.db.models import Q

from pingan.core.filters import FilterSet

from .models import CrimeCount
from .months import parse_month


class MonthFilter(django_filters.CharFilter):
    def __init__(self, *args, lookup_expr="exact", **kwargs):
        super().__init__(*args, field_name="month", lookup_expr=lookup_expr, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        try:
            month = parse_month(value)
        except ValueError:
            return qs.none()
        return qs.filter(**{f"month__{self.lookup_expr}": month})


class CrimeCountFilter(FilterSet):
    month_from = MonthFilter(lookup_expr="gte", label="起始月份（YYYY-MM）")
    month_to = MonthFilter(lookup_expr="lte", label="截止月份（YYYY-MM）")
    township = django_filters.CharFilter(method="filter_township", label="乡镇（区划代码或名称）")
    category = django_filters.CharFilter(method="filter_category", label="案件类别（代码或名称）")

    class Meta:
        model = CrimeCount
        fields = ["month_from", "month_to", "township", "category"]

    def filter_township(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value.isdigit():
            return queryset.filter(jurisdiction__path__contains=f"{value}/")
        return queryset.filter(jurisdiction__name=value)

    def filter_category(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(category__code=value) | Q(category__name=value))
