"""The audit trail as a person reads it: Chinese labels for action codes, channels and object types, and an
entry's changes as rows of (field label, before, after) with choice labels, 是/否 and — for empty.

Entries are stored with codes (`person.register`, `{"is_pilot": [false, true]}`) so they can be filtered and
kept stable; pages show only what this module makes of them. Personal fields are redacted again at read time
(`audit.redact`), so entries written before redaction existed never show plaintext on a page.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone

from . import audit, registry

EMPTY = "—"

# ---------------------------------------------------------------------------------------------- actions
# Every action the code writes, by its code. A code missing here still reads as Chinese through the noun and
# verb tables below (see action_label), so a new service never puts a raw code on a page.
ACTION_LABELS: dict[str, str] = {
    # accounts and sign-in
    "login": "登录",
    "login.password": "登录（密码正确，待动态验证码）",
    "logout": "退出登录",
    "permission_denied": "越权操作被拒绝",
    "account.create": "新建账号",
    "account.update": "修改账号",
    "account.password_change": "修改密码",
    "account.password_reset": "重置密码",
    "account.unlock": "解除账号锁定",
    "account.security_update": "修改账号安全设置",
    "api_token.issue": "签发接口令牌",
    "api_token.revoke": "吊销接口令牌",
    "second_factor.enrol": "启用动态验证码",
    "second_factor.verify": "校验动态验证码",
    "second_factor.disable": "停用动态验证码",
    "second_factor.reset": "重置动态验证码",
    "second_factor.recovery_codes": "生成备用验证码",
    "department.create": "新建部门",
    "department.update": "修改部门",
    # jurisdictions
    "jurisdiction.create": "新建辖区节点",
    "jurisdiction.update": "修改辖区节点",
    "jurisdiction.move": "调整辖区隶属",
    "jurisdiction.set_pilot": "设置试点",
    "jurisdiction.set_location": "设置辖区位置",
    "jurisdiction.assign_staff": "配备辖区工作人员",
    "liaison_point.create": "新建治安联络点",
    "liaison_point.update": "修改治安联络点",
    "liaison_point.import": "导入治安联络点",
    # people
    "person.register": "登记实有人口",
    "person.update": "修改实有人口信息",
    "person.deregister": "注销实有人口",
    "person.import": "导入实有人口台账",
    "person.seed": "生成演示数据（实有人口）",
    "person.lookup": "按证件号码精确查找",
    "household.create": "新建户",
    "household.add_member": "添加户成员",
    "household.set_head": "设置户主",
    "rental_house.register": "登记出租房屋",
    "rental_house.add_tenant": "登记租住人员",
    "special_person.enroll": "列管特殊人群",
    "special_person.update": "修改列管信息",
    "special_person.release": "解除列管",
    "special_person.replan": "调整走访计划",
    "special_person.set_responsible": "指定责任人",
    "special_person.visited": "更新走访情况",
    "special_person.detail_create": "登记专项信息",
    "special_person.detail_update": "修改专项信息",
    "special_person.import": "导入特殊人群台账",
    "special_person.seed": "生成演示数据（特殊人群）",
    "visit.record": "记录走访",
    "treatment.record": "记录住院治疗",
    "visit_rule.create": "新建走访规则",
    "visit_rule.update": "修改走访规则",
    "fund.create": "新建专项资金",
    "fund.spend": "登记资金支出",
    # events
    "events.event.report": "上报事件",
    "events.event.seed": "生成演示数据（事件）",
    "event.import": "导入事件台账",
    "event.evaluate": "评价办理结果",
    "event.register": "受理立案",
    "event.reject": "不予立案",
    "event.duplicate": "标记为重复件",
    "event.dispatch": "派遣事件",
    "event.accept": "签收事件",
    "event.return": "退回中心",
    "event.feedback": "反馈处置结果",
    "event.close": "核查通过，结案",
    "event.send_back": "核查不通过，退回重办",
    "event.reopen": "重新办理事件",
    "events.category.create": "新建事件类别",
    "events.category.update": "修改事件类别",
    "events.category_field.create": "新建类别字段",
    "events.category_field.update": "修改类别字段",
    "events.category_field.delete": "删除类别字段",
    "events.rule.create": "新建派遣规则",
    "events.rule.update": "修改派遣规则",
    "events.rule.delete": "删除派遣规则",
    "events.open311_key.issue": "签发开放接口密钥",
    "events.open311_key.revoke": "吊销开放接口密钥",
    # hazards
    "hazard.register": "登记风险隐患",
    "hazard.import": "导入风险隐患台账",
    "hazard.seed_state": "生成演示数据（风险隐患）",
    "hazard.start": "开始整治隐患",
    "hazard.complete": "整治完成，提请验收",
    "hazard.accept": "隐患验收通过",
    "hazard.send_back": "退回重新整治",
    # workflow, calendar, ledgers, jobs, statistics
    "workflow_rule.set": "设置流程规则",
    "calendar_day.create": "设置节假日",
    "calendar_day.update": "修改节假日",
    "calendar_day.save": "设置节假日",
    "calendar_day.delete": "删除节假日",
    "ledger.export": "导出台账",
    "ledger.import": "导入台账",
    "job.create": "提交后台任务",
    "job.approve": "审批同意导出",
    "job.reject": "审批不同意导出",
    "job.download": "下载任务文件",
    "analytics.stats": "查询统计指标",
}

# What a refused or failed attempt is called, where "失败" beside the plain label would read oddly.
FAILURE_LABELS: dict[str, str] = {
    "login": "登录失败",
    "second_factor.verify": "动态验证码错误",
}

# The last part of a code: what was done. Case actions (`event.supervise`) and workflow steps are here too.
VERBS: dict[str, str] = {
    "create": "新建", "update": "修改", "delete": "删除", "save": "保存", "set": "设置",
    "import": "导入", "export": "导出", "register": "登记", "deregister": "注销", "reveal": "查看完整信息",
    "seed": "生成演示数据", "seed_state": "生成演示数据", "issue": "签发", "revoke": "吊销",
    "approve": "审批同意", "reject": "驳回", "download": "下载", "lookup": "精确查找", "move": "移动",
    "enroll": "列管", "release": "解除列管", "record": "记录", "report": "上报", "dispatch": "派遣",
    "accept": "签收", "start": "开始办理", "complete": "办理完成", "send_back": "退回重办",
    "feedback": "反馈", "close": "结案", "reopen": "重新办理", "return": "退回", "duplicate": "标记为重复件",
    "evaluate": "评价", "supervise": "督办", "supervision_reply": "答复督办", "extension_request": "申请延期",
    "extension_approve": "同意延期", "extension_refuse": "不同意延期", "extension_decide": "审批延期",
    "visited": "更新走访情况", "replan": "调整计划", "unlock": "解锁", "enrol": "启用", "verify": "校验",
    "disable": "停用", "enable": "启用", "reset": "重置", "add_member": "添加成员", "add_tenant": "添加租住人员",
    "set_head": "设置户主", "set_responsible": "指定责任人", "assign_staff": "配备人员",
    "set_pilot": "设置试点", "set_location": "设置位置", "password_change": "修改密码",
    "password_reset": "重置密码", "security_update": "修改安全设置", "stats": "查询统计",
    "spend": "登记支出", "detail_create": "登记专项信息", "detail_update": "修改专项信息",
    "recovery_codes": "生成备用验证码", "login": "登录", "logout": "退出登录", "password": "密码验证",
    "permission_denied": "越权操作被拒绝", "submit": "提交", "cancel": "撤销", "assign": "分配",
    "close_case": "结案", "rate": "评价",
}

# The first part of a code when it is not a model's name (or the model's own name reads badly).
NOUNS: dict[str, str] = {
    "account": "账号", "ledger": "台账", "api_token": "接口令牌", "second_factor": "动态验证码",
    "jurisdiction": "辖区节点", "liaison_point": "治安联络点", "special_person": "特殊人群",
    "rental_house": "出租房屋", "treatment": "住院治疗", "visit": "走访", "visit_rule": "走访规则",
    "workflow_rule": "流程规则", "calendar_day": "节假日", "category": "事件类别", "category_field": "类别字段",
    "rule": "派遣规则", "open311_key": "开放接口密钥", "analytics": "统计指标", "fund": "专项资金",
    "event": "事件", "hazard": "风险隐患", "person": "实有人口", "node": "辖区节点", "job": "后台任务",
}

# What a reveal showed, by the field named in the entry.
REVEALED: dict[str, str] = {
    "id_number": "证件号码", "phone": "联系电话", "reporter_phone": "报告人电话", "reporter_email": "报告人邮箱",
}

_ASCII_LETTER = re.compile(r"[A-Za-z]")


def _has_ascii(text: str) -> bool:
    return bool(_ASCII_LETTER.search(text or ""))


def model_for(object_type: str) -> type[models.Model] | None:
    """The model an entry's `object_type` ("app_label.model_name") names, or None (ledgers, unknown)."""
    if not object_type or object_type.count(".") != 1:
        return None
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _model_by_name(name: str) -> type[models.Model] | None:
    found = [m for m in apps.get_models() if m._meta.model_name == name.replace("_", "")]
    return found[0] if len(found) == 1 else None


