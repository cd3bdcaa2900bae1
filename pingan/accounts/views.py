"""Login, logout, profile and password; account administration (系统管理员: working accounts; 安全管理员: their security)."""
from __future__ import annotations

import time
from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from pingan.core.middleware import client_address
from pingan.core.scoping import get_visible_or_404, scoped
from pingan.core.views import paginate, require_capability

from . import services
from .middleware import NO_SECOND_FACTOR
from .choices import Role
from .forms import (
    GENERIC_LOGIN_ERROR, AccountSecurityForm, DepartmentForm, LoginForm, PinganPasswordChangeForm, SecondFactorForm,
    UserForm,
)
from .models import Department, User


# Between the password and the one-time code the account is not logged in: the session only remembers who
# passed the password, for a few minutes.
PENDING_USER = "pingan_2fa_user"
PENDING_AT = "pingan_2fa_at"
PENDING_NEXT = "pingan_2fa_next"
PENDING_SECONDS = 5 * 60
ENROL_KEY = "pingan_2fa_enrol_key"
BACKEND = "pingan.accounts.backends.PinganBackend"


def _safe_next(request, target: str) -> str:
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else ""


def _no_store(response):
    # Secrets on the page (recovery codes, the enrolment key, a token): never kept by the browser or a proxy.
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def login_view(request):
    """First step: username and password. Accounts with a second factor go on to login_verify."""
    if request.user.is_authenticated:
        return redirect("core:home")
    address = client_address(request)
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if services.address_locked(address):
            form.is_valid()
            form.errors.clear()
            form.add_error(None, "该地址登录失败次数过多，请稍后再试。")
            services.login_failed(username=request.POST.get("username", "")[:150], address=address)
            return render(request, "accounts/login.html", {"form": form}, status=429)
        if form.is_valid():
            user = form.get_user()
            target = _safe_next(request, request.POST.get("next") or request.GET.get("next") or "")
            if services.has_second_factor(user):
                services.login_password_passed(user=user)
                request.session.cycle_key()
                request.session[PENDING_USER] = user.pk
                request.session[PENDING_AT] = timezone.now().timestamp()
                request.session[PENDING_NEXT] = target
                return redirect("accounts:login_verify")
            login(request, user)
            services.login_succeeded(user=user)
            request.session[NO_SECOND_FACTOR] = time.time()
            return redirect(target or "core:home")
        services.login_failed(username=request.POST.get("username", "")[:150], address=address)
        return render(request, "accounts/login.html", {"form": form}, status=200)
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")})


def _pending_user(request) -> User | None:
    pk, at = request.session.get(PENDING_USER), request.session.get(PENDING_AT, 0)
    if not pk or timezone.now().timestamp() - at > PENDING_SECONDS:
        return None
    user = User.objects.select_related("scope").filter(pk=pk).first()
    if user is None or not user.is_active or user.is_locked or user.is_expired:
        return None
    return user


def _clear_pending(request) -> None:
    for key in (PENDING_USER, PENDING_AT, PENDING_NEXT):
        request.session.pop(key, None)


@require_http_methods(["GET", "POST"])
def login_verify(request):
    """Second step: the authenticator's code or a recovery code. Wrong codes count toward the lockout."""
    user = _pending_user(request)
    if user is None:
        _clear_pending(request)
        messages.error(request, "登录已超时或账号暂不可用，请重新登录。")
        return redirect("accounts:login")
    form = SecondFactorForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        address = client_address(request)
        if services.address_locked(address):
            form.is_valid()
            form.add_error(None, "该地址登录失败次数过多，请稍后再试。")
            return render(request, "accounts/login_verify.html", {"form": form}, status=429)
        if form.is_valid():
            device = services.second_factor_verify(user=user, code=form.cleaned_data["code"], address=address)
            if device is not None:
                target = request.session.get(PENDING_NEXT, "")
                _clear_pending(request)
                login(request, user, backend=BACKEND)
                otp_login(request, device)
                services.login_succeeded(user=user, second_factor="已通过双因素认证")
                return redirect(target or "core:home")
            user.refresh_from_db(fields=["failed_logins", "locked_until"])
            if user.is_locked:
                _clear_pending(request)
                messages.error(request, GENERIC_LOGIN_ERROR)
                return redirect("accounts:login")
            form.add_error("code", "验证码不正确。连续多次错误后账号将被暂时锁定。")
        return render(request, "accounts/login_verify.html", {"form": form}, status=400)
    return render(request, "accounts/login_verify.html", {"form": form})


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        services.logout_recorded(user=request.user)
    logout(request)
    messages.info(request, "您已安全退出。")
    return redirect("accounts:login")


