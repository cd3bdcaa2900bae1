"""History pages (issue 8, finding 9): security events — logins and their failures, lockouts, permission denials,
reveals, exports, tokens — and refused operations are shown to the auditor only (on the pages it may open: its own
account; the rest it reads in the audit log); other roles read the business history of the objects they may see."""
import pytest
from django.urls import reverse

from pingan.accounts import services as account_services
from pingan.accounts.models import User
from pingan.core import audit


@pytest.fixture
def account_history(world, settings):
    """grid_a's account: one business change, then security events of every kind."""
    settings.PINGAN_LOCKOUT_ATTEMPTS = 2
    worker = world.users["grid_a"]
    account_services.user_update(actor=world.users["district_admin"], user=worker, data={"full_name": "刘芳"})
    for _ in range(2):  # the second failure locks the account
        account_services.login_failed(username="grid_a", address="10.0.0.9")
    audit.record(actor=worker, action="login", obj=worker)
    audit.record(actor=worker, action="permission_denied", outcome="failure", obj=worker, detail="访问被拒绝")
    audit.record(actor=world.officer("a"), action="user.reveal", obj=worker, detail="核对身份")
    audit.record(actor=world.officer("a"), action="ledger.export", obj=worker, detail="rows 1")
    audit.record(actor=worker, action="api_token.issue", obj=worker)
    return worker


def _actions(response):
    return [e.action for e in response.context["page"]]


@pytest.mark.parametrize("persona", ["district_admin", "security_admin", "township_a", "leader"])
def test_other_roles_see_only_the_business_history_of_an_account(world, login, account_history, persona):
    response = login(world.users[persona]).get(reverse("core:history", args=["accounts.user", account_history.pk]))
    assert response.status_code == 200
    assert _actions(response) == ["account.update"]
    body = response.content.decode()
    assert "10.0.0.9" not in body and "账号锁定" not in body and "核对身份" not in body


def test_the_auditor_sees_the_security_events_on_its_own_accounts_history(world, login, settings):
    settings.PINGAN_LOCKOUT_ATTEMPTS = 2
    auditor = world.users["auditor"]
    for _ in range(2):  # the second failure locks the account; the lock is then lifted on the server
        account_services.login_failed(username="auditor", address="10.0.0.7")
    User.objects.filter(pk=auditor.pk).update(failed_logins=0, locked_until=None)
    audit.record(actor=auditor, action="login", obj=auditor)
    path = reverse("core:history", args=["accounts.user", auditor.pk])
    response = login(auditor).get(path)
    assert response.status_code == 200
    assert sorted(_actions(response)) == ["login", "login", "login"]
    assert "账号锁定" in response.content.decode()
    # The system admin may open the auditor's account page by place, but reads none of those events.
    assert _actions(login(world.users["district_admin"]).get(path)) == []


def test_the_auditor_reads_other_objects_security_events_in_the_audit_log_not_on_their_pages(
        world, login, account_history):
    client = login(world.users["auditor"])
    assert client.get(reverse("core:history", args=["accounts.user", account_history.pk])).status_code == 404
    page = client.get(reverse("core:audit_log")).context["page"]
    listed = [e.action for e in page if e.object_id == str(account_history.pk)]
    for action in ("login", "permission_denied", "user.reveal", "ledger.export", "api_token.issue"):
        assert action in listed


def test_a_refused_operation_on_an_object_is_kept_off_its_history_page(world, login):
    target = world.users["security_admin"]
    with pytest.raises(account_services.PermissionDenied):
        account_services.user_update(actor=world.users["district_admin"], user=target, data={"full_name": "x"})
    path = reverse("core:history", args=["accounts.user", target.pk])
    assert _actions(login(world.users["district_admin"]).get(path)) == []
    assert _actions(login(world.users["security_admin"]).get(path)) == []
    refused = login(world.users["auditor"]).get(reverse("core:audit_log"), {"outcome": "failure"}).context["page"]
    assert [(e.action, e.object_id) for e in refused] == [("account.update", str(target.pk))]


def test_a_person_reveal_stays_off_a_township_officers_history_page(world, login):
    village = world.village("a")
    audit.record(actor=world.officer("a"), action="jurisdiction.set_pilot", obj=village, changes={"is_pilot": [False, True]})
    audit.record(actor=world.officer("a"), action="node.reveal", obj=village, detail="联系电话")
    response = login(world.officer("a")).get(reverse("core:history", args=["geo.node", village.pk]))
    assert _actions(response) == ["jurisdiction.set_pilot"]


def test_an_object_outside_scope_is_404_for_other_roles(world, login, account_history):
    other = world.users["grid_b"]
    assert login(world.officer("a")).get(reverse("core:history", args=["accounts.user", other.pk])).status_code == 404