def _noun(parts: list[str]) -> str:
    """The thing a code's leading parts name: `events.category`, `special_person`, `person`."""
    if not parts:
        return ""
    last = parts[-1]
    if last in NOUNS:
        return NOUNS[last]
    model = model_for(".".join(parts[-2:])) if len(parts) >= 2 else None
    model = model or _model_by_name(last)
    if model is not None and not _has_ascii(str(model._meta.verbose_name)):
        return str(model._meta.verbose_name)
    return ""


def _revealed_label(model: type[models.Model] | None, changes: Any) -> str:
    field = changes.get("field") if isinstance(changes, dict) else None
    if not isinstance(field, str) or not field:
        return "查看完整个人信息"
    name = REVEALED.get(field)
    if name is None and model is not None:
        name = _field_label(model, field)
    return f"查看完整{name}" if name else "查看完整个人信息"


def action_label(action: str, *, outcome: str = "success", object_type: str = "", changes: Any = None) -> str:
    """The Chinese name of an action code, never the code itself.

    Known codes come from ACTION_LABELS; a reveal names what was shown; an unknown `noun.verb` reads as the
    verb and the noun (the model's verbose name); a code with no known part reads as 其他操作.
    """
    action = action or ""
    model = model_for(object_type)
    if outcome == "failure" and action in FAILURE_LABELS:
        return FAILURE_LABELS[action]
    if action.endswith(".reveal") or action == "reveal":
        return _revealed_label(model, changes)
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    parts = action.split(".")
    verb_code = parts[-1]
    transition = _transition_label(model, parts)
    if transition:
        return transition
    verb = VERBS.get(verb_code, "")
    noun = _noun(parts[:-1])
    if not noun and model is not None and not _has_ascii(str(model._meta.verbose_name)):
        noun = str(model._meta.verbose_name)
    if verb and noun:
        # A one-word verb joins its noun (新建部门); a phrase keeps the noun aside (同意延期（事件）).
        return f"{verb}{noun}" if len(verb) <= 2 else f"{verb}（{noun}）"
    if verb:
        return verb
    if noun:
        return f"{noun}：其他操作"
    return "其他操作"


