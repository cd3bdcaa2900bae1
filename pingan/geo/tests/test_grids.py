"""Grids kept current by the district and the township office: add a grid, assign its staff."""
import pytest
from django.urls import reverse

from pingan.core.models import AuditEntry
from pingan.geo.models import Node


def test_a_township_adds_a_grid_with_the_next_code_and_assigns_its_staff(world, login):
    client = login(world.officer("a"))
    village = world.village("a")
    response = client.post(reverse("geo:grid_add", args=[village.code]), {"name": "固庄第二网格"})
    grid = Node.objects.get(code=village.code + "002")
    assert response["Location"] == reverse("geo:grid_staff", args=[grid.code])
    assert grid.path == f"{village.path}{grid.code}/" and grid.level == "grid"
    assert AuditEntry.objects.filter(action="jurisdiction.create", object_id=str(grid.pk)).exists()
    staff = client.post(reverse("geo:grid_staff", args=[grid.code]),
                        {"grid_leader": world.users["village_a"].pk, "grid_worker": world.users["grid_a"].pk})
    assert staff.status_code == 302
    grid.refresh_from_db()
    assert grid.grid_leader == world.users["village_a"] and grid.grid_worker == world.users["grid_a"]
    assert AuditEntry.objects.filter(action="jurisdiction.assign_staff", object_id=str(grid.pk)).exists()


def test_a_one_person_grid_has_the_leader_as_worker(world, login):
    client = login(world.officer("a"))
    client.post(reverse("geo:grid_staff", args=[world.grid("a").code]), {"grid_leader": world.users["grid_a"].pk})
    world.grid("a").refresh_from_db()
    assert world.grid("a").grid_worker == world.users["grid_a"]


def test_staff_of_another_township_cannot_be_assigned(world, login):
    client = login(world.officer("a"))
    response = client.post(reverse("geo:grid_staff", args=[world.grid("a").code]),
                           {"grid_leader": world.users["grid_b"].pk})
    assert response.status_code == 400 and "选择一个有效的选项" in response.content.decode()
    world.grid("a").refresh_from_db()
    assert world.grid("a").grid_leader is None


@pytest.mark.parametrize("persona, status", [("township_b", 404), ("grid_a", 403), ("leader", 403)])
def test_grids_are_managed_only_by_the_owning_township_or_the_district(world, login, persona, status):
    response = login(world.users[persona]).post(reverse("geo:grid_add", args=[world.village("a").code]), {"name": "x"})
    assert response.status_code == status
    assert Node.objects.filter(level="grid").count() == 2


def test_a_grid_needs_a_name(world, login):
    response = login(world.officer("a")).post(reverse("geo:grid_add", args=[world.village("a").code]), {"name": "  "})
    assert response.status_code == 302
    assert Node.objects.filter(level="grid").count() == 2


def test_a_grid_cannot_be_added_under_a_township(world, login):
    login(world.officer("a")).post(reverse("geo:grid_add", args=[world.township("a").code]), {"name": "错网格"})
    assert not Node.objects.filter(name="错网格").exists()
