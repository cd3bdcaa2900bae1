"""Login, logout, profile and password; account administration (系统管理员: working accounts; 安全管理员: their security)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from pingan.core.middleware import client_address
from pingan.core.scoping import get_visible_or_404, scoped
from pingan.core.views import paginate, require_capability

from . import services
from .choices import Role
from .forms import AccountSecurityForm, DepartmentForm, LoginForm, PinganPasswordChangeForm, UserForm
from .models import Department, User


@require_http_methods(["GET", "POST"])
def login_view(request):
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
            login(request, user)
            services.login_succeeded(user=user)
            target = request.POST.get("next") or request.GET.get("next") or ""
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = ""
            return redirect(target or "core:home")
        services.login_failed(username=request.POST.get("username", "")[:150], address=address)
        return render(request, "accounts/login.html", {"form": form}, status=200)
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")})


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        services.logout_recorded(user=request.user)
    logout(request)
    messages.info(request, "您已安全退出。")
    return redirect("accounts:login")


@login_required
def profile(request):
    token = getattr(request.user, "auth_token", None) if request.user.can("api.token") else None
    return render(request, "accounts/profile.html", {"token_exists": token is not None})


@login_required
@require_POST
def token_issue(request):
    try:
        token = services.token_issue(actor=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("accounts:profile")
    return render(request, "accounts/token.html", {"token": token.key})


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PinganPasswordChangeForm(request.user, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(actor=request.user, user=request.user, password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            form.add_error("new_password1", exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。")
            return redirect("core:home")
    return render(request, "accounts/password_change.html", {"form": form}, status=400 if form.errors else 200)


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
    if instance is not None and request.method == "GET":
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
                  {"form": form, "account": user},
                  status=400 if form.errors else 200)


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
