"""The part-2 pages: 交办清单 list/detail (attach by number, report back), 积案, 领导接访, the repeat panel —
Chinese, scope (another township's record is 404), bad input 400, query counts pinned."""
import datetime as dt

from django.urls import reverse

from pingan.petitions.lists import list_attach, list_create
from pingan.petitions.models import AssignedList, LeaderReception, Petition
from pingan.petitions.receptions import reception_save
from pingan.petitions.testing import make_petition

D = dt.date


def _list(world, side="a"):
    return list_create(actor=world.officer(side), data={
        "title": "市交办清单", "assigning_body": "市信访局", "level": "city", "received_on": D(2026, 3, 1),
        "deadline": D(2026, 3, 20)})


def test_list_pages(world, login, clock, django_assert_max_num_queries):
    clock(D(2026, 3, 25))
    listed = _list(world)
    items = [make_petition(world, "a", registered_on=D(2026, 3, 2)) for _ in range(3)]
    list_attach(actor=world.officer("a"), assigned_list=listed, petitions=items)
    client = login(world.officer("a"))
    with django_assert_max_num_queries(20):
        page = client.get(reverse("petitions:lists"))
    assert page.status_code == 200 and "0/3（0%）" in page.content.decode() and "逾期" in page.content.decode()
    with django_assert_max_num_queries(25):
        page = client.get(reverse("petitions:list_detail", args=[listed.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "逾期 8 天" in text and items[0].number in text
    bad = client.post(reverse("petitions:list_detail", args=[listed.pk]),
                      {"do": "report", "r-report_text": "已办理", "r-reason": ""})
    assert bad.status_code == 400 and "还有 3 件未办结" in bad.content.decode()
    other = make_petition(world, "b")
    bad = client.post(reverse("petitions:list_detail", args=[listed.pk]), {"do": "attach", "a-numbers": other.number})
    assert bad.status_code == 400 and Petition.objects.get(pk=other.pk).assigned_list_id is None
    ok = client.post(reverse("petitions:list_detail", args=[listed.pk]),
                     {"do": "report", "r-report_text": "已办理", "r-reason": "法院执行中"})
    assert ok.status_code == 302 and AssignedList.objects.get(pk=listed.pk).reported_on == D(2026, 3, 25)
    bad = client.post(reverse("petitions:lists"), {"title": "", "level": "x", "received_on": "2026-02-30"})
    assert bad.status_code == 400 and AssignedList.objects.count() == 1
    assert login(world.officer("b")).get(reverse("petitions:list_detail", args=[listed.pk])).status_code == 404


def test_backlog_receptions_and_repeat_pages(world, login, clock, django_assert_max_num_queries):
    clock(D(2026, 3, 12))
    for _ in range(3):
        make_petition(world, "a", is_backlog=True)
    reception_save(actor=world.officer("a"), data={"leader_name": "王镇长", "held_on": D(2026, 3, 20),
                                                   "place": "镇接待室", "kind": "reception",
                                                   "leader": world.users["leader"]})
    client = login(world.officer("a"))
    with django_assert_max_num_queries(20):
        page = client.get(reverse("petitions:backlog"))
    assert page.status_code == 200 and "积案 3 件：化解 0 件，稳控 0 件，未有结果 3 件" in page.content.decode()
    with django_assert_max_num_queries(20):
        page = client.get(reverse("petitions:receptions"))
    assert page.status_code == 200 and "镇接待室" in page.content.decode()
    bad = client.post(reverse("petitions:receptions"), {"leader_name": "", "held_on": "x", "place": "", "kind": "x"})
    assert bad.status_code == 400 and LeaderReception.objects.count() == 1
    leader_page = login(world.users["leader"]).get(reverse("petitions:receptions"))
    assert leader_page.status_code == 200 and "镇接待室" in leader_page.content.decode()
    assert "安排接访" not in leader_page.content.decode()
    client = login(world.officer("a"))  # the fixture's one client: back to the officer
    first = make_petition(world, "a", registered_on=D(2026, 3, 1), petitioners=[{"name": "李四", "phone": "13600001234"}])
    second = make_petition(world, "a", petitioners=[{"name": "李四", "phone": "13600001234"}])
    page = client.get(reverse("petitions:repeats", args=[second.pk]))
    assert page.status_code == 200 and first.number in page.content.decode()
    done = client.post(reverse("petitions:repeats", args=[second.pk]), {"original": first.number.lower()})
    assert done.status_code == 302 and Petition.objects.get(pk=second.pk).repeat_of_id == first.pk
    bad = client.post(reverse("petitions:repeats", args=[second.pk]), {"original": "XF000"})
    assert bad.status_code == 400
    assert login(world.officer("b")).get(reverse("petitions:repeats", args=[second.pk])).status_code == 404
    assert login(world.users["leader"]).get(reverse("petitions:repeats", args=[second.pk])).status_code == 403
