"""Demo coordinates inside a place's boundary (geo.seed.PlacePoints): inside the polygon, the same for the same
(seed, place, n), and the place's own point when it has no boundary."""
from __future__ import annotations

from decimal import Decimal

import pytest

from pingan.geo.models import Boundary
from pingan.geo.seed import PlacePoints

pytestmark = pytest.mark.django_db


def test_points_fall_inside_the_boundary_and_repeat_for_the_same_seed(world):
    village = world.village("a")
    # An L-shaped village: the square 113.50–113.52 × 37.80–37.82 without its north-east quarter.
    ring = [[113.50, 37.80], [113.52, 37.80], [113.52, 37.81], [113.51, 37.81], [113.51, 37.82], [113.50, 37.82],
            [113.50, 37.80]]
    Boundary.objects.create(node=village, geometry={"type": "Polygon", "coordinates": [ring]},
                            min_lng=113.50, min_lat=37.80, max_lng=113.52, max_lat=37.82)
    points = [PlacePoints(7).point(village, n) for n in range(1, 41)]
    for lat, lng in points:
        assert Decimal("37.80") <= lat <= Decimal("37.82") and Decimal("113.50") <= lng <= Decimal("113.52")
        assert not (lat > Decimal("37.81") and lng > Decimal("113.51")), (lat, lng)  # never in the cut-out
    assert len(set(points)) == 40
    assert [PlacePoints(7).point(village, n) for n in range(1, 41)] == points
    assert PlacePoints(8).point(village, 1) != points[0]


def test_a_place_without_a_boundary_gives_its_own_point(world):
    village = world.village("b")
    assert PlacePoints(7).point(village, 1) == (village.latitude, village.longitude)
