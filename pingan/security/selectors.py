"""Reads of the security module, always from `visible_to(user)`: the per-village camera figures (GB/T 31000
表7) and the training totals per unit and year. Aggregates in SQL."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from pingan.geo.models import Node
from pingan.people.models import Person

from .choices import CameraStatus
from .models import Attendance, Camera, TrainingSession

# A camera counts while it stands (在用 or 故障); a 停用 one is still listed but no longer counted.
COUNTED = ~Q(status=CameraStatus.RETIRED)


def per_hundred(cameras: int, residents: int | None) -> Decimal | None:
    """Cameras per 100 residents, 2 decimals half-up; None without residents."""
    if not residents:
        return None
    return (Decimal(cameras) * 100 / Decimal(residents)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class CameraRow:
    node: Any
    total: int = 0
    hd: int = 0
    networked: int = 0
    watched: int = 0
    residents: int | None = None
    villages: list = field(default_factory=list)  # a township's rows

    @property
    def per_100(self) -> Decimal | None:
        return per_hundred(self.total, self.residents)

    def add(self, other: "CameraRow") -> None:
        self.total += other.total
        self.hd += other.hd
        self.networked += other.networked
        self.watched += other.watched
        if other.residents is not None:
            self.residents = (self.residents or 0) + other.residents


def camera_figures(user: Any, node: Node | None = None) -> tuple[list[CameraRow], CameraRow]:
    """Per township (with its villages) and in total: cameras counted, HD, networked, 24-hour watched, residents
    (people registered in the village today, when the user may see people data) and cameras per 100 residents.
    Three queries whatever the size."""
    villages = Node.objects.visible_to(user).villages().select_related("parent").order_by("path")
    cameras = Camera.objects.visible_to(user).filter(COUNTED)
    if node is not None:
        villages = villages.filter(path__startswith=node.path)
        cameras = cameras.filter(jurisdiction__path__startswith=node.path)
    counts = {r["jurisdiction_id"]: r for r in cameras.values("jurisdiction_id").annotate(
        total=Count("pk"), hd=Count("pk", filter=Q(hd=True)), networked=Count("pk", filter=Q(networked=True)),
        watched=Count("pk", filter=Q(watched_24h=True)))}
    residents: dict[int, int] | None = None
    if user.may_see_data_kind("person"):
        people = Person.objects.visible_to(user).on(timezone.localdate())
        if node is not None:
            people = people.filter(jurisdiction__path__startswith=node.path)
        residents = {r["jurisdiction__parent_id"]: r["n"] for r in
                     people.values("jurisdiction__parent_id").annotate(n=Count("pk")).order_by()}
    townships: dict[int, CameraRow] = {}
    total = CameraRow(node=node)
    for village in villages:
        c = counts.get(village.pk, {})
        row = CameraRow(node=village, total=c.get("total", 0), hd=c.get("hd", 0), networked=c.get("networked", 0),
                        watched=c.get("watched", 0),
                        residents=residents.get(village.pk, 0) if residents is not None else None)
        parent = village.parent
        t = townships.setdefault(parent.pk, CameraRow(node=parent, residents=0 if residents is not None else None))
        t.villages.append(row)
        t.add(row)
        total.add(row)
    if residents is None:
        total.residents = None
    elif total.residents is None:
        total.residents = 0
    return list(townships.values()), total


def camera_features(user: Any) -> dict[str, Any]:
    """GeoJSON of the villages with coordinates: counted cameras and cameras per 100 residents at each."""
    townships, _total = camera_figures(user)
    features = []
    for township in townships:
        for row in township.villages:
            node = row.node
            if node.latitude is None or node.longitude is None:
                continue
            features.append({"type": "Feature",
                             "geometry": {"type": "Point", "coordinates": [float(node.longitude), float(node.latitude)]},
                             "properties": {"code": node.code, "name": node.name, "township": township.node.name,
                                            "cameras": row.total, "hd": row.hd, "networked": row.networked,
                                            "per_100": float(row.per_100) if row.per_100 is not None else None}})
    return {"type": "FeatureCollection", "features": features}


@dataclass
class TrainingRow:
    unit: Any
    year: int
    sessions: int
    attendees: int


def training_totals(user: Any) -> list[TrainingRow]:
    """Unit (the session's jurisdiction) × year → sessions held, people trained (attendance records)."""
    sessions = TrainingSession.objects.visible_to(user).annotate(year=ExtractYear("held_on")) \
        .values("jurisdiction_id", "year").annotate(n=Count("pk")).order_by()
    attendees = Attendance.objects.visible_to(user).annotate(year=ExtractYear("session__held_on")) \
        .values("jurisdiction_id", "year").annotate(n=Count("pk")).order_by()
    people = {(r["jurisdiction_id"], r["year"]): r["n"] for r in attendees}
    units = {n.pk: n for n in Node.objects.filter(pk__in={r["jurisdiction_id"] for r in sessions})}
    rows = [TrainingRow(units[r["jurisdiction_id"]], r["year"], r["n"], people.get((r["jurisdiction_id"], r["year"]), 0))
            for r in sessions]
    return sorted(rows, key=lambda r: (-r.year, r.unit.path))


def today() -> dt.date:
    return timezone.localdate()

