"""The import engine: read → clean → validate every row (streaming, nothing written) → upsert by natural key
in batches, in one transaction. And export through the same spec.

Rules (docs/ledgers.md): a missing required column fails the file before any row is read; every bad cell
is reported (row, header, value, reason in Chinese); the same key twice in one file is an error; a row
outside the importing user's scope is an error, and so is a key that belongs to a record outside it; by
default nothing is written when any row is bad; `skip_invalid` writes the good rows and returns the bad
ones for an errors workbook; an unchanged row writes nothing.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import IO, Any, Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from pingan.core import audit

from pingan.core.cleaning import CellError, clean_text
from .columns import Column, PlaceColumn, TextColumn
from .places import PlaceIndex
from .readers import LedgerFileError, ReadLimits, open_ledger
from .spec import LedgerSpec, today

MAX_REPORTED_ERRORS = 100_000


@dataclass
class CellProblem:
    row: int
    header: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行" if self.row else "文件"
        column = f"“{self.header}”列" if self.header else ""
        value = f"（值：{self.value}）" if self.value else ""
        return f"{where}{column}{value}：{self.reason}"


@dataclass
class ImportResult:
    kind: str
    label: str
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[CellProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    bad_rows: dict[int, list[Any]] = field(default_factory=dict)  # row number → raw cells (errors workbook)
    headers: list[str] = field(default_factory=list)
    file_error: str = ""
    written: bool = False
    dry_run: bool = False

    @property
    def invalid(self) -> int:
        return len({p.row for p in self.problems if p.row})

    @property
    def ok(self) -> bool:
        """Every row went in (or, for a dry run, would go in)."""
        return not self.file_error and not self.problems

    def summary(self) -> str:
        if self.file_error:
            return f"{self.label}台账无法导入：{self.file_error}"
        verb = "可导入" if not self.written else "已导入"
        parts = [f"共 {self.total} 行", f"新增 {self.created} 条", f"更新 {self.updated} 条", f"无变化 {self.unchanged} 条"]
        if self.problems:
            parts.append(f"有错误 {self.invalid} 行（{len(self.problems)} 处）")
        head = f"{self.label}台账{verb if not self.problems or self.written else '未导入'}"
        return f"{head}：" + "，".join(parts) + "。"


class LedgerContext:
    """What one import or export needs besides the rows: the user, their scope, the tree, link caches."""

    def __init__(self, user: Any, spec: LedgerSpec, places: PlaceIndex | None = None, *, full_values: bool = False):
        self.user = user
        self.spec = spec
        # Personal numbers (ID, phone) are displayed in full only when this is set: an export that asked for
        # them with a reason (export.export_ledger checks the right), or an import, whose comparisons of old
        # and new values are never shown to anyone (a masked comparison would miss a changed phone).
        self.full_values = full_values
        self.scope_path = getattr(user, "scope_path", "") if user is not None else ""
        self.today = today()
        self._places = places
        self._links: dict[tuple, dict[str, list[int]]] = {}
        self.present_headers: set[str] = {c.header for c in spec.columns}
        self._place_column = next((c for c in spec.columns if isinstance(c, PlaceColumn)), None)

    @property
    def places(self) -> PlaceIndex:
        if self._places is None:
            self._places = PlaceIndex.load(self.user)
        return self._places

    def display_from_level(self, default: str) -> str:
        """Exports by a user above county level name the county too, so paths stay unambiguous."""
        if self.user is not None and getattr(self.user, "scope", None) is not None:
            if self.user.scope.level in ("province", "city"):
                return "county"
        return default

    def link(self, model: Any, name_field: str, name: str) -> int | None:
        """The id of the one record the user may see named `name`, else None (kept as text)."""
        cache_key = (model, name_field)
        if cache_key not in self._links:
            qs = model.objects.visible_to(self.user) if self.user is not None else model.objects.all()
            names: dict[str, list[int]] = {}
            for pk, value in qs.values_list("pk", name_field):
                names.setdefault(clean_text(value), []).append(pk)
            self._links[cache_key] = names
        ids = self._links[cache_key].get(clean_text(name), [])
        return ids[0] if len(set(ids)) == 1 else None

    def path_of_row(self, fields: dict[str, Any]) -> str:
        if self._place_column is None:
            return ""
        node = self.places.by_id.get(fields.get(self._place_column.field))
        return node.path if node else ""


def check_permission(spec: LedgerSpec, user: Any, capability: str) -> None:
    if spec.export_only and capability == spec.import_capability:
        raise PermissionDenied(spec.export_only)
    if user is None:
        return
    kind = getattr(spec.model, "scope_data_kind", "case")
    if not user.is_active or not user.may_see_data_kind(kind) or not user.can(capability):
        raise PermissionDenied(f"您的角色不能{'导入' if capability == spec.import_capability else '导出'}{spec.label}台账。")


class _Rollback(Exception):
    """Leaves the import's transaction without writing (dry run, or bad rows without skip_invalid)."""