@login_required
def profile(request):
    """The account's own page: details, password, second factor, API token."""
    user = request.user
    token = getattr(user, "auth_token", None) if user.can("api.token") else None
    return render(request, "accounts/profile.html", {
        "token_exists": token is not None,
        "has_second_factor": services.has_second_factor(user),
        "second_factor_required": services.second_factor_required(user),
    })


@login_required
@require_POST
def token_issue(request):
    try:
        token = services.token_issue(actor=request.user, second_factor_passed=request.user.is_verified())
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("accounts:profile")
    return _no_store(render(request, "accounts/token.html", {"token": token.key}))


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    """The owner changes the password. A wrong old password counts like a failed login: after N in a row the
    account is locked and the session ends."""
    form = PinganPasswordChangeForm(request.user, data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.user_set_password(actor=request.user, user=request.user,
                                           password=form.cleaned_data["new_password1"])
            except ValidationError as exc:
                form.add_error("new_password1", exc)
            else:
                update_session_auth_hash(request, request.user)
                messages.success(request, "密码已修改。")
                return redirect("core:home")
        elif form.has_error("old_password", "password_incorrect"):
            if services.password_change_failed(user=request.user, address=client_address(request)):
                logout(request)
                messages.error(request, "原密码连续输入错误，账号已被暂时锁定，请稍后再登录或联系安全管理员。")
                return redirect("accounts:login")
    return render(request, "accounts/password_change.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_setup(request):
    """Enrolment: a QR code (inline SVG, made on the server) for the authenticator app, then its first code.
    The key stays in the session until the code proves the app has it; the recovery codes are shown once."""
    user = request.user
    if services.has_second_factor(user):
        messages.info(request, "您已启用双因素认证。")
        return redirect("accounts:profile")
    key = request.session.get(ENROL_KEY) or services.new_totp_key()
    request.session[ENROL_KEY] = key
    form = SecondFactorForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.second_factor_enrol(actor=user, key=key, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc.messages[0])
        else:
            request.session.pop(ENROL_KEY, None)
            request.session.pop(NO_SECOND_FACTOR, None)
            otp_login(request, TOTPDevice.objects.get(user=user, confirmed=True))
            return _no_store(render(request, "accounts/second_factor_codes.html",
                                    {"codes": codes, "enrolled": True}))
    url = services.totp_config_url(user=user, key=key)
    secret = b32encode(bytes.fromhex(key)).decode()
    context = {
        "form": form, "qr_svg": mark_safe(segno.make(url, error="m").svg_inline(scale=4, dark="#111", light="#fff")),
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "required": services.second_factor_required(user),
    }
    return _no_store(render(request, "accounts/second_factor_setup.html", context, status=400 if form.errors else 200))


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_manage(request):
    """New recovery codes, or turning an optional second factor off; both need a current code."""
    user = request.user
    if not services.has_second_factor(user):
        return redirect("accounts:second_factor_setup")
    form = SecondFactorForm(request.POST if request.method == "POST" else None)
    required = services.second_factor_required(user)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        address = client_address(request)
        try:
            if action == "disable":
                services.second_factor_disable(actor=user, code=form.cleaned_data["code"], address=address)
                messages.success(request, "已停用双因素认证。")
                return redirect("accounts:profile")
            codes = services.recovery_codes_regenerate(actor=user, code=form.cleaned_data["code"], address=address)
            return _no_store(render(request, "accounts/second_factor_codes.html", {"codes": codes}))
        except (ValidationError, PermissionDenied) as exc:
            user.refresh_from_db(fields=["failed_logins", "locked_until"])
            if user.is_locked:
                logout(request)
                messages.error(request, "验证码连续输入错误，账号已被暂时锁定。")
                return redirect("accounts:login")
            form.add_error("code", exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
    return render(request, "accounts/second_factor_manage.html", {"form": form, "required": required},
                  status=400 if form.errors else 200)


def _form_errors(form, exc: ValidationError) -> None:
    for field, errs in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        form.add_error(field if field in form.fields else None, errs)


@require_capability("accounts.list")
def user_list(request):
    """Accounts in scope (no business data): the 系统管理员 edits working accounts, the 安全管理员 their security."""
    qs = User.objects.visible_to(request.user).select_related("scope", "department").order_by("scope__path", "username")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(username__icontains=q) | qs.filter(full_name__icontains=q)
    role = request.GET.get("role", "")
    if role:
        qs = qs.filter(role=role)
    me = request.user
    administers, secures = me.can("accounts.administer"), me.can("accounts.secure")
    page = paginate(request, qs)
    for u in page:
        u.may_edit = administers and u.pk != me.pk and u.role in services.WORKING_ROLES
        u.may_secure = secures and u.pk != me.pk and u.role in services.SECURED_ROLES
    return render(request, "accounts/user_list.html", {"page": page, "q": q, "roles": Role.choices, "role": role,
                                                       "administers": administers})


@require_capability("accounts.administer")
@require_http_methods(["GET", "POST"])
@scoped(User)
def user_edit(request, pk: int | None = None):
    """The 系统管理员 creates or edits a working account (admin accounts: refused, audited, 403)."""
    instance = get_visible_or_404(User, request.user, pk=pk) if pk else None
    if instance is not None:
        # Refused (audited, 403) before the form is read: an admin account or one's own is not edited from here.
        services.user_check_administer(actor=request.user, user=instance)
    form = UserForm(request.POST if request.method == "POST" else None, instance=instance, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("password", "username")}
        try:
            if instance is None:
                user = services.user_create(actor=request.user, username=form.cleaned_data["username"],
                                            password=form.cleaned_data["password"], **data)
            else:
                user = services.user_update(actor=request.user, user=instance, data=data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"账号 {user.username} 已保存。" + ("首次登录须修改临时密码。" if instance is None else ""))
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "instance": instance},
                  status=400 if form.errors else 200)


@require_capability("accounts.administer")
@require_POST
@scoped(User)
def user_reset_password(request, pk: int):
    """The 系统管理员 resets a working account's password: a temporary one, shown once, changed at next login."""
    user = get_visible_or_404(User, request.user, pk=pk)
    password = services.user_reset_password(actor=request.user, user=user)
    response = render(request, "accounts/password_reset_done.html", {"account": user, "password": password})
    response["Cache-Control"] = "no-store"
    return response


@require_capability("accounts.secure")
@require_http_methods(["GET", "POST"])
@scoped(User)
def user_security(request, pk: int):
    """The 安全管理员's page of one account: state and expiry, unlock (never a password, never a role)."""
    user = get_visible_or_404(User.objects.select_related("scope", "department"), request.user, pk=pk)
    services.user_check_secure(actor=request.user, user=user, action="account.security_update")
    initial = {"is_active": user.is_active,
               "expires_at": timezone.localtime(user.expires_at).strftime("%Y-%m-%dT%H:%M") if user.expires_at else None}
    form = AccountSecurityForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_security_update(actor=request.user, user=user, data=dict(form.cleaned_data))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"账号 {user.username} 的安全设置已保存。")
            return redirect("accounts:user_list")
    return render(request, "accounts/user_security.html",
                  {"form": form, "account": user, "has_second_factor": services.has_second_factor(user)},
                  status=400 if form.errors else 200)


