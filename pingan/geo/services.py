"""Jurisdiction services: loading a county's tree from CSV, pilot flags, grids and liaison points."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from pingan.core import audit
from pingan.core.services import model_update

from .choices import ALLOWED_PARENTS, CODE_LENGTH, LEVEL_RANK, Level, code_length_ok, significant
from .models import Boundary, LiaisonPoint, Node

CSV_COLUMNS = ("code", "name", "level", "parent_code")
# Level names accepted in the CSV: English keys and the Chinese labels.
LEVEL_ALIASES = {**{lv.value: lv for lv in Level}, **{lv.label: lv for lv in Level},
                 "乡镇": Level.TOWNSHIP, "街道": Level.TOWNSHIP, "县区": Level.COUNTY, "区县": Level.COUNTY}


class LoadError(Exception):
    """A jurisdiction file that cannot be loaded; `errors` lists every bad line in Chinese."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    messages: list[str] = field(default_factory=list)


@dataclass
class _Row:
    line: int
    code: str
    name: str
    level: Level
    parent_code: str


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LoadError(["文件编码无法识别：请使用 UTF-8 或 GB18030 编码的 CSV。"])


def parse_rows(text: str) -> list[_Row]:
    """Parse and check every line of a jurisdiction CSV; raise LoadError listing all bad lines."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise LoadError(["文件为空：第 1 行应为表头 code,name,level,parent_code。"]) from None
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise LoadError([f"第 1 行缺少列：{'、'.join(missing)}（应为 code,name,level,parent_code）。"])
    index = {c: header.index(c) for c in CSV_COLUMNS}
    rows: list[_Row] = []
    errors: list[str] = []
    for line_no, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        get = lambda c: cells[index[c]].strip() if index[c] < len(cells) else ""  # noqa: E731
        code, name, level_raw, parent = get("code"), get("name"), get("level"), get("parent_code")
        line_errors = []
        level = LEVEL_ALIASES.get(level_raw) or LEVEL_ALIASES.get(level_raw.lower())
        if level is None:
            line_errors.append(f"层级“{level_raw}”无效（应为 county/township/village/community/grid）")
        if not name:
            line_errors.append("名称为空")
        if not code.isascii() or not code.isdigit():
            line_errors.append(f"代码“{code}”不是数字代码")
        elif level is not None and not code_length_ok(code, level):
            line_errors.append(f"代码“{code}”长度应为 {CODE_LENGTH[level]} 位（{level.label}）")
        if parent and (not parent.isascii() or not parent.isdigit()):
            line_errors.append(f"上级代码“{parent}”不是数字代码")
        if line_errors:
            errors.append(f"第 {line_no} 行：{'；'.join(line_errors)}。")
            continue
        rows.append(_Row(line_no, code, name, level, parent))
    if errors:
        raise LoadError(errors)
    if not rows:
        raise LoadError(["文件中没有任何辖区数据行。"])
    return rows


def _check_tree(rows: list[_Row]) -> None:
    errors: list[str] = []
    seen: dict[str, int] = {}
    for row in rows:
        if row.code in seen:
            errors.append(f"第 {row.line} 行：代码 {row.code} 与第 {seen[row.code]} 行重复。")
        else:
            seen[row.code] = row.line
    by_code = {row.code: row for row in rows}
    existing = {n.code: n for n in Node.objects.filter(code__in={r.parent_code for r in rows if r.parent_code})}
    existing_self = {n.code: n for n in Node.objects.filter(code__in=by_code.keys())}
    for row in rows:
        parent_level: Level | None = None
        if row.parent_code in by_code:
            parent_level = by_code[row.parent_code].level
        elif row.parent_code in existing:
            parent_level = Level(existing[row.parent_code].level)
        elif row.level not in (Level.PROVINCE, Level.CITY, Level.COUNTY):
            errors.append(f"第 {row.line} 行：上级代码“{row.parent_code or '（空）'}”在文件和系统中都不存在。")
            continue
        if parent_level is not None:
            if parent_level not in ALLOWED_PARENTS.get(row.level, set()):
                errors.append(f"第 {row.line} 行：{row.level.label}不能隶属于{parent_level.label}。")
            if not row.code.startswith(significant(row.parent_code, parent_level)) or row.code == row.parent_code:
                errors.append(f"第 {row.line} 行：代码 {row.code} 的前缀与上级代码 {row.parent_code} 不符。")
        current = existing_self.get(row.code)
        if current is not None and current.level != row.level:
            errors.append(f"第 {row.line} 行：代码 {row.code} 在系统中已是{current.get_level_display()}，不能改为{row.level.label}。")
    if errors:
        raise LoadError(errors)


def _ordered(rows: list[_Row]) -> list[_Row]:
    """Parents before children (a file may list them in any order)."""
    return sorted(rows, key=lambda r: (LEVEL_RANK[r.level], r.code))


@transaction.atomic
def jurisdictions_load(*, actor: Any, data: bytes | str, source: str = "") -> LoadResult:
    """Load or update nodes from a CSV (code,name,level,parent_code). All lines are checked first; any bad
    line loads nothing. Loading the same file twice changes nothing."""
    text = data if isinstance(data, str) else _decode(data)
    rows = parse_rows(text)
    _check_tree(rows)
    result = LoadResult()
    nodes = {n.code: n for n in Node.objects.filter(code__in={r.code for r in rows} | {r.parent_code for r in rows})}
    for row in _ordered(rows):
        parent = nodes.get(row.parent_code)
        path = (parent.path if parent else "") + row.code + "/"
        depth = parent.depth + 1 if parent else 0
        node = nodes.get(row.code)
        if node is None:
            node = Node.objects.create(code=row.code, name=row.name, level=row.level, parent=parent,
                                       parent_code=row.parent_code, path=path, depth=depth)
            audit.record(actor=actor, action="jurisdiction.create", obj=node,
                         changes={"after": audit.snapshot(node)}, detail=source)
            nodes[row.code] = node
            result.created += 1
            continue
        if parent is not None and node.parent_id != parent.pk:
            _move(actor=actor, node=node, parent=parent)
            for other in nodes.values():  # their paths may have moved with it
                other.refresh_from_db(fields=["path", "depth"])
        _, changes = model_update(actor=actor, instance=node, action="jurisdiction.update",
                                  data={"name": row.name, "parent": parent or node.parent, "parent_code": row.parent_code})
        if changes:
            result.updated += 1
        else:
            result.unchanged += 1
    return result


def _move(*, actor: Any, node: Node, parent: Node) -> None:
    """Hang a node (a county loaded alone before) under a new parent: its subtree's paths follow."""
    old_path, new_path = node.path, f"{parent.path}{node.code}/"
    delta = parent.depth + 1 - node.depth
    Node.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)), depth=F("depth") + delta)
    Node.objects.filter(pk=node.pk).update(parent=parent)
    audit.record(actor=actor, action="jurisdiction.move", obj=node, changes={"path": [old_path, new_path]})
    node.refresh_from_db()


