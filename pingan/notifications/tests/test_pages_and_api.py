"""The inbox pages and the API: own rows only (another user's id answers 404 and changes nothing), unread
first, the 未读/全部 filter, opening follows only a relative link, bad ids answer 4xx in Chinese, the bell's
count takes one query."""
from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from pingan.notifications.models import Notification
from pingan.notifications.services import notify

K = Notification.Kind


@pytest.fixture
def inbox(world, settings):
    """township_a: two unread and one read notification; handler_a: one of their own."""
    settings.PINGAN_NOTIFY_QUIET_HOURS = None
    officer, handler = world.officer("a"), world.users["handler_a"]
    old = notify([officer], kind=K.SYSTEM, title="已读的旧通知", url="/")[0]
    Notification.objects.filter(pk=old.pk).update(read_at=timezone.now(),
                                                  updated_at=timezone.now() - dt.timedelta(hours=3))
    first = notify([officer], kind=K.ASSIGNED, title="新派案件：网格事件 SJ001", url="/events/1/")[0]
    Notification.objects.filter(pk=first.pk).update(updated_at=timezone.now() - dt.timedelta(hours=2))
    second = notify([officer], kind=K.OVERDUE, title="已超期：网格事件 SJ002", url="/events/2/")[0]
    theirs = notify([handler], kind=K.SUPERVISED, title="督办：网格事件 SJ003", url="/events/3/")[0]
    return {"old": old, "first": first, "second": second, "theirs": theirs}


def _titles(body: str) -> list[str]:
    return [t for t in ("已超期：网格事件 SJ002", "新派案件：网格事件 SJ001", "已读的旧通知", "督办：网格事件 SJ003") if t in body]


@pytest.mark.django_db
def test_the_inbox_lists_own_unread_first_and_filters(world, login, inbox):
    client = login(world.officer("a"))
    body = client.get(reverse("notifications:list")).content.decode()
    assert _titles(body) == ["已超期：网格事件 SJ002", "新派案件：网格事件 SJ001"]
    assert "未读（2）" in body
    body = client.get(reverse("notifications:list"), {"show": "all"}).content.decode()
    assert _titles(body) == ["已超期：网格事件 SJ002", "新派案件：网格事件 SJ001", "已读的旧通知"]
    assert body.index("已超期：网格事件 SJ002") < body.index("新派案件：网格事件 SJ001") < body.index("已读的旧通知")
    response = client.get(reverse("notifications:list"), {"show": "<script>", "page": "abc"})
    assert response.status_code == 200
    assert "筛选条件无效，已显示未读消息。" in response.content.decode()


