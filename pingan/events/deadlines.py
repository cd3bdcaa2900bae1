"""Event deadlines: how long handling may take, from the category and the dispatch rule.

The due moment itself is the case engine's (`pingan.cases.deadlines`: working hours and working days on the
calendar with holidays and 调休); this module only says which (amount, unit) applies to an event:

    handling_time(event)          the deadline of the handling states (workflow.HANDLING_POLICY)
    handling_rule(event, rule)    the dispatch rule's own deadline when the event went to that rule's unit, else
                                  the category's (the urgent one for 紧急/特急)
    rule_for(category, place)     the most specific dispatch rule for a category in a place
"""
from __future__ import annotations

from typing import Any

from pingan.core.scoping import ancestor_paths

from .choices import EventState, Satisfaction
from .models import DispatchRule


def rule_for(category: Any, place: Any) -> DispatchRule | None:
    """The most specific rule: the deepest place on the event's path, a 小类 rule before its 大类's."""
    categories = [category.pk] + ([category.parent_id] if category.parent_id else [])
    rules = list(DispatchRule.objects
                 .filter(category_id__in=categories, jurisdiction__path__in=ancestor_paths(place.path))
                 .select_related("jurisdiction", "department", "township", "category"))
    if not rules:
        return None
    return max(rules, key=lambda r: (r.category_id == category.pk, len(r.jurisdiction.path)))


def rule_matches(rule: DispatchRule | None, department: Any, township: Any) -> bool:
    """The event goes to the rule's own unit (only then does the rule's deadline apply)."""
    if rule is None:
        return False
    return bool((department is not None and rule.department_id == department.pk)
                or (township is not None and rule.township_id == township.pk))


def handling_rule(event: Any, rule: Any = None) -> tuple[int, str]:
    """(amount, unit) for handling the event: the dispatch rule's own deadline, else the category's (the
    urgent one for 紧急/特急 events)."""
    if rule is not None and rule.deadline_amount and rule.deadline_unit:
        return rule.deadline_amount, rule.deadline_unit
    return event.category.deadline_for(event.urgency)


def handling_time(event: Any) -> tuple[int, str]:
    """The handling policy of an event being dispatched: the rule's deadline if it was dispatched to the rule's
    unit, else the category's. Read by the engine when the event enters 已派遣 (the unit is set by then)."""
    department = event.assigned_department if event.assigned_department_id else None
    township = event.assigned_township if event.assigned_township_id else None
    rule = rule_for(event.category, event.jurisdiction)
    return handling_rule(event, rule if rule_matches(rule, department, township) else None)


def validate_transition(event: Any, transition: Any, data: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    if transition.name == "dispatch":
        department, township = data.get("assigned_department"), data.get("assigned_township")
        if not department and not township:
            errors["assigned_department"] = "请选择承办部门或承办乡镇。"
        elif department and township:
            errors["assigned_township"] = "承办部门和承办乡镇只能选一个。"
        elif township is not None and getattr(township, "level", "") != "township":
            errors["assigned_township"] = "承办乡镇必须是乡镇（街道）。"
        elif township is not None and not event.jurisdiction.path.startswith(township.path):
            errors["assigned_township"] = "只能派给事件所在的乡镇（街道）。"
        elif department is not None and not department.is_active:
            errors["assigned_department"] = f"“{department.name}”已停用。"
    if transition.name == "duplicate":
        original = data.get("duplicate_of")
        if original is not None:
            if not isinstance(original, type(event)):
                errors["duplicate_of"] = "原件编号无效。"
            elif original.pk == event.pk:
                errors["duplicate_of"] = "不能标记为自己的重复件。"
            elif original.state == EventState.DUPLICATE:
                errors["duplicate_of"] = f"{original.number} 本身是重复件，请关联到原件 " \
                                         f"{original.duplicate_of.number if original.duplicate_of_id else ''}。"
    if transition.name == "evaluate":
        satisfaction = data.get("satisfaction")
        note = str(data.get("evaluation_note") or "").strip()
        if satisfaction and satisfaction not in Satisfaction.values:
            errors["satisfaction"] = "请选择满意、基本满意或不满意。"
        elif satisfaction == Satisfaction.UNSATISFIED and not note:
            errors["evaluation_note"] = "不满意时请写明原因。"
        if len(note) > 500:
            errors["evaluation_note"] = "评价意见最多 500 字。"
    return errors
