"""Extension points: each app registers its navigation, home panels and demo-data generator from its
AppConfig.ready(), so adding a module never edits a shared list.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    order: int = 50
    data_kind: str | None = None  # the user must be allowed this kind of data (core.scoping)
    capability: str | None = None  # and hold this capability (accounts.permissions)
    roles: frozenset[str] = field(default_factory=frozenset)  # and, when given, have one of these roles

    def allowed(self, user: Any) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        if self.data_kind and not user.may_see_data_kind(self.data_kind):
            return False
        if self.capability and not user.can(self.capability):
            return False
        if self.roles and user.role not in self.roles:
            return False
        return True


_NAV: dict[str, NavItem] = {}
_HOME_PANELS: list[tuple[int, Callable[[Any], dict | None]]] = []
_SEEDERS: dict[str, tuple[int, Callable[..., None]]] = {}
_ACTION_LABELS: dict[str, str] = {}


def nav(key: str, label: str, url_name: str, *, order: int = 50, data_kind: str | None = None,
        capability: str | None = None, roles: set[str] | None = None) -> None:
    _NAV[key] = NavItem(key, label, url_name, order, data_kind, capability, frozenset(roles or ()))


def nav_items(user: Any) -> list[NavItem]:
    return sorted((item for item in _NAV.values() if item.allowed(user)), key=lambda i: (i.order, i.key))


def link_allowed(user: Any, url_name: str) -> bool:
    """Whether a link to `url_name` is offered to `user`: the rule of its navigation entry, when it has one (a
    page's shortcut to another page follows the menu, so no button leads to a refusal)."""
    items = [item for item in _NAV.values() if item.url_name == url_name]
    return not items or any(item.allowed(user) for item in items)


def home_panel(order: int = 50):
    """Register `func(request) -> {"title", "url", "rows": [(label, value, url)], "links": [(text, url)], "empty": str} | None` for the home page."""
    def decorator(func: Callable[[Any], dict | None]):
        _HOME_PANELS.append((order, func))
        _HOME_PANELS.sort(key=lambda pair: pair[0])
        return func
    return decorator


def home_panels(request: Any) -> list[dict]:
    panels = []
    for _order, func in _HOME_PANELS:
        panel = func(request)
        if panel:
            panels.append(panel)
    return panels


def seeder(name: str, order: int):
    """Register a demo-data generator `func(ctx: SeedContext)`; they run by `order`."""
    def decorator(func: Callable[..., None]):
        _SEEDERS[name] = (order, func)
        return func
    return decorator


def seeders() -> list[tuple[str, Callable[..., None]]]:
    return [(name, func) for name, (order, func) in sorted(_SEEDERS.items(), key=lambda kv: (kv[1][0], kv[0]))]


def action_label(code: str, label: str) -> None:
    """The Chinese name of an audited action code ("hazard.complete"), registered by the layer that owns it
    (the case layer registers every transition of a kind): the audit log reads it without importing that layer."""
    _ACTION_LABELS[code] = label


def action_labels() -> dict[str, str]:
    return _ACTION_LABELS


_OBJECT_TYPE_LABELERS: dict[str, Callable[[str], str]] = {}


def object_type_labeler(prefix: str, func: Callable[[str], str]) -> None:
    """The audit log's name for entries whose object_type starts with `prefix` and names no model ("ledger."):
    `func(rest) -> label`, registered by the app that owns those objects (the ledgers app: 某某台账)."""
    _OBJECT_TYPE_LABELERS[prefix] = func


def object_type_labelers() -> dict[str, Callable[[str], str]]:
    return dict(_OBJECT_TYPE_LABELERS)