def _require_district(actor: Any, capability: str) -> None:
    if actor is not None and not actor.can(capability):
        raise PermissionDenied("您的角色没有此操作的权限。")


@transaction.atomic
def node_set_pilot(*, actor: Any, node: Node, is_pilot: bool) -> Node:
    """Mark a township or village as 试点 (pilot); only the district does this."""
    _require_district(actor, "geo.edit_pilot")
    if node.level not in (Level.TOWNSHIP, Level.VILLAGE, Level.COMMUNITY):
        raise ValidationError({"is_pilot": "只有乡镇和村(社区)可以设为试点。"})
    model_update(actor=actor, instance=node, data={"is_pilot": is_pilot}, action="jurisdiction.set_pilot")
    return node


@transaction.atomic
def node_set_location(*, actor: Any, node: Node, latitude: Any, longitude: Any) -> Node:
    model_update(actor=actor, instance=node, data={"latitude": latitude, "longitude": longitude},
                 action="jurisdiction.set_location")
    return node


def next_grid_code(village: Node) -> str:
    """The next free grid code under a village (village code + 001, 002, …)."""
    used = {int(c[-3:]) for c in Node.objects.filter(parent=village, level=Level.GRID).values_list("code", flat=True)}
    number = next(i for i in range(1, 1000) if i not in used)
    return f"{village.code}{number:03d}"


