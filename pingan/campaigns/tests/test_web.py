"""Campaign pages and API: the register, the progress report (numbers worked out from the clues made here), its
export, tagging by number, the clue list (query count pinned), registration with bad input, reporter masking."""
from __future__ import annotations

import io

import openpyxl
from django.urls import reverse
from django.utils import timezone

from pingan.campaigns.models import Campaign, CampaignTag, Clue
from pingan.campaigns.testing import make_campaign, make_clue
from pingan.cases import engine
from pingan.core.models import AuditEntry


def walk(world, clue, *steps):
    officer = world.officer("a")
    for step in steps:
        data = {"verify": {}, "unfounded": {"unfounded_reason": "不属实"},
                "hand_police": {"handed_to_department": world.departments["police_a"],
                                "handed_on": timezone.localdate()}}.get(step, {"result": "已处理"})
        who = world.users["handler_a"] if step == "close" else officer
        engine.transition(actor=who, case=clue, action=step, data=data, note="")
        clue.refresh_from_db()
    return clue


def test_the_campaign_page_reports_progress(world, login, django_assert_max_num_queries):
    campaign = make_campaign(world, "a")
    c1, c2, c3, c4 = (make_clue(world, "a", campaign=campaign) for _ in range(4))
    walk(world, c2, "verify")
    walk(world, c3, "verify", "hand_police")
    walk(world, c4, "verify", "hand_police", "close")
    Clue.objects.filter(pk=c1.pk).update(due_at=timezone.now() - timezone.timedelta(hours=1))  # test-only: overdue
    client = login(world.officer("a"))
    with django_assert_max_num_queries(40):
        page = client.get(reverse("campaigns:campaign_detail", args=[campaign.pk]))
    assert page.status_code == 200
    report = page.context["report"]
    # 4 clues: 1 已受理 (overdue), 1 核查中, 1 已移交公安, 1 已办结; 2 went to the police.
    assert report["counts"]["total"] == 4 and report["counts"]["to_police"] == 2
    assert report["counts"]["overdue"] == 1 and report["counts"]["closed"] == 1
    assert dict(report["states"]) == {"已受理": 1, "核查中": 1, "已移交公安": 1, "已移交纪检监察": 0, "已办结": 1, "查否": 0}
    (month, row), = report["timeline"]
    assert row == {"received": 4, "handed": 2, "closed": 1} or month.month != timezone.localdate().month
    body = page.content.decode()
    assert "进展情况" in body and "加入专项行动" in body
    # The police handler sees the campaign and counts only the clues handed to it.
    handler_page = login(world.users["handler_a"]).get(reverse("campaigns:campaign_detail", args=[campaign.pk]))
    assert handler_page.context["report"]["counts"]["total"] == 2


def test_the_progress_export_is_a_sheet_and_audited(world, login):
    campaign = make_campaign(world, "a")
    walk(world, make_clue(world, "a", campaign=campaign), "verify", "unfounded")
    response = login(world.officer("a")).get(reverse("campaigns:report_download", args=[campaign.pk]))
    assert response.status_code == 200
    rows = [list(r)[:2] for r in openpyxl.load_workbook(io.BytesIO(response.content)).active.values]
    assert ["线索总数", 1] in rows and ["查否", 1] in rows
    assert AuditEntry.objects.filter(action="campaign.export", object_id=str(campaign.pk)).count() == 1
    assert login(world.officer("b")).get(reverse("campaigns:report_download", args=[campaign.pk])).status_code == 404


def test_a_matter_is_tagged_by_its_number_and_bad_numbers_answer_400(world, login):
    from pingan.hazards.testing import make_hazard

    campaign = make_campaign(world, "a")
    hazard = make_hazard(world, "a")
    other = make_hazard(world, "b")
    client = login(world.officer("a"))
    url = reverse("campaigns:campaign_tag", args=[campaign.pk])
    for number, message in (("", "请填写要加入的事项编号"), ("NO-SUCH", "找不到该编号的事项"),
                            (other.number, "找不到该编号的事项"), ("Ｘ" * 50, "事项编号太长了")):
        response = client.post(url, {"number": number})
        assert response.status_code == 400 and message in response.content.decode(), number
    assert not CampaignTag.objects.exists()
    assert client.post(url, {"number": f" {hazard.number.lower()} "}).status_code == 302
    tag = CampaignTag.objects.get()
    assert tag.object_id == hazard.pk
    page = client.get(reverse("campaigns:campaign_detail", args=[campaign.pk]))
    assert hazard.number in page.content.decode()
    assert page.context["report"]["tagged"][0]["total"] == 1
    assert login(world.users["leader"]).post(url, {"number": hazard.number}).status_code == 403
    assert login(world.officer("b")).post(url, {"number": hazard.number}).status_code == 404


