"""disputes.anomaly: a village's disputes of one 大类 in the last complete month against its own previous months
(pingan.alerts.anomaly), on planted registers with the expected warnings worked out by hand."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from pingan.alerts.anomaly import add_months
from pingan.alerts.models import Alert, AlertRuleSetting
from pingan.alerts.services import run_scan
from pingan.disputes.alerts import ANOMALY, RULES
from pingan.disputes.models import Dispute
from pingan.disputes.testing import make_dispute

pytestmark = pytest.mark.django_db

NOV = dt.date(2026, 11, 1)


def _now(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=ZoneInfo(timezone.get_current_timezone_name()))


DEC_SCAN = _now(dt.date(2026, 12, 7))   # target 2026-11, history 2025-11 … 2026-10
JAN_SCAN = _now(dt.date(2027, 1, 5))    # target 2026-12, history 2025-12 … 2026-11


@pytest.fixture
def planted(world):
    """Registers planted by hand:

    固庄村委会 (a) 邻里 (02): one 0202 dispute a month from 2025-11 to 2026-10 (mean 1.0), then six in 2026-11
        (four 0202 in the village, one 0201 — same 大类 —, one at its grid), and ten in 2026-12 (current month on
        the December scan: not counted).
        P(X ≥ 6 | λ=1) = 1 − e^-1 (1 + 1 + 1/2 + 1/6 + 1/24 + 1/120) = 1 − 0.3678794 × 2.7166667 = 0.0005942 < 0.001
    矾窑村委会 (b) 婚恋家庭 (01): two 0101 a month from 2025-11 to 2026-11: flat, no warning.
    矾窑村委会 (b) 人格权 (03): none, then two 0399 in 2026-11: 0 → 2, below the minimum of 3, no warning.
    """
    base = make_dispute(world, "a", parties=False)
    Dispute.objects.filter(pk=base.pk).update(registered_on=dt.date(2019, 1, 1))
    base.refresh_from_db()
    made = []

    def plant(place, category, month: dt.date, count: int):
        for i in range(count):
            clone = Dispute.objects.get(pk=base.pk)
            clone.pk = None
            clone.id = None
            clone.number = f"JFT{len(made):05d}"
            clone.jurisdiction = place
            clone.category = category
            clone.registered_on = month + dt.timedelta(days=i)
            made.append(clone)

    for i in range(12):
        plant(world.village("a"), "0202", add_months(NOV, -12 + i), 1)
        plant(world.village("b"), "0101", add_months(NOV, -12 + i), 2)
    plant(world.village("a"), "0202", NOV, 4)
    plant(world.village("a"), "0201", NOV, 1)
    plant(world.grid("a"), "0202", NOV, 1)
    plant(world.village("b"), "0101", NOV, 2)
    plant(world.village("b"), "0399", NOV, 2)
    plant(world.village("a"), "0202", dt.date(2026, 12, 1), 10)
    Dispute.objects.bulk_create(made)
    return made


def test_the_planted_rise_is_warned_about_with_the_numbers_and_nothing_else(world, planted):
    assert run_scan(now=DEC_SCAN, keys=[ANOMALY]) == {ANOMALY: {"raised": 1, "resolved": 0}}
    alert = Alert.objects.get(rule=ANOMALY)
    village = world.village("a")
    assert alert.key == f"disputes.anomaly:{village.pk}:02:2026-11"
    assert alert.title == "固庄村委会邻里类纠纷异常增多（2026年11月）"
    assert alert.reason == ("固庄村委会“邻里”类纠纷登记数：2026年11月 6 件，过去 12 个月平均 1.0 件"
                            "（泊松检验 p=0.0006 < 0.001）。以本村过去各月的平均数为期望值作单侧泊松检验，"
                            "p 值小于检验水平即为异常增多，请研判是否有引发群体性事件的苗头。")
    assert (alert.level, alert.module, alert.data_kind, alert.status) == ("orange", "disputes", "case", "open")
    assert alert.jurisdiction == village
    assert (alert.source_type, alert.source_id, alert.department) == (None, "", None)


def test_the_scan_is_idempotent_and_the_next_month_closes_it_and_warns_again(world, planted):
    run_scan(now=DEC_SCAN, keys=[ANOMALY])
    assert run_scan(now=DEC_SCAN, keys=[ANOMALY]) == {ANOMALY: {"raised": 0, "resolved": 0}}
    # January: December is the month tested. 固庄's 邻里 history 2025-12 … 2026-11 is eleven 1s and the 6:
    # mean 17/12 = 1.41667; P(X ≥ 10 | 1.41667) = e^-λ λ^10/10! (1 + λ/11 + λ²/132 + λ³/1716 + …)
    #   = 0.242521 × (32.560 / 3628800) × 1.14574 = 0.242521 × 8.9727e-6 × 1.14574 = 2.49e-6
    # 矾窑's 人格权: history 2025-12 … 2026-11 holds the two of November, December none: nothing to test.
    assert run_scan(now=JAN_SCAN, keys=[ANOMALY]) == {ANOMALY: {"raised": 1, "resolved": 1}}
    november = Alert.objects.get(key__endswith=":02:2026-11")
    assert (november.status, november.handled_note) == ("handled", "原因已消除")
    december = Alert.objects.get(key__endswith=":02:2026-12")
    assert december.reason.startswith("固庄村委会“邻里”类纠纷登记数：2026年12月 10 件，过去 12 个月平均 1.4 件"
                                      "（泊松检验 p=2.5×10⁻⁶ < 0.001）。")


def test_the_districts_params_are_used(world, planted):
    # At 100 per million (0.0001), p = 0.0005942 is not below the level: no warning.
    AlertRuleSetting.objects.create(jurisdiction=world.county, rule=ANOMALY, params={"alpha_ppm": 100})
    assert run_scan(now=DEC_SCAN, keys=[ANOMALY]) == {ANOMALY: {"raised": 0, "resolved": 0}}
    # At 3 months of history the history is 2026-08 … 2026-10 (three 1s, mean 1.0): the same p fires at
    # 0.001; with at least 7 events, six is not tested.
    AlertRuleSetting.objects.filter(rule=ANOMALY).update(params={"months": 3, "min_history": 3})
    assert run_scan(now=DEC_SCAN, keys=[ANOMALY]) == {ANOMALY: {"raised": 1, "resolved": 0}}
    assert "过去 3 个月平均 1.0 件（泊松检验 p=0.0006 < 0.001）" in Alert.objects.get(rule=ANOMALY).reason
    AlertRuleSetting.objects.filter(rule=ANOMALY).update(params={"min_count": 7})
    assert run_scan(now=DEC_SCAN, keys=[ANOMALY]) == {ANOMALY: {"raised": 0, "resolved": 1}}


def test_a_short_history_raises_nothing(world):
    # Only four months of data before November (2026-07 … 2026-10, one a month), then six: history < 6 months.
    base = make_dispute(world, "a", parties=False)
    Dispute.objects.filter(pk=base.pk).update(registered_on=dt.date(2026, 7, 3))
    for i, day in enumerate([dt.date(2026, 8, 3), dt.date(2026, 9, 3), dt.date(2026, 10, 3)] + [NOV] * 6):
        base.pk = base.id = None
        base.number = f"JFS{i:03d}"
        base.registered_on = day
        base.save()
    assert run_scan(now=DEC_SCAN, keys=[ANOMALY]) == {ANOMALY: {"raised": 0, "resolved": 0}}


def test_another_townships_officer_does_not_see_the_warning(world, planted):
    run_scan(now=DEC_SCAN, keys=[ANOMALY])
    alert = Alert.objects.get(rule=ANOMALY)
    assert Alert.objects.visible_to(world.users["township_a"]).get() == alert
    assert Alert.objects.visible_to(world.users["center_staff"]).get() == alert
    assert not Alert.objects.visible_to(world.users["township_b"]).exists()
    assert not Alert.objects.visible_to(world.users["village_b"]).exists()


def test_the_rule_is_registered_with_editable_params_and_kept_out_of_the_per_dispute_refresh():
    from pingan.alerts.registry import get_rule

    rule = get_rule(ANOMALY)
    assert (rule.module, rule.level, rule.data_kind) == ("disputes", "orange", "case")
    assert rule.defaults == {"months": 12, "min_count": 3, "min_history": 6, "alpha_ppm": 1000}
    assert ANOMALY not in RULES
