"""Crime figures on the dashboard (pingan.core.measures): 刑事案件立案数 by month, by 案件类别 — a sum of the
monthly counts the police report per township, not a count of rows. Read by whom the crimes module lets read
them (access.may_read: a department's handler only when the department is the police)."""
from pingan.core.measures import Measure, kpi, register
from pingan.geo.choices import CODE_LENGTH, Level

from .access import may_read


def link(date_from, date_to, node, category, status) -> dict:
    """The crime summary's form (crimes/forms.py PeriodForm): months YYYY-MM and a township by code; the
    summary shows every category of that place and period, the clicked category among them."""
    params = {"date_from": f"{date_from:%Y-%m}" if date_from else "", "date_to": f"{date_to:%Y-%m}" if date_to else ""}
    if len(node.code) == CODE_LENGTH[Level.TOWNSHIP]:  # a child row of the breakdown carries no level
        params["township"] = node.code
    return params


def category_labels() -> dict:
    from .models import CrimeCategory

    return {str(pk): name for pk, name in CrimeCategory.objects.order_by("order").values_list("pk", "name")}


register(Measure(key="crimes", label="刑事案件立案", model="crimes.CrimeCount", date_field="month",
                 date_label="月份", unit="起", category_field="category", category_title="案件类别",
                 category_labels=category_labels, sum_field="count", list_url="crimes:summary", link=link,
                 order=75, may_read=may_read))

# 刑事案件立案数 with its 同比 (the dashboard sets each key indicator against the same period a year earlier).
kpi("crimes.total", "crimes", order=60)
