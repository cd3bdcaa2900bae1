"""The API under /api/v1/security/ (pingan.registers.RegisterViewSet): writes go through the services."""
import pytest
from django.urls import reverse

from pingan.core.models import AuditEntry
from pingan.security.models import Camera, Team
from pingan.security.testing import make_camera, make_team

pytestmark = pytest.mark.django_db


def test_a_camera_is_created_updated_and_deleted_through_the_api(world, api):
    client = api(world.officer("a"))
    url = reverse("api:security-camera-list")
    response = client.post(url, {"code": "CAM-API-1", "name": "固庄村口", "jurisdiction": world.village("a").pk,
                                 "camera_type": "ptz", "hd": True, "networked": True, "latitude": "37.851234",
                                 "longitude": "113.551234"}, format="json")
    assert response.status_code == 201, response.json()
    camera = Camera.objects.get(code="CAM-API-1")
    assert (camera.camera_type, camera.hd, str(camera.latitude)) == ("ptz", True, "37.851234")
    detail = reverse("api:security-camera-detail", args=[camera.pk])
    assert client.patch(detail, {"status": "faulty"}, format="json").status_code == 200
    assert Camera.objects.get(pk=camera.pk).status == "faulty"
    assert AuditEntry.objects.get(action="camera.update", object_id=str(camera.pk)).changes == {
        "status": ["in_use", "faulty"]}
    assert client.delete(detail).status_code == 204
    assert not Camera.objects.filter(pk=camera.pk).exists()


def test_api_bad_input_is_a_400_in_chinese_and_writes_nothing(world, api):
    client = api(world.officer("a"))
    url = reverse("api:security-camera-list")
    make_camera(world, "b", code="CAM-DUP")
    before = Camera.objects.count()
    cases = [
        ({"code": "CAM-DUP", "name": "重复"}, "已被登记"),
        ({"code": "CAM-OUT", "name": "外地", "latitude": "22.5", "longitude": "114.1"}, "不在本区范围内"),
        ({"code": "CAM-T", "name": "类型", "camera_type": "laser"}, "不是可选的值"),
        ({"code": "CAM-D", "name": "日期", "installed_on": "2017-13-01"}, "格式不正确"),
        ({"code": "CAM-J", "name": "越权", "jurisdiction": world.village("b").pk}, "不在您的管辖范围内"),
        ({"code": "CAM-B", "name": "布尔", "hd": "也许"}, "应为 true 或 false"),
    ]
    for extra, message in cases:
        payload = {"jurisdiction": world.village("a").pk, **extra}
        response = client.post(url, payload, format="json")
        assert response.status_code == 400, (extra, response.content)
        assert message in response.content.decode(), (extra, response.content.decode())
    assert Camera.objects.count() == before


def test_the_leader_lists_but_may_not_write_through_the_api(world, api):
    team = make_team(world, "a")
    client = api(world.users["leader"])
    assert client.get(reverse("api:security-team-list")).status_code == 200
    response = client.patch(reverse("api:security-team-detail", args=[team.pk]), {"name": "改"}, format="json")
    assert response.status_code == 403
    assert Team.objects.get(pk=team.pk).name == "固庄村义务巡防队"
    assert AuditEntry.objects.filter(action="permission_denied", actor=world.users["leader"]).exists()


def test_another_townships_record_answers_404_in_the_api(world, api):
    team = make_team(world, "b")
    client = api(world.officer("a"))
    assert client.get(reverse("api:security-team-detail", args=[team.pk])).status_code == 404
    assert client.delete(reverse("api:security-team-detail", args=[team.pk])).status_code == 404
    assert Team.objects.filter(pk=team.pk).exists()


def test_the_api_masks_phones_for_roles_that_may_not_reveal(world, api):
    make_team(world, "a", phone="13912345678", jurisdiction=world.village("a"))
    rows = api(world.users["village_a"]).get(reverse("api:security-team-list")).json()
    items = rows["results"] if isinstance(rows, dict) else rows
    assert [r["phone"] for r in items] == ["139****5678"]


def test_a_handler_gets_no_members_from_the_api(world, api):
    assert api(world.users["handler_a"]).get(reverse("api:security-member-list")).status_code == 403


def test_the_security_api_is_in_the_openapi_schema(world, api):
    schema = api(world.users["district_admin"]).get(reverse("schema"), {"format": "json"}).content.decode()
    for path in ("/api/v1/security/teams/", "/api/v1/security/cameras/", "/api/v1/security/training-sessions/"):
        assert path in schema
