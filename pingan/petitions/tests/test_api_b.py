"""The part-2 API (pingan/petitions/api/views_b.py): 交办清单, 领导接访 and the repeat panel, as township A's
officer (the owner), township B's officer (A's ids and codes: 404 or 400, nothing written), the 派出所's
handler, the leader (reads, writes nothing) and bad input (wrong types, missing fields, impossible dates,
full-width characters, huge strings). Expected values are worked out by hand in the comments."""
import datetime as dt
import json

import pytest
from drf_spectacular.generators import SchemaGenerator

from pingan.cases import engine
from pingan.core.models import AuditEntry
from pingan.petitions import choices as c
from pingan.petitions.lists import list_attach, list_create
from pingan.petitions.models import AssignedList, LeaderReception, Petition
from pingan.petitions.receptions import reception_save
from pingan.petitions.testing import make_petition

pytestmark = pytest.mark.django_db

D = dt.date
LISTS = "/api/v1/petitions/lists/"
RECEPTIONS = "/api/v1/petitions/receptions/"


def repeats_url(petition):
    return f"/api/v1/petitions/{petition.pk}/repeats/"


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def writes():
    """What a refused request must leave as it was: rows of the three models and successful audit entries."""
    return (AssignedList.objects.count(), LeaderReception.objects.count(),
            list(Petition.objects.order_by("pk").values_list("pk", "assigned_list_id", "source", "repeat_of_id",
                                                             "repeat_checked")),
            AuditEntry.objects.filter(outcome="success").count())


def make_list(world, side="a", **extra):
    return list_create(actor=world.officer(side), data={
        "title": "市交办清单", "assigning_body": "市信访局", "level": "city", "received_on": D(2026, 3, 1),
        "deadline": D(2026, 3, 20), **extra})


def conclude(world, petition):
    """受理 then 办结 by township A's officer (the case layer's steps)."""
    officer = world.officer("a")
    today = D(2026, 3, 25)
    engine.transition(actor=officer, case=petition, action="accept", data={"accepted_on": today})
    engine.transition(actor=officer, case=petition, action="conclude", data={
        "opinion": c.Opinion.SUPPORT, "opinion_reasons": "诉求合理，予以支持", "reply_on": today, "sanwei_solved": True})


# --- 交办清单 ----------------------------------------------------------------------------------------------------
def test_the_officer_creates_a_list_and_reads_it_back(world, api, clock):
    clock(D(2026, 3, 25))
    client = api(world.officer("a"))
    made = post(client, LISTS, {"title": "市交办清单第３批", "assigning_body": "市信访局", "level": "city",
                                "received_on": "2026-03-01", "deadline": "2026-03-20",
                                "report_requirement": "逐件报告办理结果"})
    assert made.status_code == 201, made.json()
    body = made.json()
    # The place is the officer's own township (河底镇, 140311101); the full-width 3 is made half-width.
    assert {k: body[k] for k in ("title", "assigning_body", "level", "level_display", "received_on", "deadline",
                                 "report_requirement", "reported_on", "report_text", "jurisdiction",
                                 "jurisdiction_name", "progress", "items")} == {
        "title": "市交办清单第3批", "assigning_body": "市信访局", "level": "city", "level_display": "市",
        "received_on": "2026-03-01", "deadline": "2026-03-20", "report_requirement": "逐件报告办理结果",
        "reported_on": None, "report_text": "", "jurisdiction": "140311101", "jurisdiction_name": "河底镇",
        "progress": {"total": 0, "finished": 0, "percent": 0, "overdue": 0}, "items": []}
    row = AssignedList.objects.get(pk=body["id"])
    assert (row.title, row.assigning_body, row.level, row.received_on, row.deadline, row.report_requirement,
            row.jurisdiction_id, row.created_by_id) == (
        "市交办清单第3批", "市信访局", "city", D(2026, 3, 1), D(2026, 3, 20), "逐件报告办理结果",
        world.township("a").pk, world.officer("a").pk)
    entry = AuditEntry.objects.get(action="assignedlist.create")
    assert entry.actor_id == world.officer("a").pk and entry.outcome == "success" and entry.object_id == str(row.pk)
    # The centre names the receiving township by its code.
    made = post(api(world.users["center_staff"]), LISTS, {
        "title": "省交办清单", "assigning_body": "省信访局", "level": "province", "received_on": "2026-03-02",
        "deadline": "2026-04-01", "jurisdiction": "１４０３１１１００"})
    assert made.status_code == 201 and made.json()["jurisdiction_name"] == "荫营镇"


