"""One FilterSet for the petition list page and the API (form, type, place, source, status, overdue, period,
backlog, assigned list)."""
from __future__ import annotations

import django_filters
from django.db.models import Q

from pingan.cases.filters import CaseFilterMethods
from pingan.core.filters import FilterSet

from . import choices as c
from .models import Petition


class PetitionFilter(CaseFilterMethods, FilterSet):
    place = django_filters.CharFilter(method="filter_place", label="问题属地（区划代码）")
    form = django_filters.ChoiceFilter(choices=c.Form.choices, label="信访形式")
    petition_type = django_filters.ChoiceFilter(choices=c.PetitionType.choices, label="信访类型")
    source = django_filters.ChoiceFilter(choices=c.Source.choices, label="来源")
    state = django_filters.ChoiceFilter(choices=c.PetitionState.choices, label="办理状态")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="是否超期")
    open = django_filters.BooleanFilter(method="filter_open", label="是否未办结")
    supervised = django_filters.BooleanFilter(method="filter_supervised", label="是否督办中")
    finished = django_filters.BooleanFilter(method="filter_finished", label="是否已办结（含已化解、已稳控）")
    registered_from = django_filters.DateFilter(field_name="registered_on", lookup_expr="gte", label="登记日期起")
    registered_to = django_filters.DateFilter(field_name="registered_on", lookup_expr="lte", label="登记日期止")
    backlog = django_filters.BooleanFilter(field_name="is_backlog", label="是否积案")
    assigned_list = django_filters.NumberFilter(field_name="assigned_list", label="交办清单")
    department = django_filters.NumberFilter(field_name="assigned_department", label="承办部门")
    hall_code = django_filters.CharFilter(field_name="hall_code", label="一案一码")
    q = django_filters.CharFilter(method="filter_q", label="关键词")

    class Meta:
        model = Petition
        fields = ["place", "form", "petition_type", "source", "state", "overdue", "open", "supervised", "finished", "registered_from",
                  "registered_to", "backlog", "assigned_list", "department", "hall_code", "q"]

    def filter_place(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if not value.isdigit():
            return queryset.filter(jurisdiction__name__contains=value)
        return queryset.filter(jurisdiction__path__contains=f"{value}/")

    def filter_finished(self, queryset, name, value):
        """已办结、已化解、已稳控 (and their reviewed results): petitions.assigned_resolved counts these."""
        if value is None:
            return queryset
        finished = Q(state__in=c.FINISHED_STATES)
        return queryset.filter(finished) if value else queryset.exclude(finished)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(content__icontains=value)
                               | Q(petitioner_name__icontains=value) | Q(topic_text__icontains=value))
