"""Leak-test factories for accounts and departments (each record carries a marker, core.testing.marked), and
the two-township test world with one persona per role (`World`, `build_world`, `add_role_net_personas`): it
needs geo and accounts, so it lives here rather than in core."""
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password

from pingan.core.testing import TEST_PASSWORD, leak_factory, marked, new_marker
from pingan.geo.models import Node

from .choices import Role
from .models import Department, User


@leak_factory(User)
def _user(world, side):
    # A new account rather than a persona: a persona's own name is on every page it opens.
    marker = new_marker()
    user = User.objects.create(username=f"net_{marker.lower()}", role=Role.VILLAGE_OFFICER, scope=world.village(side),
                               password=make_password(TEST_PASSWORD), full_name=f"账号{marker}")
    return marked(user, marker)


@leak_factory(Department)
def _department(world, side):
    marker = new_marker()
    township = world.township(side)
    return marked(Department.objects.create(jurisdiction=township, name=f"{township.name[:2]}{marker}所", category="公安"),
                  marker)


def pass_second_factor(client, user) -> None:
    """What a real login leaves in the session, for a test client that used force_login: an account whose
    role must use a second factor gets a confirmed authenticator and a session that passed it; any other
    account without one is marked as such. (accounts/tests/test_second_factor.py drives the real flow.)"""
    import time

    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .middleware import NO_SECOND_FACTOR
    from .services import second_factor_required

    session = client.session
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None and second_factor_required(user):
        device = TOTPDevice.objects.create(user=user, name="测试验证器", confirmed=True)
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    else:
        session[NO_SECOND_FACTOR] = time.time()
    session.save()


# ---------------------------------------------------------------------------------------------- the test world
@dataclass
class World:
    """A county with two townships (A = 河底镇, B = 荫营镇), a village and a grid in each, departments, and
    one persona per role. Built in a few queries for tests; the demo seed builds the real district."""

    county: Any
    nodes: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    departments: dict[str, Any] = field(default_factory=dict)

    def township(self, side: str):
        return self.nodes[f"township_{side}"]

    def village(self, side: str):
        return self.nodes[f"village_{side}"]

    def grid(self, side: str):
        return self.nodes[f"grid_{side}"]

    def officer(self, side: str):
        return self.users[f"township_{side}"]

    def markers(self, side: str) -> list[str]:
        """Strings that only a page showing township `side`'s data would contain."""
        return [self.township(side).name, self.township(side).code, self.village(side).short_name]


def build_world() -> World:
    def node(code, name, level, parent=None):
        return Node.objects.create(code=code, name=name, level=level, parent=parent,
                                   parent_code=parent.code if parent else "140300",
                                   path=(parent.path if parent else "") + code + "/",
                                   depth=(parent.depth + 1) if parent else 0, latitude=Decimal("37.850000"),
                                   longitude=Decimal("113.550000"))

    county = node("140311", "郊区", "county")
    world = World(county=county)
    for side, (tcode, tname, vcode, vname) in {
        "a": ("140311101", "河底镇", "140311101211", "固庄村委会"),
        "b": ("140311100", "荫营镇", "140311100206", "矾窑村委会"),
    }.items():
        township = node(tcode, tname, "township", county)
        village = node(vcode, vname, "village", township)
        grid = node(vcode + "001", f"{vname[:2]}第一网格", "grid", village)
        world.nodes.update({f"township_{side}": township, f"village_{side}": village, f"grid_{side}": grid})
        world.departments[f"police_{side}"] = Department.objects.create(
            jurisdiction=township, name=f"{tname[:2]}派出所", category="公安")
    world.departments["county_police"] = Department.objects.create(jurisdiction=county, name="区公安分局", category="公安")
    password = make_password(TEST_PASSWORD)

    def user(username, role, scope, department=None):
        u = User.objects.create(username=username, role=role, scope=scope, department=department, password=password,
                                full_name=username)
        world.users[username] = u
        return u

    user("district_admin", Role.DISTRICT_ADMIN, county)
    user("center_staff", Role.CENTER_STAFF, county)
    user("leader", Role.LEADER, county)
    user("auditor", Role.AUDITOR, county)
    user("security_admin", Role.SECURITY_ADMIN, county)
    user("county_handler", Role.DEPT_HANDLER, county, world.departments["county_police"])
    for side in ("a", "b"):
        user(f"township_{side}", Role.TOWNSHIP_OFFICER, world.township(side))
        user(f"village_{side}", Role.VILLAGE_OFFICER, world.village(side))
        user(f"grid_{side}", Role.GRID_WORKER, world.grid(side))
        user(f"mediator_{side}", Role.MEDIATOR, world.township(side))
        user(f"handler_{side}", Role.DEPT_HANDLER, world.township(side), world.departments[f"police_{side}"])
    return world


def add_role_net_personas(world: World) -> World:
    """Personas the role × route net needs beyond the usual world (kept out of build_world so other tests'
    counts of departments and accounts stay as they are): in each township a handler of a department that is
    not the township's 派出所 (its 司法所), who sits in the same place as the township's cases but is not
    assigned them."""
    password = make_password(TEST_PASSWORD)
    for side in ("a", "b"):
        township = world.township(side)
        dept = Department.objects.create(jurisdiction=township, name=f"{township.name[:2]}司法所", category="司法行政")
        world.departments[f"justice_{side}"] = dept
        world.users[f"other_handler_{side}"] = User.objects.create(
            username=f"other_handler_{side}", role=Role.DEPT_HANDLER, scope=township, department=dept,
            password=password, full_name=f"other_handler_{side}")
    return world
