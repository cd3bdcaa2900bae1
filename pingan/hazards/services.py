"""Writes of the hazard register: registration and every workflow step (through the case engine)."""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pingan.accounts.models import Department
from pingan.core import audit
from pingan.core.uploads import clean_images
from pingan.cases import engine
from pingan.geo.choices import Level
from pingan.geo.models import Node

from .choices import HazardType, RiskLevel
from .models import Hazard

PLACE_LEVELS = (Level.VILLAGE, Level.COMMUNITY, Level.GRID)
REGISTER_FIELDS = (
    "jurisdiction", "screened_on", "hazard_type", "risk_level", "description", "location", "latitude", "longitude",
    "responsible_department", "responsible_unit_name", "responsible_person", "responsible_phone",
    "rectify_deadline", "measures",
)


def _check_register(actor: Any, data: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    today = timezone.localdate()
    place = data.get("jurisdiction")
    if not isinstance(place, Node):
        errors["jurisdiction"] = "请选择隐患所在的村(社区)或网格。"
    elif place.level not in PLACE_LEVELS:
        errors["jurisdiction"] = "隐患须登记到村(社区)或网格。"
    elif not Node.objects.visible_to(actor).filter(pk=place.pk).exists():
        errors["jurisdiction"] = "所选地点不在您的管辖范围内。"
    screened = data.get("screened_on")
    if not isinstance(screened, dt.date):
        errors["screened_on"] = "请填写排查日期。"
    elif screened > today:
        errors["screened_on"] = "排查日期不能晚于今天。"
    deadline = data.get("rectify_deadline")
    if deadline is not None and not isinstance(deadline, dt.date):
        errors["rectify_deadline"] = "整治期限格式不正确。"
    elif isinstance(deadline, dt.date) and isinstance(screened, dt.date) and deadline < screened:
        errors["rectify_deadline"] = f"整治期限不能早于排查日期（{screened:%Y-%m-%d}）。"
    if data.get("hazard_type") not in HazardType.values:
        errors["hazard_type"] = "请选择隐患类型。"
    if data.get("risk_level") not in RiskLevel.values:
        errors["risk_level"] = "请选择风险等级（高、中、低）。"
    if not (data.get("description") or "").strip():
        errors["description"] = "请填写隐患描述。"
    dept = data.get("responsible_department")
    if dept is not None:
        if not isinstance(dept, Department) or not Department.objects.visible_to(actor).filter(pk=dept.pk).exists():
            errors["responsible_department"] = "所选整治责任单位不存在或不在您的管辖范围内。"
    if (data.get("latitude") is None) != (data.get("longitude") is None):
        errors["latitude"] = "经纬度须同时填写或同时留空。"
    return errors


def hazard_register(*, actor: Any, data: dict, photos: Iterable[Any] = (), number: str | None = None) -> Hazard:
    """排查登记: validate, then register through the case layer (one transaction: the number YH + township +
    排查日期 + sequence, the state, the due moment — the end of 整治期限 when given, else of the date the
    risk level's working days give from screening — the audit entry, the 登记 log row and its photos)."""
    if actor is not None and not actor.can("hazards.register"):
        audit.record(actor=actor, action="hazard.create", outcome="failure", detail="无权登记风险隐患")
        raise PermissionDenied("您的角色不能登记风险隐患。")
    data = {k: v for k, v in data.items() if k in REGISTER_FIELDS}
    for key in ("description", "location", "responsible_unit_name", "responsible_person", "responsible_phone",
                "measures"):
        data[key] = (data.get(key) or "").strip()
    errors = _check_register(actor, data) if actor is not None else {}
    try:
        checked = clean_images(photos)
    except ValidationError as exc:
        errors["photos"] = "；".join(exc.message_dict["photos"])
        checked = []
    if errors:
        raise ValidationError(errors)
    if data.get("responsible_department") and not data["responsible_unit_name"]:
        data["responsible_unit_name"] = data["responsible_department"].name
    hazard = Hazard(**data, reported_by=actor if getattr(actor, "pk", None) else None, number=number or "")
    return engine.case_register(actor=actor, case=hazard, photos=checked, at=data["screened_on"])

