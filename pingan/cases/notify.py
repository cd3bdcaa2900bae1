"""Who is told what when a case moves: the receiver of `pingan.cases.signals.case_event`.

`connect()` attaches the receiver (CasesConfig.ready() calls it). The engine sends the signal after commit
with `case`, `actor`, `event` and, depending on the event, `log`, `transition`, `supervision`, `extension`:

| event                | who                                         | kind (pingan.notifications)   |
|----------------------|---------------------------------------------|-------------------------------|
| registered           | the handling unit, when one is already set  | 派给我/本单位的案件            |
|                      | the reporter, when someone else registered  | 我上报的事件有进展              |
| transition           | the unit, when the step assigns one (派遣)   | 派给我/本单位的案件            |
|                      | the reporter: leaving the first state (立案), | 我上报的事件有进展             |
|                      | assignment (派遣), closing (结案/不予立案)     |                               |
| sent_back            | the handling unit (and the reporter)        | 被退回                         |
| supervised           | the handling unit                           | 督办                           |
| supervision_replied  | the supervisor (`supervision.by`)           | 督办反馈                        |
| extension_requested  | who may approve: the district centre's staff | 延期申请待审批                  |
|                      | over the case's place holding the kind's     |                               |
|                      | `extension_approve_capability`              |                               |
| extension_decided    | the requester (`extension.requested_by`)    | 延期审批结果                    |

The handling unit: the department the case is assigned to (`scope_department_lookup`) → its active
handlers (role dept_handler); else the township it is assigned to (`assigned_township`) → that township's
officers; else, for a kind that is dispatched (has `assigned_township`) but not yet, the district centre's
staff over its place; for a kind that is not dispatched, the officers of the township it lies in.
The actor is never told about their own action. A grid worker hears only about their own reports, and
nothing here counts or ranks anybody. A failure here is logged and never reaches the caller.
"""
from __future__ import annotations

import logging
from typing import Any, Iterable

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from pingan.accounts.choices import Role
from pingan.core.scoping import ancestor_paths
from pingan.notifications.models import Notification
from pingan.notifications.services import notify

from .definitions import get_kind
from .signals import case_event

logger = logging.getLogger("pingan.notifications")
K = Notification.Kind
DISPATCH_UID = "pingan.cases.notify.on_case_event"


def connect() -> None:
    """Attach the receiver (idempotent: one dispatch_uid)."""
    case_event.connect(on_case_event, dispatch_uid=DISPATCH_UID)


def disconnect() -> None:
    case_event.disconnect(dispatch_uid=DISPATCH_UID)


# --------------------------------------------------------------------------------------------- about a case
def _kind(case: Any):
    try:
        return get_kind(case)
    except LookupError:
        return None


def case_label(case: Any) -> str:
    """"网格事件 SJ…" — the kind's name and the case number (never the description: it may name people)."""
    kind = _kind(case)
    name = kind.verbose_name if kind else str(case._meta.verbose_name)
    number = getattr(case, "number", "") or f"#{case.pk}"
    return f"{name} {number}"


def case_url(case: Any) -> str:
    """The case page: the model's get_absolute_url, else the app's `detail` route by pk, else ""."""
    getter = getattr(case, "get_absolute_url", None)
    if callable(getter):
        try:
            return getter()
        except NoReverseMatch:
            pass
    try:
        return reverse(f"{case._meta.app_label}:detail", kwargs={"pk": case.pk})
    except NoReverseMatch:
        return ""


def queue_url(case: Any) -> str:
    """The kind's work queue (where a digest of several cases links to), else ""."""
    try:
        return reverse(f"{case._meta.app_label}:queue")
    except NoReverseMatch:
        return ""


def state_label(case: Any) -> str:
    kind = _kind(case)
    return kind.state_label(case.state) if kind else str(getattr(case, "state", ""))


def due_text(case: Any) -> str:
    due = getattr(case, "due_at", None)
    return f"期限 {timezone.localtime(due):%m-%d %H:%M}" if due else ""


def case_body(case: Any) -> str:
    return "，".join(part for part in (f"当前环节：{state_label(case)}", due_text(case)) if part)


