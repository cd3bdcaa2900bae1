"""社会治安 indicators (docs/indicators.md): forces, cameras, liaison-point coverage, training. Each one SQL
aggregate over the rows the asker may see under the node.

- forces.volunteers: members of teams of type 04 志愿者队伍 whose place (where the member lives) is under the
  node, who joined on or before `to` and had not left by then.
- forces.teams: teams under the node founded on or before `to` (or without a date).
- forces.officers: 治安管理员 of villages under the node in post on `to`.
- cameras.total / .hd / .networked / .watched_24h: cameras under the node installed on or before `to` (or
  without a date), not 停用.
- liaison_points.coverage: villages (and communities) under the node with at least one 治安联络点 / villages.
- training.sessions: sessions held in the period under the node; training.attendees: their attendance records
  (people trained, 人次).
"""
from __future__ import annotations

from django.db.models import Count, Q

from pingan.core.indicators import RATE, Query, group, indicator, rate
from pingan.geo.models import LiaisonPoint, Node

from .choices import CameraStatus, ForceType
from .models import Attendance, Camera, SecurityOfficer, Team, TeamMember, TrainingSession

group("forces", "社会治安·群防群治")
group("cameras", "社会治安·视频监控")
group("liaison_points", "社会治安·治安联络点")
group("training", "社会治安·教育培训")


def _in_post(q: Query, start: str, end: str) -> Q:
    return Q(**{f"{start}__lte": q.date_to}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": q.date_to}))


@indicator("forces.volunteers", "平安志愿者", order=1)
def volunteers(q: Query) -> int:
    """志愿者队伍（组织类型 04）的在队队员：截止日前加入、未退出。"""
    return q.scoped(TeamMember).filter(_in_post(q, "joined_on", "left_on"), team__kind=ForceType.VOLUNTEERS).count()


@indicator("forces.teams", "群防群治队伍", order=2)
def teams(q: Query) -> int:
    """辖区内的群防群治队伍（截止日前成立或未填成立日期）。"""
    return q.scoped(Team).filter(Q(founded_on__isnull=True) | Q(founded_on__lte=q.date_to)).count()


@indicator("forces.officers", "治安管理员", order=3)
def officers(q: Query) -> int:
    """截止日在任的治安管理员。"""
    return q.scoped(SecurityOfficer).filter(_in_post(q, "since", "until")).count()


def _cameras(q: Query) -> dict[str, int]:
    key = "_cameras"
    if key not in q._values:
        counted = q.scoped(Camera).filter(Q(installed_on__isnull=True) | Q(installed_on__lte=q.date_to)) \
            .exclude(status=CameraStatus.RETIRED)
        q._values[key] = counted.aggregate(total=Count("pk"), hd=Count("pk", filter=Q(hd=True)),
                                           networked=Count("pk", filter=Q(networked=True)),
                                           watched=Count("pk", filter=Q(watched_24h=True)))
    return q._values[key]


@indicator("cameras.total", "视频监控探头", order=1)
def cameras_total(q: Query) -> int:
    """截止日前安装（或未填安装日期）、未停用的探头。"""
    return _cameras(q)["total"]


@indicator("cameras.hd", "高清探头", order=2)
def cameras_hd(q: Query) -> int:
    return _cameras(q)["hd"]


@indicator("cameras.networked", "联网探头", order=3)
def cameras_networked(q: Query) -> int:
    """接入乡镇综治中心视频平台的探头。"""
    return _cameras(q)["networked"]


@indicator("cameras.watched_24h", "24小时值守探头", order=4)
def cameras_watched(q: Query) -> int:
    return _cameras(q)["watched"]


@indicator("liaison_points.coverage", "治安联络点覆盖率", kind=RATE, order=1)
def coverage(q: Query):
    """有治安联络点的村(社区) ÷ 村(社区)数。"""
    villages = Node.objects.villages().filter(path__startswith=q.node.path)
    if q.user is not None:
        villages = villages.visible_to(q.user)
    covered = q.scoped(LiaisonPoint).filter(jurisdiction__in=villages).values("jurisdiction_id").distinct().count()
    return rate(covered, villages.count())


@indicator("training.sessions", "培训场次", order=1)
def sessions(q: Query) -> int:
    """期间内举办的培训。"""
    return q.cases(TrainingSession, "held_on").count()


@indicator("training.attendees", "培训人次", order=2)
def attendees(q: Query) -> int:
    """期间内举办的培训的参训登记数（人次）。"""
    return q.scoped(Attendance).filter(session__held_on__gte=q.date_from, session__held_on__lte=q.date_to).count()