@require_capability("accounts.secure")
@require_POST
@scoped(User)
def user_second_factor_reset(request, pk: int):
    """The 安全管理员 clears a working account's second factor (a lost phone); it enrols again at next login."""
    user = get_visible_or_404(User, request.user, pk=pk)
    services.reset_second_factor(actor=request.user, user=user)
    messages.success(request, f"账号 {user.username} 的双因素认证已重置，本人下次登录时重新设置。")
    return redirect("accounts:user_security", pk=user.pk)


@require_capability("accounts.secure")
@require_POST
@scoped(User)
def user_unlock(request, pk: int):
    user = get_visible_or_404(User, request.user, pk=pk)
    services.user_unlock(actor=request.user, user=user)
    messages.success(request, f"账号 {user.username} 已解锁。")
    return redirect("accounts:user_list")


@require_capability("departments.read")
def department_list(request):
    qs = Department.objects.visible_to(request.user).select_related("jurisdiction")
    return render(request, "accounts/department_list.html", {"page": paginate(request, qs),
                                                             "can_manage": request.user.can("departments.manage")})


@require_capability("departments.read")
@scoped(Department)
def department_detail(request, pk: int):
    department = get_visible_or_404(Department.objects.select_related("jurisdiction"), request.user, pk=pk)
    staff = department.users.filter(is_active=True).order_by("username")
    return render(request, "accounts/department_detail.html", {"department": department, "staff": staff,
                                                               "can_manage": request.user.can("departments.manage")})


@require_capability("departments.manage")
@require_http_methods(["GET", "POST"])
@scoped(Department)
def department_edit(request, pk: int | None = None):
    instance = get_visible_or_404(Department, request.user, pk=pk) if pk else None
    if instance is not None and not instance.jurisdiction.path.startswith(request.user.scope_path):
        raise Http404("您要找的记录不存在，或不在您的管辖范围内。")
    form = DepartmentForm(request.POST if request.method == "POST" else None, instance=instance, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.Meta.fields}
        try:
            department = services.department_save(actor=request.user, data=data, instance=instance)
        except ValidationError as exc:
            for field, errs in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            messages.success(request, f"部门“{department.name}”已保存。")
            return redirect("accounts:department_detail", pk=department.pk)
    return render(request, "accounts/department_form.html", {"form": form, "instance": instance},
                  status=400 if form.errors else 200)
