"""Registers (登记簿): plain scoped records edited by people — teams, cameras, mediators, meeting records …

One `Register` declaration gives the list page (a django-filter FilterSet, columns, pagination), the detail
page, the create/edit/delete form pages and a DRF viewset, all through `visible_to(user)` (404 outside scope),
with the write capability checked (a denial audited, 403) and every write going through the register's own
services. See docs/development/adding-a-register.md.

    from pingan.registers import Register, RegisterForm, RegisterViewSet, register_urlpatterns

The names are resolved on first use (PEP 562), because this package is also the Django app and Django imports
it before the model registry is ready.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "declaration": ("Register", "cell", "field_label"),
    "forms": ("RegisterForm", "apply_errors"),
    "views": ("register_urlpatterns",),
    "api": ("RegisterViewSet", "RegisterSerializer"),
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
