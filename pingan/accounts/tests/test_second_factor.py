"""Second factor (等保 8.1.4.1 d): TOTP with recovery codes, required for the system, security and audit admins,
optional for others. Codes are computed in the test from the device's key (django_otp.oath.TOTP)."""
import datetime as dt
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from pingan.accounts import services, views
from pingan.core.models import AuditEntry
from pingan.core.testing import TEST_PASSWORD

LOGIN = "/accounts/login/"
VERIFY = "/accounts/login/verify/"
SETUP = "/accounts/profile/second-factor/"
MANAGE = "/accounts/profile/second-factor/manage/"
KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test secret "12345678901234567890"


def code_for(key: str, offset: int = 0) -> str:
    """The authenticator's code for `key`, `offset` seconds from now."""
    totp = TOTP(bytes.fromhex(key), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def test_the_rfc_6238_test_vector_holds_for_the_codes_the_tests_compute():
    totp = TOTP(bytes.fromhex(KEY), step=30, t0=0, digits=8, drift=0)
    totp.time = 59
    assert totp.token() == 94287082  # RFC 6238 Appendix B, SHA-1, T = 59


@pytest.fixture
def enrolled(world):
    """township_a with an authenticator (KEY) and two recovery codes."""
    officer = world.officer("a")
    TOTPDevice.objects.create(user=officer, name="身份验证器", key=KEY, confirmed=True, last_t=-1)
    static = StaticDevice.objects.create(user=officer, name="恢复码", confirmed=True)
    StaticToken.objects.bulk_create([StaticToken(device=static, token=t) for t in ("abcd2345", "efgh6789")])
    return officer


def _password(client, username, **extra):
    return client.post(LOGIN, {"username": username, "password": TEST_PASSWORD}, **extra)


# Enrolment --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("username", ["district_admin", "security_admin", "auditor"])
def test_a_role_that_must_use_a_second_factor_is_sent_to_enrolment_before_anything_else(world, client, username):
    assert _password(client, username).status_code == 302
    for path in ("/", "/geo/", "/audit/", "/accounts/users/", reverse("accounts:profile"),
                 reverse("accounts:password_change")):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == SETUP, path
    api = client.get("/api/v1/me/")
    assert api.status_code == 403 and "双因素认证" in api.json()["detail"]
    page = client.get(SETUP)
    assert page.status_code == 200
    body = page.content.decode()
    assert "启用双因素认证" in body and "<svg" in body and "必须使用双因素认证" in body
    assert page["Cache-Control"] == "no-store"


def test_enrolment_with_the_apps_code_turns_it_on_and_shows_ten_recovery_codes_once(world, client):
    _password(client, "district_admin")
    page = client.get(SETUP).content.decode()
    key = client.session[views.ENROL_KEY]
    # The manual key on the page is the session's key in base32, grouped by four.
    from base64 import b32encode

    assert " ".join(b32encode(bytes.fromhex(key)).decode()[i:i + 4] for i in range(0, 32, 4)) in page
    response = client.post(SETUP, {"code": code_for(key)})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in response.content.decode() for code in codes)
    admin = world.users["district_admin"]
    device = TOTPDevice.objects.get(user=admin)
    assert device.confirmed and device.key == key
    assert sorted(StaticToken.objects.filter(device__user=admin).values_list("token", flat=True)) == sorted(codes)
    entry = AuditEntry.objects.get(action="second_factor.enrol", outcome="success")
    assert entry.actor == admin and "10 个恢复码" in entry.detail
    assert client.get("/").status_code == 200  # the session passed the code at enrolment
    # Shown once: the setup page no longer offers a key.
    assert client.get(SETUP)["Location"] == reverse("accounts:profile")


def test_a_wrong_code_at_enrolment_turns_nothing_on_and_is_audited(world, client):
    _password(client, "auditor")
    client.get(SETUP)
    key = client.session[views.ENROL_KEY]
    wrong = f"{(int(code_for(key)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"code": wrong})
    assert response.status_code == 400 and "动态验证码不正确" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.users["auditor"]).exists()
    assert AuditEntry.objects.filter(action="second_factor.enrol", outcome="failure").count() == 1
    assert client.get("/")["Location"] == SETUP


def test_the_enrolment_page_has_no_inline_script_or_style(world, client):
    _password(client, "security_admin")
    body = client.get(SETUP).content.decode()
    assert "style=" not in body and "<script>" not in body and "http://" not in body.split("<svg")[1].split("</svg>")[0]


