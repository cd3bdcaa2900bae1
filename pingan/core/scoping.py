"""Jurisdiction scoping: the one door to rows.

`Model.objects.visible_to(user)` gives what a user may see: records whose jurisdiction lies at or under the
user's scope node (an indexed prefix match on the node's materialized path), plus records assigned to the
user's department or to the user. Every selector, view, API, export and statistic starts from it; an object
outside answers 404 (`get_visible_or_404`).

A model opts in by using `ScopedQuerySet.as_manager()` and declaring, as class attributes:
- `scope_path_lookup`: the lookup that reaches the jurisdiction path (default "jurisdiction__path");
- `scope_department_lookup` / `scope_user_lookup`: optional lookups of the assigned department / user;
- `scope_data_kind`: "reference" (the tree, departments, accounts), "case" (events, disputes, petitions,
  hazards), "person" (people and their health data). Roles that must see no case or person data
  (审计管理员, 安全管理员, three-role separation) get nothing of those kinds.
"""
from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.http import Http404


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> "ScopedQuerySet":
        return self.filter(scope_q(self.model, user))


def scope_q(model: type[models.Model], user: Any) -> Q:
    """The Q object that limits `model` to what `user` may see. Nothing for anonymous users."""
    nothing = Q(pk__in=[])
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return nothing
    kind = getattr(model, "scope_data_kind", "case")
    if not user.may_see_data_kind(kind):
        return nothing
    path_lookup = getattr(model, "scope_path_lookup", "jurisdiction__path")
    scope_path = user.scope_path
    condition = Q(**{f"{path_lookup}__startswith": scope_path}) if scope_path else nothing
    dept_lookup = getattr(model, "scope_department_lookup", None)
    if dept_lookup and user.department_id:
        condition |= Q(**{dept_lookup: user.department_id})
    user_lookup = getattr(model, "scope_user_lookup", None)
    if user_lookup:
        condition |= Q(**{user_lookup: user.pk})
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
