"""The hazard workflow, declared for the case engine: 待整治 → 整治中 → 待验收 → 已整治 (退回 → 整治中),
with 督办 and 延期. While open for rectification the hazard is due at the end of its own 整治期限 (filled
from the risk level's working days when left empty); 待验收 is due at the close of the 5th working day."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pingan.accounts.choices import Role
from pingan.cases.definitions import CaseKind, DeadlinePolicy, State, Transition, register

from .choices import ACCEPTANCE_WORKING_DAYS, DEFAULT_RECTIFY_WORKING_DAYS, HazardStatus, RiskLevel

S = HazardStatus


def responsible(user, hazard) -> bool:
    """A department handler acts only on hazards assigned to their own department; other roles holding the
    capability act on what they see (their scope)."""
    if user.role == Role.DEPT_HANDLER:
        return bool(user.department_id) and user.department_id == hazard.responsible_department_id
    return True


def _default_days(hazard) -> int:
    return DEFAULT_RECTIFY_WORKING_DAYS.get(hazard.risk_level, DEFAULT_RECTIFY_WORKING_DAYS[RiskLevel.MEDIUM])


def validate(hazard, transition: Transition, data: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    done = data.get("rectified_on")
    if isinstance(done, dt.date):
        if done > timezone.localdate():
            errors["rectified_on"] = "整治完成日期不能晚于今天。"
        elif hazard.screened_on and done < hazard.screened_on:
            errors["rectified_on"] = f"整治完成日期不能早于排查日期（{hazard.screened_on:%Y-%m-%d}）。"
    return errors


# 整治期限: the hazard's own date; empty at registration → working days by risk level from screening.
RECTIFY_POLICY = DeadlinePolicy(_default_days, "working_days", field="rectify_deadline")

HAZARD_KIND = register(CaseKind(
    label="hazards.hazard",
    verbose_name="风险隐患",
    number_prefix="YH",
    states=(
        State(S.PENDING, S.PENDING.label),
        State(S.RECTIFYING, S.RECTIFYING.label),
        State(S.AWAITING_ACCEPTANCE, S.AWAITING_ACCEPTANCE.label),
        State(S.RECTIFIED, S.RECTIFIED.label, closed=True),
    ),
    initial=S.PENDING,
    transitions=(
        Transition("start", "开始整治", (S.PENDING,), S.RECTIFYING, "hazards.rectify",
                   optional=("measures",), allowed=responsible),
        Transition("complete", "整治完成，提请验收", (S.PENDING, S.RECTIFYING), S.AWAITING_ACCEPTANCE,
                   "hazards.rectify", required=("rectified_on", "measures"), allowed=responsible),
        Transition("accept", "验收通过", (S.AWAITING_ACCEPTANCE,), S.RECTIFIED, "hazards.accept",
                   optional=("acceptance_note",), stamp={"accepted_by": "actor", "accepted_on": "today"}),
        Transition("send_back", "退回重新整治", (S.AWAITING_ACCEPTANCE,), S.RECTIFYING, "hazards.accept",
                   note_required=True, send_back=True, style="danger"),
    ),
    deadlines={
        S.PENDING: RECTIFY_POLICY,
        S.RECTIFYING: RECTIFY_POLICY,
        S.AWAITING_ACCEPTANCE: DeadlinePolicy(ACCEPTANCE_WORKING_DAYS, "working_days"),
    },
    validate=validate,
    supervise_capability="hazards.supervise",
    extension_capability="hazards.rectify",
    extension_approve_capability="hazards.approve_extension",
    may_act=responsible,
    supervision_days=3,
    extension_max_days=90,
))
