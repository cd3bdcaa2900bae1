"""Users, departments and login security."""
from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone

from pingan.core.models import ScopedModel
from pingan.core.personal import PhoneField
from pingan.core.scoping import ScopedQuerySet, place_q

from . import permissions
from .choices import Role


class DepartmentQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        # A township sees the departments of its own subtree and those above it (the 区公安分局 it dispatches
        # to), never a sibling township's 派出所.
        return self.filter(place_q(self.model, user))


class Department(ScopedModel):
    """A unit that receives cases: 公安分局, 派出所, 法院, 司法所, 信访局 … (data, not code)."""

    name = models.CharField("部门名称", max_length=100)
    category = models.CharField("部门类别", max_length=40, help_text="如 公安、法院、检察院、司法行政、信访、卫健、民政")
    phone = models.CharField("联系电话", max_length=20, blank=True)
    is_active = models.BooleanField("启用", default=True)

    objects = DepartmentQuerySet.as_manager()
    scope_data_kind = "directory"

    class Meta:
        ordering = ["jurisdiction__path", "name"]
        verbose_name = "部门"
        verbose_name_plural = "部门"
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "name"], name="department_unique_name",
                                               violation_error_message="同一辖区内已有同名部门。")]

    def __str__(self) -> str:
        return self.name


class UserQuerySet(ScopedQuerySet):
    pass


class PinganUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """An account: one role, one scope node, optionally a department."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.CENTER_STAFF)
    scope = models.ForeignKey("geo.Node", null=True, blank=True, on_delete=models.PROTECT, related_name="users",
                              verbose_name="管辖范围")
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="users", verbose_name="所属部门")
    post = models.CharField("职务", max_length=50, blank=True, help_text="如 综治办主任、专职副主任、综治专干")
    phone = PhoneField("联系电话", max_length=20, blank=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    failed_logins = models.PositiveSmallIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    expires_at = models.DateTimeField("账号到期", null=True, blank=True)

    objects = PinganUserManager()
    scope_path_lookup = "scope__path"
    scope_data_kind = "directory"

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return f"{self.full_name}（{self.username}）" if self.full_name else self.username

    @property
    def scope_path(self) -> str:
        return self.scope.path if self.scope_id else ""

    @property
    def audit_scope_path(self) -> str:
        return self.scope_path

    def may_see_data_kind(self, kind: str) -> bool:
        return self.data_access(kind) is not None

    def data_access(self, kind: str) -> str | None:
        """How this account reaches rows of a kind of data: "place", "assigned" or None (permissions.DATA_ACCESS)."""
        return permissions.data_access(self.role, kind) if self.is_active else None

    def can(self, capability: str) -> bool:
        return self.is_active and permissions.role_can(self.role, capability)

    @property
    def is_locked(self) -> bool:
        return bool(self.locked_until and self.locked_until > timezone.now())

    @property
    def is_expired(self) -> bool:
        return bool(self.expires_at and self.expires_at <= timezone.now())
