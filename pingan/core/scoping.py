"""Scoping: the one door to rows, by place AND by role.

`Model.objects.visible_to(user)` gives what a user may see. What a role's duty needs is one table,
`pingan.accounts.permissions.DATA_ACCESS`: for each kind of data, whether the role reaches rows by place
(records whose jurisdiction lies at or under the user's scope node, an indexed prefix match on the node's
materialized path, plus records assigned to the user's department or to the user), only by assignment (a
department handler: the cases dispatched to its department or to it, wherever they are), or not at all
(the auditor sees no business data, the security admin no case or person data, a handler no registers, a
mediator no health data). Every selector, view, API, export and statistic starts from it; an object
outside answers 404 (`get_visible_or_404`).

A model opts in by using `ScopedQuerySet.as_manager()` and declaring, as class attributes:
- `scope_path_lookup`: the lookup that reaches the jurisdiction path (default "jurisdiction__path");
- `scope_department_lookup` / `scope_user_lookup`: optional lookups of the assigned department / user;
- `scope_reader_department_lookups`: optional lookups of further departments that may *read* a row without
  handling it (the police station that referred a dispute to mediation sees its result; it is not "mine");
- `scope_data_kind`: "directory", "reference", "case", "clue", "person", "health" or "audit" (see DATA_ACCESS);
- `scope_sensitive_rows`: optional {kind: Q} for rows of a more sensitive kind inside a model of a broader
  one (visits of health-kind enrolments are "health" inside the "person" visits): a user without that kind
  does not see the rows the Q matches.
"""
from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.http import Http404

PLACE = "place"
ASSIGNED = "assigned"
NOTHING = Q(pk__in=[])


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> "ScopedQuerySet":
        return self.filter(scope_q(self.model, user))


def _active(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)


def scope_q(model: type[models.Model], user: Any) -> Q:
    """The Q object that limits `model` to what `user` may see. Nothing for anonymous or inactive users."""
    if not _active(user):
        return NOTHING
    access = user.data_access(getattr(model, "scope_data_kind", "case"))
    if access is None:
        return NOTHING
    condition = NOTHING
    if access == PLACE:
        path_lookup = getattr(model, "scope_path_lookup", "jurisdiction__path")
        if user.scope_path:
            condition = Q(**{f"{path_lookup}__startswith": user.scope_path})
    dept_lookup = getattr(model, "scope_department_lookup", None)
    if dept_lookup and user.department_id:
        condition |= Q(**{dept_lookup: user.department_id})
    if user.department_id:
        for reader_lookup in getattr(model, "scope_reader_department_lookups", ()) or ():
            condition |= Q(**{reader_lookup: user.department_id})
    user_lookup = getattr(model, "scope_user_lookup", None)
    if user_lookup:
        condition |= Q(**{user_lookup: user.pk})
    for kind, rows in (getattr(model, "scope_sensitive_rows", None) or {}).items():
        if user.data_access(kind) is None:
            condition &= ~rows
    return condition


def ancestor_paths(path: str) -> list[str]:
    """'140311/140311101/' → ['140311/', '140311/140311101/']: the node's own path and those above it."""
    codes = [c for c in path.split("/") if c]
    return ["/".join(codes[: i + 1]) + "/" for i in range(len(codes))]


def place_q(model: type[models.Model], user: Any) -> Q:
    """Configuration-style visibility: what scope_q gives, plus the rows owned by the nodes above the user's
    (a township sees the district's categories and departments, never a sibling township's)."""
    condition = scope_q(model, user)
    if _active(user) and user.scope_path and user.data_access(getattr(model, "scope_data_kind", "case")) == PLACE:
        lookup = getattr(model, "scope_path_lookup", "jurisdiction__path")
        condition |= Q(**{f"{lookup}__in": ancestor_paths(user.scope_path)})
    return condition


def get_visible_or_404(queryset_or_model: Any, user: Any, **lookup: Any) -> Any:
    """Fetch one object the user may see, or raise Http404 (never 403: outsiders learn nothing)."""
    qs = queryset_or_model
    if isinstance(qs, type) and issubclass(qs, models.Model):
        qs = qs.objects.all()
    try:
        return qs.visible_to(user).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404("您要找的记录不存在，或不在您的管辖范围内。") from None
    except qs.model.MultipleObjectsReturned:
        # A record matched twice through the OR of scope conditions joins; take it once.
        return qs.visible_to(user).filter(**lookup).distinct().get()


def scoped(model: type, **kwarg_attrs: str):
    """Declare on a function view which model its URL keywords look up, e.g. @scoped(Node, code="code").

    The generic leak test reads it to build the URL of another township's record. Default: pk -> pk.
    """
    def decorator(view):
        view.scoped_model = model
        view.scoped_kwargs = kwarg_attrs or {"pk": "pk"}
        return view
    return decorator
