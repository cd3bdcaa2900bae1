"""The special populations' part of the 平安建设 report (pingan.reports): the indicators' sentence (under
management at the period's end by kind, visits and their on-time rate) and, for those who may read health
data, the severe mental disorder work the seed report names — the 救治救助 funds of the period's years and the
patients sent for compulsory treatment (入院日期 in the period)."""
from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from pingan.core import indicators
from pingan.reports.data import generic_summary
from pingan.reports.registry import ReportSection, register_section

from .models import Fund, TreatmentEpisode


def _scoped(model, q):
    qs = model.objects.visible_to(q.user) if q.user is not None else model.objects.all()
    return qs.filter(jurisdiction__path__startswith=q.node.path)


def _yuan(amount: Decimal) -> str:
    if amount >= 10000 and amount % 10000 == 0:
        return f"{int(amount // 10000)}万元"
    return f"{amount:.2f}元"


def treatment_sentence(q) -> str:
    """“落实严重精神障碍患者救治救助资金20万元；强制送医治疗4名。” — empty when the reader may see none of it."""
    if q is None:
        return ""
    years = range(q.date_from.year, q.date_to.year + 1)
    funds = _scoped(Fund, q).filter(year__in=years).aggregate(total=Sum("amount"))["total"] or Decimal("0")
    sent = _scoped(TreatmentEpisode, q).filter(compulsory=True, started_on__gte=q.date_from,
                                                started_on__lte=q.date_to).values("enrollment").distinct().count()
    parts = []
    if funds:
        parts.append(f"落实严重精神障碍患者救治救助资金{_yuan(funds)}")
    if sent:
        parts.append(f"将{sent}名严重精神障碍患者强制送医治疗")
    return ("；".join(parts) + "。") if parts else ""


def summary(f) -> str:
    items = [i for i in indicators.all_indicators() if i.group == "special_people"]
    return generic_summary("特殊人群", items, f) + treatment_sentence(f.query)


register_section(ReportSection(group="special_people", summary=summary, order=35))
