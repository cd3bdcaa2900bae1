"""Boundaries: the demo's generated polygons (Voronoi cells of the village points clipped to a county outline)
and `manage.py load_boundaries` with good and bad files. Expected values are worked out by hand here."""
from __future__ import annotations

import json
import random
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from shapely.geometry import Point, box, shape

from pingan.core.audit import AuditEntry
from pingan.core.seed import SeedContext
from pingan.geo import boundaries as geom
from pingan.geo.choices import Level
from pingan.geo.models import Boundary, Node
from pingan.geo.seed import _boundaries


# --- pure geometry ------------------------------------------------------------------------------------------

def test_four_points_in_a_square_get_the_four_quarters():
    # Points at the centres of the four quarters of the 1°×1° square 113–114°E, 37–38°N: by hand, each
    # Voronoi cell clipped to the square is its quarter (0.5° × 0.5° = 0.25 square degrees).
    square = box(113.0, 37.0, 114.0, 38.0)
    points = {"sw": (113.25, 37.25), "se": (113.75, 37.25), "nw": (113.25, 37.75), "ne": (113.75, 37.75)}
    cells = geom.voronoi_cells(points, square)
    assert cells["sw"].equals(box(113.0, 37.0, 113.5, 37.5))
    assert cells["ne"].equals(box(113.5, 37.5, 114.0, 38.0))
    assert [round(cells[k].area, 9) for k in ("sw", "se", "nw", "ne")] == [0.25, 0.25, 0.25, 0.25]


def test_two_villages_on_one_point_still_get_a_cell_each():
    square = box(113.0, 37.0, 114.0, 38.0)
    cells = geom.voronoi_cells({"a": (113.5, 37.5), "b": (113.5, 37.5), "c": (113.2, 37.2)}, square)
    assert all(not cells[k].is_empty for k in "abc")
    assert cells["a"].intersection(cells["b"]).area < 1e-12


def test_split_cell_keeps_the_grids_own_points_inside_and_is_deterministic():
    cell = box(113.0, 37.0, 113.1, 37.1)
    own = [(113.02, 37.02), (113.5, 37.5), None]  # the second lies outside the cell, the third has none
    cells_1, sites_1 = geom.split_cell(cell, 3, random.Random("7:x"), own)
    cells_2, sites_2 = geom.split_cell(cell, 3, random.Random("7:x"), own)
    assert sites_1 == sites_2 and all(a.equals(b) for a, b in zip(cells_1, cells_2))
    assert sites_1[0] == (113.02, 37.02)  # kept
    assert sites_1[1] != (113.5, 37.5) and cell.contains(Point(sites_1[1]))  # moved inside
    for grid_cell, site in zip(cells_1, sites_1):
        assert grid_cell.contains(Point(site))
    assert abs(sum(c.area for c in cells_1) - cell.area) < 1e-12  # 0.1 × 0.1 = 0.01, split without gaps


# --- the demo seed on a small tree --------------------------------------------------------------------------

def _tree():
    """A county, two townships and six villages with points (two grids each)."""
    def node(code, name, level, parent=None, lat=None, lng=None):
        return Node.objects.create(code=code, name=name, level=level, parent=parent,
                                   parent_code=parent.code if parent else "140300",
                                   path=(parent.path if parent else "") + code + "/",
                                   depth=(parent.depth + 1) if parent else 0,
                                   latitude=Decimal(str(lat)) if lat else None, longitude=Decimal(str(lng)) if lng else None)
    county = node("149901", "测试县", Level.COUNTY)
    points = {"149901101": [(37.80, 113.40), (37.85, 113.45), (37.82, 113.50)],
              "149901102": [(37.90, 113.60), (37.95, 113.65), (37.88, 113.70)]}
    villages = []
    for t_code, pts in points.items():
        township = node(t_code, f"{t_code[-1]}镇", Level.TOWNSHIP, county)
        for i, (lat, lng) in enumerate(pts, start=1):
            village = node(f"{t_code}{200 + i}", f"{t_code[-1]}镇{i}村委会", Level.VILLAGE, township, lat, lng)
            villages.append(village)
            for g in (1, 2):
                node(f"{village.code}{g:03d}", f"{village.short_name}第{g}网格", Level.GRID, village,
                     lat + 0.001 * g, lng + 0.001 * g)
    return county, villages


