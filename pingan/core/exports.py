"""The audit log's export, for the auditor alone (pingan.ledgers.lists, which core sits beneath: a plain
declaration that discovery reads). Its rows are the page's own `views.audit_log_query`; personal values in the
changes are redacted as on the page."""
import json

from django.core.exceptions import ValidationError
from django.utils import timezone

from . import audit_display
from .models import AuditEntry


def _query(user, params):
    from .views import audit_log_query

    qs, _params, errors = audit_log_query(user, params)
    if errors:
        raise ValidationError(errors)
    return qs


def _changes(entry):
    if not entry.changes:
        return ""
    shown = audit_display.redacted_changes(audit_display.model_for(entry.object_type), entry.changes)
    return json.dumps(shown, ensure_ascii=False, default=str)


def _action(entry):
    return audit_display.action_label(entry.action, outcome=entry.outcome, object_type=entry.object_type,
                                      changes=entry.changes)


LIST_EXPORTS = [dict(
    route="core:audit_log", label="审计日志", model=AuditEntry, query=_query, data_kind="audit",
    read_capability="audit.read_log", export_capability="audit.read_log", audit_name="audit_log",
    columns=(("时间", lambda e: timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"), 20),
             ("操作人", "actor_name", 12), ("地址", "address", 16), ("操作", _action, 20), ("操作代码", "action", 20),
             ("渠道", lambda e: audit_display.channel_label(e.channel), 8), ("对象", "object_repr", 24),
             ("对象类型", lambda e: audit_display.object_type_label(e.object_type) if e.object_type else "", 14),
             ("对象编号", "object_id", 10), ("结果", "get_outcome_display", 8), ("变更", _changes, 50),
             ("说明", "detail", 40), ("请求编号", "request_id", 34)))]
