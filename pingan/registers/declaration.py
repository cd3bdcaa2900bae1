"""The declaration of one register and the one way its cells are shown (lists, detail pages)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone

from pingan.core.personal import PhoneField, mask_phone


@dataclass(frozen=True)
class Register:
    """One register. Routes are named `<namespace>:<name>_list|_create|_detail|_edit|_delete`.

    - `columns`: (header, path) pairs for the list; a path is dotted attributes ("jurisdiction.name") and may end
      in a method without arguments ("get_kind_display"). The first column links to the detail page.
    - `detail_fields`: (label, path) pairs for the detail page (default: the form's fields, then the columns).
    - `create(*, actor, data)`, `update(*, actor, instance, data)`, `delete(*, actor, instance)`: the register's
      services; None switches that route (and the API verb) off.
    - `write_capability`: needed for every write (pages and API); `read_capability`: optional, for reading.
    - `select_related` / `ordering`: the list's query (pinned query counts need the joins here).
    - `ledger`: the kind of an existing ledger (pingan/ledgers) whose import/export the list links to.
    """

    model: type[models.Model]
    namespace: str
    name: str
    title: str
    form: type | None = None
    filterset: type | None = None
    columns: tuple[tuple[str, str], ...] = ()
    create: Callable[..., Any] | None = None
    update: Callable[..., Any] | None = None
    delete: Callable[..., Any] | None = None
    write_capability: str = "data.write"
    read_capability: str | None = None
    ledger: str | None = None
    detail_template: str | None = None
    list_template: str | None = None
    detail_fields: tuple[tuple[str, str], ...] | None = None
    select_related: tuple[str, ...] = ("jurisdiction",)
    ordering: tuple[str, ...] = ()
    per_page: int = 50
    item_label: str = ""  # "队伍": buttons say 新增队伍, 编辑队伍
    empty_text: str = "暂无记录。"
    extra_links: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (text, url name) on the list page

    # ------------------------------------------------------------------------------------------ names
    def route(self, action: str) -> str:
        return f"{self.namespace}:{self.name}_{action}"

    @property
    def data_kind(self) -> str:
        return getattr(self.model, "scope_data_kind", "case")

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    # ------------------------------------------------------------------------------------------ reads
    def base_queryset(self) -> models.QuerySet:
        qs = self.model.objects.all()
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        return qs.order_by(*(self.ordering or self.model._meta.ordering or ("pk",)))

    def queryset(self, user: Any) -> models.QuerySet:
        """What `user` may see: the one door (visible_to)."""
        return self.base_queryset().visible_to(user)

    def may_read(self, user: Any) -> bool:
        if not user.may_see_data_kind(self.data_kind):
            return False
        return self.read_capability is None or user.can(self.read_capability)

    def may_write(self, user: Any) -> bool:
        return self.may_read(user) and user.can(self.write_capability)

    def shown_fields(self) -> tuple[tuple[str, str], ...]:
        if self.detail_fields is not None:
            return self.detail_fields
        if self.form is not None:
            return tuple((field_label(self.model, name), _display_path(self.model, name))
                         for name in self.form._meta.fields)
        return self.columns


def _display_path(model: type[models.Model], name: str) -> str:
    try:
        f = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    if getattr(f, "choices", None):
        return f"get_{name}_display"
    return name


def field_label(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _resolve(obj: Any, path: str) -> tuple[Any, Any]:
    """(value, model field or None) at a dotted path."""
    value, fld = obj, None
    for part in path.split("."):
        if value is None:
            return None, None
        fld = None
        meta = getattr(value, "_meta", None)
        if meta is not None:
            try:
                fld = meta.get_field(part)
            except FieldDoesNotExist:
                fld = None
        value = getattr(value, part, None)
        if callable(value) and not isinstance(value, models.Model):
            value = value()
    return value, fld


def cell(obj: Any, path: str, user: Any) -> str:
    """A value as a page shows it: phones masked unless the user may reveal personal numbers, 是/否, dates as
    YYYY-MM-DD, empty as —."""
    value, fld = _resolve(obj, path)
    if isinstance(fld, PhoneField):
        if not value:
            return "—"
        return str(value) if user is not None and user.can("personal.reveal") else mask_phone(str(value))
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value)
