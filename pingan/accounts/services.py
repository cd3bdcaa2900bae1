"""Account services: every write to an account, and every login, goes through here and is audited."""
from __future__ import annotations

import datetime as dt
import secrets
import string
import time
from typing import Any, NoReturn

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex
from rest_framework.authtoken.models import Token

from pingan.core import audit, limits
from pingan.core.services import model_update
from pingan.geo.models import Node

from .choices import Role
from .models import Department, User

# Roles that need a department, and roles whose scope must be a grid or village.
NEEDS_DEPARTMENT = {Role.DEPT_HANDLER}

USER_FIELDS = ("full_name", "role", "scope", "department", "post", "phone", "is_active", "expires_at", "email")

# Three-role separation (三员分立, 等保 2.0 8.1.4.2 / 8.1.5): the admin accounts are kept from the command line
# only (manage.py admin_account); from the web the 系统管理员 keeps the working accounts, the 安全管理员 the
# security state of the working accounts and the system admin's, never the auditor's nor a security admin's.
ADMIN_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.AUDITOR, Role.SECURITY_ADMIN})
WORKING_ROLES = frozenset(set(Role.values) - ADMIN_ROLES)
SECURED_ROLES = frozenset(set(Role.values) - {Role.AUDITOR, Role.SECURITY_ADMIN})
SECURITY_FIELDS = ("is_active", "expires_at")

# A password an administrator set (a new account's or a reset) is temporary: it must be changed at the next
# login. It is marked by this password_changed_at, which no real change can carry (no schema change needed).
TEMPORARY_PASSWORD_AT = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)

_CAPABILITY_REFUSALS = {
    "accounts.administer": "只有系统管理员（区综治中心管理员）可以新建、编辑账号和重置密码。",
    "accounts.secure": "只有安全管理员可以解锁、停用账号和设置账号到期。",
}
ADMIN_ACCOUNT_REFUSAL = "系统管理员、安全管理员和审计管理员的账号只能由服务器命令行（manage.py admin_account）建立和维护。"


def _refuse(*, actor: Any, action: str, message: str, target: User | None = None, target_repr: str = "",
            field: str | None = None) -> NoReturn:
    """Audit a refused account operation (outcome failure), then raise.

    Called before the write's transaction opens: a refusal recorded inside it would be rolled back with it.
    """
    audit.record(actor=actor, action=action, obj=target, outcome="failure", detail=message,
                 object_type="" if target is not None else "accounts.user", object_repr=target_repr[:150])
    if field:
        raise ValidationError({field: message})
    raise PermissionDenied(message)


def _check_manager(actor: Any, scope: Node | None, *, capability: str = "accounts.administer",
                   action: str = "account.update", target: User | None = None, target_repr: str = "") -> None:
    """The actor holds the capability, and the account (and its new scope) lies within the actor's scope.

    `actor` None is the system (demo seed, manage.py admin_account): it passes.
    """
    if actor is None:
        return
    if not actor.can(capability):
        _refuse(actor=actor, action=action, message=_CAPABILITY_REFUSALS[capability], target=target,
                target_repr=target_repr)
    own = actor.scope_path or "\0"
    if target is not None and not target.scope_path.startswith(own):
        _refuse(actor=actor, action=action, message="该账号不在您的管辖范围内。", target=target)
    if scope is not None and not scope.path.startswith(own):
        _refuse(actor=actor, action=action, message="管辖范围超出了您自己的管辖范围。", target=target,
                target_repr=target_repr, field="scope")


def _stored_user(user: User) -> User:
    """The account as stored: decisions are taken on the row, never on an instance a form has mutated."""
    return User.objects.select_related("scope").get(pk=user.pk)