def test_a_list_shows_progress_and_items_worked_by_hand(world, api, clock, django_assert_max_num_queries):
    clock(D(2026, 3, 25))
    listed = make_list(world)
    items = [make_petition(world, "a", registered_on=D(2026, 3, 2)) for _ in range(3)]
    client = api(world.officer("a"))
    # Two by id, one by number written full-width in lower case (made half-width, upper case).
    width = str.maketrans("0123456789abcdefghijklmnopqrstuvwxyz", "０１２３４５６７８９ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ")
    done = post(client, f"{LISTS}{listed.pk}/attach/", {"petitions": [items[0].pk, items[1].pk, items[0].pk],
                                                        "numbers": [items[2].number.lower().translate(width)]})
    assert done.status_code == 200, done.json()
    for p in Petition.objects.filter(pk__in=[i.pk for i in items]):
        assert (p.assigned_list_id, p.source, p.assigning_body) == (listed.pk, c.Source.ASSIGNED, "市信访局")
    assert AuditEntry.objects.filter(action="petition.list_attach", outcome="success").count() == 3
    conclude(world, Petition.objects.get(pk=items[0].pk))
    body = client.get(f"{LISTS}{listed.pk}/").json()
    # 待受理 items registered 3-02 are due 15 days later, 3-17, before the list's 3-20: on 3-25 they are 8 days
    # late. The concluded one is finished: 1 of 3 = 33 % (rounded down), 2 overdue.
    assert body["progress"] == {"total": 3, "finished": 1, "percent": 33, "overdue": 2}
    rows = [(i["number"], i["due_on"], i["finished"], i["overdue_days"], i["state_display"]) for i in body["items"]]
    assert rows == [
        (items[0].number, "2026-03-20", True, 0, "已办结"), (items[1].number, "2026-03-17", False, 8, "待受理"),
        (items[2].number, "2026-03-17", False, 8, "待受理")]
    assert body["items"][0]["result"] == "诉求合理，予以支持" and body["items"][1]["jurisdiction_name"] == "固庄村委会"
    for _ in range(4):
        make_list(world)
    with django_assert_max_num_queries(8):
        page = client.get(LISTS)
    assert page.json()["count"] == 5 and page.json()["results"][-1]["progress"]["percent"] == 33
    assert client.get(LISTS, {"reported": "true"}).json()["count"] == 0
    assert client.get(LISTS, {"level": "province"}).json()["count"] == 0


def test_reporting_a_list_back_once(world, api, clock):
    clock(D(2026, 3, 25))
    listed = make_list(world)
    list_attach(actor=world.officer("a"), assigned_list=listed,
                petitions=[make_petition(world, "a", registered_on=D(2026, 3, 2)) for _ in range(2)])
    client = api(world.officer("a"))
    url = f"{LISTS}{listed.pk}/report/"
    before = writes()
    cases = [
        ({"report_text": "已逐件办理"}, "reason", "清单中还有 2 件未办结，请写明未办结的原因后再报告。"),
        ({"reason": "法院执行中"}, "report_text", "请填写报告内容。"),
        ({"report_text": "已逐件办理", "reason": "法院执行中", "reported_on": "2026-03-26"}, "reported_on",
         "报告日期不能晚于今天。"),
        ({"report_text": "已逐件办理", "reason": "法院执行中", "reported_on": "2026-02-28"}, "reported_on",
         "报告日期不能早于接收日期（2026-03-01）。"),
        ({"report_text": "已逐件办理", "reason": "法院执行中", "reported_on": "2026-02-30"}, "reported_on",
         "报告日期不是有效的日期，应为 YYYY-MM-DD。"),
        ({"report_text": "报" * 7801, "reason": "法院执行中"}, "report_text", "报告内容最多 7800 字。"),
        ({"report_text": ["已办理"], "reason": "法院执行中"}, "report_text", "报告内容应为文字。"),
    ]
    for payload, field, message in cases:
        refused = post(client, url, payload)
        assert refused.status_code == 400 and refused.json()["errors"][field] == [message], (payload, refused.json())
    assert writes() == before
    done = post(client, url, {"report_text": "已逐件办理", "reason": "法院执行中"})
    assert done.status_code == 200
    assert (done.json()["reported_on"], done.json()["report_text"]) == ("2026-03-25", "已逐件办理\n未办结 2 件的原因：法院执行中")
    row = AssignedList.objects.get(pk=listed.pk)
    assert (row.reported_on, row.report_text) == (D(2026, 3, 25), "已逐件办理\n未办结 2 件的原因：法院执行中")
    assert AuditEntry.objects.filter(action="assignedlist.report", outcome="success").count() == 1
    again = post(client, url, {"report_text": "再报一次", "reason": "法院执行中"})
    assert again.status_code == 400 and again.json()["errors"]["__all__"] == [
        "此交办清单已于 2026-03-25 报告办理情况，不能重复报告。"]
    late = post(client, f"{LISTS}{listed.pk}/attach/", {"petitions": [make_petition(world, "a").pk]})
    assert late.status_code == 400 and late.json()["errors"]["petitions"] == ["此交办清单已报告办理情况，不能再添加事项。"]
    assert client.get(LISTS, {"reported": "true"}).json()["count"] == 1


