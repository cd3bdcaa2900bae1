"""Demo jurisdiction: 阳泉市郊区 from its real 2023 codes, with grids, coordinates, pilots and liaison points."""
from __future__ import annotations

from decimal import Decimal
from typing import Any
from pathlib import Path

from pingan.core.registry import seeder
from pingan.core.seed import SeedContext

from . import boundaries as geom
from . import services
from .choices import Level
from .models import Boundary, LiaisonPoint, Node

DATA = Path(__file__).resolve().parent / "data" / "jiaoqu.csv"
# The real district's area.
LAT_RANGE = (37.70, 38.05)
LNG_RANGE = (113.35, 113.80)
GRID_ORDINALS = "一二三四五六"
PROVINCE_COUNTIES = 10


def _coord(value: float, low: float, high: float) -> Decimal:
    return Decimal(f"{min(max(value, low + 0.001), high - 0.001):.6f}")


def _place(ctx: SeedContext, root: Node) -> None:
    """Townships spread over the box, villages around their township, grids around their village."""
    rng = ctx.fork(f"geo-coords-{root.code}")
    townships = list(Node.objects.filter(path__startswith=root.path, level=Level.TOWNSHIP).order_by("code"))
    for township in townships:
        t_lat = rng.uniform(LAT_RANGE[0] + 0.04, LAT_RANGE[1] - 0.04)
        t_lng = rng.uniform(LNG_RANGE[0] + 0.05, LNG_RANGE[1] - 0.05)
        if township.latitude is None:
            services.node_set_location(actor=None, node=township, latitude=_coord(t_lat, *LAT_RANGE),
                                       longitude=_coord(t_lng, *LNG_RANGE))
        for village in township.children.order_by("code"):
            v_lat, v_lng = t_lat + rng.uniform(-0.04, 0.04), t_lng + rng.uniform(-0.05, 0.05)
            if village.latitude is None:
                services.node_set_location(actor=None, node=village, latitude=_coord(v_lat, *LAT_RANGE),
                                           longitude=_coord(v_lng, *LNG_RANGE))


def _grids(ctx: SeedContext, root: Node) -> int:
    rng = ctx.fork(f"geo-grids-{root.code}")
    created = 0
    villages = Node.objects.filter(path__startswith=root.path, level__in=[Level.VILLAGE, Level.COMMUNITY]).order_by("code")
    for village in villages:
        count = rng.randint(3, 6)
        if village.children.filter(level=Level.GRID).exists():
            continue
        for i in range(1, count + 1):
            grid = services.grid_create(actor=None, village=village, code=f"{village.code}{i:03d}",
                                        name=f"{village.short_name}第{GRID_ORDINALS[i - 1]}网格")
            jitter_lat, jitter_lng = rng.uniform(-0.006, 0.006), rng.uniform(-0.006, 0.006)
            if village.latitude is not None:
                services.node_set_location(
                    actor=None, node=grid, latitude=_coord(float(village.latitude) + jitter_lat, *LAT_RANGE),
                    longitude=_coord(float(village.longitude) + jitter_lng, *LNG_RANGE))
            created += 1
    return created


def _boundaries(ctx: SeedContext, root: Node) -> int:
    """Plausible polygons around the real village points: the county outline is a buffered concave hull of
    the villages; each village its Voronoi cell clipped to the outline; a township the union of its villages;
    each village's grids split its cell (a grid whose point falls outside moves to a point of its own cell).
    Deterministic for a seed (the grid sites come from the seed's random stream)."""
    if Boundary.objects.filter(node=root).exists():
        return 0
    rng = ctx.fork(f"geo-boundaries-{root.code}")
    villages = list(Node.objects.filter(path__startswith=root.path, level__in=[Level.VILLAGE, Level.COMMUNITY],
                                        latitude__isnull=False).order_by("code"))
    if len(villages) < 3:
        return 0
    points = {v.pk: (float(v.longitude), float(v.latitude)) for v in villages}
    outline = geom.county_outline(points.values())
    cells = geom.voronoi_cells(points, outline)
    source = "演示数据（按村点位生成）"
    services.boundary_save(actor=None, node=root, geometry=outline, source=source)
    made = 1
    by_township: dict[int, list] = {}
    for village in villages:
        services.boundary_save(actor=None, node=village, geometry=cells[village.pk], source=source)
        by_township.setdefault(village.parent_id, []).append(cells[village.pk])
        made += 1
        grids = list(village.children.filter(level=Level.GRID).order_by("code"))
        if not grids:
            continue
        own = [(float(g.longitude), float(g.latitude)) if g.latitude is not None else None for g in grids]
        grid_cells, sites = geom.split_cell(cells[village.pk], len(grids), rng, own)
        for grid, cell, site in zip(grids, grid_cells, sites):
            if own[grids.index(grid)] != site:
                services.node_set_location(actor=None, node=grid, latitude=Decimal(f"{site[1]:.6f}"),
                                           longitude=Decimal(f"{site[0]:.6f}"))
            services.boundary_save(actor=None, node=grid, geometry=cell, source=source)
            made += 1
    for township in Node.objects.filter(pk__in=by_township).order_by("code"):
        union = geom.shapely.union_all(by_township[township.pk])
        services.boundary_save(actor=None, node=township, geometry=union, source=source)
        made += 1
    return made


