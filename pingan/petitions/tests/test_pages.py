"""The petition pages: the list with its filters and a pinned number of queries, the petitioner form and the
topic list read back from the database, the queue and the home panel."""
import datetime as dt

from django.urls import reverse

from pingan.cases import engine
from pingan.petitions import choices as c
from pingan.petitions.models import Petition, Petitioner, Topic
from pingan.petitions.testing import make_petition


def test_the_list_filters_and_its_queries_are_pinned(world, client, django_assert_max_num_queries):
    for i in range(6):
        make_petition(world, "a", form=c.Form.LETTER if i % 2 else c.Form.VISIT, is_backlog=i < 2,
                      content=f"第{i}件诉求")
    make_petition(world, "b", actor=world.officer("b"), content="荫营的诉求")
    client.force_login(world.users["center_staff"])
    url = reverse("petitions:list")
    with django_assert_max_num_queries(14):
        page = client.get(url)
    assert page.status_code == 200 and page.content.decode().count("/petitions/") >= 7
    assert "共 7 条" in page.content.decode()
    assert "共 3 条" in client.get(url, {"form": "letter"}).content.decode()
    assert "共 2 条" in client.get(url, {"backlog": "true"}).content.decode()
    assert "共 1 条" in client.get(url, {"place": world.township("b").code}).content.decode()
    bad = client.get(url, {"registered_from": "2026-02-30"})
    assert bad.status_code == 400 and "查询条件有误" in bad.content.decode()
    client.force_login(world.officer("b"))
    assert "共 1 条" in client.get(url).content.decode()


def test_petitioner_add_reads_back(world, client):
    petition = make_petition(world, "a")
    client.force_login(world.officer("a"))
    response = client.post(reverse("petitions:petitioner_add", kwargs={"pk": petition.pk}),
                           {"name": "王五", "phone": "13800001111", "address": "固庄村3号", "is_representative": "on"})
    assert response.status_code == 302
    row = Petitioner.objects.get(petition=petition, name="王五")
    assert (row.phone_masked, row.address, row.is_representative) == ("138****1111", "固庄村3号", True)
    response = client.post(reverse("petitions:petitioner_remove", kwargs={"pk": row.pk}))
    assert response.status_code == 302 and not Petitioner.objects.filter(pk=row.pk).exists()
    # The last one stays.
    last = petition.petitioners.get()
    client.post(reverse("petitions:petitioner_remove", kwargs={"pk": last.pk}))
    assert Petitioner.objects.filter(pk=last.pk).exists()


def test_topics_are_configured_by_the_centre_only(world, client):
    client.force_login(world.officer("a"))
    assert client.get(reverse("petitions:topics")).status_code == 403
    client.force_login(world.users["center_staff"])
    response = client.post(reverse("petitions:topics"), {"name": "征地拆迁", "code": "01", "order": "１", "active": "on"})
    assert response.status_code == 302
    topic = Topic.objects.get(name="征地拆迁")
    assert (topic.code, topic.order, topic.active, topic.jurisdiction) == ("01", 1, True, world.county)
    response = client.post(reverse("petitions:topics"), {"name": "征地拆迁"})
    assert response.status_code == 400 and "已存在" in response.content.decode()
    response = client.post(reverse("petitions:topics"), {"topic": topic.pk, "name": "征地补偿", "order": "2"})
    topic.refresh_from_db()
    assert (topic.name, topic.order, topic.active) == ("征地补偿", 2, False)
    # Registration links the typed text to the list.
    petition = make_petition(world, "a", topic_text="征地补偿")
    assert petition.topic is None  # inactive topics are not linked
    topic.active = True
    topic.save()
    assert make_petition(world, "a", topic_text="征地补偿").topic == topic


def test_the_queue_and_the_home_panel(world, client):
    petition = make_petition(world, "a")
    engine.transition(actor=world.officer("a"), case=petition, action="assign",
                      data={"assigned_department": world.departments["police_a"], "accepted_on": dt.date.today()})
    make_petition(world, "a")
    client.force_login(world.users["handler_a"])
    queue = client.get(reverse("petitions:queue")).content.decode()
    assert petition.number in queue
    home = client.get("/").content.decode()
    assert "信访事项" in home
    # The handler sees only what was assigned to the department.
    assert set(Petition.objects.visible_to(world.users["handler_a"])) == {petition}
