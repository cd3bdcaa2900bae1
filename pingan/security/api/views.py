from drf_spectacular.utils import extend_schema, extend_schema_view

from pingan.registers import RegisterViewSet

from .. import registers as r
from . import serializers as s


def _docs(title: str):
    return extend_schema_view(list=extend_schema(summary=f"{title}列表"), retrieve=extend_schema(summary=title),
                              create=extend_schema(summary=f"登记{title}"), update=extend_schema(summary=f"修改{title}"),
                              partial_update=extend_schema(summary=f"修改{title}（部分字段）"),
                              destroy=extend_schema(summary=f"删除{title}"))


@_docs("群防群治队伍")
class TeamViewSet(RegisterViewSet):
    register = r.TEAMS
    serializer_class = s.TeamSerializer


@_docs("群防群治队员")
class TeamMemberViewSet(RegisterViewSet):
    register = r.MEMBERS
    serializer_class = s.TeamMemberSerializer


@_docs("治安管理员")
class OfficerViewSet(RegisterViewSet):
    register = r.OFFICERS
    serializer_class = s.OfficerSerializer


@_docs("巡防记录")
class PatrolViewSet(RegisterViewSet):
    register = r.PATROLS
    serializer_class = s.PatrolSerializer


@_docs("视频监控探头")
class CameraViewSet(RegisterViewSet):
    register = r.CAMERAS
    serializer_class = s.CameraSerializer


@_docs("培训")
class SessionViewSet(RegisterViewSet):
    register = r.SESSIONS
    serializer_class = s.SessionSerializer


@_docs("参训人员")
class AttendanceViewSet(RegisterViewSet):
    register = r.ATTENDANCES
    serializer_class = s.AttendanceSerializer