def _ctx(seed=2017):
    return SeedContext(seed=seed, scale="small", structure_only=True, password="x", password_hash="x")


@pytest.mark.django_db
def test_generated_boundaries_cover_every_village_without_overlap():
    county, villages = _tree()
    made = _boundaries(_ctx(), county)
    # 1 county + 2 townships + 6 villages + 12 grids
    assert made == 21
    assert Boundary.objects.count() == 21
    outline = shape(Boundary.objects.get(node=county).geometry)
    cells = {v.code: shape(Boundary.objects.get(node=v).geometry) for v in villages}
    for village in villages:
        assert cells[village.code].contains(Point(float(village.longitude), float(village.latitude))), village.name
    codes = sorted(cells)
    for i, a in enumerate(codes):
        for b in codes[i + 1:]:
            assert cells[a].intersection(cells[b]).area < 1e-10, (a, b)
    union = geom.shapely.union_all(list(cells.values()))
    # Equal up to the six-decimal rounding of the stored coordinates (under 0.01% of the area).
    assert union.symmetric_difference(outline).area < 1e-4 * outline.area
    # A township is the union of its villages; every grid's point lies in its own cell, inside its village.
    township = Node.objects.get(code="149901101")
    own = geom.shapely.union_all([cells[v.code] for v in villages if v.parent_id == township.pk])
    assert shape(Boundary.objects.get(node=township).geometry).symmetric_difference(own).area < 1e-9
    for grid in Node.objects.filter(level=Level.GRID).select_related("parent"):
        grid_cell = shape(Boundary.objects.get(node=grid).geometry)
        assert grid_cell.contains(Point(float(grid.longitude), float(grid.latitude))), grid.name
        # Inside its village up to the six-decimal rounding of both stored outlines (slivers under 1e-6° wide).
        assert grid_cell.difference(cells[grid.parent.code]).area < 1e-4 * grid_cell.area
    # The outline is around the villages, not the whole province: here under 0.5° a side.
    min_lng, min_lat, max_lng, max_lat = outline.bounds
    assert max_lng - min_lng < 0.5 and max_lat - min_lat < 0.5
    assert _boundaries(_ctx(), county) == 0  # once only


@pytest.mark.django_db
def test_generated_boundaries_are_the_same_for_the_same_seed():
    county, _ = _tree()
    _boundaries(_ctx(seed=5), county)
    first = {b.node.code: b.geometry for b in Boundary.objects.select_related("node")}
    Boundary.objects.all().delete()
    _boundaries(_ctx(seed=5), county)
    again = {b.node.code: b.geometry for b in Boundary.objects.select_related("node")}
    assert first == again


# --- load_boundaries ----------------------------------------------------------------------------------------

def _square(lng, lat, side=0.1):
    return {"type": "Polygon", "coordinates": [[[lng, lat], [lng + side, lat], [lng + side, lat + side],
                                                 [lng, lat + side], [lng, lat]]]}


def _collection(*features):
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": geometry} for props, geometry in features]}


