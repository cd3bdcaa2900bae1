"""One FilterSet for the clue list page and the API."""
from __future__ import annotations

import django_filters
from django.db.models import Q

from pingan.cases.filters import CaseFilterMethods
from pingan.core.filters import FilterSet

from .choices import ClueSource, ClueState
from .models import Clue


class ClueFilter(CaseFilterMethods, FilterSet):
    campaign = django_filters.NumberFilter(field_name="campaign", label="专项行动")
    state = django_filters.ChoiceFilter(choices=ClueState.choices, label="办理状态")
    source = django_filters.ChoiceFilter(choices=ClueSource.choices, label="线索来源")
    place = django_filters.CharFilter(method="filter_place", label="地点（区划代码）")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="是否超期")
    open = django_filters.BooleanFilter(method="filter_open", label="是否未办结")
    supervised = django_filters.BooleanFilter(method="filter_supervised", label="是否督办中")
    received_from = django_filters.DateFilter(field_name="received_on", lookup_expr="gte", label="受理日期起")
    received_to = django_filters.DateFilter(field_name="received_on", lookup_expr="lte", label="受理日期止")
    q = django_filters.CharFilter(method="filter_q", label="关键词")

    class Meta:
        model = Clue
        fields = ["campaign", "state", "source", "place", "overdue", "open", "supervised", "received_from", "received_to", "q"]

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
        return queryset.filter(Q(number__icontains=value) | Q(summary__icontains=value) | Q(involved__icontains=value))
