"""The `people` (实有人口) and `special_people` (特殊人群) ledgers of docs/ledgers.md.

The natural key is the 公民身份号码, which the database never holds in plaintext: the key column parses and
validates the number (GB 11643, 15-digit numbers converted) and yields its keyed hash, so existing records
are found by one indexed lookup. On export the number is written in full only for roles allowed to reveal
it (people.reveal_id); everyone else gets the masked form. 境外人员 are keyed by 证件类型 + 证件号码.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError

from pingan.core import personal
from pingan.ledgers import (
    CellError, ChoiceColumn, Column, DateColumn, LedgerSpec, PlaceColumn, TextColumn, register,
)
from pingan.ledgers.spec import build_instances, bulk_audit, bulk_insert

from . import choices as c
from . import services
from .models import Person, SpecialEnrollment


class IdCell(str):
    """A parsed ID number: the string value is the keyed hash (the key); the parts ride along."""

    cipher: str
    masked: str
    tail: str
    sex: str
    birth_date: dt.date | None

    @classmethod
    def build(cls, id_hash: str, cipher: str, masked: str, tail: str, sex: str = "", birth_date=None) -> "IdCell":
        cell = cls(id_hash)
        cell.cipher, cell.masked, cell.tail, cell.sex, cell.birth_date = cipher, masked, tail, sex, birth_date
        return cell


def _may_reveal(ctx) -> bool:
    """Full numbers only where the engine says so: an import (its comparisons are never shown) or an export
    that asked for full values with a reason by a role that may reveal (pingan.ledgers.export)."""
    return bool(getattr(ctx, "full_values", False))


class BirthDateColumn(DateColumn):
    """出生日期: in a masked export only the year, so the date cannot be put back into a masked ID number."""

    def display(self, value: Any, ctx) -> Any:
        if value and not _may_reveal(ctx):
            return f"{value.year}年"
        return super().display(value, ctx)


class IdNumberColumn(Column):
    kind_label = "公民身份号码"

    def parse(self, raw: Any, ctx) -> Any:
        try:
            parsed = personal.parse_id_number(raw)
        except ValidationError as exc:
            raise CellError(exc.messages[0]) from None
        return IdCell.build(personal.lookup_hash(parsed.value), personal.encrypt(parsed.value), parsed.masked,
                            parsed.tail, parsed.sex, parsed.birth_date)

    def empty_value(self) -> Any:
        return None

    def to_fields(self, value: Any, ctx) -> dict[str, Any]:
        if value is None:
            return {}
        return {"id_hash": str(value), "id_cipher": value.cipher, "id_masked": value.masked, "id_tail": value.tail,
                "_sex": value.sex, "_birth": value.birth_date}

    def value_of(self, obj: Any) -> Any:
        person = obj.person if isinstance(obj, SpecialEnrollment) else obj
        return None if person.doc_type else person

    def display(self, value: Any, ctx) -> Any:
        if value is None:
            return None
        if isinstance(value, IdCell):
            return value.masked if not _may_reveal(ctx) else personal.decrypt(value.cipher)
        return personal.decrypt(value.id_cipher) if _may_reveal(ctx) else value.id_masked

    def describe(self) -> str:
        return "18 位公民身份号码（15 位旧号码自动升位）；境外人员留空，填写证件类型和证件号码"


class DocNumberColumn(TextColumn):
    """境外人员的证件号码: combined with 证件类型 into the key in check_row; not a model field itself."""

    def to_fields(self, value: Any, ctx) -> dict[str, Any]:
        return {}

    def value_of(self, obj: Any) -> Any:
        return personal.decrypt(obj.id_cipher) if obj.doc_type else None

    def display(self, value: Any, ctx) -> Any:
        if not value:
            return None
        return value if _may_reveal(ctx) else personal.mask_id(value)


class PhoneColumn(Column):
    kind_label = "电话"

    def parse(self, raw: Any, ctx) -> Any:
        try:
            return personal.parse_phone(raw)
        except ValidationError as exc:
            raise CellError(exc.messages[0]) from None

    def empty_value(self) -> Any:
        return ""

    def to_fields(self, value: Any, ctx) -> dict[str, Any]:
        value = value or ""
        return {"phone_cipher": personal.encrypt(value), "phone_hash": personal.lookup_hash(value, namespace="phone"),
                "phone_masked": personal.mask_phone(value), "phone_tail": value[-4:]}

    def value_of(self, obj: Any) -> Any:
        return personal.decrypt(obj.phone_cipher)

    def display(self, value: Any, ctx) -> Any:
        if not value:
            return None
        return value if _may_reveal(ctx) else personal.mask_phone(value)


class PersonKeyColumn(IdNumberColumn):
    """The person of a special_people row, by ID number (the parsed cell is kept whole for create_batch)."""

    def to_fields(self, value: Any, ctx) -> dict[str, Any]:
        return {self.field: value}


def _redacted_audit(spec: LedgerSpec, instances: list, ctx, rows: list[dict]) -> None:
    # bulk_audit redacts the personal fields by type (core.audit), like every single audit entry.
    bulk_audit(actor=ctx.user, action=spec.audit_action, instances=instances, created=True,
               scope_paths=[ctx.path_of_row(fields) for fields in rows])


@register
class PeopleLedger(LedgerSpec):
    kind = "people"
    label = "实有人口"
    model = Person
    audit_action = "person.import"
    import_capability = "people.import"
    export_capability = "people.import"
    personal_data = True
    description = "实有人口台账：一行一人，公民身份号码相同的行更新原记录；境外人员以证件类型和证件号码识别。"
    export_ordering = ("jurisdiction__path", "name", "id")

    columns = [
        IdNumberColumn("公民身份号码", "id_hash", key=True, width=22),
        TextColumn("姓名", "name", required=True, max_length=50, width=10),
        ChoiceColumn("性别", "sex", choices=c.Sex, accept_codes=False, width=6, help="男 或 女；须与公民身份号码一致"),
        BirthDateColumn("出生日期", "birth_date", allow_future=False, help="须与公民身份号码一致；可留空"),
        ChoiceColumn("民族", "ethnicity", choices=c.Ethnicity, default=c.Ethnicity.HAN, width=8),
        ChoiceColumn("人口类型", "person_type", required=True, choices=c.PersonType, accept_codes=False, width=10,
                     aliases={"户籍": "registered", "流动": "floating", "境外": "foreign", "留守": "left_behind"}),
        PlaceColumn("所属网格", "jurisdiction_id", required=True, levels=("grid",)),
        TextColumn("现住地址", "current_address", max_length=200, width=30),
        TextColumn("户籍地址", "household_address", max_length=200, width=30),
        PhoneColumn("联系电话", "phone", width=14),
        TextColumn("备注", "note", max_length=2000, width=20),
        ChoiceColumn("证件类型", "doc_type", choices=c.ForeignDocType, accept_codes=False, width=12,
                     help="境外人员填写：普通护照、港澳居民来往内地通行证等"),
        DocNumberColumn("证件号码", "doc_number", max_length=30, width=16),
    ]
    # The key column is filled by 证件类型 + 证件号码 for 境外人员 (check_row), so it is not required as a cell.
    columns[0].required = False

    def check_row(self, row: dict[str, Any], ctx) -> list[tuple[str, str]]:
        problems: list[tuple[str, str]] = []
        cell = row.get("id_hash")
        foreign = row.get("person_type") == c.PersonType.FOREIGN
        if foreign:
            if not row.get("doc_type") or not row.get("doc_number"):
                return [("证件号码", "境外人员须填写证件类型和证件号码")]
            try:
                ident = services.identity_for(doc_type=row["doc_type"], doc_number=row["doc_number"])
            except ValidationError as exc:
                return [("证件号码", "；".join(exc.messages))]
            row["id_hash"] = IdCell.build(ident.id_hash, ident.id_cipher, ident.id_masked, ident.id_tail)
            return problems
        if row.get("doc_type"):
            problems.append(("证件类型", "只有境外人员填写证件类型；中国公民请填写公民身份号码"))
        if cell is None:
            return problems + [("公民身份号码", "必填，不能为空（境外人员请将人口类型填为境外人员）")]
        if row.get("sex") and row["sex"] != cell.sex:
            problems.append(("性别", f"与公民身份号码不符：号码表示{personal.SEX_LABELS[cell.sex]}性"))
        if row.get("birth_date") and row["birth_date"] != cell.birth_date:
            problems.append(("出生日期", f"与公民身份号码中的 {cell.birth_date:%Y-%m-%d} 不符"))
        # Left empty, sex and birth date come from the number (and so compare equal on re-import).
        row["sex"] = row.get("sex") or cell.sex
        row["birth_date"] = row.get("birth_date") or cell.birth_date
        return problems

    def prepare(self, fields: dict[str, Any], ctx, instance: Person | None = None) -> dict[str, Any]:
        fields.pop("doc_number", None)
        sex, birth = fields.pop("_sex", ""), fields.pop("_birth", None)
        if sex and not fields.get("sex"):
            fields["sex"] = sex
        if birth and not fields.get("birth_date"):
            fields["birth_date"] = birth
        if instance is None:
            fields.setdefault("registered_on", ctx.today)
        if fields.get("person_type") == c.PersonType.FLOATING and not (instance and instance.inflow_reason):
            fields.setdefault("inflow_reason", c.InflowReason.OTHER)
        return fields

    def create_batch(self, rows: list[dict[str, Any]], ctx) -> list[Any]:
        instances = build_instances(Person, [{**fields, "id_hash": str(fields["id_hash"])} for fields in rows])
        bulk_insert(Person, instances)
        _redacted_audit(self, instances, ctx, rows)
        return instances

    def update(self, instance: Person, fields: dict[str, Any], ctx) -> dict[str, list[Any]]:
        return services._update(actor=ctx.user, instance=instance, data=fields, action=self.audit_action)


class RiskColumn(TextColumn):
    """精神障碍 0级–5级, the others 高/中/低: checked against 人群类型 in check_row; exported as the label."""

    def display(self, value: Any, ctx) -> Any:
        if not value:
            return None
        return c.RISK_LABELS.get(value, value)


def _person_of(enrollment: SpecialEnrollment) -> Person:
    return enrollment.person


@register
class SpecialPeopleLedger(LedgerSpec):
    kind = "special_people"
    label = "特殊人群"
    model = SpecialEnrollment
    audit_action = "special_person.import"
    import_capability = "people.import"
    export_capability = "people.import"
    personal_data = True
    description = ("特殊人群台账：一行一人一类，公民身份号码与人群类型相同的行更新原记录；"
                   "实有人口中没有的人员按公民身份号码、姓名和所属网格新建为户籍人口。")
    export_ordering = ("jurisdiction__path", "kind", "id")
    export_select_related = ("person",)

    columns = [
        PersonKeyColumn("公民身份号码", "person_key", key=True, width=22),
        TextColumn("姓名", "person_name", required=True, max_length=50, width=10, getter=lambda e: e.person.name),
        ChoiceColumn("人群类型", "kind", key=True, choices=c.SpecialKind, accept_codes=False, width=14,
                     aliases={"刑释人员": "released", "社区矫正对象": "correction", "精神障碍患者": "mental",
                              "肇事肇祸精神病人": "mental", "吸毒": "drug", "艾滋病": "aids", "重点青少年群体": "youth"}),
        DateColumn("列管日期", "enrolled_on", required=True, allow_future=False),
        RiskColumn("风险等级", "risk_level", max_length=8, width=8, help="严重精神障碍患者：0级–5级；其他：高、中、低"),
        TextColumn("管控帮扶措施", "measures", max_length=2000, width=30),
        TextColumn("责任人", "responsible_name", max_length=100, width=12),
        TextColumn("责任人电话", "responsible_phone", max_length=20, width=14),
        PlaceColumn("所属网格", "jurisdiction_id", required=True, levels=("grid",)),
        DateColumn("解除列管日期", "released_on", allow_future=False),
    ]

    def key_of_instance(self, instance: SpecialEnrollment) -> tuple:
        return (instance.person.id_hash, instance.kind)

    def existing(self, keys: list[tuple]) -> dict[tuple, Any]:
        wanted = set(keys)
        qs = SpecialEnrollment.objects.filter(person__id_hash__in=list({str(k[0]) for k in keys})).select_related("person")
        return {self.key_of_instance(e): e for e in qs if self.key_of_instance(e) in wanted}

    def export_queryset(self, user: Any, node: Any):
        qs = super().export_queryset(user, node)
        return qs.exclude(person__doc_type__gt="")

    def check_row(self, row: dict[str, Any], ctx) -> list[tuple[str, str]]:
        problems: list[tuple[str, str]] = []
        kind = row.get("kind")
        if kind in c.HEALTH_KINDS and ctx.user is not None and not ctx.user.can("people.read_health"):
            problems.append(("人群类型", "您的角色不能导入涉及健康信息的人员"))
        try:
            row["risk_level"] = services.check_risk_level(kind, row.get("risk_level") or "")
        except ValidationError as exc:
            problems.append(("风险等级", "；".join(exc.messages)))
        if row.get("released_on") and row.get("enrolled_on") and row["released_on"] < row["enrolled_on"]:
            problems.append(("解除列管日期", "不能早于列管日期"))
        cell = row.get("person_key")
        if cell is not None:
            found = Person.objects.filter(id_hash=str(cell)).values_list("jurisdiction__path", "jurisdiction_id").first()
            if found and ctx.scope_path and not found[0].startswith(ctx.scope_path):
                problems.append(("公民身份号码", "该人员登记在您的管辖范围以外"))
            elif found and row.get("jurisdiction_id") and found[1] != row["jurisdiction_id"]:
                problems.append(("所属网格", "与实有人口中登记的所属网格不一致"))
        return problems

    def _people(self, rows: list[dict[str, Any]], ctx) -> dict[str, Person]:
        """The people of these rows by ID hash; those missing are created (户籍人口) from the row."""
        hashes = {str(r["person_key"]) for r in rows}
        found = {p.id_hash: p for p in Person.objects.filter(id_hash__in=hashes)}
        new: list[Person] = []
        for fields in rows:
            cell = fields["person_key"]
            if str(cell) in found:
                continue
            person = Person(jurisdiction_id=fields["jurisdiction_id"], name=fields["person_name"], sex=cell.sex,
                            birth_date=cell.birth_date, id_hash=str(cell), id_cipher=cell.cipher, id_masked=cell.masked,
                            id_tail=cell.tail, person_type=c.PersonType.REGISTERED, registered_on=ctx.today)
            found[str(cell)] = person
            new.append(person)
        if new:
            Person.objects.bulk_create(new, batch_size=self.batch_size)
            bulk_audit(actor=ctx.user, action="person.import", instances=new, created=True,
                       changes=[{"after": services.snapshot(p)} for p in new])
        return found

    def create_batch(self, rows: list[dict[str, Any]], ctx) -> list[Any]:
        people = self._people(rows, ctx)
        rules = services._rules()
        instances = []
        for fields in rows:
            person = people[str(fields["person_key"])]
            e = SpecialEnrollment(person=person, jurisdiction_id=person.jurisdiction_id, kind=fields["kind"],
                                  enrolled_on=fields["enrolled_on"], risk_level=fields.get("risk_level") or "",
                                  measures=fields.get("measures") or "", responsible_name=fields.get("responsible_name") or "",
                                  responsible_phone=fields.get("responsible_phone") or "", released_on=fields.get("released_on"))
            e.next_visit_on = services.next_visit_for(e, rules)
            instances.append(e)
        SpecialEnrollment.objects.bulk_create(instances, batch_size=self.batch_size)
        _redacted_audit(self, instances, ctx, rows)
        return instances

    def update(self, instance: SpecialEnrollment, fields: dict[str, Any], ctx) -> dict[str, list[Any]]:
        fields = {k: v for k, v in fields.items() if k in ("enrolled_on", "risk_level", "measures", "responsible_name",
                                                           "responsible_phone", "released_on")}
        changes = services._update(actor=ctx.user, instance=instance, data=fields, action=self.audit_action)
        planned = services.next_visit_for(instance)
        if planned != instance.next_visit_on:
            services._update(actor=ctx.user, instance=instance, data={"next_visit_on": planned},
                             action="special_person.replan")
        return changes