@pytest.mark.django_db
def test_the_inbox_pins_its_query_count(world, login, inbox, django_assert_max_num_queries):
    client = login(world.officer("a"))
    client.get(reverse("notifications:list"))
    for i in range(25):
        notify([world.officer("a")], kind=K.SYSTEM, title=f"通知 {i}")
    with django_assert_max_num_queries(9):
        response = client.get(reverse("notifications:list"), {"show": "all", "page": "2"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_opening_marks_read_and_follows_only_a_relative_link(world, login, inbox):
    client = login(world.officer("a"))
    first = inbox["first"]
    response = client.post(reverse("notifications:open", args=[first.pk]))
    assert (response.status_code, response["Location"]) == (302, "/events/1/")
    first.refresh_from_db()
    assert first.read_at is not None
    # A link that is not a relative path on this site (written around the service) is not followed.
    Notification.objects.filter(pk=inbox["second"].pk).update(url="https://evil.example/")
    response = client.post(reverse("notifications:open", args=[inbox["second"].pk]))
    assert (response.status_code, response["Location"]) == (302, reverse("notifications:list"))
    assert client.get(reverse("notifications:open", args=[first.pk])).status_code == 405


@pytest.mark.django_db
def test_mark_one_and_mark_all_read(world, login, inbox):
    client = login(world.officer("a"))
    response = client.post(reverse("notifications:read", args=[inbox["first"].pk]), {"show": "all"})
    assert (response.status_code, response["Location"]) == (302, reverse("notifications:list") + "?show=all")
    assert Notification.objects.filter(recipient=world.officer("a"), read_at__isnull=True).count() == 1
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "已将 1 条消息标为已读。" in response.content.decode()
    assert Notification.objects.filter(read_at__isnull=True).count() == 1  # handler_a's own is untouched
    assert Notification.objects.get(read_at__isnull=True).pk == inbox["theirs"].pk


@pytest.mark.django_db
@pytest.mark.parametrize("route", ["notifications:open", "notifications:read"])
def test_another_users_notification_answers_404_and_stays_unread(world, login, inbox, route):
    client = login(world.officer("a"))
    for pk in (inbox["theirs"].pk, 987654321):
        response = client.post(reverse(route, args=[pk]))
        assert response.status_code == 404
        assert "不存在" in response.content.decode()
    inbox["theirs"].refresh_from_db()
    assert inbox["theirs"].read_at is None
    assert client.post("/notifications/abc/read/").status_code == 404
    assert client.post("/notifications/-1/open/").status_code == 404


@pytest.mark.django_db
def test_the_api_lists_only_own_rows_unread_first(world, api, inbox):
    data = api(world.officer("a")).get("/api/v1/notifications/").json()
    assert [(r["title"], r["kind_display"], r["unread"]) for r in data["results"]] == [
        ("已超期：网格事件 SJ002", "已超期", True), ("新派案件：网格事件 SJ001", "派给我/本单位的案件", True),
        ("已读的旧通知", "系统通知", False)]
    data = api(world.officer("a")).get("/api/v1/notifications/", {"unread": "true"}).json()
    assert [r["title"] for r in data["results"]] == ["已超期：网格事件 SJ002", "新派案件：网格事件 SJ001"]
    data = api(world.officer("a")).get("/api/v1/notifications/", {"kind": "overdue"}).json()
    assert [r["title"] for r in data["results"]] == ["已超期：网格事件 SJ002"]
    assert api(world.users["auditor"]).get("/api/v1/notifications/").json()["count"] == 0
    assert api().get("/api/v1/notifications/").status_code == 401


@pytest.mark.django_db
def test_the_api_marks_read(world, api, inbox):
    client = api(world.officer("a"))
    response = client.post(f"/api/v1/notifications/{inbox['first'].pk}/read/")
    assert response.status_code == 200
    assert response.json()["unread"] is False
    assert client.post(f"/api/v1/notifications/{inbox['first'].pk}/read/").json()["unread"] is False  # again: no change
    assert Notification.objects.filter(recipient=world.officer("a"), read_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_the_api_answers_bad_input_with_4xx_in_chinese(world, api, inbox):
    client = api(world.officer("a"))
    for url in (f"/api/v1/notifications/{inbox['theirs'].pk}/", f"/api/v1/notifications/{inbox['theirs'].pk}/read/",
                "/api/v1/notifications/abc/", "/api/v1/notifications/abc/read/",
                "/api/v1/notifications/99999999/read/"):
        response = client.post(url) if url.endswith("read/") else client.get(url)
        assert response.status_code == 404, url
        assert response.json()["detail"] == "您要找的记录不存在，或不在您的管辖范围内。"
    inbox["theirs"].refresh_from_db()
    assert inbox["theirs"].read_at is None
    for query in ({"unread": "maybe"}, {"kind": "nonsense"}):
        response = client.get("/api/v1/notifications/", query)
        assert response.status_code == 400, query
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(response.json())), response.json()
    assert client.delete(f"/api/v1/notifications/{inbox['first'].pk}/").status_code == 405
    response = client.patch(f"/api/v1/notifications/{inbox['first'].pk}/", {"read_at": ""}, format="json")
    assert response.status_code == 405


@pytest.mark.django_db
def test_the_bell_counts_unread_with_one_query(world, inbox, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = world.officer("a")
    template = Template("{% load notification_tags %}{% notification_bell %}")
    with django_assert_num_queries(1):
        html = template.render(Context({"request": request}))
    assert '<span class="bell-count">2</span>' in html
    assert "我的消息，2 条未读" in html
    request.user = world.users["leader"]
    with django_assert_num_queries(1):
        html = template.render(Context({"request": request}))
    assert "bell-count" not in html


@pytest.mark.django_db
def test_the_bell_is_in_the_top_bar_and_the_page_has_no_inline_script_or_style(world, login, inbox):
    body = login(world.officer("a")).get(reverse("notifications:list")).content.decode()
    assert 'class="bell bell-on"' in body and '<span class="bell-count">2</span>' in body
    assert "<style" not in body and "style=" not in body
    assert "<script>" not in body
