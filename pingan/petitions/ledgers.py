"""The petitions ledger (信访台账), as /work/shared/reference/ledgers.md and docs/ledgers.md define it.

办理状态 is coarser than the workflow: 待受理, 办理中 (also 复查中 and 复核中), 已办结 (also 复查办结, 复核办结, 不予受理
and 已转送: the ledger has no value of their own), 已化解, 已稳控. An exported row imported again changes
nothing. The import sets the state directly as history through the case layer (`case_register_bulk` for new
rows, `case_import_update` for changed ones): an audit entry and a 台账导入 log line each, never a transition.

信访人 and 信访人公民身份号码 are the first petitioner: a new row creates it, a changed row updates it (audited
petition.import_petitioner). The number is exported masked unless full values are asked for with a reason by
a role that may reveal. 问题类别 links to the configured topic list when it names one exactly; otherwise the
text is kept. 处理方式 is 三到位一处理 (条例第二十七条), one or more separated by 、; a row finished with a result
(已办结/已化解/已稳控) must name at least one.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pingan.cases import engine
from pingan.core import audit, personal
from pingan.core.bulk import build_instances
from pingan.ledgers import (BooleanColumn, CellError, ChoiceColumn, Column, DateColumn, IntegerColumn, LedgerSpec,
                            PlaceColumn, TextColumn, clean_text, register)

from . import choices as c
from .models import Petition, Petitioner, Topic

S = c.PetitionState
LEDGER_STATES = [(S.REGISTERED, "待受理"), (S.HANDLING, "办理中"), (S.CONCLUDED, "已办结"), (S.RESOLVED, "已化解"),
                 (S.STABILISED, "已稳控")]
STATE_LABELS = {S.REVIEWING: "办理中", S.RECHECKING: "办理中", S.REVIEWED: "已办结", S.RECHECKED: "已办结",
                S.REJECTED: "已办结", S.FORWARDED: "已办结"}
FINISHED = (S.CONCLUDED, S.RESOLVED, S.STABILISED)
SANWEI_LABELS = dict(c.SANWEI)
SANWEI_BY_LABEL = {label: name for name, label in c.SANWEI}
SANWEI_ALIASES = {"解决问题": "sanwei_solved", "思想教育": "sanwei_educated", "帮扶救助": "sanwei_assisted",
                  "依法处理到位": "sanwei_lawful", "依法处置": "sanwei_lawful"}
SPLIT = re.compile(r"[、;；,，/]+")


def _may_reveal(ctx) -> bool:
    return bool(getattr(ctx, "full_values", False))


class IdCell(str):
    """A parsed 公民身份号码: the string is the keyed hash; cipher and mask ride along."""

    cipher: str
    masked: str

    @classmethod
    def build(cls, id_hash: str, cipher: str, masked: str) -> "IdCell":
        cell = cls(id_hash)
        cell.cipher, cell.masked = cipher, masked
        return cell


def _first(petition: Petition) -> Petitioner | None:
    rows = list(petition.petitioners.all())
    return rows[0] if rows else None


class PetitionerIdColumn(Column):
    """信访人公民身份号码 (GB 11643; a wrong check character is refused): the first petitioner's."""

    kind_label = "公民身份号码"

    def parse(self, raw: Any, ctx) -> Any:
        if "*" in clean_text(raw):
            raise CellError("这是脱敏后的号码，不能导入：请填写完整的公民身份号码，或留空（留空不清除已登记的号码）")
        try:
            parsed = personal.parse_id_number(raw)
        except ValidationError as exc:
            raise CellError(exc.messages[0]) from None
        return IdCell.build(personal.lookup_hash(parsed.value), personal.encrypt(parsed.value), parsed.masked)

    def empty_value(self) -> Any:
        return None

    def value_of(self, obj: Any) -> Any:
        first = _first(obj)
        return first if first is not None and first.id_cipher else None

    def display(self, value: Any, ctx) -> Any:
        if value is None:
            return None
        if isinstance(value, IdCell):
            return personal.decrypt(value.cipher) if _may_reveal(ctx) else value.masked
        return personal.decrypt(value.id_cipher) if _may_reveal(ctx) else value.id_masked

    def describe(self) -> str:
        return "18 位公民身份号码（第一位信访人；可留空）"


