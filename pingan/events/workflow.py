"""The grid-event workflow, declared for the core engine (GB/T 30428):
待受理 →(立案)→ 已立案待派遣 →(派遣)→ 已派遣待处置 →(签收)→ 处置中 →(反馈)→ 待核查 →(核查通过)→ 已结案,
with 不予立案, 重复件, 退回中心 (dispatched to the wrong unit), 退回重办 (rework, counted for 返工率), 重新办理,
督办, 延期 and 评价 (a note-only step on a closed event). Every state's due moment is the engine's one `due_at`:
registration and checking in working days, handling (已派遣 and 处置中 share one policy, so 签收 keeps the clock
running) from the category's deadline — the urgent one for 紧急/特急 — or the dispatch rule's own, in working
hours or working days (`deadlines.handling_time`)."""
from __future__ import annotations

from typing import Any

from pingan.accounts.choices import Role
from pingan.cases.definitions import (
    CaseKind, DeadlinePolicy, State, Transition, assign, clear, increment, register,
)

from .choices import EventState, PhotoStage

S = EventState

CENTRE_ROLES = {Role.DISTRICT_ADMIN, Role.CENTER_STAFF, Role.TOWNSHIP_OFFICER}
CAPABILITIES = {
    "events.report": {Role.GRID_WORKER, Role.VILLAGE_OFFICER, Role.TOWNSHIP_OFFICER, Role.CENTER_STAFF,
                      Role.DISTRICT_ADMIN},
    "events.register": CENTRE_ROLES,           # 受理/立案, 不予立案, 派遣, 重复件, 重新办理
    "events.handle": {Role.DEPT_HANDLER, Role.TOWNSHIP_OFFICER},  # 签收, 处置反馈, 退回中心
    "events.check": CENTRE_ROLES | {Role.GRID_WORKER},  # 核查 (the grid worker only their own reports)
    # 督办 is a write (it opens a supervision the unit must answer): leaders read only, so they ask the centre.
    "events.supervise": {Role.DISTRICT_ADMIN, Role.CENTER_STAFF},
    "events.extend": {Role.DEPT_HANDLER, Role.TOWNSHIP_OFFICER},
    "events.approve_extension": {Role.DISTRICT_ADMIN, Role.CENTER_STAFF},
    "events.evaluate": CENTRE_ROLES | {Role.GRID_WORKER},
    "events.configure": {Role.DISTRICT_ADMIN, Role.CENTER_STAFF},
    "events.keys": {Role.DISTRICT_ADMIN},
}


def responsible(user: Any, event: Any) -> bool:
    """The unit the event was dispatched to: a handler of that department, or that township's officers."""
    if user.role == Role.DEPT_HANDLER:
        return bool(user.department_id) and user.department_id == event.assigned_department_id
    if user.role == Role.TOWNSHIP_OFFICER:
        if event.assigned_township_id:
            return user.scope_id == event.assigned_township_id
        if event.assigned_department_id:
            return False
    return user.role in (Role.TOWNSHIP_OFFICER,)


def may_check(user: Any, event: Any) -> bool:
    """The centre checks every event; a grid worker checks only the events they reported."""
    if user.role == Role.GRID_WORKER:
        return event.reporter_id == user.pk
    return user.role in CENTRE_ROLES


def may_evaluate(user: Any, event: Any) -> bool:
    if user.role == Role.GRID_WORKER:
        return event.reporter_id == user.pk
    return user.role in CENTRE_ROLES


def _handling_time(event: Any) -> tuple[int, str]:
    from .deadlines import handling_time

    return handling_time(event)


def validate(event: Any, transition: Transition, data: dict) -> dict[str, str]:
    from .deadlines import validate_transition

    return validate_transition(event, transition, data)


# 已派遣 and 处置中 share this one policy object: accepting (签收) keeps the running handling due moment (the
# engine keeps due_at between two states holding the same policy object, not merely equal ones).
HANDLING_POLICY = DeadlinePolicy(by=_handling_time)


