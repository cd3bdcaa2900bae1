"""Patrols on the dashboard (pingan.core.measures): 巡防记录 by 巡防日期. Cameras, teams and officers have
no date of their own, so they are not period measures (their totals are indicators: cameras.total …)."""
from pingan.core.measures import Measure, iso, register


def link(date_from, date_to, node, category, status) -> dict:
    """The patrol register's FilterSet (security/filters.py PatrolFilter)."""
    return {"place": node.code, "date_from": iso(date_from), "date_to": iso(date_to)}


register(Measure(key="patrols", label="巡防记录", model="security.Patrol", date_field="patrolled_on",
                 date_label="巡防日期", unit="次", list_url="security:patrols_list", link=link, order=70))
