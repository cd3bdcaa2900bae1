"""The petitions' warning rules: each raises with its reason in numbers, and closes when the cause is gone."""
import datetime as dt

import pytest

from pingan.alerts.models import Alert
from pingan.alerts.services import rule_setting_save, run_scan
from pingan.cases import engine
from pingan.petitions import choices as c
from pingan.petitions.alerts import RULES
from pingan.petitions.lists import list_attach, list_create
from pingan.petitions.models import Petition
from pingan.petitions.testing import make_petition

from .conftest import BJ

D = dt.date


def _scan(day):
    return run_scan(now=dt.datetime(day.year, day.month, day.day, 10, tzinfo=BJ), keys=list(RULES))


def _open(rule):
    return list(Alert.objects.filter(rule=rule, status__in=["open", "agenda"]).order_by("pk"))


def test_group_and_heading_up(world, clock):
    clock(D(2026, 3, 2))
    group = make_petition(world, "a", head_count=6)
    make_petition(world, "a", head_count=4)
    flagged = make_petition(world, "a", heading_up=True, heading_up_note="扬言进京")
    _scan(D(2026, 3, 2))
    [g] = _open("petitions.group")
    assert g.reason == f"信访事项 {group.number} 人数 6 人，达到集体访预警人数 5 人，尚待受理。"
    [h] = _open("petitions.heading_up")
    assert h.reason == f"信访事项 {flagged.number} 经办人标记信访人有赴省进京倾向：扬言进京；尚待受理。"
    assert h.level == "red"
    engine.transition(actor=world.officer("a"), case=flagged, action="reject",
                      data={"rejection_reason": c.RejectionReason.LEGAL_ROUTE}, note="应通过诉讼解决")
    _scan(D(2026, 3, 2))
    assert _open("petitions.heading_up") == []


def test_repeat_visits_within_30_days(world, clock):
    clock(D(2026, 3, 31))
    same = [{"name": "张三", "phone": "13700001111"}]
    made = [make_petition(world, "a", registered_on=day, petitioners=same)
            for day in (D(2026, 3, 1), D(2026, 3, 15), D(2026, 3, 30))]
    _scan(D(2026, 3, 31))
    [a] = _open("petitions.repeat_visits")
    assert a.reason == (f"信访人张某在 30 天内登记信访 3 次（预警次数 3 次）：{made[0].number}、{made[1].number}、"
                        f"{made[2].number}。")
    assert "13700001111" not in a.reason + a.title
    # On 2026-04-01 the first one (03-01) is 31 days back: two left, the warning closes.
    clock(D(2026, 4, 1))
    _scan(D(2026, 4, 1))
    assert _open("petitions.repeat_visits") == []


def test_sensitive_period_from_the_rule_setting(world, clock):
    clock(D(2026, 3, 8))
    inside = make_petition(world, "a", registered_on=D(2026, 3, 5))
    make_petition(world, "a", registered_on=D(2026, 2, 20))
    _scan(D(2026, 3, 8))
    assert _open("petitions.sensitive_period") == []  # no period set
    rule_setting_save(actor=world.users["district_admin"], node=world.county, rule="petitions.sensitive_period",
                      enabled=True, params={"start": D(2026, 3, 3), "end": D(2026, 3, 15)}, note="全国两会")
    _scan(D(2026, 3, 8))
    [a] = _open("petitions.sensitive_period")
    assert a.reason == f"信访事项 {inside.number} 于 2026-03-05 登记，在敏感时期（2026-03-03 至 2026-03-15）内，尚待受理。"


def test_assigned_overdue_then_reported(world, clock):
    clock(D(2026, 3, 2))
    listed = list_create(actor=world.officer("a"), data={
        "title": "市交办清单", "assigning_body": "市信访局", "level": "city", "received_on": D(2026, 3, 1),
        "deadline": D(2026, 3, 10)})
    p = make_petition(world, "a", registered_on=D(2026, 3, 2))
    list_attach(actor=world.officer("a"), assigned_list=listed, petitions=[p])
    clock(D(2026, 3, 14))
    _scan(D(2026, 3, 14))
    [a] = _open("petitions.assigned_overdue")
    assert a.reason == (f"《市交办清单》（市信访局交办）中的 {p.number} 办理期限 2026-03-10，至 2026-03-14 已逾期 4 天，"
                        "尚待受理。")
    Petition.objects.filter(pk=p.pk).update(assigned_list=None)
    _scan(D(2026, 3, 14))
    assert _open("petitions.assigned_overdue") == []


def test_bad_params_refused(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        rule_setting_save(actor=world.users["district_admin"], node=world.county, rule="petitions.group",
                          enabled=True, params={"people": -1})
    with pytest.raises(ValidationError):
        rule_setting_save(actor=world.users["district_admin"], node=world.county, rule="petitions.sensitive_period",
                          enabled=True, params={"start": "2026-02-30", "end": D(2026, 3, 1)})
