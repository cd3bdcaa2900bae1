"""Home-page panels of the security administrator and the auditor (each sees only its own work)."""
import datetime as dt

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from pingan.core.models import AuditEntry
from pingan.core.registry import home_panel

from .models import User


@home_panel(order=5)
def accounts_to_look_at(request):
    user = request.user
    if not user.can("accounts.manage"):
        return None
    now = timezone.now()
    stale = now - dt.timedelta(days=settings.PINGAN_PASSWORD_MAX_AGE_DAYS or 36500)
    counts = User.objects.visible_to(user).aggregate(
        locked=Count("id", filter=Q(locked_until__gt=now)),
        expiring=Count("id", filter=Q(expires_at__gt=now, expires_at__lte=now + dt.timedelta(days=30))),
        stale=Count("id", filter=Q(is_active=True, password_changed_at__lt=stale)),
        inactive=Count("id", filter=Q(is_active=False)),
    )
    url = reverse("accounts:user_list")
    return {"title": "账号安全", "url": url, "rows": [
        ("锁定中的账号", counts["locked"], url), ("30 天内到期", counts["expiring"], url),
        ("密码已过期", counts["stale"], url), ("已停用", counts["inactive"], url)]}


@home_panel(order=5)
def audit_today(request):
    user = request.user
    if not user.can("audit.read_log"):
        return None
    since = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    today = AuditEntry.objects.visible_to(user).filter(at__gte=since)
    counts = today.aggregate(
        total=Count("id"),
        login_failures=Count("id", filter=Q(action="login", outcome="failure")),
        denials=Count("id", filter=Q(action="permission_denied")),
        reveals=Count("id", filter=Q(action__endswith=".reveal")),
    )
    url = reverse("core:audit_log")
    day = since.date().isoformat()
    return {"title": "今日审计", "url": url, "rows": [
        ("操作记录", counts["total"], f"{url}?from={day}"),
        ("登录失败", counts["login_failures"], f"{url}?from={day}&action=login&outcome=failure"),
        ("权限拒绝", counts["denials"], f"{url}?from={day}&action=permission_denied"),
        ("敏感信息查看", counts["reveals"], f"{url}?from={day}&action=reveal")]}
