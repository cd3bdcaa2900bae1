"""Template filters for personal data: the one way a page shows a phone kept in plaintext (contacts)."""
from django import template

from pingan.core.personal import mask_phone

register = template.Library()


@register.filter
def phone_for(value, user):
    """The full number for roles that may reveal personal numbers (`personal.reveal`), masked for everyone
    else with the one phone mask (pingan.core.personal.mask_phone)."""
    if not value:
        return ""
    if user is not None and getattr(user, "can", None) is not None and user.can("personal.reveal"):
        return value
    return mask_phone(str(value))
