"""List exports the ledgers app declares for the core's pages, which sit beneath it (pingan.ledgers.lists):
the audit log, for the auditor alone (its FilterSet is the page's own `core.views.audit_log_query`)."""
import json

from django.core.exceptions import ValidationError
from django.utils import timezone

from pingan.core import audit_display
from pingan.core.models import AuditEntry
from pingan.core.views import audit_log_query

from .lists import ListColumn, ListExport, register_list


def _query(user, params):
    qs, _params, errors = audit_log_query(user, params)
    if errors:
        raise ValidationError(errors)
    return qs


def _changes(entry):
    if not entry.changes:
        return ""
    shown = audit_display.redacted_changes(audit_display.model_for(entry.object_type), entry.changes)
    return json.dumps(shown, ensure_ascii=False, default=str)


register_list(ListExport(
    route="core:audit_log", label="审计日志", model=AuditEntry, query=_query, data_kind="audit",
    read_capability="audit.read_log", export_capability="audit.read_log", audit_name="audit_log",
    columns=(ListColumn("时间", getter=lambda e: timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"), width=20),
             ListColumn("操作人", "actor_name", width=12), ListColumn("地址", "address", width=16),
             ListColumn("操作", getter=lambda e: audit_display.action_label(
                 e.action, outcome=e.outcome, object_type=e.object_type, changes=e.changes), width=20),
             ListColumn("操作代码", "action", width=20), ListColumn("渠道", getter=lambda e: audit_display.channel_label(e.channel), width=8),
             ListColumn("对象", "object_repr", width=24),
             ListColumn("对象类型", getter=lambda e: audit_display.object_type_label(e.object_type) if e.object_type else "", width=14),
             ListColumn("对象编号", "object_id", width=10), ListColumn("结果", "get_outcome_display", width=8),
             ListColumn("变更", getter=_changes, width=50), ListColumn("说明", "detail", width=40),
             ListColumn("请求编号", "request_id", width=34))))
