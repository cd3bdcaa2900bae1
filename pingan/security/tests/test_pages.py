"""The register pages made by pingan.registers: lists with pinned query counts, create and edit forms read back
from the database, refusals (403 audited, 404 outside scope), bad input answered in Chinese."""
import datetime as dt

import pytest
from django.urls import reverse

from pingan.core.models import AuditEntry
from pingan.core.testing_forms import form_post_data
from pingan.security import services
from pingan.security.forms import CameraForm, TeamForm
from pingan.security.models import Camera, Team, TeamMember
from pingan.security.testing import DAY, make_camera, make_team

pytestmark = pytest.mark.django_db


def test_the_team_list_shows_the_townships_teams_in_a_fixed_number_of_queries(world, login, django_assert_max_num_queries):
    for i in range(6):
        make_team(world, "a", name=f"巡防{i}队", phone="13912345678", jurisdiction=world.village("a"))
    make_team(world, "b", name="荫营巡防队")
    client = login(world.officer("a"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("security:teams_list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "巡防5队" in body and "荫营巡防队" not in body
    # The leader's phone is masked for a village officer, shown to the township officer (personal.reveal).
    assert "13912345678" in body
    village = login(world.users["village_a"]).get(reverse("security:teams_list")).content.decode()
    assert "139****5678" in village and "13912345678" not in village


def test_the_camera_list_query_count_does_not_grow_with_rows(world, login, django_assert_max_num_queries):
    for i in range(20):
        make_camera(world, "a", code=f"CAMQ{i:03d}")
    client = login(world.users["district_admin"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("security:cameras_list")).status_code == 200


def test_a_team_is_created_through_the_form_and_read_back(world, login):
    client = login(world.officer("a"))
    response = client.post(reverse("security:teams_create"), {
        "name": "固庄村义务巡防队", "kind": "02", "jurisdiction": world.village("a").pk, "leader_name": "周队长",
        "phone": "13800001111", "area": "固庄村主街", "founded_on": "2016-04-01"})
    assert response.status_code == 302
    team = Team.objects.get(name="固庄村义务巡防队")
    assert (team.kind, team.jurisdiction, team.phone, team.founded_on) == (
        "02", world.village("a"), "13800001111", dt.date(2016, 4, 1))
    assert AuditEntry.objects.filter(action="team.create", object_id=str(team.pk)).exists()


def test_editing_a_team_changes_only_what_was_edited_and_audits_it(world, login):
    team = make_team(world, "a", area="村内主街")
    client = login(world.officer("a"))
    form = TeamForm(instance=team, actor=world.officer("a"))
    data = form_post_data(form)
    data["area"] = "村内主街及学校周边"
    assert client.post(reverse("security:teams_edit", args=[team.pk]), data).status_code == 302
    stored = Team.objects.get(pk=team.pk)
    assert (stored.area, stored.name) == ("村内主街及学校周边", "固庄村义务巡防队")
    assert AuditEntry.objects.get(action="team.update", object_id=str(team.pk)).changes == {
        "area": ["村内主街", "村内主街及学校周边"]}


def test_editing_a_camera_through_its_form_is_read_back(world, login):
    camera = make_camera(world, "a", code="CAM-E1", hd=False)
    client = login(world.users["village_a"])
    data = form_post_data(CameraForm(instance=camera, actor=world.users["village_a"]))
    data["hd"] = "on"
    data["status"] = "faulty"
    assert client.post(reverse("security:cameras_edit", args=[camera.pk]), data).status_code == 302
    stored = Camera.objects.get(pk=camera.pk)
    assert (stored.hd, stored.status, stored.code) == (True, "faulty", "CAM-E1")


def test_a_member_from_another_township_is_refused_on_the_form(world, login):
    team = make_team(world, "a")
    client = login(world.users["district_admin"])
    response = client.post(reverse("security:members_create"), {
        "team": team.pk, "name": "外镇人员", "role": "member", "jurisdiction": world.grid("b").pk,
        "joined_on": "2017-03-01"})
    assert response.status_code == 400
    assert "不属于队伍所在乡镇" in response.content.decode()
    assert not TeamMember.objects.filter(name="外镇人员").exists()


def test_another_townships_place_on_a_form_is_not_a_choice(world, login):
    client = login(world.officer("a"))
    response = client.post(reverse("security:cameras_create"), {
        "code": "CAM-X", "name": "越权探头", "jurisdiction": world.village("b").pk, "camera_type": "bullet",
        "status": "in_use"})
    assert response.status_code == 400
    assert "不存在或不在您的管辖范围内" in response.content.decode()
    assert not Camera.objects.filter(code="CAM-X").exists()


def test_bad_input_on_the_camera_form_is_answered_in_chinese(world, login):
    client = login(world.officer("a"))
    before = Camera.objects.count()
    for data, message in (
        ({"code": "", "name": "x"}, "请填写探头编号"),
        ({"code": "CAM-D", "name": "x", "installed_on": "2017-02-30"}, "安装日期格式不正确"),
        ({"code": "CAM-D", "name": "x", "latitude": "abc", "longitude": "113.5"}, "纬度应为数字"),
        ({"code": "CAM-D", "name": "x", "latitude": "31.230000", "longitude": "121.470000"}, "不在本区范围内"),
        ({"code": "CAM-D", "name": "x", "status": "broken"}, "选择一个有效的选项"),
    ):
        payload = {"jurisdiction": world.village("a").pk, "camera_type": "bullet", "status": "in_use", **data}
        response = client.post(reverse("security:cameras_create"), payload)
        assert response.status_code == 400, data
        assert message in response.content.decode(), data
    assert Camera.objects.count() == before


def test_the_leader_reads_but_may_not_create_and_the_denial_is_audited(world, login):
    team = make_team(world, "a")
    client = login(world.users["leader"])
    assert client.get(reverse("security:teams_detail", args=[team.pk])).status_code == 200
    assert client.get(reverse("security:teams_create")).status_code == 403
    assert client.post(reverse("security:teams_edit", args=[team.pk]), {"name": "改名"}).status_code == 403
    assert AuditEntry.objects.filter(action="permission_denied", actor=world.users["leader"]).count() == 2
    assert Team.objects.get(pk=team.pk).name == "固庄村义务巡防队"


def test_another_townships_team_answers_404(world, login):
    team = make_team(world, "b")
    client = login(world.officer("a"))
    for name in ("teams_detail", "teams_edit", "teams_delete"):
        assert client.get(reverse(f"security:{name}", args=[team.pk])).status_code == 404


def test_a_department_handler_reads_teams_but_no_members(world, login):
    team = make_team(world, "a")
    services.member_create(actor=None, data={"team": team, "name": "韩九", "jurisdiction": world.grid("a"),
                                             "joined_on": DAY})
    client = login(world.users["handler_a"])
    page = client.get(reverse("security:teams_detail", args=[team.pk]))
    assert page.status_code == 200 and "韩九" not in page.content.decode()
    assert client.get(reverse("security:members_list")).status_code == 403


def test_deleting_a_camera_asks_then_deletes_and_audits(world, login):
    camera = make_camera(world, "a", code="CAM-DEL")
    client = login(world.officer("a"))
    assert client.get(reverse("security:cameras_delete", args=[camera.pk])).status_code == 200
    assert client.post(reverse("security:cameras_delete", args=[camera.pk])).status_code == 302
    assert not Camera.objects.filter(code="CAM-DEL").exists()
    assert AuditEntry.objects.get(action="camera.delete").changes["before"]["code"] == "CAM-DEL"


def test_a_bad_filter_is_a_400_with_a_chinese_message(world, login):
    client = login(world.officer("a"))
    response = client.get(reverse("security:sessions_list"), {"year": "二〇一七"})
    assert response.status_code == 400
    assert "年份" in response.content.decode()


def test_the_township_home_page_has_the_security_panel_and_the_menu_group(world, login):
    make_team(world, "a", kind="04")
    body = login(world.officer("a")).get(reverse("core:home")).content.decode()
    assert "社会治安" in body and "群防群治队伍" in body and "探头分布图" in body
    assert "视频监控" in body and "教育培训" in body
    assert "社会治安" not in login(world.users["grid_a"]).get(reverse("core:home")).content.decode().split("<main")[1]
