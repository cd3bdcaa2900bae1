"""API token authentication with the same account rules as the web login.

Lives in accounts (not core, which imports no app) because the rules are the accounts': lockout, account
expiry, password expiry, token age, second factor. DRF imports it lazily, once the apps are loaded.
"""
from __future__ import annotations

from rest_framework import authentication, exceptions

from . import services


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, reading the user's scope node in the same query (every scoped query of the
    request needs the user's scope path), and refusing a token the web login would refuse (services.token_refusal):
    401 for a locked, expired or deactivated account or an old token, 403 for an expired password or a missing
    second factor."""

    def authenticate_credentials(self, key):
        model = self.get_model()
        try:
            token = model.objects.select_related("user", "user__scope").get(key=key)
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed("令牌无效。") from None
        refusal = services.token_refusal(token)
        if refusal is not None:
            status, message = refusal
            if status == 403:
                raise exceptions.PermissionDenied(message)
            raise exceptions.AuthenticationFailed(message)
        return (token.user, token)
