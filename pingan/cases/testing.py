"""Test support for the case layer: one factory per registered case kind, read by the contract test
(`pingan/cases/tests/test_contract.py`), which runs the same checks on every kind of `definitions.kinds()`.

A kind registers its factory with the `case_factory(label)` decorator on a class (no instances: plain
functions on it), in its app's `testing.py` (found by `factory_for`, like the leak factories) or in the
contract test's conftest:

    @case_factory("hazards.hazard")
    class HazardCases:
        registrar = "township_{side}"          # the persona who registers a case in township `side`
        reporter = ""                          # the persona recorded as the reporter, if the kind has one
        paths = {"rectifying": [("handler_{side}", "start")], ...}   # how each state is reached

        def build(world, side):                # an unsaved case inside township `side`, assigned to its
            ...                                # 派出所 (world.departments["police_<side>"]) where it can be
        def inputs(world, case, action):       # {"data": {...}, "note": "..."} for a transition
            ...
        def assign(world, side, department):   # a new open case of township `side` assigned to `department`
            ...                                # through the engine (events: 派遣; hazards: registered so)

Persona names are `accounts.testing.World.users` keys; "{side}" is replaced by the case's side.
"""
from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps

CASE_FACTORIES: dict[str, type] = {}


def case_factory(label: str):
    """Register the test factory of the case kind `label` ("events.event")."""
    def decorator(cls):
        CASE_FACTORIES[label] = cls
        return cls
    return decorator


def _discover() -> None:
    for config in apps.get_app_configs():
        if config.name.startswith("pingan."):
            try:
                importlib.import_module(f"{config.name}.testing")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.testing":
                    raise


def factory_for(label: str) -> type:
    if label not in CASE_FACTORIES:
        _discover()
    try:
        return CASE_FACTORIES[label]
    except KeyError:
        raise LookupError(f"case kind {label} has no test factory: register one with "
                          f"pingan.cases.testing.case_factory({label!r}) in its app's testing.py") from None


def persona(world: Any, template: str, side: str) -> Any:
    return world.users[template.format(side=side)]


def take(world: Any, case: Any, side: str, who: str, action: str) -> Any:
    """Take `action` on `case` as persona `who` with the factory's inputs (through the engine)."""
    from . import engine

    factory = factory_for(case._meta.label_lower)
    given = factory.inputs(world, case, action)
    engine.transition(actor=persona(world, who, side), case=case, action=action, data=given.get("data") or {},
                      note=given.get("note", ""))
    case.refresh_from_db()
    return case


def register(world: Any, side: str, label: str) -> Any:
    """A new case of kind `label` in township `side`, registered through the engine by the kind's registrar."""
    from . import engine

    factory = factory_for(label)
    case = factory.build(world, side)
    return engine.case_register(actor=persona(world, factory.registrar, side), case=case)


def make_case(world: Any, side: str, label: str, state: str | None = None) -> Any:
    """A case of kind `label` in township `side`, walked to `state` (default: its initial state) by the
    personas of the factory's `paths`."""
    factory = factory_for(label)
    case = register(world, side, label)
    if state is not None and state != case.state:
        for who, action in factory.paths[state]:
            take(world, case, side, who, action)
        assert case.state == state, f"{label}: the path to {state} ends in {case.state}"
    return case
