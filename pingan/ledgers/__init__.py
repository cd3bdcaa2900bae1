"""The ledger (台账) import/export framework: the `ledgers` app, a floor above geo, accounts and jobs. See
docs/ledgers.md.

Apps declare a `LedgerSpec` in `<app>/ledgers.py` and decorate it with `register`; the CLI
(`import_ledger`, `export_ledger`), the web pages (/ledgers/) and the background jobs find it by its kind.

The names below are the framework's public API (`from pingan.ledgers import LedgerSpec, register, ...`).
They are resolved on first use (PEP 562) because this package is also the Django app: Django imports it
before the model registry is ready, and the spec module needs `core.models`. No cycle is hidden: every
name comes from a module of this package.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    # Cell cleaning lives in core (pingan.core.cleaning: geo's period parsing uses it too); re-exported here.
    "pingan.core.cleaning": ("CellError", "clean_text", "parse_bool", "parse_date", "parse_int", "to_half_width"),
    "columns": ("BooleanColumn", "ChoiceColumn", "Column", "DateColumn", "IntegerColumn", "LinkedNameColumn",
                "PlaceColumn", "TextColumn"),
    "engine": ("CellProblem", "ImportResult", "LedgerContext", "check_permission", "import_ledger"),
    "export": ("export_ledger", "export_rows"),
    "places": ("PlaceIndex",),
    "readers": ("LedgerFileError",),
    "registry": ("UnknownLedger", "all_specs", "autodiscover", "get", "register"),
    "spec": ("LedgerSpec", "bulk_audit", "bulk_insert"),
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module if "." in module else f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