def _transition_label(model: type[models.Model] | None, parts: list[str]) -> str:
    """A workflow step not in ACTION_LABELS (a kind added later): its own label, as the case layer registered
    it with `registry.action_label` when the kind was declared."""
    if len(parts) != 2 or model is None or model._meta.model_name != parts[0]:
        return ""
    label = registry.action_labels().get(".".join(parts), "")
    return "" if _has_ascii(label) else label


# --------------------------------------------------------------------------------------------- channels
CHANNELS: dict[str, str] = {
    "web": "网页", "api": "接口", "internal": "系统内部", "job": "后台任务", "command": "命令行",
}
COMMANDS: dict[str, str] = {
    "admin_account": "管理员账号维护", "import_ledger": "导入台账", "export_ledger": "导出台账",
    "seed_demo": "生成演示数据", "load_jurisdictions": "导入辖区", "open311_key": "开放接口密钥",
    "demo_accounts": "演示账号", "stats": "统计指标",
}


def channel_label(channel: str) -> str:
    """Where an entry came from, in Chinese: 网页, 接口, 命令行（导入台账）…"""
    if not channel:
        return EMPTY
    if channel.startswith("cli:"):
        command = COMMANDS.get(channel[4:])
        return f"命令行（{command}）" if command else "命令行"
    return CHANNELS.get(channel, "其他渠道")


