"""System checks of the notification settings: a typo in an SMS kind or backend is caught at start-up."""
from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string


@register()
def check_notification_settings(app_configs, **kwargs):
    from .channels import DEFAULT_SMS_BACKEND, quiet_hours
    from .models import Notification

    errors = []
    unknown = sorted(set(getattr(settings, "PINGAN_SMS_KINDS", ())) - set(Notification.Kind.values))
    if unknown:
        errors.append(Error(f"PINGAN_SMS_KINDS 含未知的消息类别 {unknown}；可选 {', '.join(Notification.Kind.values)}。",
                            id="notifications.E001"))
    path = getattr(settings, "PINGAN_SMS_BACKEND", DEFAULT_SMS_BACKEND)
    try:
        import_string(path)
    except ImportError:
        errors.append(Error(f"PINGAN_SMS_BACKEND“{path}”无法导入。", id="notifications.E002"))
    try:
        quiet_hours()
    except (TypeError, ValueError):
        errors.append(Error("PINGAN_NOTIFY_QUIET_HOURS 应为两个 HH:MM 时刻，如 (\"21:00\", \"07:30\")。",
                            id="notifications.E003"))
    return errors