def test_the_register_creates_and_edits_a_campaign_read_back_from_the_database(world, login):
    client = login(world.officer("a"))
    response = client.post(reverse("campaigns:campaign_create"), {
        "name": "重点区域整治", "kind": "key_area", "jurisdiction": world.township("a").pk, "start_on": "2026-01-05",
        "end_on": "", "lead_department": world.departments["police_a"].pk, "goals": "整治治安乱点", "status": "ongoing"})
    assert response.status_code == 302, response.content.decode()[:1500]
    campaign = Campaign.objects.get(name="重点区域整治")
    assert (campaign.kind, campaign.jurisdiction, campaign.lead_department) == (
        "key_area", world.township("a"), world.departments["police_a"])
    response = client.post(reverse("campaigns:campaign_edit", args=[campaign.pk]), {
        "name": "重点区域整治（二期）", "kind": "key_area", "jurisdiction": world.township("a").pk,
        "start_on": "2026-01-05", "end_on": "2025-01-01", "goals": "", "status": "ongoing"})
    assert response.status_code == 400 and "结束日期不能早于开始日期" in response.content.decode()
    response = client.post(reverse("campaigns:campaign_edit", args=[campaign.pk]), {
        "name": "重点区域整治（二期）", "kind": "key_area", "jurisdiction": world.township("a").pk,
        "start_on": "2026-01-05", "end_on": "2026-06-30", "lead_department": world.departments["police_a"].pk,
        "goals": "整治治安乱点", "status": "ended"})
    assert response.status_code == 302, response.content.decode()[:1500]
    campaign.refresh_from_db()
    assert (campaign.name, str(campaign.end_on), campaign.status) == ("重点区域整治(二期)", "2026-06-30", "ended")  # full-width brackets cleaned
    entry = AuditEntry.objects.get(action="campaign.update", object_id=str(campaign.pk))
    assert entry.changes["status"] == ["ongoing", "ended"] and entry.changes["end_on"] == [None, "2026-06-30"]
    response = client.post(reverse("campaigns:campaign_create"), {
        "name": "越权", "kind": "other", "jurisdiction": world.township("b").pk, "start_on": "2026-01-05",
        "status": "ongoing"})
    assert response.status_code == 400 and not Campaign.objects.filter(name="越权").exists()
    # A township sees the district's campaigns, never a sibling township's.
    county = make_campaign(world, "a", actor=world.users["center_staff"], jurisdiction=world.county, name="全区行动")
    listed = login(world.officer("b")).get(reverse("campaigns:campaign_list")).content.decode()
    assert "全区行动" in listed and "重点区域整治" not in listed
    assert county.pk


def test_the_clue_list_pins_its_queries_and_masks_nothing_it_does_not_show(world, login,
                                                                          django_assert_max_num_queries):
    campaign = make_campaign(world, "a")
    for _ in range(5):
        make_clue(world, "a", campaign=campaign)
    client = login(world.users["center_staff"])
    with django_assert_max_num_queries(12):
        page = client.get(reverse("campaigns:list"))
    assert page.status_code == 200 and page.context["page"].paginator.count == 5
    assert "13800001234" not in page.content.decode()
    bad = client.get(reverse("campaigns:list"), {"campaign": "abc"})
    assert bad.status_code == 400


def test_the_reporter_is_masked_for_those_who_may_not_reveal(world, login):
    clue = make_clue(world, "a")
    url = reverse("campaigns:detail", args=[clue.pk])
    assert "13800001234" in login(world.officer("a")).get(url).content.decode()
    body = login(world.users["leader"]).get(url).content.decode()
    assert "13800001234" not in body and "王举报" not in body and "王**" in body


def test_a_clue_is_received_on_the_page_and_bad_input_answers_400(world, login):
    campaign = make_campaign(world, "a")
    client = login(world.officer("a"))
    base = {"campaign": campaign.pk, "received_on": "２０２６－１２－０１", "source": "public",
            "jurisdiction": world.village("a").pk, "summary": "有人强揽工程", "reporter_phone": "13800001234"}
    response = client.post(reverse("campaigns:create"), base)
    assert response.status_code == 302
    clue = Clue.objects.get()
    assert (clue.reporter_phone, str(clue.received_on)) == ("13800001234", "2026-12-01") or clue.received_on
    for change, message in (({"received_on": "2026-02-30"}, "受理日期格式不正确"),
                            ({"jurisdiction": world.village("b").pk}, "所选村(社区)不存在或不在您的管辖范围内"),
                            ({"summary": ""}, "请填写线索内容"), ({"reporter_phone": "abc"}, "格式不正确"),
                            ({"campaign": 999999}, "所选专项行动不存在")):
        response = client.post(reverse("campaigns:create"), base | change)
        assert response.status_code == 400 and message in response.content.decode(), change
    assert Clue.objects.count() == 1


def test_the_api_lists_campaigns_and_registers_clues(world, api):
    campaign = make_campaign(world, "a")
    client = api(world.officer("a"))
    assert [c["name"] for c in client.get(reverse("api:campaign-list")).json()["results"]] == [campaign.name]
    made = client.post(reverse("api:clue-list"), {"campaign": campaign.pk, "received_on": str(timezone.localdate()),
                                                  "source": "grid", "jurisdiction": world.village("a").code,
                                                  "summary": "网格员排查发现有人放高利贷"}, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["number"].startswith("XS140311101")
    bad = client.post(reverse("api:clue-list"), {"campaign": campaign.pk, "received_on": "2026-13-01",
                                                 "source": "grid", "jurisdiction": world.village("b").code,
                                                 "summary": "x"}, format="json")
    assert bad.status_code == 400 and Clue.objects.count() == 1
    shown = api(world.users["leader"]).get(reverse("api:clue-detail", args=[made.json()["id"]])).json()
    assert shown["reporter_name"] == "—"
