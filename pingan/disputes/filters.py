"""One FilterSet for the dispute list page and the API: place, category, status, source, mediator, organisation,
period (登记日期), overdue, referral."""
from __future__ import annotations

import django_filters
from django.db.models import Q

from pingan.cases.filters import CaseFilterMethods
from pingan.core.filters import FilterSet

from . import choices as c
from .models import Dispute

STATUS_CHOICES = [(s.value, s.label) for s in c.DisputeState] + [("resolved", "调处成功（含已归档）"),
                                                                ("in_progress", "在办（排查登记、调处中）")]


class DisputeFilter(CaseFilterMethods, FilterSet):
    place = django_filters.CharFilter(method="filter_place", label="地点（乡镇、村名称或区划代码）")
    category = django_filters.CharFilter(method="filter_category", label="事件类别（大类或小类代码）")
    state = django_filters.ChoiceFilter(choices=STATUS_CHOICES, method="filter_state", label="状态")
    source = django_filters.ChoiceFilter(choices=c.Source.choices, label="来源")
    scale = django_filters.ChoiceFilter(choices=c.Scale.choices, label="事件规模")
    mediator = django_filters.NumberFilter(method="filter_mediator", label="调解员")
    org = django_filters.NumberFilter(field_name="mediation_org", label="调解组织")
    registered_from = django_filters.DateFilter(field_name="registered_on", lookup_expr="gte", label="登记日期起")
    registered_to = django_filters.DateFilter(field_name="registered_on", lookup_expr="lte", label="登记日期止")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="是否超期")
    open = django_filters.BooleanFilter(method="filter_open", label="是否未办结")
    supervised = django_filters.BooleanFilter(method="filter_supervised", label="是否督办中")
    referral = django_filters.BooleanFilter(method="filter_referral", label="是否移送对接")
    q = django_filters.CharFilter(method="filter_q", label="关键词")

    class Meta:
        model = Dispute
        fields = ["place", "category", "state", "source", "scale", "mediator", "org", "registered_from",
                  "registered_to", "overdue", "open", "supervised", "referral", "q"]

    def filter_place(self, queryset, name, value):
        value = value.strip()[:50]
        if not value:
            return queryset
        if value.isdigit():
            return queryset.filter(jurisdiction__path__contains=f"{value}/")
        return queryset.filter(Q(jurisdiction__name__contains=value) | Q(jurisdiction__parent__name__contains=value)
                               | Q(jurisdiction__parent__parent__name__contains=value))

    def filter_category(self, queryset, name, value):
        value = value.strip()[:4]
        if not value:
            return queryset
        if len(value) == 2:
            return queryset.filter(category__startswith=value)
        return queryset.filter(category=value)

    def filter_state(self, queryset, name, value):
        if value == "resolved":
            return queryset.filter(state__in=c.RESOLVED_STATES)
        if value == "in_progress":
            return queryset.filter(state__in=c.IN_PROGRESS_STATES)
        return queryset.filter(state=value) if value else queryset

    def filter_mediator(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(Q(mediator_id=value) | Q(co_mediators__id=value)).distinct()

    def filter_referral(self, queryset, name, value):
        if value is None:
            return queryset
        referred = Q(source__in=c.REFERRAL_SOURCES)
        return queryset.filter(referred) if value else queryset.exclude(referred)

    def filter_q(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value) | Q(summary__icontains=value)
                               | Q(parties__name=value)).distinct()
