"""Column types of a ledger spec. A column reads one cell into a model value (`parse`), writes a model value
back as a cell (`display`), and says which model attributes it fills (`to_fields`).

Two rows are "the same" for a column when their displayed cells are equal, so an import of an exported
ledger changes nothing even where the ledger is coarser than the model (整治中 covers 整治中 and 待验收).
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from pingan.core.cleaning import CellError, clean_text, parse_bool, parse_date, parse_int

if TYPE_CHECKING:  # pragma: no cover
    from .engine import LedgerContext


def pure(parse: Any) -> Any:
    """Marks a parse method whose result depends only on the cell (and the import's context, which is fixed
    for one import): the engine then parses each distinct cell text once. A subclass that overrides parse
    is not pure unless it says so."""
    parse.pure = True
    return parse


class Column:
    """One ledger column. `field` is the model attribute (attname: `jurisdiction_id` for a foreign key)."""

    kind_label = "文本"

    def __init__(self, header: str, field: str | None, *, required: bool = False, key: bool = False,
                 help: str = "", width: int = 14, default: Any = None, getter: Any = None):
        self.getter = getter  # export: obj -> model value, when the attribute alone is not the value
        self.header = header
        self.field = field
        self.required = required or key
        self.key = key
        self.help = help
        self.width = width
        self.default = default

    # Import ----------------------------------------------------------------------------------------
    def is_empty(self, raw: Any) -> bool:
        return raw is None or clean_text(raw) == ""

    def parse(self, raw: Any, ctx: "LedgerContext") -> Any:
        """The model value of a cell; `raw` is not empty. Raise CellError with a Chinese reason."""
        return clean_text(raw)

    def empty_value(self) -> Any:
        return self.default

    def to_fields(self, value: Any, ctx: "LedgerContext") -> dict[str, Any]:
        return {self.field: value} if self.field else {}

    # Export ----------------------------------------------------------------------------------------
    def value_of(self, obj: Any) -> Any:
        if self.getter is not None:
            return self.getter(obj)
        return getattr(obj, self.field) if self.field else None

    def display(self, value: Any, ctx: "LedgerContext") -> Any:
        """The cell written on export for a model value (None → empty cell)."""
        return value if value not in (None, "") else None

    def describe(self) -> str:
        """What the column takes, for the template's 填写说明 sheet and docs."""
        return self.help or self.kind_label


class TextColumn(Column):
    kind_label = "文本"

    def __init__(self, header: str, field: str | None, *, max_length: int | None = None, **kwargs: Any):
        super().__init__(header, field, **kwargs)
        self.max_length = max_length

    def parse(self, raw: Any, ctx: "LedgerContext") -> Any:
        text = clean_text(raw)
        if self.max_length and len(text) > self.max_length:
            raise CellError(f"太长（{len(text)} 字），最多 {self.max_length} 字")
        return text

    def empty_value(self) -> Any:
        return "" if self.default is None else self.default

    def display(self, value: Any, ctx: "LedgerContext") -> Any:
        return value or None

    def describe(self) -> str:
        return self.help or (f"文本，最多 {self.max_length} 字" if self.max_length else "文本")


class DateColumn(Column):
    kind_label = "日期"
    future_allowed = True

    def __init__(self, header: str, field: str | None, *, allow_future: bool = True, width: int = 12, **kwargs: Any):
        super().__init__(header, field, width=width, **kwargs)
        self.allow_future = allow_future

    @pure
    def parse(self, raw: Any, ctx: "LedgerContext") -> Any:
        value = parse_date(raw)
        if value is None:
            return None
        if value.year < 1900:
            raise CellError("日期早于 1900 年")
        if not self.allow_future and value > ctx.today:
            raise CellError("日期不能晚于今天")
        return value

    def display(self, value: Any, ctx: "LedgerContext") -> Any:
        if isinstance(value, dt.datetime):
            value = value.date()
        return value.isoformat() if value else None

    def describe(self) -> str:
        return self.help or "日期，如 2017-03-05、2017/3/5、2017年3月5日" + ("" if self.allow_future else "，不晚于今天")


class IntegerColumn(Column):
    kind_label = "整数"

    def __init__(self, header: str, field: str | None, *, min_value: int | None = None, max_value: int | None = None,
                 width: int = 10, **kwargs: Any):
        super().__init__(header, field, width=width, **kwargs)
        self.min_value = min_value
        self.max_value = max_value

    @pure
    def parse(self, raw: Any, ctx: "LedgerContext") -> Any:
        value = parse_int(raw)
        if value is not None and self.min_value is not None and value < self.min_value:
            raise CellError(f"不能小于 {self.min_value}")
        if value is not None and self.max_value is not None and value > self.max_value:
            raise CellError(f"不能大于 {self.max_value}")
        return value

    def describe(self) -> str:
        bounds = f"，不小于 {self.min_value}" if self.min_value is not None else ""
        return self.help or f"整数{bounds}"