def test_an_optional_role_may_enrol_from_its_profile_and_turn_it_off_with_a_code(world, client):
    _password(client, "township_a")
    assert client.get("/").status_code == 200  # no second factor asked of this role
    assert "启用双因素认证" in client.get(reverse("accounts:profile")).content.decode()
    client.get(SETUP)
    key = client.session[views.ENROL_KEY]
    assert client.post(SETUP, {"code": code_for(key)}).status_code == 200
    officer = world.officer("a")
    assert services.has_second_factor(officer)
    response = client.post(MANAGE, {"code": code_for(key, 30), "action": "disable"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists() and not StaticDevice.objects.filter(user=officer).exists()
    assert AuditEntry.objects.filter(action="second_factor.disable", outcome="success", actor=officer).exists()


def test_a_required_role_cannot_turn_its_second_factor_off(world, login):
    admin = world.users["district_admin"]
    client = login(admin)  # the suite's login passes the second factor for this role
    key = TOTPDevice.objects.get(user=admin).key
    response = client.post(MANAGE, {"code": code_for(key), "action": "disable"})
    assert response.status_code == 400 and "不能停用" in response.content.decode()
    assert services.has_second_factor(admin)
    assert AuditEntry.objects.filter(action="second_factor.disable", outcome="failure", actor=admin).exists()


def test_new_recovery_codes_replace_the_old_ones(world, client, enrolled):
    client.force_login(enrolled)
    response = client.post(MANAGE, {"code": code_for(KEY), "action": "codes"})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert sorted(StaticToken.objects.filter(device__user=enrolled).values_list("token", flat=True)) == sorted(codes)
    assert not StaticToken.objects.filter(token="abcd2345").exists()
    assert AuditEntry.objects.filter(action="second_factor.recovery_codes", actor=enrolled).exists()


# Login with a second factor ---------------------------------------------------------------------------------

def test_the_login_asks_for_the_code_after_the_password_and_only_then_opens_a_session(world, client, enrolled):
    response = _password(client, "township_a")
    assert response.status_code == 302 and response["Location"] == VERIFY
    assert client.get("/").status_code == 302  # not logged in yet
    assert AuditEntry.objects.filter(action="login.password", actor=enrolled).exists()
    assert not AuditEntry.objects.filter(action="login", outcome="success").exists()
    response = client.post(VERIFY, {"code": code_for(KEY)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert AuditEntry.objects.get(action="second_factor.verify", outcome="success").detail == "动态验证码"
    assert AuditEntry.objects.get(action="login", outcome="success").detail == "已通过双因素认证"


def test_a_code_cannot_be_used_twice(world, enrolled):
    code = code_for(KEY)
    first, second = Client(), Client()
    _password(first, "township_a")
    assert first.post(VERIFY, {"code": code})["Location"] == "/"
    _password(second, "township_a")
    assert second.post(VERIFY, {"code": code}).status_code == 400


def test_a_wrong_code_is_refused_audited_and_counted(world, client, enrolled):
    _password(client, "township_a")
    wrong = f"{(int(code_for(KEY)) + 500_000) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 400 and "验证码不正确" in response.content.decode()
    enrolled.refresh_from_db()
    assert enrolled.failed_logins == 1
    assert AuditEntry.objects.filter(action="second_factor.verify", outcome="failure").count() == 1
    assert client.get("/").status_code == 302


def test_wrong_codes_lock_the_account_even_across_right_passwords(world, client, enrolled, settings):
    settings.PINGAN_LOCKOUT_ATTEMPTS = 3
    for _ in range(2):
        _password(client, "township_a")
        client.post(VERIFY, {"code": "000000" if code_for(KEY) != "000000" else "111111"})
    # The right password again does not wipe the count of wrong codes.
    _password(client, "township_a")
    response = client.post(VERIFY, {"code": "999999" if code_for(KEY) != "999999" else "111111"})
    assert response.status_code == 302 and response["Location"] == LOGIN
    enrolled.refresh_from_db()
    assert enrolled.is_locked
    assert AuditEntry.objects.filter(action="second_factor.verify", outcome="failure", detail__contains="锁定").exists()
    # Locked: neither the password nor the code opens it now.
    assert _password(client, "township_a").status_code == 200


def test_a_recovery_code_logs_in_once(world, client, enrolled):
    _password(client, "township_a")
    assert client.post(VERIFY, {"code": "ABCD-2345"})["Location"] == "/"
    assert list(StaticToken.objects.filter(device__user=enrolled).values_list("token", flat=True)) == ["efgh6789"]
    assert "剩余 1 个" in AuditEntry.objects.get(action="second_factor.verify", outcome="success").detail
    other = Client()
    _password(other, "township_a")
    assert other.post(VERIFY, {"code": "abcd2345"}).status_code == 400


def test_the_code_step_expires_and_needs_a_password_first(world, client, enrolled):
    assert client.get(VERIFY)["Location"] == LOGIN  # nobody passed a password
    _password(client, "township_a")
    session = client.session
    session[views.PENDING_AT] = (timezone.now() - dt.timedelta(minutes=6)).timestamp()
    session.save()
    assert client.post(VERIFY, {"code": code_for(KEY)})["Location"] == LOGIN


def test_the_next_page_survives_the_code_step_but_not_an_off_site_one(world, client, enrolled):
    client.post(LOGIN + "?next=/geo/", {"username": "township_a", "password": TEST_PASSWORD, "next": "/geo/"})
    assert client.post(VERIFY, {"code": code_for(KEY)})["Location"] == "/geo/"
    other = Client()
    other.post(LOGIN, {"username": "township_a", "password": TEST_PASSWORD, "next": "https://evil.example/"})
    assert other.post(VERIFY, {"code": code_for(KEY, 30)})["Location"] == "/"


def test_a_session_that_never_gave_a_code_ends_once_the_account_has_a_second_factor(world, client, enrolled):
    client._login(enrolled, "pingan.accounts.backends.PinganBackend")  # a session without the code step
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert client.get("/geo/")["Location"].startswith(LOGIN)


# API tokens need the second factor ----------------------------------------------------------------------------

def test_a_token_is_issued_only_from_a_session_that_passed_the_second_factor(world, client, enrolled):
    with pytest.raises(Exception, match="动态验证码"):
        services.token_issue(actor=enrolled, second_factor_passed=False)
    _password(client, "township_a")
    client.post(VERIFY, {"code": code_for(KEY)})
    response = client.post(reverse("accounts:token_issue"))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert Token.objects.get(user=enrolled).key == response.context["token"]


# Reset by the security admin ------------------------------------------------------------------------------------

def test_the_security_admin_resets_a_lost_second_factor_and_it_is_audited(world, client):
    admin = world.users["district_admin"]
    TOTPDevice.objects.create(user=admin, name="身份验证器", key=KEY, confirmed=True)
    Token.objects.create(user=admin)
    services.reset_second_factor(actor=world.users["security_admin"], user=admin)
    assert not TOTPDevice.objects.filter(user=admin).exists() and not Token.objects.filter(user=admin).exists()
    entry = AuditEntry.objects.get(action="second_factor.reset")
    assert (entry.actor, entry.object_id) == (world.users["security_admin"], str(admin.pk))
    # At the next login the system admin enrols again.
    _password(client, "district_admin")
    assert client.get("/")["Location"] == SETUP


@pytest.mark.parametrize("actor, target", [
    ("security_admin", "auditor"), ("security_admin", "security_admin"), ("township_a", "village_a"),
    ("district_admin", "township_a"), ("auditor", "township_a"),
])
def test_a_reset_is_refused_outside_the_security_admins_remit_and_the_refusal_is_audited(world, actor, target, enrolled):
    user = world.users[target]
    TOTPDevice.objects.get_or_create(user=user, defaults={"name": "身份验证器", "key": KEY, "confirmed": True})
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.reset_second_factor(actor=world.users[actor], user=user)
    assert TOTPDevice.objects.filter(user=user).exists()
    assert AuditEntry.objects.filter(action="second_factor.reset", outcome="failure", actor=world.users[actor]).exists()


def test_the_demo_system_admin_is_sent_to_enrolment_not_an_error(world, client):
    """Like the seeded demo: an account of a 2FA role with only a password."""
    response = client.post(LOGIN, {"username": "district_admin", "password": TEST_PASSWORD}, follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == SETUP
    assert "启用双因素认证" in response.content.decode()


def test_the_server_command_resets_any_accounts_second_factor_and_an_unknown_name_fails(world):
    from django.core.management import CommandError, call_command

    auditor = world.users["auditor"]
    TOTPDevice.objects.create(user=auditor, name="身份验证器", key=KEY, confirmed=True)
    call_command("reset_second_factor", "auditor")
    assert not TOTPDevice.objects.filter(user=auditor).exists()
    entry = AuditEntry.objects.get(action="second_factor.reset", outcome="success")
    assert entry.actor is None and entry.channel == "cli:reset_second_factor"
    with pytest.raises(CommandError, match="不存在"):
        call_command("reset_second_factor", "nobody")


def test_a_session_opened_without_a_second_factor_ends_soon_after_one_is_enrolled_elsewhere(world, client):
    from pingan.accounts import middleware

    _password(client, "township_a")
    assert client.get("/").status_code == 200
    TOTPDevice.objects.create(user=world.officer("a"), name="身份验证器", key=KEY, confirmed=True)  # another session
    session = client.session
    session[middleware.NO_SECOND_FACTOR] -= middleware.RECHECK_SECONDS + 1  # time passes
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == LOGIN
