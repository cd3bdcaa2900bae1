"""群防群治 forces (teams, members, 治安管理员, patrols), cameras (视频监控) and training (教育培训).

Liaison points (治安联络点) are geo's (`pingan.geo.models.LiaisonPoint`); this app only counts them.
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from pingan.core.models import ScopedModel
from pingan.core.personal import PhoneField

from .choices import AudienceKind, CameraStatus, CameraType, ForceType, MemberRole


class Team(ScopedModel):
    """A 群防群治 team of a township or village (or the district's own), by GB/T 31000 5.6 type."""

    name = models.CharField("队伍名称", max_length=100)
    kind = models.CharField("组织类型", max_length=2, choices=ForceType.choices)
    leader_name = models.CharField("负责人", max_length=50, blank=True)
    phone = PhoneField("联系电话", max_length=20, blank=True)
    area = models.CharField("巡防区域", max_length=200, blank=True)
    founded_on = models.DateField("成立日期", null=True, blank=True)

    scope_data_kind = "reference"

    class Meta:
        ordering = ["jurisdiction__path", "kind", "name"]
        verbose_name = "群防群治队伍"
        verbose_name_plural = "群防群治队伍"

    def __str__(self) -> str:
        return self.name


class TeamMember(ScopedModel):
    """A member of a team. `jurisdiction` is where the member lives (a resident's grid, or the village given for
    someone not in the people register); it must lie in the team's township unless the team is the district's."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="members", verbose_name="所属队伍")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name="实有人口记录")
    name = models.CharField("姓名", max_length=50)
    role = models.CharField("队内职务", max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)
    phone = PhoneField("联系电话", max_length=20, blank=True)
    joined_on = models.DateField("加入日期", default=dt.date.today)
    left_on = models.DateField("退出日期", null=True, blank=True)

    scope_data_kind = "person"

    class Meta:
        ordering = ["team_id", "role", "name", "pk"]
        verbose_name = "队员"
        verbose_name_plural = "队员"
        indexes = [models.Index(fields=["team", "joined_on"])]

    def __str__(self) -> str:
        return self.name


class SecurityOfficer(ScopedModel):
    """治安管理员: the roster of a village's public-security administrators."""

    name = models.CharField("姓名", max_length=50)
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name="实有人口记录")
    phone = PhoneField("联系电话", max_length=20, blank=True)
    since = models.DateField("任职日期", default=dt.date.today)
    until = models.DateField("离任日期", null=True, blank=True)

    scope_data_kind = "person"

    class Meta:
        ordering = ["jurisdiction__path", "name", "pk"]
        verbose_name = "治安管理员"
        verbose_name_plural = "治安管理员"

    def __str__(self) -> str:
        return self.name


class Patrol(ScopedModel):
    """One patrol of a team: when, where, what was found; a finding may become a grid event (`event`)."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="patrols", verbose_name="巡防队伍")
    patrolled_on = models.DateField("巡防日期")
    area = models.CharField("巡防区域", max_length=200)
    findings = models.TextField("发现情况", blank=True, max_length=2000)
    event = models.ForeignKey("events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name="转办的网格事件")

    # A team's own records: by place, never a department handler (no department is assigned a patrol).
    scope_data_kind = "case"

    class Meta:
        ordering = ["-patrolled_on", "-pk"]
        verbose_name = "巡防记录"
        verbose_name_plural = "巡防记录"

    def __str__(self) -> str:
        return f"{self.team.name} {self.patrolled_on:%Y-%m-%d} 巡防"


class Camera(ScopedModel):
    """A camera of the rural video network (雪亮工程). `code` is the video platform's id (text); the app shows
    no video."""

    code = models.CharField("探头编号", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100)
    camera_type = models.CharField("类型", max_length=10, choices=CameraType.choices, default=CameraType.BULLET)
    hd = models.BooleanField("是否高清", default=False)
    owner = models.CharField("建设单位", max_length=100, blank=True)
    networked = models.BooleanField("是否联网", default=False, help_text="接入乡镇综治中心视频平台")
    watched_24h = models.BooleanField("是否24小时值守", default=False)
    status = models.CharField("状态", max_length=10, choices=CameraStatus.choices, default=CameraStatus.IN_USE)
    stream_id = models.CharField("视频平台编号", max_length=64, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    installed_on = models.DateField("安装日期", null=True, blank=True)

    scope_data_kind = "reference"

    class Meta:
        ordering = ["jurisdiction__path", "code"]
        verbose_name = "视频监控探头"
        verbose_name_plural = "视频监控探头"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class TrainingSession(ScopedModel):
    """A training session held by a unit (the district, a township or a village) for one kind of audience."""

    held_on = models.DateField("培训日期")
    topic = models.CharField("培训主题", max_length=200)
    trainer = models.CharField("授课人", max_length=100, blank=True)
    audience = models.CharField("培训对象", max_length=24, choices=AudienceKind.choices)
    hours = models.DecimalField("学时", max_digits=4, decimal_places=1, default=2)

    scope_data_kind = "reference"

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = "培训"
        verbose_name_plural = "培训"

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.topic}"


class Attendance(ScopedModel):
    """One attendee of a session: an account, a person of the people register, or a name alone. Once per session."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances",
                                verbose_name="培训")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name="账号")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name="实有人口记录")
    name = models.CharField("姓名", max_length=50)
    unit = models.CharField("单位", max_length=100, blank=True)

    scope_data_kind = "person"

    class Meta:
        ordering = ["session_id", "name", "pk"]
        verbose_name = "参训人员"
        verbose_name_plural = "参训人员"
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], condition=Q(user__isnull=False),
                                    name="security_attendance_user_once"),
            models.UniqueConstraint(fields=["session", "person"], condition=Q(person__isnull=False),
                                    name="security_attendance_person_once"),
            models.UniqueConstraint(fields=["session", "name"], condition=Q(user__isnull=True, person__isnull=True),
                                    name="security_attendance_name_once"),
        ]

    def __str__(self) -> str:
        return self.name
