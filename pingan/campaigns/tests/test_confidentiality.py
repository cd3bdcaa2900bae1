"""举报线索保密: clues are their own data kind ("clue"). The township office, the centre and the leader read them by
place, the unit a clue is handed to reads the clues handed to it, and the village officer, the grid worker and
the mediator of the clue's own village read none of them: not the page, the list, the queue, the API, the
campaign's progress report or its export, nor the case layer's rows about a clue. Expected values by hand."""
from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from pingan.accounts import permissions
from pingan.campaigns.models import Clue
from pingan.campaigns.testing import discipline_department, make_campaign, make_clue
from pingan.cases import engine
from pingan.cases.models import Extension, Supervision, TransitionLog
from pingan.core import registry
from pingan.core.models import AuditEntry

OUTSIDERS = ("village_a", "grid_a", "mediator_a")  # all three sit in (or over) the clue's village
READERS = ("township_a", "center_staff", "district_admin", "leader")


def hand(world, clue, to: str):
    """核查 then 移交 by township A's office: to 'police' (police_a) or 'discipline' (区纪委监委)."""
    officer = world.officer("a")
    engine.transition(actor=officer, case=clue, action="verify", data={}, note="")
    action, dept = (("hand_police", world.departments["police_a"]) if to == "police"
                    else ("hand_discipline", discipline_department(world)))
    engine.transition(actor=officer, case=clue, action=action,
                      data={"handed_to_department": dept, "handed_on": timezone.localdate()}, note="")
    clue.refresh_from_db()
    return clue


@pytest.fixture
def clue(world):
    """A clue about 固庄村 (village A) naming its reporter, with a 督办 of the centre on it."""
    made = make_clue(world, "a", summary="固庄村村委会主任强揽工程、欺压村民", involved="村委会主任某甲",
                     reporter_name="王举报", reporter_phone="13800001234")
    engine.supervise(actor=world.users["center_staff"], case=made, note="请抓紧核查")
    made.refresh_from_db()
    return made


def test_the_role_table_gives_clues_to_the_township_the_centre_the_leader_and_the_receiving_unit():
    expected = {"district_admin": "place", "center_staff": "place", "township_officer": "place", "leader": "place",
                "dept_handler": "assigned", "village_officer": None, "grid_worker": None, "mediator": None,
                "auditor": None, "security_admin": None}
    assert {role: permissions.data_access(role, "clue") for role in expected} == expected
    # The rest of the village's data is as before: the clue kind took nothing away from the case kind.
    assert permissions.data_access("village_officer", "case") == "place"
    assert permissions.data_access("grid_worker", "case") == "place"


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_the_village_the_grid_and_the_mediator_get_nothing_of_their_own_villages_clue(world, login, api, clue,
                                                                                     persona):
    user = world.users[persona]
    client = login(user)
    assert client.get(reverse("campaigns:detail", args=[clue.pk])).status_code == 404
    assert client.get(reverse("core:history", args=["campaigns.clue", clue.pk])).status_code == 404
    listed = client.get(reverse("campaigns:list"))
    assert listed.status_code == 403 and clue.number not in listed.content.decode()
    assert AuditEntry.objects.filter(action="permission_denied", actor=user,
                                     object_repr=reverse("campaigns:list")).count() == 1
    queue = client.get(reverse("campaigns:queue"))
    assert queue.status_code == 403 and clue.number not in queue.content.decode()
    assert AuditEntry.objects.filter(action="permission_denied", actor=user,
                                     object_repr=reverse("campaigns:queue")).count() == 1
    # The campaign itself is a programme they may see; its page and export carry no clue part at all.
    page = client.get(reverse("campaigns:campaign_detail", args=[clue.campaign_id]))
    body = page.content.decode()
    assert page.status_code == 200 and page.context["report"]["sees_clues"] is False
    assert "线索总数" not in body and "进展情况</h2>" not in body and clue.number not in body
    sheet = client.get(reverse("campaigns:report_download", args=[clue.campaign_id]))
    rows = [list(r) for r in openpyxl.load_workbook(io.BytesIO(sheet.content)).active.values]
    assert sheet.status_code == 200 and [row[0] for row in rows] == [f"{clue.campaign.name} 进展情况", "关联事项"]
    # The API: an empty list, the clue's own routes 404.
    caller = api(user)
    assert caller.get(reverse("api:clue-list")).json()["count"] == 0
    assert caller.get(reverse("api:clue-detail", args=[clue.pk])).status_code == 404
    # The case layer's rows about the clue (its log, the 督办) are clue rows too.
    assert not TransitionLog.objects.visible_to(user).filter(case_type="campaigns.clue").exists()
    assert not Supervision.objects.visible_to(user).filter(case_type="campaigns.clue").exists()
    # The menu does not offer the clue list, nor does the campaigns page's shortcut (a button leading to a 403).
    assert "campaigns_clues" not in {item.key for item in registry.nav_items(user)}
    campaigns = client.get(reverse("campaigns:campaign_list")).content.decode()
    assert f'href="{reverse("campaigns:list")}"' not in campaigns


