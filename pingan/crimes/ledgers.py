"""The crimes ledger (刑事案件统计, monthly counts) as docs/ledgers.md defines it:
月份* (YYYY-MM) · 所属乡镇* · 案件类别* · 立案数* (integer ≥ 0); key 月份+所属乡镇+案件类别.

Whether a category counts as 八类 comes from the configuration (crimes:categories), never from the ledger.
A row whose key exists updates its 立案数 (audited before/after); the same file twice changes nothing.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from pingan.ledgers import CellError, Column, IntegerColumn, LedgerSpec, PlaceColumn, parse_date, register
from pingan.ledgers.columns import pure

from .access import may_enter, may_read
from .choices import MAX_COUNT
from .models import CrimeCategory, CrimeCount
from .months import parse_month, this_month


class MonthColumn(Column):
    """A month: 2017-03, 2017/3, 2017.3, 2017年3月, or a date / an Excel date cell (its month)."""

    kind_label = "月份"

    def __init__(self, header: str, field: str, **kwargs: Any):
        super().__init__(header, field, width=10, **kwargs)

    @pure
    def parse(self, raw: Any, ctx) -> Any:
        try:
            month = parse_month(raw)
        except ValueError as exc:
            if isinstance(raw, (int, float, dt.date)) and not isinstance(raw, bool):
                month = parse_date(raw).replace(day=1)
            else:
                raise CellError(str(exc)) from None
        if month > this_month():
            raise CellError("还未到的月份，不能填报")
        return month

    def display(self, value: Any, ctx) -> Any:
        return None if value is None else f"{value:%Y-%m}"

    def describe(self) -> str:
        return "YYYY-MM，如 2017-03（也可写 2017年3月）；不能是未来的月份"


class CategoryColumn(Column):
    """案件类别: a category of the configured list, by name or code."""

    kind_label = "案件类别"

    def __init__(self, header: str, field: str, **kwargs: Any):
        super().__init__(header, field, width=12, **kwargs)

    @staticmethod
    def _table(ctx) -> dict[str, Any]:
        table = getattr(ctx, "_crime_categories", None)
        if table is None:
            cats = list(CrimeCategory.objects.filter(is_active=True).order_by("order", "code"))
            table = {"by_key": {}, "names": [c.name for c in cats],
                     "by_id": {c.pk: c.name for c in CrimeCategory.objects.all()}}
            for c in cats:
                table["by_key"][c.name] = c.pk
                table["by_key"][c.code.lower()] = c.pk
            ctx._crime_categories = table
        return table

    @pure
    def parse(self, raw: Any, ctx) -> Any:
        from pingan.ledgers import clean_text

        text = clean_text(raw).replace(" ", "")
        table = self._table(ctx)
        found = table["by_key"].get(text) or table["by_key"].get(text.lower())
        if found is None:
            raise CellError(f"不在案件类别表中，应为：{'、'.join(table['names'])}")
        return found

    def display(self, value: Any, ctx) -> Any:
        return None if value is None else self._table(ctx)["by_id"].get(value)

    def describe(self) -> str:
        return "案件类别名称：" + "、".join(CrimeCategory.objects.filter(is_active=True).values_list("name", flat=True))


@register
class CrimeLedger(LedgerSpec):
    kind = "crimes"
    label = "刑事案件统计"
    model = CrimeCount
    audit_action = "crimecount.import"
    import_capability = "crimes.enter"
    export_capability = "crimes.read"
    description = "刑事案件月度立案数：一行为一个乡镇一个月份一个类别；月份、乡镇、类别相同的行更新原数。"
    export_ordering = ("month", "jurisdiction__code", "category__order")

    columns = [
        MonthColumn("月份", "month", key=True),
        PlaceColumn("所属乡镇", "jurisdiction_id", key=True, levels=("township",), width=14,
                    help="乡镇（街道）名称或 9 位区划代码，如“河底镇”"),
        CategoryColumn("案件类别", "category_id", key=True),
        IntegerColumn("立案数", "count", required=True, min_value=0, max_value=MAX_COUNT,
                      help="不小于 0 的整数"),
    ]

    def check_row(self, row: dict[str, Any], ctx) -> list[tuple[str, str]]:
        if ctx.user is not None and not may_enter(ctx.user):
            return [("所属乡镇", "您的角色不能填报刑事案件统计")]
        return []

    def export_queryset(self, user: Any, node: Any):
        qs = super().export_queryset(user, node)
        return qs if user is None or may_read(user) else qs.none()

    def prepare(self, fields: dict[str, Any], ctx, instance: CrimeCount | None = None) -> dict[str, Any]:
        if instance is None:
            fields.setdefault("entered_by_id", getattr(ctx.user, "pk", None))
            fields.setdefault("source", "台账导入")
        return fields
