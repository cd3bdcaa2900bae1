"""The registers of part B: 调解组织, 人民调解员 (another township's refused; cases and subsidy by month on
the page), 排查活动 (the disputes found, counts by state), 补贴标准; role checks, edit forms read back, query
counts pinned on the list pages."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from pingan.core.models import AuditEntry
from pingan.disputes import choices as c
from pingan.disputes import registers as services
from pingan.disputes import subsidy
from pingan.disputes.models import Dispute, MediationOrg, Mediator, ScreeningCampaign, SubsidyRate

from .b_helpers import S, dispute, mediator, org


def test_a_mediator_from_another_township_is_refused(world):
    committee = org(world, "a")
    with pytest.raises(ValidationError, match="不在调解组织.*所在乡镇"):
        services.mediator_create(actor=world.users["district_admin"],
                                 data={"name": "外乡人", "org": committee, "jurisdiction": world.village("b")})
    with pytest.raises(ValidationError, match="属于其他乡镇"):
        services.mediator_create(actor=world.users["district_admin"],
                                 data={"name": "账号错", "org": committee, "user": world.users["mediator_b"]})
    with pytest.raises(ValidationError, match="不是调解员角色"):
        services.mediator_create(actor=world.users["district_admin"],
                                 data={"name": "账号错", "org": committee, "user": world.officer("a")})
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        services.mediator_create(actor=world.officer("b"), data={"name": "越权", "org": committee})
    with pytest.raises(PermissionDenied):
        services.mediator_create(actor=world.users["mediator_a"], data={"name": "自己", "org": committee})
    assert not Mediator.objects.exists()
    m = services.mediator_create(actor=world.officer("a"), data={"name": "本乡人", "org": committee,
                                                                 "user": world.users["mediator_a"]})
    assert m.jurisdiction == world.village("a") and m.user == world.users["mediator_a"]
    assert AuditEntry.objects.filter(action="mediator.create", object_id=str(m.pk)).exists()


def test_an_organisation_with_mediators_cannot_move_to_another_township(world):
    m = mediator(world, "a")
    with pytest.raises(ValidationError, match="不能把组织迁到其他乡镇"):
        services.org_update(actor=world.users["district_admin"], instance=m.org,
                            data={"jurisdiction": world.village("b"), "kind": c.OrgKind.VILLAGE})
    with pytest.raises(ValidationError, match="须设在村"):
        services.org_create(actor=world.users["district_admin"], data={
            "name": "错误委员会", "kind": c.OrgKind.VILLAGE, "jurisdiction": world.township("a")})


def test_rates_are_set_by_the_district_within_bounds(world):
    with pytest.raises(PermissionDenied):
        services.rate_create(actor=world.officer("a"), data={"jurisdiction": world.township("a"),
                                                             "grade": c.Grade.SIMPLE, "amount": Decimal("60")})
    with pytest.raises(ValidationError, match="0 至 100000"):
        services.rate_create(actor=world.users["district_admin"], data={
            "jurisdiction": world.county, "grade": c.Grade.SIMPLE, "amount": Decimal("-1")})
    with pytest.raises(ValidationError, match="区县或乡镇"):
        services.rate_create(actor=world.users["district_admin"], data={
            "jurisdiction": world.village("a"), "grade": c.Grade.SIMPLE, "amount": Decimal("60")})
    rate = services.rate_create(actor=world.users["district_admin"], data={
        "jurisdiction": world.county, "grade": c.Grade.SIMPLE, "amount": Decimal("60")})
    with pytest.raises(ValidationError, match="已设定"):
        services.rate_create(actor=world.users["center_staff"], data={
            "jurisdiction": world.county, "grade": c.Grade.SIMPLE, "amount": Decimal("70")})
    assert services.grade_amounts(world.village("b"))["simple"] == Decimal("60") and rate.pk


def test_the_mediator_page_lists_cases_and_subsidy_by_month(world, client):
    m = mediator(world, "a", name="张调解", user=world.users["mediator_a"])
    d1 = dispute(world, "a", state=S.ARCHIVED, closed=dt.date(2017, 3, 5), grade=c.Grade.MAJOR, who=m)
    dispute(world, "a", state=S.ARCHIVED, closed=dt.date(2017, 4, 5), grade=c.Grade.SIMPLE, who=m)
    subsidy.sheet_build(actor=world.officer("a"), node=world.township("a"), month="2017-03")
    subsidy.sheet_build(actor=world.officer("a"), node=world.township("a"), month="2017-04")
    client.force_login(world.users["mediator_a"])  # their own page
    page = client.get(reverse("disputes:mediators_detail", args=[m.pk])).content.decode()
    assert d1.number in page and "2017年03月" in page and "2017年04月" in page and "200" in page
    client.force_login(world.officer("b"))
    assert client.get(reverse("disputes:mediators_detail", args=[m.pk])).status_code == 404


def test_the_campaign_page_lists_what_it_found_by_state(world, client):
    campaign = services.campaign_create(actor=world.officer("a"), data={
        "name": "春节前矛盾纠纷大排查", "jurisdiction": world.township("a"), "start_on": dt.date(2017, 1, 10),
        "end_on": dt.date(2017, 1, 25)})
    dispute(world, "a", screening=campaign)
    dispute(world, "a", screening=campaign, state=S.MEDIATING)
    dispute(world, "a", screening=campaign, state=S.ARCHIVED, closed=dt.date(2017, 3, 3))
    client.force_login(world.officer("a"))
    page = client.get(reverse("disputes:screenings_detail", args=[campaign.pk])).content.decode()
    assert "排查发现的纠纷（3 件）" in page and "排查登记 1 件" in page and "调处中 1 件" in page
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        services.campaign_update(actor=world.officer("a"), instance=campaign, data={"end_on": dt.date(2017, 1, 1)})


def test_edit_forms_write_through_the_services_and_read_back(world, client):
    m = mediator(world, "a", name="旧名")
    client.force_login(world.officer("a"))
    response = client.post(reverse("disputes:mediators_edit", args=[m.pk]), {
        "name": "新名", "sex": "1", "org": m.org_id, "jurisdiction": world.village("a").pk, "kind": "full",
        "phone": "13912345678", "specialty": "婚姻家庭", "training": "2017年培训", "certified_on": "2016-05-01",
        "active": "on"})
    assert response.status_code == 302
    m.refresh_from_db()
    assert (m.name, m.kind, m.certified_on, m.training) == ("新名", "full", dt.date(2016, 5, 1), "2017年培训")
    # Another township's organisation by id: refused by the form, nothing written.
    other = org(world, "b")
    response = client.post(reverse("disputes:mediators_edit", args=[m.pk]), {
        "name": "再改", "org": other.pk, "kind": "part"})
    assert response.status_code == 400 and "不在您的管辖范围内" in response.content.decode()
    assert Mediator.objects.get(pk=m.pk).name == "新名"
    response = client.post(reverse("disputes:orgs_edit", args=[m.org_id]), {
        "name": "固庄调委会", "kind": "village", "jurisdiction": world.village("a").pk, "active": "on"})
    assert response.status_code == 302 and MediationOrg.objects.get(pk=m.org_id).name == "固庄调委会"
    client.force_login(world.users["district_admin"])
    response = client.post(reverse("disputes:rates_create"), {"jurisdiction": world.county.pk, "grade": "general",
                                                               "amount": "120"})
    assert response.status_code == 302 and SubsidyRate.objects.get().amount == Decimal("120")
    response = client.post(reverse("disputes:rates_create"), {"jurisdiction": world.county.pk, "grade": "major",
                                                               "amount": "两百"})
    assert response.status_code == 400 and "应为数字" in response.content.decode()


def test_roles_leader_reads_mediator_cannot_write(world, client):
    m = mediator(world, "a")
    client.force_login(world.users["leader"])
    assert client.get(reverse("disputes:mediators_list")).status_code == 200
    assert client.post(reverse("disputes:mediators_create"), {"name": "x", "org": m.org_id}).status_code == 403
    client.force_login(world.users["mediator_a"])
    assert client.get(reverse("disputes:orgs_create")).status_code == 403
    client.force_login(world.officer("a"))
    assert client.get(reverse("disputes:rates_create")).status_code == 403


@pytest.mark.parametrize("name", ["orgs", "mediators", "screenings", "rates", "meetings"])
def test_list_pages_have_a_fixed_number_of_queries(world, client, django_assert_max_num_queries, name):
    for i in range(6):
        m = mediator(world, "a", organisation=org(world, "a", name=f"第{i}调委会"), name=f"调解员{i}")
        ScreeningCampaign.objects.create(jurisdiction=world.township("a"), name=f"排查{i}", start_on=dt.date(2017, 1, 1))
        dispute(world, "a", who=m)
    SubsidyRate.objects.create(jurisdiction=world.county, grade=c.Grade.SIMPLE, amount=60)
    client.force_login(world.officer("a"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse(f"disputes:{name}_list"))
    assert response.status_code == 200
    assert Dispute.objects.count() == 6
