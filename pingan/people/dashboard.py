"""Special populations on the dashboard (pingan.core.measures): 特殊人群列管 by 列管日期, by 人群类型, and
those whose visit is overdue now (the special list's 走访逾期). Person data: a role without it gets no figure;
health kinds only for roles with health data (visible_to's sensitive rows)."""
import datetime as dt

from django.db.models import Q

from pingan.core.measures import OVERDUE, Measure, iso, register


def link(date_from, date_to, node, category, status) -> dict:
    """The special list's FilterSet (people/filters.py EnrollmentFilter)."""
    return {"jurisdiction": node.code, "enrolled_from": iso(date_from), "enrolled_to": iso(date_to),
            "kind": category or "", "status": "overdue" if status == OVERDUE else ""}


def overdue_q(now) -> Q:
    """Under management today with the next visit before today: the list's status=overdue."""
    from . import selectors
    from .models import SpecialEnrollment

    return Q(pk__in=SpecialEnrollment.objects.active().filter(next_visit_on__lt=selectors.today()).values("pk"))


register(Measure(key="special", label="特殊人群列管", model="people.SpecialEnrollment", date_field="enrolled_on",
                 date_label="列管日期", unit="人", category_field="kind", category_title="人群类型",
                 list_url="people:special_list", link=link, order=50, overdue=overdue_q))
