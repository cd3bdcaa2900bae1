"""Three-role separation (三员分立, issue 8 finding 4): the review's attacks fail and each refusal is audited; the
allowed paths work and are read back from the database; admin accounts are kept from the command line."""
import datetime as dt
import io

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from pingan.accounts import services
from pingan.accounts.choices import Role
from pingan.accounts.models import User
from pingan.core.models import AuditEntry
from pingan.core.testing import TEST_PASSWORD


def _new_account(world, **overrides):
    data = {"username": "new_admin", "full_name": "新账号", "role": Role.DISTRICT_ADMIN, "scope": world.county.pk,
            "department": "", "post": "", "phone": "", "email": "", "expires_at": "", "is_active": "on",
            "password": "Xin-Zhang-2026!"}
    data.update(overrides)
    return data


def _refusals(actor, action):
    return AuditEntry.objects.filter(actor=actor, action=action, outcome="failure")


# --- the review's attacks ----------------------------------------------------------------------------------------

def test_the_security_admin_cannot_create_a_district_admin(world, login):
    security = world.users["security_admin"]
    response = login(security).post(reverse("accounts:user_create"), _new_account(world))
    assert response.status_code == 403
    assert not User.objects.filter(username="new_admin").exists()
    assert AuditEntry.objects.filter(actor=security, action="permission_denied", outcome="failure").exists()


def test_the_security_admin_cannot_create_an_account_through_the_service_either(world):
    security = world.users["security_admin"]
    with pytest.raises(services.PermissionDenied):
        services.user_create(actor=security, username="new_admin", password="Xin-Zhang-2026!",
                             role=Role.DISTRICT_ADMIN, scope=world.county)
    assert not User.objects.filter(username="new_admin").exists()
    entry = _refusals(security, "account.create").get()
    assert entry.object_repr == "new_admin" and "系统管理员" in entry.detail


def test_the_security_admin_cannot_set_the_auditors_password(world, login):
    auditor, security = world.users["auditor"], world.users["security_admin"]
    client = login(security)
    # No web route takes a password from the security admin: editing and resetting are the system admin's.
    assert client.post(reverse("accounts:user_edit", args=[auditor.pk]), {"password": "Shen-Ji-2026!x"}).status_code == 403
    assert client.post(reverse("accounts:user_reset_password", args=[auditor.pk])).status_code == 403
    # Nor the account-security page of the auditor.
    assert client.get(reverse("accounts:user_security", args=[auditor.pk])).status_code == 403
    assert client.post(reverse("accounts:user_security", args=[auditor.pk]), {"is_active": ""}).status_code == 403
    with pytest.raises(services.PermissionDenied):
        services.user_set_password(actor=security, user=auditor, password="Shen-Ji-2026!x")
    with pytest.raises(services.PermissionDenied):
        services.user_reset_password(actor=security, user=auditor)
    stored = User.objects.get(pk=auditor.pk)
    assert stored.check_password(TEST_PASSWORD) and stored.is_active
    assert _refusals(security, "account.security_update").filter(object_id=str(auditor.pk)).count() == 2
    assert _refusals(security, "account.password_reset").filter(object_id=str(auditor.pk)).exists()
    assert AuditEntry.objects.filter(actor=security, action="permission_denied").count() == 2