def _write(tmp_path, data, name="b.geojson"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _load(path, *args):
    out = StringIO()
    call_command("load_boundaries", path, *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_load_by_code_then_again_changes_nothing(world, tmp_path):
    path = _write(tmp_path, _collection(({"code": "140311101"}, _square(113.5, 37.8, 0.2)),
                                        ({"code": "140311101211", "name": "固庄"}, _square(113.5, 37.8))))
    assert _load(path) == "载入完成：新增 2，更新 0，未变 0。\n"
    stored = Boundary.objects.get(node=world.village("a"))
    # By hand: the 0.1° square from (113.5, 37.8).
    assert (stored.min_lng, stored.min_lat, stored.max_lng, stored.max_lat) == (113.5, 37.8, 113.6, 37.9)
    assert stored.geometry["type"] == "Polygon"
    assert AuditEntry.objects.filter(action="boundary.create").count() == 2
    assert _load(path) == "载入完成：新增 0，更新 0，未变 2。\n"
    moved = _write(tmp_path, _collection(({"code": "140311101211"}, _square(113.52, 37.8))), "moved.geojson")
    assert _load(moved) == "载入完成：新增 0，更新 1，未变 0。\n"
    assert Boundary.objects.get(node=world.village("a")).min_lng == 113.52
    assert AuditEntry.objects.filter(action="boundary.update").count() == 1


@pytest.mark.django_db
def test_load_by_name_takes_the_short_name(world, tmp_path):
    path = _write(tmp_path, _collection(({"name": "固庄村"}, _square(113.5, 37.8)),
                                        ({"name": "荫营镇"}, _square(113.3, 37.9, 0.3))))
    assert _load(path, "--match", "name") == "载入完成：新增 2，更新 0，未变 0。\n"
    assert set(Boundary.objects.values_list("node__code", flat=True)) == {"140311101211", "140311100"}


BOWTIE = {"type": "Polygon", "coordinates": [[[113.5, 37.8], [113.6, 37.9], [113.6, 37.8], [113.5, 37.9], [113.5, 37.8]]]}


@pytest.mark.django_db
@pytest.mark.parametrize("content, expected", [
    ("{not json", "文件不是有效的 JSON"),
    ({"type": "Feature", "properties": {}, "geometry": _square(113.5, 37.8)}, "文件不是 GeoJSON 要素集合"),
    ({"type": "FeatureCollection", "features": []}, "要素集合中没有任何要素"),
    (_collection(({"code": "140311999"}, _square(113.5, 37.8))), "区划代码“140311999”在系统（或您的辖区）中不存在"),
    (_collection(({"code": "140311101211"}, BOWTIE)), "边界无效（边界自相交"),
    (_collection(({"code": "140311101211"}, _square(12620000, 4550000, 1000))), "坐标超出经度 73–136、纬度 3–54 的范围"),
    (_collection(({"code": "140311101211"}, {"type": "Point", "coordinates": [113.5, 37.8]})), "几何类型为 Point"),
    (_collection(({"code": "140311101211"}, _square(110.0, 35.0, 6.0))), "边界跨度超过 5 度"),
    (_collection(({"code": "140311101211"}, {"type": "Polygon", "coordinates": [[["a", 1]]]})), "几何格式错误"),
    (_collection(({"名字": "固庄"}, _square(113.5, 37.8))), "属性中没有区划代码"),
    (_collection(({"code": "140311101211"}, _square(113.5, 37.8)), ({"code": "140311101211"}, _square(113.6, 37.8))),
     "与第 1 个要素重复"),
])
def test_bad_files_load_nothing_and_say_why_in_chinese(world, tmp_path, content, expected):
    # Each bad file also carries a good feature first where it can: nothing of it may be written.
    path = _write(tmp_path, content)
    with pytest.raises(CommandError) as exc:
        _load(path)
    assert "文件未载入" in str(exc.value) or "文件" in str(exc.value)
    assert expected in str(exc.value)
    assert Boundary.objects.count() == 0


@pytest.mark.django_db
def test_one_bad_feature_stops_the_good_ones(world, tmp_path):
    path = _write(tmp_path, _collection(({"code": "140311101"}, _square(113.5, 37.8, 0.2)),
                                        ({"code": "140311101211"}, BOWTIE)))
    with pytest.raises(CommandError, match="第 2 个要素（140311101211）：边界无效"):
        _load(path)
    assert Boundary.objects.count() == 0


@pytest.mark.django_db
def test_huge_file_and_missing_file_and_unknown_under(world, tmp_path, monkeypatch):
    from pingan.geo.management.commands import load_boundaries

    path = _write(tmp_path, _collection(({"code": "140311101211"}, _square(113.5, 37.8))))
    monkeypatch.setattr(load_boundaries, "MAX_FILE_BYTES", 50)
    with pytest.raises(CommandError, match="文件过大（0.0 MB），上限为 0 MB"):
        _load(path)
    monkeypatch.undo()
    with pytest.raises(CommandError, match="无法读取文件"):
        _load(str(tmp_path / "none.geojson"))
    with pytest.raises(CommandError, match="区划代码“999”不存在"):
        _load(path, "--under", "999")
    assert Boundary.objects.count() == 0


@pytest.mark.django_db
def test_the_service_refuses_a_role_without_the_capability(world):
    from django.core.exceptions import PermissionDenied

    from pingan.geo.services import boundaries_load

    data = json.dumps(_collection(({"code": "140311101211"}, _square(113.5, 37.8))))
    with pytest.raises(PermissionDenied):
        boundaries_load(actor=world.officer("a"), data=data)
    result = boundaries_load(actor=world.users["district_admin"], data=data)
    assert (result.created, result.updated, result.unchanged) == (1, 0, 0)
