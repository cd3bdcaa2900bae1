"""Authentication backend: refuses locked and expired accounts; loads scope with the user."""
from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from .models import User


class PinganBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and not user.is_locked and not user.is_expired

    def get_user(self, user_id):
        try:
            user = User.objects.select_related("scope", "department").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
