"""The map's data: checking a request's place, period, category and bounding box, and building the GeoJSON of
the boundaries and of a layer. Shared by the map page and the API (/api/v1/geo/...)."""
from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.utils import timezone

from pingan.core.personal import clean_text

from .params import BadRequest, parse_day, parse_period, resolve_node, years_after

from . import layers as registry
from .choices import CODE_LENGTH, Level
from .models import Boundary, Node

MAX_BBOX_SIDE = 2.0  # degrees
MAX_BBOX_COUNTY_FACTOR = 4  # × the county's bounding box (area)
DENSITY_LEVELS = ("village", "township")


def default_period() -> tuple[dt.date, dt.date]:
    """The last twelve months up to today."""
    today = timezone.localdate()
    return years_after(today, -1) + dt.timedelta(days=1), today


def parse_dates(raw_from: Any, raw_to: Any) -> tuple[dt.date, dt.date]:
    raw_from, raw_to = str(raw_from or "").strip(), str(raw_to or "").strip()
    if not raw_from and not raw_to:
        return default_period()
    if raw_from and not raw_to:
        start = parse_day(raw_from, "开始日期")
        return parse_period(raw_from, max(start, timezone.localdate()).isoformat())
    if raw_to and not raw_from:
        end = parse_day(raw_to, "截止日期")
        return parse_period((years_after(end, -1) + dt.timedelta(days=1)).isoformat(), raw_to)
    return parse_period(raw_from, raw_to)


def county_of(node: Node) -> Node | None:
    """The county (or the root) the node lies in."""
    codes = node.ancestor_codes()
    county_code = next((c for c in codes if len(c) == CODE_LENGTH[Level.COUNTY]), codes[0] if codes else None)
    return Node.objects.filter(code=county_code).first() if county_code else None


def parse_bbox(value: Any, node: Node) -> tuple[float, float, float, float] | None:
    """"min_lng,min_lat,max_lng,max_lat" in degrees; a box wider than 2° a side or larger than four times the
    county's box is refused (a map of the county never needs it; it would only make the server count more)."""
    text = clean_text(value)  # full-width digits, point and comma of a Chinese keyboard
    if not text:
        return None
    parts = [p.strip() for p in text.split(",")]
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        numbers = []
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        raise BadRequest(f"范围参数 bbox“{text[:60]}”格式不正确，应为“最小经度,最小纬度,最大经度,最大纬度”，"
                         "如 113.4,37.7,113.8,38.0。")
    min_lng, min_lat, max_lng, max_lat = numbers
    if not (-180 <= min_lng <= 180 and -180 <= max_lng <= 180 and -90 <= min_lat <= 90 and -90 <= max_lat <= 90):
        raise BadRequest("范围参数 bbox 超出经度 -180～180、纬度 -90～90 的范围（经度在前）。")
    if min_lng >= max_lng or min_lat >= max_lat:
        raise BadRequest("范围参数 bbox 的最小值应小于最大值（顺序为 最小经度,最小纬度,最大经度,最大纬度）。")
    width, height = max_lng - min_lng, max_lat - min_lat
    if width > MAX_BBOX_SIDE or height > MAX_BBOX_SIDE:
        raise BadRequest(f"查询范围过大（{width:.2f}°×{height:.2f}°），每边不能超过 {MAX_BBOX_SIDE:g} 度，请放大地图后再查询。")
    county = county_of(node)
    box = Boundary.objects.filter(node=county).values_list("min_lng", "min_lat", "max_lng", "max_lat").first() \
        if county else None
    if box:
        county_area = (box[2] - box[0]) * (box[3] - box[1])
        if county_area > 0 and width * height > MAX_BBOX_COUNTY_FACTOR * county_area:
            raise BadRequest(f"查询范围过大：超过本县区范围的 {MAX_BBOX_COUNTY_FACTOR} 倍，请放大地图后再查询。")
    return (min_lng, min_lat, max_lng, max_lat)


def parse_node(value: Any, user: Any) -> Node:
    node = resolve_node(value, user)
    if not Node.objects.visible_to(user).filter(pk=node.pk).exists():
        raise BadRequest("辖区不存在，或不在您的管辖范围内。", status=404)
    return node


def parse_params(layer: registry.Layer | None, query: Any, user: Any) -> registry.Params:
    node = parse_node(query.get("jurisdiction"), user)
    start, end = parse_dates(query.get("from"), query.get("to"))
    category = clean_text(query.get("category"))[:40]
    if category and layer is not None:
        allowed = {str(v) for v, _ in layer.categories(user)}
        if category not in allowed:
            raise BadRequest(f"类别“{category[:20]}”不是“{layer.label}”图层的类别。")
    return registry.Params(node=node, start=start, end=end, category=category,
                           bbox=parse_bbox(query.get("bbox"), node))


# --- GeoJSON ------------------------------------------------------------------------------------------------

