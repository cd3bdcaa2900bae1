"""A year of records with known totals (2017) and the year before (2016), in the two-township test world:

hazards   2017: 河底镇 (A) 6 screened, 5 rectified, 1 open and high-risk (YH-A-OPEN, deadline 2018: not
                overdue at 2017-12-31); 荫营镇 (B) 4 screened, 4 rectified → county 10 / 9 = 90.0%
          2016: A 5 (3 rectified), B 3 (3 rectified) → 8 / 6 = 75.0%
          同比: 排查数 (10 − 8) / 8 = 上升25.0%; 整治率 90.0 − 75.0 = 提高15.0个百分点
disputes  2017: A 3 (2 settled, 1 mediating, the mediating one a group dispute), B 1 (settled) → 4 / 3 = 75.0%
          2016: A 2 (1 settled) → 同比 排查数 (4 − 2) / 2 = 上升100.0%
warnings  2017: A red ×2 (one handled), yellow ×1; 2016: B orange ×1 (outside the period)
"""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pingan.hazards.choices import HazardStatus as S
from pingan.hazards.models import Hazard

d = dt.date


def _hazard(world, number, screened, state, deadline, side, level="02"):
    due_at = None if state == S.RECTIFIED else timezone.make_aware(
        dt.datetime.combine(deadline + dt.timedelta(days=1), dt.time(0, 0)))
    return Hazard.objects.create(number=number, screened_on=screened, state=state, rectify_deadline=deadline,
                                 due_at=due_at, jurisdiction=world.village(side), hazard_type="01",
                                 risk_level=level, description=f"测试隐患{number}",
                                 rectified_on=screened if state == S.RECTIFIED else None)


def _dispute(world, number, registered, state, side, scale="01"):
    from pingan.disputes.models import Dispute

    return Dispute.objects.create(number=number, jurisdiction=world.village(side), title=f"纠纷{number}",
                                  occurred_on=registered, registered_on=registered, category="0201",
                                  people_count=12 if scale != "01" else 2, summary="排水沟堵塞引发争吵",
                                  state=state, scale=scale)


def _alert(world, key, level, side, day, status="open"):
    from pingan.alerts.models import Alert
    from pingan.alerts.registry import rules

    rule = rules()[0]
    return Alert.objects.create(rule=rule.key, module=rule.module, level=level, title=f"预警{key}",
                                reason="测试", key=key, status=status, jurisdiction=world.village(side),
                                raised_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0))))


@pytest.fixture
def year(world):
    for i in range(5):
        _hazard(world, f"YH-A-{i}", d(2017, 1 + i, 10), S.RECTIFIED, d(2017, 12, 1), "a")
    _hazard(world, "YH-A-OPEN", d(2017, 11, 20), S.RECTIFYING, d(2018, 3, 1), "a", level="01")
    for i in range(4):
        _hazard(world, f"YH-B-{i}", d(2017, 2 + i, 3), S.RECTIFIED, d(2017, 12, 1), "b")
    for i in range(5):
        _hazard(world, f"OH-A-{i}", d(2016, 1 + i, 10), S.RECTIFIED if i < 3 else S.PENDING, d(2019, 1, 1), "a")
    for i in range(3):
        _hazard(world, f"OH-B-{i}", d(2016, 3, 1 + i), S.RECTIFIED, d(2016, 12, 1), "b")
    _hazard(world, "XH-2018", d(2018, 1, 1), S.PENDING, d(2018, 6, 1), "a")  # outside both periods
    _dispute(world, "JF-A-1", d(2017, 3, 1), "settled", "a")
    _dispute(world, "JF-A-2", d(2017, 4, 1), "archived", "a")
    _dispute(world, "JF-A-MASS", d(2017, 5, 1), "mediating", "a", scale="02")
    _dispute(world, "JF-B-1", d(2017, 6, 1), "settled", "b")
    _dispute(world, "JF-OLD-1", d(2016, 6, 1), "settled", "a")
    _dispute(world, "JF-OLD-2", d(2016, 7, 1), "failed", "a")
    _alert(world, "r1", "red", "a", d(2017, 3, 5), status="handled")
    _alert(world, "r2", "red", "a", d(2017, 8, 5))
    _alert(world, "y1", "yellow", "a", d(2017, 9, 5))
    _alert(world, "o-old", "orange", "b", d(2016, 9, 5))
    return world