Progress = Callable[[int, int], None]


def import_ledger(spec: LedgerSpec, source: str | IO[bytes], *, user: Any, filename: str | None = None,
                  dry_run: bool = False, skip_invalid: bool = False, places: PlaceIndex | None = None,
                  limits: ReadLimits | None = None, progress: Progress | None = None) -> ImportResult:
    """Validate a whole ledger, then (unless dry_run, and only if valid or skip_invalid) write it.

    The file is streamed once: each batch of valid rows is matched against existing records and, when the
    import writes, written at once inside the import's transaction. The first bad row (without skip_invalid)
    stops the writing; the rest of the file is still validated so every bad cell is reported, and the
    transaction is rolled back, so nothing is written. Memory stays bounded by the batch size.

    `limits` bounds what the file may hold (default: the settings); `progress(done, total)` is called after
    each batch with the rows read so far and the rows the file says it has (0 when unknown).
    """
    check_permission(spec, user, spec.import_capability)
    result = ImportResult(kind=spec.kind, label=spec.label, dry_run=dry_run)
    ctx = LedgerContext(user, spec, places, full_values=True)
    try:
        sheet = _open(spec, source, filename, ctx, result, limits)
        total_hint = sheet.total_hint

        def report() -> None:
            if progress is not None:
                progress(result.total, max(total_hint, result.total))

        if dry_run:
            for batch in _validated_batches(spec, sheet, ctx, result):
                _split_existing(spec, batch, ctx, result)
                report()
            report()
            return result
        with transaction.atomic():
            writing = True
            for batch in _validated_batches(spec, sheet, ctx, result):
                kept = _split_existing(spec, batch, ctx, result)
                if writing and result.problems and not skip_invalid:
                    writing = False
                if writing and kept:
                    _write(spec, kept, ctx)
                report()
            report()
            if result.problems and not skip_invalid:
                raise _Rollback
            result.written = True
            audit.record(actor=user, action="ledger.import", object_type=f"ledger.{spec.kind}",
                         object_repr=f"{spec.label}台账",
                         changes={"total": result.total, "created": result.created, "updated": result.updated,
                                  "unchanged": result.unchanged, "invalid": result.invalid,
                                  "file": filename or str(source)},
                         outcome="success" if result.ok else "failure", detail=result.summary())
    except _Rollback:
        result.written = False
    except LedgerFileError as exc:
        result.file_error = str(exc)
        result.written = False
    return result


