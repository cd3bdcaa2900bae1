"""Test support shared by every app: the leak-test registries and the test password. The two-township world
and its personas need geo and accounts, so they live in `pingan.accounts.testing` (`World`, `build_world`).

Apps register, in their own `testing.py` (found automatically by the generic leak test):
- `leak_factory(Model)`: a function `(world, side) -> instance` making one record inside township `side`
  ("a" = 河底镇 or "b" = 荫营镇). Every model served by a route with a URL keyword needs one.
- `unscoped_route(name, reason)`: a route name that deliberately shows no jurisdiction data (login, public
  pages); the reason is printed in the test.
"""
from __future__ import annotations

import uuid
from typing import Any, Callable

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from .scoping import scoped  # noqa: F401  (re-exported for tests)

LEAK_FACTORIES: dict[type, Callable[[Any, str], Any]] = {}
# Every factory of a model by variant name ("" = the one in LEAK_FACTORIES). A model holding rows of two data
# kinds (enrolments of health and of other kinds, their visits and fund spendings) registers one per kind, so
# the role net checks the health rule as well as the place rule.
LEAK_VARIANTS: dict[type, dict[str, Callable[[Any, str], Any]]] = {}
UNSCOPED_ROUTES: dict[str, str] = {}
# POST-only or side-effect routes the leak test must not GET blindly: name -> HTTP method to probe.
TEST_PASSWORD = "Pingan-Test-2026!"


def leak_factory(model: type, variant: str = ""):
    """Register `func(world, side) -> instance`. The instance should carry a marker (see `marked`)."""
    def decorator(func):
        if not variant:
            LEAK_FACTORIES[model] = func
        LEAK_VARIANTS.setdefault(model, {})[variant] = func
        return func
    return decorator


def new_marker() -> str:
    """A token no other record shares, ASCII so that JSON, CSV and HTML show it unchanged."""
    return "MK" + uuid.uuid4().hex[:12]


def marked(instance: Any, marker: str, *also: str) -> Any:
    """Attach the marker a factory wrote into a field its detail page and list rows show; the role net
    looks for exactly this string, so a page showing another record of the same township does not count.
    `also`: other strings as unique to the record that some pages show instead (a case's number)."""
    instance.leak_marker = marker
    instance.leak_markers = (marker, *[m for m in also if m])
    return instance


def audited(instance: Any, detail: str = "") -> Any:
    """For a factory that writes a record directly: the creation entry its service would have written (a
    system entry with the record's fields), so the record's history page has something to show."""
    from . import audit

    audit.record(actor=None, action=f"{instance._meta.model_name}.create", obj=instance,
                 changes=audit.diff({}, audit.snapshot(instance)), detail=detail)
    return instance


def unscoped_route(name: str, reason: str) -> None:
    UNSCOPED_ROUTES[name] = reason


def migrate_to(target: list[tuple[str, str]]):
    """Run the real migrations of this test database to `target` ([(app, migration)]) and return the apps of
    that state (for tests of a data migration, forwards and back; needs a transactional test)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    executor.loader.build_graph()
    return executor.loader.project_state(target).apps
