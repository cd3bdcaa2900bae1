"""Codes of the public-security registers (GB/T 31000-2015 5.6 and local practice); labels in Chinese."""
from django.db import models


class ForceType(models.TextChoices):
    """GB/T 31000-2015 5.6 群防群治队伍组织类型."""

    FULL_TIME_PATROL = "01", "专职巡防队伍"
    VOLUNTARY_PATROL = "02", "义务巡防队伍"
    SECURITY_COMPANY = "03", "保安服务公司"
    VOLUNTEERS = "04", "志愿者队伍"
    OTHER = "99", "其他"


class MemberRole(models.TextChoices):
    LEADER = "leader", "队长"
    DEPUTY = "deputy", "副队长"
    MEMBER = "member", "队员"


class CameraType(models.TextChoices):
    BULLET = "bullet", "枪机"
    PTZ = "ptz", "球机"
    DOME = "dome", "半球"
    OTHER = "other", "其他"


class CameraStatus(models.TextChoices):
    IN_USE = "in_use", "在用"
    FAULTY = "faulty", "故障"
    RETIRED = "retired", "停用"


class AudienceKind(models.TextChoices):
    SECURITY_COMMITTEE = "security_committee", "治保会"
    MEDIATION_COMMITTEE = "mediation_committee", "调委会"
    GRID_WORKER = "grid_worker", "网格员"
    OFFICER = "officer", "治安管理员"
    VOLUNTEER = "volunteer", "平安志愿者"
    OTHER = "other", "其他"
