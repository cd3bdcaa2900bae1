"""Map layers: a registry each module adds to from its own `<app>/maplayers.py` (found by `autodiscover`, like
`<app>/indicators.py`), so a module landing later puts itself on the map without touching this app.

A layer is either
- "points": one GeoJSON Point per record that has a latitude/longitude, each linking to its record's page; or
- "areas": counts per jurisdiction polygon (a village's petitions, a grid's special population), each area
  linking to the module's list filtered to that place and period. People are only ever shown this way: per
  grid, never a home or a point.

Every layer reads `Model.objects.visible_to(user)` (scope by place and role) and is hidden from roles that may
not see its data kind (`user.may_see_data_kind`). Case layers (`density=True`) can also be counted per village
or township for the density shading (`density_counts`).

    from pingan.geo.layers import point_layer
    point_layer("hazards", "风险隐患", model=Hazard, date_field="screened_on", category_field="hazard_type",
                categories=HazardType.choices, detail="hazards:detail", title=lambda h: h.number,
                list_url=lambda place, start, end: ..., order=30)
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from typing import Any, Callable, Iterable

from django.db.models import Count, QuerySet
from django.urls import reverse

from .choices import CODE_LENGTH, Level

POINTS = "points"
AREAS = "areas"
POINT_LIMIT = 5000
AREA_LEVELS = {"township": Level.TOWNSHIP, "village": Level.VILLAGE, "grid": Level.GRID}
LEVEL_LABELS = {"township": "乡镇(街道)", "village": "村(社区)", "grid": "网格"}


@dataclass(frozen=True)
class Params:
    """One request's filters, already checked (views.parse_layer_params)."""

    node: Any  # the jurisdiction asked for (inside the user's scope)
    start: dt.date | None
    end: dt.date | None
    category: str = ""
    bbox: tuple[float, float, float, float] | None = None  # min_lng, min_lat, max_lng, max_lat


@dataclass
class Layer:
    key: str
    label: str
    kind: str  # POINTS or AREAS
    data_kind: str  # the kind of data it shows (scoping.DATA_ACCESS)
    queryset: Callable[[Any, Params], QuerySet]  # records the user may see, filtered by period and category
    categories: Callable[[Any], list[tuple[str, str]]] = lambda user: []
    detail_url: Callable[[Any], str] | None = None  # a record's page (points)
    title: Callable[[Any], str] = str
    subtitle: Callable[[Any], str] = lambda obj: ""
    list_url: Callable[[str, dt.date | None, dt.date | None, str], str] | None = None  # (place code, from, to, category)
    area_level: str = "village"  # AREAS: count per this level
    density: bool = False  # a case layer: may be shaded per village/township
    dated: bool = True  # the period filter applies
    order: int = 50
    capability: str | None = None
    help: str = ""
    select_related: tuple[str, ...] = field(default_factory=tuple)

    def allowed(self, user: Any) -> bool:
        if not getattr(user, "is_authenticated", False) or not user.may_see_data_kind(self.data_kind):
            return False
        return self.capability is None or user.can(self.capability)

    def describe(self, user: Any) -> dict:
        return {"key": self.key, "label": self.label, "kind": self.kind, "density": self.density,
                "dated": self.dated, "area_level": self.area_level if self.kind == AREAS else "",
                "categories": [{"value": v, "label": str(l)} for v, l in self.categories(user)], "help": self.help}


_LAYERS: dict[str, Layer] = {}
_discovered = False


def register(layer: Layer) -> Layer:
    _LAYERS[layer.key] = layer
    return layer


def autodiscover() -> None:
    """Import `<app>/maplayers.py` of every installed app (once)."""
    global _discovered
    if _discovered:
        return
    from django.apps import apps

    for config in apps.get_app_configs():
        name = f"{config.name}.maplayers"
        if find_spec(name) is not None:
            import_module(name)
    _discovered = True


def all_layers() -> list[Layer]:
    autodiscover()
    return sorted(_LAYERS.values(), key=lambda layer: (layer.order, layer.key))


def layers_for(user: Any) -> list[Layer]:
    return [layer for layer in all_layers() if layer.allowed(user)]


def get(key: str) -> Layer | None:
    autodiscover()
    return _LAYERS.get(key)


# --- helpers for modules ------------------------------------------------------------------------------------

def _date_filter(qs: QuerySet, date_field: str, params: Params, is_datetime: bool) -> QuerySet:
    lookup = f"{date_field}__date" if is_datetime else date_field
    if params.start:
        qs = qs.filter(**{f"{lookup}__gte": params.start})
    if params.end:
        qs = qs.filter(**{f"{lookup}__lte": params.end})
    return qs


def point_layer(key: str, label: str, *, model: type, data_kind: str | None = None, date_field: str | None = None,
                category_field: str | None = None, categories: Any = None, category_prefix: bool = False,
                detail: str | Callable[[Any], str] | None = None, title: Callable[[Any], str] = str,
                subtitle: Callable[[Any], str] = lambda obj: "", list_url=None, density: bool = True,
                order: int = 50, capability: str | None = None, select_related: Iterable[str] = (),
                extra: Callable[[QuerySet, Params], QuerySet] | None = None, help: str = "") -> Layer:
    """A points layer of `model`'s records (their latitude/longitude). `categories`: choices, or a callable
    (user) -> choices; `category_prefix`: the category filter matches codes that start with the value (a
    main category and its sub-categories)."""
    is_datetime = bool(date_field) and model._meta.get_field(date_field).get_internal_type() == "DateTimeField"

    def queryset(user: Any, params: Params) -> QuerySet:
        qs = model.objects.visible_to(user).filter(jurisdiction__path__startswith=params.node.path)
        if date_field:
            qs = _date_filter(qs, date_field, params, is_datetime)
        if params.category and category_field:
            lookup = f"{category_field}__startswith" if category_prefix else category_field
            qs = qs.filter(**{lookup: params.category})
        if extra is not None:
            qs = extra(qs, params)
        return qs

    choices = categories if callable(categories) else (lambda user, c=list(categories or []): c)
    if isinstance(detail, str):
        route = detail
        detail_url = lambda obj: reverse(route, kwargs={"pk": obj.pk})  # noqa: E731
    else:
        detail_url = detail
    return register(Layer(key=key, label=label, kind=POINTS, data_kind=data_kind or model.scope_data_kind,
                          queryset=queryset, categories=choices, detail_url=detail_url, title=title,
                          subtitle=subtitle, list_url=list_url, density=density, dated=bool(date_field), order=order,
                          capability=capability, help=help, select_related=tuple(select_related)))