def user_check_administer(*, actor: Any, user: User, action: str = "account.update") -> User:
    """May `actor` (the 系统管理员) edit this account or reset its password? Refusals are audited.

    Never its own account (nobody changes their own role), never an admin account. Returns the stored row.
    """
    stored = _stored_user(user)
    _check_manager(actor, None, action=action, target=stored)
    if actor is not None and stored.pk == actor.pk:
        _refuse(actor=actor, action=action, target=stored, message="不能修改自己的账号（角色、管辖范围和状态由他人维护）。")
    if actor is not None and stored.role in ADMIN_ROLES:
        _refuse(actor=actor, action=action, target=stored, message=ADMIN_ACCOUNT_REFUSAL)
    return stored


def user_check_secure(*, actor: Any, user: User, action: str) -> User:
    """May `actor` (the 安全管理员) change this account's security state? Refusals are audited.

    Never its own account (its own privileges), never the auditor's or another security admin's. Returns the
    stored row.
    """
    stored = _stored_user(user)
    _check_manager(actor, None, capability="accounts.secure", action=action, target=stored)
    if actor is not None and stored.pk == actor.pk:
        _refuse(actor=actor, action=action, target=stored, message="不能修改自己账号的安全设置。")
    if actor is not None and stored.role not in SECURED_ROLES:
        _refuse(actor=actor, action=action, target=stored,
                message="安全管理员不能管理审计管理员或安全管理员的账号；这些账号由服务器命令行维护。")
    return stored


def password_must_change(user: Any) -> bool:
    """The account still has a temporary password an administrator set: it must be changed first."""
    return getattr(user, "password_changed_at", None) == TEMPORARY_PASSWORD_AT


def generate_temporary_password() -> str:
    """A random password that passes the complexity rules (four character classes, 16 characters)."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = "".join(secrets.choice(alphabet) for _ in range(14))
        if any(c.islower() for c in body) and any(c.isupper() for c in body) and any(c.isdigit() for c in body):
            return f"{body[:7]}-{body[7:]}!"


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


def user_create(
    *, actor: Any, username: str, password: str | None, role: str, scope: Node | None,
    department: Department | None = None, full_name: str = "", post: str = "", phone: str = "", email: str = "",
    expires_at: dt.datetime | None = None, is_active: bool = True, password_hash: str | None = None,
    temporary_password: bool | None = None,
) -> User:
    """Create an account.

    From the web the 系统管理员 creates working accounts in its scope, with a temporary password the owner must
    change at the first login. `actor` None is the system (demo seed, manage.py admin_account): only it creates
    the admin accounts (system, security, audit). `temporary_password` defaults to "a person set it".
    """
    _check_manager(actor, scope, action="account.create", target_repr=username)
    if actor is not None and role in ADMIN_ROLES:
        _refuse(actor=actor, action="account.create", target_repr=username, message=ADMIN_ACCOUNT_REFUSAL, field="role")
    with transaction.atomic():
        _validate_account(role=role, scope=scope, department=department)
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError({"username": "该用户名已存在。"})
        user = User(username=username, role=role, scope=scope, department=department, full_name=full_name,
                    post=post, phone=phone, email=email, expires_at=expires_at, is_active=is_active,
                    password_changed_at=timezone.now())
        if password_hash:
            user.password = password_hash  # demo seed: one hash computed once for many accounts
        elif password:
            password_validation.validate_password(password, user)
            user.set_password(password)
            if temporary_password if temporary_password is not None else actor is not None:
                user.password_changed_at = TEMPORARY_PASSWORD_AT
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        after = audit.snapshot(user)
        after.pop("password", None)
        audit.record(actor=actor, action="account.create", obj=user, changes={"after": after})
    return user


def user_update(*, actor: Any, user: User, data: dict[str, Any]) -> User:
    """The 系统管理员 edits a working account in its scope: never an admin account, never its own, never to an
    admin role. A changed role or scope, or a deactivation, revokes the account's API tokens."""
    stored = user_check_administer(actor=actor, user=user, action="account.update")
    role = data.get("role", stored.role)
    scope = data.get("scope", stored.scope)
    if actor is not None and role in ADMIN_ROLES:
        _refuse(actor=actor, action="account.update", target=stored, message=ADMIN_ACCOUNT_REFUSAL, field="role")
    _check_manager(actor, scope, action="account.update", target=stored)
    with transaction.atomic():
        _validate_account(role=role, scope=scope, department=data.get("department", stored.department))
        _, changes = model_update(actor=actor, instance=user, data=data, action="account.update", fields=USER_FIELDS)
        if {"role", "scope"} & set(changes) or ("is_active" in changes and not user.is_active):
            token_revoke_all(actor=actor, user=user, reason="账号角色、管辖范围或状态已变更")
    return user


