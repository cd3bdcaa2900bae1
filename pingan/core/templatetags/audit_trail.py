"""Template tags that show an audit entry in Chinese (pingan.core.audit_display): its action, channel, object
type and redacted changes."""
from django import template

from pingan.core import audit_display

register = template.Library()


@register.simple_tag
def audit_action(entry) -> str:
    """The entry's action as a Chinese label (login with outcome failure → 登录失败)."""
    return audit_display.action_label(entry.action, outcome=entry.outcome, object_type=entry.object_type,
                                      changes=entry.changes)


@register.simple_tag
def audit_changes(entry) -> list:
    """The entry's changes, redacted at read time, as rows of label, before and after."""
    return audit_display.change_rows(entry.object_type, entry.changes)


@register.filter
def audit_channel(channel: str) -> str:
    return audit_display.channel_label(channel)


@register.filter
def audit_object_type(object_type: str) -> str:
    return audit_display.object_type_label(object_type)
