"""FilterSet bases for every app's lists and API: numbers in a query string are bounded before they reach
the database.

A number filter (`?department=`, `?enrollment=`, an id in any FilterSet) is a `forms.DecimalField` with no
limits: `?department=1e30` reached SQLite as an integer too large for it (OverflowError, a 500) and
`?latitude=1e999999` made the decimal adapter raise InvalidOperation. `BoundedNumbersMixin` gives every
number field the limits of the column it filters — an integer column (or a foreign key to one) accepts
whole numbers in the database's range, a decimal column its digits — and any other number filter a finite
value below 10^15. Out-of-range input is a form error in Chinese (a 400 in the API, an empty list with the
message on a page), never a server error.
"""
from __future__ import annotations

from decimal import Decimal

import django_filters
from django.db import connection, models
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.rest_framework import FilterSet as RestFilterSet
from django_filters.utils import get_model_field

ANY_NUMBER_LIMIT = Decimal("1e15")
_INTEGER_TYPES = (models.IntegerField, models.AutoField, models.BigAutoField, models.SmallAutoField)


def _target(field):
    """The column a filter compares with: a foreign key's target field."""
    while field is not None and getattr(field, "is_relation", False) and getattr(field, "target_field", None) is not None:
        if field.target_field is field:
            break
        field = field.target_field
    return field


def number_limits(model, field_name: str) -> dict:
    """Extra arguments for the form field of a number filter on `model.field_name`."""
    field = _target(get_model_field(model, field_name)) if model is not None and field_name else None
    if isinstance(field, _INTEGER_TYPES):
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        low = -(2 ** 63) if low is None else low
        high = 2 ** 63 - 1 if high is None else high
        return {"min_value": low, "max_value": high, "decimal_places": 0,
                "error_messages": {"max_decimal_places": "请填写整数编号。", "max_value": "编号超出范围。",
                                   "min_value": "编号超出范围。", "invalid": "请填写数字。"}}
    if isinstance(field, models.DecimalField):
        return {"max_digits": field.max_digits, "decimal_places": field.decimal_places,
                "error_messages": {"max_digits": f"最多 {field.max_digits} 位数字。",
                                   "max_decimal_places": f"最多 {field.decimal_places} 位小数。",
                                   "max_whole_digits": "数值超出范围。", "invalid": "请填写数字。"}}
    return {"min_value": -ANY_NUMBER_LIMIT, "max_value": ANY_NUMBER_LIMIT,
            "error_messages": {"max_value": "数值超出范围。", "min_value": "数值超出范围。", "invalid": "请填写数字。"}}


class BoundedNumbersMixin:
    """Bounds every NumberFilter (and number range filter) of the FilterSet by its column (see module)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = getattr(self._meta, "model", None) or getattr(getattr(self, "queryset", None), "model", None)
        for filt in self.filters.values():
            if isinstance(filt, django_filters.NumberFilter) and "max_value" not in filt.extra \
                    and "max_digits" not in filt.extra:
                filt.extra.update(number_limits(model, filt.field_name))
            elif isinstance(filt, django_filters.ModelChoiceFilter) and model is not None:
                # A foreign key's id: the choice field looks it up with the number as given.
                filt.extra.setdefault("error_messages", {})["invalid_choice"] = "所选项不存在或不在您的管辖范围内。"


class FilterSet(BoundedNumbersMixin, django_filters.FilterSet):
    """The base of every app's FilterSet (pages and API)."""


class ApiFilterSet(BoundedNumbersMixin, RestFilterSet):
    """The base DRF's filter backend builds `filterset_fields` FilterSets on (pingan.core.api.FilterBackend)."""


def bounded(filterset_class: type) -> type:
    """`filterset_class` itself when it is bounded already, else a bounded subclass of it."""
    if issubclass(filterset_class, BoundedNumbersMixin):
        return filterset_class
    return type(filterset_class.__name__, (BoundedNumbersMixin, filterset_class), {"__module__": __name__})


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend with every FilterSet's numbers bounded (pingan.core.filters): an id or a
    number beyond its column's range is a 400 with a Chinese message, not an OverflowError."""

    filterset_base = ApiFilterSet

    def get_filterset_class(self, view, queryset=None):
        filterset_class = super().get_filterset_class(view, queryset)
        return bounded(filterset_class) if filterset_class is not None else None
