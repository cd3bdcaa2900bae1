"""Boundaries as geometry: checking a county's GeoJSON, and generating plausible demo polygons.

Geometries are GeoJSON (lon/lat) Polygons or MultiPolygons, checked and built with shapely. Nothing here writes
the database: services.boundaries_load and services.boundary_save do, with audit.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any, Iterable

import shapely
from shapely.geometry import MultiPoint, Point, mapping, shape
from shapely.prepared import prep
from shapely.validation import explain_validity

# A sane range for the country's boundaries (lon 73–136°E, lat 3–54°N): a file in projected metres or with
# lat/lon swapped fails here with a clear message instead of drawing a county in the ocean.
LNG_RANGE = (73.0, 136.0)
LAT_RANGE = (3.0, 54.0)
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FEATURES = 20000
MAX_VERTICES = 2_000_000
# The largest node a file may describe: a county is well under 2°×2°; a province-sized polygon for a village
# code is a mistake.
MAX_SIDE_DEGREES = 5.0
PRECISION = 1e-6  # about 0.1 m: six decimals in the stored JSON
CODE_KEYS = ("code", "adcode", "CODE", "区划代码", "统计用区划代码")
NAME_KEYS = ("name", "NAME", "名称")


class BoundaryError(Exception):
    """A boundary file or geometry that cannot be loaded; `errors` lists every problem in Chinese."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ParsedFeature:
    number: int  # 1-based position in the file
    key: str  # the code or name it names
    geometry: Any  # shapely geometry


def vertex_count(geom: Any) -> int:
    return int(shapely.get_num_coordinates(geom))


def check_geometry(geom: Any, where: str) -> list[str]:
    """Problems of one geometry (empty list when it may be stored)."""
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        return [f"{where}：几何类型为 {geom.geom_type}，应为 Polygon 或 MultiPolygon（面）。"]
    if geom.is_empty:
        return [f"{where}：边界为空。"]
    min_lng, min_lat, max_lng, max_lat = geom.bounds
    if not (LNG_RANGE[0] <= min_lng and max_lng <= LNG_RANGE[1] and LAT_RANGE[0] <= min_lat and max_lat <= LAT_RANGE[1]):
        return [f"{where}：坐标超出经度 {LNG_RANGE[0]:g}–{LNG_RANGE[1]:g}、纬度 {LAT_RANGE[0]:g}–{LAT_RANGE[1]:g} 的范围"
                f"（应为经纬度坐标，经度在前；投影坐标或经纬颠倒的文件不能载入）。"]
    if max_lng - min_lng > MAX_SIDE_DEGREES or max_lat - min_lat > MAX_SIDE_DEGREES:
        return [f"{where}：边界跨度超过 {MAX_SIDE_DEGREES:g} 度，不像一个县区以内的辖区。"]
    if not geom.is_valid:
        return [f"{where}：边界无效（{_validity_cn(explain_validity(geom))}）。"]
    if geom.area <= 0:
        return [f"{where}：边界面积为零。"]
    return []


def _validity_cn(reason: str) -> str:
    for en, cn in (("Self-intersection", "边界自相交"), ("Ring Self-intersection", "环自相交"),
                   ("Too few points", "顶点太少"), ("Hole lies outside shell", "内环在外环之外"),
                   ("Nested shells", "外环嵌套"), ("Interior is disconnected", "内部不连通"),
                   ("Duplicate Rings", "环重复"), ("Invalid Coordinate", "坐标无效")):
        if reason.startswith(en):
            return cn + reason[len(en):]
    return reason


def parse_feature_collection(data: bytes | str, match: str = "code") -> list[ParsedFeature]:
    """Parse and check a GeoJSON FeatureCollection; raise BoundaryError listing every bad feature."""
    if match not in ("code", "name"):
        raise BoundaryError([f"匹配方式“{match}”无效，应为 code 或 name。"])
    if len(data) > MAX_FILE_BYTES:
        raise BoundaryError([f"文件过大（{len(data) / 1024 / 1024:.1f} MB），上限为 {MAX_FILE_BYTES // 1024 // 1024} MB；"
                             "请先简化边界（如 mapshaper -simplify）再载入。"])
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise BoundaryError(["文件编码无法识别：GeoJSON 应为 UTF-8 编码。"]) from None
    try:
        doc = json.loads(data)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise BoundaryError([f"文件不是有效的 JSON（第 {getattr(exc, 'lineno', '?')} 行附近）。"]) from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise BoundaryError(["文件不是 GeoJSON 要素集合（应为 {\"type\": \"FeatureCollection\", \"features\": [...]}）。"])
    features = doc["features"]
    if not features:
        raise BoundaryError(["要素集合中没有任何要素。"])
    if len(features) > MAX_FEATURES:
        raise BoundaryError([f"要素过多（{len(features)} 个），上限为 {MAX_FEATURES} 个。"])
    keys = CODE_KEYS if match == "code" else NAME_KEYS
    label = "区划代码" if match == "code" else "名称"
    parsed: list[ParsedFeature] = []
    errors: list[str] = []
    vertices = 0
    for number, feature in enumerate(features, start=1):
        where = f"第 {number} 个要素"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            errors.append(f"{where}：不是 GeoJSON 要素（Feature）。")
            continue
        props = feature.get("properties") or {}
        key = next((str(props[k]).strip() for k in keys if isinstance(props, dict) and props.get(k) not in (None, "")), "")
        if not key:
            errors.append(f"{where}：属性中没有{label}（{' / '.join(keys)}）。")
            continue
        where = f"{where}（{key[:40]}）"
        try:
            geom = shape(feature.get("geometry") or {})
        except Exception:  # noqa: BLE001  (shapely raises several kinds for malformed coordinates)
            errors.append(f"{where}：几何格式错误，无法读取坐标。")
            continue
        problems = check_geometry(geom, where)
        if problems:
            errors.extend(problems)
            continue
        vertices += vertex_count(geom)
        if vertices > MAX_VERTICES:
            raise BoundaryError([f"顶点总数超过 {MAX_VERTICES} 个，请先简化边界再载入。"])
        parsed.append(ParsedFeature(number, key, geom))
    seen: dict[str, int] = {}
    for feat in parsed:
        if feat.key in seen:
            errors.append(f"第 {feat.number} 个要素：{label}“{feat.key}”与第 {seen[feat.key]} 个要素重复。")
        seen.setdefault(feat.key, feat.number)
    if errors:
        raise BoundaryError(errors)
    return parsed