def test_bad_input_to_create_and_attach_is_a_chinese_400_and_writes_nothing(world, api, clock):
    clock(D(2026, 3, 25))
    listed = make_list(world)
    client = api(world.officer("a"))
    good = {"title": "市交办清单", "assigning_body": "市信访局", "level": "city", "received_on": "2026-03-01",
            "deadline": "2026-03-20"}
    before = writes()
    cases = [
        ({}, "title", "请填写清单名称。"),
        ({**good, "title": "   "}, "title", "请填写清单名称。"),
        ({**good, "title": "x" * 5000}, "title", "清单名称最多 100 字。"),
        ({**good, "title": {"a": 1}}, "title", "清单名称应为文字。"),
        ({**good, "assigning_body": None}, "assigning_body", "交办单位不能为空。"),
        ({**good, "level": "planet"}, "level", "交办层级“planet”不是可选的值。"),
        ({**good, "received_on": "2026-02-30"}, "received_on", "接收日期不是有效的日期，应为 YYYY-MM-DD。"),
        ({**good, "received_on": "1/3/2026"}, "received_on", "接收日期不是有效的日期，应为 YYYY-MM-DD。"),
        ({**good, "received_on": 20260301}, "received_on", "接收日期不是有效的日期，应为 YYYY-MM-DD。"),
        ({**good, "received_on": "2026-03-26"}, "received_on", "接收日期不能晚于今天。"),
        ({**good, "deadline": "2026-02-28"}, "deadline", "办理期限不能早于接收日期。"),
        ({**good, "report_requirement": "要" * 2001}, "report_requirement", "报告要求最多 2000 字。"),
        ({**good, "jurisdiction": "140311100"}, "jurisdiction", "所选单位不存在或不在您的管辖范围内。"),
        ({**good, "jurisdiction": "9" * 40}, "jurisdiction", "接收单位最多 15 字。"),
        ({**good, "jurisdiction": "abc"}, "jurisdiction", "所选单位不存在或不在您的管辖范围内。"),
    ]
    for payload, field, message in cases:
        refused = post(client, LISTS, payload)
        assert refused.status_code == 400 and refused.json()["errors"][field] == [message], (payload, refused.json())
    whole = client.post(LISTS, "[1, 2]", content_type="application/json")
    assert whole.status_code == 400 and whole.json()["errors"]["__all__"] == ["请求内容应为 JSON 对象（字段名 → 值）。"]
    deep = client.post(LISTS, '{"a":' * 1000 + "1" + "}" * 1000, content_type="application/json")
    assert deep.status_code == 400 and "嵌套" in deep.json()["detail"]
    url = f"{LISTS}{listed.pk}/attach/"
    attach_cases = [
        ({}, "petitions", "请选择要列入清单的信访事项（petitions 或 numbers）。"),
        ({"petitions": []}, "petitions", "请选择要列入清单的信访事项（petitions 或 numbers）。"),
        ({"petitions": "abc"}, "petitions", "信访事项应为列表。"),
        ({"petitions": ["x"]}, "petitions.0", "信访事项应为整数编号。"),
        ({"petitions": [9 * 10 ** 20]}, "petitions.0", "信访事项超出范围。"),
        ({"petitions": list(range(1, 502))}, "petitions", "信访事项一次最多 500 项。"),
        ({"numbers": ["X" * 41]}, "numbers.0", "信访事项编号最多 40 字。"),
        ({"petitions": [987654]}, "petitions", "信访事项 987654 不存在或不在您的管辖范围内，一件也没有列入。"),
        ({"numbers": ["XF000"]}, "petitions", "信访事项 XF000 不存在或不在您的管辖范围内，一件也没有列入。"),
    ]
    for payload, field, message in attach_cases:
        refused = post(client, url, payload)
        assert refused.status_code == 400 and refused.json()["errors"][field] == [message], (payload, refused.json())
    assert writes() == before


