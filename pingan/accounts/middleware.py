"""Account policy on every request: expired accounts are logged out, expired passwords must be changed."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from .services import password_expired, password_must_change

_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/api/", "/open311/", "/public/")


class AccountPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
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