class BooleanColumn(Column):
    kind_label = "是/否"

    @pure
    def parse(self, raw: Any, ctx: "LedgerContext") -> Any:
        return parse_bool(raw)

    def empty_value(self) -> Any:
        return False if self.default is None else self.default

    def display(self, value: Any, ctx: "LedgerContext") -> Any:
        return None if value is None else ("是" if value else "否")


class ChoiceColumn(Column):
    """A code column: takes the code (`0902`), its label (`宅基地使用`) or a local alias (征地拆迁 → 1102).

    `choices` is a TextChoices class or (value, label) pairs; `aliases` maps more cell texts to values;
    `labels` overrides the exported label of some values (several values may export to one label).
    """

    kind_label = "代码或名称"

    def __init__(self, header: str, field: str | None, *, choices: Any, aliases: Mapping[str, str] | None = None,
                 labels: Mapping[str, str] | None = None, accept_codes: bool = True, **kwargs: Any):
        super().__init__(header, field, **kwargs)
        pairs = list(choices.choices if hasattr(choices, "choices") else choices)
        self.labels = {str(value): str(label) for value, label in pairs}
        self.labels.update({str(k): v for k, v in (labels or {}).items()})
        self.lookup: dict[str, str] = {}
        for value, label in pairs:
            if accept_codes:
                self.lookup[_norm(str(value))] = str(value)
            self.lookup.setdefault(_norm(str(label)), str(value))
        for text, value in (aliases or {}).items():
            self.lookup[_norm(text)] = str(value)
        self.accepted = [label for value, label in pairs]

    @pure
    def parse(self, raw: Any, ctx: "LedgerContext") -> Any:
        text = clean_text(raw)
        value = self.lookup.get(_norm(text))
        if value is None:
            shown = "、".join(self.accepted[:12]) + ("等" if len(self.accepted) > 12 else "")
            raise CellError(f"不是可选的值，应为：{shown}")
        return value

    def empty_value(self) -> Any:
        return "" if self.default is None else self.default

    def display(self, value: Any, ctx: "LedgerContext") -> Any:
        if value in (None, ""):
            return None
        return self.labels.get(str(value), str(value))

    def describe(self) -> str:
        return self.help or "可填：" + "、".join(self.accepted)


def _norm(text: str) -> str:
    return clean_text(text).replace(" ", "").lower()


class PlaceColumn(Column):
    """A jurisdiction node: code, name path or unique village name. The row is checked against the importing
    user's scope by the engine (a place outside it is an error)."""

    kind_label = "地点"

    def __init__(self, header: str, field: str = "jurisdiction_id", *,
                 levels: Iterable[str] = ("village", "community", "grid"), display_from: str = "township",
                 width: int = 22, **kwargs: Any):
        super().__init__(header, field, width=width, **kwargs)
        self.levels = tuple(levels)
        self.display_from = display_from
        self.scoped = True

    @pure
    def parse(self, raw: Any, ctx: "LedgerContext") -> Any:
        node = ctx.places.resolve(raw, self.levels)
        if ctx.scope_path and not node.path.startswith(ctx.scope_path):
            raise CellError("不在您的管辖范围内")
        return node.id

    def display(self, value: Any, ctx: "LedgerContext") -> Any:
        if value is None:
            return None
        node = ctx.places.by_id.get(value)
        if node is None:
            return None
        return ctx.places.display_path(node, from_level=ctx.display_from_level(self.display_from))

    def describe(self) -> str:
        words = "、".join(sorted({ {"village": "村(社区)", "community": "村(社区)", "grid": "网格",
                                    "township": "乡镇"}.get(lv, lv) for lv in self.levels}))
        return self.help or (f"{words}：区划代码（村 12 位、网格 15 位），或名称路径如“河底镇/固庄村委会”"
                             "（“委会”可省略），或全区唯一的村名")


class LinkedNameColumn(TextColumn):
    """A person or organisation named in the ledger: kept as text, and linked to a registry record (`link_field`,
    e.g. `responsible_department_id`) when the name matches exactly one record the user may see. Never fails
    a row."""

    def __init__(self, header: str, field: str, *, link_field: str | None = None, link_model: Any = None,
                 link_name_field: str = "name", **kwargs: Any):
        super().__init__(header, field, **kwargs)
        self.link_field = link_field
        self.link_model = link_model
        self.link_name_field = link_name_field

    def to_fields(self, value: Any, ctx: "LedgerContext") -> dict[str, Any]:
        fields = {self.field: value or ""}
        if self.link_field and self.link_model is not None:
            fields[self.link_field] = ctx.link(self.link_model, self.link_name_field, value) if value else None
        return fields