def test_township_b_gets_nothing_of_township_as_lists_and_writes_nothing(world, api, clock):
    clock(D(2026, 3, 25))
    listed = make_list(world)
    own = make_petition(world, "a")
    list_attach(actor=world.officer("a"), assigned_list=listed, petitions=[own])
    b_list, b_petition = make_list(world, "b"), make_petition(world, "b")
    client = api(world.officer("b"))
    assert [r["id"] for r in client.get(LISTS).json()["results"]] == [b_list.pk]
    before = writes()
    assert client.get(f"{LISTS}{listed.pk}/").status_code == 404
    assert post(client, f"{LISTS}{listed.pk}/attach/", {"petitions": [b_petition.pk]}).status_code == 404
    assert post(client, f"{LISTS}{listed.pk}/report/", {"report_text": "已办理", "reason": "无"}).status_code == 404
    # A's petition on B's own list, A's township as the receiving unit: 400, nothing written.
    refused = post(client, f"{LISTS}{b_list.pk}/attach/", {"petitions": [b_petition.pk, own.pk]})
    assert refused.status_code == 400 and refused.json()["errors"]["petitions"] == [
        f"信访事项 {own.pk} 不存在或不在您的管辖范围内，一件也没有列入。"]
    refused = post(client, f"{LISTS}{b_list.pk}/attach/", {"numbers": [own.number]})
    assert refused.status_code == 400 and own.number not in json.dumps(client.get(f"{LISTS}{b_list.pk}/").json())
    refused = post(client, LISTS, {"title": "市交办清单", "assigning_body": "市信访局", "level": "city",
                                   "received_on": "2026-03-01", "deadline": "2026-03-20", "jurisdiction": "140311101"})
    assert refused.status_code == 400 and refused.json()["errors"]["jurisdiction"] == ["所选单位不存在或不在您的管辖范围内。"]
    assert writes() == before
    assert Petition.objects.get(pk=b_petition.pk).assigned_list_id is None


def test_a_handler_sees_no_list_and_the_leader_reads_but_writes_nothing(world, api, clock):
    clock(D(2026, 3, 25))
    listed = make_list(world)
    petition = make_petition(world, "a")
    engine.transition(actor=world.officer("a"), case=petition, action="assign",
                      data={"assigned_department": world.departments["police_a"]})
    handler = api(world.users["handler_a"])
    assert handler.get(LISTS).json()["count"] == 0 and handler.get(f"{LISTS}{listed.pk}/").status_code == 404
    before = writes()
    denied = AuditEntry.objects.filter(action="permission_denied").count()
    good = {"title": "市交办清单", "assigning_body": "市信访局", "level": "city", "received_on": "2026-03-01",
            "deadline": "2026-03-20"}
    refused = post(handler, LISTS, good)
    assert refused.status_code == 403 and refused.json()["detail"] == "您没有执行此操作的权限。"
    leader = api(world.users["leader"])
    assert [r["id"] for r in leader.get(LISTS).json()["results"]] == [listed.pk]
    assert leader.get(f"{LISTS}{listed.pk}/").json()["title"] == "市交办清单"
    assert post(leader, LISTS, good).status_code == 403
    assert post(leader, f"{LISTS}{listed.pk}/attach/", {"petitions": [petition.pk]}).status_code == 403
    assert post(leader, f"{LISTS}{listed.pk}/report/", {"report_text": "已办理", "reason": "无"}).status_code == 403
    assert leader.delete(f"{LISTS}{listed.pk}/").status_code == 405
    assert writes() == before
    assert AuditEntry.objects.filter(action="permission_denied").count() == denied + 4


