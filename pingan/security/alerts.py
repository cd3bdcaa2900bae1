"""Early-warning rule of public security (found by pingan.alerts' autodiscovery of `<app>.alerts`).

    security.cameras_faulty  a village (community) has N or more cameras of the rural video network marked
                             故障 (default 6; a village has some 57): its 技防 has a hole, yellow. One warning
                             per village; the scan closes it once fewer than N are faulty (repaired or retired).

The security module has no deadlines of its own (patrol findings become grid events, which carry theirs).
"""
from __future__ import annotations

import datetime as dt

from django.db.models import Count

from pingan.alerts.registry import AlertSpec, Rule, register_rule
from pingan.geo.models import Node

from .choices import CameraStatus
from .models import Camera

FAULTY = "security.cameras_faulty"
RULES = (FAULTY,)


def scan_faulty(params: dict, now: dt.datetime):
    minimum = max(int(params.get("cameras", 6)), 1)
    rows = list(Camera.objects.filter(status=CameraStatus.FAULTY).order_by().values("jurisdiction")
                .annotate(n=Count("pk")).filter(n__gte=minimum))
    if not rows:
        return
    places = Node.objects.in_bulk([r["jurisdiction"] for r in rows])
    # The faulty cameras' codes of all those villages in one query (the first ten of each are named).
    codes_of: dict[int, list[str]] = {}
    for place_id, code in (Camera.objects.filter(jurisdiction__in=places, status=CameraStatus.FAULTY)
                           .order_by("jurisdiction", "code").values_list("jurisdiction", "code")):
        codes_of.setdefault(place_id, []).append(code)
    for row in rows:
        place = places.get(row["jurisdiction"])
        if place is None:
            continue
        codes = codes_of.get(place.pk, [])[:10]
        yield AlertSpec(
            rule=FAULTY, jurisdiction=place, source=None, key=f"{FAULTY}:{place.pk}",
            title=f"{place.name}有 {row['n']} 个视频探头故障",
            reason=(f"{place.name}的农村视频监控网中有 {row['n']} 个探头标记为故障"
                    f"（{'、'.join(codes)}{'等' if row['n'] > len(codes) else ''}），达到 {minimum} 个即预警，"
                    f"请督促建设单位尽快维修。"))


register_rule(Rule(
    key=FAULTY, label="视频探头故障较多", module="security", level="yellow", scan=scan_faulty,
    description="某村(社区)标记为故障的视频探头达到 N 个时预警；修复或停用后低于 N 个时下一次扫描自动关闭。",
    params={"cameras": (6, "故障探头数")}))