def _open(spec: LedgerSpec, source: Any, filename: str | None, ctx: LedgerContext, result: ImportResult,
          limits: ReadLimits | None = None) -> Any:
    """Open the file and check its header row (a missing required column fails the file)."""
    sheet = open_ledger(source, filename, limits)
    headers = sheet.headers
    result.headers = headers
    known = {c.header: c for c in spec.columns}
    seen: set[str] = set()
    for header in headers:
        if header in seen and header:
            if sheet.close:
                sheet.close()
            raise LedgerFileError(f"列名“{header}”重复出现，每列只能出现一次。")
        seen.add(header)
    missing = [c.header for c in spec.required_columns if c.header not in seen]
    if missing:
        if sheet.close:
            sheet.close()
        raise LedgerFileError(
            f"缺少必填列：{'、'.join(missing)}。第 1 行应为列名，{spec.label}台账的列为：{'、'.join(spec.headers)}。")
    unknown = [h for h in headers if h and h not in known]
    if unknown:
        result.warnings.append(f"以下列不属于{spec.label}台账，已忽略：{'、'.join(unknown)}")
    ctx.present_headers = {h for h in headers if h in known}
    return sheet


_OK, _EMPTY, _BAD = 0, 1, 2
_MEMO_LIMIT = 50_000


def _cell_reader(column: Any, ctx: LedgerContext):
    """raw -> (status, value-or-reason) for one column: cleaning and parsing, with a memo for columns whose
    parse is a pure function of the cell (dates, codes, places repeat across a ledger's rows)."""
    parse, is_empty = column.parse, column.is_empty
    default_empty = type(column).is_empty is Column.is_empty
    if type(column).parse is TextColumn.parse and default_empty:
        max_length = column.max_length

        def read_text(raw: Any) -> tuple[int, Any]:
            text = clean_text(raw)
            if not text:
                return _EMPTY, None
            if max_length and len(text) > max_length:
                return _BAD, f"太长（{len(text)} 字），最多 {max_length} 字"
            return _OK, text
        return read_text

    def read(raw: Any) -> tuple[int, Any]:
        if (clean_text(raw) == "") if default_empty else is_empty(raw):
            return _EMPTY, None
        try:
            return _OK, parse(raw, ctx)
        except CellError as exc:
            return _BAD, exc.reason
        except ValidationError as exc:
            return _BAD, "；".join(exc.messages)

    if not getattr(type(column).parse, "pure", False):
        return read
    memo: dict[Any, tuple[int, Any]] = {}

    def read_memo(raw: Any) -> tuple[int, Any]:
        if raw.__class__ is not str:  # 1, 1.0 and True are equal keys but not the same cell
            return read(raw)
        found = memo.get(raw)
        if found is not None:
            return found
        if len(memo) >= _MEMO_LIMIT:
            memo.clear()
        found = memo[raw] = read(raw)
        return found
    return read_memo


def _validated_batches(spec: LedgerSpec, sheet: Any, ctx: LedgerContext, result: ImportResult):
    """The valid rows as batches of (number, fields, cells); bad rows go to result.problems / bad_rows."""
    headers = result.headers
    known = {c.header: c for c in spec.columns}
    width = len(headers)
    readers = [(i, c, c.header, c.field, c.required, c.empty_value, _cell_reader(c, ctx))
               for i, h in enumerate(headers) if (c := known.get(h)) is not None]
    absent = [c for c in spec.columns if c.header not in ctx.present_headers and c.field]
    key_fields = [c.field for c in spec.key_columns]
    first_key_header = spec.key_columns[0].header
    check_row = spec.check_row
    keys: dict[Any, int] = {}
    problems = result.problems
    batch: list[tuple[int, dict[str, Any], list[Any]]] = []
    size = spec.batch_size
    total = 0
    for number, cells in sheet.rows:
        total += 1
        row_problems: list[CellProblem] = []
        fields: dict[str, Any] = {}
        short = len(cells) < width
        for i, column, header, field_name, required, empty_value, read in readers:
            raw = None if short and i >= len(cells) else cells[i]
            status, value = read(raw) if raw is not None else (_EMPTY, None)
            if status == _OK:
                if field_name:
                    fields[field_name] = value
            elif status == _EMPTY:
                if required:
                    row_problems.append(CellProblem(number, header, "", "必填，不能为空"))
                elif field_name:
                    fields[field_name] = empty_value()
            else:
                row_problems.append(CellProblem(number, header, _shown(raw), value))
        for column in absent:
            fields[column.field] = column.empty_value()
        if not row_problems:
            for header, reason in check_row(fields, ctx):
                idx = headers.index(header) if header in headers else None
                raw = cells[idx] if idx is not None and idx < len(cells) else ""
                row_problems.append(CellProblem(number, header, _shown(raw), reason))
        if not row_problems:
            key = tuple(fields[f] for f in key_fields)
            # Plain values as the duplicate check's key: parsed cells may carry more (an ID's cipher …).
            seen_key = tuple(str(k) if isinstance(k, str) else k for k in key)
            first = keys.get(seen_key)
            if first is not None:
                row_problems.append(CellProblem(number, first_key_header, _shown(key[0]),
                                                f"与第 {first} 行重复（{spec.key_label(key)}）"))
            else:
                keys[seen_key] = number
        if row_problems:
            if len(problems) < MAX_REPORTED_ERRORS:
                problems.extend(row_problems)
            result.bad_rows[number] = list(cells) + [None] * (width - len(cells))
            continue
        batch.append((number, fields, cells))
        if len(batch) >= size:
            result.total = total
            yield batch
            batch = []
    result.total = total
    if batch:
        yield batch
    if total == 0:
        raise LedgerFileError("文件中没有数据行（第 1 行是列名，数据从第 2 行开始）。")


