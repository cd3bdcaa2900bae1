"""The hall's list exports (pingan.ledgers.lists): the daily log (the day of ?date=, today without it) and the
心理服务 appointments (health data: never the session notes)."""
import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from pingan.ledgers.lists import ListColumn, ListExport, register_list

from . import selectors
from .models import Appointment, Matter


def _day(user, params):
    value = params.get("date", "")
    day = timezone.localdate()
    if value:
        try:
            day = dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            raise ValidationError("日期格式不正确，应为 YYYY-MM-DD。") from None
    return selectors.matters(user).filter(registered_at__date=day)


def _visitor(m):
    name = m.visitor.name if m.visitor_id else ""
    return f"{name}等 {m.head_count} 人" if m.head_count > 1 else name


register_list(ListExport(
    route="hall:log", label="受理台账", model=Matter, data_kind="case", query=_day,
    columns=(ListColumn("事项码", "code", width=16), ListColumn("登记时间", "registered_at", width=17),
             ListColumn("渠道", "get_channel_display", width=10), ListColumn("来访人", getter=_visitor, width=14),
             ListColumn("事由", "topic", width=30), ListColumn("去向", "get_route_display", width=12),
             ListColumn("案件编号", "case_number", width=20), ListColumn("状态", "get_status_display", width=10))))


def _appointments(user, params):
    qs = selectors.appointments(user)
    if params.get("mine") and hasattr(user, "counsellor"):
        qs = qs.filter(counsellor__user=user)
    return qs


register_list(ListExport(
    route="hall:appointments", label="心理服务预约", model=Appointment, data_kind="health", query=_appointments,
    columns=(ListColumn("时间", "starts_at", width=17), ListColumn("咨询师", "counsellor.name", width=10),
             ListColumn("来访人", "visitor.name", width=10), ListColumn("咨询室", "room", width=12),
             ListColumn("状态", "get_status_display", width=8))))
