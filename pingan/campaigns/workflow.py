"""The clue workflow, declared for the case engine:
已受理 → 核查中 → 已移交公安 / 已移交纪检监察 → 已办结, or 核查中 → 查否 (closed, with the reason).

Verification is due 15 working days after receipt (one policy object for 已受理 and 核查中, so the clock runs
on); a handed-over clue is due 30 natural days after the hand-over (settings, see choices). The receiving
department's handler sees the clues handed to it (scope_department_lookup) and records the result."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from pingan.accounts.choices import Role
from pingan.cases.definitions import CaseKind, DeadlinePolicy, State, Transition, assign, register

from .choices import DISCIPLINE, HANDOVER_DAYS, POLICE, VERIFY_WORKING_DAYS, ClueState

S = ClueState


def responsible(user, clue) -> bool:
    """A department handler acts only on clues handed to its own department."""
    if user.role == Role.DEPT_HANDLER:
        return bool(user.department_id) and user.department_id == clue.handed_to_department_id
    return True


def _days(setting: str, default: int):
    return lambda clue: int(getattr(settings, setting, default))


def validate(clue, transition: Transition, data: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if transition.name in ("hand_police", "hand_discipline"):
        dept = data.get("handed_to_department")
        wanted = POLICE if transition.name == "hand_police" else DISCIPLINE
        if dept is None:
            errors["handed_to_department"] = "请选择接收线索的单位。"
        elif getattr(dept, "category", "") != wanted:
            errors["handed_to_department"] = f"所选单位不是{wanted}部门（部门类别须为“{wanted}”）。"
        handed = data.get("handed_on")
        if isinstance(handed, dt.date):
            if handed > today:
                errors["handed_on"] = "移交日期不能晚于今天。"
            elif clue.received_on and handed < clue.received_on:
                errors["handed_on"] = f"移交日期不能早于受理日期（{clue.received_on:%Y-%m-%d}）。"
    return errors


VERIFY_POLICY = DeadlinePolicy(_days("PINGAN_CLUE_VERIFY_WORKING_DAYS", VERIFY_WORKING_DAYS), "working_days")
HANDOVER_POLICY = DeadlinePolicy(_days("PINGAN_CLUE_HANDOVER_DAYS", HANDOVER_DAYS), "days")

CLUE_KIND = register(CaseKind(
    label="campaigns.clue",
    verbose_name="专项行动线索",
    number_prefix="XS",
    states=(
        State(S.RECEIVED, S.RECEIVED.label),
        State(S.VERIFYING, S.VERIFYING.label),
        State(S.HANDED_POLICE, S.HANDED_POLICE.label),
        State(S.HANDED_DISCIPLINE, S.HANDED_DISCIPLINE.label),
        State(S.CLOSED, S.CLOSED.label, closed=True),
        State(S.UNFOUNDED, S.UNFOUNDED.label, closed=True),
    ),
    initial=S.RECEIVED,
    transitions=(
        Transition("verify", "开始核查", (S.RECEIVED,), S.VERIFYING, "campaigns.verify",
                   optional=("verification_note",)),
        Transition("hand_police", "移交公安", (S.VERIFYING,), S.HANDED_POLICE, "campaigns.verify",
                   required=("handed_on",), optional=("verification_note",),
                   effects=(assign("handed_to_department"),)),
        Transition("hand_discipline", "移交纪检监察", (S.VERIFYING,), S.HANDED_DISCIPLINE, "campaigns.verify",
                   required=("handed_on",), optional=("verification_note",),
                   effects=(assign("handed_to_department"),)),
        Transition("unfounded", "查否", (S.VERIFYING,), S.UNFOUNDED, "campaigns.verify",
                   required=("unfounded_reason",), stamp={"closed_on": "today"}, style="secondary"),
        Transition("close", "办结（公安）", (S.HANDED_POLICE,), S.CLOSED, "campaigns.close",
                   required=("result",), allowed=responsible, stamp={"closed_on": "today"}),
        Transition("close_discipline", "办结（纪检监察）", (S.HANDED_DISCIPLINE,), S.CLOSED, "campaigns.close",
                   required=("result",), allowed=responsible, stamp={"closed_on": "today"}),
    ),
    deadlines={
        S.RECEIVED: VERIFY_POLICY,
        S.VERIFYING: VERIFY_POLICY,
        S.HANDED_POLICE: HANDOVER_POLICY,
        S.HANDED_DISCIPLINE: HANDOVER_POLICY,
    },
    validate=validate,
    supervise_capability="campaigns.supervise",
    extension_capability="campaigns.close",
    extension_approve_capability="campaigns.approve_extension",
    may_act=responsible,
    supervision_days=3,
    extension_max_days=30,
))
