"""Every account-side edit form posts a change through the web page and the database holds it afterwards, with
an audit entry of the before and after (issue 8, finding 3: the ModelForm mutated the instance before the
service compared old and new, so "已保存" was answered and nothing was written or audited)."""
import datetime as dt

from django.urls import reverse
from django.utils import timezone

from pingan.accounts.choices import Role
from pingan.accounts.models import Department, User
from pingan.core.models import AuditEntry


def _user_form(user, **changes):
    data = {"full_name": user.full_name, "role": user.role, "scope": user.scope_id,
            "department": user.department_id or "", "post": user.post, "phone": user.phone, "email": user.email,
            "expires_at": "", "is_active": "on" if user.is_active else ""}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_system_admin_changes_a_working_accounts_name_role_and_phone_and_the_database_holds_them(world, login):
    grid_worker = world.users["grid_a"]
    client = login(world.users["district_admin"])
    response = client.post(reverse("accounts:user_edit", args=[grid_worker.pk]), _user_form(
        grid_worker, full_name="王小明", role=Role.VILLAGE_OFFICER, scope=world.village("a").pk, phone="13912345678"))
    assert response.status_code == 302
    stored = User.objects.get(pk=grid_worker.pk)
    assert (stored.full_name, stored.role, stored.scope_id, stored.phone) == (
        "王小明", "village_officer", world.village("a").pk, "13912345678")
    entry = AuditEntry.objects.get(action="account.update", object_id=str(grid_worker.pk))
    changes = dict(entry.changes)
    # Phones are redacted in the audit trail (masked), so only the change and its tail are pinned here.
    phone = changes.pop("phone")
    assert phone[0] == "" and phone[1].startswith("139") and phone[1].endswith("5678")
    assert changes == {"full_name": ["grid_a", "王小明"], "role": ["grid_worker", "village_officer"],
                       "scope": [world.grid("a").pk, world.village("a").pk]}
    assert entry.actor == world.users["district_admin"] and entry.outcome == "success"


def test_the_system_admin_deactivates_and_expires_a_working_account_from_the_edit_form(world, login):
    mediator = world.users["mediator_a"]
    client = login(world.users["district_admin"])
    response = client.post(reverse("accounts:user_edit", args=[mediator.pk]),
                           _user_form(mediator, is_active="", expires_at="2027-03-01T18:00"))
    assert response.status_code == 302
    stored = User.objects.get(pk=mediator.pk)
    assert stored.is_active is False
    assert timezone.localtime(stored.expires_at).replace(tzinfo=None) == dt.datetime(2027, 3, 1, 18, 0)
    changes = AuditEntry.objects.get(action="account.update", object_id=str(mediator.pk)).changes
    assert changes["is_active"] == [True, False]
    assert changes["expires_at"][0] is None and changes["expires_at"][1].startswith("2027-03-01T")


def test_an_unchanged_account_form_writes_no_audit_entry(world, login):
    officer = world.users["village_a"]
    client = login(world.users["district_admin"])
    assert client.post(reverse("accounts:user_edit", args=[officer.pk]), _user_form(officer)).status_code == 302
    assert not AuditEntry.objects.filter(action="account.update", object_id=str(officer.pk)).exists()


def test_the_security_admin_deactivates_an_account_and_sets_its_expiry_and_the_database_holds_them(world, login):
    worker = world.users["grid_b"]
    client = login(world.users["security_admin"])
    response = client.post(reverse("accounts:user_security", args=[worker.pk]),
                           {"is_active": "", "expires_at": "2026-12-31T23:00"})
    assert response.status_code == 302
    stored = User.objects.get(pk=worker.pk)
    assert stored.is_active is False
    assert timezone.localtime(stored.expires_at).replace(tzinfo=None) == dt.datetime(2026, 12, 31, 23, 0)
    entry = AuditEntry.objects.get(action="account.security_update", object_id=str(worker.pk))
    assert entry.changes["is_active"] == [True, False]
    assert entry.actor == world.users["security_admin"]


def test_the_security_admin_reactivates_a_deactivated_account(world, login):
    worker = world.users["grid_b"]
    User.objects.filter(pk=worker.pk).update(is_active=False)
    client = login(world.users["security_admin"])
    page = client.get(reverse("accounts:user_security", args=[worker.pk]))
    assert page.status_code == 200 and 'name="is_active"' in page.content.decode()
    assert client.post(reverse("accounts:user_security", args=[worker.pk]),
                       {"is_active": "on", "expires_at": ""}).status_code == 302
    assert User.objects.get(pk=worker.pk).is_active is True
    assert AuditEntry.objects.get(action="account.security_update", object_id=str(worker.pk)).changes == {
        "is_active": [False, True]}


def test_the_district_renames_a_department_and_the_database_holds_it(world, login):
    department = world.departments["police_a"]
    client = login(world.users["district_admin"])
    response = client.post(reverse("accounts:department_edit", args=[department.pk]), {
        "jurisdiction": department.jurisdiction_id, "name": "河底派出所（新址）", "category": "公安",
        "phone": "0353-7654321", "is_active": ""})
    assert response.status_code == 302
    stored = Department.objects.get(pk=department.pk)
    assert (stored.name, stored.phone, stored.is_active) == ("河底派出所（新址）", "0353-7654321", False)
    entry = AuditEntry.objects.get(action="department.update", object_id=str(department.pk))
    changes = dict(entry.changes)
    before, after = changes.pop("phone")  # phones may be masked in the audit trail: the change and the ends
    assert (before, after[:4], after[-4:]) == ("", "0353", "4321")
    assert changes == {"is_active": [True, False], "name": ["河底派出所", "河底派出所（新址）"]}


def test_a_department_moved_to_another_township_is_stored_there(world, login):
    department = world.departments["police_a"]
    client = login(world.users["district_admin"])
    client.post(reverse("accounts:department_edit", args=[department.pk]), {
        "jurisdiction": world.county.pk, "name": "河底派出所", "category": "公安", "phone": "", "is_active": "on"})
    assert Department.objects.get(pk=department.pk).jurisdiction_id == world.county.pk
    assert AuditEntry.objects.get(action="department.update", object_id=str(department.pk)).changes == {
        "jurisdiction": [world.township("a").pk, world.county.pk]}
