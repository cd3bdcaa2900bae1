"""Writes of the crime statistics: one month's count (upsert), one township-month's grid of counts, and the
configuration of which categories count as 八类. Each runs in one transaction, validates first and audits."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from pingan.core import audit
from pingan.core.services import model_create, model_update
from pingan.geo.models import Node

from .access import may_configure, may_enter
from .choices import MAX_COUNT, PRESETS
from .models import CrimeCategory, CrimeCount
from .months import parse_month, this_month


def _refuse(actor: Any, action: str, message: str) -> None:
    audit.record(actor=actor, action=action, outcome="failure", detail=message)
    raise PermissionDenied(message)


def check_month(value: Any) -> tuple[dt.date | None, str]:
    """(month, "") or (None, the Chinese reason)."""
    try:
        month = parse_month(value)
    except (ValueError, TypeError) as exc:
        return None, str(exc) if isinstance(exc, ValueError) else "月份格式不正确，应为 YYYY-MM"
    if month > this_month():
        return None, f"月份 {month:%Y-%m} 还未到，不能填报未来月份的立案数"
    return month, ""


def check_count(value: Any) -> tuple[int | None, str]:
    if isinstance(value, bool) or value is None or value == "":
        return None, "立案数须为不小于 0 的整数"
    if isinstance(value, str):
        from pingan.core.personal import clean_text

        text = clean_text(value)
        if not text.lstrip("-").isdigit() or not text.isascii():
            return None, f"立案数“{text[:20]}”不是整数"
        value = int(text)
    if isinstance(value, float):
        if not value.is_integer():
            return None, "立案数须为整数"
        value = int(value)
    if not isinstance(value, int):
        return None, "立案数须为整数"
    if value < 0:
        return None, "立案数不能为负数"
    if value > MAX_COUNT:
        return None, f"立案数不能大于 {MAX_COUNT}"
    return value, ""


def check_township(actor: Any, township: Any) -> str:
    if not isinstance(township, Node):
        return "请选择乡镇（街道）"
    if township.level != "township":
        return "立案数按乡镇（街道）统计，请选择乡镇"
    if actor is not None and not Node.objects.visible_to(actor).filter(pk=township.pk).exists():
        return "所选乡镇不在您的管辖范围内"
    return ""


def _write(actor: Any, month: dt.date, township: Node, category: CrimeCategory, count: int, source: str):
    existing = CrimeCount.objects.filter(month=month, jurisdiction=township, category=category).first()
    entered_by = actor if getattr(actor, "pk", None) else None
    if existing is None:
        return model_create(actor=actor, model=CrimeCount, action="crimecount.create", data={
            "month": month, "jurisdiction": township, "category": category, "count": count,
            "source": source, "entered_by": entered_by}), "created"
    data = {"count": count}
    if source and source != existing.source:
        data["source"] = source
    _, changes = model_update(actor=actor, instance=existing, data=data, action="crimecount.update")
    if changes and entered_by is not None and existing.entered_by_id != entered_by.pk:
        existing.entered_by = entered_by
        existing.save(update_fields=["entered_by", "updated_at"])
    return existing, "updated" if changes else "unchanged"


def crime_count_set(*, actor: Any, month: Any, township: Any, category: Any, count: Any,
                    source: str = "") -> tuple[CrimeCount, str]:
    """Set the 立案数 of one category in one township and month (created, or updated with before/after in the
    audit entry; the same value again writes nothing). Returns (count row, "created" | "updated" | "unchanged")."""
    if actor is not None and not may_enter(actor):
        _refuse(actor, "crimecount.create", "您的角色不能填报刑事案件统计。")
    errors: dict[str, str] = {}
    month_value, reason = check_month(month)
    if reason:
        errors["month"] = reason
    reason = check_township(actor, township)
    if reason:
        errors["township"] = reason
    if not isinstance(category, CrimeCategory) or not category.is_active:
        errors["category"] = "案件类别不在类别表中"
    value, reason = check_count(count)
    if reason:
        errors["count"] = reason
    source = (source or "").strip()
    if len(source) > 200:
        errors["source"] = "数据来源不能超过 200 字"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return _write(actor, month_value, township, category, value, source)


def crime_counts_set(*, actor: Any, month: Any, township: Any, counts: dict[Any, Any],
                     source: str = "") -> int:
    """One township's month, every category at once (the entry grid): all values are checked before anything
    is written; an empty value leaves the category as it is. Returns how many rows changed."""
    if actor is not None and not may_enter(actor):
        _refuse(actor, "crimecount.create", "您的角色不能填报刑事案件统计。")
    errors: dict[str, str] = {}
    month_value, reason = check_month(month)
    if reason:
        errors["month"] = reason
    reason = check_township(actor, township)
    if reason:
        errors["township"] = reason
    values: dict[CrimeCategory, int] = {}
    for category, raw in counts.items():
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        value, reason = check_count(raw)
        if reason:
            errors[f"count_{category.code}"] = f"{category.name}：{reason}"
        else:
            values[category] = value
    if errors:
        raise ValidationError(errors)
    changed = 0
    with transaction.atomic():
        for category, value in values.items():
            _, outcome = _write(actor, month_value, township, category, value, (source or "").strip()[:200])
            changed += outcome != "unchanged"
    return changed


def crime_categories_set_serious(*, actor: Any, codes: set[str], reason: str = "") -> list[str]:
    """Set which categories count as 八类 (the others are cleared); audited per changed category.
    Returns the names of the categories that changed."""
    if actor is not None and not may_configure(actor):
        _refuse(actor, "crimecategory.update", "您的角色不能修改八类案件口径。")
    known = set(CrimeCategory.objects.values_list("code", flat=True))
    unknown = set(codes) - known
    if unknown:
        raise ValidationError({"serious": f"案件类别不在类别表中：{'、'.join(sorted(unknown))}"})
    changed = []
    with transaction.atomic():
        for category in CrimeCategory.objects.select_for_update().order_by("order", "code"):
            want = category.code in codes
            if category.serious != want:
                model_update(actor=actor, instance=category, data={"serious": want}, action="crimecategory.update")
                changed.append(category.name)
    return changed


def crime_categories_apply_preset(*, actor: Any, preset: str) -> list[str]:
    """Apply one of the two lists in one step: 公安统计口径 (default) or 刑法第十七条口径."""
    if preset not in PRESETS:
        raise ValidationError({"preset": "口径不正确，应为公安统计口径或刑法第十七条口径"})
    return crime_categories_set_serious(actor=actor, codes=set(PRESETS[preset][1]))
