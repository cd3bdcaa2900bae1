"""Parsing the period and jurisdiction of a statistics request (CLI, API and page share it)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from pingan.ledgers.cleaning import CellError, parse_date


class BadRequest(ValueError):
    """Bad input, with a Chinese message; `status` 400 (bad value) or 404 (no such node in scope)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


MAX_DAYS = 366 * 20


def parse_day(value: Any, label: str) -> dt.date:
    text = str(value or "").strip()
    if not text:
        raise BadRequest(f"{label}不能为空，格式为 YYYY-MM-DD，如 2017-01-01。")
    try:
        day = parse_date(text)
    except CellError as exc:
        raise BadRequest(f"{label}“{text}”无效：{exc.reason}。") from None
    if day is None or isinstance(day, bool):
        raise BadRequest(f"{label}不能为空，格式为 YYYY-MM-DD，如 2017-01-01。")
    if day.year < 1900 or day.year > 2999:
        raise BadRequest(f"{label}“{text}”超出合理范围。")
    return day


def parse_period(date_from: Any, date_to: Any) -> tuple[dt.date, dt.date]:
    start = parse_day(date_from, "开始日期")
    end = parse_day(date_to, "截止日期")
    if start > end:
        raise BadRequest(f"开始日期 {start:%Y-%m-%d} 晚于截止日期 {end:%Y-%m-%d}。")
    if (end - start).days > MAX_DAYS:
        raise BadRequest("统计期不能超过 20 年。")
    return start, end


def default_period() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    return today.replace(month=1, day=1), today


@dataclass
class Resolved:
    node: Any


def resolve_node(code: Any, user: Any) -> Any:
    """The node by code among those the user may see (404 outside scope); default the user's scope, or the
    root of the tree for the system."""
    from pingan.geo.models import Node

    text = str(code or "").strip()
    qs = Node.objects.visible_to(user) if user is not None else Node.objects.all()
    if text:
        node = qs.filter(code=text).first()
        if node is None:
            raise BadRequest(f"区划代码“{text}”不存在，或不在您的管辖范围内。", status=404)
        return node
    if user is not None:
        if user.scope_id is None:
            raise BadRequest("您的账号没有管辖范围，无法统计。", status=404)
        return user.scope
    node = Node.objects.filter(parent__isnull=True).order_by("path").first()
    if node is None:
        raise BadRequest("系统中还没有辖区数据，请先导入区划或运行 seed_demo。", status=404)
    return node
