"""The hazards ledger (风险隐患台账), as docs/ledgers.md defines it.

整治状态 in the ledger is coarser than the workflow: 未整治 → 待整治, 整治中 → 整治中 (an existing 待验收 hazard
stays 待验收, and exports as 整治中), 已整治 → 已整治. An import sets the state directly as history, without
walking the transitions; each new or changed hazard gets an audit entry and a 台账导入 line in its log.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from pingan.accounts.models import Department
from pingan.ledgers import (
    ChoiceColumn, DateColumn, LedgerSpec, LinkedNameColumn, PlaceColumn, TextColumn, bulk_insert, register,
)
from pingan.ledgers.spec import build_instances
from pingan.cases.models import TransitionLog
from pingan.core.services import model_update

from .choices import HazardStatus, HazardType, RiskLevel
from .models import Hazard

S = HazardStatus
LEDGER_STATES = [(S.PENDING, "未整治"), (S.RECTIFYING, "整治中"), (S.RECTIFIED, "已整治")]
OPEN_STATES = {S.PENDING, S.RECTIFYING, S.AWAITING_ACCEPTANCE}


def _unit(hazard: Hazard) -> str:
    if hazard.responsible_department_id:
        return hazard.responsible_department.name
    return hazard.responsible_unit_name


@register
class HazardLedger(LedgerSpec):
    kind = "hazards"
    label = "风险隐患"
    model = Hazard
    audit_action = "hazard.import"
    description = "风险隐患排查整治台账：一行一处隐患，编号相同的行更新原记录。"
    export_ordering = ("screened_on", "number")
    export_select_related = ("responsible_department",)

    columns = [
        TextColumn("编号", "number", key=True, max_length=40, width=18,
                   help="隐患编号（本台账内唯一；再次导入同一编号即更新该隐患）"),
        DateColumn("排查日期", "screened_on", required=True, allow_future=False),
        PlaceColumn("所属村(社区)", "jurisdiction_id", required=True, levels=("village", "community")),
        ChoiceColumn("隐患类型", "hazard_type", required=True, choices=HazardType,
                     aliases={"火灾隐患": "01", "消防": "01", "消防安全": "01", "治安隐患": "02", "社会治安": "02",
                              "危险化学品": "04", "危化品": "04", "传染病": "05", "疾病": "05"}),
        ChoiceColumn("风险等级", "risk_level", required=True, choices=RiskLevel, width=8,
                     aliases={"高风险": "01", "中风险": "02", "低风险": "03", "较高": "01", "一般": "02", "较低": "03"}),
        TextColumn("隐患描述", "description", required=True, max_length=2000, width=40),
        LinkedNameColumn("整治责任单位", "responsible_unit_name", required=True, max_length=100, width=18,
                         link_field="responsible_department_id", link_model=Department, getter=_unit,
                         help="单位名称；与部门名录中唯一一个部门同名时自动关联该部门，否则按文字保存"),
        TextColumn("整治责任人", "responsible_person", max_length=50, width=10),
        DateColumn("整治期限", "rectify_deadline", required=True, help="日期，不早于排查日期"),
        ChoiceColumn("整治状态", "state", required=True, choices=LEDGER_STATES, width=10,
                     labels={S.AWAITING_ACCEPTANCE: "整治中"},
                     aliases={"待整治": S.PENDING, "待验收": S.AWAITING_ACCEPTANCE, "已完成": S.RECTIFIED,
                              "整改中": S.RECTIFYING, "已整改": S.RECTIFIED, "未整改": S.PENDING},
                     accept_codes=False, help="未整治、整治中 或 已整治"),
        DateColumn("整治完成日期", "rectified_on", allow_future=False, help="日期；整治状态为“已整治”时必填，不早于排查日期"),
    ]

    def check_row(self, row: dict[str, Any], ctx) -> list[tuple[str, str]]:
        problems = []
        screened, deadline, done = row.get("screened_on"), row.get("rectify_deadline"), row.get("rectified_on")
        if screened and deadline and deadline < screened:
            problems.append(("整治期限", f"整治期限不能早于排查日期（{screened:%Y-%m-%d}）"))
        if row.get("state") == S.RECTIFIED and not done:
            problems.append(("整治完成日期", "整治状态为“已整治”时必须填写整治完成日期"))
        if screened and done and done < screened:
            problems.append(("整治完成日期", f"整治完成日期不能早于排查日期（{screened:%Y-%m-%d}）"))
        return problems

    def prepare(self, fields: dict[str, Any], ctx, instance: Hazard | None = None) -> dict[str, Any]:
        """The engine's fields follow the row's state: current deadline, when it closed, when it changed."""
        state = fields.get("state", instance.state if instance else S.PENDING)
        if instance is None:
            fields.setdefault("reported_by_id", getattr(ctx.user, "pk", None))
            fields["state_changed_at"] = timezone.now()
        elif "state" in fields:
            fields["state_changed_at"] = timezone.now()
        if instance is None or "state" in fields or "rectify_deadline" in fields or "rectified_on" in fields:
            deadline = fields.get("rectify_deadline", instance.rectify_deadline if instance else None)
            done = fields.get("rectified_on", instance.rectified_on if instance else None)
            if state == S.RECTIFIED:
                fields["deadline"] = None
                fields["closed_at"] = _at(done) if done else timezone.now()
            elif state == S.AWAITING_ACCEPTANCE and instance is not None and instance.state == state:
                pass  # the acceptance deadline the engine set stays
            else:
                fields["deadline"] = deadline
                fields["closed_at"] = None
        return fields

    def after_create(self, instances: list[Hazard], ctx) -> None:
        bulk_insert(TransitionLog, build_instances(TransitionLog, [_log_fields(h, "", ctx.user) for h in instances]))

    def update(self, instance: Hazard, fields: dict[str, Any], ctx) -> dict[str, list[Any]]:
        before = instance.state
        _, changes = model_update(actor=ctx.user, instance=instance, data=fields, action=self.audit_action)
        if changes and instance.state != before:
            TransitionLog.objects.create(**_log_fields(instance, before, ctx.user))
        return changes


_STATE_LABELS = dict(S.choices)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _log_fields(hazard: Hazard, from_state: str, actor: Any) -> dict[str, Any]:
    label = _STATE_LABELS.get(hazard.state, hazard.state)
    return {
        "case_type": "hazards.hazard", "case_id": hazard.pk, "jurisdiction_id": hazard.jurisdiction_id,
        "department_id": hazard.responsible_department_id, "kind": TransitionLog.Kind.IMPORT,
        "action": "import", "action_label": "台账导入", "from_state": from_state, "to_state": hazard.state,
        "actor_id": getattr(actor, "pk", None),
        "actor_name": (getattr(actor, "full_name", "") or getattr(actor, "username", "")) if actor else "系统",
        "note": f"台账导入，整治状态：{label}",
    }