# --- 领导接访 ----------------------------------------------------------------------------------------------------
RECEPTION = {"leader_name": "王镇长", "held_on": "2026-03-28", "place": "镇信访接待室", "topic": "征地补偿",
             "kind": "reception"}


def test_the_officer_plans_a_reception_and_records_its_outcome(world, api, clock):
    clock(D(2026, 3, 25))
    client = api(world.officer("a"))
    made = post(client, RECEPTIONS, {**RECEPTION, "kind": "appointment", "topic": "ＡＢ村征地补偿"})
    assert made.status_code == 201, made.json()
    body = made.json()
    assert {k: body[k] for k in ("jurisdiction", "jurisdiction_name", "leader", "leader_name", "held_on", "place",
                                 "topic", "kind", "kind_display", "outcome", "petitions")} == {
        "jurisdiction": "140311101", "jurisdiction_name": "河底镇", "leader": None, "leader_name": "王镇长",
        "held_on": "2026-03-28", "place": "镇信访接待室", "topic": "AB村征地补偿", "kind": "appointment",
        "kind_display": "约访", "outcome": "", "petitions": []}
    row = LeaderReception.objects.get(pk=body["id"])
    assert (row.leader_name, row.held_on, row.place, row.topic, row.kind, row.jurisdiction_id) == (
        "王镇长", D(2026, 3, 28), "镇信访接待室", "AB村征地补偿", "appointment", world.township("a").pk)
    assert AuditEntry.objects.filter(action="leaderreception.create", object_id=str(row.pk)).count() == 1
    # Not yet held (3-28 after 3-25): no outcome.
    refused = patch(client, f"{RECEPTIONS}{row.pk}/", {"outcome": "已答复"})
    assert refused.status_code == 400 and refused.json()["errors"]["outcome"] == ["接访尚未进行，不能填写接访结果。"]
    # The leader's account, set on the page's service, survives an API edit that does not name it.
    reception_save(actor=world.officer("a"), reception=row, data={
        "leader_name": "王镇长", "held_on": D(2026, 3, 28), "place": "镇信访接待室", "topic": "AB村征地补偿",
        "kind": "appointment", "leader": world.users["leader"]})
    petition = make_petition(world, "a")
    row.petitions.add(petition, make_petition(world, "b"))
    clock(D(2026, 3, 29))
    done = patch(client, f"{RECEPTIONS}{row.pk}/", {"outcome": "已答复，补偿款４月发放"})
    assert done.status_code == 200, done.json()
    # Township B's petition received there is not shown to A's officer; the text is made half-width (NFKC:
    # "，" becomes ",", "４" becomes "4"), as on the page.
    assert done.json()["outcome"] == "已答复,补偿款4月发放" and done.json()["leader"] == world.users["leader"].pk
    assert [p["number"] for p in done.json()["petitions"]] == [petition.number]
    row.refresh_from_db()
    assert (row.outcome, row.leader_id, row.leader_name, row.held_on, row.kind, row.topic) == (
        "已答复,补偿款4月发放", world.users["leader"].pk, "王镇长", D(2026, 3, 28), "appointment", "AB村征地补偿")
    entry = AuditEntry.objects.filter(action="leaderreception.update").latest("id")
    assert entry.changes["outcome"] == ["", "已答复,补偿款4月发放"] and entry.actor_id == world.officer("a").pk
    put = client.put(f"{RECEPTIONS}{row.pk}/", json.dumps(RECEPTION), content_type="application/json")
    assert put.status_code == 405


