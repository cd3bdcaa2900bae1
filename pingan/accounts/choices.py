"""Roles. What each role may do is in permissions.py, in one table."""
from django.db import models


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", "区综治中心管理员"
    CENTER_STAFF = "center_staff", "综治中心工作人员"
    TOWNSHIP_OFFICER = "township_officer", "乡镇综治办"
    VILLAGE_OFFICER = "village_officer", "村(社区)综治专干"
    GRID_WORKER = "grid_worker", "网格员"
    MEDIATOR = "mediator", "调解员"
    DEPT_HANDLER = "dept_handler", "部门承办人"
    LEADER = "leader", "领导"
    AUDITOR = "auditor", "审计管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
