"""The ledger (台账) import/export framework. See docs/ledgers.md.

Apps declare a `LedgerSpec` in `<app>/ledgers.py` and decorate it with `register`; the CLI
(`import_ledger`, `export_ledger`) and the web pages (/ledgers/) find it by its kind.
"""
from .cleaning import CellError, clean_text, parse_bool, parse_date, parse_int, to_half_width  # noqa: F401
from .columns import (  # noqa: F401
    BooleanColumn, ChoiceColumn, Column, DateColumn, IntegerColumn, LinkedNameColumn, PlaceColumn, TextColumn,
)
from .engine import CellProblem, ImportResult, LedgerContext, check_permission, import_ledger  # noqa: F401
from .export import export_ledger, export_rows  # noqa: F401
from .places import PlaceIndex  # noqa: F401
from .readers import LedgerFileError  # noqa: F401
from .registry import UnknownLedger, all_specs, autodiscover, get, register  # noqa: F401
from .spec import LedgerSpec, bulk_audit, bulk_insert  # noqa: F401
