"""The exports of the people module's list pages (pingan.ledgers.lists): 实有人口 and 特殊人群 in their ledgers'
columns (numbers masked unless asked for in full with a reason; the files re-import), 户, 出租房屋, 逾期走访 and
专项资金 in the columns their pages show."""
from django.db.models import Sum

from pingan.ledgers.lists import ListColumn, ListExport, filterset_query, register_list

from . import filters, selectors
from .models import Fund, Household, Person, RentalHouse, SpecialEnrollment

register_list(ListExport(route="people:person_list", label="实有人口", model=Person, ledger="people",
                         query=filterset_query(filters.PersonFilter, selectors.people, bind_empty=True)))

register_list(ListExport(route="people:special_list", label="特殊人群", model=SpecialEnrollment,
                         ledger="special_people",
                         query=filterset_query(filters.EnrollmentFilter, selectors.enrollments, bind_empty=True)))

register_list(ListExport(
    route="people:household_list", label="户", model=Household,
    query=filterset_query(filters.HouseholdFilter, selectors.households, bind_empty=True),
    columns=(ListColumn("户号", "number"), ListColumn("户别", "get_household_type_display", width=10),
             ListColumn("户主", "head.name", width=10), ListColumn("人数", "n_members", width=8),
             ListColumn("住址", "address", width=30), ListColumn("所属村(社区)", "jurisdiction.parent.name"),
             ListColumn("网格", "jurisdiction.name"))))

register_list(ListExport(
    route="people:rental_list", label="出租房屋", model=RentalHouse,
    query=filterset_query(filters.RentalHouseFilter, selectors.rentals, bind_empty=True),
    columns=(ListColumn("房屋地址", "address", width=30), ListColumn("房主姓名", "owner_name", width=10),
             ListColumn("房主电话（脱敏）", "owner_phone_masked", width=14),
             ListColumn("出租用途", "get_use_display", width=10), ListColumn("出租面积（平方米）", "area", width=10),
             ListColumn("出租间数", "rooms", width=8), ListColumn("承租人数", "n_tenants", width=8),
             ListColumn("所属村(社区)", "jurisdiction.parent.name"), ListColumn("网格", "jurisdiction.name"),
             ListColumn("登记日期", "registered_on", width=12))))


def _overdue(user, params):
    return selectors.overdue(user)


register_list(ListExport(
    route="people:overdue", label="逾期未走访人员", model=SpecialEnrollment, query=_overdue,
    columns=(ListColumn("姓名", "person.name", width=10), ListColumn("类型", "get_kind_display", width=14),
             ListColumn("风险", "risk_label", width=8), ListColumn("应走访日期", "next_visit_on", width=12),
             ListColumn("所属村(社区)", "jurisdiction.parent.name"), ListColumn("网格", "jurisdiction.name"),
             ListColumn("责任人", "responsible_name", width=10))))


def _funds(user, params):
    return (Fund.objects.visible_to(user).select_related("jurisdiction").annotate(spent=Sum("spendings__amount"))
            .order_by("-year", "name"))


register_list(ListExport(
    route="people:fund_list", label="专项资金", model=Fund, query=_funds, read_capability="people.read_health",
    columns=(ListColumn("年度", "year", width=8), ListColumn("资金名称", "name", width=30),
             ListColumn("辖区", "jurisdiction.name"), ListColumn("总额（元）", "amount", width=14),
             ListColumn("已支出（元）", "spent", width=14))))
