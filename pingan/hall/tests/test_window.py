"""The window: registration, a returning visitor found again, bad input, the code and the citizen's lookup."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from pingan.core.models import AuditEntry
from pingan.hall import choices as c
from pingan.hall import selectors, services
from pingan.hall.models import HallVisitor, Matter
from pingan.hall.testing import make_matter

# 140311199001011236 is valid (its check character worked out in the first test); ending in 5 it is not.
WRONG_CHECK_ID = "140311199001011235"


def register(world, side="a", **data):
    base = {"name": "王秀英", "phone": "13912345678", "category": c.Category.NEIGHBOUR, "topic": "楼上漏水",
            "summary": "楼上装修导致卫生间漏水", "window": "1号窗口"}
    base.update(data)
    return services.matter_register(actor=world.officer(side), data=base)


def test_the_id_numbers_used_here_are_what_the_check_digit_rule_says():
    # Hand computation: digits 1 4 0 3 1 1 1 9 9 0 0 1 0 1 1 2 3 with weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2:
    # 7+36+0+15+8+4+2+9+54+0+0+9+0+5+8+8+6 = 171; 171 = 15·11 + 6; position 6 of "10X98765432" is "6".
    from pingan.core.personal import check_char

    assert check_char("14031119900101123") == "6"


def test_a_matter_gets_a_readable_code_and_a_pin(world):
    matter = register(world)
    assert re.fullmatch(r"ZZ\d{6}[2-9A-HJKMNP-TV-Z]{4}", matter.code)
    assert matter.code[2:8] == timezone.localdate().strftime("%y%m%d")
    assert re.fullmatch(r"\d{4}", matter.pin)
    assert matter.status == c.Status.REGISTERED and matter.mediation_applicable is True
    assert matter.jurisdiction == world.township("a")
    assert matter.visitor.phone_masked == "139****5678"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pin FROM hall_matter WHERE id = %s", [matter.pk])
        assert cursor.fetchone()[0].startswith("v1.")   # the PIN is encrypted at rest
    assert AuditEntry.objects.filter(action="matter.create", object_id=str(matter.pk)).count() == 1


def test_a_returning_visitor_is_found_by_phone_and_by_id_number_and_reused(world):
    first = register(world, id_number="140311199001011236")
    # The same person, typed with full-width digits and spaces at the next visit.
    by_phone = list(selectors.search_visitors(world.officer("a"), "１３９ １２３４ ５６７８"))
    by_id = list(selectors.search_visitors(world.officer("a"), "140311199001011236"))
    assert [v.pk for v in by_phone] == [first.visitor_id] == [v.pk for v in by_id]
    again = register(world, name="王秀英", phone="", id_number="140311199001011236", topic="漏水仍未解决")
    assert again.visitor_id == first.visitor_id
    assert HallVisitor.objects.count() == 1
    lookups = AuditEntry.objects.filter(action="hallvisitor.lookup")
    assert sorted(lookups.values_list("detail", flat=True)) == ["按完整公民身份号码查找", "按完整联系电话查找"]


def test_the_other_townships_hall_does_not_find_the_visitor(world):
    register(world)
    assert list(selectors.search_visitors(world.officer("b"), "13912345678")) == []


def test_the_window_page_shows_a_returning_visitor_with_earlier_matters(world, login):
    matter = register(world)
    client = login(world.officer("a"))
    response = client.get(reverse("hall:window"), {"q": "13912345678"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "王秀英" in body and matter.code in body and "139****5678" in body
    assert body.count("13912345678") == 1   # only in the search box the user typed it into


@pytest.mark.parametrize("field,value,message", [
    ("id_number", WRONG_CHECK_ID, "校验码错误：最后一位应为 6"),
    ("phone", "12345", "联系电话“12345”格式不正确"),
    ("topic", "", "请填写事由"),
    ("summary", "长" * 2001, "诉求内容最多 2000 字（现为 2001 字）"),
    ("category", "nonsense", "请选择问题类别"),
    ("head_count", 0, "来访人数应为 1 至 9999 之间的整数"),
])
def test_bad_input_is_refused_in_chinese_and_nothing_is_written(world, field, value, message):
    with pytest.raises(ValidationError) as err:
        register(world, **{field: value})
    assert message in str(err.value.message_dict[field])
    assert Matter.objects.count() == 0 and HallVisitor.objects.count() == 0


def test_a_future_registration_time_is_refused(world):
    with pytest.raises(ValidationError) as err:
        register(world, registered_at=timezone.now() + dt.timedelta(days=1))
    assert err.value.message_dict["registered_at"] == ["登记时间不能晚于现在。"]


def test_full_width_numbers_are_cleaned(world):
    matter = register(world, phone="１３９１２３４５６７８", id_number="１４０３１１１９９００１０１１２３６")
    assert matter.visitor.phone_masked == "139****5678"
    assert matter.visitor.id_masked == "1403************36"


def test_a_visitor_without_any_number_is_asked_for_one_unless_it_is_a_letter(world):
    with pytest.raises(ValidationError) as err:
        register(world, phone="")
    assert "请至少留下联系电话或公民身份号码" in err.value.message_dict["phone"][0]
    assert register(world, phone="", channel=c.Channel.LETTER).visitor.phone_hash == ""


def test_a_grid_worker_cannot_register_at_the_window(world):
    with pytest.raises(PermissionDenied):
        services.matter_register(actor=world.users["grid_a"], data={"name": "x"})
    assert AuditEntry.objects.filter(action="matter.create", outcome="failure").count() == 1


def test_the_window_form_reads_the_matter_back(world, login):
    client = login(world.users["center_staff"])
    response = client.post(reverse("hall:window"), {
        "name": "李强", "phone": "13712345678", "channel": "call", "category": "labour", "head_count": "3",
        "topic": "工地欠薪", "summary": "三名工人被拖欠工资两个月", "window": "2号窗口"})
    matter = Matter.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("hall:matter_detail", args=[matter.pk])
    assert (matter.visitor.name, matter.channel, matter.category, matter.head_count, matter.topic, matter.window,
            matter.jurisdiction) == ("李强", "call", "labour", 3, "工地欠薪", "2号窗口", world.county)


def test_the_window_form_answers_bad_input_with_400(world, login):
    client = login(world.users["center_staff"])
    response = client.post(reverse("hall:window"), {"name": "李强", "phone": "1e999999", "category": "labour",
                                                    "head_count": "NaN", "topic": "x", "summary": "y"})
    assert response.status_code == 400 and Matter.objects.count() == 0
    response = client.post(reverse("hall:window"), {"name": "李强", "phone": "13712345678", "category": "labour",
                                                    "head_count": "1", "topic": "x", "summary": "y",
                                                    "id_number": WRONG_CHECK_ID})
    assert response.status_code == 400 and "校验码错误" in response.content.decode()


def test_a_visitor_of_another_township_cannot_be_chosen(world, login):
    other = register(world, "b").visitor
    client = login(world.officer("a"))
    response = client.post(reverse("hall:window"), {"visitor": other.pk, "category": "labour", "head_count": "1",
                                                    "topic": "x", "summary": "y"})
    assert response.status_code == 400 and Matter.objects.count() == 1


def test_a_matter_of_another_township_is_404(world, login):
    matter = register(world, "b")
    client = login(world.officer("a"))
    assert client.get(reverse("hall:matter_detail", args=[matter.pk])).status_code == 404
    assert client.post(reverse("hall:route", args=[matter.pk]), {"route": "answered", "note": "已答复四个字",
                                                                 "non_mediation_reason": "不同意调解"}).status_code == 404
    assert Matter.objects.get(pk=matter.pk).status == c.Status.REGISTERED


# ------------------------------------------------------------------------------------------------ the lookup
def track(client, code, secret):
    return client.post(reverse("hall:track"), {"code": code, "secret": secret})


def test_the_citizen_follows_the_matter_with_the_pin_or_the_phone_tail(world, client):
    matter = register(world)
    response = track(client, matter.code.lower(), matter.pin)
    body = response.content.decode()
    assert response.status_code == 200 and "已登记，正在分流" in body
    assert "王秀英" not in body and "139****5678" not in body   # nothing personal
    assert track(client, matter.code, "5678").status_code == 200
    services.matter_route(actor=world.officer("a"), matter=matter, route=c.Route.ANSWERED,
                          data={"note": "已解释物业维修基金使用办法", "non_mediation_reason": "双方已自行协商"})
    body = track(client, matter.code, matter.pin).content.decode()
    assert "已当场答复" in body and "已解释物业维修基金使用办法" in body and "已办结" in body


def test_a_wrong_pin_and_an_unknown_code_get_the_same_answer(world, client):
    matter = register(world)
    wrong = "0000" if matter.pin != "0000" else "1111"
    bad_pin = track(client, matter.code, wrong)
    unknown = track(client, "ZZ000101AAAA", matter.pin)
    assert bad_pin.status_code == unknown.status_code == 404
    assert "事项码或查询码不正确" in bad_pin.content.decode() and "事项码或查询码不正确" in unknown.content.decode()
    assert matter.topic not in bad_pin.content.decode()
    assert AuditEntry.objects.filter(action="matter.lookup", outcome="failure").count() == 2


def test_the_lookup_is_rate_limited_per_address(world, client):
    matter = register(world)
    for _ in range(20):
        track(client, "ZZ000101AAAA", "0000")
    response = track(client, matter.code, matter.pin)
    assert response.status_code == 429 and "查询过于频繁" in response.content.decode()


def test_the_lookup_refuses_garbage_with_4xx(world, client):
    assert track(client, "", "").status_code == 400
    assert track(client, "Ｚ" * 40, "１２３４").status_code == 404
    assert client.get(reverse("hall:track")).status_code == 200


def test_the_slip_carries_the_code_the_pin_and_a_qr_code(world, login):
    matter = register(world)
    client = login(world.officer("a"))
    body = client.get(reverse("hall:slip", args=[matter.pk])).content.decode()
    assert matter.code in body and matter.pin in body and "<svg" in body
    assert f"/hall/track/?code={matter.code}" in body
    assert AuditEntry.objects.filter(action="matter.slip", object_id=str(matter.pk)).count() == 1
    assert login(world.users["leader"]).get(reverse("hall:slip", args=[matter.pk])).status_code == 403


def test_make_matter_helper_registers_at_the_township_hall(world):
    assert make_matter(world, "b").jurisdiction == world.township("b")