def object_type_label(object_type: str) -> str:
    """What kind of object an entry is about: the model's verbose name, 某某台账 for ledgers."""
    if not object_type:
        return ""
    for prefix, labeler in registry.object_type_labelers().items():  # ledgers (registered by their app)
        if object_type.startswith(prefix):
            return labeler(object_type[len(prefix):])
    model = model_for(object_type)
    if model is not None and not _has_ascii(str(model._meta.verbose_name)):
        return str(model._meta.verbose_name)
    return "其他对象"


# ---------------------------------------------------------------------------------------------- changes
# Keys services write that are not fields of the entry's model (ledger exports, jobs, reveals, imports).
COMMON_KEYS: dict[str, str] = {
    "field": "查看的字段", "reason": "理由", "note": "说明", "total": "总行数", "created": "新增",
    "updated": "更新", "skipped": "跳过", "invalid": "有误", "errors": "错误", "rows": "行数", "format": "格式",
    "ledger": "台账", "jurisdiction": "辖区", "place": "地点", "full": "完整证件号码", "approved_by": "审批人",
    "owner": "申请人", "title": "标题", "kind": "类型", "status": "状态", "parameters": "参数", "file": "文件",
    "name": "名称", "path": "辖区路径", "photos": "照片数", "filename": "文件名", "source": "来源",
    "count": "数量", "username": "账号", "role": "角色", "roles": "角色", "scope": "管辖范围", "state": "状态",
    "deadline": "期限", "days": "天数", "until": "截止", "members": "成员", "person": "人员",
    "staff": "工作人员", "department": "部门", "code": "代码", "ip": "地址", "address": "地址",
    "id": "编号", "second_factor": "动态验证码", "token": "令牌", "expires_at": "到期时间", "dry_run": "仅检查",
}
OTHER_KEY = "其他信息"
# Values that are codes themselves: which file of a job was downloaded.
FILES = {"result": "结果文件", "errors": "错误行文件"}


def _own_field(model: type[models.Model], name: str) -> models.Field | None:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return next((f for f in model._meta.concrete_fields if f.attname == name), None)
    return field if getattr(field, "concrete", False) else None


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    """The model's field of that name, else (for a key no service writes as a fact of its own) a linked
    model's: an enrolment's entries carry its detail model's fields."""
    if model is None:
        return None
    field = _own_field(model, name)
    if field is not None or name in COMMON_KEYS:
        return field
    for other in _related_models(model):
        field = _own_field(other, name)
        if field is not None:
            return field
    return None


def _field_label(model: type[models.Model] | None, name: str) -> str:
    field = _field(model, name)
    label = str(getattr(field, "verbose_name", "") or "") if field is not None else ""
    if label and not _has_ascii(label):
        return label
    return COMMON_KEYS.get(name, "")


def key_label(model: type[models.Model] | None, name: str) -> str:
    """A changed key's Chinese label: the model field's verbose name, a known key, or 其他信息."""
    return _field_label(model, name) or OTHER_KEY


def _choice_label(field: models.Field, value: Any) -> str | None:
    for choice, label in getattr(field, "flatchoices", None) or ():
        if str(choice) == str(value):
            return str(label)
    return None


