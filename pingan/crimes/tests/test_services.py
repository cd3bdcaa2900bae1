"""Writes of the crime statistics: upsert with before/after audit, every bad input refused in Chinese with
nothing written, the police handler's duty, and the 八类 configuration."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pingan.core.models import AuditEntry
from pingan.crimes import services
from pingan.crimes.models import CrimeCategory, CrimeCount


def theft():
    return CrimeCategory.objects.get(code="theft")


def test_a_count_is_created_then_updated_with_before_and_after_in_the_audit(world):
    officer = world.officer("a")
    row, outcome = services.crime_count_set(actor=officer, month="2017-03", township=world.township("a"),
                                            category=theft(), count=12, source="河底派出所月报")
    assert outcome == "created" and row.month == dt.date(2017, 3, 1) and row.entered_by == officer
    assert AuditEntry.objects.filter(action="crimecount.create", object_id=str(row.pk)).count() == 1
    row, outcome = services.crime_count_set(actor=officer, month=dt.date(2017, 3, 20), township=world.township("a"),
                                            category=theft(), count=15)
    assert outcome == "updated" and CrimeCount.objects.get().count == 15
    entry = AuditEntry.objects.get(action="crimecount.update", object_id=str(row.pk))
    assert entry.changes["count"] == [12, 15]
    # The same value again: nothing written, nothing audited.
    _, outcome = services.crime_count_set(actor=officer, month="2017-03", township=world.township("a"),
                                          category=theft(), count=15)
    assert outcome == "unchanged" and AuditEntry.objects.filter(action__startswith="crimecount.").count() == 2


@pytest.mark.parametrize("count, message", [
    (-1, "立案数不能为负数"), ("-3", "立案数不能为负数"), ("3.5", "不是整数"), (2.5, "立案数须为整数"),
    ("abc", "不是整数"), (True, "立案数须为不小于 0 的整数"), ("", "立案数须为不小于 0 的整数"),
    (10 ** 9, "立案数不能大于 100000"),
])
def test_a_bad_count_is_refused_in_chinese_and_nothing_is_written(world, count, message):
    with pytest.raises(ValidationError) as exc:
        services.crime_count_set(actor=world.officer("a"), month="2017-03", township=world.township("a"),
                                 category=theft(), count=count)
    assert message in exc.value.message_dict["count"][0]
    assert not CrimeCount.objects.exists()


def test_full_width_digits_are_read_as_half_width(world):
    row, _ = services.crime_count_set(actor=world.officer("a"), month="２０１７－０３", township=world.township("a"),
                                      category=theft(), count="１２")
    assert (row.month, row.count) == (dt.date(2017, 3, 1), 12)


@pytest.mark.parametrize("month, message", [
    ("2017-13", "月份“2017-13”不存在"), ("2017-3-40", "格式不正确"), ("三月", "格式不正确"), ("", "格式不正确"),
])
def test_an_impossible_month_is_refused(world, month, message):
    with pytest.raises(ValidationError) as exc:
        services.crime_count_set(actor=world.officer("a"), month=month, township=world.township("a"),
                                 category=theft(), count=1)
    assert message in exc.value.message_dict["month"][0]


def test_a_month_in_the_future_is_refused(world):
    from pingan.crimes.months import add_months, this_month

    nxt = add_months(this_month(), 1)
    with pytest.raises(ValidationError) as exc:
        services.crime_count_set(actor=world.officer("a"), month=f"{nxt:%Y-%m}", township=world.township("a"),
                                 category=theft(), count=1)
    assert exc.value.message_dict["month"] == [f"月份 {nxt:%Y-%m} 还未到，不能填报未来月份的立案数"]
    # This month is allowed (figures are entered as the month goes).
    services.crime_count_set(actor=world.officer("a"), month=this_month(), township=world.township("a"),
                             category=theft(), count=1)


def test_another_townships_figures_and_a_village_are_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.crime_count_set(actor=world.officer("a"), month="2017-03", township=world.township("b"),
                                 category=theft(), count=1)
    assert exc.value.message_dict["township"] == ["所选乡镇不在您的管辖范围内"]
    with pytest.raises(ValidationError) as exc:
        services.crime_count_set(actor=world.officer("a"), month="2017-03", township=world.village("a"),
                                 category=theft(), count=1)
    assert exc.value.message_dict["township"] == ["立案数按乡镇（街道）统计，请选择乡镇"]
    assert not CrimeCount.objects.exists()


def test_an_inactive_category_is_refused(world):
    CrimeCategory.objects.filter(code="fraud").update(is_active=False)
    with pytest.raises(ValidationError) as exc:
        services.crime_count_set(actor=world.officer("a"), month="2017-03", township=world.township("a"),
                                 category=CrimeCategory.objects.get(code="fraud"), count=1)
    assert exc.value.message_dict["category"] == ["案件类别不在类别表中"]


def test_the_police_handler_enters_and_another_departments_handler_is_refused_and_audited(world):
    from pingan.accounts.testing import add_role_net_personas

    add_role_net_personas(world)
    row, _ = services.crime_count_set(actor=world.users["handler_a"], month="2017-03", township=world.township("a"),
                                      category=theft(), count=4)
    assert row.entered_by == world.users["handler_a"]
    for name in ("other_handler_a", "mediator_a", "grid_a", "leader"):
        with pytest.raises(PermissionDenied):
            services.crime_count_set(actor=world.users[name], month="2017-04", township=world.township("a"),
                                     category=theft(), count=4)
        assert AuditEntry.objects.filter(action="crimecount.create", actor=world.users[name],
                                         outcome="failure").count() == 1
    assert CrimeCount.objects.count() == 1


def test_the_grid_of_one_month_is_written_whole_or_not_at_all(world):
    cats = {c.code: c for c in CrimeCategory.objects.all()}
    with pytest.raises(ValidationError) as exc:
        services.crime_counts_set(actor=world.officer("a"), month="2017-05", township=world.township("a"),
                                  counts={cats["theft"]: "9", cats["fraud"]: "-2", cats["injury"]: "x"})
    assert exc.value.message_dict == {"count_fraud": ["诈骗：立案数不能为负数"], "count_injury": ["伤害：立案数“x”不是整数"]}
    assert not CrimeCount.objects.exists()
    changed = services.crime_counts_set(actor=world.officer("a"), month="2017-05", township=world.township("a"),
                                        counts={cats["theft"]: "９", cats["fraud"]: "", cats["injury"]: 0})
    assert changed == 2
    assert dict(CrimeCount.objects.values_list("category__code", "count")) == {"theft": 9, "injury": 0}


def test_a_preset_sets_the_eight_kinds_in_one_step_and_is_audited(world):
    admin = world.users["district_admin"]
    changed = services.crime_categories_apply_preset(actor=admin, preset="criminal_law")
    # Police list → Art.17 list: 绑架 and 劫持 leave, 贩卖毒品 and 投放危险物质 join.
    assert sorted(changed) == sorted(["绑架", "劫持", "贩卖毒品", "投放危险物质"])
    assert set(CrimeCategory.objects.filter(serious=True).values_list("code", flat=True)) == {
        "homicide", "injury", "rape", "robbery", "drug_trafficking", "arson", "explosion", "poisoning"}
    assert AuditEntry.objects.filter(action="crimecategory.update").count() == 4
    services.crime_categories_apply_preset(actor=admin, preset="police")
    assert CrimeCategory.objects.filter(serious=True).count() == 8
    with pytest.raises(ValidationError):
        services.crime_categories_apply_preset(actor=admin, preset="nonsense")
    with pytest.raises(PermissionDenied):
        services.crime_categories_apply_preset(actor=world.officer("a"), preset="criminal_law")
    with pytest.raises(ValidationError):
        services.crime_categories_set_serious(actor=admin, codes={"theft", "no-such"})
    assert not CrimeCategory.objects.filter(code="theft", serious=True).exists()
