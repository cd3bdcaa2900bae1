"""Early-warning rule of the special campaigns (found by pingan.alerts' autodiscovery of `<app>.alerts`).

    campaigns.overdue  a clue received in the last year is past its 核查 due moment and still open: yellow, orange
                       once overdue by 15 days (pingan.cases.overdue: the case layer's overdue_q). The warnings
                       are clue data: only those who may read clues see them (not the village, the grid worker
                       or the mediator, who live among the people a clue is about).
"""
from __future__ import annotations

from pingan.alerts.registry import register_rule
from pingan.cases.overdue import overdue_rule

from .models import Clue

OVERDUE = "campaigns.overdue"
RULES = (OVERDUE,)

register_rule(overdue_rule(
    key=OVERDUE, label="专项线索核查超期", module="campaigns", model=Clue, noun="线索", date_field="received_on",
    data_kind="clue",
    description=("专项行动线索已过核查办理期限仍未办结时预警；只看最近若干天内受理的；超期较久升为橙色；"
                 "办结或延期后下一次扫描自动关闭。")))
