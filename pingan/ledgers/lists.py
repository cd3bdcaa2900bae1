"""Exports of any list page (导出任意列表): the rows the list shows — its filters from the query string, the
user's scope through `visible_to`, the role's data kind — written as .xlsx or .csv (UTF-8 with BOM) by a
background job (pingan.jobs), masked unless full values are asked for with a reason by a role that may reveal
them. See docs/ledgers.md, "导出任意列表".

A module declares the export of each of its list pages in its own `<app>/exports.py`, found automatically:

    from pingan.ledgers.lists import ListColumn, ListExport, filterset_query, register_list

    register_list(ListExport(
        route="hazards:list", label="风险隐患", model=Hazard,
        query=filterset_query(HazardFilter, selectors.hazard_list),   # the list's own base query and FilterSet
        ledger="hazards"))                                           # columns: the ledger's (re-importable)

    register_list(ListExport(route="people:household_list", label="户", model=Household,
        query=filterset_query(HouseholdFilter, selectors.households, bind_empty=True),
        columns=(ListColumn("户号", "number"), ListColumn("所属网格", "jurisdiction.name"), ...)))

A register (pingan.registers) declares its list's export by itself when its routes are built. An app beneath
ledgers (alerts, core) cannot import it: its `exports.py` holds `LIST_EXPORTS = [dict(route=..., columns=
(("表头", "path"), ...), ...)]`, which discovery turns into the same declarations (`from_plain`). The columns are
the ledger spec's where the model has a ledger (so the file re-imports), else the declared `ListColumn`s.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module
from importlib.util import find_spec
from typing import IO, Any, Callable, Iterator

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import QueryDict
from django.utils import timezone

from pingan.core import audit, personal

from .columns import Column
from .engine import LedgerContext
from .spec import LedgerSpec
from .writers import write_csv, write_xlsx

CHUNK = 2000
# Query-string keys that are the page's, not the list's filters.
PAGE_KEYS = ("page", "per_page")
MAX_QUERY_CHARS = 4000


# ------------------------------------------------------------------------------------------------ columns
def _resolve(obj: Any, path: str) -> tuple[Any, Any]:
    """(value, model field or None) at a dotted path; a path may end in a method without arguments."""
    value, fld = obj, None
    for part in path.split("."):
        if value is None:
            return None, None
        fld = None
        meta = getattr(value, "_meta", None)
        if meta is not None:
            try:
                fld = meta.get_field(part)
            except Exception:  # noqa: BLE001 - not a field: a property or a method
                fld = None
        value = getattr(value, part, None)
        if callable(value) and not isinstance(value, models.Model) and not hasattr(value, "all"):
            value = value()
    return value, fld


class ListColumn(Column):
    """A declared column of a list without a ledger: a dotted path (or `getter`), shown as the page shows it
    (是/否, dates as YYYY-MM-DD, times as YYYY-MM-DD HH:MM, choices by `get_x_display`). `personal="phone"` or
    `"id"` (and every PhoneField) is masked unless the export was asked for in full with a reason."""

    def __init__(self, header: str, path: str = "", *, personal: str = "", width: int = 16, getter: Any = None):
        super().__init__(header, None, width=width, getter=getter)
        self.path = path
        self.personal = personal

    def value_of(self, obj: Any) -> Any:
        if self.getter is not None:
            return self.getter(obj), None
        return _resolve(obj, self.path)

    def display(self, value: Any, ctx: Any) -> Any:
        value, fld = value if isinstance(value, tuple) else (value, None)
        kind = self.personal or ("phone" if isinstance(fld, personal.PhoneField) else "")
        if value is None or value == "":
            return None
        if kind and not getattr(ctx, "full_values", False):
            return personal.mask_phone(str(value)) if kind == "phone" else personal.mask_id(str(value))
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, dt.datetime):
            return (timezone.localtime(value) if timezone.is_aware(value) else value).strftime("%Y-%m-%d %H:%M")
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return format(value.normalize(), "f") if value == value.to_integral() else str(value)
        if isinstance(value, (int, float)):
            return value
        if hasattr(value, "all"):  # a many-to-many manager: its items' names
            return "、".join(str(item) for item in value.all())
        return str(value)


# ------------------------------------------------------------------------------------------------ queries
class ListRequest:
    """What a FilterSet may read of a request (its user, its query string) — a job has no request."""

    method = "GET"

    def __init__(self, user: Any, params: QueryDict):
        self.user = user
        self.GET = params
        self.query_params = params


def labelled_errors(form: Any) -> list[str]:
    """A bound form's errors as “字段：原因” lines (the list pages say them the same way)."""
    lines = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields and form.fields[name].label else ""
        for error in errors:
            lines.append(f"{label}：{error}" if label and name != "__all__" else str(error))
    return lines


