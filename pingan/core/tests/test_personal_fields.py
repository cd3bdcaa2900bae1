"""Personal data in the audit trail is redacted by field type, in core, for every model (issue 8 finding 6).

Two nets: every field that looks personal by its name is of a personal-data type (or a masked/derived
companion, or a listed exception with its reason), so a new model cannot add a plaintext phone unnoticed;
and for every model that has such fields, an audit entry written through the one writer records none of
the values in plaintext.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.apps import apps

from pingan.core import audit, personal
from pingan.core.models import AuditEntry

LOOKS_PERSONAL = re.compile(r"phone|id_number|birth|mobile|email|cipher|_hash$")
# Companions that hold only what may be shown: the mask, and the tail searched by roles that may reveal.
SAFE_SUFFIXES = ("_masked", "_tail")
EXCEPTIONS = {
    ("accounts", "department", "phone"): "部门办公电话，对外公开",
    ("geo", "liaisonpoint", "contact_phone"): "联络点对外公布的联系电话",
    ("accounts", "user", "email"): "工作邮箱，仅安全管理员在账号页可见",
    ("events", "open311key", "key_hash"): "接口密钥的摘要，不是个人信息，不在任何页面显示",
    ("events", "event", "lookup_code_hash"): "群众查询码的摘要，不是个人信息，不在任何页面显示",
}
PERSONAL_TYPES = (personal.EncryptedTextField, personal.CipherTextField, personal.LookupHashField,
                  personal.BirthDateField, personal.PhoneField)


def _pingan_models():
    return [m for m in apps.get_models() if m.__module__.startswith("pingan.")]


def test_every_field_that_looks_personal_is_of_a_personal_data_type():
    wrong = []
    for model in _pingan_models():
        for field in model._meta.concrete_fields:
            key = (model._meta.app_label, model._meta.model_name, field.name)
            if not LOOKS_PERSONAL.search(field.name) or field.name.endswith(SAFE_SUFFIXES) or key in EXCEPTIONS:
                continue
            if not isinstance(field, PERSONAL_TYPES):
                wrong.append(f"{model._meta.label}.{field.name} ({type(field).__name__})")
    assert not wrong, "这些字段看起来是个人信息，却不是 core.personal 的个人信息字段类型：" + "、".join(wrong)


def test_each_personal_type_redacts_to_what_may_be_shown():
    assert personal.EncryptedTextField().audit_redact("精神分裂症") == "（已加密）"
    assert personal.CipherTextField().audit_redact("v1.abcdef") == "（已加密）"
    assert personal.LookupHashField().audit_redact("9f" * 32) == "（已加密）"
    assert personal.BirthDateField().audit_redact(dt.date(1975, 3, 10)) == "1975年"
    assert personal.BirthDateField().audit_redact("1975-03-10") == "1975年"
    assert personal.PhoneField().audit_redact("13812345678") == "138****5678"
    # Idempotent: an entry redacted twice (a service's own snapshot, then the writer) stays the same.
    assert personal.PhoneField().audit_redact("138****5678") == "138****5678"
    assert personal.BirthDateField().audit_redact("1975年") == "1975年"
    assert personal.EncryptedTextField().audit_redact("") == ""


def _sample(field):
    if isinstance(field, personal.BirthDateField):
        return dt.date(1975, 3, 10), "1975-03-10"
    if isinstance(field, personal.PhoneField):
        return "13812345678", "13812345678"
    return "明文值-不应出现", "明文值-不应出现"


@pytest.mark.django_db
@pytest.mark.parametrize("model", [m for m in _pingan_models()
                                   if any(isinstance(f, PERSONAL_TYPES) for f in m._meta.concrete_fields)],
                         ids=lambda m: m._meta.label)
def test_no_personal_value_reaches_the_audit_trail_in_plaintext(model):
    fields = [f for f in model._meta.concrete_fields if isinstance(f, PERSONAL_TYPES)]
    obj = model()  # unsaved: audit.record needs only its type, pk and str()
    after, before_after, plaintexts = {}, {}, []
    for field in fields:
        value, text = _sample(field)
        after[field.name] = value
        before_after[field.name] = [value, value]
        plaintexts.append(text)
    for shape in ({"after": after}, before_after, {"before": after, "after": after}):
        entry = audit.record(actor=None, action="test.redaction", obj=obj, object_id="1", object_repr="x", changes=shape)
        stored = str(AuditEntry.objects.get(pk=entry.pk).changes)
        leaked = [text for text in plaintexts if text in stored]
        assert not leaked, f"{model._meta.label} 的审计记录含明文：{leaked}"


@pytest.mark.django_db
def test_a_service_recording_another_models_fields_redacts_them_with_redact_as():
    from pingan.people.models import MentalDetail, SpecialEnrollment

    entry = audit.record(actor=None, action="test.redaction", obj=SpecialEnrollment(), object_id="1", object_repr="x",
                         changes={"after": {"diagnosis": "01", "guardian_phone": "13912345678"}},
                         redact_as=[MentalDetail])
    assert AuditEntry.objects.get(pk=entry.pk).changes == {"after": {"diagnosis": "（已加密）",
                                                                      "guardian_phone": "139****5678"}}
