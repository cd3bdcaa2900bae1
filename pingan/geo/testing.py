"""Leak-test factories for the jurisdiction models. Each record carries a marker (core.testing.marked)."""
from itertools import count

from pingan.core.testing import leak_factory, marked, new_marker

from .models import LiaisonPoint, Node

_grid_serial = count(91)


@leak_factory(Node)
def _node(world, side):
    # A grid of its own (not the grid worker's), named with the marker: only the village's and the township's
    # people see it by place, and a page that shows it cannot be confused with one that shows the village.
    village = world.village(side)
    marker = new_marker()
    code = f"{village.code}{next(_grid_serial):03d}"
    node = Node.objects.create(code=code, name=f"{marker}网格", level="grid", parent=village, parent_code=village.code,
                               path=f"{village.path}{code}/", depth=village.depth + 1, latitude=village.latitude,
                               longitude=village.longitude)
    return marked(node, marker)


@leak_factory(LiaisonPoint)
def _liaison(world, side):
    marker = new_marker()
    point = LiaisonPoint.objects.create(jurisdiction=world.village(side), name=f"{marker}治安联络点",
                                        address=f"{world.village(side).short_name}{marker}号", contact_name=f"联络员{side}")
    return marked(point, marker)


# The map's layer endpoint takes a layer key, not a record: every layer it serves is read through
# `visible_to` (pingan/geo/tests/test_map_api.py checks each layer per role and township).
from pingan.core.testing import unscoped_route  # noqa: E402

unscoped_route("api:geo-layer", "地图图层按图层键取数，每个图层都经 visible_to 过滤（geo/tests/test_map_api.py 按角色逐层检查）")