def test_bad_input_to_receptions_is_a_chinese_400_and_writes_nothing(world, api, clock):
    clock(D(2026, 3, 25))
    row = reception_save(actor=world.officer("a"), data={**RECEPTION, "held_on": D(2026, 3, 20)})
    client = api(world.officer("a"))
    before = writes()
    cases = [
        ({}, "leader_name", "请填写接访领导。"),
        ({**RECEPTION, "place": "  "}, "place", "请填写接访地点。"),
        ({**RECEPTION, "leader_name": "王" * 51}, "leader_name", "接访领导最多 50 字。"),
        ({**RECEPTION, "outcome": "x" * 100000}, "outcome", "接访结果最多 4000 字。"),
        ({**RECEPTION, "kind": "teleport"}, "kind", "接访方式“teleport”不是可选的值。"),
        ({**RECEPTION, "held_on": "2026-02-29"}, "held_on", "接访日期不是有效的日期，应为 YYYY-MM-DD。"),
        ({**RECEPTION, "held_on": "2026-03-28T09:00:00"}, "held_on", "接访日期不是有效的日期，应为 YYYY-MM-DD。"),
        ({**RECEPTION, "held_on": "1999-12-31"}, "held_on", "接访日期须在 2000 年以后、一年以内。"),
        # 2026-03-25 + 366 days = 2027-03-26: the next day is too far.
        ({**RECEPTION, "held_on": "2027-03-27"}, "held_on", "接访日期须在 2000 年以后、一年以内。"),
        ({**RECEPTION, "place": ["镇政府"]}, "place", "接访地点应为文字。"),
        ({**RECEPTION, "jurisdiction": "140311100"}, "jurisdiction", "所选单位不存在或不在您的管辖范围内。"),
    ]
    for payload, field, message in cases:
        refused = post(client, RECEPTIONS, payload)
        assert refused.status_code == 400 and refused.json()["errors"][field] == [message], (payload, refused.json())
    for payload, field, message in [({"held_on": "２０２６-１３-０１"}, "held_on", "接访日期不是有效的日期，应为 YYYY-MM-DD。"),
                                    ({"leader_name": ""}, "leader_name", "请填写接访领导。"),
                                    ({"jurisdiction": "140311101"}, "jurisdiction", "接访安排的所属单位不能修改。")]:
        refused = patch(client, f"{RECEPTIONS}{row.pk}/", payload)
        assert refused.status_code == 400 and refused.json()["errors"][field] == [message], (payload, refused.json())
    assert writes() == before
    # The upper bound itself is allowed.
    assert post(client, RECEPTIONS, {**RECEPTION, "held_on": "2027-03-26"}).status_code == 201


def test_receptions_between_townships_for_a_handler_and_for_the_leader(world, api, clock):
    clock(D(2026, 3, 25))
    mine = reception_save(actor=world.officer("a"), data={
        "leader_name": "区长", "held_on": D(2026, 3, 20), "place": "区信访接待室", "kind": "reception",
        "leader": world.users["leader"]})
    other = reception_save(actor=world.officer("a"), data={**RECEPTION, "held_on": D(2026, 3, 21)})
    b_row = reception_save(actor=world.officer("b"), data={**RECEPTION, "held_on": D(2026, 3, 22)})
    b = api(world.officer("b"))
    assert [r["id"] for r in b.get(RECEPTIONS).json()["results"]] == [b_row.pk]
    before = writes()
    assert b.get(f"{RECEPTIONS}{other.pk}/").status_code == 404
    assert patch(b, f"{RECEPTIONS}{other.pk}/", {"outcome": "越权"}).status_code == 404
    refused = post(b, RECEPTIONS, {**RECEPTION, "jurisdiction": "140311101"})
    assert refused.status_code == 400 and refused.json()["errors"]["jurisdiction"] == ["所选单位不存在或不在您的管辖范围内。"]
    handler = api(world.users["handler_a"])
    assert handler.get(RECEPTIONS).json()["count"] == 0 and handler.get(f"{RECEPTIONS}{other.pk}/").status_code == 404
    assert post(handler, RECEPTIONS, RECEPTION).status_code == 403
    leader = api(world.users["leader"])
    # Latest first: 3-22 (B), 3-21, 3-20; ?mine=true: the one of the leader's own account.
    assert [r["id"] for r in leader.get(RECEPTIONS).json()["results"]] == [b_row.pk, other.pk, mine.pk]
    assert [r["id"] for r in leader.get(RECEPTIONS, {"mine": "true"}).json()["results"]] == [mine.pk]
    assert [r["id"] for r in leader.get(RECEPTIONS, {"held_from": "2026-03-21", "held_to": "2026-03-21"})
            .json()["results"]] == [other.pk]
    assert post(leader, RECEPTIONS, RECEPTION).status_code == 403
    assert patch(leader, f"{RECEPTIONS}{mine.pk}/", {"outcome": "已答复"}).status_code == 403
    assert writes() == before
    assert LeaderReception.objects.get(pk=other.pk).outcome == ""