def is_urgent(case: Any) -> bool:
    """An urgent case (its overdue notice goes by SMS even in quiet hours): `is_urgent` when the model says
    it, else an `urgency` field other than normal (events: 紧急/特急)."""
    value = getattr(case, "is_urgent", None)
    if isinstance(value, bool):
        return value
    urgency = getattr(case, "urgency", None)
    return bool(urgency) and urgency != "normal"


def case_path(case: Any) -> str:
    """The case's jurisdiction path through its `scope_path_lookup` ("jurisdiction__path" by default)."""
    value: Any = case
    for part in getattr(type(case), "scope_path_lookup", "jurisdiction__path").split("__"):
        value = getattr(value, part, None)
        if value is None:
            return ""
    return str(value)


def _department_id(case: Any) -> int | None:
    lookup = getattr(type(case), "scope_department_lookup", None)
    return getattr(case, f"{lookup}_id", None) if lookup and "__" not in lookup else None


def _dispatchable(model: type) -> bool:
    try:
        model._meta.get_field("assigned_township")
    except FieldDoesNotExist:
        return False
    return True


def _unit_key(case: Any) -> tuple:
    department = _department_id(case)
    if department:
        return ("department", department)
    township = getattr(case, "assigned_township_id", None)
    if township:
        return ("township", township)
    role = Role.CENTER_STAFF if _dispatchable(type(case)) else Role.TOWNSHIP_OFFICER
    return ("place", role, case_path(case))


def unit_recipients(cases: Iterable[Any]) -> dict[int, list[Any]]:
    """{case pk: the active users of its handling unit}, for many cases in one query."""
    from django.contrib.auth import get_user_model

    keys = {case.pk: _unit_key(case) for case in cases}
    if not keys:
        return {}
    departments = {k[1] for k in keys.values() if k[0] == "department"}
    townships = {k[1] for k in keys.values() if k[0] == "township"}
    places: dict[str, set[str]] = {}
    for key in keys.values():
        if key[0] == "place" and key[2]:
            places.setdefault(key[1], set()).update(ancestor_paths(key[2]))
    condition = Q(pk__in=[])
    if departments:
        condition |= Q(role=Role.DEPT_HANDLER, department_id__in=departments)
    if townships:
        condition |= Q(role=Role.TOWNSHIP_OFFICER, scope_id__in=townships)
    for role, paths in places.items():
        condition |= Q(role=role, scope__path__in=paths)
    users = list(get_user_model().objects.filter(condition, is_active=True).select_related("scope").order_by("pk"))
    result: dict[int, list[Any]] = {}
    for pk, key in keys.items():
        if key[0] == "department":
            chosen = [u for u in users if u.role == Role.DEPT_HANDLER and u.department_id == key[1]]
        elif key[0] == "township":
            chosen = [u for u in users if u.role == Role.TOWNSHIP_OFFICER and u.scope_id == key[1]]
        else:
            above = set(ancestor_paths(key[2])) if key[2] else set()
            chosen = [u for u in users if u.role == key[1] and u.scope_id and u.scope.path in above]
        result[pk] = chosen
    return result


def handling_unit(case: Any) -> list[Any]:
    return unit_recipients([case]).get(case.pk, [])


def extension_approvers(case: Any) -> list[Any]:
    """Who may approve an extension of `case`: for now the centre staff over the case's place holding the
    kind's `extension_approve_capability`."""
    from django.contrib.auth import get_user_model

    kind = _kind(case)
    capability = getattr(kind, "extension_approve_capability", None)
    path = case_path(case)
    if not capability or not path:
        return []
    users = get_user_model().objects.filter(is_active=True, role=Role.CENTER_STAFF,
                                            scope__path__in=ancestor_paths(path)).order_by("pk")
    return [u for u in users if u.can(capability)]


def _reporter(case: Any) -> Any:
    return getattr(case, "reporter", None) if getattr(case, "reporter_id", None) else None