def filterset_query(filterset: type, base: Callable[[Any], models.QuerySet], *, bind_empty: bool = False,
                    order_by: tuple[str, ...] = ()) -> Callable[[Any, QueryDict], models.QuerySet]:
    """The query of a list page made of its base query (`base(user)`, through visible_to) and its FilterSet,
    bound as the page binds it (`bind_empty`: the page binds even an empty query string). Bad filter values
    raise ValidationError with the FilterSet's Chinese messages."""
    def query(user: Any, params: QueryDict) -> models.QuerySet:
        qs = base(user)
        data = params if (params or bind_empty) else None
        flt = filterset(data, queryset=qs, request=ListRequest(user, params))
        if flt.is_bound and not flt.is_valid():
            raise ValidationError(labelled_errors(flt.form) or ["查询条件有误。"])
        qs = flt.qs
        return qs.order_by(*order_by) if order_by else qs
    return query


# ------------------------------------------------------------------------------------------------ declaration
@dataclass(frozen=True)
class ListExport:
    """The export of one list page.

    - `route`: the list page's URL name (`hazards:list`): the page's button names it, the job keeps it.
    - `query(user, params) -> QuerySet`: the rows the page lists for those query-string params, through
      `visible_to(user)`; raises ValidationError (Chinese) for bad filter values.
    - `ledger`: the kind of the model's ledger spec: its columns and its export capability; else `columns`.
    - `data_kind`: the role's data kind needed (default: the model's `scope_data_kind`); `read_capability`:
      a capability the page itself needs (e.g. people.read_health); `export_capability`: the right to export
      (default: the ledger's export capability, else `ledgers.export`).
    - `personal_data`: declared columns that hold personal numbers (full values need the reveal right).
    """

    route: str
    label: str
    model: type[models.Model]
    query: Callable[[Any, QueryDict], models.QuerySet]
    ledger: str = ""
    columns: tuple[Column, ...] = ()
    data_kind: str = ""
    read_capability: str = ""
    export_capability: str = ""
    personal_data: bool = False
    select_related: tuple[str, ...] = ()
    audit_name: str = ""
    allowed: Callable[[Any], bool] | None = None
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------------------------------------ who
    @property
    def kind(self) -> str:
        return self.data_kind or getattr(self.model, "scope_data_kind", "case")

    @property
    def action(self) -> str:
        """The audit action of an export of this list: `<model>.export` (hazard.export, clue.export)."""
        return f"{self.audit_name or self.model._meta.model_name}.export"

    def spec(self) -> LedgerSpec:
        """The sheet: the ledger's spec, or one made of the declared columns (never registered)."""
        if self.ledger:
            from . import registry

            return registry.get(self.ledger)
        sheet = LedgerSpec()
        sheet.kind = f"list:{self.route}"
        sheet.label = self.label
        sheet.model = self.model
        sheet.columns = list(self.columns)
        sheet.personal_data = self.personal_data
        return sheet

    def capability(self) -> str:
        if self.export_capability:
            return self.export_capability
        return self.spec().export_capability if self.ledger else "ledgers.export"

    def may_export(self, user: Any) -> bool:
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        if not user.may_see_data_kind(self.kind):
            return False
        if self.ledger and not user.may_see_data_kind(getattr(self.spec().model, "scope_data_kind", "case")):
            return False
        if self.read_capability and not user.can(self.read_capability):
            return False
        if self.allowed is not None and not self.allowed(user):
            return False
        return user.can(self.capability())

    def check(self, user: Any) -> None:
        if not self.may_export(user):
            raise PermissionDenied(f"您的角色不能导出{self.label}列表。")

    def may_reveal(self, user: Any) -> bool:
        from .export import REVEAL_CAPABILITY

        return bool(self.spec().personal_data) and user.can(REVEAL_CAPABILITY)

    # ------------------------------------------------------------------------------------------ rows
    def rows_queryset(self, user: Any, params: QueryDict) -> models.QuerySet:
        """Exactly the rows of the list for these params (ValidationError for bad ones), for the sheet's
        columns: a ledger's rows are its own export query (joins, order) limited to the list's ids."""
        listed = self.query(user, clean_params(params))
        if self.ledger:
            spec = self.spec()
            return spec.export_queryset(user, None).filter(pk__in=listed.order_by().values("pk"))
        if self.select_related:
            listed = listed.select_related(*self.select_related)
        return listed


_LISTS: dict[str, ListExport] = {}
_discovered = False


def register_list(entry: ListExport) -> ListExport:
    if not entry.route or ":" not in entry.route or not entry.label:
        raise ValueError("列表导出需要 route（列表页的路由名）和 label")
    if not entry.ledger and not entry.columns:
        raise ValueError(f"{entry.route}: 列表导出需要台账（ledger）或列（columns）")
    _LISTS[entry.route] = entry
    return entry


def from_plain(plain: dict[str, Any]) -> ListExport:
    """A declaration written without importing this app (an app beneath ledgers: alerts, core): a dict of
    ListExport's fields whose `columns` are (header, dotted path or callable[, width]) tuples, in the module's
    `LIST_EXPORTS` list."""
    data = dict(plain)
    columns = []
    for header, source, *rest in data.pop("columns", ()):
        width = rest[0] if rest else 16
        columns.append(ListColumn(header, getter=source, width=width) if callable(source)
                       else ListColumn(header, source, width=width))
    return ListExport(columns=tuple(columns), **data)