def test_an_outsider_cannot_move_a_clue_and_nothing_is_written(world, login, api, clue):
    """The village officer may write cases of its village, but a clue does not exist for it."""
    client = login(world.users["village_a"])
    response = client.post(reverse("campaigns:act", args=[clue.pk]), {"action": "verify", "note": "自查"})
    assert response.status_code == 404
    response = api(world.users["grid_a"]).post(reverse("api:clue-act", args=[clue.pk]), {"action": "verify"},
                                                 format="json")
    assert response.status_code == 404
    clue.refresh_from_db()
    assert clue.state == "received"
    assert TransitionLog.objects.for_case(clue).count() == 2  # 登记 and 督办, nothing of theirs


@pytest.mark.parametrize("persona", READERS)
def test_the_township_the_centre_and_the_leader_read_the_clue(world, login, api, clue, persona):
    user = world.users[persona]
    client = login(user)
    assert clue.number in client.get(reverse("campaigns:detail", args=[clue.pk])).content.decode()
    listed = client.get(reverse("campaigns:list"))
    assert listed.status_code == 200 and listed.context["page"].paginator.count == 1
    assert client.get(reverse("campaigns:queue")).status_code == 200
    assert [row["number"] for row in api(user).get(reverse("api:clue-list")).json()["results"]] == [clue.number]
    report = client.get(reverse("campaigns:campaign_detail", args=[clue.campaign_id])).context["report"]
    assert report["sees_clues"] is True and report["counts"]["total"] == 1 and report["counts"]["received"] == 1
    sheet = client.get(reverse("campaigns:report_download", args=[clue.campaign_id]))
    rows = [list(r)[:2] for r in openpyxl.load_workbook(io.BytesIO(sheet.content)).active.values]
    assert ["线索总数", 1] in rows and ["已受理", 1] in rows
    assert Supervision.objects.visible_to(user).filter(case_type="campaigns.clue").count() == 1
    assert "campaigns_clues" in {item.key for item in registry.nav_items(user)}


def test_the_campaigns_page_offers_the_clue_list_to_those_who_read_clues(world, login):
    body = login(world.officer("a")).get(reverse("campaigns:campaign_list")).content.decode()
    assert f'href="{reverse("campaigns:list")}"' in body and "专项行动线索" in body


def test_the_sibling_township_sees_none_of_it(world, login, clue):
    client = login(world.officer("b"))
    assert client.get(reverse("campaigns:detail", args=[clue.pk])).status_code == 404
    assert client.get(reverse("campaigns:list")).context["page"].paginator.count == 0


def test_a_handler_reads_only_the_clues_handed_to_its_department(world, login, api):
    campaign = make_campaign(world, "a")
    to_police = hand(world, make_clue(world, "a", campaign=campaign, summary="有人放高利贷"), "police")
    to_discipline = hand(world, make_clue(world, "a", campaign=campaign, summary="村干部侵占集体资金"), "discipline")
    not_handed = make_clue(world, "a", campaign=campaign, summary="有人欺行霸市")
    handler = world.users["handler_a"]  # 河底派出所 (police_a)
    client = login(handler)
    assert client.get(reverse("campaigns:detail", args=[to_police.pk])).status_code == 200
    for other in (to_discipline, not_handed):
        assert client.get(reverse("campaigns:detail", args=[other.pk])).status_code == 404
    listed = client.get(reverse("campaigns:list"))
    assert [c.number for c in listed.context["page"].object_list] == [to_police.number]
    assert [row["number"] for row in api(handler).get(reverse("api:clue-list")).json()["results"]] == [
        to_police.number]
    report = client.get(reverse("campaigns:campaign_detail", args=[campaign.pk])).context["report"]
    assert report["counts"]["total"] == 1 and report["counts"]["to_police"] == 1
    assert report["counts"]["to_discipline"] == 0
    # Its log rows: those written once the clue was its department's (the hand-over), none of the others'.
    logs = TransitionLog.objects.visible_to(handler).filter(case_type="campaigns.clue")
    assert set(logs.values_list("case_id", flat=True)) == {to_police.pk}
    # The county's police and township B's 派出所 were handed none of the three.
    assert api(world.users["county_handler"]).get(reverse("api:clue-list")).json()["count"] == 0
    assert Clue.objects.visible_to(world.users["handler_b"]).count() == 0


def test_an_extension_asked_on_a_clue_is_not_seen_by_the_village(world, clue):
    engine.extension_request(actor=world.officer("a"), case=clue, reason="材料未到",
                             new_deadline=timezone.localtime(clue.due_at).date() + timezone.timedelta(days=10))
    assert Extension.objects.visible_to(world.officer("a")).filter(case_type="campaigns.clue").count() == 1
    for persona in OUTSIDERS:
        assert not Extension.objects.visible_to(world.users[persona]).exists(), persona
