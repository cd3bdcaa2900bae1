"""API tokens (finding 8) follow the web login's rules: lockout, account expiry, password expiry, token age,
the second factor; a password change and token_revoke_all end them."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from pingan.accounts import services
from pingan.core.models import AuditEntry
from pingan.core.testing import TEST_PASSWORD

ME = "/api/v1/me/"


def _call(key):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get(ME)


@pytest.fixture
def officer_token(world):
    return Token.objects.create(user=world.officer("a"))


def test_a_fresh_token_of_a_good_account_works(world, officer_token):
    assert _call(officer_token.key).status_code == 200


def test_a_locked_account_cannot_use_its_token(world, officer_token):
    officer = world.officer("a")
    officer.locked_until = timezone.now() + dt.timedelta(minutes=10)
    officer.save()
    response = _call(officer_token.key)
    assert response.status_code == 401 and "锁定" in response.json()["detail"]


def test_an_expired_account_cannot_use_its_token(world, officer_token):
    officer = world.officer("a")
    officer.expires_at = timezone.now() - dt.timedelta(hours=1)
    officer.save()
    response = _call(officer_token.key)
    assert response.status_code == 401 and "到期" in response.json()["detail"]


def test_a_deactivated_account_cannot_use_its_token(world, officer_token):
    officer = world.officer("a")
    officer.is_active = False
    officer.save()
    response = _call(officer_token.key)
    assert response.status_code == 401 and "停用" in response.json()["detail"]


def test_an_expired_password_stops_the_token_until_it_is_changed(world, officer_token, settings):
    officer = world.officer("a")
    officer.password_changed_at = timezone.now() - dt.timedelta(days=settings.PINGAN_PASSWORD_MAX_AGE_DAYS + 1)
    officer.save()
    response = _call(officer_token.key)
    assert response.status_code == 403 and "密码已过期" in response.json()["detail"]


def test_a_token_older_than_the_configured_age_is_refused(world, officer_token, settings):
    settings.PINGAN_TOKEN_MAX_AGE_DAYS = 30
    Token.objects.filter(pk=officer_token.pk).update(created=timezone.now() - dt.timedelta(days=31))
    response = _call(officer_token.key)
    assert response.status_code == 401 and "30 天" in response.json()["detail"]
    settings.PINGAN_TOKEN_MAX_AGE_DAYS = 0  # 0: no age limit
    assert _call(officer_token.key).status_code == 200


def test_changing_the_password_deletes_the_token(world, login, officer_token):
    client = login(world.officer("a"))
    response = client.post(reverse("accounts:password_change"), {
        "old_password": TEST_PASSWORD, "new_password1": "Shan-Xi-2026!", "new_password2": "Shan-Xi-2026!"})
    assert response.status_code == 302
    assert not Token.objects.filter(user=world.officer("a")).exists()
    assert _call(officer_token.key).status_code == 401
    entry = AuditEntry.objects.get(action="api_token.revoke", object_id=str(world.officer("a").pk))
    assert entry.detail == "密码已修改"


def test_token_revoke_all_ends_every_token_and_is_audited(world):
    officer = world.officer("a")
    token = Token.objects.create(user=officer)
    assert services.token_revoke_all(actor=world.users["security_admin"], user=officer, reason="账号已停用") == 1
    assert _call(token.key).status_code == 401
    entry = AuditEntry.objects.get(action="api_token.revoke")
    assert (entry.actor, entry.detail) == (world.users["security_admin"], "账号已停用")
    # Nothing to revoke: nothing written.
    assert services.token_revoke_all(actor=None, user=officer) == 0
    assert AuditEntry.objects.filter(action="api_token.revoke").count() == 1


def test_a_role_that_must_use_a_second_factor_cannot_use_a_token_without_one(world):
    auditor = world.users["auditor"]
    token = Token.objects.create(user=auditor)
    response = _call(token.key)
    assert response.status_code == 403 and "双因素认证" in response.json()["detail"]