def area_layer(key: str, label: str, *, queryset: Callable[[Any, Params], QuerySet], data_kind: str,
               level: str = "village", categories: Any = None, list_url=None, density: bool = False,
               order: int = 50, capability: str | None = None, help: str = "") -> Layer:
    """An aggregate layer: `queryset(user, params)` counted per polygon of `level` (by each record's
    jurisdiction); never a point."""
    choices = categories if callable(categories) else (lambda user, c=list(categories or []): c)
    return register(Layer(key=key, label=label, kind=AREAS, data_kind=data_kind, queryset=queryset,
                          categories=choices, list_url=list_url, area_level=level, density=density,
                          order=order, capability=capability, help=help))


# --- computing features -------------------------------------------------------------------------------------

def point_features(layer: Layer, user: Any, params: Params, limit: int | None = None) -> tuple[list[dict], int, bool]:
    """(features, total with a point in the bbox, truncated?); at most `limit` (default POINT_LIMIT) points."""
    limit = POINT_LIMIT if limit is None else limit
    qs = layer.queryset(user, params).filter(latitude__isnull=False, longitude__isnull=False)
    return _point_rows(layer, qs, params, limit)


def unplaced_count(layer: Layer, user: Any, params: Params) -> int:
    """Records of the period and place that have no point (they are counted, never drawn at a guessed place)."""
    return layer.queryset(user, params).filter(latitude__isnull=True).count()


def _point_rows(layer: Layer, qs: QuerySet, params: Params, limit: int) -> tuple[list[dict], int, bool]:
    if params.bbox:
        min_lng, min_lat, max_lng, max_lat = params.bbox
        qs = qs.filter(longitude__gte=min_lng, longitude__lte=max_lng, latitude__gte=min_lat, latitude__lte=max_lat)
    if layer.select_related:
        qs = qs.select_related(*layer.select_related)
    total = qs.count()
    rows = list(qs.order_by("-pk")[:limit])
    features = []
    for obj in rows:
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(obj.longitude), float(obj.latitude)]},
            "properties": {"id": obj.pk, "title": layer.title(obj), "subtitle": layer.subtitle(obj),
                           "url": layer.detail_url(obj) if layer.detail_url else ""},
        })
    return features, total, total > limit


def ancestor_code(path: str, level: str) -> str | None:
    """The code at `level` ("township" | "village" | "grid") on a materialized path, by its code length."""
    length = CODE_LENGTH[AREA_LEVELS[level]]
    for code in path.split("/"):
        if len(code) == length:
            return code
    return None


def counts_per_area(qs: QuerySet, level: str, path_lookup: str = "jurisdiction__path") -> tuple[dict[str, int], int]:
    """Records per area code at `level`, and how many sit above that level (a village-level record on a
    grid map): one grouped query."""
    counts: dict[str, int] = {}
    above = 0
    for path, n in qs.order_by().values_list(path_lookup).annotate(n=Count("pk")):
        code = ancestor_code(path or "", level)
        if code is None:
            above += n
        else:
            counts[code] = counts.get(code, 0) + n
    return counts, above


def area_features(counts: dict[str, int], level: str, user: Any, params: Params, list_url=None,
                  category: str = "", include_empty: bool = False) -> list[dict]:
    """Polygons of the areas at `level` under the asked node, with their counts (and a link to the list)."""
    from .models import Boundary

    levels = [Level.VILLAGE, Level.COMMUNITY] if level == "village" else [AREA_LEVELS[level]]
    qs = Boundary.objects.visible_to(user).filter(node__path__startswith=params.node.path, node__level__in=levels)
    if not include_empty:
        qs = qs.filter(node__code__in=[c for c, n in counts.items() if n])
    if params.bbox:
        min_lng, min_lat, max_lng, max_lat = params.bbox
        qs = qs.filter(max_lng__gte=min_lng, min_lng__lte=max_lng, max_lat__gte=min_lat, min_lat__lte=max_lat)
    features = []
    for boundary in qs.select_related("node").order_by("node__path"):
        node = boundary.node
        count = counts.get(node.code, 0)
        features.append({"type": "Feature", "geometry": boundary.geometry, "properties": {
            "code": node.code, "name": node.name, "count": count,
            "url": list_url(node.code, params.start, params.end, category) if list_url and count else "",
        }})
    return features


def density_counts(layer: Layer, user: Any, params: Params, level: str) -> tuple[dict[str, int], int]:
    """A case layer's records per village or township (by jurisdiction, with or without a point)."""
    return counts_per_area(layer.queryset(user, params), level)


def query_string(**values: Any) -> str:
    from urllib.parse import urlencode

    return urlencode({k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items() if v})
