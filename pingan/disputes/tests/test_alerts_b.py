"""The disputes module's warning rules: each fires on what it says, says why with numbers and the other
disputes' numbers, closes when its cause is gone, and the parameters set by the district apply."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pingan.alerts.models import Alert, Status
from pingan.alerts.services import rule_setting_save, run_scan
from pingan.cases import engine
from pingan.disputes import alerts as rules
from pingan.disputes import choices as c
from pingan.disputes.models import Dispute

from .b_helpers import S, dispute, party


def scan(*keys):
    return run_scan(keys=list(keys) or list(rules.RULES))


def active(rule):
    return list(Alert.objects.filter(rule=rule, status__in=(Status.OPEN, Status.AGENDA)).order_by("pk"))


def test_repeat_party_names_the_other_dispute_within_30_days(world):
    d1 = dispute(world, "a", registered=dt.date(2017, 3, 1))
    d2 = dispute(world, "a", registered=dt.date(2017, 3, 31))  # 30 days after d1: inside the window
    d3 = dispute(world, "b", registered=dt.date(2017, 5, 1))  # 31 days after d2: outside
    for d in (d1, d2, d3):
        party(d, "张三", id_hash="hash-zhang")
    party(d2, "李四", id_hash="hash-li")
    scan(rules.REPEAT_PARTY)
    [alert] = active(rules.REPEAT_PARTY)
    assert alert.source_id == str(d2.pk) and alert.level == "orange"
    assert f"当事人张三在 {d1.number} 中也是当事人" in alert.reason and "30 天" in alert.reason
    # The district sets 31 days: d3 now repeats d2 too.
    rule_setting_save(actor=world.users["district_admin"], node=world.county, rule=rules.REPEAT_PARTY, enabled=True,
                      params={"days": 31})
    scan(rules.REPEAT_PARTY)
    assert {a.source_id for a in active(rules.REPEAT_PARTY)} == {str(d2.pk), str(d3.pk)}


def test_repeat_place_fires_on_the_third_dispute_of_a_village_within_30_days(world):
    first = dispute(world, "a", registered=dt.date(2017, 3, 1))
    second = dispute(world, "a", registered=dt.date(2017, 3, 10))
    dispute(world, "b", registered=dt.date(2017, 3, 12))  # another village
    scan(rules.REPEAT_PLACE)
    assert active(rules.REPEAT_PLACE) == []
    third = dispute(world, "a", registered=dt.date(2017, 3, 30))  # 03-01 … 03-30 is 30 days
    late = dispute(world, "a", registered=dt.date(2017, 4, 9))  # window 03-11 … 04-09: third and late only
    scan(rules.REPEAT_PLACE)
    [alert] = active(rules.REPEAT_PLACE)
    assert alert.source_id == str(third.pk)
    assert "30 天内登记纠纷 3 件" in alert.reason and first.number in alert.reason and second.number in alert.reason
    assert late.number not in alert.reason


def test_mass_and_many_people(world):
    group = dispute(world, "a", scale=c.Scale.GROUP, people=9)
    major = dispute(world, "a", scale=c.Scale.MAJOR_GROUP, people=40)
    ten = dispute(world, "b", people=10)
    scan(rules.MASS, rules.MANY_PEOPLE)
    levels = {a.source_id: a.level for a in active(rules.MASS)}
    assert levels == {str(group.pk): "orange", str(major.pk): "red"}
    assert {a.source_id for a in active(rules.MANY_PEOPLE)} == {str(major.pk), str(ten.pk)}
    assert "涉及 10 人，达到 10 人" in next(a for a in active(rules.MANY_PEOPLE) if a.source_id == str(ten.pk)).reason


def test_violence_cites_article_25_and_turns_orange_once_the_police_know(world):
    d = dispute(world, "a", violence_risk=True)
    scan(rules.VIOLENCE)
    [red] = active(rules.VIOLENCE)
    assert red.level == "red" and "第二十五条" in red.reason and "尚未报告公安机关" in red.reason
    Dispute.objects.filter(pk=d.pk).update(police_informed_on=dt.date(2017, 3, 2))
    scan(rules.VIOLENCE)
    [orange] = active(rules.VIOLENCE)
    assert orange.level == "orange" and "已于 2017-03-02 报告公安机关" in orange.reason
    assert Alert.objects.get(pk=red.pk).status == Status.HANDLED


def test_overdue_closes_by_itself_when_no_longer_overdue(world):
    d = dispute(world, "a", registered=dt.date(2017, 3, 1))
    assert Dispute.objects.is_overdue(d)
    scan(rules.OVERDUE)
    [alert] = active(rules.OVERDUE)
    assert "仍未办结" in alert.reason and d.number in alert.reason
    Dispute.objects.filter(pk=d.pk).update(due_at=timezone.now() + dt.timedelta(days=5))
    scan(rules.OVERDUE)
    assert active(rules.OVERDUE) == [] and Alert.objects.get(pk=alert.pk).handled_note == "原因已消除"


def test_a_resolved_dispute_closes_its_warnings(world):
    d = dispute(world, "a", scale=c.Scale.GROUP, people=20)
    scan()
    assert {a.rule for a in Alert.objects.filter(source_id=str(d.pk), status=Status.OPEN)} >= {rules.MASS,
                                                                                                rules.MANY_PEOPLE}
    Dispute.objects.filter(pk=d.pk).update(state=S.ARCHIVED, closed_on=dt.date(2017, 3, 9))
    scan()
    assert not Alert.objects.filter(source_id=str(d.pk), rule__startswith="disputes.", status=Status.OPEN).exists()


def test_registration_through_the_engine_raises_at_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        d = Dispute(jurisdiction=world.village("a"), title="群体讨薪", occurred_on=dt.date(2017, 3, 1),
                    registered_on=dt.date(2017, 3, 1), category="07", summary="务工人员讨薪", scale=c.Scale.MAJOR_GROUP,
                    people_count=50)
        engine.case_register(actor=world.officer("a"), case=d)
    rules_fired = set(Alert.objects.filter(source_id=str(d.pk)).values_list("rule", flat=True))
    assert {rules.MASS, rules.MANY_PEOPLE} <= rules_fired


def test_a_rule_switched_off_for_the_township_raises_nothing_there(world):
    rule_setting_save(actor=world.users["district_admin"], node=world.township("a"), rule=rules.MASS, enabled=False,
                      params={})
    dispute(world, "a", scale=c.Scale.GROUP)
    in_b = dispute(world, "b", scale=c.Scale.GROUP)
    scan(rules.MASS)
    assert [a.source_id for a in active(rules.MASS)] == [str(in_b.pk)]


@pytest.mark.parametrize("key", rules.RULES)
def test_rules_are_registered_for_the_disputes_module(key):
    from pingan.alerts.registry import get_rule

    rule = get_rule(key)
    assert rule.module == "disputes" and rule.scan is not None and rule.label