def _assigns(case: Any, transition: Any) -> bool:
    """Does this step hand the case to a unit (派遣)? Its fields name the assignment, and one is set now."""
    if transition is None:
        return False
    fields = set(getattr(transition, "required", ()) or ()) | set(getattr(transition, "optional", ()) or ())
    for effect in getattr(transition, "effects", ()) or ():  # assign("assigned_department", "assigned_township")
        if getattr(effect, "op", "") == "assign":
            fields |= set(getattr(effect, "fields", ()) or ())
    names = {"assigned_township"}
    lookup = getattr(type(case), "scope_department_lookup", None)
    if lookup:
        names.add(lookup)
    return bool(fields & names) and _unit_key(case)[0] in ("department", "township")


def _reporter_told(case: Any, transition: Any) -> bool:
    """The steps of a report its reporter hears about: 立案 (leaving the first state), 派遣, 结案/不予立案."""
    kind = _kind(case)
    if transition is None or kind is None:
        return False
    try:
        closes = kind.state(transition.target).closed
    except KeyError:
        closes = False
    return closes or kind.initial in tuple(transition.sources) or _assigns(case, transition)


# --------------------------------------------------------------------------------------------- the receiver
def on_case_event(sender: Any = None, *, case: Any, event: str, actor: Any = None, log: Any = None,
                  transition: Any = None, supervision: Any = None, extension: Any = None, **kwargs: Any) -> None:
    try:
        _handle(case=case, event=event, actor=actor, transition=transition, supervision=supervision,
                extension=extension)
    except Exception:  # notifications must never undo or break the step that was taken
        logger.exception("案件消息通知失败：%s %s", event, getattr(case, "pk", ""))


def _handle(*, case, event, actor, transition, supervision, extension) -> None:
    label = case._meta.label_lower
    what = case_label(case)
    url = case_url(case)
    body = case_body(case)

    queue = queue_url(case)

    def tell(users, kind, title, key, text=body):
        notify(users, kind=kind, title=title, body=text, url=url, case=case, key=key, actor=actor,
               digest_url=queue if key and not key.endswith(f":{case.pk}") else "")

    def tell_reporter(title):
        reporter = _reporter(case)
        if reporter is not None:
            tell([reporter], K.REPORT_PROGRESS, title, f"report:{label}:{case.pk}")

    if event == "registered":
        if _unit_key(case)[0] in ("department", "township"):
            tell(handling_unit(case), K.ASSIGNED, f"新派案件：{what}", f"assigned:{label}")
        tell_reporter(f"您上报的{what}已登记")
    elif event == "transition":
        if _assigns(case, transition):
            tell(handling_unit(case), K.ASSIGNED, f"新派案件：{what}", f"assigned:{label}")
        if _reporter_told(case, transition):
            tell_reporter(f"您上报的{what}：{getattr(transition, 'label', '')}，现为“{state_label(case)}”")
    elif event == "sent_back":
        tell(handling_unit(case), K.SENT_BACK, f"被退回重办：{what}", f"sent_back:{label}")
        tell_reporter(f"您上报的{what}已退回重办")
    elif event == "supervised":
        tell(handling_unit(case), K.SUPERVISED, f"督办：{what}", f"supervised:{label}")
    elif event == "supervision_replied":
        by = getattr(supervision, "by", None) if supervision is not None else None
        if by is not None:
            tell([by], K.SUPERVISION_REPLIED, f"督办已反馈：{what}", f"supervision_replied:{label}")
    elif event == "extension_requested":
        tell(extension_approvers(case), K.EXTENSION_REQUESTED, f"延期申请待审批：{what}",
             f"extension_requested:{label}")
    elif event == "extension_decided":
        requester = getattr(extension, "requested_by", None) if extension is not None else None
        if requester is not None:
            approved = getattr(extension, "status", "") == "approved"
            verdict = "已同意" if approved else "未同意"
            new = getattr(extension, "new_deadline", None)
            text = f"申请延至 {new:%Y-%m-%d}" if new and approved else body
            tell([requester], K.EXTENSION_DECIDED, f"延期申请{verdict}：{what}", f"extension_decided:{label}:{case.pk}",
                 text)
