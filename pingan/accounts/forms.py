from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm

from pingan.geo.models import Node

from .choices import Role
from .models import Department, User

GENERIC_LOGIN_ERROR = "用户名或密码不正确，或账号暂不可用。连续多次失败后账号将被暂时锁定。"


class LoginForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150, widget=forms.TextInput(attrs={"autofocus": True,
                                                                                         "autocomplete": "username"}))
    password = forms.CharField(label="密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user_cache = None
        super().__init__(*args, **kwargs)

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username and password:
            self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            raise forms.ValidationError(GENERIC_LOGIN_ERROR, code="invalid_login")
        return self.cleaned_data

    def get_user(self):
        return self.user_cache


class PinganPasswordChangeForm(PasswordChangeForm):
    error_messages = {
        "password_mismatch": "两次输入的新密码不一致。",
        "password_incorrect": "原密码不正确。",
    }


class SecondFactorForm(forms.Form):
    """A six-digit code from the authenticator app, or one of the recovery codes."""

    code = forms.CharField(label="动态验证码或恢复码", max_length=20, strip=True, widget=forms.TextInput(attrs={
        "autocomplete": "one-time-code", "inputmode": "text", "autofocus": True, "autocapitalize": "off",
        "spellcheck": "false"}))


class UserForm(forms.ModelForm):
    """The 系统管理员's form for a working account: no admin role is offered (those are kept on the CLI)."""

    password = forms.CharField(label="临时密码", required=False, strip=False, widget=forms.PasswordInput,
                               help_text="新建账号时必填；本人首次登录时须修改。")

    class Meta:
        model = User
        fields = ["username", "full_name", "role", "scope", "department", "post", "phone", "email", "expires_at",
                  "is_active"]
        widgets = {"expires_at": forms.DateTimeInput(attrs={"type": "datetime-local"})}

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .services import WORKING_ROLES

        self.fields["scope"].queryset = Node.objects.visible_to(actor)
        self.fields["scope"].required = True
        self.fields["department"].queryset = Department.objects.visible_to(actor)
        self.fields["role"].choices = [(value, label) for value, label in Role.choices if value in WORKING_ROLES]
        if self.instance.pk:
            self.fields["username"].disabled = True
            # A password is reset (temporary, shown once), never typed in by an administrator on edit.
            del self.fields["password"]
        else:
            self.fields["password"].required = True


class AccountSecurityForm(forms.Form):
    """The 安全管理员's form: the account's state and expiry, nothing else (no password, no role)."""

    is_active = forms.BooleanField(label="启用", required=False, help_text="停用后不能登录，API 令牌随即失效。")
    expires_at = forms.DateTimeField(label="账号到期", required=False,
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                     help_text="留空则长期有效。")


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["jurisdiction", "name", "category", "phone", "is_active"]
        labels = {"jurisdiction": "所属辖区"}

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = Node.objects.visible_to(actor).filter(level__in=["county", "township"])