@transaction.atomic
def grid_create(*, actor: Any, village: Node, code: str, name: str, leader: Any = None, worker: Any = None) -> Node:
    """Add a grid under a village: its code is the village code plus three digits."""
    if actor is not None and not actor.can("geo.manage_grids"):
        raise PermissionDenied("您的角色不能维护网格。")
    if not name.strip():
        raise ValidationError({"name": "网格名称不能为空。"})
    if village.level not in (Level.VILLAGE, Level.COMMUNITY):
        raise ValidationError({"parent": "网格只能建在村(社区)下。"})
    if len(code) != 15 or not code.isdigit() or not code.startswith(village.code):
        raise ValidationError({"code": f"网格代码应为村代码 {village.code} 加 3 位数字。"})
    if Node.objects.filter(code=code).exists():
        raise ValidationError({"code": f"代码 {code} 已存在。"})
    node = Node.objects.create(code=code, name=name, level=Level.GRID, parent=village, parent_code=village.code,
                               path=f"{village.path}{code}/", depth=village.depth + 1, grid_leader=leader,
                               grid_worker=worker or leader, latitude=village.latitude, longitude=village.longitude)
    audit.record(actor=actor, action="jurisdiction.create", obj=node, changes={"after": audit.snapshot(node)})
    return node


@transaction.atomic
def grid_assign_staff(*, actor: Any, grid: Node, leader: Any, worker: Any) -> Node:
    """Set a grid's 网格长 and 网格员: accounts of the grid's own village."""
    if actor is not None and not actor.can("geo.manage_grids"):
        raise PermissionDenied("您的角色不能维护网格。")
    if grid.level != Level.GRID:
        raise ValidationError({"grid": "只能为网格指定网格长和网格员。"})
    for person in (leader, worker):
        if person is not None and not (person.scope_path or "").startswith(grid.parent.path):
            raise ValidationError({"grid_worker": f"{person} 不属于{grid.parent.name}，不能担任该网格的网格长或网格员。"})
    model_update(actor=actor, instance=grid, data={"grid_leader": leader, "grid_worker": worker or leader},
                 action="jurisdiction.assign_staff")
    return grid


LIAISON_FIELDS = ("name", "address", "contact_name", "contact_phone", "latitude", "longitude", "jurisdiction")


@transaction.atomic
def liaison_point_save(*, actor: Any, data: dict[str, Any], instance: LiaisonPoint | None = None) -> LiaisonPoint:
    """Create or update a 治安联络点; it must sit in a village or community inside the actor's scope."""
    _require_district(actor, "geo.edit_liaison")
    node = data.get("jurisdiction") or (instance.jurisdiction if instance else None)
    if node is None or node.level not in (Level.VILLAGE, Level.COMMUNITY):
        raise ValidationError({"jurisdiction": "治安联络点必须属于一个村(社区)。"})
    if actor is not None and not node.path.startswith(actor.scope_path or "\0"):
        raise ValidationError({"jurisdiction": "所选村(社区)不在您的管辖范围内。"})
    if instance is None:
        point = LiaisonPoint(**data)
        point.full_clean()
        point.save()
        audit.record(actor=actor, action="liaison_point.create", obj=point, changes={"after": audit.snapshot(point)})
        return point
    model_update(actor=actor, instance=instance, data=data, action="liaison_point.update", fields=LIAISON_FIELDS)
    return instance


def iter_csv_rows(nodes: Iterable[Node]) -> Iterable[list[str]]:
    """Rows of the same CSV shape the loader reads (for export)."""
    yield list(CSV_COLUMNS)
    for node in nodes:
        yield [node.code, node.name, node.level, node.parent_code]