def unregister_list(route: str) -> None:
    """For tests that register a throwaway list."""
    _LISTS.pop(route, None)


def autodiscover() -> None:
    """Every app's `exports.py`, and the URLconf (registers declare their list's export with their routes)."""
    global _discovered
    if _discovered:
        return
    from django.apps import apps
    from django.urls import get_resolver

    for config in apps.get_app_configs():
        if config.name.startswith("pingan.") and find_spec(f"{config.name}.exports"):
            module = import_module(f"{config.name}.exports")
            for plain in getattr(module, "LIST_EXPORTS", ()):
                register_list(from_plain(plain))
    get_resolver().url_patterns  # noqa: B018 - builds every app's routes, registers included
    _discovered = True


def get_list(route: str) -> ListExport | None:
    autodiscover()
    return _LISTS.get(route)


def all_lists() -> list[ListExport]:
    autodiscover()
    return sorted(_LISTS.values(), key=lambda e: e.route)


# ------------------------------------------------------------------------------------------------ params
def clean_params(params: QueryDict) -> QueryDict:
    result = params.copy()
    for key in PAGE_KEYS:
        result.pop(key, None)
    return result


def parse_query(text: str) -> QueryDict:
    """The list page's query string as it travels in the export form and the job."""
    text = (text or "").lstrip("?")
    if len(text) > MAX_QUERY_CHARS:
        raise ValidationError("查询条件太长。")
    return clean_params(QueryDict(text, mutable=False))


_NUMBER_LIKE = re.compile(r"\d{6,}[\dXx]*")


def _masked(value: str) -> str:
    """A filter value as the audit log and the job page keep it: a run of digits that may be an ID number or
    a phone (a people search by number) is masked the way the pages mask it."""
    def mask(match: re.Match) -> str:
        text = match.group(0)
        return personal.mask_phone(text) if len(text) == 11 else personal.mask_id(text)
    return _NUMBER_LIKE.sub(mask, value)


def holds_numbers(params: QueryDict) -> bool:
    return any(_NUMBER_LIKE.search(v) for _k, values in params.lists() for v in values)


def filters_of(params: QueryDict) -> dict[str, Any]:
    """The filters for the audit entry and the job page: one value, or the list of values of a repeated key;
    numbers that may be personal masked."""
    result: dict[str, Any] = {}
    for key, values in params.lists():
        values = [_masked(v) for v in values if v != ""]
        if values:
            result[key] = values[0] if len(values) == 1 else values
    return result


# ------------------------------------------------------------------------------------------------ export
def export_list(entry: ListExport, target: str | IO[bytes], *, user: Any, params: QueryDict, fmt: str = "xlsx",
                full: bool = False, reason: str = "", approved_by: Any = None,
                progress: Callable[[int, int], None] | None = None, progress_every: int = CHUNK) -> int:
    """Write the list's rows to `target` (streamed: the rows are read `CHUNK` at a time, never all at once);
    returns the row count. Rights, scope and filters are checked here, at the moment of writing. Audited
    as `<model>.export` with the list, the filters, the row count and whether numbers were full."""
    from .export import check_full_export

    entry.check(user)
    spec = entry.spec()
    if full:
        reason = check_full_export(spec, user, reason, approved_by)
    params = clean_params(params)
    qs = entry.rows_queryset(user, params)
    total = qs.count()
    ctx = LedgerContext(user, spec, full_values=full)

    def rows() -> Iterator[list[Any]]:
        done = 0
        for obj in qs.iterator(chunk_size=CHUNK):
            yield spec.export_row(obj, ctx)
            done += 1
            if progress is not None and done % progress_every == 0:
                progress(done, max(total, done))

    count = write_csv(target, spec, rows()) if fmt == "csv" else write_xlsx(target, spec, rows())
    if progress is not None:
        progress(count, max(total, count))
    filters = filters_of(params)
    changes = {"list": entry.route, "label": entry.label, "filters": filters, "rows": count, "format": fmt,
               "full": bool(full), "ledger": entry.ledger}
    detail = f"导出{entry.label}列表 {count} 行"
    if filters:
        detail += "（筛选：" + "，".join(f"{k}={v}" for k, v in filters.items()) + "）"
    if spec.personal_data:
        detail += "，身份号码和电话为完整值" if full else "，身份号码和电话已脱敏"
    if full:
        changes["reason"] = reason
        detail += f"，事由：{reason}"
        if approved_by is not None:
            changes["approved_by"] = approved_by.username
    audit.record(actor=user, action=entry.action, object_type=entry.model._meta.label_lower,
                 object_repr=f"{entry.label}列表", scope_path=getattr(user, "scope_path", "") or "",
                 changes=changes, detail=detail)
    return count