def _shown(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, dt.datetime):
        return raw.strftime("%Y-%m-%d")
    text = str(raw).strip()
    return text if len(text) <= 60 else text[:57] + "…"


def _split_existing(spec: LedgerSpec, batch: list, ctx: LedgerContext, result: ImportResult) -> list:
    """Mark each valid row of a batch new, changed or unchanged; a key owned by a record outside the user's
    scope is an error. Returns the rows to write as (number, fields, cells, instance|None, changed fields);
    unchanged rows are counted and dropped, so writing touches only what differs."""
    scope = ctx.scope_path
    kept = []
    existing = spec.existing([spec.key_of(fields) for _, fields, _ in batch])
    for number, fields, cells in batch:
        instance = existing.get(spec.key_of(fields)) if existing else None
        if instance is None:
            kept.append((number, fields, cells, None, None))
            result.created += 1
            continue
        if scope and not spec.scope_path_of(instance, ctx).startswith(scope):
            key = spec.key_of(fields)
            result.problems.append(CellProblem(number, spec.key_columns[0].header, _shown(key[0]),
                                               "该编号已被您管辖范围以外的记录使用"))
            result.bad_rows[number] = list(cells) + [None] * (len(result.headers) - len(cells))
            continue
        changed = _changed_fields(spec, instance, fields, ctx)
        if changed:
            kept.append((number, fields, cells, instance, changed))
            result.updated += 1
        else:
            result.unchanged += 1
    return kept


def _changed_fields(spec: LedgerSpec, instance: Any, fields: dict[str, Any], ctx: LedgerContext) -> dict[str, Any]:
    """The model fields to write: those of columns whose exported cell would differ."""
    present = ctx.present_headers
    data: dict[str, Any] = {}
    for column in spec.columns:
        if not column.field or column.header not in present or column.key:
            continue
        new = column.display(fields.get(column.field), ctx)
        old = column.display(column.value_of(instance), ctx)
        if new != old:
            data.update(column.to_fields(fields.get(column.field), ctx))
    return data


def _write(spec: LedgerSpec, rows: list, ctx: LedgerContext) -> None:
    """Write one batch (inside the import's transaction): updates one by one, new records in bulk."""
    new_rows = []
    for _number, fields, _cells, instance, changed in rows:
        if instance is None:
            data: dict[str, Any] = {}
            for column in spec.columns:
                if column.field and column.field in fields:
                    data.update(column.to_fields(fields[column.field], ctx))
            new_rows.append(spec.prepare(data, ctx, None))
        else:
            spec.update(instance, spec.prepare(dict(changed), ctx, instance), ctx)
    if new_rows:
        spec.create_batch(new_rows, ctx)
