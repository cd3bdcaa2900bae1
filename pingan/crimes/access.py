"""Who may read and enter crime figures, beyond capabilities: a department's handler only when the department
is the police (公安); the figures come from the police's statistics."""
from __future__ import annotations

from typing import Any

from pingan.accounts.choices import Role

POLICE_CATEGORY = "公安"


def _police_or_not_handler(user: Any) -> bool:
    if user.role != Role.DEPT_HANDLER:
        return True
    dept = getattr(user, "department", None)
    return dept is not None and dept.category == POLICE_CATEGORY


def may_read(user: Any) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return user.can("crimes.read") and _police_or_not_handler(user)


def may_enter(user: Any) -> bool:
    return may_read(user) and user.can("crimes.enter")


def may_configure(user: Any) -> bool:
    return may_read(user) and user.can("crimes.configure")
