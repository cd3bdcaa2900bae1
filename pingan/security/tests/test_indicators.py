"""社会治安 indicators with values worked out by hand."""
import datetime as dt

import pytest

from pingan.core.indicators import Query
from pingan.geo.models import LiaisonPoint, Node
from pingan.security import services
from pingan.security.choices import ForceType
from pingan.security.testing import make_camera, make_session, make_team

pytestmark = pytest.mark.django_db
YEAR = (dt.date(2017, 1, 1), dt.date(2017, 12, 31))


def _q(world, node=None, user=None):
    return Query(*YEAR, node or world.county, user)


def test_volunteers_count_members_of_volunteer_teams_in_the_team_on_the_last_day(world):
    volunteers = make_team(world, "a", kind=ForceType.VOLUNTEERS, name="志愿队")
    patrol = make_team(world, "a", kind=ForceType.FULL_TIME_PATROL, name="专职队")
    for name, team, joined, left in (
        ("在队", volunteers, dt.date(2016, 1, 1), None),            # counted
        ("年底加入", volunteers, dt.date(2017, 12, 31), None),       # counted: joined on `to`
        ("次年加入", volunteers, dt.date(2018, 1, 1), None),         # not yet a member
        ("年中退出", volunteers, dt.date(2015, 1, 1), dt.date(2017, 6, 30)),  # left before `to`
        ("年底退出", volunteers, dt.date(2015, 1, 1), dt.date(2017, 12, 31)),  # left on `to`: not counted
        ("巡防队员", patrol, dt.date(2016, 1, 1), None),             # another kind of team
    ):
        services.member_create(actor=None, data={"team": team, "name": name, "jurisdiction": world.grid("a"),
                                                 "joined_on": joined, "left_on": left})
    services.member_create(actor=None, data={"team": make_team(world, "b", kind=ForceType.VOLUNTEERS),
                                             "name": "荫营志愿者", "jurisdiction": world.grid("b"),
                                             "joined_on": dt.date(2016, 1, 1)})
    assert _q(world)["forces.volunteers"] == 3   # 在队, 年底加入, 荫营志愿者
    assert _q(world, world.township("a"))["forces.volunteers"] == 2
    assert _q(world, world.township("a"), world.officer("b"))["forces.volunteers"] == 0


def test_teams_and_officers_on_the_last_day(world):
    make_team(world, "a", founded_on=dt.date(2017, 12, 31))
    make_team(world, "a", founded_on=None)
    make_team(world, "b", founded_on=dt.date(2018, 1, 1))
    for since, until in ((dt.date(2016, 1, 1), None), (dt.date(2016, 1, 1), dt.date(2017, 3, 1)),
                         (dt.date(2018, 2, 1), None)):
        services.officer_create(actor=None, data={"name": "管理员", "jurisdiction": world.village("a"),
                                                  "since": since, "until": until})
    q = _q(world)
    assert (q["forces.teams"], q["forces.officers"]) == (2, 1)


def test_cameras_count_those_installed_by_the_last_day_and_not_retired(world):
    make_camera(world, "a", code="C1", hd=True, networked=True, watched_24h=True, installed_on=dt.date(2017, 5, 1))
    make_camera(world, "a", code="C2", hd=False, networked=True, installed_on=None)
    make_camera(world, "a", code="C3", hd=True, networked=False, status="faulty", installed_on=dt.date(2016, 1, 1))
    make_camera(world, "a", code="C4", hd=True, networked=True, status="retired", installed_on=dt.date(2016, 1, 1))
    make_camera(world, "b", code="C5", hd=True, networked=True, installed_on=dt.date(2018, 1, 2))
    q = _q(world)
    assert (q["cameras.total"], q["cameras.hd"], q["cameras.networked"], q["cameras.watched_24h"]) == (3, 2, 2, 1)


def test_liaison_coverage_is_villages_with_a_point_over_villages(world):
    county = world.county
    for i, code in enumerate(("140311101212", "140311101213")):
        Node.objects.create(code=code, name=f"新村{i}委会", level="village", parent=world.township("a"),
                            parent_code=world.township("a").code, path=f"{world.township('a').path}{code}/", depth=2)
    # Villages: 固庄 (A), 新村0, 新村1 (A), 矾窑 (B) = 4. Points: 固庄 twice, 矾窑 once → 2 villages covered.
    for village in (world.village("a"), world.village("a"), world.village("b")):
        LiaisonPoint.objects.create(jurisdiction=village, name="联络点")
    assert _q(world, county)["liaison_points.coverage"] == 0.5
    assert _q(world, world.township("a"))["liaison_points.coverage"] == pytest.approx(0.3333)
    assert _q(world, world.township("b"))["liaison_points.coverage"] == 1.0


def test_training_sessions_and_attendees_in_the_period(world):
    inside = make_session(world, "a", held_on=dt.date(2017, 3, 1))
    last_day = make_session(world, "b", held_on=dt.date(2017, 12, 31))
    outside = make_session(world, "a", held_on=dt.date(2018, 1, 1))
    for session, names in ((inside, ["甲", "乙", "丙"]), (last_day, ["丁"]), (outside, ["戊", "己"])):
        for name in names:
            services.attendance_create(actor=None, data={"session": session, "name": name})
    q = _q(world)
    assert (q["training.sessions"], q["training.attendees"]) == (2, 4)
