"""The petitions part of the 平安建设 report (pingan.reports): its paragraph and its notable cases — the
period's group visits (集体访), backlog cases (积案) not yet resolved and petitions overdue at the period's end.
No petitioner's name: the report goes up the line."""
from __future__ import annotations

from django.db.models import Q

from pingan.reports.registry import ReportSection, register_section

from . import choices as c
from .models import Petition


def summary(f) -> str:
    text = f"本期受理信访事项{f.count('petitions.received')}件"
    versus = f.versus("petitions.received")
    if versus:
        text += f"（{versus}）"
    return (text + f"；上级交办信访问题{f.count('petitions.assigned')}件，已化解{f.count('petitions.assigned_resolved')}件，"
            f"化解率{f.percent('petitions.resolution_rate')}；积案{f.count('petitions.backlog')}件，"
            f"化解{f.count('petitions.backlog_resolved')}件；至期末逾期未办结{f.count('petitions.overdue')}件。")


def notable(q):
    states = dict(c.PetitionState.choices)
    forms = dict(c.Form.choices)
    overdue_q = Petition.objects.overdue_q(q.date_to)
    base = q.cases(Petition, "registered_on")
    overdue = set(base.filter(overdue_q).values_list("pk", flat=True)[:1000])
    rows = (base.filter(Q(is_group=True) | Q(is_backlog=True) | overdue_q)
            .exclude(Q(is_backlog=True) & Q(state__in=[c.PetitionState.RESOLVED, c.PetitionState.STABILISED])
                     & Q(is_group=False))
            .select_related("jurisdiction", "topic").order_by("registered_on", "number"))
    for p in rows[:21]:
        marks = [m for m, on in (("集体访", p.is_group), ("积案", p.is_backlog), ("逾期", p.pk in overdue)) if on]
        yield {"number": p.number, "day": p.registered_on, "place": p.jurisdiction.name,
               "form": forms.get(p.form, ""), "topic": p.topic.name if p.topic_id else p.topic_text,
               "people": p.head_count, "state": states.get(p.state, p.state), "marks": "、".join(marks)}


register_section(ReportSection(
    group="petitions",
    title="重点信访事项（集体访、积案、逾期）",
    columns=(("编号", "number"), ("登记日期", "day"), ("所在地", "place"), ("信访形式", "form"),
             ("问题类别", "topic"), ("人数", "people"), ("办理状态", "state"), ("情形", "marks")),
    rows=notable,
    summary=summary,
    order=30,
))