# --- the repeat panel ---------------------------------------------------------------------------------------------
def test_the_repeat_panel_lists_the_same_persons_matters_and_marks_a_repeat(world, api, clock):
    clock(D(2026, 3, 12))
    first = make_petition(world, "a", registered_on=D(2026, 3, 1), petitioners=[{"name": "李四", "phone": "13600001234"}])
    second = make_petition(world, "a", petitioners=[{"name": "李四", "phone": "13600001234"}])
    client = api(world.officer("a"))
    panel = client.get(repeats_url(second))
    assert panel.status_code == 200
    body = panel.json()
    assert (body["number"], body["repeat_of"], body["repeat_checked"], body["conclusion"]) == (
        second.number, None, False, "尚未查重。")
    assert [(p["number"], p["registered_on"], p["state_display"]) for p in body["same_person"]] == [
        (first.number, "2026-03-01", "待受理")]
    assert first.number not in [p["number"] for p in body["similar"]]
    done = post(client, repeats_url(second), {"repeat_of": first.pk})
    assert done.status_code == 200, done.json()
    assert (done.json()["repeat_of"], done.json()["repeat_of_number"], done.json()["conclusion"]) == (
        first.pk, first.number, f"已标记为重复信访（关联 {first.number}）。")
    row = Petition.objects.get(pk=second.pk)
    assert (row.repeat_of_id, row.repeat_checked) == (first.pk, True)
    entry = AuditEntry.objects.filter(action="petition.repeat_mark").latest("id")
    assert entry.detail == f"是重复信访（关联 {first.number}）" and entry.actor_id == world.officer("a").pk
    undone = post(client, repeats_url(second), {"repeat_of": None})
    assert undone.status_code == 200 and undone.json()["conclusion"] == "已标记为不是重复。"
    row = Petition.objects.get(pk=second.pk)
    assert (row.repeat_of_id, row.repeat_checked) == (None, True)
    assert AuditEntry.objects.filter(action="petition.repeat_mark").latest("id").detail == "不是重复"


def test_bad_input_to_the_repeat_mark_is_a_chinese_400_and_writes_nothing(world, api, clock):
    clock(D(2026, 3, 12))
    first = make_petition(world, "a", registered_on=D(2026, 3, 1))
    second = make_petition(world, "a")
    client = api(world.officer("a"))
    before = writes()
    cases = [
        (second, {}, "请填写原件 repeat_of（原件的 id；不是重复时填 null）。"),
        (second, {"repeat_of": "abc"}, "原件应为整数编号。"),
        (second, {"repeat_of": [first.pk]}, "原件应为整数编号。"),
        (second, {"repeat_of": 9 * 10 ** 30}, "原件超出范围。"),
        (second, {"repeat_of": "9" * 5000}, "原件太长。"),
        (second, {"repeat_of": 0}, "原件超出范围。"),
        (second, {"repeat_of": 987654}, "所关联的信访事项不存在或不在您的管辖范围内。"),
        (second, {"repeat_of": second.pk}, "不能把信访事项关联为它自己的重复件。"),
        (first, {"repeat_of": second.pk}, f"原件 {second.number} 登记晚于本件，请在较晚登记的事项上标记重复。"),
    ]
    for petition, payload, message in cases:
        refused = post(client, repeats_url(petition), payload)
        errors = refused.json()["errors"]
        assert refused.status_code == 400 and errors["repeat_of"] == [message], (payload, errors)
    assert writes() == before
    # A full-width id is the same number (NFKC): １ is 1.
    width = str.maketrans("0123456789", "０１２３４５６７８９")
    assert post(client, repeats_url(second), {"repeat_of": str(first.pk).translate(width)}).status_code == 200
    assert Petition.objects.get(pk=second.pk).repeat_of_id == first.pk


