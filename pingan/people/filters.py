"""One FilterSet per model: the UI lists and the API use the same ones."""
import django_filters
from django.db.models import Q

from pingan.core.filters import FilterSet

from . import choices as c
from . import selectors
from .models import Household, Person, RentalHouse, SpecialEnrollment, Visit


def _user(filterset):
    """The user behind a FilterSet (views and DRF pass the request); anonymous when there is none, so a
    FilterSet built without its request gets the most careful search, never the system's."""
    from django.contrib.auth.models import AnonymousUser

    request = getattr(filterset, "request", None)
    return getattr(request, "user", None) or AnonymousUser()


def _under(queryset, name, value):
    """A jurisdiction code: the node and everything under it."""
    code = (value or "").strip()
    if not code:
        return queryset
    from pingan.geo.models import Node

    path = Node.objects.filter(code=code).values_list("path", flat=True).first()
    return queryset.filter(jurisdiction__path__startswith=path) if path else queryset.none()


class PersonFilter(FilterSet):
    q = django_filters.CharFilter(method="search", label="姓名、证件号码、电话或地址")
    person_type = django_filters.ChoiceFilter(choices=c.PersonType.choices, label="人口类型")
    jurisdiction = django_filters.CharFilter(method=_under, label="辖区代码")
    sex = django_filters.ChoiceFilter(choices=c.Sex.choices, label="性别")
    active = django_filters.BooleanFilter(field_name="deregistered_on", lookup_expr="isnull", label="在册")

    class Meta:
        model = Person
        fields = ["q", "person_type", "jurisdiction", "sex", "active"]

    def search(self, queryset, name, value):
        return selectors.search_people(queryset, value, user=_user(self))


class HouseholdFilter(FilterSet):
    q = django_filters.CharFilter(method="search", label="户号或住址")
    jurisdiction = django_filters.CharFilter(method=_under, label="辖区代码")

    class Meta:
        model = Household
        fields = ["q", "jurisdiction"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(number__icontains=value) | Q(address__icontains=value))


class RentalHouseFilter(FilterSet):
    q = django_filters.CharFilter(method="search", label="地址或房主")
    use = django_filters.ChoiceFilter(choices=c.RentalUse.choices, label="出租用途")
    jurisdiction = django_filters.CharFilter(method=_under, label="辖区代码")

    class Meta:
        model = RentalHouse
        fields = ["q", "use", "jurisdiction"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(address__icontains=value) | Q(owner_name__icontains=value))


class EnrollmentFilter(FilterSet):
    q = django_filters.CharFilter(method="search", label="姓名或证件号码")
    kind = django_filters.ChoiceFilter(choices=c.SpecialKind.choices, label="人群类型")
    risk_level = django_filters.CharFilter(label="风险等级")
    jurisdiction = django_filters.CharFilter(method=_under, label="辖区代码")
    enrolled_from = django_filters.DateFilter(field_name="enrolled_on", lookup_expr="gte", label="列管日期起")
    enrolled_to = django_filters.DateFilter(field_name="enrolled_on", lookup_expr="lte", label="列管日期止")
    status = django_filters.ChoiceFilter(choices=[("active", "在管"), ("released", "已解除"), ("overdue", "走访逾期")],
                                         method="by_status", label="状态")

    class Meta:
        model = SpecialEnrollment
        fields = ["q", "kind", "risk_level", "jurisdiction", "enrolled_from", "enrolled_to", "status"]

    def search(self, queryset, name, value):
        people = selectors.search_people(Person.objects.all(), value, user=_user(self)).values("pk")
        return queryset.filter(person__in=people)

    def by_status(self, queryset, name, value):
        if value == "active":
            return queryset.active()
        if value == "released":
            return queryset.exclude(pk__in=SpecialEnrollment.objects.active().values("pk"))
        if value == "overdue":
            return queryset.active().filter(next_visit_on__lt=selectors.today())
        return queryset


class VisitFilter(FilterSet):
    enrollment = django_filters.NumberFilter(label="列管记录编号")
    form = django_filters.ChoiceFilter(choices=c.VisitForm.choices, label="走访形式")
    visited_from = django_filters.DateFilter(field_name="visited_on", lookup_expr="gte", label="走访日期起")
    visited_to = django_filters.DateFilter(field_name="visited_on", lookup_expr="lte", label="走访日期止")

    class Meta:
        model = Visit
        fields = ["enrollment", "form", "visited_from", "visited_to"]
