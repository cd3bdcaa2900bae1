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
from pingan.cases import engine
from pingan.ledgers import ChoiceColumn, DateColumn, LedgerSpec, LinkedNameColumn, PlaceColumn, TextColumn, register
from pingan.core.bulk import build_instances

from .choices import HazardStatus, HazardType, RiskLevel
from .models import Hazard

S = HazardStatus
LEDGER_STATES = [(S.PENDING, "未整治"), (S.RECTIFYING, "整治中"), (S.RECTIFIED, "已整治")]


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
        """Who registered a new hazard, and when a hazard imported as 已整治 was closed (its 整治完成日期);
        the state's own fields (due moment, state time) are the case layer's."""
        state = fields.get("state", instance.state if instance else S.PENDING)
        if instance is None:
            fields.setdefault("reported_by_id", getattr(ctx.user, "pk", None))
        if state == S.RECTIFIED and (instance is None or "state" in fields):
            done = fields.get("rectified_on", instance.rectified_on if instance else None)
            if done:
                fields["closed_at"] = _at(done)
        return fields

    def create_batch(self, rows: list[dict[str, Any]], ctx) -> list[Hazard]:
        """New hazards through the case layer's bulk registration: the row, its due moment, one audit entry
        and one 台账导入 log line each."""
        return engine.case_register_bulk(actor=ctx.user, cases=build_instances(Hazard, rows),
                                         audit_action=self.audit_action,
                                         scope_paths=[ctx.path_of_row(fields) for fields in rows])

    def update(self, instance: Hazard, fields: dict[str, Any], ctx) -> dict[str, list[Any]]:
        """A changed row: set as history through the case layer (audited; a 台账导入 line when the state moved)."""
        return engine.case_import_update(actor=ctx.user, case=instance, data=fields, audit_action=self.audit_action)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())