def test_the_repeat_panel_for_township_b_a_handler_and_the_leader(world, api, clock):
    clock(D(2026, 3, 12))
    phone = [{"name": "李四", "phone": "13600001234"}]
    first = make_petition(world, "a", registered_on=D(2026, 3, 1), petitioners=phone)
    second = make_petition(world, "a", petitioners=phone)
    engine.transition(actor=world.officer("a"), case=second, action="assign",
                      data={"assigned_department": world.departments["police_a"]})
    b_petition = make_petition(world, "b", petitioners=phone)
    b = api(world.officer("b"))
    before = writes()
    assert b.get(repeats_url(second)).status_code == 404
    assert post(b, repeats_url(second), {"repeat_of": None}).status_code == 404
    # The same person in B: A's matters are not shown to B, nor accepted as the original.
    assert b.get(repeats_url(b_petition)).json()["same_person"] == []
    refused = post(b, repeats_url(b_petition), {"repeat_of": first.pk})
    assert refused.status_code == 400 and refused.json()["errors"]["repeat_of"] == [
        "所关联的信访事项不存在或不在您的管辖范围内。"]
    handler = api(world.users["handler_a"])
    assert handler.get(f"/api/v1/petitions/{second.pk}/").status_code == 200  # it reads the petition itself
    for client in (handler, api(world.users["leader"])):
        refused = client.get(repeats_url(second))
        assert refused.status_code == 403 and refused.json()["detail"] == "您没有执行此操作的权限。"
        assert post(client, repeats_url(second), {"repeat_of": first.pk}).status_code == 403
    assert writes() == before
    assert Petition.objects.get(pk=b_petition.pk).repeat_checked is False


def test_the_openapi_schema_describes_the_new_routes():
    spec = SchemaGenerator().get_schema(request=None, public=True)
    paths = spec["paths"]
    assert set(paths["/api/v1/petitions/lists/"]) >= {"get", "post"}
    assert set(paths["/api/v1/petitions/lists/{id}/"]) == {"get"}
    assert set(paths["/api/v1/petitions/lists/{id}/attach/"]) == {"post"}
    assert set(paths["/api/v1/petitions/lists/{id}/report/"]) == {"post"}
    assert set(paths["/api/v1/petitions/receptions/"]) >= {"get", "post"}
    assert set(paths["/api/v1/petitions/receptions/{id}/"]) == {"get", "patch"}
    assert set(paths["/api/v1/petitions/{id}/repeats/"]) == {"get", "post"}
    panel = spec["components"]["schemas"]["RepeatPanel"]["properties"]
    assert panel["repeat_of"]["nullable"] is True and panel["similar"]["type"] == "array"


def test_every_new_get_route_answers_what_the_schema_declares(world, api, clock):
    """The schema test of core reads lists that are empty in its world: here each new route has rows, and the
    null fields are null (a list not reported, a reception without a leader's account, no repeat marked)."""
    from pingan.core.tests.test_api_schema import _problems, _response_schema

    clock(D(2026, 3, 12))
    listed = make_list(world)
    first = make_petition(world, "a", registered_on=D(2026, 3, 1))
    second = make_petition(world, "a")
    list_attach(actor=world.officer("a"), assigned_list=listed, petitions=[first])
    reception = reception_save(actor=world.officer("a"), data={**RECEPTION, "held_on": D(2026, 3, 20)})
    reception.petitions.add(first)
    spec = SchemaGenerator().get_schema(request=None, public=True)
    client = api(world.officer("a"))
    urls = {"/api/v1/petitions/lists/": LISTS, "/api/v1/petitions/lists/{id}/": f"{LISTS}{listed.pk}/",
            "/api/v1/petitions/receptions/": RECEPTIONS,
            "/api/v1/petitions/receptions/{id}/": f"{RECEPTIONS}{reception.pk}/",
            "/api/v1/petitions/{id}/repeats/": repeats_url(second)}
    problems = []
    for path, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, url
        problems += _problems(response.json(), _response_schema(spec["paths"][path]["get"]), spec, url)
    assert problems == []
    assert client.get(repeats_url(second)).json()["same_person"][0]["number"] == first.number
