"""Account policy on every request: the second factor first (enrolment when the role needs one, the code when
the account has one), then expired accounts are logged out and expired or temporary passwords must be changed."""
from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from .services import has_second_factor, password_expired, password_must_change, second_factor_required

_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/api/", "/open311/", "/public/")
# Before the second factor is in place only these pages open: signing in and out, and enrolling.
_SECOND_FACTOR_OPEN = ("accounts:login", "accounts:login_verify", "accounts:logout", "accounts:second_factor_setup")
# When the session last saw the account without a second factor (a timestamp): looked up again after
# RECHECK_SECONDS, so a factor enrolled in another session ends this one soon, without a query per request.
NO_SECOND_FACTOR = "pingan_no_2fa"
RECHECK_SECONDS = 300


class AccountPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths: set[str] | None = None

    def _second_factor_open(self, path: str) -> bool:
        if self._open_paths is None:
            self._open_paths = {reverse(name) for name in _SECOND_FACTOR_OPEN}
        return path in self._open_paths or path.startswith("/static/")

    def _second_factor(self, request):
        """None when the session may go on; else the response that sends it to the code or to enrolment."""
        user = request.user
        is_verified = getattr(user, "is_verified", None)
        if is_verified is not None and is_verified():
            return None
        required = second_factor_required(user)
        # An account that had no second factor a moment ago need not be looked up again on every request.
        now = time.time()
        if not required and now - request.session.get(NO_SECOND_FACTOR, 0) < RECHECK_SECONDS:
            return None
        if has_second_factor(user):
            # A session that never gave a code (opened before the factor was enrolled, or forged) ends here.
            logout(request)
            if request.path.startswith("/api/"):
                return None  # the API answers an anonymous caller itself (401/403)
            messages.error(request, "该账号已启用双因素认证，请重新登录并输入动态验证码。")
            return redirect("accounts:login")
        if not required:
            request.session[NO_SECOND_FACTOR] = now
            return None
        if self._second_factor_open(request.path):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": "您的角色必须先在网页上启用双因素认证。"}, status=403)
        messages.warning(request, "您的角色必须启用双因素认证（动态验证码），请先完成设置。")
        return redirect("accounts:second_factor_setup")

    def __call__(self, request):
        user = getattr(request, "user", None)
        # The user is read on every request here anyway; the concrete object (django-otp's proxy wraps Django's,
        # is_verified is set on the inner one) spares later code the proxies (audit redaction reads its type).
        while isinstance(user, SimpleLazyObject):
            user.is_authenticated  # noqa: B018  (evaluates the proxy)
            user = request.user = user._wrapped
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            response = self._second_factor(request)
            if response is not None:
                return response
            user = request.user
        if user is not None and user.is_authenticated and not request.path.startswith(_EXEMPT_PREFIXES):
            if user.is_expired or user.is_locked:
                logout(request)
                messages.error(request, "账号已到期或被锁定，请联系安全管理员。")
                return redirect("accounts:login")
            if password_must_change(user):
                messages.warning(request, "您正在使用管理员设置的临时密码，请先修改密码。")
                return redirect(reverse("accounts:password_change"))
            if password_expired(user):
                messages.warning(request, "您的密码已超过有效期，请先修改密码。")
                return redirect(reverse("accounts:password_change"))
        return self.get_response(request)