def _pilots(ctx: SeedContext, root: Node) -> None:
    """Seed: 2 pilot townships and 14 pilot villages."""
    if Node.objects.filter(path__startswith=root.path, is_pilot=True).exists():
        return
    rng = ctx.fork(f"geo-pilots-{root.code}")
    townships = list(Node.objects.filter(path__startswith=root.path, level=Level.TOWNSHIP).order_by("code"))
    for township in rng.sample(townships, min(2, len(townships))):
        services.node_set_pilot(actor=None, node=township, is_pilot=True)
    villages = list(Node.objects.filter(path__startswith=root.path, level__in=[Level.VILLAGE, Level.COMMUNITY])
                    .order_by("code"))
    for village in rng.sample(villages, min(14, len(villages))):
        services.node_set_pilot(actor=None, node=village, is_pilot=True)


def _liaison_points(ctx: SeedContext, root: Node) -> None:
    rng = ctx.fork(f"geo-liaison-{root.code}")
    have = set(LiaisonPoint.objects.filter(jurisdiction__path__startswith=root.path).values_list("jurisdiction_id", flat=True))
    for village in Node.objects.filter(path__startswith=root.path, level__in=[Level.VILLAGE, Level.COMMUNITY]).order_by("code"):
        covered = rng.random() < 0.93
        name, phone = ctx.name(rng), ctx.phone(rng)
        if not covered or village.pk in have:
            continue
        services.liaison_point_save(actor=None, data={
            "jurisdiction": village, "name": f"{village.short_name}治安联络点",
            "address": f"{village.short_name}村委会院内" if village.level == Level.VILLAGE else f"{village.short_name}服务中心",
            "contact_name": name, "contact_phone": phone, "latitude": village.latitude, "longitude": village.longitude,
        })


def _province_csv(ctx: SeedContext) -> str:
    """Synthetic counties around the real one, for province-scale runs (codes follow the national scheme)."""
    rng = ctx.fork("geo-province")
    lines = ["code,name,level,parent_code", "140000,山西省,province,", "140300,阳泉市,city,140000"]
    for c in range(PROVINCE_COUNTIES):
        city = f"14{c + 4:02d}00"
        lines.append(f"{city},示范市{c + 1:02d},city,140000")
        county = f"14{c + 4:02d}21"
        lines.append(f"{county},示范县{c + 1:02d},county,{city}")
        for t in range(8):
            township = f"{county}{100 + t:03d}"
            lines.append(f"{township},示范县{c + 1:02d}第{t + 1}镇,township,{county}")
            for v in range(rng.randint(12, 18)):
                lines.append(f"{township}{200 + v:03d},第{t + 1}镇{v + 1}村委会,village,{township}")
    return "\n".join(lines)


@seeder("geo", order=10)
def seed_geo(ctx: SeedContext) -> None:
    if ctx.scale == "province":
        # The province and 阳泉市 first, so that 郊区 hangs under its real city.
        services.jurisdictions_load(actor=None, data="\n".join(_province_csv(ctx).split("\n")[:3]), source="demo")
    services.jurisdictions_load(actor=None, data=DATA.read_bytes(), source=str(DATA.name))
    roots = [Node.objects.get(code="140311")]
    if ctx.scale == "province":
        services.jurisdictions_load(actor=None, data=_province_csv(ctx), source="demo-province")
        roots += list(Node.objects.filter(level=Level.COUNTY).exclude(code="140311").order_by("code"))
    for root in roots:
        _place(ctx, root)
        made = _grids(ctx, root)
        shapes = _boundaries(ctx, root)
        _pilots(ctx, root)
        _liaison_points(ctx, root)
        ctx.log(f"  {root.name}: 新建网格 {made} 个，生成边界 {shapes} 个")
    ctx.data["county"] = roots[0]


class PlacePoints:
    """Plausible demo coordinates for records of a place: a point drawn inside the place's boundary (the demo's
    village polygons), or the place's own point when it has no boundary. Each point comes from its own small
    generator seeded by (seed, place, n), so drawing points never shifts a module's main random stream (and the
    figures the demo must reproduce)."""

    def __init__(self, seed: int, tries: int = 60):
        self.seed, self.tries = seed, tries
        self._shapes: dict[int, Any] = {}

    def _shape(self, node: Node):
        if node.pk not in self._shapes:
            boundary = Boundary.objects.filter(node=node).only("geometry").first()
            self._shapes[node.pk] = None
            if boundary is not None:
                from shapely.geometry import shape
                from shapely.prepared import prep

                polygon = shape(boundary.geometry)
                self._shapes[node.pk] = (polygon.bounds, prep(polygon))
        return self._shapes[node.pk]

    def point(self, node: Node, n: int) -> tuple[Decimal | None, Decimal | None]:
        import random

        from shapely.geometry import Point

        found = self._shape(node)
        if found is not None:
            (min_lng, min_lat, max_lng, max_lat), polygon = found
            rng = random.Random(f"{self.seed}:{node.code}:{n}")
            for _ in range(self.tries):
                lng, lat = rng.uniform(min_lng, max_lng), rng.uniform(min_lat, max_lat)
                if polygon.contains(Point(lng, lat)):
                    return Decimal(f"{lat:.6f}"), Decimal(f"{lng:.6f}")
        return node.latitude, node.longitude
