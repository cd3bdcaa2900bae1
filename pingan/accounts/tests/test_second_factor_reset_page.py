"""The 安全管理员's account-security page resets a working account's second factor; never the auditor's."""
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from pingan.core.models import AuditEntry


def test_the_security_admin_resets_a_working_accounts_second_factor_from_its_page(world, login):
    worker = world.users["grid_a"]
    TOTPDevice.objects.create(user=worker, name="身份验证器", confirmed=True)
    Token.objects.create(user=worker)
    client = login(world.users["security_admin"])
    page = client.get(reverse("accounts:user_security", args=[worker.pk])).content.decode()
    assert reverse("accounts:user_second_factor_reset", args=[worker.pk]) in page
    response = client.post(reverse("accounts:user_second_factor_reset", args=[worker.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=worker).exists() and not Token.objects.filter(user=worker).exists()
    assert AuditEntry.objects.get(action="second_factor.reset", object_id=str(worker.pk)).outcome == "success"


def test_the_security_admin_cannot_reset_the_auditors_second_factor(world, login):
    auditor = world.users["auditor"]
    TOTPDevice.objects.create(user=auditor, name="身份验证器", confirmed=True)
    response = login(world.users["security_admin"]).post(reverse("accounts:user_second_factor_reset", args=[auditor.pk]))
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=auditor).exists()
    assert AuditEntry.objects.filter(action="second_factor.reset", object_id=str(auditor.pk), outcome="failure").exists()


def test_the_system_admin_has_no_second_factor_reset(world, login):
    worker = world.users["grid_a"]
    TOTPDevice.objects.create(user=worker, name="身份验证器", confirmed=True)
    response = login(world.users["district_admin"]).post(reverse("accounts:user_second_factor_reset", args=[worker.pk]))
    assert response.status_code == 403 and TOTPDevice.objects.filter(user=worker).exists()
