"""Early-warning rules of the hazards register (found by pingan.alerts' autodiscovery of `<app>.alerts`).

    hazards.overdue  a hazard screened in the last year is past its 整治 (or 验收) deadline and still open:
                     yellow, orange once overdue by 15 days (pingan.cases.overdue: the case layer's
                     overdue_q; thresholds and window per district or township on the rules page)
"""
from __future__ import annotations

from pingan.cases.overdue import overdue_rule
from pingan.alerts.registry import register_rule

from .models import Hazard

OVERDUE = "hazards.overdue"
RULES = (OVERDUE,)

register_rule(overdue_rule(
    key=OVERDUE, label="隐患整治超期", module="hazards", model=Hazard, noun="风险隐患", date_field="screened_on",
    title=lambda h: f"{h.number} {h.get_hazard_type_display()}隐患整治超期",
    description=("风险隐患已过整治期限（待验收的按验收期限）仍未整治完毕时预警；只看最近若干天内排查的；"
                 "超期较久升为橙色；整治验收或延期后下一次扫描自动关闭。")))
