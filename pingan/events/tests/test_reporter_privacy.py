"""A citizen's phone and e-mail (security review finding 6): encrypted at rest, masked on every page, in the
API, the ledger and the history; the full value only through an audited reveal with a reason."""
import json

import pytest
from django.db import connection
from django.urls import reverse

from pingan.core.models import AuditEntry
from pingan.events import services
from pingan.events.choices import Source
from pingan.events.models import Event

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
MASKED_PHONE = "139****5678"
EMAIL = "zhangsan@example.com"
MASKED_EMAIL = "z***@example.com"
# Every persona that may open the event (township A's) or its history, and those that may not.
READERS = ["district_admin", "center_staff", "leader", "township_a", "village_a", "grid_a", "mediator_a"]


@pytest.fixture
def citizen_event(world, cats):
    from decimal import Decimal

    grid = world.grid("a")  # the two test grids share a centre: township A's is moved so the point is its
    grid.latitude, grid.longitude = Decimal("37.900000"), Decimal("113.600000")
    grid.save()
    return services.event_report(actor=None, category=cats["garbage"], description="河边垃圾没人清",
                                 latitude="37.9001", longitude="113.6001", source=Source.OPEN311,
                                 reporter_name="张三丰", reporter_phone=PHONE, reporter_email=EMAIL,
                                 attributes={"kind": "living"}).event


def _raw_columns(event):
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_phone, reporter_email, reporter_phone_masked, reporter_email_masked "
                       "FROM events_event WHERE id = %s", [event.pk])
        return cursor.fetchone()


def test_the_database_columns_hold_ciphertext_and_the_masked_forms(citizen_event):
    phone, email, phone_masked, email_masked = _raw_columns(citizen_event)
    assert phone.startswith("v1.") and PHONE not in phone and "5678" not in phone
    assert email.startswith("v1.") and "zhangsan" not in email
    assert (phone_masked, email_masked) == (MASKED_PHONE, MASKED_EMAIL)
    # Read back through the model: the plaintext, for the service that reveals it.
    assert Event.objects.get(pk=citizen_event.pk).reporter_phone == PHONE


def test_the_report_audit_entry_holds_no_phone_email_or_full_name(citizen_event):
    entry = AuditEntry.objects.get(action="events.event.report", object_id=str(citizen_event.pk))
    text = json.dumps(entry.changes, ensure_ascii=False) + entry.detail
    assert PHONE not in text and "zhangsan" not in text and "张三丰" not in text
    assert entry.changes["after"]["reporter_phone_masked"] == MASKED_PHONE
    assert entry.changes["after"]["reporter_name"] == "张**"


@pytest.mark.parametrize("persona", READERS)
def test_no_role_reads_the_plaintext_on_the_event_page_history_or_api(world, citizen_event, client, persona):
    client.force_login(world.users[persona])
    pages = [reverse("events:detail", args=[citizen_event.pk]),
             reverse("core:history", args=["events.event", citizen_event.pk]),
             f"/api/v1/events/{citizen_event.pk}/", "/api/v1/events/"]
    for url in pages:
        body = client.get(url).content.decode()
        assert PHONE not in body and "zhangsan@" not in body, (persona, url)


def test_the_centre_sees_the_masked_phone_and_email_on_the_event_page(world, citizen_event, client):
    client.force_login(world.users["center_staff"])
    body = client.get(reverse("events:detail", args=[citizen_event.pk])).content.decode()
    assert MASKED_PHONE in body and MASKED_EMAIL in body and "查看完整联系方式" in body


def test_a_grid_worker_sees_neither_the_citizen_nor_a_reveal_form(world, citizen_event, client):
    client.force_login(world.users["grid_a"])
    body = client.get(reverse("events:detail", args=[citizen_event.pk])).content.decode()
    assert MASKED_PHONE not in body and "张三丰" not in body and "查看完整联系方式" not in body


def test_the_centre_reveals_the_phone_with_a_reason_and_the_reveal_is_audited(world, citizen_event, client):
    client.force_login(world.users["center_staff"])
    url = reverse("events:reveal", args=[citizen_event.pk])
    response = client.post(url, {"field": "reporter_phone", "reason": "回访报告人核实处置结果"})
    assert response.status_code == 200 and PHONE in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    entry = AuditEntry.objects.get(action="event.reveal", object_id=str(citizen_event.pk))
    assert entry.outcome == "success" and entry.actor == world.users["center_staff"]
    assert entry.changes == {"field": "reporter_phone", "reason": "回访报告人核实处置结果"}
    assert PHONE not in json.dumps(entry.changes) + entry.detail
    email = client.post(url, {"field": "reporter_email", "reason": "邮件回复办理结果"})
    assert EMAIL in email.content.decode()


def test_a_reveal_without_a_reason_is_refused_in_chinese_and_shows_nothing(world, citizen_event, client):
    client.force_login(world.users["center_staff"])
    response = client.post(reverse("events:reveal", args=[citizen_event.pk]), {"field": "reporter_phone", "reason": ""})
    assert response.status_code == 400 and "理由" in response.content.decode()
    assert PHONE not in response.content.decode()
    assert not AuditEntry.objects.filter(action="event.reveal", outcome="success").exists()


@pytest.mark.parametrize("persona,status", [("leader", 403), ("grid_a", 403), ("mediator_a", 403),
                                            ("township_b", 404), ("handler_b", 404)])
def test_roles_that_may_not_see_the_citizen_cannot_reveal(world, citizen_event, client, persona, status):
    client.force_login(world.users[persona])
    response = client.post(reverse("events:reveal", args=[citizen_event.pk]),
                           {"field": "reporter_phone", "reason": "想看一下电话号码"})
    assert response.status_code == status and PHONE not in response.content.decode()
    if status == 403:
        refusal = AuditEntry.objects.get(action="event.reveal", object_id=str(citizen_event.pk))
        assert refusal.outcome == "failure" and PHONE not in json.dumps(refusal.changes)


def test_the_migration_encrypts_rows_written_in_plaintext(world, cats, citizen_event):
    """Rows from before the migration hold plaintext; the data migration encrypts them and fills the masks."""
    import importlib

    from django.apps import apps

    with connection.cursor() as cursor:
        cursor.execute("UPDATE events_event SET reporter_phone = %s, reporter_email = %s, reporter_phone_masked = '', "
                       "reporter_email_masked = '' WHERE id = %s", ["0353-1234567", "li@example.org", citizen_event.pk])
    migration = importlib.import_module("pingan.events.migrations.0003_reporter_contact_encrypted_public_display")
    migration.encrypt_contacts(apps, None)
    phone, email, phone_masked, email_masked = _raw_columns(citizen_event)
    assert phone.startswith("v1.") and "1234567" not in phone and email.startswith("v1.")
    # The one phone mask of pingan.core.personal: a landline keeps its area code and last two digits.
    assert (phone_masked, email_masked) == ("0353-*****67", "l***@example.org")
    assert Event.objects.get(pk=citizen_event.pk).reporter_phone == "0353-1234567"