def user_reset_password(*, actor: Any, user: User) -> str:
    """The 系统管理员 gives a working account a temporary password, returned once to be handed over: the owner
    must change it at the next login, and the account's API tokens stop working. `actor` None: the CLI."""
    user_check_administer(actor=actor, user=user, action="account.password_reset")
    password = generate_temporary_password()
    with transaction.atomic():
        user = _stored_user(user)
        password_validation.validate_password(password, user)
        user.set_password(password)
        user.password_changed_at = TEMPORARY_PASSWORD_AT
        user.save(update_fields=["password", "password_changed_at"])
        token_revoke_all(actor=actor, user=user, reason="密码已重置")
        audit.record(actor=actor, action="account.password_reset", obj=user, detail="临时密码，下次登录须修改")
    return password


@transaction.atomic
def user_set_password(*, actor: Any, user: User, password: str) -> None:
    """The owner sets a new password (checked by the validators); the lockout count restarts and every API
    token of the account stops working. Audited."""
    if actor is not None and actor.pk != user.pk:
        # Only the owner sets a password; an administrator resets one (user_reset_password: temporary, the
        # working accounts only). Three-role separation: nobody sets the auditor's password from the web.
        raise PermissionDenied("只能修改自己的密码；他人的密码由系统管理员重置。")
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["password", "password_changed_at", "failed_logins", "locked_until"])
    audit.record(actor=actor, action="account.password_change", obj=user)
    # A token is a standing credential: whoever held the old password may have taken one.
    token_revoke_all(actor=actor, user=user, reason="密码已修改")


def user_unlock(*, actor: Any, user: User) -> None:
    """The 安全管理员 lifts a lockout (failed logins) early. `actor` None: the CLI."""
    user_check_secure(actor=actor, user=user, action="account.unlock")
    with transaction.atomic():
        model_update(actor=actor, instance=_stored_user(user), data={"failed_logins": 0, "locked_until": None},
                     action="account.unlock")


def user_security_update(*, actor: Any, user: User, data: dict[str, Any]) -> User:
    """The 安全管理员 deactivates or reactivates an account and sets its expiry (nothing else: no password, no
    role). A deactivation revokes the account's API tokens. `actor` None: the CLI."""
    user_check_secure(actor=actor, user=user, action="account.security_update")
    with transaction.atomic():
        _, changes = model_update(actor=actor, instance=user, data=data, action="account.security_update",
                                  fields=SECURITY_FIELDS)
        if "is_active" in changes and not user.is_active:
            token_revoke_all(actor=actor, user=user, reason="账号已停用")
    return user


def _address_key(address: str) -> str:
    return f"login-fail:{address}"


def address_locked(address: str) -> bool:
    """Has this address failed too often (any accounts) in the current window? Counted in the database, so
    every worker sees the same number."""
    return limits.peek(_address_key(address)) >= settings.PINGAN_LOCKOUT_ATTEMPTS * 3


def _count_failure(*, user: User | None, address: str) -> str:
    """One failed proof of identity (password, old password, one-time code): count it against the address
    and the account, lock the account after N in a row. Returns the lock detail for the audit entry."""
    limits.hit(_address_key(address), seconds=settings.PINGAN_LOCKOUT_MINUTES * 60)
    if user is None:
        return ""
    # An UPDATE … SET n = n + 1, so two workers counting at once never lose a failure.
    User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
    user.failed_logins = User.objects.values_list("failed_logins", flat=True).get(pk=user.pk)
    if user.failed_logins < settings.PINGAN_LOCKOUT_ATTEMPTS:
        return ""
    user.locked_until = timezone.now() + dt.timedelta(minutes=settings.PINGAN_LOCKOUT_MINUTES)
    User.objects.filter(pk=user.pk).update(locked_until=user.locked_until)
    return f"连续失败 {user.failed_logins} 次，账号锁定 {settings.PINGAN_LOCKOUT_MINUTES} 分钟"