def test_the_security_admin_cannot_read_the_audit_log_by_logging_in_as_the_auditor(world, client):
    # The auditor's password is unchanged by the attempts above, so the security admin cannot sign in as it.
    response = client.post(reverse("accounts:login"), {"username": "auditor", "password": "Shen-Ji-2026!x"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_the_district_admin_cannot_read_the_audit_log(world, login):
    admin = world.users["district_admin"]
    assert login(admin).get(reverse("core:audit_log")).status_code == 403
    assert AuditEntry.objects.filter(actor=admin, action="permission_denied", object_repr="/audit/").exists()


def test_the_district_admin_cannot_edit_the_security_admin(world, login):
    admin, security = world.users["district_admin"], world.users["security_admin"]
    client = login(admin)
    url = reverse("accounts:user_edit", args=[security.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"full_name": "改名", "role": Role.CENTER_STAFF, "scope": world.county.pk,
                                 "post": "", "phone": "", "email": "", "expires_at": "", "is_active": ""})
    assert response.status_code == 403
    stored = User.objects.get(pk=security.pk)
    assert (stored.role, stored.full_name, stored.is_active) == ("security_admin", "security_admin", True)
    assert _refusals(admin, "account.update").filter(object_id=str(security.pk)).count() == 2
    assert client.post(reverse("accounts:user_reset_password", args=[security.pk])).status_code == 403
    assert User.objects.get(pk=security.pk).check_password(TEST_PASSWORD)
    assert _refusals(admin, "account.password_reset").filter(object_id=str(security.pk)).exists()


@pytest.mark.parametrize("target", ["auditor", "security_admin"])
def test_the_district_admin_cannot_touch_the_auditor_or_security_admin_through_the_service(world, target):
    admin, account = world.users["district_admin"], world.users[target]
    with pytest.raises(services.PermissionDenied):
        services.user_update(actor=admin, user=account, data={"is_active": False})
    assert User.objects.get(pk=account.pk).is_active is True
    assert _refusals(admin, "account.update").filter(object_id=str(account.pk)).exists()


@pytest.mark.parametrize("role", [Role.DISTRICT_ADMIN, Role.AUDITOR, Role.SECURITY_ADMIN])
def test_the_district_admin_cannot_create_or_grant_an_admin_role(world, login, role):
    admin = world.users["district_admin"]
    client = login(admin)
    response = client.post(reverse("accounts:user_create"), _new_account(world, role=role))
    assert response.status_code == 400 and not User.objects.filter(username="new_admin").exists()
    worker = world.users["grid_a"]
    with pytest.raises(services.ValidationError):
        services.user_update(actor=admin, user=worker, data={"role": role})
    with pytest.raises(services.ValidationError):
        services.user_create(actor=admin, username="new_admin", password="Xin-Zhang-2026!", role=role,
                             scope=world.county)
    assert User.objects.get(pk=worker.pk).role == "grid_worker"
    assert _refusals(admin, "account.update").filter(object_id=str(worker.pk)).exists()
    assert _refusals(admin, "account.create").filter(object_repr="new_admin").exists()


def test_nobody_changes_their_own_account(world, login):
    admin = world.users["district_admin"]
    with pytest.raises(services.PermissionDenied):
        services.user_update(actor=admin, user=admin, data={"role": Role.CENTER_STAFF})
    assert User.objects.get(pk=admin.pk).role == "district_admin"
    assert _refusals(admin, "account.update").filter(object_id=str(admin.pk)).exists()
    security = world.users["security_admin"]
    assert login(security).post(reverse("accounts:user_security", args=[security.pk]),
                                {"is_active": "on", "expires_at": "2099-01-01T00:00"}).status_code == 403
    assert User.objects.get(pk=security.pk).expires_at is None
    assert _refusals(security, "account.security_update").filter(object_id=str(security.pk)).exists()


def test_the_security_admin_cannot_change_a_role_or_a_password_through_its_own_form(world, login):
    worker = world.users["grid_a"]
    client = login(world.users["security_admin"])
    client.post(reverse("accounts:user_security", args=[worker.pk]),
                {"is_active": "on", "expires_at": "", "role": Role.DISTRICT_ADMIN, "password": "Xin-Zhang-2026!"})
    stored = User.objects.get(pk=worker.pk)
    assert stored.role == "grid_worker" and stored.check_password(TEST_PASSWORD)
    with pytest.raises(ValueError):
        services.user_security_update(actor=world.users["security_admin"], user=worker, data={"role": "district_admin"})


def test_a_system_admin_of_a_township_cannot_reach_accounts_outside_it(world):
    township_admin = User.objects.create(username="hedi_admin", role=Role.DISTRICT_ADMIN, scope=world.township("a"),
                                         password=make_password(TEST_PASSWORD))
    other = world.users["grid_b"]
    with pytest.raises(services.PermissionDenied):
        services.user_update(actor=township_admin, user=other, data={"full_name": "越权"})
    with pytest.raises(services.ValidationError):
        services.user_update(actor=township_admin, user=world.users["grid_a"], data={"scope": world.grid("b")})
    assert User.objects.get(pk=other.pk).full_name == "grid_b"
    assert User.objects.get(pk=world.users["grid_a"].pk).scope_id == world.grid("a").pk
    assert _refusals(township_admin, "account.update").count() == 2


# --- the allowed paths -------------------------------------------------------------------------------------------

def test_the_system_admins_new_account_must_change_its_temporary_password_at_first_login(world, login, client):
    login(world.users["district_admin"]).post(reverse("accounts:user_create"), _new_account(
        world, username="new_staff", role=Role.CENTER_STAFF))
    user = User.objects.get(username="new_staff")
    assert user.role == "center_staff" and services.password_must_change(user)
    client.logout()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")


def test_the_system_admin_resets_a_password_to_a_temporary_one_shown_once(world, login):
    worker = world.users["grid_a"]
    Token.objects.create(user=worker)
    response = login(world.users["district_admin"]).post(reverse("accounts:user_reset_password", args=[worker.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    password = response.context["password"]
    assert password in response.content.decode()
    stored = User.objects.get(pk=worker.pk)
    assert stored.check_password(password) and not stored.check_password(TEST_PASSWORD)
    assert stored.password_changed_at == services.TEMPORARY_PASSWORD_AT
    assert not Token.objects.filter(user=worker).exists()
    entry = AuditEntry.objects.get(action="account.password_reset", object_id=str(worker.pk))
    assert entry.outcome == "success" and password not in str(entry.changes) + entry.detail


def test_changing_a_role_or_deactivating_revokes_the_api_tokens(world, login):
    worker, officer = world.users["grid_a"], world.users["village_a"]
    Token.objects.create(user=worker)
    Token.objects.create(user=officer)
    admin = world.users["district_admin"]
    services.user_update(actor=admin, user=worker, data={"role": Role.VILLAGE_OFFICER})
    assert not Token.objects.filter(user=worker).exists()
    services.user_security_update(actor=world.users["security_admin"], user=officer, data={"is_active": False})
    assert not Token.objects.filter(user=officer).exists()
    assert AuditEntry.objects.filter(action="api_token.revoke", object_id__in=[str(worker.pk), str(officer.pk)]).count() == 2


def test_a_name_change_keeps_the_api_token(world):
    worker = world.users["grid_a"]
    token = Token.objects.create(user=worker)
    services.user_update(actor=world.users["district_admin"], user=worker, data={"full_name": "新名字"})
    assert Token.objects.filter(key=token.key).exists()


def test_the_security_admin_unlocks_and_may_deactivate_the_system_admin(world, login):
    admin = world.users["district_admin"]
    User.objects.filter(pk=admin.pk).update(failed_logins=5, locked_until=timezone.now() + dt.timedelta(minutes=9))
    client = login(world.users["security_admin"])
    assert client.post(reverse("accounts:user_unlock", args=[admin.pk])).status_code == 302
    assert User.objects.get(pk=admin.pk).locked_until is None
    assert client.post(reverse("accounts:user_security", args=[admin.pk]), {"is_active": ""}).status_code == 302
    assert User.objects.get(pk=admin.pk).is_active is False


def test_the_user_list_offers_each_admin_only_its_own_actions(world, login):
    body = login(world.users["district_admin"]).get(reverse("accounts:user_list")).content.decode()
    assert reverse("accounts:user_edit", args=[world.users["grid_a"].pk]) in body
    assert 'href="%s"' % reverse("accounts:user_edit", args=[world.users["auditor"].pk]) not in body
    assert reverse("accounts:user_create") in body and "安全设置" not in body
    body = login(world.users["security_admin"]).get(reverse("accounts:user_list")).content.decode()
    assert reverse("accounts:user_security", args=[world.users["grid_a"].pk]) in body
    assert reverse("accounts:user_security", args=[world.users["auditor"].pk]) not in body
    assert reverse("accounts:user_create") not in body
    assert 'href="%s"' % reverse("accounts:user_edit", args=[world.users["grid_a"].pk]) not in body


def test_the_auditor_reads_the_audit_log_only(world, login):
    client = login(world.users["auditor"])
    assert client.get(reverse("core:audit_log")).status_code == 200
    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert client.post(reverse("accounts:user_reset_password", args=[world.users["grid_a"].pk])).status_code == 403


# --- the command line --------------------------------------------------------------------------------------------

def test_the_command_line_creates_an_admin_account_with_a_temporary_password_audited_as_cli(world):
    out, err = io.StringIO(), io.StringIO()
    call_command("admin_account", "create", "shenji2", "--role", "auditor", "--scope", "140311",
                 "--full-name", "钱审计", stdout=out, stderr=err)
    password = out.getvalue().strip()
    user = User.objects.get(username="shenji2")
    assert (user.role, user.scope_id, user.full_name) == ("auditor", world.county.pk, "钱审计")
    assert user.check_password(password) and services.password_must_change(user)
    assert not user.is_staff and not user.is_superuser
    entry = AuditEntry.objects.get(action="account.create", object_id=str(user.pk))
    assert entry.channel == "cli:admin_account" and entry.actor is None


def test_the_command_line_resets_the_auditors_password_and_unlocks_and_deactivates(world):
    auditor = world.users["auditor"]
    out = io.StringIO()
    call_command("admin_account", "reset-password", "auditor", stdout=out, stderr=io.StringIO())
    assert User.objects.get(pk=auditor.pk).check_password(out.getvalue().strip())
    User.objects.filter(pk=auditor.pk).update(failed_logins=5, locked_until=timezone.now() + dt.timedelta(minutes=9))
    call_command("admin_account", "unlock", "auditor", stderr=io.StringIO())
    call_command("admin_account", "deactivate", "auditor", stderr=io.StringIO())
    stored = User.objects.get(pk=auditor.pk)
    assert stored.locked_until is None and stored.is_active is False
    channels = set(AuditEntry.objects.filter(object_id=str(auditor.pk), action__in=[
        "account.password_reset", "account.unlock", "account.security_update"]).values_list("channel", flat=True))
    assert channels == {"cli:admin_account"}


@pytest.mark.parametrize("args, message", [
    (["create", "x1", "--role", "grid_worker", "--scope", "140311"], "工作账号由系统管理员在网页上新建"),
    (["create", "x1", "--role", "auditor", "--scope", "999"], "找不到区划代码"),
    (["create", "auditor", "--role", "auditor", "--scope", "140311"], "该用户名已存在"),
    (["reset-password", "grid_a"], "工作账号由系统管理员在网页上维护"),
    (["unlock", "nobody"], "找不到账号"),
])
def test_the_command_line_refuses_bad_input_with_a_chinese_message(world, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("admin_account", *args, stdout=io.StringIO(), stderr=io.StringIO())
    assert not User.objects.filter(username="x1").exists()
