"""How a case kind declares its workflow: states, transitions, deadline rules (table-driven).

A case kind is data, not code paths: the engine (`engine.py`) reads the declaration to list the actions a
user may take, validate and apply a transition, compute deadlines and derive what is overdue.
See docs/development/adding-a-case-kind.md.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from pingan.core import registry


@dataclass(frozen=True)
class State:
    """A state of a case: `closed` states end the case (no deadline, never overdue)."""

    name: str
    label: str
    closed: bool = False


DEADLINE_UNITS = {"days": "自然日", "working_days": "工作日", "working_hours": "工作小时"}


@dataclass(frozen=True)
class DeadlinePolicy:
    """How long a case may stay in a state; `deadlines.due_for` turns it into the case's one due moment.

    - `amount` in `unit`: a number, or a function `case -> int` (e.g. by risk level). Units:
      "days" (natural days: due at the end of that calendar day, i.e. the next midnight, local time),
      "working_days" (due at the close of office hours on the N-th working day after the start),
      "working_hours" (exact, counted within office hours on working days).
    - `by`: instead of amount/unit, a function `case -> (amount, unit)` (a per-category override; None from
      it means no deadline).
    - `field`: the case carries its own date in this field (e.g. 整治期限): due at the end of that date;
      when the field is empty the policy's amount fills it; an approved 延期 moves it.
    Moving between two states with the same policy keeps the running due moment (e.g. 已派遣 → 处置中).
    """

    amount: int | Callable[[Any], int] | None = None
    unit: str = "working_days"
    field: str | None = None
    by: Callable[[Any], tuple[int, str] | None] | None = None

    def __post_init__(self) -> None:
        if self.unit not in DEADLINE_UNITS:
            raise ValueError(f"期限单位 {self.unit!r} 无效，应为 {'、'.join(DEADLINE_UNITS)} 之一")
        if self.by is not None and self.amount is not None:
            raise ValueError("期限规则的 amount 与 by 只能给一个")

    def resolve(self, case: Any) -> tuple[int, str] | None:
        """(amount, unit) for this case, or None (no deadline from the policy)."""
        if self.by is not None:
            result = self.by(case)
            if result is None:
                return None
            amount, unit = result
            if unit not in DEADLINE_UNITS:
                raise ValueError(f"期限单位 {unit!r} 无效")
            return amount, unit
        amount = self.amount(case) if callable(self.amount) else self.amount
        return None if amount is None else (amount, self.unit)


# --- declared effects of a transition --------------------------------------------------------------------
@dataclass(frozen=True)
class Effect:
    """A change the engine makes to the case inside a transition's locked transaction (and audits)."""

    op: str  # "assign" | "clear" | "increment"
    fields: tuple[str, ...]
    by: int = 1

    def field_names(self) -> tuple[str, ...]:
        return self.fields


def assign(*fields: str) -> Effect:
    """Set these fields from the action's data (a field left out of the data is cleared): 派遣's unit."""
    return Effect("assign", tuple(fields))


def clear(*fields: str) -> Effect:
    """Empty these fields (None, or "" for a text field that is not nullable): 退回中心 clears the unit."""
    return Effect("clear", tuple(fields))


def increment(field: str, by: int = 1) -> Effect:
    """Add `by` to a counter field: 重新办理 counts reopenings."""
    return Effect("increment", (field,), by)


@dataclass(frozen=True)
class Transition:
    """One action: from one of `sources` to `target`, by users holding `capability` (accounts.permissions)
    and passing `allowed(user, case)` when given.

    `required`: the form fields the action needs (they are set on the case when they are model fields);
    `note_required`: a reason must be given (退回 always needs one); `photo`: a photo is required by the
    kind itself (keep False: the district may require one per step through `WorkflowRule`);
    `send_back`: the action is a 退回 (counted for 返工率); `stamp`: case fields set to the actor / today /
    now / the due moment in force before the step ("due_at", e.g. 按期 records) on the transition, e.g.
    {"accepted_by": "actor", "accepted_on": "today", "handled_due_at": "due_at"}.
    `effects`: declared changes applied and audited by the engine (`assign`, `clear`, `increment`);
    assigned fields are accepted from the data like `optional` ones.
    `keeps_state`: a note-only step (评价): logged and audited, the state (and its due moment) unchanged;
    `target` is then ignored (give "" or the source). It may be declared from closed states.
    A transition from a closed state to an open one is a reopen: the engine clears `closed_at` and gives
    the case a new due moment (count it with `increment("reopen_count")`).
    """

    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    capability: str
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    note_required: bool = False
    photo: bool = False
    send_back: bool = False
    allowed: Callable[[Any, Any], bool] | None = None
    stamp: dict[str, str] = field(default_factory=dict)
    style: str = ""  # button style: "" (primary), "secondary", "danger"
    effects: tuple[Effect, ...] = ()
    keeps_state: bool = False

    @property
    def accepted(self) -> tuple[str, ...]:
        """Every data key the action accepts: required, optional and assigned fields."""
        assigned = tuple(f for e in self.effects if e.op == "assign" for f in e.fields)
        return tuple(dict.fromkeys(self.required + self.optional + assigned))