def login_failed(*, username: str, address: str) -> None:
    """Count a failure against the account and the address; lock the account after N failures."""
    user = User.objects.filter(username=username).first()
    detail = _count_failure(user=user, address=address)
    audit.record(actor=None, action="login", outcome="failure", object_type="accounts.user",
                 object_id=str(user.pk) if user else "", object_repr=username[:150], detail=detail,
                 scope_path=user.scope_path if user else "")


def login_password_passed(*, user: User) -> None:
    """The password was right and a one-time code must follow: audited, but the failure count is kept (a
    right password must not wipe the count of wrong codes, or codes could be guessed forever)."""
    audit.record(actor=user, action="login.password", obj=user, detail="密码正确，等待动态验证码")


def login_succeeded(*, user: User, second_factor: str = "") -> None:
    """The whole login passed: the failure count starts again. `second_factor` names the proof used."""
    if user.failed_logins or user.locked_until:
        user.failed_logins = 0
        user.locked_until = None
        user.save(update_fields=["failed_logins", "locked_until"])
    audit.record(actor=user, action="login", obj=user, detail=second_factor)


def logout_recorded(*, user: User) -> None:
    """Audit a logout."""
    audit.record(actor=user, action="logout", obj=user)


def password_expired(user: User) -> bool:
    """The password is older than PINGAN_PASSWORD_MAX_AGE_DAYS (or temporary) and must be changed."""
    days = settings.PINGAN_PASSWORD_MAX_AGE_DAYS
    if not days or not user.has_usable_password():
        return False
    changed = user.password_changed_at or user.date_joined
    return changed < timezone.now() - dt.timedelta(days=days)


def password_change_failed(*, user: User, address: str) -> bool:
    """A wrong old password on the password-change page counts like a failed login (an open session must not
    become a way to guess the password). Audited; returns True when the account is now locked."""
    detail = _count_failure(user=user, address=address)
    audit.record(actor=user, action="account.password_change", obj=user, outcome="failure",
                 detail="原密码不正确" + (f"；{detail}" if detail else ""))
    return bool(detail)


# API tokens ---------------------------------------------------------------------------------------------------

def token_refusal(token: Token) -> tuple[int, str] | None:
    """Why this token may not be used now, as (HTTP status, Chinese message), or None when it may.

    The same rules as a web login: a deactivated, locked or expired account, an expired password, a token older
    than PINGAN_TOKEN_MAX_AGE_DAYS, and an account of a role that must use a second factor but has none yet.
    """
    user = token.user
    if not user.is_active:
        return 401, "账号已停用，令牌无效。"
    if user.is_locked:
        return 401, "账号已被锁定，令牌暂不可用；请稍后再试或联系安全管理员。"
    if user.is_expired:
        return 401, "账号已到期，令牌无效；请联系安全管理员。"
    days = settings.PINGAN_TOKEN_MAX_AGE_DAYS
    if days and token.created < timezone.now() - dt.timedelta(days=days):
        return 401, f"令牌已超过 {days} 天有效期，请在个人信息页重新生成。"
    if password_expired(user):
        return 403, "密码已过期或为临时密码，请先登录网页修改密码。"
    if second_factor_required(user) and not has_second_factor(user):
        return 403, "您的角色必须先在网页上启用双因素认证，才能使用 API 令牌。"
    return None


