"""Campaign writes: a campaign's rules, a clue's registration and its workflow to the end, tagging, each with
its audit entry and its bad input answered in Chinese with nothing written."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pingan.campaigns import services
from pingan.campaigns.models import Campaign, CampaignTag, Clue
from pingan.campaigns.testing import discipline_department, make_campaign, make_clue
from pingan.cases import engine
from pingan.core.models import AuditEntry


def test_a_campaign_is_set_up_and_changed_with_its_audit_entries(world):
    campaign = make_campaign(world, "a")
    assert AuditEntry.objects.filter(action="campaign.create", object_id=str(campaign.pk)).count() == 1
    services.campaign_update(actor=world.officer("a"), instance=campaign, data={"status": "ended",
                                                                              "end_on": timezone.localdate()})
    campaign.refresh_from_db()
    assert campaign.status == "ended"
    entry = AuditEntry.objects.get(action="campaign.update", object_id=str(campaign.pk))
    assert entry.changes["status"] == ["ongoing", "ended"]


@pytest.mark.parametrize("overrides, field, message", [
    ({"name": "  "}, "name", "请填写行动名称。"),
    ({"kind": "nonsense"}, "kind", "请选择行动类别。"),
    ({"end_on": dt.date(2000, 1, 1)}, "end_on", "结束日期不能早于开始日期"),
    ({"jurisdiction": "village"}, "jurisdiction", "专项行动的范围须为全区或一个乡镇（街道）。"),
    ({"jurisdiction": "county"}, "jurisdiction", "所选范围不在您的管辖范围内。"),
    ({"jurisdiction": "township_b"}, "jurisdiction", "所选范围不在您的管辖范围内。"),
    ({"lead_department": "police_b"}, "lead_department", "所选牵头单位不存在或不在您的管辖范围内。"),
])
def test_a_bad_campaign_is_refused_in_chinese(world, overrides, field, message):
    value = next(iter(overrides.values()))
    if value == "village":
        overrides = {"jurisdiction": world.village("a")}
    elif value == "county":
        overrides = {"jurisdiction": world.county}
    elif value == "township_b":
        overrides = {"jurisdiction": world.township("b")}
    elif value == "police_b":
        overrides = {"lead_department": world.departments["police_b"]}
    with pytest.raises(ValidationError) as exc:
        make_campaign(world, "a", **overrides)
    assert message in exc.value.message_dict[field][0]
    assert not Campaign.objects.exists()


def test_a_clue_is_received_with_its_number_and_its_reporter_encrypted_and_redacted(world):
    clue = make_clue(world, "a")
    assert clue.number.startswith("XS140311101") and clue.state == "received"
    # Due at the close of office hours of the 15th working day after receipt (the engine's calendar).
    assert clue.due_at is not None and clue.due_at.date() > clue.received_on + dt.timedelta(days=14)
    from django.db import connection

    with connection.cursor() as cursor:  # the stored columns, not the decrypted values
        cursor.execute("SELECT reporter_name, reporter_phone FROM campaigns_clue WHERE id = %s", [clue.pk])
        raw = cursor.fetchone()
    assert raw[0].startswith("v1.") and raw[1].startswith("v1.")
    assert "王举报" not in raw[0] and "13800001234" not in raw[1]
    entry = AuditEntry.objects.get(action="clue.create", object_id=str(clue.pk))
    assert "王举报" not in str(entry.changes) and "13800001234" not in str(entry.changes)


def test_an_anonymous_clue_keeps_no_reporter(world):
    clue = make_clue(world, "a", anonymous=True)
    clue.refresh_from_db()
    assert (clue.reporter_name, clue.reporter_phone) == ("", "")


@pytest.mark.parametrize("overrides, field, message", [
    ({"received_on": "tomorrow"}, "received_on", "受理日期不能晚于今天。"),
    ({"received_on": "before"}, "received_on", "受理日期不能早于专项行动开始日期"),
    ({"source": "x"}, "source", "请选择线索来源。"),
    ({"summary": " "}, "summary", "请填写线索内容。"),
    ({"reporter_phone": "12345"}, "reporter_phone", "格式不正确"),
    ({"jurisdiction": "village_b"}, "jurisdiction", "所选村(社区)不在您的管辖范围内。"),
    ({"jurisdiction": "township_a"}, "jurisdiction", "请选择线索涉及的村(社区)。"),
])
def test_a_bad_clue_is_refused_in_chinese_and_nothing_is_written(world, overrides, field, message):
    campaign = make_campaign(world, "a")
    value = next(iter(overrides.values()))
    today = timezone.localdate()
    replace = {"tomorrow": today + dt.timedelta(days=1), "before": campaign.start_on - dt.timedelta(days=1),
               "village_b": world.village("b"), "township_a": world.township("a")}
    key = next(iter(overrides))
    data = {key: replace.get(value, value)} if isinstance(value, str) else overrides
    with pytest.raises(ValidationError) as exc:
        make_clue(world, "a", campaign=campaign, **data)
    assert message in exc.value.message_dict[field][0]
    assert not Clue.objects.exists()


def test_a_clue_outside_the_campaigns_place_is_refused(world):
    campaign = make_campaign(world, "b")
    with pytest.raises(ValidationError) as exc:
        make_clue(world, "a", campaign=campaign, actor=world.users["center_staff"])
    assert "不在专项行动" in exc.value.message_dict["jurisdiction"][0]


def test_a_clue_goes_to_the_police_who_see_it_and_close_it(world):
    clue = make_clue(world, "a")
    officer, handler = world.officer("a"), world.users["handler_a"]
    assert not Clue.objects.visible_to(handler).filter(pk=clue.pk).exists()
    engine.transition(actor=officer, case=clue, action="verify", data={"verification_note": "基本属实"}, note="")
    # Handing over to a department that is not the police is refused by field.
    with pytest.raises(ValidationError) as exc:
        engine.transition(actor=officer, case=clue, action="hand_police",
                          data={"handed_to_department": discipline_department(world),
                                "handed_on": timezone.localdate()}, note="")
    assert "不是公安部门" in exc.value.message_dict["handed_to_department"][0]
    with pytest.raises(ValidationError) as exc:
        engine.transition(actor=officer, case=clue, action="hand_police",
                          data={"handed_to_department": world.departments["police_a"],
                                "handed_on": timezone.localdate() + dt.timedelta(days=1)}, note="")
    assert exc.value.message_dict["handed_on"] == ["移交日期不能晚于今天。"]
    engine.transition(actor=officer, case=clue, action="hand_police",
                      data={"handed_to_department": world.departments["police_a"],
                            "handed_on": timezone.localdate()}, note="")
    clue.refresh_from_db()
    assert clue.state == "handed_police"
    assert Clue.objects.visible_to(handler).filter(pk=clue.pk).exists()
    assert not Clue.objects.visible_to(world.users["handler_b"]).filter(pk=clue.pk).exists()
    engine.transition(actor=handler, case=clue, action="close", data={"result": "已刑事拘留"}, note="")
    clue.refresh_from_db()
    assert (clue.state, clue.result, clue.closed_on) == ("closed", "已刑事拘留", timezone.localdate())
    assert clue.due_at is None


def test_an_unfounded_clue_is_closed_with_its_reason(world):
    clue = make_clue(world, "a")
    engine.transition(actor=world.officer("a"), case=clue, action="verify", data={}, note="")
    with pytest.raises(ValidationError):
        engine.transition(actor=world.officer("a"), case=clue, action="unfounded", data={}, note="")
    engine.transition(actor=world.officer("a"), case=clue, action="unfounded",
                      data={"unfounded_reason": "反映问题不属实"}, note="")
    clue.refresh_from_db()
    assert clue.state == "unfounded" and clue.closed_at is not None


def test_tagging_a_hazard_is_audited_scoped_and_done_once(world):
    from pingan.hazards.testing import make_hazard

    campaign = make_campaign(world, "a")
    hazard = make_hazard(world, "a")
    assert services.find_case(world.officer("a"), hazard.number.lower()) == hazard
    assert services.find_case(world.officer("b"), hazard.number) is None
    tag = services.campaign_tag_add(actor=world.officer("a"), campaign=campaign, obj=hazard)
    assert tag.jurisdiction == hazard.jurisdiction
    assert AuditEntry.objects.filter(action="campaigntag.create", object_id=str(tag.pk)).count() == 1
    with pytest.raises(ValidationError) as exc:
        services.campaign_tag_add(actor=world.officer("a"), campaign=campaign, obj=hazard)
    assert "已加入此专项行动" in exc.value.message_dict["number"][0]
    other = make_hazard(world, "b")
    with pytest.raises(ValidationError):
        services.campaign_tag_add(actor=world.officer("a"), campaign=campaign, obj=other)
    with pytest.raises(PermissionDenied):
        services.campaign_tag_add(actor=world.users["grid_a"], campaign=campaign, obj=hazard)
    assert CampaignTag.objects.count() == 1
    services.campaign_tag_remove(actor=world.officer("a"), tag=tag)
    assert not CampaignTag.objects.exists()
    assert AuditEntry.objects.filter(action="campaigntag.delete").count() == 1


def test_the_leader_and_a_mediator_cannot_set_up_or_receive(world):
    for name in ("leader", "mediator_a", "grid_a"):
        with pytest.raises(PermissionDenied):
            make_campaign(world, "a", actor=world.users[name])
        assert AuditEntry.objects.filter(action="campaign.create", actor=world.users[name],
                                         outcome="failure").count() == 1
    campaign = make_campaign(world, "a")
    with pytest.raises(PermissionDenied):
        make_clue(world, "a", campaign=campaign, actor=world.users["village_a"])
    assert not Clue.objects.exists()
