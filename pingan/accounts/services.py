"""Account services: every write to an account, and every login, goes through here and is audited."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from pingan.core import audit
from pingan.core.services import model_update
from pingan.geo.models import Node

from .choices import Role
from .models import Department, User

ADDRESS_KEY = "login-fail:{address}"

# Roles that need a department, and roles whose scope must be a grid or village.
NEEDS_DEPARTMENT = {Role.DEPT_HANDLER}

USER_FIELDS = ("full_name", "role", "scope", "department", "post", "phone", "is_active", "expires_at", "email")


def _check_manager(actor: Any, scope: Node | None) -> None:
    if actor is not None and not actor.can("accounts.manage"):
        raise PermissionDenied("只有安全管理员可以管理账号。")
    if actor is not None and scope is not None and not scope.path.startswith(actor.scope_path or "\0"):
        raise ValidationError({"scope": "管辖范围超出了您自己的管辖范围。"})


def _validate_account(*, role: str, scope: Node | None, department: Department | None) -> None:
    errors: dict[str, str] = {}
    if role not in Role.values:
        errors["role"] = "角色无效。"
    if scope is None:
        errors["scope"] = "必须指定管辖范围。"
    if role in NEEDS_DEPARTMENT and department is None:
        errors["department"] = "部门承办人必须指定所属部门。"
    if department is not None and scope is not None and not (
        scope.path.startswith(department.jurisdiction.path) or department.jurisdiction.path.startswith(scope.path)
    ):
        errors["department"] = "所属部门与管辖范围不一致。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def user_create(
    *, actor: Any, username: str, password: str | None, role: str, scope: Node | None,
    department: Department | None = None, full_name: str = "", post: str = "", phone: str = "",
    expires_at: dt.datetime | None = None, password_hash: str | None = None,
) -> User:
    """Create an account. `actor` None is the system (demo seed, first setup)."""
    _check_manager(actor, scope)
    _validate_account(role=role, scope=scope, department=department)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "该用户名已存在。"})
    user = User(username=username, role=role, scope=scope, department=department, full_name=full_name, post=post,
                phone=phone, expires_at=expires_at, password_changed_at=timezone.now())
    if password_hash:
        user.password = password_hash  # demo seed: one hash computed once for many accounts
    elif password:
        password_validation.validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    after = audit.snapshot(user)
    after.pop("password", None)
    audit.record(actor=actor, action="account.create", obj=user, changes={"after": after})
    return user


@transaction.atomic
def user_update(*, actor: Any, user: User, data: dict[str, Any]) -> User:
    scope = data.get("scope", user.scope)
    _check_manager(actor, scope)
    if actor is not None and actor.pk == user.pk and data.get("role", user.role) != user.role:
        raise ValidationError({"role": "不能修改自己的角色。"})
    _validate_account(role=data.get("role", user.role), scope=scope, department=data.get("department", user.department))
    model_update(actor=actor, instance=user, data=data, action="account.update", fields=USER_FIELDS)
    return user


@transaction.atomic
def user_set_password(*, actor: Any, user: User, password: str) -> None:
    if actor is not None and actor.pk != user.pk:
        _check_manager(actor, user.scope)
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["password", "password_changed_at", "failed_logins", "locked_until"])
    audit.record(actor=actor, action="account.password_change", obj=user)


@transaction.atomic
def user_unlock(*, actor: Any, user: User) -> None:
    _check_manager(actor, user.scope)
    model_update(actor=actor, instance=user, data={"failed_logins": 0, "locked_until": None},
                 action="account.unlock")


def address_locked(address: str) -> bool:
    return cache.get(ADDRESS_KEY.format(address=address), 0) >= settings.PINGAN_LOCKOUT_ATTEMPTS * 3


def login_failed(*, username: str, address: str) -> None:
    """Count a failure against the account and the address; lock the account after N failures."""
    key = ADDRESS_KEY.format(address=address)
    cache.set(key, cache.get(key, 0) + 1, settings.PINGAN_LOCKOUT_MINUTES * 60)
    user = User.objects.filter(username=username).first()
    detail = ""
    if user is not None:
        user.failed_logins += 1
        fields = ["failed_logins"]
        if user.failed_logins >= settings.PINGAN_LOCKOUT_ATTEMPTS:
            user.locked_until = timezone.now() + dt.timedelta(minutes=settings.PINGAN_LOCKOUT_MINUTES)
            fields.append("locked_until")
            detail = f"连续失败 {user.failed_logins} 次，账号锁定 {settings.PINGAN_LOCKOUT_MINUTES} 分钟"
        user.save(update_fields=fields)
    audit.record(actor=None, action="login", outcome="failure", object_type="accounts.user",
                 object_id=str(user.pk) if user else "", object_repr=username[:150], detail=detail,
                 scope_path=user.scope_path if user else "")


def login_succeeded(*, user: User) -> None:
    if user.failed_logins or user.locked_until:
        user.failed_logins = 0
        user.locked_until = None
        user.save(update_fields=["failed_logins", "locked_until"])
    audit.record(actor=user, action="login", obj=user)


def logout_recorded(*, user: User) -> None:
    audit.record(actor=user, action="logout", obj=user)


def password_expired(user: User) -> bool:
    days = settings.PINGAN_PASSWORD_MAX_AGE_DAYS
    if not days or not user.has_usable_password():
        return False
    changed = user.password_changed_at or user.date_joined
    return changed < timezone.now() - dt.timedelta(days=days)


@transaction.atomic
def token_issue(*, actor: User) -> Token:
    """Issue (or replace) the caller's API token; the old one stops working."""
    if not actor.can("api.token"):
        raise PermissionDenied("您的角色不能使用 API 令牌。")
    Token.objects.filter(user=actor).delete()
    token = Token.objects.create(user=actor)
    audit.record(actor=actor, action="api_token.issue", obj=actor)
    return token


def permission_denied_recorded(*, user: Any, path: str) -> None:
    audit.record(actor=user, action="permission_denied", outcome="failure", object_repr=path[:200],
                 detail="访问被拒绝")


DEPARTMENT_FIELDS = ("name", "category", "phone", "is_active", "jurisdiction")


@transaction.atomic
def department_save(*, actor: Any, data: dict[str, Any], instance: Department | None = None) -> Department:
    """Create or update a department (data, not code); the district keeps the list."""
    if actor is not None and not actor.can("departments.manage"):
        raise PermissionDenied("只有区综治中心管理员可以维护部门。")
    node = data.get("jurisdiction") or (instance.jurisdiction if instance else None)
    if node is None or node.level not in ("county", "township"):
        raise ValidationError({"jurisdiction": "部门只能设在县(区)或乡镇(街道)一级。"})
    if actor is not None and not node.path.startswith(actor.scope_path or "\0"):
        raise ValidationError({"jurisdiction": "所选辖区不在您的管辖范围内。"})
    duplicate = Department.objects.filter(jurisdiction=node, name=data.get("name", instance.name if instance else ""))
    if instance is not None:
        duplicate = duplicate.exclude(pk=instance.pk)
    if duplicate.exists():
        raise ValidationError({"name": "同一辖区内已有同名部门。"})
    if instance is None:
        from pingan.core.services import model_create

        return model_create(actor=actor, model=Department, action="department.create", data=data)
    model_update(actor=actor, instance=instance, data=data, action="department.update", fields=DEPARTMENT_FIELDS)
    return instance