class SanweiColumn(Column):
    """处理方式: 三到位一处理, one or more of 解决问题到位、思想教育到位、帮扶救助到位、依法处理 separated by 、."""

    kind_label = "处理方式"

    def parse(self, raw: Any, ctx) -> Any:
        names = []
        for part in SPLIT.split(clean_text(raw)):
            part = clean_text(part)
            if not part:
                continue
            name = SANWEI_BY_LABEL.get(part) or SANWEI_ALIASES.get(part)
            if name is None:
                raise CellError(f"“{part[:20]}”不是可选的处理方式，应为：{'、'.join(SANWEI_BY_LABEL)}")
            if name not in names:
                names.append(name)
        return tuple(n for n, _ in c.SANWEI if n in names)

    def empty_value(self) -> Any:
        return ()

    def to_fields(self, value: Any, ctx) -> dict[str, Any]:
        chosen = set(value or ())
        return {name: name in chosen for name, _ in c.SANWEI}

    def value_of(self, obj: Any) -> Any:
        return tuple(name for name, _ in c.SANWEI if getattr(obj, name))

    def display(self, value: Any, ctx) -> Any:
        return "、".join(SANWEI_LABELS[n] for n in value) if value else None

    def describe(self) -> str:
        return "三到位一处理：解决问题到位、思想教育到位、帮扶救助到位、依法处理，一项或多项，以顿号（、）分隔"


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=timezone.get_current_timezone())