def _datetime_text(value: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d %H:%M")


def value_text(model: type[models.Model] | None, name: str, value: Any) -> str:
    """A stored value as a person reads it: choice labels, 是/否, — for empty, FKs as their id."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    field = _field(model, name)
    if isinstance(value, dict):
        parts = []
        for k, v in value.items():
            label = _field_label(model, k)
            text = value_text(model, k, v)
            parts.append(f"{label}：{text}" if label else text)
        return "；".join(parts) if parts else EMPTY
    if isinstance(value, list):
        return "、".join(value_text(model, name, v) for v in value) or EMPTY
    if field is not None:
        label = _choice_label(field, value)
        if label is not None:
            return label
        if isinstance(field, models.DateTimeField) and isinstance(value, str):
            return _datetime_text(value)
        if isinstance(field, models.ForeignKey):
            return f"#{value}"
    if name == "ledger" and isinstance(value, str) and field is None:
        return object_type_label(f"ledger.{value}")
    if name == "file" and value in FILES:
        return FILES[value]
    if name == "field" and isinstance(value, str):
        return REVEALED.get(value) or _field_label(model, value) or OTHER_KEY
    return str(value)


@dataclass(frozen=True)
class ChangeRow:
    """One line of an entry's changes: `kind` is "change" (before → after), "after" (a new record's value),
    "before" (a deleted record's value) or "value" (a fact recorded with the entry)."""

    label: str
    kind: str
    before: str = ""
    after: str = ""


def _related_models(model: type[models.Model] | None) -> list[type[models.Model]]:
    """Models whose fields a service may record on this model's entries (audit.record's `redact_as`): those
    linked to it by a foreign key or one-to-one, either way (an enrolment's entries carry its details)."""
    if model is None:
        return []
    related = []
    for f in model._meta.get_fields():
        other = getattr(f, "related_model", None)
        if other is not None and other is not model and isinstance(other, type) and other not in related:
            related.append(other)
    return related


def redacted_changes(model: type[models.Model] | None, changes: Any) -> Any:
    """`changes` with personal fields redacted at read time: the model's own by type (audit.redact), and keys
    that are not the model's own fields by the linked models' field types, as redact_as does when writing."""
    changes = audit.redact(model, changes)
    own = {f.name for f in model._meta.concrete_fields} | {f.attname for f in model._meta.concrete_fields} \
        if model is not None else set()
    for other in _related_models(model):
        foreign = {k: v for k, v in audit._redactors(other).items() if k not in own}
        if foreign:
            changes = _redact_keys(changes, foreign)
    return changes


def _redact_keys(value: Any, redactors: dict[str, Any]) -> Any:
    if isinstance(value, dict):
        result = {}
        for k, v in value.items():
            redactor = redactors.get(k)
            if redactor is None or isinstance(v, dict):
                result[k] = _redact_keys(v, redactors)
            elif isinstance(v, list):
                result[k] = [redactor(item) for item in v]
            else:
                result[k] = redactor(v)
        return result
    if isinstance(value, list):
        return [_redact_keys(v, redactors) for v in value]
    return value


def change_rows(object_type: str, changes: Any) -> list[ChangeRow]:
    """An entry's changes, redacted, as rows in the order they were recorded."""
    model = model_for(object_type)
    changes = redacted_changes(model, changes)
    if not isinstance(changes, dict):
        return [ChangeRow(OTHER_KEY, "value", after=value_text(None, "", changes))] if changes else []
    rows: list[ChangeRow] = []
    before = changes.get("before") if isinstance(changes.get("before"), dict) else None
    after = changes.get("after") if isinstance(changes.get("after"), dict) else None
    if before is not None and after is not None:
        for name in list(dict.fromkeys([*before, *after])):
            old, new = before.get(name), after.get(name)
            if old != new:
                rows.append(ChangeRow(key_label(model, name), "change", value_text(model, name, old),
                                      value_text(model, name, new)))
    elif after is not None:
        rows += [ChangeRow(key_label(model, k), "after", after=value_text(model, k, v)) for k, v in after.items()]
    elif before is not None:
        rows += [ChangeRow(key_label(model, k), "before", before=value_text(model, k, v)) for k, v in before.items()]
    for name, value in changes.items():
        if (name == "before" and before is not None) or (name == "after" and after is not None):
            continue
        if isinstance(value, list) and len(value) == 2 and not isinstance(value[0], (list, dict)):
            rows.append(ChangeRow(key_label(model, name), "change", value_text(model, name, value[0]),
                                  value_text(model, name, value[1])))
        else:
            rows.append(ChangeRow(key_label(model, name), "value", after=value_text(model, name, value)))
    return rows


def actions_labelled(text: str) -> list[str]:
    """The action codes whose Chinese label contains `text`, so the auditor can search the log in Chinese."""
    text = (text or "").strip()
    if not text:
        return []
    labels = {**ACTION_LABELS, **FAILURE_LABELS}
    return sorted({code for code, label in labels.items() if text in label})