def boundaries(node: Node, user: Any, *, grids: bool | None = None, children_only: bool = False) -> dict:
    """The node's outline and the polygons below it: townships and villages for a county; villages and their
    grids for a township or below (grids for a county only when asked). `children_only`: just the areas one
    level below (the big screen's map, shaded by the figures per child place)."""
    if grids is None:
        grids = node.level != Level.COUNTY and node.level not in (Level.PROVINCE, Level.CITY)
    levels = [Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, Level.COMMUNITY] + ([Level.GRID] if grids else [])
    qs = Boundary.objects.visible_to(user)
    if children_only:
        qs = qs.filter(node__parent=node)
    else:
        qs = qs.filter(node__path__startswith=node.path).filter(node__level__in=set(levels) | {node.level})
    qs = qs.select_related("node").order_by("node__path")
    features = []
    bbox = None
    for boundary in qs:
        n = boundary.node
        if n.pk == node.pk:
            bbox = list(boundary.bbox)
        features.append({"type": "Feature", "geometry": boundary.geometry, "properties": {
            "code": n.code, "name": n.name, "short_name": n.short_name, "level": _level_key(n.level),
            "parent": n.parent_code, "self": n.pk == node.pk}})
    if bbox is None and features:
        boxes = [b.bbox for b in qs]
        bbox = [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)]
    return {"type": "FeatureCollection", "features": features,
            "meta": {"jurisdiction": node.code, "name": node.name, "bbox": bbox,
                     "message": "" if features else "本辖区还没有边界数据（manage.py load_boundaries 载入）。"}}


def _level_key(level: str) -> str:
    return "village" if level == Level.COMMUNITY else level


def layer_geojson(layer: registry.Layer, user: Any, params: registry.Params, query: Any) -> dict:
    meta: dict[str, Any] = {"layer": layer.key, "label": layer.label, "kind": layer.kind,
                            "jurisdiction": params.node.code,
                            "from": params.start.isoformat() if params.start else None,
                            "to": params.end.isoformat() if params.end else None,
                            "category": params.category, "message": ""}
    if layer.kind == registry.POINTS:
        features, total, truncated = registry.point_features(layer, user, params)
        unplaced = registry.unplaced_count(layer, user, params)
        meta.update(count=len(features), total=total, truncated=truncated, limit=registry.POINT_LIMIT,
                    unplaced=unplaced)
        notes = []
        if truncated:
            notes.append(f"范围内共有 {total} 个点，只显示最近的 {registry.POINT_LIMIT} 个；请缩小地图范围、时间段或选择类别。")
        if unplaced:
            notes.append(f"另有 {unplaced} 件没有标注位置，未画成点" + ("（可用“密度分布”按村查看）。" if layer.density else "。"))
        meta["message"] = "".join(notes)
        if layer.list_url:
            meta["list_url"] = layer.list_url(params.node.code, params.start, params.end, params.category)
        return {"type": "FeatureCollection", "features": features, "meta": meta}
    counts, above = registry.counts_per_area(layer.queryset(user, params), layer.area_level)
    features = registry.area_features(counts, layer.area_level, user, params, layer.list_url, params.category)
    meta.update(count=len(features), total=sum(counts.values()) + above, level=layer.area_level,
                unplaced=above, truncated=False)
    if above:
        meta["message"] = f"另有 {above} 件（人）登记在{registry.LEVEL_LABELS[layer.area_level]}以上，未在地图上显示。"
    return {"type": "FeatureCollection", "features": features, "meta": meta}


def density_geojson(user: Any, query: Any) -> dict:
    """The density shading: a case layer's count per village or township (`of`, `level`), as polygons."""
    key = str(query.get("of") or "").strip()[:40]
    layer = registry.get(key)
    if layer is None or not layer.density or not layer.allowed(user):
        raise BadRequest(f"图层“{key[:20]}”不能用于密度分布（应为事件、纠纷、隐患、信访等案件图层）。")
    level = str(query.get("level") or "village").strip()
    if level not in DENSITY_LEVELS:
        raise BadRequest("密度分布的层级应为 village（村、社区）或 township（乡镇、街道）。")
    params = parse_params(layer, query, user)
    counts, above = registry.density_counts(layer, user, params, level)
    features = registry.area_features(counts, level, user, params, layer.list_url, params.category, include_empty=True)
    highest = max(counts.values(), default=0)
    return {"type": "FeatureCollection", "features": features, "meta": {
        "layer": "density", "of": layer.key, "label": f"{layer.label}密度（按{registry.LEVEL_LABELS[level]}）",
        "kind": registry.AREAS, "level": level, "jurisdiction": params.node.code,
        "from": params.start.isoformat() if params.start else None, "to": params.end.isoformat() if params.end else None,
        "category": params.category, "count": len(features), "total": sum(counts.values()) + above,
        "max": highest, "unplaced": above, "truncated": False,
        "message": f"另有 {above} 件登记在{registry.LEVEL_LABELS[level]}以上。" if above else ""}}


def public_boundaries() -> dict:
    """The county's outline, townships and villages (names and polygons are public facts; nothing else), for
    the citizens' report page, which has no login to ask the API with."""
    root = Node.objects.filter(level=Level.COUNTY).order_by("path").first()
    if root is None:
        return {"type": "FeatureCollection", "features": [], "meta": {"bbox": None}}
    qs = Boundary.objects.filter(node__path__startswith=root.path,
                                 node__level__in=[Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, Level.COMMUNITY]) \
        .select_related("node").order_by("node__path")
    features = [{"type": "Feature", "geometry": b.geometry, "properties": {
        "code": b.node.code, "name": b.node.name, "short_name": b.node.short_name, "level": _level_key(b.node.level),
        "self": b.node.pk == root.pk}} for b in qs]
    box = next((list(b.bbox) for b in qs if b.node_id == root.pk), None)
    return {"type": "FeatureCollection", "features": features, "meta": {"bbox": box, "jurisdiction": root.code}}
