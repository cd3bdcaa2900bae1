"""交办清单 (lists of petitions assigned from above): create, attach petitions, progress, report back once.

    list_create(*, actor, data) -> AssignedList
    list_attach(*, actor, assigned_list, petitions) -> int          (petitions become 上级交办 of the list)
    list_progress(assigned_list, today=None, petitions=None) -> dict   (total, finished, percent, overdue items)
    list_items(assigned_list, today=None, petitions=None) -> list[dict]  (each item's state, due day, overdue)
    list_report(*, actor, assigned_list, text, reason="", reported_on=None) -> AssignedList

An item is finished in the indicators' sense (已办结/已化解/已稳控 and the reviews answered after them). An
item is overdue when unfinished past the list's deadline or its own 办结期限, whichever is earlier. The list
is reported back once (报告日期, 报告内容); while items are unfinished a reason must be given, and it is written
into the report. The .docx 交办事项办理情况报告 (document `petitions.list_report`) lists every item's result.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from pingan.core import audit, personal
from pingan.documents.blocks import Para, Signatures, Table, Title
from pingan.documents.context import cn_date
from pingan.documents.registry import DocumentType, register_document
from pingan.geo.models import Node

from . import choices as c
from .models import AssignedList, Petition

LIST_FIELDS = ("title", "assigning_body", "level", "received_on", "deadline", "report_requirement")
MAX_ATTACH = 500


def _today() -> dt.date:
    return timezone.localdate()


def _require(actor: Any, action: str, obj: Any = None) -> None:
    if not actor.can("petitions.decide"):
        audit.record(actor=actor, action=action, obj=obj, outcome="failure", detail="无权维护交办清单")
        raise PermissionDenied("您的角色不能维护交办清单。")


def _visible(actor: Any, assigned_list: AssignedList, action: str) -> AssignedList:
    found = AssignedList.objects.visible_to(actor).filter(pk=getattr(assigned_list, "pk", None)).first()
    if found is None:
        audit.record(actor=actor, action=action, outcome="failure", detail="交办清单不在管辖范围内")
        raise PermissionDenied("此交办清单不存在或不在您的管辖范围内。")
    return found


def list_create(*, actor: Any, data: dict) -> AssignedList:
    """A new list received from 省/市/区 (petitions.decide): title, assigning body, level, received and deadline
    days (the deadline not before the day received), report requirement. The place is the actor's own scope
    unless `jurisdiction` (a place in scope) is given."""
    _require(actor, "assignedlist.create")
    errors: dict[str, str] = {}
    clean = {k: personal.clean_text(data.get(k)) if isinstance(data.get(k), str) or data.get(k) is None
             else data.get(k) for k in LIST_FIELDS}
    if not clean["title"]:
        errors["title"] = "请填写清单名称。"
    elif len(clean["title"]) > 100:
        errors["title"] = "清单名称不能超过 100 字。"
    if not clean["assigning_body"]:
        errors["assigning_body"] = "请填写交办单位。"
    elif len(clean["assigning_body"]) > 100:
        errors["assigning_body"] = "交办单位不能超过 100 字。"
    if clean["level"] not in c.ListLevel.values:
        errors["level"] = "交办层级只能是省、市或区。"
    for name, label in (("received_on", "接收日期"), ("deadline", "办理期限")):
        value = clean[name]
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            errors[name] = f"请填写{label}。"
    if "received_on" not in errors and clean["received_on"] > _today():
        errors["received_on"] = "接收日期不能晚于今天。"
    if not errors.keys() & {"received_on", "deadline"} and clean["deadline"] < clean["received_on"]:
        errors["deadline"] = "办理期限不能早于接收日期。"
    if len(clean["report_requirement"] or "") > 2000:
        errors["report_requirement"] = "报告要求不能超过 2000 字。"
    place = data.get("jurisdiction") or getattr(actor, "scope", None)
    if not isinstance(place, Node) or not Node.objects.visible_to(actor).filter(pk=place.pk).exists():
        errors["jurisdiction"] = "所选单位不存在或不在您的管辖范围内。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        item = AssignedList(jurisdiction=place, created_by=actor if getattr(actor, "pk", None) else None, **clean)
        item.full_clean()
        item.save()
        audit.record(actor=actor, action="assignedlist.create", obj=item, changes={"after": audit.snapshot(item)})
    return item


def list_attach(*, actor: Any, assigned_list: AssignedList, petitions: Iterable[Petition]) -> int:
    """Put petitions (visible to the actor, not in another list) on the list: 来源 上级交办, 交办单位 the
    list's. All or nothing; returns how many were attached."""
    _require(actor, "assignedlist.attach", assigned_list)
    assigned_list = _visible(actor, assigned_list, "assignedlist.attach")
    if assigned_list.reported_on:
        raise ValidationError({"petitions": "此交办清单已报告办理情况，不能再添加事项。"})
    pks = [p.pk for p in petitions]
    if not pks:
        raise ValidationError({"petitions": "请选择要列入清单的信访事项。"})
    if len(pks) > MAX_ATTACH:
        raise ValidationError({"petitions": f"一次最多添加 {MAX_ATTACH} 件。"})
    rows = {p.pk: p for p in Petition.objects.visible_to(actor).filter(pk__in=pks)}
    missing = [str(pk) for pk in pks if pk not in rows]
    if missing:
        raise ValidationError({"petitions": "所选信访事项不存在或不在您的管辖范围内。"})
    other = [p.number for p in rows.values() if p.assigned_list_id and p.assigned_list_id != assigned_list.pk]
    if other:
        raise ValidationError({"petitions": f"信访事项 {'、'.join(other[:5])} 已在其他交办清单中。"})
    with transaction.atomic():
        Petition.objects.filter(pk__in=list(rows)).update(assigned_list=assigned_list, source=c.Source.ASSIGNED,
                                                          assigning_body=assigned_list.assigning_body)
        for p in rows.values():
            audit.record(actor=actor, action="petition.list_attach", obj=p,
                         changes={"assigned_list": [p.assigned_list_id, assigned_list.pk],
                                  "source": [p.source, c.Source.ASSIGNED]})
    return len(rows)


