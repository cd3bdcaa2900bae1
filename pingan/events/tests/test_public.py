"""The public report page (no login, rate-limited per address) and the status lookup (never the reporter)."""
import pytest
from django.urls import reverse
from django.utils import timezone

from pingan.events.models import Event

pytestmark = pytest.mark.django_db


def form(cats, **kw):
    data = {"category": cats["garbage"].pk, "description": "广场垃圾没人收", "address": "河底镇固庄村广场",
            "attribute[kind]": "living", "reporter_name": "赵六", "reporter_phone": "１３９００００００００"}
    data.update(kw)
    return data


def test_a_citizen_reports_without_login_and_follows_the_status_with_the_lookup_code(world, cats, client):
    response = client.post(reverse("events_public:report"), form(cats))
    assert response.status_code == 201, response.content.decode()
    event = Event.objects.get()
    assert event.reporter_phone == "13900000000" and event.jurisdiction == world.village("a")
    code = response.context["code"]
    assert event.number in response.content.decode() and code in response.content.decode()
    page = client.post(reverse("events_public:lookup"), {"number": event.number.lower(), "code": code})
    body = page.content.decode()
    assert page.status_code == 200 and "待受理" in body
    assert "赵六" not in body and "13900000000" not in body and "广场垃圾没人收" not in body


def test_a_wrong_lookup_code_answers_404_with_a_clear_message(world, cats, client):
    client.post(reverse("events_public:report"), form(cats))
    event = Event.objects.get()
    page = client.post(reverse("events_public:lookup"), {"number": event.number, "code": "AAAAAAAA"})
    assert page.status_code == 404 and "编号或查询码不正确" in page.content.decode()
    assert client.post(reverse("events_public:lookup"), {"number": ""}).status_code == 400


def test_reports_from_one_address_are_limited_without_a_captcha(world, cats, client):
    for i in range(5):
        assert client.post(reverse("events_public:report"), form(cats, description=f"第{i}次")).status_code == 201
    blocked = client.post(reverse("events_public:report"), form(cats, description="第六次"))
    assert blocked.status_code == 429 and "过于频繁" in blocked.content.decode()
    assert Event.objects.count() == 5


@pytest.mark.parametrize("data,words", [
    ({"category": ""}, "请选择事件类别"),
    ({"category": "abc"}, "无效"),
    ({"description": ""}, "请填写事件描述"),
    ({"address": "", "latitude": "", "longitude": ""}, "位置"),
    ({"latitude": "91", "longitude": "200"}, "不在本区范围内"),
])
def test_bad_public_input_is_refused_in_chinese_and_nothing_is_written(world, cats, client, data, words):
    response = client.post(reverse("events_public:report"), form(cats, **data))
    assert response.status_code == 400 and words in response.content.decode()
    assert Event.objects.count() == 0


def test_a_category_closed_to_the_public_is_not_offered(world, cats, client):
    cats["gas"].is_public = False
    cats["gas"].save()
    page = client.get(reverse("events_public:report")).content.decode()
    assert "燃气泄漏隐患" not in page and "垃圾堆放" in page
    assert client.post(reverse("events_public:report"), form(cats, category=cats["gas"].pk)).status_code == 400


def test_the_lookup_shows_the_handling_due_moment_while_the_unit_has_the_event(world, cats, client, settings):
    from pingan.cases import engine

    response = client.post(reverse("events_public:report"), form(cats))
    event, code = Event.objects.get(), response.context["code"]
    staff = world.users["center_staff"]
    engine.transition(actor=staff, case=event, action="register")
    engine.transition(actor=staff, case=event, action="dispatch", data={"assigned_township": world.township("a")})
    event.refresh_from_db()
    page = client.post(reverse("events_public:lookup"), {"number": event.number, "code": code}).content.decode()
    expected = event.due_at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d %H:%M")
    assert "预计办结" in page and f"{expected} 前" in page
