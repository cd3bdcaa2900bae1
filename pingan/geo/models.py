"""The jurisdiction tree (县区 → 乡镇街道 → 村社区 → 网格) and liaison points."""
from __future__ import annotations

from django.conf import settings
from django.db import models

from pingan.core.models import ScopedModel
from pingan.core.scoping import ScopedQuerySet

from .choices import LEVEL_RANK, Level


class NodeQuerySet(ScopedQuerySet):
    def townships(self):
        return self.filter(level=Level.TOWNSHIP)

    def villages(self):
        return self.filter(level__in=[Level.VILLAGE, Level.COMMUNITY])

    def grids(self):
        return self.filter(level=Level.GRID)

    def under(self, node: "Node", include_self: bool = True):
        qs = self.filter(path__startswith=node.path)
        return qs if include_self else qs.exclude(pk=node.pk)


class Node(models.Model):
    """One node of the jurisdiction tree, keyed by its statistical code.

    `path` is the materialized path of codes from the root ("140311/140311101/"), indexed so that
    "everything under a node" is one prefix match (the basis of scoping).
    """

    code = models.CharField("统计用区划代码", max_length=15, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=12, choices=Level.choices, db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name="上级")
    parent_code = models.CharField("上级代码", max_length=15, blank=True,
                                   help_text="根节点的上级代码（上级不在本系统时保留）")
    path = models.CharField("路径", max_length=255, unique=True)
    depth = models.PositiveSmallIntegerField("深度", default=0)
    is_pilot = models.BooleanField("试点", default=False)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    grid_leader = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="led_grids", verbose_name="网格长")
    grid_worker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="worked_grids", verbose_name="网格员")

    objects = NodeQuerySet.as_manager()
    scope_path_lookup = "path"
    scope_data_kind = "directory"

    class Meta:
        ordering = ["path"]
        verbose_name = "辖区节点"
        verbose_name_plural = "辖区节点"
        indexes = [
            models.Index(fields=["level", "path"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_scope_path(self) -> str:
        return self.path

    @property
    def rank(self) -> int:
        return LEVEL_RANK[Level(self.level)]

    @property
    def is_grid(self) -> bool:
        return self.level == Level.GRID

    @property
    def is_village(self) -> bool:
        return self.level in (Level.VILLAGE, Level.COMMUNITY)

    @property
    def short_name(self) -> str:
        """The name without the 委会/居委会 suffix used in ledgers (固庄村委会 → 固庄村)."""
        for suffix in ("居委会", "委会"):
            if self.name.endswith(suffix):
                return self.name[: -len(suffix)]
        return self.name

    def ancestor_codes(self) -> list[str]:
        return [c for c in self.path.split("/") if c]

    def ancestors(self):
        """Ancestors root first, excluding self."""
        codes = self.ancestor_codes()[:-1]
        by_code = {n.code: n for n in Node.objects.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]

    def is_under(self, other: "Node") -> bool:
        return self.path.startswith(other.path)

    def township(self) -> "Node | None":
        if self.level == Level.TOWNSHIP:
            return self
        for node in self.ancestors():
            if node.level == Level.TOWNSHIP:
                return node
        return None


class LiaisonPoint(ScopedModel):
    """治安联络点: a village's public-security liaison point (seed: 146 villages, full coverage)."""

    name = models.CharField("名称", max_length=100)
    address = models.CharField("地址", max_length=200, blank=True)
    contact_name = models.CharField("联络员", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)

    scope_data_kind = "reference"

    class Meta:
        ordering = ["jurisdiction__path", "name"]
        verbose_name = "治安联络点"
        verbose_name_plural = "治安联络点"

    def __str__(self) -> str:
        return self.name


class BoundaryQuerySet(ScopedQuerySet):
    pass


class Boundary(models.Model):
    """A node's boundary: a GeoJSON Polygon or MultiPolygon (lon/lat, WGS 84 / CGCS2000) and its bounding box.

    Kept apart from Node so that the tree's many queries do not carry polygons. Loaded by
    `manage.py load_boundaries` (services.boundaries_load) or generated by the demo seed.
    """

    node = models.OneToOneField(Node, on_delete=models.CASCADE, related_name="boundary", verbose_name="辖区节点")
    geometry = models.JSONField("边界（GeoJSON）")
    min_lng = models.FloatField("最小经度")
    min_lat = models.FloatField("最小纬度")
    max_lng = models.FloatField("最大经度")
    max_lat = models.FloatField("最大纬度")
    source = models.CharField("来源", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = BoundaryQuerySet.as_manager()
    scope_path_lookup = "node__path"
    scope_data_kind = "directory"

    class Meta:
        ordering = ["node__path"]
        verbose_name = "辖区边界"
        verbose_name_plural = "辖区边界"

    def __str__(self) -> str:
        return f"{self.node.name}边界"

    @property
    def audit_scope_path(self) -> str:
        return self.node.path

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.min_lng, self.min_lat, self.max_lng, self.max_lat)