@transaction.atomic
def token_issue(*, actor: User, second_factor_passed: bool = False) -> Token:
    """Issue (or replace) the caller's API token; the old one stops working.

    An account with a second factor gets a token only from a session that passed it (`second_factor_passed`):
    otherwise a stolen password alone would give lasting API access.
    """
    if not actor.can("api.token"):
        raise PermissionDenied("您的角色不能使用 API 令牌。")
    if has_second_factor(actor) and not second_factor_passed:
        raise PermissionDenied("请先通过动态验证码验证，再生成令牌。")
    if second_factor_required(actor) and not has_second_factor(actor):
        raise PermissionDenied("您的角色必须先启用双因素认证，才能生成令牌。")
    Token.objects.filter(user=actor).delete()
    token = Token.objects.create(user=actor)
    audit.record(actor=actor, action="api_token.issue", obj=actor)
    return token


@transaction.atomic
def token_revoke_all(*, actor: Any, user: User, reason: str = "") -> int:
    """Every API token of `user` stops working (password changed, account deactivated, role or scope changed,
    second factor reset). Audited when there was one; returns how many were deleted."""
    deleted, _ = Token.objects.filter(user=user).delete()
    if deleted:
        audit.record(actor=actor, action="api_token.revoke", obj=user, detail=reason)
    return deleted


# Second factor (等保 8.1.4.1 d): TOTP on an authenticator app, with single-use recovery codes ----------------

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "身份验证器"
RECOVERY_DEVICE_NAME = "恢复码"


def second_factor_required(user: Any) -> bool:
    """Must this account use a second factor (its role is in PINGAN_2FA_REQUIRED_ROLES)?"""
    return getattr(user, "role", None) in settings.PINGAN_2FA_REQUIRED_ROLES


def has_second_factor(user: Any) -> bool:
    """Has this account a confirmed authenticator?"""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def new_totp_key() -> str:
    """A fresh TOTP secret (hex, 20 bytes) for an enrolment; kept in the session until confirmed."""
    return random_hex(20)


def totp_config_url(*, user: User, key: str) -> str:
    """otpauth:// URL of an unsaved device with this key (what the QR code and the manual key show)."""
    return TOTPDevice(user=user, key=key, name=TOTP_DEVICE_NAME).config_url


def _normalise_code(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()[:16]


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def second_factor_enrol(*, actor: User, key: str, code: str) -> list[str]:
    """Turn on the caller's second factor: `code` must be the authenticator's current code for `key`.

    Returns the recovery codes, shown once. A wrong code is audited (it does not count toward the lockout: the
    caller is already signed in and only proving that the app was set up right).
    """
    if has_second_factor(actor):
        raise ValidationError("您已启用双因素认证。")
    code = _normalise_code(code)
    try:
        totp = TOTP(bytes.fromhex(key), step=30, t0=0, digits=6, drift=0)
        totp.time = time.time()
        ok = code.isdigit() and len(code) == 6 and totp.verify(int(code), tolerance=1)
    except ValueError:
        ok = False
    if not ok:
        audit.record(actor=actor, action="second_factor.enrol", obj=actor, outcome="failure",
                     detail="动态验证码不正确")
        raise ValidationError("动态验证码不正确，请核对手机时间后重新输入。")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor).delete()
        TOTPDevice.objects.create(user=actor, name=TOTP_DEVICE_NAME, key=key, confirmed=True, last_t=totp.t())
        codes = _new_recovery_codes(actor)
        audit.record(actor=actor, action="second_factor.enrol", obj=actor,
                     detail=f"启用身份验证器，生成 {RECOVERY_CODE_COUNT} 个恢复码")
    return codes


def second_factor_verify(*, user: User, code: str, address: str):
    """Check a one-time code (the authenticator's, or a single-use recovery code) for `user`.

    Returns the device that matched, or None. Every attempt is audited; a wrong code counts toward the lockout
    like a wrong password. A recovery code is consumed.
    """
    code = _normalise_code(code)
    device = None
    kind = ""
    with transaction.atomic():
        totp = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if totp is not None and code.isdigit() and len(code) == 6 and totp.verify_token(code):
            device, kind = totp, "动态验证码"
        elif code and not code.isdigit():
            static = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
            if static is not None and static.verify_token(code):
                left = static.token_set.count()
                device, kind = static, f"恢复码（剩余 {left} 个）"
    if device is None:
        detail = _count_failure(user=user, address=address)
        audit.record(actor=user, action="second_factor.verify", obj=user, outcome="failure",
                     detail="动态验证码或恢复码不正确" + (f"；{detail}" if detail else ""))
        return None
    audit.record(actor=user, action="second_factor.verify", obj=user, detail=kind)
    return device


