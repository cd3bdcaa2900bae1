"""The 社会治安 parts of the 平安建设 report (pingan.reports): 群防群治 forces, cameras, liaison points and training,
each its own indicator group, each a paragraph written as the district reports them (治安管理员100人、平安志愿者
2861名、视频监控探头7500个、治安联络点覆盖全部行政村)."""
from __future__ import annotations

from django.db.models import Q

from pingan.geo.models import LiaisonPoint, Node
from pingan.reports.registry import ReportSection, register_section

from .choices import ForceType
from .models import Team


def _versus(f, key: str) -> str:
    versus = f.versus(key)
    return f"（{versus}）" if versus else ""


def forces(f) -> str:
    q = f.query
    volunteer_teams = "" if q is None else str(
        q.scoped(Team).filter(Q(founded_on__isnull=True) | Q(founded_on__lte=q.date_to),
                              kind=ForceType.VOLUNTEERS).count())
    return (f"至期末，有治安管理员{f.count('forces.officers')}人{_versus(f, 'forces.officers')}，"
            f"群防群治队伍{f.count('forces.teams')}支"
            + (f"，其中平安志愿者队伍{volunteer_teams}支" if volunteer_teams else "")
            + f"，平安志愿者{f.count('forces.volunteers')}名{_versus(f, 'forces.volunteers')}。")


def cameras(f) -> str:
    return (f"至期末，建成视频监控探头{f.count('cameras.total')}个{_versus(f, 'cameras.total')}，"
            f"其中高清探头{f.count('cameras.hd')}个、联网探头{f.count('cameras.networked')}个、"
            f"24小时值守探头{f.count('cameras.watched_24h')}个。")


def liaison_points(f) -> str:
    q = f.query
    if q is None:
        return f"治安联络点覆盖率{f.percent('liaison_points.coverage')}。"
    villages = Node.objects.villages().filter(path__startswith=q.node.path)
    if q.user is not None:
        villages = villages.visible_to(q.user)
    total = villages.count()
    covered = q.scoped(LiaisonPoint).filter(jurisdiction__in=villages).values("jurisdiction_id").distinct().count()
    if total and covered == total:
        return f"辖区{total}个村（社区）均设有基层治安联络点，覆盖率{f.percent('liaison_points.coverage')}，实现全覆盖。"
    return (f"辖区{total}个村（社区）中{covered}个设有基层治安联络点，"
            f"覆盖率{f.percent('liaison_points.coverage')}。")


def training(f) -> str:
    return (f"本期组织基层综治人员培训{f.count('training.sessions')}场{_versus(f, 'training.sessions')}，"
            f"培训{f.count('training.attendees')}人次。")


register_section(ReportSection(group="forces", summary=forces, order=50))
register_section(ReportSection(group="cameras", summary=cameras, order=52))
register_section(ReportSection(group="liaison_points", summary=liaison_points, order=54))
register_section(ReportSection(group="training", summary=training, order=56))
