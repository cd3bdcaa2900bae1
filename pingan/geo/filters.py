import django_filters

from pingan.core.filters import FilterSet

from .choices import Level
from .models import Node


class NodeFilter(FilterSet):
    level = django_filters.ChoiceFilter(choices=Level.choices, label="层级")
    parent = django_filters.CharFilter(field_name="parent__code", label="上级代码")
    name = django_filters.CharFilter(lookup_expr="icontains", label="名称")
    is_pilot = django_filters.BooleanFilter(label="试点")

    class Meta:
        model = Node
        fields = ["level", "parent", "name", "is_pilot"]
