"""The disputes ledger (矛盾纠纷台账), as /work/shared/reference/ledgers.md and docs/ledgers.md define it.

状态 is coarser than the workflow: 调处成功 covers 调处成功（待回访） and 已归档. A new row 调处成功 is registered
as settled; an existing archived dispute exported and imported again stays archived (the cells are equal).
The import sets the state directly as history through the case layer (`case_register_bulk` for new rows,
`case_import_update` for changed ones): an audit entry and a 台账导入 log line each, never a transition.

化解组织 and 调解员 link to the register when exactly one record the importer may see has the name and it
may serve the dispute's place (an organisation at or above it, a mediator of its township); otherwise the
name is kept as text (`mediation_org_name`, `mediator_name`) and the row never fails. 当事人 (names separated
by 、 or ；) become parties with a name only; a re-import adds the names that are new and removes the
name-only parties no longer listed (parties with an ID number or a link to the people register stay).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.utils import timezone

from pingan.cases import engine
from pingan.core import audit
from pingan.core.bulk import build_instances
from pingan.ledgers import (CellError, ChoiceColumn, Column, DateColumn, IntegerColumn, LedgerSpec, LinkedNameColumn,
                            PlaceColumn, TextColumn, clean_text, register)

from . import choices as c
from .models import Dispute, DisputeParty, MediationOrg, Mediator, SubsidyLine
from .registers import township_path

S = c.DisputeState
LEDGER_STATES = [(S.REGISTERED, "排查登记"), (S.MEDIATING, "调处中"), (S.SETTLED, "调处成功"),
                 (S.FAILED, "调处失败"), (S.TRANSFERRED, "已移交")]
CLOSED_LEDGER_STATES = (S.SETTLED, S.FAILED, S.TRANSFERRED)
PARTY_SPLIT = re.compile(r"[、;；,，/]+")
MAX_PARTIES = 50


def _category_aliases() -> dict[str, str]:
    """Second-level labels alone (宅基地使用 → 0902), then the local 人民调解 list (征地拆迁 → 1102), which wins."""
    aliases: dict[str, str] = {}
    for _group, (_label, subs) in c.CATEGORY_GROUPS.items():
        for code, label in subs.items():
            aliases.setdefault(label, code)
    aliases.update(c.LOCAL_CATEGORY_MAP)
    return aliases


class PartiesColumn(Column):
    """当事人: names separated by 、 ; ； , ，; exported joined by 、."""

    kind_label = "姓名"

    def parse(self, raw: Any, ctx) -> Any:
        names = [clean_text(n) for n in PARTY_SPLIT.split(clean_text(raw)) if clean_text(n)]
        if len(names) > MAX_PARTIES:
            raise CellError(f"当事人最多 {MAX_PARTIES} 个")
        for name in names:
            if len(name) > 100:
                raise CellError(f"当事人姓名或名称最多 100 字（{name[:10]}…）")
        seen: list[str] = []
        for name in names:
            if name not in seen:
                seen.append(name)
        return tuple(seen)

    def empty_value(self) -> Any:
        return ()

    def display(self, value: Any, ctx) -> Any:
        return "、".join(value) if value else None

    def describe(self) -> str:
        return self.help or "当事人姓名或单位名称，多个以顿号（、）或分号分隔"


def _party_names(dispute: Dispute) -> tuple[str, ...]:
    return tuple(p.name for p in dispute.parties.all())


def _org_name(d: Dispute) -> str:
    return d.mediation_org.name if d.mediation_org_id else d.mediation_org_name


def _mediator_name(d: Dispute) -> str:
    return d.mediator.name if d.mediator_id else d.mediator_name


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=timezone.get_current_timezone())


@register
class DisputeLedger(LedgerSpec):
    kind = "disputes"
    label = "矛盾纠纷"
    model = Dispute
    audit_action = "dispute.import"
    description = "矛盾纠纷排查化解台账：一行一件纠纷，编号相同的行更新原记录。"
    export_ordering = ("registered_on", "number")
    export_select_related = ("mediation_org", "mediator")

    columns = [
        TextColumn("编号", "number", key=True, max_length=40, width=22,
                   help="纠纷编号（本台账内唯一；再次导入同一编号即更新该纠纷）"),
        DateColumn("登记日期", "registered_on", required=True, allow_future=False),
        TextColumn("事件名称", "title", required=True, max_length=100, width=24),
        PlaceColumn("所属村(社区)", "jurisdiction_id", required=True, levels=("village", "community", "grid")),
        ChoiceColumn("纠纷类别", "category", required=True, choices=c.CATEGORY_CHOICES, aliases=_category_aliases(),
                     width=18, help="GB/T 31000 5.56 代码或名称（如 0902 或 宅基地使用），或人民调解统计分类"
                                    "（婚姻家庭、邻里、房屋宅基地、合同、生产经营、损害赔偿、山林土地、征地拆迁、环境污染、"
                                    "劳动争议、医疗、道路交通事故、物业、消防、其他）"),
        ChoiceColumn("事件规模", "scale", choices=c.Scale, default=c.Scale.INDIVIDUAL, width=14,
                     aliases={"个体性": "01", "个体": "01", "一般群体性": "02", "群体性": "02", "重大群体性": "03"},
                     help="个体性事件、一般群体性事件 或 重大群体性事件；空白按个体性事件"),
        IntegerColumn("涉及人数", "people_count", min_value=1, max_value=100000, help="整数，不小于 1；空白按当事人数（至少 2）"),
        PartiesColumn("当事人", "party_names", width=20, getter=_party_names),
        TextColumn("简要情况", "summary", required=True, max_length=4000, width=40),
        ChoiceColumn("化解方式", "resolution_method", choices=c.ResolutionMethod, width=12,
                     help="GB/T 31000 5.58：人民调解、行政调解、司法调解、行业调解、仲裁、诉讼、协商和解 等"),
        LinkedNameColumn("化解组织", "mediation_org_name", max_length=100, width=20, link_field="mediation_org_id",
                         link_model=MediationOrg, getter=_org_name,
                         help="调解组织名称；与调解组织名录中唯一一个组织同名时自动关联，否则按文字保存"),
        LinkedNameColumn("调解员", "mediator_name", max_length=50, width=10, link_field="mediator_id",
                         link_model=Mediator, getter=_mediator_name,
                         help="调解员姓名；与本乡镇调解员名录中唯一一人同名时自动关联，否则按文字保存"),
        ChoiceColumn("状态", "state", required=True, choices=LEDGER_STATES, labels={S.ARCHIVED: "调处成功"},
                     aliases={"已调处": S.SETTLED, "调解成功": S.SETTLED, "化解成功": S.SETTLED, "已化解": S.SETTLED,
                              "调解中": S.MEDIATING, "化解中": S.MEDIATING, "调解失败": S.FAILED, "移交": S.TRANSFERRED,
                              "待调处": S.REGISTERED, "已登记": S.REGISTERED},
                     accept_codes=False, width=10, help="排查登记、调处中、调处成功、调处失败 或 已移交"),
        DateColumn("办结日期", "closed_on", allow_future=False,
                   help="状态为调处成功、调处失败或已移交时必填；不早于登记日期"),
        ChoiceColumn("案件等级", "grade", choices=c.Grade, width=10,
                     help="简易、一般 或 重大疑难（误工补贴等级）；只有调处成功的纠纷才有"),
    ]

    # --------------------------------------------------------------------------------------- checks
    def _frozen(self, ctx) -> dict[str, str]:
        """Numbers of the disputes on an approved subsidy sheet → their grade (read once per import)."""
        if not hasattr(ctx, "_disputes_frozen"):
            ctx._disputes_frozen = dict(SubsidyLine.objects.filter(sheet__status=c.SheetStatus.APPROVED)
                                        .values_list("dispute__number", "grade"))
        return ctx._disputes_frozen

    def check_row(self, row: dict[str, Any], ctx) -> list[tuple[str, str]]:
        problems = []
        registered, closed, state = row.get("registered_on"), row.get("closed_on"), row.get("state")
        if state in CLOSED_LEDGER_STATES and not closed:
            problems.append(("办结日期", "状态为调处成功、调处失败或已移交时必须填写办结日期"))
        if state in (S.REGISTERED, S.MEDIATING) and closed:
            problems.append(("办结日期", "状态为排查登记或调处中的纠纷尚未办结，不能填写办结日期"))
        if registered and closed and closed < registered:
            problems.append(("办结日期", f"办结日期不能早于登记日期（{registered:%Y-%m-%d}）"))
        grade = row.get("grade")
        if grade and state != S.SETTLED:
            problems.append(("案件等级", "只有调处成功的纠纷才能评定案件等级"))
        frozen = self._frozen(ctx).get(row.get("number"))
        if frozen is not None and grade != frozen and "案件等级" in ctx.present_headers:
            problems.append(("案件等级", f"该纠纷已列入已审批的误工补贴发放表，案件等级不能再改（原为“{c.Grade(frozen).label}”）"))
        if frozen is not None and state != S.SETTLED:
            problems.append(("状态", "该纠纷已列入已审批的误工补贴发放表，状态不能改为调处成功以外的状态"))
        return problems

    # --------------------------------------------------------------------------------------- writing
    def _paths(self, ctx) -> tuple[dict[int, str], dict[int, str]]:
        if not hasattr(ctx, "_disputes_paths"):
            ctx._disputes_paths = (dict(MediationOrg.objects.values_list("pk", "jurisdiction__path")),
                                   dict(Mediator.objects.values_list("pk", "jurisdiction__path")))
        return ctx._disputes_paths

    def _place_path(self, fields: dict[str, Any], ctx, instance: Dispute | None) -> str:
        node_id = fields.get("jurisdiction_id", getattr(instance, "jurisdiction_id", None))
        node = ctx.places.by_id.get(node_id)
        return node.path if node is not None else ""

    def prepare(self, fields: dict[str, Any], ctx, instance: Dispute | None = None) -> dict[str, Any]:
        """Links that may not serve the place dropped (the name stays); a new dispute's 发生日期, reporter,
        涉及人数 and closing moment; a grade's date and grader."""
        place = self._place_path(fields, ctx, instance)
        org_paths, mediator_paths = self._paths(ctx)
        if fields.get("mediation_org_id") and not place.startswith(org_paths.get(fields["mediation_org_id"], "\0")):
            fields["mediation_org_id"] = None
        if fields.get("mediator_id"):
            mediator_path = mediator_paths.get(fields["mediator_id"])
            if mediator_path is None or not place.startswith(township_path(mediator_path)):
                fields["mediator_id"] = None
        if "people_count" in fields and fields["people_count"] is None:
            if instance is not None:
                fields.pop("people_count")
            else:
                fields["people_count"] = max(len(fields.get("party_names") or ()), 2)
        state = fields.get("state", instance.state if instance else S.REGISTERED)
        closed = fields.get("closed_on", instance.closed_on if instance else None)
        if instance is None:
            fields.setdefault("reported_by_id", getattr(ctx.user, "pk", None))
            fields.setdefault("occurred_on", fields.get("registered_on"))
            fields.setdefault("source", c.Source.OTHER)
            if state in (S.SETTLED, S.FAILED, S.TRANSFERRED) and closed:
                fields["state_changed_at"] = _at(closed)
            if fields.get("grade"):
                fields["graded_on"] = closed
                fields["graded_by_id"] = getattr(ctx.user, "pk", None)
        else:
            if fields.get("grade"):
                fields["graded_on"] = ctx.today
                fields["graded_by_id"] = getattr(ctx.user, "pk", None)
            moved = "state" in fields or "closed_on" in fields
            if state in (S.FAILED, S.TRANSFERRED, S.ARCHIVED) and moved and closed:
                fields["closed_at"] = _at(closed)
        return fields

    def existing(self, keys: list[tuple]) -> dict[tuple, Any]:
        numbers = list({k[0] for k in keys})
        qs = Dispute.objects.filter(number__in=numbers).select_related(*self.export_select_related) \
            .prefetch_related("parties")
        return {(d.number,): d for d in qs}

    def create_batch(self, rows: list[dict[str, Any]], ctx) -> list[Dispute]:
        """New disputes through the case layer's bulk registration (number as given, state, due moment, one
        audit entry and one 台账导入 log line each), then their named parties in bulk."""
        names = [row.pop("party_names", ()) or () for row in rows]
        disputes = engine.case_register_bulk(actor=ctx.user, cases=build_instances(Dispute, rows),
                                             audit_action=self.audit_action,
                                             scope_paths=[ctx.path_of_row(fields) for fields in rows])
        parties = [DisputeParty(dispute=d, name=name, side=c.PartySide.APPLICANT if i == 0 else c.PartySide.RESPONDENT)
                   for d, party_names in zip(disputes, names) for i, name in enumerate(party_names)]
        DisputeParty.objects.bulk_create(parties, batch_size=2000)
        return disputes

    def update(self, instance: Dispute, fields: dict[str, Any], ctx) -> dict[str, list[Any]]:
        """A changed row through the case layer (audited; a 台账导入 line when the state moved); a changed
        当事人 list adds and removes name-only parties (audited dispute.import_parties)."""
        names = fields.pop("party_names", None)
        with transaction.atomic():
            changes = engine.case_import_update(actor=ctx.user, case=instance, data=fields,
                                                audit_action=self.audit_action) if fields else {}
            if names is not None:
                changes.update(self._sync_parties(instance, tuple(names), ctx))
        return changes

    def _sync_parties(self, dispute: Dispute, names: tuple[str, ...], ctx) -> dict[str, list[Any]]:
        current = list(dispute.parties.all())
        have = {p.name for p in current}
        removable = [p for p in current if p.name not in names and not p.id_hash and p.person_id is None
                     and not p.phone_hash]
        added = [DisputeParty(dispute=dispute, name=n,
                              side=c.PartySide.RESPONDENT if (have or i) else c.PartySide.APPLICANT)
                 for i, n in enumerate(n for n in names if n not in have)]
        if not added and not removable:
            return {}
        DisputeParty.objects.filter(pk__in=[p.pk for p in removable]).delete()
        DisputeParty.objects.bulk_create(added)
        change = {"party_names": [[p.name for p in current], list(names)]}
        audit.record(actor=ctx.user, action="dispute.import_parties", obj=dispute, changes=change,
                     detail=f"台账导入当事人：新增 {len(added)}，删除 {len(removable)}")
        getattr(dispute, "_prefetched_objects_cache", {}).pop("parties", None)
        return change

    # --------------------------------------------------------------------------------------- export
    def export_queryset(self, user: Any, node: Any):
        return super().export_queryset(user, node).prefetch_related("parties")