def _photo_rule(event: Any, transition: Transition) -> bool:
    """The category's 照片要求 at 处置反馈 (the one at 上报 is checked when the report is made)."""
    return transition.name == "feedback" and event.category.photo_required(PhotoStage.FEEDBACK)


EVENT_KIND = register(CaseKind(
    label="events.event",
    verbose_name="网格事件",
    number_prefix="SJ",
    states=(
        State(S.REPORTED, S.REPORTED.label),
        State(S.REGISTERED, S.REGISTERED.label),
        State(S.DISPATCHED, S.DISPATCHED.label),
        State(S.HANDLING, S.HANDLING.label),
        State(S.CHECKING, S.CHECKING.label),
        State(S.CLOSED, S.CLOSED.label, closed=True),
        State(S.REJECTED, S.REJECTED.label, closed=True),
        State(S.DUPLICATE, S.DUPLICATE.label, closed=True),
    ),
    initial=S.REPORTED,
    transitions=(
        Transition("register", "受理立案", (S.REPORTED,), S.REGISTERED, "events.register",
                   optional=("urgency",), stamp={"registered_at": "now"}),
        Transition("reject", "不予立案", (S.REPORTED,), S.REJECTED, "events.register", note_required=True,
                   style="danger"),
        Transition("duplicate", "标记为重复件", (S.REPORTED, S.REGISTERED), S.DUPLICATE, "events.register",
                   required=("duplicate_of",), style="secondary"),
        Transition("dispatch", "派遣", (S.REGISTERED,), S.DISPATCHED, "events.register",
                   effects=(assign("assigned_department", "assigned_township"),), stamp={"dispatched_at": "now"}),
        Transition("accept", "签收处置", (S.DISPATCHED,), S.HANDLING, "events.handle", allowed=responsible),
        Transition("return", "退回中心（非本单位职责）", (S.DISPATCHED, S.HANDLING), S.REGISTERED, "events.handle",
                   note_required=True, allowed=responsible, style="secondary",
                   effects=(clear("assigned_department", "assigned_township"),)),
        Transition("feedback", "处置反馈", (S.DISPATCHED, S.HANDLING), S.CHECKING, "events.handle",
                   required=("handling_result",), allowed=responsible,
                   stamp={"handled_at": "now", "handled_due_at": "due_at"}),
        Transition("close", "核查通过，结案", (S.CHECKING,), S.CLOSED, "events.check", optional=("check_note",),
                   allowed=may_check, stamp={"checked_by": "actor"}),
        Transition("send_back", "核查不通过，退回重办", (S.CHECKING,), S.HANDLING, "events.check",
                   note_required=True, send_back=True, allowed=may_check, style="danger"),
        Transition("reopen", "重新办理", (S.CLOSED, S.REJECTED, S.DUPLICATE), S.REGISTERED, "events.register",
                   note_required=True, style="secondary",
                   effects=(increment("reopen_count"), clear("satisfaction", "evaluation_note"))),
        # 评价: the reporting grid worker, or the centre after calling the citizen back; the state stays 已结案.
        Transition("evaluate", "评价", (S.CLOSED,), S.CLOSED, "events.evaluate", required=("satisfaction",),
                   optional=("evaluation_note",), allowed=may_evaluate, keeps_state=True, style="secondary"),
    ),
    deadlines={
        # Registration (受理) and dispatch are expected by the close of the next working day.
        S.REPORTED: DeadlinePolicy(1, "working_days"),
        S.REGISTERED: DeadlinePolicy(1, "working_days"),
        # Handling: the category's / dispatch rule's deadline, from the moment of dispatch.
        S.DISPATCHED: HANDLING_POLICY,
        S.HANDLING: HANDLING_POLICY,
        S.CHECKING: DeadlinePolicy(2, "working_days"),
    },
    validate=validate,
    photo_rule=_photo_rule,
    supervise_capability="events.supervise",
    extension_capability="events.extend",
    extension_approve_capability="events.approve_extension",
    may_act=responsible,
    supervision_days=2,
    extension_max_days=30,
))

