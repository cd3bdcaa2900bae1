"""The registers of this module, declared once: pages (urls.py) and API (api/views.py) are made from these."""
from __future__ import annotations

from pingan.registers import Register

from . import filters, forms, services
from .models import Attendance, Camera, Patrol, SecurityOfficer, Team, TeamMember, TrainingSession

MANAGE = services.MANAGE

TEAMS = Register(
    model=Team, namespace="security", name="teams", title="群防群治队伍", item_label="队伍",
    form=forms.TeamForm, filterset=filters.TeamFilter,
    columns=(("队伍名称", "name"), ("类型", "get_kind_display"), ("所在地", "jurisdiction.name"),
             ("负责人", "leader_name"), ("联系电话", "phone")),
    create=services.team_create, update=services.team_update, delete=services.team_delete,
    write_capability=MANAGE, detail_template="security/team_detail.html",
    extra_links=(("队员", "security:members_list"), ("治安管理员", "security:officers_list"),
                 ("巡防记录", "security:patrols_list"), ("治安联络点", "geo:liaison_list")),
    empty_text="没有登记的队伍。",
)

MEMBERS = Register(
    model=TeamMember, namespace="security", name="members", title="群防群治队员", item_label="队员",
    form=forms.TeamMemberForm, filterset=filters.TeamMemberFilter,
    columns=(("姓名", "name"), ("队伍", "team.name"), ("队内职务", "get_role_display"), ("所在地", "jurisdiction.name"),
             ("加入日期", "joined_on")),
    detail_fields=(("姓名", "name"), ("队伍", "team.name"), ("队内职务", "get_role_display"),
                   ("所在地", "jurisdiction.name"), ("联系电话", "phone"), ("加入日期", "joined_on"),
                   ("退出日期", "left_on"), ("实有人口记录", "person_id")),
    create=services.member_create, update=services.member_update, delete=services.member_delete,
    write_capability=MANAGE, select_related=("team", "jurisdiction"), empty_text="没有登记的队员。",
)

OFFICERS = Register(
    model=SecurityOfficer, namespace="security", name="officers", title="治安管理员", item_label="治安管理员",
    form=forms.OfficerForm, filterset=filters.OfficerFilter,
    columns=(("姓名", "name"), ("所在村(社区)", "jurisdiction.name"), ("联系电话", "phone"), ("任职日期", "since")),
    detail_fields=(("姓名", "name"), ("所在村(社区)", "jurisdiction.name"), ("联系电话", "phone"),
                   ("任职日期", "since"), ("离任日期", "until"), ("实有人口记录", "person_id")),
    create=services.officer_create, update=services.officer_update, delete=services.officer_delete,
    write_capability=MANAGE, empty_text="没有登记的治安管理员。",
)

PATROLS = Register(
    model=Patrol, namespace="security", name="patrols", title="巡防记录", item_label="巡防记录",
    form=forms.PatrolForm, filterset=filters.PatrolFilter,
    columns=(("巡防日期", "patrolled_on"), ("队伍", "team.name"), ("巡防区域", "area"), ("转办事件", "event.number")),
    detail_fields=(("队伍", "team.name"), ("巡防日期", "patrolled_on"), ("巡防区域", "area"),
                   ("发现情况", "findings"), ("所在地", "jurisdiction.name")),
    create=services.patrol_create, update=services.patrol_update, delete=services.patrol_delete,
    write_capability=MANAGE, select_related=("team", "jurisdiction", "event"),
    detail_template="security/patrol_detail.html", empty_text="没有巡防记录。",
)

CAMERAS = Register(
    model=Camera, namespace="security", name="cameras", title="视频监控探头", item_label="探头",
    form=forms.CameraForm, filterset=filters.CameraFilter,
    columns=(("探头编号", "code"), ("名称", "name"), ("所属村(社区)", "jurisdiction.name"), ("类型", "get_camera_type_display"),
             ("高清", "hd"), ("联网", "networked"), ("状态", "get_status_display")),
    create=services.camera_create, update=services.camera_update, delete=services.camera_delete,
    write_capability=MANAGE, ledger="cameras",
    extra_links=(("视频监控统计", "security:camera_stats"), ("探头分布图", "security:camera_map")),
    empty_text="没有登记的探头。",
)

SESSIONS = Register(
    model=TrainingSession, namespace="security", name="sessions", title="教育培训", item_label="培训",
    form=forms.SessionForm, filterset=filters.SessionFilter,
    columns=(("培训日期", "held_on"), ("培训主题", "topic"), ("培训对象", "get_audience_display"),
             ("举办单位", "jurisdiction.name"), ("授课人", "trainer"), ("学时", "hours")),
    create=services.session_create, update=services.session_update, delete=services.session_delete,
    write_capability=MANAGE, detail_template="security/session_detail.html",
    extra_links=(("培训统计", "security:training_totals"), ("参训人员", "security:attendances_list")),
    empty_text="没有培训记录。",
)

ATTENDANCES = Register(
    model=Attendance, namespace="security", name="attendances", title="参训人员", item_label="参训人员",
    form=forms.AttendanceForm, filterset=filters.AttendanceFilter,
    columns=(("姓名", "name"), ("培训", "session.topic"), ("培训日期", "session.held_on"), ("单位", "unit")),
    detail_fields=(("姓名", "name"), ("培训", "session"), ("单位", "unit"), ("举办单位", "jurisdiction.name")),
    create=services.attendance_create, update=services.attendance_update, delete=services.attendance_delete,
    write_capability=MANAGE, select_related=("session", "jurisdiction"), empty_text="没有参训人员。",
)

ALL = (TEAMS, MEMBERS, OFFICERS, PATROLS, CAMERAS, SESSIONS, ATTENDANCES)
