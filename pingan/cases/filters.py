"""The list filters every case kind's FilterSet shares (its `open`, `overdue` and `supervised` BooleanFilters
name these methods): the same rows the case layer's work queues and the dashboard's figures count."""
from __future__ import annotations

from .measures import case_figures


class CaseFilterMethods:
    """Mix into a case kind's FilterSet (before `FilterSet`)."""

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.open() if value else queryset.closed()

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.overdue() if value else queryset.not_overdue()

    def filter_supervised(self, queryset, name, value):
        """Open with an open 督办: the dashboard's 督办中 figure (pingan.cases.measures.case_figures)."""
        if value is None:
            return queryset
        condition = case_figures(queryset.model._meta.label)["supervised"]()
        return queryset.filter(condition) if value else queryset.exclude(condition)
