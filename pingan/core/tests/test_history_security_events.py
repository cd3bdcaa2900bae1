"""History pages (issue 8, finding 9): security events — logins and their failures, lockouts, permission denials,
reveals, exports, tokens — and refused operations are shown to the auditor only; other roles read the business
history of the objects they may see."""
import pytest
from django.urls import reverse

from pingan.accounts import services as account_services
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


def test_the_auditor_sees_every_security_event_of_the_account(world, login, account_history):
    response = login(world.users["auditor"]).get(reverse("core:history", args=["accounts.user", account_history.pk]))
    assert response.status_code == 200
    assert sorted(_actions(response)) == sorted(["account.update", "login", "login", "login", "permission_denied",
                                                 "user.reveal", "ledger.export", "api_token.issue"])
    assert "账号锁定" in response.content.decode()


def test_a_refused_operation_on_an_object_is_shown_to_the_auditor_only(world, login):
    target = world.users["security_admin"]
    with pytest.raises(account_services.PermissionDenied):
        account_services.user_update(actor=world.users["district_admin"], user=target, data={"full_name": "x"})
    path = reverse("core:history", args=["accounts.user", target.pk])
    assert _actions(login(world.users["district_admin"]).get(path)) == []
    assert _actions(login(world.users["auditor"]).get(path)) == ["account.update"]


def test_a_person_reveal_stays_off_a_township_officers_history_page(world, login):
    village = world.village("a")
    audit.record(actor=world.officer("a"), action="jurisdiction.set_pilot", obj=village, changes={"is_pilot": [False, True]})
    audit.record(actor=world.officer("a"), action="node.reveal", obj=village, detail="联系电话")
    response = login(world.officer("a")).get(reverse("core:history", args=["geo.node", village.pk]))
    assert _actions(response) == ["jurisdiction.set_pilot"]


def test_the_auditor_reads_no_history_outside_its_audit_scope(world, login, account_history):
    from pingan.accounts.models import User

    township_auditor = User.objects.create(username="auditor_b", role="auditor", scope=world.township("b"))
    response = login(township_auditor).get(reverse("core:history", args=["accounts.user", account_history.pk]))
    assert response.status_code == 404


def test_an_object_outside_scope_is_404_for_other_roles(world, login, account_history):
    other = world.users["grid_b"]
    assert login(world.officer("a")).get(reverse("core:history", args=["accounts.user", other.pk])).status_code == 404
