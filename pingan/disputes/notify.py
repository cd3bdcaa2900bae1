"""The referrer is told (诉调/公调/检调/访调对接): when a referred dispute closes (调解成功, 终止调解, 移交), the
handlers of the department that referred it find a notice that a result awaits them; the mediator then
records what was sent back (the 反馈移送单位 step) and prints the 调解结果告知函."""
from __future__ import annotations

from django.urls import reverse

from pingan.accounts.choices import Role
from pingan.accounts.models import User
from pingan.cases.signals import case_event
from pingan.notifications.services import notify

CLOSING_STEPS = ("settle", "fail", "transfer")
DISPATCH_UID = "pingan.disputes.notify.on_case_event"


def on_case_event(sender=None, *, case=None, actor=None, event="", transition=None, **kwargs) -> None:
    if case is None or case._meta.label_lower != "disputes.dispute" or event != "transition":
        return
    if transition is None or transition.name not in CLOSING_STEPS or not case.referrer_department_id:
        return
    handlers = User.objects.filter(department_id=case.referrer_department_id, role=Role.DEPT_HANDLER, is_active=True)
    notify(handlers, kind="system", title=f"移送的纠纷 {case.number} 已有化解结果",
           body=f"贵单位移送的纠纷“{case.title[:40]}”已{transition.label}，调解组织将反馈结果。",
           url=reverse("disputes:detail", args=[case.pk]), case=case, actor=actor)


def connect() -> None:
    case_event.connect(on_case_event, dispatch_uid=DISPATCH_UID)
