"""Test support shared by every app: the two-township world, personas, and the leak-test registries.

Apps register, in their own `testing.py` (found automatically by the generic leak test):
- `leak_factory(Model)`: a function `(world, side) -> instance` making one record inside township `side`
  ("a" = 河底镇 or "b" = 荫营镇). Every model served by a route with a URL keyword needs one.
- `unscoped_route(name, reason)`: a route name that deliberately shows no jurisdiction data (login, public
  pages); the reason is printed in the test.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable

from django.contrib.auth.hashers import make_password

from .scoping import scoped  # noqa: F401  (re-exported for tests)

LEAK_FACTORIES: dict[type, Callable[["World", str], Any]] = {}
# Every factory of a model by variant name ("" = the one in LEAK_FACTORIES). A model holding rows of two data
# kinds (enrolments of health and of other kinds, their visits and fund spendings) registers one per kind, so
# the role net checks the health rule as well as the place rule.
LEAK_VARIANTS: dict[type, dict[str, Callable[["World", str], Any]]] = {}
UNSCOPED_ROUTES: dict[str, str] = {}
# POST-only or side-effect routes the leak test must not GET blindly: name -> HTTP method to probe.
TEST_PASSWORD = "Pingan-Test-2026!"


def leak_factory(model: type, variant: str = ""):
    """Register `func(world, side) -> instance`. The instance should carry a marker (see `marked`)."""
    def decorator(func):
        if not variant:
            LEAK_FACTORIES[model] = func
        LEAK_VARIANTS.setdefault(model, {})[variant] = func
        return func
    return decorator


def new_marker() -> str:
    """A token no other record shares, ASCII so that JSON, CSV and HTML show it unchanged."""
    return "MK" + uuid.uuid4().hex[:12]


def marked(instance: Any, marker: str, *also: str) -> Any:
    """Attach the marker a factory wrote into a field its detail page and list rows show; the role net
    looks for exactly this string, so a page showing another record of the same township does not count.
    `also`: other strings as unique to the record that some pages show instead (a case's number)."""
    instance.leak_marker = marker
    instance.leak_markers = (marker, *[m for m in also if m])
    return instance


def unscoped_route(name: str, reason: str) -> None:
    UNSCOPED_ROUTES[name] = reason


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
    from pingan.accounts.choices import Role
    from pingan.accounts.models import Department, User
    from pingan.geo.models import Node

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
    from pingan.accounts.choices import Role
    from pingan.accounts.models import Department, User

    password = make_password(TEST_PASSWORD)
    for side in ("a", "b"):
        township = world.township(side)
        dept = Department.objects.create(jurisdiction=township, name=f"{township.name[:2]}司法所", category="司法行政")
        world.departments[f"justice_{side}"] = dept
        world.users[f"other_handler_{side}"] = User.objects.create(
            username=f"other_handler_{side}", role=Role.DEPT_HANDLER, scope=township, department=dept,
            password=password, full_name=f"other_handler_{side}")
    return world
