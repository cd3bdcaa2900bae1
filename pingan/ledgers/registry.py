"""The ledger registry: each app's `ledgers.py` registers its specs with `@register`; found automatically."""
from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from .spec import LedgerSpec

_SPECS: dict[str, LedgerSpec] = {}
_discovered = False


def register(spec_class: type[LedgerSpec]) -> type[LedgerSpec]:
    spec = spec_class()
    if not spec.kind or not spec.label or not spec.columns:
        raise ValueError(f"{spec_class.__name__}: 台账需要 kind、label 和 columns")
    if not spec.key_columns:
        raise ValueError(f"{spec_class.__name__}: 台账需要至少一个主键列（key=True）")
    headers = [c.header for c in spec.columns]
    if len(set(headers)) != len(headers):
        raise ValueError(f"{spec_class.__name__}: 列名重复")
    _SPECS[spec.kind] = spec
    return spec_class


def autodiscover() -> None:
    global _discovered
    if _discovered:
        return
    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name.startswith("pingan.") and find_spec(f"{config.name}.ledgers"):
            import_module(f"{config.name}.ledgers")
    _discovered = True


class UnknownLedger(LookupError):
    pass


def get(kind: str) -> LedgerSpec:
    autodiscover()
    try:
        return _SPECS[kind]
    except KeyError:
        known = "、".join(sorted(_SPECS)) or "（无）"
        raise UnknownLedger(f"没有名为“{kind}”的台账。可用的台账：{known}。") from None


def all_specs() -> list[LedgerSpec]:
    autodiscover()
    return sorted(_SPECS.values(), key=lambda s: s.kind)


def unregister(kind: str) -> None:
    """For tests that register a throwaway spec."""
    _SPECS.pop(kind, None)


def object_label(kind: str) -> str:
    """The audit log's name of the ledger an entry is about (object_type "ledger.<kind>"): 某某台账."""
    try:
        return f"{get(kind).label}台账"
    except UnknownLedger:  # a removed ledger kind still reads as a ledger
        return "台账"
