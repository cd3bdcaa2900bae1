"""Parsing the period and jurisdiction of a statistics request (CLI, API and page share it)."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from pingan.core.cleaning import CellError, parse_date
from pingan.core.personal import clean_text


class BadRequest(ValueError):
    """Bad input, with a Chinese message; `status` 400 (bad value) or 404 (no such node in scope)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


MAX_YEARS = 10


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
    if end >= years_after(start, MAX_YEARS):
        raise BadRequest(f"统计期 {start:%Y-%m-%d} 至 {end:%Y-%m-%d} 超过 {MAX_YEARS} 年，请缩短统计期"
                         f"（最晚截止到 {years_after(start, MAX_YEARS) - dt.timedelta(days=1):%Y-%m-%d}）。")
    return start, end


def years_after(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later (29 February → 1 March when that year has none)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def default_period() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    return today.replace(month=1, day=1), today


@dataclass
class Resolved:
    node: Any


def resolve_node(value: Any, user: Any) -> Any:
    """The node by code or by name among those the user may see; default the user's scope, or the root of the
    tree for the system (user None). A name may be the full name (河底镇, 固庄村委会), the short name (固庄村),
    the name without its level suffix (河底, 固庄), or “名称（所属乡镇）” to pick one of several. No match, or
    a match only outside the user's scope, gives the same 404 message; several matches a 400 listing them."""
    from pingan.geo.models import Node

    text = clean_text(value)
    qs = Node.objects.visible_to(user) if user is not None else Node.objects.all()
    if text:
        return _by_code_or_name(qs, text)
    if user is not None:
        if user.scope_id is None:
            raise BadRequest("您的账号没有管辖范围，无法统计。", status=404)
        return user.scope
    node = Node.objects.filter(parent__isnull=True).order_by("path").first()
    if node is None:
        raise BadRequest("系统中还没有辖区数据，请先导入区划或运行 seed_demo。", status=404)
    return node


# Level words a name may be typed without (longest first: 村委会 before 村).
LEVEL_SUFFIXES = ("街道办事处", "居委会", "村委会", "委会", "街道", "社区", "镇", "乡", "村", "区", "县", "市", "省")
QUALIFIED = re.compile(r"^(?P<name>.+?)\s*\((?P<within>[^()]+)\)$")
MAX_NAME = 100


def stem(name: str) -> str:
    for suffix in LEVEL_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def spellings(name: str, base: str) -> set[str]:
    """Every full name the typed name may stand for: itself, its 委会 forms (固庄村 → 固庄村委会), and the stem
    with each level word (固庄 → 固庄村委会, 固庄社区居委会, 固庄镇 …)."""
    names = {name, base}
    for root in [name, base] + [base + suffix for suffix in LEVEL_SUFFIXES]:
        names.update({root, root + "委会", root + "居委会"})
    return names


def not_found(text: str) -> BadRequest:
    # One message for "no such place" and "not yours": it must not tell which.
    return BadRequest(f"辖区“{text}”不存在，或不在您的管辖范围内。请填写本辖区内的乡镇、村(社区)名称或区划代码。",
                      status=404)


def _by_code_or_name(qs, text: str) -> Any:
    if len(text) > MAX_NAME or any(unicodedata.category(c).startswith("C") for c in text):
        raise not_found(text[:20] + ("…" if len(text) > 20 else ""))
    match = QUALIFIED.match(text)
    name, within = (match["name"].strip(), match["within"].strip()) if match else (text, "")
    base = stem(name)
    # One query: the code, or every visible node whose name is the name, or the stem with a level word back on.
    rows = list(qs.filter(Q(code=text) | Q(name__in=spellings(name, base))).order_by("path")[:200]) if base else []
    for node in rows:
        if node.code == text:
            return node
    exact = [n for n in rows if name in (n.name, n.short_name)]
    found = exact or [n for n in rows if base in (stem(n.name), stem(n.short_name))]
    if not found:
        raise not_found(text)
    if len(found) == 1 and not within:
        return found[0]
    contexts = context_names(found)
    if within:
        found = [n for n in found if within in (contexts[n.pk], stem(contexts[n.pk]))]
        if not found:
            raise not_found(text)
    if len(found) == 1:
        return found[0]
    listed = "、".join(f"{n.name}（{contexts[n.pk]}）" if contexts[n.pk] else n.name for n in found[:10])
    listed += "等" if len(found) > 10 else ""
    raise BadRequest(f"“{text}”对应多个辖区：{listed}，请选择其中一个（可填写“名称（所属乡镇）”）。")


def context_names(nodes) -> dict[int, str]:
    """Each node's township (for a node below one) or its parent (a township's county), by name: how a
    person tells two 固庄村 apart. Ancestors of nodes the user sees, so nothing outside the user's reach."""
    from pingan.geo.choices import CODE_LENGTH, Level
    from pingan.geo.models import Node

    township_len = CODE_LENGTH[Level.TOWNSHIP]

    def context_code(node) -> str:
        codes = node.ancestor_codes()[:-1]
        below = [c for c in codes if len(c) == township_len]
        return below[-1] if below else (codes[-1] if codes else "")

    wanted = {n.pk: context_code(n) for n in nodes}
    names = dict(Node.objects.filter(code__in={c for c in wanted.values() if c}).values_list("code", "name"))
    return {pk: names.get(code, "") for pk, code in wanted.items()}
