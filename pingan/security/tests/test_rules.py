"""The register rules, called directly (no HTTP): each refusal in Chinese, keyed by field, nothing written."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pingan.core.models import AuditEntry
from pingan.geo.models import Node
from pingan.security import services
from pingan.security.choices import ForceType
from pingan.security.models import Camera, Team, TeamMember
from pingan.security.testing import DAY, make_camera, make_session, make_team

pytestmark = pytest.mark.django_db


def _message(exc_info, field):
    return " ".join(exc_info.value.message_dict[field])


def test_a_team_is_created_with_its_audit_entry(world):
    team = make_team(world, "a", phone="13912345678")
    stored = Team.objects.get(pk=team.pk)
    assert (stored.name, stored.kind, stored.jurisdiction, stored.phone) == (
        "固庄村义务巡防队", ForceType.VOLUNTARY_PATROL, world.township("a"), "13912345678")
    entry = AuditEntry.objects.get(action="team.create", object_id=str(team.pk))
    # The phone reaches the audit log masked (redaction by field type).
    assert entry.changes["after"]["phone"] == "139****5678"


def test_a_member_from_another_township_is_refused_by_a_township_team(world):
    team = make_team(world, "a")
    before = TeamMember.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.member_create(actor=None, data={"team": team, "name": "张三", "jurisdiction": world.grid("b"),
                                                 "joined_on": DAY})
    assert "不属于队伍所在乡镇" in _message(exc, "jurisdiction")
    assert TeamMember.objects.count() == before


def test_a_district_team_takes_members_from_any_township(world):
    team = services.team_create(actor=world.users["district_admin"], data={
        "name": "区平安志愿者总队", "kind": ForceType.VOLUNTEERS, "jurisdiction": world.county})
    member = services.member_create(actor=world.users["district_admin"], data={
        "team": team, "name": "李四", "jurisdiction": world.grid("b"), "joined_on": DAY})
    assert TeamMember.objects.get(pk=member.pk).jurisdiction == world.grid("b")


def test_a_township_officer_cannot_use_another_townships_team_or_place(world):
    team_b = make_team(world, "b")
    with pytest.raises(ValidationError) as exc:
        services.member_create(actor=world.officer("a"), data={"team": team_b, "name": "王五",
                                                               "jurisdiction": world.grid("a"), "joined_on": DAY})
    assert "不在您的管辖范围内" in _message(exc, "team")
    with pytest.raises(ValidationError) as exc:
        services.team_create(actor=world.officer("a"), data={"name": "越权队", "kind": "01",
                                                             "jurisdiction": world.township("b")})
    assert "不在您的管辖范围内" in _message(exc, "jurisdiction")
    assert not Team.objects.filter(name="越权队").exists()


def test_a_leader_and_a_grid_worker_may_not_write(world):
    for role in ("leader", "grid_a", "handler_a", "mediator_a"):
        with pytest.raises(PermissionDenied):
            services.team_create(actor=world.users[role], data={"name": "队", "kind": "01",
                                                                "jurisdiction": world.township("a")})


def test_a_left_date_before_the_joined_date_and_a_future_joined_date_are_refused(world):
    team = make_team(world, "a")
    with pytest.raises(ValidationError) as exc:
        services.member_create(actor=None, data={"team": team, "name": "赵六", "jurisdiction": world.grid("a"),
                                                 "joined_on": dt.date(2017, 5, 1), "left_on": dt.date(2017, 4, 30)})
    assert "退出日期不能早于加入日期（2017-05-01）" in _message(exc, "left_on")
    with pytest.raises(ValidationError) as exc:
        services.member_create(actor=None, data={"team": team, "name": "赵六", "jurisdiction": world.grid("a"),
                                                 "joined_on": dt.date.today() + dt.timedelta(days=2)})
    assert "不能晚于今天" in _message(exc, "joined_on")


def test_a_bad_phone_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        make_team(world, "a", phone="12345")
    assert "格式不正确" in _message(exc, "phone")


def test_full_width_text_is_made_half_width(world):
    team = make_team(world, "a", name="固庄村巡防队（一）", phone="１３９１２３４５６７８")
    assert Team.objects.get(pk=team.pk).phone == "13912345678"
    camera = make_camera(world, "a", code="ＣＡＭ０１")
    assert Camera.objects.get(pk=camera.pk).code == "CAM01"


def test_a_camera_outside_the_district_is_refused(world):
    # The test district's nodes all stand at 37.85 N, 113.55 E: the box is that point ± 0.05°.
    with pytest.raises(ValidationError) as exc:
        make_camera(world, "a", code="CAMFAR", latitude=Decimal("39.904200"), longitude=Decimal("116.407400"))
    assert "不在本区范围内" in _message(exc, "latitude")
    with pytest.raises(ValidationError):
        make_camera(world, "a", code="CAMEDGE", latitude=Decimal("37.900001"), longitude=Decimal("113.550000"))
    assert make_camera(world, "a", code="CAMIN", latitude=Decimal("37.900000"), longitude=Decimal("113.600000")).pk
    assert not Camera.objects.filter(code__in=["CAMFAR", "CAMEDGE"]).exists()


def test_a_camera_needs_both_coordinates_or_neither(world):
    with pytest.raises(ValidationError) as exc:
        make_camera(world, "a", code="CAMHALF", latitude=Decimal("37.85"), longitude=None)
    assert "同时填写" in _message(exc, "latitude")
    assert make_camera(world, "a", code="CAMNONE", latitude=None, longitude=None).latitude is None


def test_a_duplicate_camera_code_is_refused_even_from_another_township(world):
    make_camera(world, "b", code="CAM-0001")
    with pytest.raises(ValidationError) as exc:
        make_camera(world, "a", code="CAM-0001")
    assert _message(exc, "code") == "探头编号“CAM-0001”已被登记，不能重复。"
    assert Camera.objects.filter(code="CAM-0001").count() == 1


def test_a_camera_code_with_spaces_inside_or_symbols_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        make_camera(world, "a", code="CAM#1;DROP")
    assert "格式不正确" in _message(exc, "code")


def test_a_camera_in_a_township_rather_than_a_village_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        make_camera(world, "a", jurisdiction=world.township("a"))
    assert "河底镇" in _message(exc, "jurisdiction")


def test_an_attendee_is_recorded_once_per_session(world):
    session = make_session(world, "a")
    services.attendance_create(actor=world.officer("a"), data={"session": session, "user": world.users["grid_a"]})
    with pytest.raises(ValidationError) as exc:
        services.attendance_create(actor=world.officer("a"), data={"session": session, "user": world.users["grid_a"]})
    assert "不能重复登记" in _message(exc, "name")
    services.attendance_create(actor=world.officer("a"), data={"session": session, "name": "钱七"})
    with pytest.raises(ValidationError):
        services.attendance_create(actor=world.officer("a"), data={"session": session, "name": "钱七"})
    assert session.attendances.count() == 2


def test_hours_outside_0_to_24_are_refused(world):
    with pytest.raises(ValidationError) as exc:
        make_session(world, "a", hours=Decimal("25"))
    assert _message(exc, "hours") == "学时应大于 0、不超过 24。"


def test_a_team_with_members_is_not_deleted(world):
    team = make_team(world, "a")
    services.member_create(actor=None, data={"team": team, "name": "孙八", "jurisdiction": world.grid("a"),
                                             "joined_on": DAY})
    with pytest.raises(ValidationError):
        services.team_delete(actor=world.officer("a"), instance=team)
    assert Team.objects.filter(pk=team.pk).exists()


def test_the_district_box_is_the_nodes_extent_widened_by_a_twentieth_of_a_degree(world):
    Node.objects.filter(pk=world.village("b").pk).update(latitude=Decimal("37.950000"), longitude=Decimal("113.700000"))
    assert services.district_box(world.village("a")) == (
        Decimal("37.800000"), Decimal("38.000000"), Decimal("113.500000"), Decimal("113.750000"))