@register
class PetitionLedger(LedgerSpec):
    kind = "petitions"
    label = "信访"
    model = Petition
    audit_action = "petition.import"
    description = "信访台账：一行一件信访事项，编号相同的行更新原记录。"
    export_ordering = ("registered_on", "number")
    export_select_related = ("topic",)
    personal_data = True

    columns = [
        TextColumn("编号", "number", key=True, max_length=40, width=22,
                   help="信访事项编号（本台账内唯一；再次导入同一编号即更新该事项）"),
        DateColumn("登记日期", "registered_on", required=True, allow_future=False),
        ChoiceColumn("信访形式", "form", required=True, choices=c.Form, accept_codes=False, width=10,
                     aliases={"网上": c.Form.ONLINE, "网信": c.Form.ONLINE, "信": c.Form.LETTER, "电话": c.Form.CALL,
                              "走访": c.Form.VISIT, "上访": c.Form.VISIT}, help="网上信访、来信、来电、传真 或 来访"),
        TextColumn("信访人", "petitioner_name", required=True, max_length=50, width=10,
                   help="第一位信访人（集体访填代表）的姓名"),
        PetitionerIdColumn("信访人公民身份号码", "petitioner_id_cell", width=22),
        IntegerColumn("人数", "head_count", min_value=1, max_value=100000, default=1, help="整数，不小于 1；空白按 1 人"),
        PlaceColumn("问题属地", "jurisdiction_id", required=True, levels=("township", "village", "community")),
        ChoiceColumn("信访类型", "petition_type", choices=c.PetitionType, accept_codes=False, width=12,
                     aliases={"建议意见": c.PetitionType.SUGGESTION, "检举控告": c.PetitionType.ACCUSATION,
                              "申诉求决": c.PetitionType.APPEAL}, help="建议意见类、检举控告类 或 申诉求决类"),
        TextColumn("问题类别", "topic_text", max_length=100, width=14,
                   help="文字；与问题类别列表中的名称相同时自动关联"),
        TextColumn("诉求内容", "content", required=True, max_length=8000, width=40),
        ChoiceColumn("来源", "source", required=True, choices=c.Source, accept_codes=False, width=10,
                     aliases={"本级": c.Source.LOCAL, "上级": c.Source.ASSIGNED, "交办": c.Source.ASSIGNED},
                     help="本级受理 或 上级交办"),
        TextColumn("交办单位", "assigning_body", max_length=100, width=14, help="来源为上级交办时必填"),
        BooleanColumn("是否积案", "is_backlog", default=False, width=8, help="是 或 否；空白为否"),
        ChoiceColumn("办理状态", "state", required=True, choices=LEDGER_STATES, labels=STATE_LABELS,
                     accept_codes=False, width=10, help="待受理、办理中、已办结、已化解 或 已稳控"),
        SanweiColumn("处理方式", "sanwei", width=24),
        DateColumn("办结日期", "closed_on", allow_future=False, help="办理状态为已办结、已化解或已稳控时必填；不早于登记日期"),
    ]

    # --------------------------------------------------------------------------------------- checks
    def _not_results(self, ctx) -> set[str]:
        """Numbers of petitions closed without a result of their own (不予受理, 已转送): exported as 已办结."""
        if not hasattr(ctx, "_petitions_not_results"):
            ctx._petitions_not_results = set(Petition.objects.filter(state__in=(S.REJECTED, S.FORWARDED))
                                             .values_list("number", flat=True))
        return ctx._petitions_not_results

    def check_row(self, row: dict[str, Any], ctx) -> list[tuple[str, str]]:
        problems = []
        registered, closed, state = row.get("registered_on"), row.get("closed_on"), row.get("state")
        if row.get("source") == c.Source.ASSIGNED and not row.get("assigning_body"):
            problems.append(("交办单位", "来源为上级交办时必须填写交办单位"))
        closed_without_result = row.get("number") in self._not_results(ctx)
        if state in FINISHED and not closed and not closed_without_result:
            problems.append(("办结日期", "办理状态为已办结、已化解或已稳控时必须填写办结日期"))
        if state in (S.REGISTERED, S.HANDLING) and closed:
            problems.append(("办结日期", "待受理或办理中的信访事项尚未办结，不能填写办结日期"))
        if registered and closed and closed < registered:
            problems.append(("办结日期", f"办结日期不能早于登记日期（{registered:%Y-%m-%d}）"))
        if state in FINISHED and not row.get("sanwei") and not closed_without_result:
            problems.append(("处理方式", "办结的信访事项须写明“三到位一处理”中至少一项（《信访工作条例》第二十七条）"))
        if state in (S.REGISTERED, S.HANDLING) and row.get("sanwei"):
            problems.append(("处理方式", "尚未办结的信访事项不能填写处理方式"))
        return problems

    # --------------------------------------------------------------------------------------- writing
    def _topics(self, ctx) -> dict[str, int]:
        if not hasattr(ctx, "_petitions_topics"):
            qs = Topic.objects.filter(active=True)
            if ctx.user is not None and getattr(ctx.user, "pk", None):
                from pingan.core.scoping import place_q

                qs = qs.filter(place_q(Topic, ctx.user))
            names: dict[str, list[int]] = {}
            for pk, name in qs.values_list("pk", "name"):
                names.setdefault(name, []).append(pk)
            ctx._petitions_topics = {name: pks[0] for name, pks in names.items() if len(pks) == 1}
        return ctx._petitions_topics

    def prepare(self, fields: dict[str, Any], ctx, instance: Petition | None = None) -> dict[str, Any]:
        """The topic link; a new petition's 15-day dates, reporter and (in 办理中) 受理 date and 办结期限 (60 days
        from registration: the ledger has no 受理日期); the closing moment of a finished one."""
        if "topic_text" in fields:
            fields["topic_id"] = self._topics(ctx).get(fields["topic_text"]) if fields["topic_text"] else None
        if fields.get("source") == c.Source.LOCAL:
            fields["assigning_body"] = ""
        state = fields.get("state", instance.state if instance else S.REGISTERED)
        closed = fields.get("closed_on", instance.closed_on if instance else None)
        if instance is None:
            registered = fields["registered_on"]
            fields.setdefault("reported_by_id", getattr(ctx.user, "pk", None))
            fields["forward_due_on"] = registered + dt.timedelta(days=c.FORWARD_DAYS)
            fields["acknowledge_due_on"] = registered + dt.timedelta(days=c.ACKNOWLEDGE_DAYS)
            fields["is_group"] = (fields.get("head_count") or 1) >= c.MAX_REPRESENTATIVES
            if state != S.REGISTERED:
                fields["accepted_on"] = registered
                fields["handling_due_on"] = registered + dt.timedelta(days=c.HANDLING_DAYS)
            if state in FINISHED and closed:
                fields["state_changed_at"] = _at(closed)
                fields["closed_at"] = _at(closed)
        else:
            moved = "state" in fields or "closed_on" in fields
            if state in FINISHED and moved and closed:
                fields["closed_at"] = _at(closed)
            if state == S.HANDLING and "state" in fields and not instance.handling_due_on:
                fields["accepted_on"] = instance.accepted_on or instance.registered_on
                fields["handling_due_on"] = fields["accepted_on"] + dt.timedelta(days=c.HANDLING_DAYS)
        return fields

    def existing(self, keys: list[tuple]) -> dict[tuple, Any]:
        numbers = list({k[0] for k in keys})
        qs = Petition.objects.filter(number__in=numbers).select_related(*self.export_select_related) \
            .prefetch_related("petitioners")
        return {(p.number,): p for p in qs}

    def create_batch(self, rows: list[dict[str, Any]], ctx) -> list[Petition]:
        """New petitions through the case layer's bulk registration (number as given, state, due moment, one
        audit entry and one 台账导入 log line each), then their first petitioners in bulk."""
        cells = [row.pop("petitioner_id_cell", None) for row in rows]
        petitions = engine.case_register_bulk(actor=ctx.user, cases=build_instances(Petition, rows),
                                              audit_action=self.audit_action,
                                              scope_paths=[ctx.path_of_row(fields) for fields in rows])
        Petitioner.objects.bulk_create([self._petitioner(p, cell) for p, cell in zip(petitions, cells)],
                                       batch_size=2000)
        return petitions

    @staticmethod
    def _petitioner(petition: Petition, cell: IdCell | None) -> Petitioner:
        row = Petitioner(petition=petition, name=petition.petitioner_name, is_representative=petition.head_count > 1)
        if cell is not None:
            row.id_hash, row.id_cipher, row.id_masked = str(cell), cell.cipher, cell.masked
        return row

    def update(self, instance: Petition, fields: dict[str, Any], ctx) -> dict[str, list[Any]]:
        """A changed row through the case layer (audited; a 台账导入 line when the state moved); a changed 信访人
        or number updates the first petitioner (audited petition.import_petitioner)."""
        has_cell = "petitioner_id_cell" in fields
        cell = fields.pop("petitioner_id_cell", None)
        with transaction.atomic():
            changes = engine.case_import_update(actor=ctx.user, case=instance, data=fields,
                                                audit_action=self.audit_action) if fields else {}
            if has_cell or "petitioner_name" in fields:
                first = _first(instance)
                if first is None:
                    first = self._petitioner(instance, cell)
                    first.save()
                    before = {}
                else:
                    before = audit.redacted_snapshot(first, ["name", "id_cipher", "id_hash", "id_masked"])
                    first.name = instance.petitioner_name
                    if cell is not None:  # an empty cell keeps the number on record
                        first.id_hash, first.id_cipher, first.id_masked = str(cell), cell.cipher, cell.masked
                    first.save()
                after = audit.redacted_snapshot(first, ["name", "id_cipher", "id_hash", "id_masked"])
                diff = audit.diff(before, after)
                if diff:
                    audit.record(actor=ctx.user, action="petition.import_petitioner", obj=instance,
                                 changes=diff, redact_as=[Petitioner])
                    changes["petitioner"] = [before.get("name"), after.get("name")]
                getattr(instance, "_prefetched_objects_cache", {}).pop("petitioners", None)
        return changes

    # --------------------------------------------------------------------------------------- export
    def export_queryset(self, user: Any, node: Any):
        return super().export_queryset(user, node).prefetch_related("petitioners")