# --- boundaries ----------------------------------------------------------------------------------------------

@dataclass
class BoundaryLoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _require_boundaries(actor: Any) -> None:
    if actor is not None and not actor.can("geo.load_boundaries"):
        raise PermissionDenied("您的角色不能载入辖区边界。")


def boundary_save(*, actor: Any, node: Node, geometry: Any, source: str = "") -> tuple[Boundary, str]:
    """Store one node's boundary (a shapely geometry, already checked). Returns (boundary, "created" |
    "updated" | "unchanged"); the audit entry records the bounding box and vertex count, not the polygon."""
    from . import boundaries as geom_tools

    _require_boundaries(actor)
    problems = geom_tools.check_geometry(geometry, node.name)
    if problems:
        raise ValidationError({"geometry": problems})
    data = geom_tools.to_geojson(geometry)
    min_lng, min_lat, max_lng, max_lat = geom_tools.bounds(geometry)
    values = {"geometry": data, "min_lng": min_lng, "min_lat": min_lat, "max_lng": max_lng, "max_lat": max_lat,
              "source": source[:200]}
    summary = {"bbox": [min_lng, min_lat, max_lng, max_lat], "vertices": geom_tools.vertex_count(geometry),
               "source": source[:200]}
    current = Boundary.objects.filter(node=node).first()
    if current is None:
        boundary = Boundary.objects.create(node=node, **values)
        audit.record(actor=actor, action="boundary.create", obj=boundary, changes={"after": summary})
        return boundary, "created"
    if current.geometry == data:
        return current, "unchanged"
    before = {"bbox": list(current.bbox), "source": current.source}
    for key, value in values.items():
        setattr(current, key, value)
    current.save()
    audit.record(actor=actor, action="boundary.update", obj=current, changes={"before": before, "after": summary})
    return current, "updated"


@transaction.atomic
def boundaries_load(*, actor: Any, data: bytes | str, match: str = "code", source: str = "",
                    under: Node | None = None) -> BoundaryLoadResult:
    """Load a county's boundaries from a GeoJSON FeatureCollection whose features name a node by code or by
    name. Every feature is checked first (valid polygons, lon/lat range, size, known and unambiguous nodes);
    any problem loads nothing. Loading the same file twice changes nothing."""
    from .boundaries import BoundaryError, parse_feature_collection

    _require_boundaries(actor)
    features = parse_feature_collection(data, match)
    nodes = Node.objects.all()
    if under is not None:
        nodes = nodes.filter(path__startswith=under.path)
    if actor is not None:
        nodes = nodes.filter(path__startswith=actor.scope_path or "\0")
    keys = [f.key for f in features]
    errors: list[str] = []
    found: dict[str, Node] = {}
    if match == "code":
        found = {n.code: n for n in nodes.filter(code__in=keys)}
    else:
        by_name: dict[str, list[Node]] = {}
        for node in nodes.exclude(level=Level.GRID).filter(name__in=keys + [k + "委会" for k in keys] + [k + "居委会" for k in keys]):
            for name in {node.name, node.short_name}:
                by_name.setdefault(name, []).append(node)
        for key in keys:
            candidates = {n.pk: n for n in by_name.get(key, [])}
            if len(candidates) > 1:
                errors.append(f"名称“{key}”对应多个辖区（{'、'.join(sorted(n.code for n in candidates.values()))}），"
                              "请改用区划代码匹配（--match code）。")
            elif candidates:
                found[key] = next(iter(candidates.values()))
    for feat in features:
        if feat.key not in found and not any(feat.key in e for e in errors):
            label = "区划代码" if match == "code" else "名称"
            errors.append(f"第 {feat.number} 个要素：{label}“{feat.key[:40]}”在系统（或您的辖区）中不存在。")
    if errors:
        raise BoundaryError(errors)
    result = BoundaryLoadResult()
    for feat in features:
        _, outcome = boundary_save(actor=actor, node=found[feat.key], geometry=feat.geometry, source=source)
        setattr(result, outcome, getattr(result, outcome) + 1)
    return result
