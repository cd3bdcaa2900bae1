"""events.anomaly: a village's grid events of one 大类 in the last complete month against its own previous months
(pingan.alerts.anomaly), on planted events with the expected warning worked out by hand."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from pingan.alerts.anomaly import add_months
from pingan.alerts.models import Alert
from pingan.alerts.services import run_scan
from pingan.events.alerts import ANOMALY
from pingan.events.choices import EventState
from pingan.events.models import Event

pytestmark = pytest.mark.django_db

NOV = dt.date(2026, 11, 1)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=ZoneInfo(timezone.get_current_timezone_name()))


DEC_SCAN = _at(dt.date(2026, 12, 7))


@pytest.fixture
def planted(world, cats):
    """Events planted by hand:

    固庄 (a) 环境卫生 (04): one 垃圾堆放 a month at its grid from 2025-11 to 2026-10 (mean 1.0); in 2026-11 four at
        the grid and two at the village itself from
        2026-11-01 00:00 local (6), plus one 重复件 (not counted) and one on 2026-12-01 00:30 local
        (December: not counted).
        P(X ≥ 6 | λ=1) = 1 − e^-1 (1 + 1 + 1/2 + 1/6 + 1/24 + 1/120) = 1 − 0.3678794 × 2.7166667 = 0.0005942 < 0.001
        (had the duplicate counted, 7: P(X ≥ 7 | 1) = 0.0000832, "p=0.0001")
    矾窑 (b) 安全隐患 (03): three 燃气泄漏隐患 a month from 2025-11 to 2026-11: flat, no warning.
    矾窑 (b) 矛盾纠纷线索 (01): none, then two 家庭矛盾 in 2026-11: 0 → 2, below the minimum of 3.
    """
    made = []

    def plant(place, category, day: dt.date, count: int, *, state=EventState.REPORTED, hour=10):
        for i in range(count):
            made.append(Event(number=f"SJT{len(made):05d}", category=category, description="测试事件",
                              jurisdiction=place, reported_at=_at(day + dt.timedelta(days=i), hour), state=state))

    for i in range(12):
        month = add_months(NOV, -12 + i)
        plant(world.grid("a"), cats["garbage"], month, 1)
        plant(world.grid("b"), cats["gas"], month, 3)
    plant(world.grid("a"), cats["garbage"], NOV, 4)
    plant(world.village("a"), cats["garbage"], NOV, 2, hour=0)  # 2026-11-01 00:00 local is still October in UTC
    plant(world.grid("a"), cats["garbage"], NOV, 1, state=EventState.DUPLICATE)
    plant(world.grid("a"), cats["garbage"], dt.date(2026, 12, 1), 1, hour=0)
    plant(world.grid("b"), cats["gas"], NOV, 3)
    plant(world.grid("b"), cats["family"], NOV, 2)
    Event.objects.bulk_create(made)
    return made


def test_the_planted_rise_is_warned_about_with_the_numbers_and_nothing_else(world, cats, planted):
    assert run_scan(now=DEC_SCAN, keys=[ANOMALY]) == {ANOMALY: {"raised": 1, "resolved": 0}}
    alert = Alert.objects.get(rule=ANOMALY)
    village = world.village("a")
    assert alert.key == f"events.anomaly:{village.pk}:{cats['env'].pk}:2026-11"
    assert alert.title == "固庄村委会环境卫生类事件异常增多（2026年11月）"
    assert alert.reason == ("固庄村委会“环境卫生”类网格事件上报数：2026年11月 6 件，过去 12 个月平均 1.0 件"
                            "（泊松检验 p=0.0006 < 0.001）。以本村过去各月的平均数为期望值作单侧泊松检验，"
                            "p 值小于检验水平即为异常增多，请研判是否有引发群体性事件的苗头。")
    assert (alert.level, alert.module, alert.data_kind, alert.jurisdiction) == ("orange", "events", "case", village)
    assert run_scan(now=DEC_SCAN, keys=[ANOMALY]) == {ANOMALY: {"raised": 0, "resolved": 0}}


def test_the_warning_closes_when_its_month_is_no_longer_the_last_complete_one(world, cats, planted):
    run_scan(now=DEC_SCAN, keys=[ANOMALY])
    # January: December holds one event of 固庄's 环境卫生 (below 3): nothing is yielded, November's closes.
    assert run_scan(now=_at(dt.date(2027, 1, 4)), keys=[ANOMALY]) == {ANOMALY: {"raised": 0, "resolved": 1}}
    assert Alert.objects.get(rule=ANOMALY).handled_note == "原因已消除"


def test_another_townships_officer_does_not_see_the_warning(world, planted):
    run_scan(now=DEC_SCAN, keys=[ANOMALY])
    alert = Alert.objects.get(rule=ANOMALY)
    assert Alert.objects.visible_to(world.users["township_a"]).get() == alert
    assert Alert.objects.visible_to(world.users["village_a"]).get() == alert
    assert not Alert.objects.visible_to(world.users["township_b"]).exists()
    assert not Alert.objects.visible_to(world.users["village_b"]).exists()
    assert not Alert.objects.visible_to(world.users["handler_a"]).exists()  # no department's case


def test_no_events_no_warnings(world):
    assert run_scan(now=DEC_SCAN, keys=[ANOMALY]) == {ANOMALY: {"raised": 0, "resolved": 0}}