@dataclass
class CaseKind:
    """The declaration of one case kind.

    `validate(case, transition, data) -> dict[field, message]` checks a transition's input beyond presence
    (dates in order, not in the future…). `supervise_capability`, `extension_capability` (request) and
    `extension_approve_capability` name the capabilities of 督办 and 延期; `may_act(user, case)` limits who
    may request an extension or reply to a 督办 (default: anyone allowed to take an open transition).
    `supervision_days` and `extension_max_days` are the 督办 reply deadline (working days) and the longest
    extension allowed (natural days past the current deadline). `max_extensions`: how many approved 延期 a
    case may have in all (None: no limit). `extension_basis`: the rule these limits come from, named at the
    end of their refusals (petitions: "（《信访工作条例》第三十四条）").
    `deadlines`: {state: DeadlinePolicy} (see DeadlinePolicy); states without one have no due moment.
    `township(case) -> Node | None`: the township that numbers the case (default: the jurisdiction's
    ancestor at level "township", see engine.case_township).
    `photo_rule(case, transition) -> bool`: the kind's own per-case photo rule (events: the category's
    照片要求 at 处置反馈), on top of the declaration and the district's per-step `WorkflowRule`.
    """

    label: str  # the model label, "hazards.hazard"
    verbose_name: str
    number_prefix: str
    states: tuple[State, ...]
    initial: str
    transitions: tuple[Transition, ...]
    deadlines: dict[str, DeadlinePolicy] = field(default_factory=dict)
    validate: Callable[[Any, Transition, dict], dict[str, str]] | None = None
    supervise_capability: str | None = None
    extension_capability: str | None = None
    extension_approve_capability: str | None = None
    may_act: Callable[[Any, Any], bool] | None = None
    supervision_days: int = 3
    extension_max_days: int = 90
    max_extensions: int | None = None
    extension_basis: str = ""
    township: Callable[[Any], Any] | None = None
    photo_rule: Callable[[Any, Transition], bool] | None = None

    def __post_init__(self) -> None:
        names = {s.name for s in self.states}
        if self.initial not in names:
            raise ValueError(f"{self.label}: 初始状态 {self.initial} 未声明")
        seen = set()
        for t in self.transitions:
            if t.name in seen:
                raise ValueError(f"{self.label}: 动作 {t.name} 重复")
            seen.add(t.name)
            unknown = (set(t.sources) | (set() if t.keeps_state else {t.target})) - names
            if unknown:
                raise ValueError(f"{self.label}: 动作 {t.name} 引用了未声明的状态 {sorted(unknown)}")
        for state in self.deadlines:
            if state not in names:
                raise ValueError(f"{self.label}: 期限规则引用了未声明的状态 {state}")

    # --- lookups -------------------------------------------------------------------------------------
    def state(self, name: str) -> State:
        for s in self.states:
            if s.name == name:
                return s
        raise KeyError(name)

    def state_label(self, name: str) -> str:
        try:
            return self.state(name).label
        except KeyError:
            return name or "—"

    @property
    def open_states(self) -> list[str]:
        return [s.name for s in self.states if not s.closed]

    @property
    def closed_states(self) -> list[str]:
        return [s.name for s in self.states if s.closed]

    def transition(self, name: str) -> Transition:
        for t in self.transitions:
            if t.name == name:
                return t
        raise KeyError(name)


_KINDS: dict[str, CaseKind] = {}


def register(kind: CaseKind) -> CaseKind:
    """Register a case kind (called at import of the app's workflow module); the audit log learns the
    Chinese name of each of its steps."""
    _KINDS[kind.label] = kind
    model_name = kind.label.split(".")[-1]
    for t in kind.transitions:
        registry.action_label(f"{model_name}.{t.name}", t.label)
    # 督办 and 延期 read as verb and noun from the audit log's own table (督办事件, 申请延期（风险隐患）).
    for action, label in (("create", "登记"), ("import", "导入")):
        registry.action_label(f"{model_name}.{action}", f"{label}{kind.verbose_name}")
    return kind


def get_kind(label_or_case: Any) -> CaseKind:
    label = label_or_case if isinstance(label_or_case, str) else label_or_case._meta.label_lower
    try:
        return _KINDS[label]
    except KeyError:
        raise LookupError(f"未注册的案件类型：{label}") from None


def kinds() -> list[CaseKind]:
    return list(_KINDS.values())
