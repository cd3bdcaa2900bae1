"""Writes of the special campaigns: a campaign (create, update), a clue's registration (through the case
layer), and tagging another matter to a campaign. Each validates first, writes in one transaction and audits;
a refusal is audited too."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from pingan.accounts.models import Department
from pingan.cases import engine
from pingan.cases.definitions import kinds
from pingan.core import audit
from pingan.core.personal import clean_text, parse_phone
from pingan.core.services import model_create, model_update
from pingan.geo.models import Node

from .choices import CampaignKind, CampaignStatus, ClueSource
from .models import Campaign, CampaignTag, Clue

CAMPAIGN_FIELDS = ("name", "kind", "start_on", "end_on", "lead_department", "jurisdiction", "goals", "status")
CLUE_FIELDS = ("campaign", "received_on", "source", "anonymous", "reporter_name", "reporter_phone", "jurisdiction",
               "summary", "involved")
CLUE_PLACE_LEVELS = ("village", "community")


def _refuse(actor: Any, action: str, message: str, obj: Any = None) -> None:
    audit.record(actor=actor, action=action, obj=obj, outcome="failure", detail=message)
    raise PermissionDenied(message)


# --- campaigns ---------------------------------------------------------------------------------------------
def _check_campaign(actor: Any, data: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not (data.get("name") or "").strip():
        errors["name"] = "请填写行动名称。"
    if data.get("kind") not in CampaignKind.values:
        errors["kind"] = "请选择行动类别。"
    if data.get("status", CampaignStatus.ONGOING) not in CampaignStatus.values:
        errors["status"] = "状态不正确。"
    start, end = data.get("start_on"), data.get("end_on")
    if not isinstance(start, dt.date):
        errors["start_on"] = "请填写开始日期。"
    elif isinstance(end, dt.date) and end < start:
        errors["end_on"] = f"结束日期不能早于开始日期（{start:%Y-%m-%d}）。"
    place = data.get("jurisdiction")
    if not isinstance(place, Node) or place.level not in ("county", "township"):
        errors["jurisdiction"] = "专项行动的范围须为全区或一个乡镇（街道）。"
    elif actor is not None and not Node.objects.visible_to(actor).filter(pk=place.pk).exists():
        errors["jurisdiction"] = "所选范围不在您的管辖范围内。"
    dept = data.get("lead_department")
    if dept is not None and (not isinstance(dept, Department) or (
            actor is not None and not Department.objects.visible_to(actor).filter(pk=dept.pk).exists())):
        errors["lead_department"] = "所选牵头单位不存在或不在您的管辖范围内。"
    return errors


def _clean_campaign(data: dict) -> dict:
    data = {k: v for k, v in data.items() if k in CAMPAIGN_FIELDS}
    for key in ("name", "goals"):
        if key in data:
            data[key] = clean_text(data[key] or "")
    return data


def campaign_create(*, actor: Any, data: dict) -> Campaign:
    """Set up a campaign (the district's or one township's)."""
    if actor is not None and not actor.can("campaigns.manage"):
        _refuse(actor, "campaign.create", "您的角色不能设立专项行动。")
    data = _clean_campaign(data)
    data.setdefault("status", CampaignStatus.ONGOING)
    errors = _check_campaign(actor, data)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return model_create(actor=actor, model=Campaign, action="campaign.create", data=data)


def campaign_update(*, actor: Any, instance: Campaign, data: dict) -> Campaign:
    """Change a campaign (before/after audited; the same values write nothing)."""
    if actor is not None and not actor.can("campaigns.manage"):
        _refuse(actor, "campaign.update", "您的角色不能修改专项行动。", instance)
    if actor is not None and not Campaign.objects.visible_to(actor).filter(pk=instance.pk,
                                                                           jurisdiction__path__startswith=actor.scope_path).exists():
        _refuse(actor, "campaign.update", "只有设立该专项行动的一级可以修改它。", instance)
    data = _clean_campaign(data)
    merged = {name: getattr(instance, name) for name in CAMPAIGN_FIELDS} | data
    errors = _check_campaign(actor, merged)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        model_update(actor=actor, instance=instance, data=data, action="campaign.update")
    return instance


# --- clues -------------------------------------------------------------------------------------------------
def _check_clue(actor: Any, data: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    campaign = data.get("campaign")
    if not isinstance(campaign, Campaign) or (
            actor is not None and not Campaign.objects.visible_to(actor).filter(pk=campaign.pk).exists()):
        errors["campaign"] = "所选专项行动不存在或不在您的管辖范围内。"
    place = data.get("jurisdiction")
    if not isinstance(place, Node) or place.level not in CLUE_PLACE_LEVELS:
        errors["jurisdiction"] = "请选择线索涉及的村(社区)。"
    elif actor is not None and not Node.objects.visible_to(actor).filter(pk=place.pk).exists():
        errors["jurisdiction"] = "所选村(社区)不在您的管辖范围内。"
    elif isinstance(campaign, Campaign) and not place.path.startswith(campaign.jurisdiction.path):
        errors["jurisdiction"] = f"该村(社区)不在专项行动“{campaign.name}”的范围内。"
    received = data.get("received_on")
    if not isinstance(received, dt.date):
        errors["received_on"] = "请填写受理日期。"
    elif received > timezone.localdate():
        errors["received_on"] = "受理日期不能晚于今天。"
    elif isinstance(campaign, Campaign) and received < campaign.start_on:
        errors["received_on"] = f"受理日期不能早于专项行动开始日期（{campaign.start_on:%Y-%m-%d}）。"
    if data.get("source") not in ClueSource.values:
        errors["source"] = "请选择线索来源。"
    if not data.get("summary"):
        errors["summary"] = "请填写线索内容。"
    if data.get("anonymous"):
        data["reporter_name"] = data["reporter_phone"] = ""
    if data.get("reporter_phone"):
        try:
            data["reporter_phone"] = parse_phone(data["reporter_phone"])
        except ValidationError as exc:
            errors["reporter_phone"] = exc.messages[0]
    return errors


def clue_register(*, actor: Any, data: dict, number: str | None = None) -> Clue:
    """受理: validate, then register through the case layer (one transaction: the number XS + township + 受理日期 +
    sequence, the state 已受理, the due moment — 15 working days for verification — the audit entry with the
    reporter's name and phone redacted, the 登记 log row)."""
    if actor is not None and not actor.can("campaigns.register_clue"):
        _refuse(actor, "clue.create", "您的角色不能受理专项行动线索。")
    data = {k: v for k, v in data.items() if k in CLUE_FIELDS}
    for key in ("reporter_name", "reporter_phone", "summary", "involved"):
        data[key] = clean_text(data.get(key) or "")
    data["anonymous"] = bool(data.get("anonymous"))
    errors = _check_clue(actor, data)
    if errors:
        raise ValidationError(errors)
    clue = Clue(**data, registered_by=actor if getattr(actor, "pk", None) else None, number=number or "")
    return engine.case_register(actor=actor, case=clue, at=data["received_on"])


# --- tags --------------------------------------------------------------------------------------------------
def taggable_models() -> list[type]:
    """Every case kind but the clues themselves: events, hazards, and disputes, petitions … as their apps
    register their kinds (nothing here changes when they do)."""
    from django.apps import apps

    return [apps.get_model(k.label) for k in kinds() if k.label != "campaigns.clue"]


def find_case(actor: Any, number: str) -> Any | None:
    """The case numbered `number` among those the actor may see (any taggable kind), or None."""
    number = clean_text(number).upper()
    if not number or len(number) > 40:
        return None
    for model in taggable_models():
        if not any(f.name == "number" for f in model._meta.concrete_fields):
            continue
        found = model.objects.visible_to(actor).filter(number=number).first()
        if found is not None:
            return found
    return None


def campaign_tag_add(*, actor: Any, campaign: Campaign, obj: Any) -> CampaignTag:
    """加入专项行动: tag a matter the actor may see to a campaign the actor may see."""
    if actor is not None and not actor.can("campaigns.tag"):
        _refuse(actor, "campaigntag.create", "您的角色不能把事项加入专项行动。", campaign)
    model = type(obj)
    if model not in taggable_models():
        raise ValidationError({"number": "只有事件、隐患、纠纷、信访等事项可以加入专项行动。"})
    if actor is not None and (not Campaign.objects.visible_to(actor).filter(pk=campaign.pk).exists()
                              or not model.objects.visible_to(actor).filter(pk=obj.pk).exists()):
        raise ValidationError({"number": "找不到该事项，或不在您的管辖范围内。"})
    if not obj.jurisdiction.path.startswith(campaign.jurisdiction.path):
        raise ValidationError({"number": f"该事项不在专项行动“{campaign.name}”的范围内。"})
    ct = ContentType.objects.get_for_model(model)
    if CampaignTag.objects.filter(campaign=campaign, content_type=ct, object_id=obj.pk).exists():
        raise ValidationError({"number": f"{obj} 已加入此专项行动。"})
    try:
        with transaction.atomic():
            tag = CampaignTag.objects.create(campaign=campaign, content_type=ct, object_id=obj.pk,
                                             jurisdiction=obj.jurisdiction,
                                             tagged_by=actor if getattr(actor, "pk", None) else None)
            audit.record(actor=actor, action="campaigntag.create", obj=tag,
                         changes={"after": {"campaign": campaign.pk, "object": f"{model._meta.label_lower}:{obj.pk}",
                                            "number": str(obj)}},
                         detail=f"{obj} 加入专项行动“{campaign.name}”")
    except IntegrityError:
        raise ValidationError({"number": f"{obj} 已加入此专项行动。"}) from None
    return tag


def campaign_tag_remove(*, actor: Any, tag: CampaignTag) -> None:
    """Take a matter out of a campaign (audited)."""
    if actor is not None and not actor.can("campaigns.tag"):
        _refuse(actor, "campaigntag.delete", "您的角色不能调整专项行动的关联事项。", tag)
    if actor is not None and not CampaignTag.objects.visible_to(actor).filter(pk=tag.pk).exists():
        raise ValidationError("找不到该关联事项，或不在您的管辖范围内。")
    with transaction.atomic():
        audit.record(actor=actor, action="campaigntag.delete", obj=tag,
                     changes={"before": {"campaign": tag.campaign_id, "object_id": tag.object_id}})
        tag.delete()
