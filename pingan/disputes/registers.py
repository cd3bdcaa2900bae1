"""The registers around mediation: 调解组织 (MediationOrg), 人民调解员 (Mediator), 排查活动 (ScreeningCampaign)
and 误工补贴标准 (SubsidyRate). Services `<entity>_<verb>(*, actor, ...)`: one transaction, validation in
Chinese, the write, an audit entry. The pages and the API are `pingan.registers` declarations in views_b.py.

`grade_amounts(node)` is the one place the subsidy amount of a grade is read: the rates set at the node or
the nearest node above it, grade by grade, else the defaults (简易 50, 一般 100, 重大疑难 200 元).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from pingan.accounts.choices import Role
from pingan.core import audit
from pingan.core.models import AuditEntry
from pingan.core.scoping import ancestor_paths
from pingan.core.services import model_create, model_update

from . import choices as c
from .models import MediationOrg, Mediator, ScreeningCampaign, SubsidyRate

MANAGE = "disputes.manage"
CONFIGURE = "disputes.configure"


# ------------------------------------------------------------------------------------------------ helpers
def township_path(node: Any) -> str:
    """The path of the township a node (or a path) lies in (itself when it is one); a county-level node's own path.
    Read from the path's codes (a township's code has 9 digits), so it costs no query."""
    path = node if isinstance(node, str) else node.path
    parts = [p for p in path.split("/") if p]
    for i, code in enumerate(parts):
        if len(code) == 9:
            return "/".join(parts[: i + 1]) + "/"
    return path


def _require(actor: Any, capability: str, action: str, obj: Any = None) -> None:
    if actor is None or not getattr(actor, "can", None) or not actor.can(capability):
        audit.record(actor=actor, action=action, obj=obj, outcome=AuditEntry.Outcome.FAILURE,
                     detail="无权进行此操作")
        raise PermissionDenied("您的角色不能维护此登记簿。")


def _in_scope(actor: Any, node: Any, field: str = "jurisdiction") -> None:
    if node is None:
        raise ValidationError({field: "请选择所属地区。"})
    if not node.path.startswith(getattr(actor, "scope_path", "") or "\0"):
        raise ValidationError({field: "所选地区不在您的管辖范围内。"})


def _delete(actor: Any, instance: Any, action: str, in_use: str) -> None:
    with transaction.atomic():
        snap = audit.snapshot(instance)
        pk = instance.pk
        try:
            instance.delete()
        except ProtectedError:
            raise ValidationError(in_use) from None
        instance.pk = pk
        audit.record(actor=actor, action=action, obj=instance, changes={"before": snap})


# ------------------------------------------------------------------------------------------------ 调解组织
ORG_FIELDS = ("jurisdiction", "name", "kind", "department", "phone", "address", "active")


def _check_org(data: dict[str, Any]) -> None:
    node, department = data.get("jurisdiction"), data.get("department")
    if department is not None and node is not None:
        if not (node.path.startswith(department.jurisdiction.path)
                or department.jurisdiction.path.startswith(township_path(node))):
            raise ValidationError({"department": f"所属部门“{department.name}”不在本组织所在乡镇或其上级辖区。"})
    kind = data.get("kind")
    if kind == c.OrgKind.VILLAGE and node is not None and not (node.level in ("village", "community")):
        raise ValidationError({"jurisdiction": "村(居)人民调解委员会须设在村(社区)。"})


def org_create(*, actor: Any, data: dict[str, Any]) -> MediationOrg:
    """登记调解组织 (needs disputes.manage; the place inside the actor's scope)."""
    _require(actor, MANAGE, "mediationorg.create")
    data = {k: v for k, v in data.items() if k in ORG_FIELDS}
    _in_scope(actor, data.get("jurisdiction"))
    _check_org(data)
    if MediationOrg.objects.filter(jurisdiction=data["jurisdiction"], name=data.get("name", "")).exists():
        raise ValidationError({"name": "本地区已有同名调解组织。"})
    with transaction.atomic():
        return model_create(actor=actor, model=MediationOrg, action="mediationorg.create", data=data)


def org_update(*, actor: Any, instance: MediationOrg, data: dict[str, Any]) -> MediationOrg:
    """修改调解组织; moving it to another township is refused while it has mediators there."""
    _require(actor, MANAGE, "mediationorg.update", instance)
    data = {k: v for k, v in data.items() if k in ORG_FIELDS}
    node = data.get("jurisdiction", instance.jurisdiction)
    _in_scope(actor, node)
    _check_org({"jurisdiction": node, "department": data.get("department", instance.department),
                "kind": data.get("kind", instance.kind)})
    if node.pk != instance.jurisdiction_id:
        target = township_path(node)
        outside = [m.name for m in instance.mediators.select_related("jurisdiction")
                   if not m.jurisdiction.path.startswith(target)]
        if outside:
            raise ValidationError({"jurisdiction": f"调解员{'、'.join(outside[:5])}属于原乡镇，不能把组织迁到其他乡镇。"})
    if MediationOrg.objects.filter(jurisdiction=node, name=data.get("name", instance.name)) \
            .exclude(pk=instance.pk).exists():
        raise ValidationError({"name": "本地区已有同名调解组织。"})
    with transaction.atomic():
        model_update(actor=actor, instance=instance, data=data, action="mediationorg.update")
    return instance


def org_delete(*, actor: Any, instance: MediationOrg) -> None:
    _require(actor, MANAGE, "mediationorg.delete", instance)
    _delete(actor, instance, "mediationorg.delete", "该调解组织已有调解员或纠纷，不能删除；可改为“不在用”。")


# ------------------------------------------------------------------------------------------------ 人民调解员
MEDIATOR_FIELDS = ("jurisdiction", "name", "sex", "org", "user", "kind", "phone", "specialty", "training",
                   "certified_on", "active")


def _check_mediator(actor: Any, data: dict[str, Any], instance: Mediator | None = None) -> None:
    org = data.get("org")
    node = data.get("jurisdiction")
    if org is None:
        raise ValidationError({"org": "请选择所属调解组织。"})
    if node is None:
        raise ValidationError({"jurisdiction": "请选择所属地区。"})
    _in_scope(actor, node)
    area = township_path(org.jurisdiction)
    if not node.path.startswith(area):
        raise ValidationError({"jurisdiction": f"调解员所在地区不在调解组织“{org.name}”所在乡镇，不能登记为该组织的调解员。"})
    user = data.get("user")
    if user is not None:
        if user.role != Role.MEDIATOR:
            raise ValidationError({"user": f"账号“{user.username}”不是调解员角色。"})
        if user.scope_id is None or not user.scope.path.startswith(area):
            raise ValidationError({"user": f"账号“{user.username}”属于其他乡镇，不能关联。"})
        taken = Mediator.objects.filter(user=user)
        if instance is not None:
            taken = taken.exclude(pk=instance.pk)
        if taken.exists():
            raise ValidationError({"user": f"账号“{user.username}”已关联其他调解员。"})


def mediator_create(*, actor: Any, data: dict[str, Any]) -> Mediator:
    """登记人民调解员: the mediator's place must lie in the organisation's township (another township's
    mediator is refused); a linked account must be a mediator account of that township."""
    _require(actor, MANAGE, "mediator.create")
    data = {k: v for k, v in data.items() if k in MEDIATOR_FIELDS}
    if data.get("jurisdiction") is None and data.get("org") is not None:
        data["jurisdiction"] = data["org"].jurisdiction
    _check_mediator(actor, data)
    with transaction.atomic():
        return model_create(actor=actor, model=Mediator, action="mediator.create", data=data)


def mediator_update(*, actor: Any, instance: Mediator, data: dict[str, Any]) -> Mediator:
    _require(actor, MANAGE, "mediator.update", instance)
    data = {k: v for k, v in data.items() if k in MEDIATOR_FIELDS}
    if "jurisdiction" in data and data["jurisdiction"] is None:
        data["jurisdiction"] = data.get("org", instance.org).jurisdiction
    merged = {name: data.get(name, getattr(instance, name)) for name in ("org", "jurisdiction", "user")}
    _check_mediator(actor, merged, instance)
    with transaction.atomic():
        model_update(actor=actor, instance=instance, data=data, action="mediator.update")
    return instance


def mediator_delete(*, actor: Any, instance: Mediator) -> None:
    _require(actor, MANAGE, "mediator.delete", instance)
    _delete(actor, instance, "mediator.delete", "该调解员已有调解的纠纷或补贴记录，不能删除；可改为“不在任”。")


# ------------------------------------------------------------------------------------------------ 排查活动
CAMPAIGN_FIELDS = ("jurisdiction", "name", "start_on", "end_on", "description")


def _check_campaign(data: dict[str, Any]) -> None:
    start, end = data.get("start_on"), data.get("end_on")
    if start and end and end < start:
        raise ValidationError({"end_on": f"结束日期不能早于开始日期（{start:%Y-%m-%d}）。"})


def campaign_create(*, actor: Any, data: dict[str, Any]) -> ScreeningCampaign:
    _require(actor, MANAGE, "screeningcampaign.create")
    data = {k: v for k, v in data.items() if k in CAMPAIGN_FIELDS}
    _in_scope(actor, data.get("jurisdiction"))
    _check_campaign(data)
    data["created_by"] = actor
    with transaction.atomic():
        return model_create(actor=actor, model=ScreeningCampaign, action="screeningcampaign.create", data=data)


def campaign_update(*, actor: Any, instance: ScreeningCampaign, data: dict[str, Any]) -> ScreeningCampaign:
    _require(actor, MANAGE, "screeningcampaign.update", instance)
    data = {k: v for k, v in data.items() if k in CAMPAIGN_FIELDS}
    _in_scope(actor, data.get("jurisdiction", instance.jurisdiction))
    _check_campaign({"start_on": data.get("start_on", instance.start_on),
                     "end_on": data.get("end_on", instance.end_on)})
    with transaction.atomic():
        model_update(actor=actor, instance=instance, data=data, action="screeningcampaign.update")
    return instance


def campaign_delete(*, actor: Any, instance: ScreeningCampaign) -> None:
    _require(actor, MANAGE, "screeningcampaign.delete", instance)
    if instance.disputes.exists():
        raise ValidationError("该排查活动已登记纠纷，不能删除。")
    _delete(actor, instance, "screeningcampaign.delete", "该排查活动已登记纠纷，不能删除。")


# ------------------------------------------------------------------------------------------------ 补贴标准
RATE_FIELDS = ("jurisdiction", "grade", "amount")
AMOUNT_MAX = Decimal("100000")


def _check_rate(actor: Any, data: dict[str, Any]) -> None:
    node = data.get("jurisdiction")
    _in_scope(actor, node)
    if node.level not in ("county", "township"):
        raise ValidationError({"jurisdiction": "补贴标准只能按区县或乡镇设定。"})
    amount = data.get("amount")
    if amount is None:
        raise ValidationError({"amount": "请填写补贴金额。"})
    if amount < 0 or amount > AMOUNT_MAX:
        raise ValidationError({"amount": "补贴金额须在 0 至 100000 元之间。"})
    if data.get("grade") not in c.Grade.values:
        raise ValidationError({"grade": "请选择案件等级：简易、一般或重大疑难。"})


def rate_create(*, actor: Any, data: dict[str, Any]) -> SubsidyRate:
    """设定一个等级的补贴金额 (disputes.configure). Sheets already approved keep their frozen amounts."""
    _require(actor, CONFIGURE, "subsidyrate.create")
    data = {k: v for k, v in data.items() if k in RATE_FIELDS}
    _check_rate(actor, data)
    if SubsidyRate.objects.filter(jurisdiction=data["jurisdiction"], grade=data["grade"]).exists():
        raise ValidationError({"grade": "该地区已设定此等级的补贴标准，请修改原记录。"})
    with transaction.atomic():
        return model_create(actor=actor, model=SubsidyRate, action="subsidyrate.create", data=data)


def rate_update(*, actor: Any, instance: SubsidyRate, data: dict[str, Any]) -> SubsidyRate:
    _require(actor, CONFIGURE, "subsidyrate.update", instance)
    data = {k: v for k, v in data.items() if k in RATE_FIELDS}
    merged = {name: data.get(name, getattr(instance, name)) for name in RATE_FIELDS}
    _check_rate(actor, merged)
    if SubsidyRate.objects.filter(jurisdiction=merged["jurisdiction"], grade=merged["grade"]) \
            .exclude(pk=instance.pk).exists():
        raise ValidationError({"grade": "该地区已设定此等级的补贴标准。"})
    with transaction.atomic():
        model_update(actor=actor, instance=instance, data=data, action="subsidyrate.update")
    return instance


def rate_delete(*, actor: Any, instance: SubsidyRate) -> None:
    _require(actor, CONFIGURE, "subsidyrate.delete", instance)
    _delete(actor, instance, "subsidyrate.delete", "不能删除该补贴标准。")


def grade_amounts(node: Any) -> dict[str, Decimal]:
    """{grade: yuan} in force at `node`: per grade, the rate set at the nearest node at or above it, else the
    default (简易 50, 一般 100, 重大疑难 200 元). One query."""
    paths = ancestor_paths(node.path) if node is not None else []
    rates = SubsidyRate.objects.filter(jurisdiction__path__in=paths) \
        .values_list("jurisdiction__path", "grade", "amount")
    return amounts_at(node.path if node is not None else "", list(rates))


def rate_table() -> list[tuple[str, str, Decimal]]:
    """Every rate row as (path, grade, amount), for resolving many places at once (`amounts_at`)."""
    return list(SubsidyRate.objects.values_list("jurisdiction__path", "grade", "amount"))


def amounts_at(path: str, rates: list[tuple[str, str, Decimal]]) -> dict[str, Decimal]:
    """`grade_amounts` for the place at `path` from rows already read (`rate_table()`): no query."""
    amounts = {str(grade): Decimal(value) for grade, value in c.DEFAULT_GRADE_AMOUNTS.items()}
    depth: dict[str, int] = {}
    for rate_path, grade, amount in rates:
        if path.startswith(rate_path) and len(rate_path) > depth.get(grade, -1):
            depth[grade] = len(rate_path)
            amounts[grade] = Decimal(amount)
    return amounts
