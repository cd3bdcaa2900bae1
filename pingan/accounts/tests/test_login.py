"""Login security (等保 8.1.4.1): generic messages, lockout by account and address, audit of every attempt."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pingan.core.models import AuditEntry
from pingan.core.testing import TEST_PASSWORD

LOGIN = "/accounts/login/"


def test_a_user_logs_in_and_out_and_both_are_audited(world, client):
    response = client.post(LOGIN, {"username": "township_a", "password": TEST_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert AuditEntry.objects.filter(action="login", outcome="success", actor=world.officer("a")).exists()
    home = client.get("/")
    assert "工作台" in home.content.decode()
    client.post("/accounts/logout/")
    assert AuditEntry.objects.filter(action="logout", actor=world.officer("a")).exists()
    assert client.get("/").status_code == 302


def test_a_wrong_password_and_an_unknown_user_get_the_same_message(world, client):
    wrong_password = client.post(LOGIN, {"username": "township_a", "password": "nope"}).content.decode()
    unknown_user = client.post(LOGIN, {"username": "nobody", "password": "nope"}).content.decode()
    message = "用户名或密码不正确，或账号暂不可用"
    assert message in wrong_password and message in unknown_user
    assert "用户名不存在" not in unknown_user
    assert AuditEntry.objects.filter(action="login", outcome="failure").count() == 2


def test_missing_fields_are_refused_without_a_server_error(world, client):
    response = client.post(LOGIN, {})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode() or "该字段是必填项" in response.content.decode()


def test_the_account_locks_after_repeated_failures(world, client, settings):
    settings.PINGAN_LOCKOUT_ATTEMPTS = 3
    for _ in range(3):
        client.post(LOGIN, {"username": "township_a", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    officer = world.officer("a")
    officer.refresh_from_db()
    assert officer.is_locked
    # The right password no longer opens a locked account, and the message does not say why.
    response = client.post(LOGIN, {"username": "township_a", "password": TEST_PASSWORD}, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()
    assert AuditEntry.objects.filter(action="login", outcome="failure", detail__contains="锁定").exists()


def test_a_lock_expires(world, client):
    officer = world.officer("a")
    officer.locked_until = timezone.now() - dt.timedelta(minutes=1)
    officer.failed_logins = 9
    officer.save()
    assert client.post(LOGIN, {"username": "township_a", "password": TEST_PASSWORD}).status_code == 302
    officer.refresh_from_db()
    assert officer.failed_logins == 0


def test_an_address_with_many_failures_is_held_back(world, client, settings):
    settings.PINGAN_LOCKOUT_ATTEMPTS = 2
    for i in range(6):
        client.post(LOGIN, {"username": f"guess{i}", "password": "x"}, REMOTE_ADDR="10.9.9.9")
    response = client.post(LOGIN, {"username": "township_b", "password": TEST_PASSWORD}, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429
    assert "该地址登录失败次数过多" in response.content.decode()


def test_an_expired_account_cannot_log_in(world, client):
    officer = world.officer("b")
    officer.expires_at = timezone.now() - dt.timedelta(days=1)
    officer.save()
    assert client.post(LOGIN, {"username": "township_b", "password": TEST_PASSWORD}).status_code == 200


def test_an_expired_password_must_be_changed_first(world, login, settings):
    officer = world.officer("a")
    officer.password_changed_at = timezone.now() - dt.timedelta(days=settings.PINGAN_PASSWORD_MAX_AGE_DAYS + 1)
    officer.save()
    response = login(officer).get("/geo/")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")


def test_the_password_change_applies_the_validators_in_chinese(world, login):
    client = login(world.officer("a"))
    weak = client.post(reverse("accounts:password_change"), {"old_password": TEST_PASSWORD,
                                                              "new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 400
    body = weak.content.decode()
    assert "密码" in body and "太常见" in body or "全都是数字" in body
    ok = client.post(reverse("accounts:password_change"), {"old_password": TEST_PASSWORD,
                                                            "new_password1": "Shan-Xi-2026!", "new_password2": "Shan-Xi-2026!"})
    assert ok.status_code == 302
    assert AuditEntry.objects.filter(action="account.password_change", actor=world.officer("a")).exists()


def test_the_next_parameter_cannot_send_a_user_off_site(world, client):
    response = client.post(LOGIN + "?next=https://evil.example/", {"username": "township_a", "password": TEST_PASSWORD,
                                                                   "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_idle_timeout_is_thirty_minutes_by_default(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


@pytest.mark.parametrize("path", ["/", "/geo/", "/audit/", "/accounts/users/"])
def test_anonymous_visitors_are_sent_to_login(db, client, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_wrong_old_passwords_on_the_password_change_count_like_failed_logins(world, login, settings):
    settings.PINGAN_LOCKOUT_ATTEMPTS = 3
    officer = world.officer("a")
    client = login(officer)
    url = reverse("accounts:password_change")
    guess = {"old_password": "guess-1", "new_password1": "Shan-Xi-2026!", "new_password2": "Shan-Xi-2026!"}
    for _ in range(2):
        response = client.post(url, guess)
        assert response.status_code == 400 and "原密码不正确" in response.content.decode()
    officer.refresh_from_db()
    assert officer.failed_logins == 2 and not officer.is_locked
    response = client.post(url, guess)
    assert response.status_code == 302 and response["Location"] == LOGIN
    officer.refresh_from_db()
    assert officer.is_locked
    assert client.get("/").status_code == 302  # the session ended
    failures = AuditEntry.objects.filter(action="account.password_change", outcome="failure", actor=officer)
    assert failures.count() == 3 and "锁定" in failures.order_by("-id").first().detail
    # The right old password no longer helps: the account is locked.
    assert client.post(LOGIN, {"username": "township_a", "password": TEST_PASSWORD}).status_code == 200