def _finished(p: Petition) -> bool:
    return p.state in c.FINISHED_STATES


def _due(p: Petition, assigned_list: AssignedList) -> dt.date:
    days = [assigned_list.deadline] + [d for d in (p.handling_due_on, p.forward_due_on if p.state ==
                                                  c.PetitionState.REGISTERED else None) if d]
    return min(days)


def list_items(assigned_list: AssignedList, today: dt.date | None = None, petitions=None) -> list[dict]:
    """Each item: the petition, its state label, due day, whether finished and whether overdue (days)."""
    today = today or _today()
    rows = petitions if petitions is not None else assigned_list.petitions.order_by("registered_on", "pk")
    out = []
    for p in rows:
        due = _due(p, assigned_list)
        done = _finished(p)
        late = (today - due).days if not done and today > due else 0
        out.append({"petition": p, "state": p.get_state_display(), "due": due, "finished": done, "overdue_days": late,
                    "result": (p.result_note or p.opinion_reasons or "").strip()})
    return out


def list_progress(assigned_list: AssignedList, today: dt.date | None = None, petitions=None) -> dict:
    """total, finished, percent (finished ÷ total, whole per cent rounded down; 0 for an empty list), overdue.
    `petitions`: the list's items already fetched (a prefetch, so a page of lists costs one query)."""
    items = list_items(assigned_list, today, petitions=petitions)
    total = len(items)
    finished = sum(1 for i in items if i["finished"])
    return {"total": total, "finished": finished, "percent": (finished * 100 // total) if total else 0,
            "overdue": sum(1 for i in items if i["overdue_days"]), "items": items}


def list_report(*, actor: Any, assigned_list: AssignedList, text: str, reason: str = "",
                reported_on: dt.date | None = None) -> AssignedList:
    """报告办理情况, once per list: refused while items are unfinished unless `reason` says why (it is written
    into the report); stamps reported_on (today by default, not before the day received, not in the future) and
    report_text."""
    _require(actor, "assignedlist.report", assigned_list)
    assigned_list = _visible(actor, assigned_list, "assignedlist.report")
    text, reason = personal.clean_text(text), personal.clean_text(reason)
    reported_on = reported_on or _today()
    errors: dict[str, str] = {}
    if assigned_list.reported_on:
        errors["__all__"] = f"此交办清单已于 {assigned_list.reported_on:%Y-%m-%d} 报告办理情况，不能重复报告。"
    if not text:
        errors["report_text"] = "请填写报告内容。"
    elif len(text) + len(reason) > 7800:
        errors["report_text"] = "报告内容不能超过 7800 字。"
    if not isinstance(reported_on, dt.date) or isinstance(reported_on, dt.datetime) or reported_on > _today():
        errors["reported_on"] = "报告日期不能晚于今天。"
    elif reported_on < assigned_list.received_on:
        errors["reported_on"] = f"报告日期不能早于接收日期（{assigned_list.received_on:%Y-%m-%d}）。"
    progress = list_progress(assigned_list)
    unfinished = progress["total"] - progress["finished"]
    if progress["total"] == 0:
        errors.setdefault("__all__", "清单中还没有信访事项，不能报告。")
    elif unfinished and not reason:
        errors["reason"] = f"清单中还有 {unfinished} 件未办结，请写明未办结的原因后再报告。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = AssignedList.objects.select_for_update().get(pk=assigned_list.pk)
        if locked.reported_on:
            raise ValidationError({"__all__": "此交办清单已报告办理情况，不能重复报告。"})
        locked.reported_on = reported_on
        locked.report_text = text + (f"\n未办结 {unfinished} 件的原因：{reason}" if unfinished else "")
        locked.save(update_fields=["reported_on", "report_text"])
        audit.record(actor=actor, action="assignedlist.report", obj=locked,
                     changes={"reported_on": [None, str(reported_on)], "report_text": ["", locked.report_text]})
    return locked


def _report_context(assigned_list, user, full):
    progress = list_progress(assigned_list)
    rows = [{"number": i["petition"].number, "registered_on": cn_date(i["petition"].registered_on),
             "state": i["state"], "due": cn_date(i["due"]), "result": i["result"] or "—"} for i in progress["items"]]
    return {"title": assigned_list.title, "assigning_body": assigned_list.assigning_body,
            "level": assigned_list.get_level_display(), "received_on": cn_date(assigned_list.received_on),
            "deadline": cn_date(assigned_list.deadline), "total": progress["total"], "finished": progress["finished"],
            "percent": progress["percent"], "rows": rows, "report_text": assigned_list.report_text or "",
            "reported_on": cn_date(assigned_list.reported_on) if assigned_list.reported_on else cn_date(_today())}


register_document(DocumentType(
    key="petitions.list_report",
    title="交办事项办理情况报告",
    model="petitions.assignedlist",
    body=(
        Title("交办事项办理情况报告"),
        Para("{{ assigning_body }}：", indent=False),
        Para("{{ received_on }}收到贵单位交办的《{{ title }}》（{{ level }}级交办，办理期限{{ deadline }}），共 {{ total }} 件。"
             "现已办结 {{ finished }} 件，办结率 {{ percent }}%。各事项办理情况如下："),
        Table((("编号", "row.number"), ("登记日期", "row.registered_on"), ("办理状态", "row.state"), ("办理期限", "row.due"),
               ("办理结果", "row.result")), rows="rows"),
        Para("{{ report_text }}"),
        Signatures(["区信访局（区综治中心）"]),
        Para("{{ reported_on }}", align="right", indent=False),
    ),
    context=_report_context,
    filename=lambda a: f"交办事项办理情况报告-{a.pk}.docx",
    variables={"title": "清单名称", "assigning_body": "交办单位", "level": "交办层级", "received_on": "接收日期",
               "deadline": "办理期限", "total": "事项数", "finished": "已办结数", "percent": "办结率",
               "report_text": "报告内容", "reported_on": "报告日期"},
))
