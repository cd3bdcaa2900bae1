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


@dataclass(frozen=True)
class DeadlineRule:
    """How long a case may stay in a state.

    - `days`: a number, or a function `case -> int` (e.g. by risk level), counted from the day the case
      entered the state; `working=True` counts working days of the calendar (`core.calendar`), else
      natural days.
    - `field`: the case carries its own deadline in this date field (e.g. 整治期限); the rule's days are
      then the default used when the field is empty, and an approved 延期 moves this field.
    """

    days: int | Callable[[Any], int] | None = None
    working: bool = True
    field: str | None = None

    def days_for(self, case: Any) -> int | None:
        return self.days(case) if callable(self.days) else self.days


@dataclass(frozen=True)
class Transition:
    """One action: from one of `sources` to `target`, by users holding `capability` (accounts.permissions)
    and passing `allowed(user, case)` when given.

    `required`: the form fields the action needs (they are set on the case when they are model fields);
    `note_required`: a reason must be given (退回 always needs one); `photo`: a photo is required by the
    kind itself (keep False: the district may require one per step through `WorkflowRule`);
    `send_back`: the action is a 退回 (counted for 返工率); `stamp`: case fields set to the actor / today /
    now on the transition, e.g. {"accepted_by": "actor", "accepted_on": "today"}.
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


@dataclass
class CaseKind:
    """The declaration of one case kind.

    `validate(case, transition, data) -> dict[field, message]` checks a transition's input beyond presence
    (dates in order, not in the future…). `supervise_capability`, `extension_capability` (request) and
    `extension_approve_capability` name the capabilities of 督办 and 延期; `may_act(user, case)` limits who
    may request an extension or reply to a 督办 (default: anyone allowed to take an open transition).
    `supervision_days` and `extension_max_days` are the 督办 reply deadline (working days) and the longest
    extension allowed (natural days past the current deadline).
    """

    label: str  # the model label, "hazards.hazard"
    verbose_name: str
    number_prefix: str
    states: tuple[State, ...]
    initial: str
    transitions: tuple[Transition, ...]
    deadlines: dict[str, DeadlineRule] = field(default_factory=dict)
    validate: Callable[[Any, Transition, dict], dict[str, str]] | None = None
    supervise_capability: str | None = None
    extension_capability: str | None = None
    extension_approve_capability: str | None = None
    may_act: Callable[[Any, Any], bool] | None = None
    supervision_days: int = 3
    extension_max_days: int = 90

    def __post_init__(self) -> None:
        names = {s.name for s in self.states}
        if self.initial not in names:
            raise ValueError(f"{self.label}: 初始状态 {self.initial} 未声明")
        seen = set()
        for t in self.transitions:
            if t.name in seen:
                raise ValueError(f"{self.label}: 动作 {t.name} 重复")
            seen.add(t.name)
            unknown = (set(t.sources) | {t.target}) - names
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
    return kind


def get_kind(label_or_case: Any) -> CaseKind:
    label = label_or_case if isinstance(label_or_case, str) else label_or_case._meta.label_lower
    try:
        return _KINDS[label]
    except KeyError:
        raise LookupError(f"未注册的案件类型：{label}") from None


def kinds() -> list[CaseKind]:
    return list(_KINDS.values())
