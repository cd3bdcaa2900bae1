"""Geo edit forms post a change through the web page and the database holds it, with the audit entry's before and
after (issue 8, finding 3: the liaison-point form answered "已保存" and wrote nothing)."""
from decimal import Decimal

from django.urls import reverse

from pingan.core.models import AuditEntry
from pingan.core.testing_forms import form_post_data
from pingan.geo.models import LiaisonPoint, Node


def _point(world):
    return LiaisonPoint.objects.create(jurisdiction=world.village("a"), name="固庄村治安联络点", address="村委会一楼",
                                       contact_name="张三", contact_phone="13800000001")


def test_a_township_edits_a_liaison_point_and_the_database_holds_the_change(world, login):
    point = _point(world)
    client = login(world.officer("a"))
    url = reverse("geo:liaison_edit", args=[point.pk])
    data = form_post_data(client.get(url).context["form"])
    data.update(name="固庄村警务联络点", contact_phone="13900000002", latitude="37.861234", longitude="113.561234")
    response = client.post(url, data)
    assert response.status_code == 302
    stored = LiaisonPoint.objects.get(pk=point.pk)
    assert (stored.name, stored.contact_phone, stored.address) == ("固庄村警务联络点", "13900000002", "村委会一楼")
    assert (stored.latitude, stored.longitude) == (Decimal("37.861234"), Decimal("113.561234"))
    entry = AuditEntry.objects.get(action="liaison_point.update", object_id=str(point.pk))
    changes = dict(entry.changes)
    # Phones may be masked in the audit trail (redaction by field type): the change and the ends are pinned.
    before, after = changes.pop("contact_phone")
    assert (before[:3], before[-4:], after[:3], after[-4:]) == ("138", "0001", "139", "0002")
    assert changes == {"latitude": [None, "37.861234"], "longitude": [None, "113.561234"],
                       "name": ["固庄村治安联络点", "固庄村警务联络点"]}
    assert entry.actor == world.officer("a")


def test_an_unchanged_liaison_form_writes_no_audit_entry(world, login):
    point = _point(world)
    client = login(world.officer("a"))
    url = reverse("geo:liaison_edit", args=[point.pk])
    assert client.post(url, form_post_data(client.get(url).context["form"])).status_code == 302
    assert not AuditEntry.objects.filter(action="liaison_point.update").exists()


def test_a_township_assigns_grid_staff_and_the_database_holds_them(world, login):
    grid = world.grid("a")
    client = login(world.officer("a"))
    response = client.post(reverse("geo:grid_staff", args=[grid.code]), {
        "grid_leader": world.users["village_a"].pk, "grid_worker": world.users["grid_a"].pk})
    assert response.status_code == 302
    stored = Node.objects.get(pk=grid.pk)
    assert (stored.grid_leader_id, stored.grid_worker_id) == (world.users["village_a"].pk, world.users["grid_a"].pk)
    entry = AuditEntry.objects.get(action="jurisdiction.assign_staff", object_id=str(grid.pk))
    assert entry.changes == {"grid_leader": [None, world.users["village_a"].pk],
                             "grid_worker": [None, world.users["grid_a"].pk]}


def test_the_district_sets_a_pilot_flag_and_the_database_holds_it(world, login):
    village = world.village("a")
    response = login(world.users["district_admin"]).post(reverse("geo:node_pilot", args=[village.code]),
                                                         {"is_pilot": "on"})
    assert response.status_code == 302
    assert Node.objects.get(pk=village.pk).is_pilot is True
    assert AuditEntry.objects.get(action="jurisdiction.set_pilot", object_id=str(village.pk)).changes == {
        "is_pilot": [False, True]}
