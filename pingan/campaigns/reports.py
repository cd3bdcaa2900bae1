"""The campaigns part of the 平安建设 report (pingan.reports): the campaigns under way in the period (the place's own,
its district's and its townships') and the clues received, handed over and closed."""
from __future__ import annotations

from django.db.models import Q

from pingan.reports.registry import ReportSection, register_section

from .models import Campaign


def _day(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def campaigns_of(q) -> list:
    """Campaigns running at some time in [from, to] whose place is the node, above it or under it, as the user
    sees them; by start, then name."""
    qs = Campaign.objects.visible_to(q.user) if q.user is not None else Campaign.objects.all()
    qs = qs.filter(Q(end_on__isnull=True) | Q(end_on__gte=q.date_from), start_on__lte=q.date_to) \
        .select_related("jurisdiction").order_by("start_on", "name", "pk")
    path = q.node.path
    return [c for c in qs if c.jurisdiction.path.startswith(path) or path.startswith(c.jurisdiction.path)]


def summary(f) -> str:
    found = campaigns_of(f.query) if f.query is not None else []
    text = ""
    if found:
        names = "、".join(f"{c.name}（{_day(c.start_on)}起）" for c in found)
        text = f"本期开展专项行动{len(found)}项：{names}；"
    return (text + f"{'本期' if not text else ''}受理专项行动线索{f.count('campaigns.clues')}条，"
            f"移交公安或纪检监察机关{f.count('campaigns.clues_handed_over')}条，办结{f.count('campaigns.clues_closed')}条。")


register_section(ReportSection(group="campaigns", summary=summary, order=45))
