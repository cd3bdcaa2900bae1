"""The audit trail: append-only, complete, searchable by the 审计管理员 only."""
import pytest
from django.db import connection, transaction
from django.urls import reverse

from pingan.core import audit
from pingan.core.models import AuditEntry
from pingan.geo.services import node_set_pilot


@pytest.fixture
def entry(world):
    node_set_pilot(actor=world.users["district_admin"], node=world.village("a"), is_pilot=True)
    return AuditEntry.objects.get(action="jurisdiction.set_pilot")


def test_an_entry_records_who_when_what_and_the_change(entry, world):
    assert entry.actor == world.users["district_admin"] and entry.actor_name == "district_admin"
    assert entry.object_type == "geo.node" and entry.object_id == str(world.village("a").pk)
    assert entry.changes == {"is_pilot": [False, True]}
    assert entry.outcome == "success" and entry.request_id and entry.at
    assert entry.scope_path == world.village("a").path


def test_entries_cannot_be_changed_or_deleted_through_the_app(entry):
    entry.detail = "篡改"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().update(detail="篡改")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


def test_the_database_refuses_to_change_or_delete_entries(entry):
    from pingan.core import dbtriggers

    dbtriggers.install(connection, for_tests=True)  # already there on PostgreSQL; rolled back with the test
    for sql in ("UPDATE core_auditentry SET detail = 'x'", "DELETE FROM core_auditentry"):
        with pytest.raises(Exception) as caught:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)
        assert "审计日志只能追加" in str(caught.value)
    assert AuditEntry.objects.filter(pk=entry.pk, detail="").exists()


def test_a_web_request_leaves_its_request_id_and_address(world, login, settings):
    # Through the configured proxy, its request id and the client it forwards for are believed.
    settings.PINGAN_TRUSTED_PROXIES = ["10.0.0.1"]
    client = login(world.users["district_admin"])
    response = client.post(reverse("geo:node_pilot", args=[world.village("b").code]), {"is_pilot": "on"},
                           REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.7", HTTP_X_REQUEST_ID="req-12345")
    assert response["X-Request-ID"] == "req-12345"
    entry = AuditEntry.objects.get(action="jurisdiction.set_pilot")
    assert entry.request_id == "req-12345" and entry.address == "192.0.2.7" and entry.channel == "web"


def test_a_client_cannot_name_its_own_request_id_or_address(world, login):
    client = login(world.users["district_admin"])
    response = client.post(reverse("geo:node_pilot", args=[world.village("b").code]), {"is_pilot": "on"},
                           REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="203.0.113.9", HTTP_X_REQUEST_ID="req-12345")
    entry = AuditEntry.objects.get(action="jurisdiction.set_pilot")
    assert response["X-Request-ID"] != "req-12345" and entry.request_id == response["X-Request-ID"]
    assert entry.address == "192.0.2.7"


def test_a_forged_request_id_is_replaced(world, login):
    client = login(world.users["district_admin"])
    response = client.get("/", HTTP_X_REQUEST_ID="<script>" * 20)
    assert "<" not in response["X-Request-ID"]


def test_the_auditor_searches_the_log(entry, world, login):
    client = login(world.users["auditor"])
    page = client.get(reverse("core:audit_log"), {"actor": "district_admin", "action": "set_pilot"})
    assert page.status_code == 200
    assert list(page.context["page"]) == [entry]
    assert list(client.get(reverse("core:audit_log"), {"outcome": "failure"}).context["page"]) == []
    dated = client.get(reverse("core:audit_log"), {"from": entry.at.date().isoformat(), "to": entry.at.date().isoformat()})
    assert entry in list(dated.context["page"])


def test_a_bad_date_in_the_audit_search_is_a_400_with_a_message(world, login):
    response = login(world.users["auditor"]).get(reverse("core:audit_log"), {"from": "2026-02-30"})
    assert response.status_code == 400
    assert "格式不正确" in response.content.decode()


@pytest.mark.parametrize("persona", ["district_admin", "security_admin", "township_a", "leader"])
def test_only_the_auditor_reads_the_audit_log(world, login, persona):
    assert login(world.users[persona]).get(reverse("core:audit_log")).status_code == 403


def test_an_objects_history_page_shows_its_changes(entry, world, login):
    client = login(world.officer("a"))
    response = client.get(reverse("core:history", args=["geo.node", world.village("a").pk]))
    assert response.status_code == 200
    assert entry in list(response.context["page"])


@pytest.mark.parametrize("label, pk", [("geo.node", 999999), ("nope.model", 1), ("geo", 1), ("geo.node", "abc")])
def test_history_of_an_unknown_object_is_404(world, login, label, pk):
    assert login(world.officer("a")).get(reverse("core:history", args=[label, pk])).status_code == 404


def test_the_audit_log_pins_its_query_count(entry, world, login, django_assert_max_num_queries):
    for i in range(20):
        audit.record(actor=world.users["district_admin"], action="test.action", obj=world.village("a"))
    client = login(world.users["auditor"])
    # 9: session, user, the auditor's verified second-factor device (django-otp), count, page, the bell's unread
    # count, and the session save (with its savepoint) that every request makes (SESSION_SAVE_EVERY_REQUEST).
    with django_assert_max_num_queries(9):
        assert client.get(reverse("core:audit_log")).status_code == 200


def test_permission_denials_are_audited(world, login):
    login(world.officer("a")).get(reverse("core:audit_log"))
    entry = AuditEntry.objects.get(action="permission_denied")
    assert entry.outcome == "failure" and entry.actor == world.officer("a")


def test_a_decimal_posted_without_its_places_is_no_change_and_is_recorded_at_the_columns_places(world):
    """A form posts "37.9" over a stored 37.900000 (DecimalField, 6 places): nothing is written or audited;
    a real change is recorded at the column's places on both sides."""
    from decimal import Decimal

    from pingan.core.services import model_update
    from pingan.hazards.models import Hazard
    from pingan.hazards.testing import make_hazard  # a model with DecimalFields (纬度, 6 places)

    hazard = make_hazard(world)
    Hazard.objects.filter(pk=hazard.pk).update(latitude=Decimal("37.9"))
    hazard.refresh_from_db()
    before = AuditEntry.objects.count()
    _obj, changes = model_update(actor=world.officer("a"), instance=hazard, data={"latitude": Decimal("37.9")},
                                 action="hazard.update")
    assert changes == {}
    assert AuditEntry.objects.count() == before
    _obj, changes = model_update(actor=world.officer("a"), instance=hazard, data={"latitude": "37.95"},
                                 action="hazard.update")
    assert changes == {"latitude": ["37.900000", "37.950000"]}