def to_geojson(geom: Any) -> dict:
    """The stored form: six decimals, still valid (set_precision keeps the topology)."""
    geom = shapely.set_precision(geom, PRECISION)
    return json.loads(json.dumps(mapping(geom)))  # tuples → lists, plain floats


def bounds(geom: Any) -> tuple[float, float, float, float]:
    return tuple(round(v, 6) for v in geom.bounds)  # type: ignore[return-value]


# --- demo generation ----------------------------------------------------------------------------------------

@dataclass
class GeneratedBoundaries:
    outline: Any
    villages: dict[Any, Any]  # key -> cell
    grids: dict[Any, Any]


def county_outline(points: Iterable[tuple[float, float]], margin: float = 0.025) -> Any:
    """A plausible county outline around the village points: their concave hull, buffered by `margin` degrees
    and smoothed; the convex hull's buffer if that is not one polygon."""
    multi = MultiPoint(list(points))
    outline = shapely.concave_hull(multi, ratio=0.35).buffer(margin, quad_segs=4).simplify(margin / 5)
    if outline.geom_type != "Polygon" or not outline.is_valid:
        outline = multi.convex_hull.buffer(margin, quad_segs=4)
    return outline


def _distinct(points: dict[Any, tuple[float, float]]) -> dict[Any, tuple[float, float]]:
    """Two villages on one point would share a cell: nudge repeats by a metre or so, in key order."""
    seen: set[tuple[float, float]] = set()
    out = {}
    for key in sorted(points, key=str):
        lng, lat = points[key]
        while (round(lng, 6), round(lat, 6)) in seen:
            lng, lat = lng + 0.00001, lat + 0.00001
        seen.add((round(lng, 6), round(lat, 6)))
        out[key] = (lng, lat)
    return out


def voronoi_cells(points: dict[Any, tuple[float, float]], clip: Any) -> dict[Any, Any]:
    """One cell per point (key → polygon): its Voronoi cell clipped to `clip`. Each point lies in its own cell,
    cells do not overlap, and together they cover `clip` where it is nearer to some point."""
    points = _distinct(points)
    keys = list(points)
    if len(keys) == 1:
        return {keys[0]: clip}
    sites = [Point(points[k]) for k in keys]
    cells = shapely.voronoi_polygons(MultiPoint(sites), extend_to=clip.envelope.buffer(1.0))
    out = {}
    for key, site in zip(keys, sites):
        cell = next(c for c in cells.geoms if c.contains(site) or c.touches(site))
        part = cell.intersection(clip)
        if part.geom_type == "GeometryCollection":
            part = shapely.union_all([g for g in part.geoms if g.geom_type in ("Polygon", "MultiPolygon")])
        out[key] = part
    return out


def split_cell(cell: Any, count: int, rng: random.Random, keep: list[tuple[float, float] | None]) -> tuple[list[Any], list[tuple[float, float]]]:
    """Split a village cell among `count` grids: Voronoi cells of one site per grid inside the cell (the grid's
    own point when it lies inside, else a seeded random point), clipped to the cell. Returns the grid cells and
    their sites in order."""
    min_x, min_y, max_x, max_y = cell.bounds
    prepared = prep(cell)
    sites: list[tuple[float, float]] = []
    for i in range(count):
        own = keep[i] if i < len(keep) else None
        if own is not None and cell.contains(Point(own)) and own not in sites:
            sites.append(own)
            continue
        for _ in range(200):
            candidate = (round(rng.uniform(min_x, max_x), 6), round(rng.uniform(min_y, max_y), 6))
            if prepared.contains(Point(candidate)) and candidate not in sites:
                sites.append(candidate)
                break
        else:
            point = cell.representative_point()
            sites.append((point.x + 1e-6 * i, point.y))
    cells = voronoi_cells({i: s for i, s in enumerate(sites)}, cell)
    return [cells[i] for i in range(count)], sites
