"""The cameras ledger (视频监控探头台账), as docs/ledgers.md defines it: one row a camera, keyed by 探头编号.

A point must lie inside the district (the box of its nodes' coordinates, widened a little: services.district_box);
经度 and 纬度 come together or not at all. New cameras are inserted in bulk with one audit entry each."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from pingan.geo.models import Node
from pingan.ledgers import BooleanColumn, CellError, clean_text, ChoiceColumn, Column, DateColumn, LedgerSpec, PlaceColumn, \
    TextColumn, register
from pingan.ledgers.columns import pure

from . import services
from .choices import CameraStatus, CameraType
from .models import Camera


class CoordinateColumn(Column):
    """A longitude or latitude in decimal degrees (6 decimals kept)."""

    kind_label = "经纬度"

    def __init__(self, header: str, field: str, *, low: int, high: int, **kwargs: Any):
        super().__init__(header, field, width=12, **kwargs)
        self.low, self.high = low, high

    @pure
    def parse(self, raw: Any, ctx: Any) -> Any:
        text = clean_text(raw)
        try:
            value = Decimal(text)
            if not value.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            raise CellError("应为十进制度数，如 113.561234") from None
        if not self.low <= value <= self.high:
            raise CellError(f"应在 {self.low} 到 {self.high} 之间")
        return value.quantize(Decimal("0.000001"))

    def display(self, value: Any, ctx: Any) -> Any:
        return None if value is None else f"{value:.6f}"

    def describe(self) -> str:
        return self.help or "十进制度数（如 113.561234），经度和纬度同时填写或都不填，须在本区范围内"


@register
class CameraLedger(LedgerSpec):
    kind = "cameras"
    label = "视频监控探头"
    model = Camera
    audit_action = "camera.import"
    import_capability = services.MANAGE
    description = "农村视频监控（雪亮工程）探头台账：一行一个探头，探头编号相同的行更新原记录。"
    export_ordering = ("jurisdiction__path", "code")

    columns = [
        TextColumn("探头编号", "code", key=True, max_length=40, width=22,
                   help="视频平台上的探头编号（字母、数字、下划线、短横线，最长 40 位）；再次导入同一编号即更新该探头"),
        TextColumn("名称", "name", required=True, max_length=100, width=24),
        PlaceColumn("所属村(社区)", "jurisdiction_id", required=True, levels=("village", "community")),
        ChoiceColumn("类型", "camera_type", choices=CameraType, default=CameraType.BULLET, width=8,
                     aliases={"枪式": "bullet", "球型": "ptz", "球形": "ptz", "半球型": "dome", "半球形": "dome"},
                     help="枪机、球机、半球 或 其他；空为枪机"),
        BooleanColumn("是否高清", "hd", width=8),
        TextColumn("建设单位", "owner", max_length=100, width=16),
        BooleanColumn("是否联网", "networked", width=8, help="是/否：是否接入乡镇综治中心视频平台"),
        BooleanColumn("是否24小时值守", "watched_24h", width=10),
        ChoiceColumn("状态", "status", choices=CameraStatus, default=CameraStatus.IN_USE, width=8,
                     aliases={"正常": "in_use", "损坏": "faulty", "报废": "retired"}, help="在用、故障 或 停用；空为在用"),
        TextColumn("视频平台编号", "stream_id", max_length=64, width=22),
        CoordinateColumn("经度", "longitude", low=-180, high=180),
        CoordinateColumn("纬度", "latitude", low=-90, high=90),
        DateColumn("安装日期", "installed_on", allow_future=False),
    ]

    def check_row(self, row: dict[str, Any], ctx: Any) -> list[tuple[str, str]]:
        problems = []
        if row.get("code") and not services.CODE_RE.match(row["code"]):
            problems.append(("探头编号", "只能包含字母、数字、下划线和短横线"))
        lat, lng = row.get("latitude"), row.get("longitude")
        if (lat is None) != (lng is None):
            return problems + [("经度" if lng is None else "纬度", "经度和纬度须同时填写（或都不填）")]
        if lat is None:
            return problems
        box = self._box(row.get("jurisdiction_id"), ctx)
        try:
            services.check_point(lat, lng, box)
        except ValidationError:
            problems.append(("经度", f"探头位置（纬度 {lat}，经度 {lng}）不在本区范围内"))
        return problems

    def _box(self, node_id: Any, ctx: Any):
        """The district's box, computed once per district per import."""
        cache = ctx.__dict__.setdefault("_camera_boxes", {})
        place = ctx.places.by_id.get(node_id)
        county = place.path.split("/")[0] if place is not None else ""
        for code in (place.path.split("/") if place is not None else []):
            if len(code) == 6 and not code.endswith("00"):
                county = code
                break
        if county not in cache:
            node = Node.objects.filter(code=county).first() or (Node.objects.filter(pk=node_id).first())
            cache[county] = services.district_box(node) if node is not None else None
        return cache[county]