def recovery_codes_regenerate(*, actor: User, code: str, address: str) -> list[str]:
    """New recovery codes for the caller (the old ones stop working); needs a current code. Audited.

    The code is checked outside the write's transaction: a wrong one stays counted and audited."""
    if not has_second_factor(actor):
        raise ValidationError("您尚未启用双因素认证。")
    if second_factor_verify(user=actor, code=code, address=address) is None:
        raise ValidationError("动态验证码不正确。")
    with transaction.atomic():
        codes = _new_recovery_codes(actor)
        audit.record(actor=actor, action="second_factor.recovery_codes", obj=actor,
                     detail=f"重新生成 {RECOVERY_CODE_COUNT} 个恢复码")
    return codes


def second_factor_disable(*, actor: User, code: str, address: str) -> None:
    """The caller turns off an optional second factor, proving it with a current code. Roles that must use one
    cannot. Audited (the refusal too)."""
    if second_factor_required(actor):
        audit.record(actor=actor, action="second_factor.disable", obj=actor, outcome="failure",
                     detail="该角色必须启用双因素认证")
        raise PermissionDenied("您的角色必须启用双因素认证，不能停用。")
    if not has_second_factor(actor):
        raise ValidationError("您尚未启用双因素认证。")
    if second_factor_verify(user=actor, code=code, address=address) is None:
        raise ValidationError("动态验证码不正确。")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor).delete()
        StaticDevice.objects.filter(user=actor).delete()
        audit.record(actor=actor, action="second_factor.disable", obj=actor, detail="停用双因素认证")


def reset_second_factor(*, actor: Any, user: User) -> None:
    """The 安全管理员 clears another account's second factor (a lost phone): its authenticator and recovery
    codes are deleted and its API tokens revoked; at the next login a role that must use one enrols again.

    Same limits as the other account-security actions (user_check_secure): never its own account, never the
    auditor's or a security admin's (those are reset on the server, `manage.py reset_second_factor`, actor
    None). Refusals and the reset are audited.
    """
    stored = user_check_secure(actor=actor, user=user, action="second_factor.reset")
    with transaction.atomic():
        devices = TOTPDevice.objects.filter(user=stored).count() + StaticDevice.objects.filter(user=stored).count()
        TOTPDevice.objects.filter(user=stored).delete()
        StaticDevice.objects.filter(user=stored).delete()
        token_revoke_all(actor=actor, user=stored, reason="双因素认证已重置")
        audit.record(actor=actor, action="second_factor.reset", obj=stored,
                     detail="已清除身份验证器和恢复码" if devices else "该账号原未启用双因素认证")


def permission_denied_recorded(*, user: Any, path: str) -> None:
    audit.denied(user=user, path=path)


DEPARTMENT_FIELDS = ("name", "category", "phone", "is_active", "jurisdiction")


@transaction.atomic
def department_save(*, actor: Any, data: dict[str, Any], instance: Department | None = None) -> Department:
    """Create or update a department (data, not code); the district keeps the list."""
    if actor is not None and not actor.can("departments.manage"):
        raise PermissionDenied("只有区综治中心管理员可以维护部门。")
    if instance is not None:
        # Decide on the stored row: a ModelForm has already copied the posted values onto `instance`.
        stored = Department.objects.select_related("jurisdiction").get(pk=instance.pk)
        if actor is not None and not stored.jurisdiction.path.startswith(actor.scope_path or "\0"):
            raise PermissionDenied("该部门不在您的管辖范围内。")
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
