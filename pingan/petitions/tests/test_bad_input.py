"""Bad input on every path (service, page, API): six representatives, a wrong check character, another
township's place or case, impossible values — a clear Chinese message, a 4xx, nothing half-written."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pingan.core.models import AuditEntry
from pingan.petitions import choices as c
from pingan.petitions.models import Petition, Petitioner
from pingan.petitions.services import petitioner_add, petition_register
from pingan.petitions.testing import VALID_ID, make_petition

BASE = {"form": c.Form.VISIT, "content": "反映拖欠工资", "head_count": 8, "source": c.Source.LOCAL}


def reps(n):
    return [{"name": f"代表{i}", "is_representative": True} for i in range(1, n + 1)]


def test_six_representatives_are_refused_citing_article_20(world):
    with pytest.raises(ValidationError) as refused:
        petition_register(actor=world.officer("a"), data={**BASE, "jurisdiction": world.village("a")},
                          petitioners=reps(6))
    assert refused.value.message_dict["petitioners"] == [
        "多人采用走访形式提出同一信访事项的，应当推选代表，代表人数不超过5人（《信访工作条例》第二十条）；现登记了6名代表。"]
    assert Petition.objects.count() == 0 and Petitioner.objects.count() == 0
    petition = petition_register(actor=world.officer("a"), data={**BASE, "jurisdiction": world.village("a")},
                                 petitioners=reps(5))
    assert petition.is_group and petition.petitioners.count() == 5
    with pytest.raises(ValidationError) as refused:
        petitioner_add(actor=world.officer("a"), petition=petition, data={"name": "代表6", "is_representative": True})
    assert "第二十条" in refused.value.message_dict["petitioners"][0]
    assert petition.petitioners.count() == 5
    # A sixth person who is not a representative is fine.
    petitioner_add(actor=world.officer("a"), petition=petition, data={"name": "随行人员"})
    assert petition.petitioners.count() == 6


def test_a_wrong_check_character_and_a_bad_phone_are_named(world):
    with pytest.raises(ValidationError) as refused:
        petition_register(actor=world.officer("a"), data={**BASE, "head_count": 1, "jurisdiction": world.village("a")},
                          petitioners=[{"name": "甲", "id_number": "140311198001010011", "phone": "12345"}])
    errors = refused.value.message_dict
    assert "校验码错误" in errors["petitioners.0.id_number"][0] and "应为 X" in errors["petitioners.0.id_number"][0]
    assert "格式不正确" in errors["petitioners.0.phone"][0]
    assert Petition.objects.count() == 0


def test_other_rules_of_registration(world):
    officer = world.officer("a")
    cases = [
        ({"jurisdiction": world.village("b")}, "jurisdiction", "问题属地不存在或不在您的管辖范围内"),
        ({"jurisdiction": world.grid("a")}, "jurisdiction", "问题属地不存在或不在您的管辖范围内"),
        ({"form": "托人带话"}, "form", "请选择信访形式"),
        ({"registered_on": dt.date(2099, 1, 1)}, "registered_on", "登记日期不能晚于今天"),
        ({"head_count": 0}, "head_count", "人数应为 1 至 100000 之间的整数"),
        ({"content": "  "}, "content", "请填写诉求内容"),
        ({"source": c.Source.ASSIGNED}, "assigning_body", "上级交办的信访事项请填写交办单位"),
    ]
    for change, field, message in cases:
        data = {**BASE, "head_count": 1, "jurisdiction": world.village("a"), **change}
        with pytest.raises(ValidationError) as refused:
            petition_register(actor=officer, data=data, petitioners=[{"name": "甲"}])
        assert message in refused.value.message_dict[field][0], (change, refused.value.message_dict)
    with pytest.raises(ValidationError) as refused:
        petition_register(actor=officer, data={**BASE, "head_count": 1, "jurisdiction": world.village("a")},
                          petitioners=[])
    assert refused.value.message_dict["petitioners"] == ["请至少登记一名信访人。"]
    with pytest.raises(ValidationError) as refused:
        petition_register(actor=officer, data={**BASE, "head_count": 1, "jurisdiction": world.village("a")},
                          petitioners=[{"name": "甲"}, {"name": "乙"}])
    assert refused.value.message_dict["head_count"] == ["人数（1）不能少于登记的信访人人数（2）。"]
    assert Petition.objects.count() == 0


def test_a_village_officer_may_not_register(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        petition_register(actor=world.users["village_a"], data={**BASE, "jurisdiction": world.village("a")},
                          petitioners=[{"name": "甲"}])
    assert AuditEntry.objects.filter(action="petition.create", outcome="failure").count() == 1


def test_the_registration_page_refuses_and_keeps_nothing(world, client):
    client.force_login(world.officer("a"))
    url = reverse("petitions:create")
    post = {"jurisdiction": world.village("a").pk, "form": "visit", "content": "反映拖欠工资", "head_count": "８",
            "source": "local"}
    for i in range(1, 7):
        post[f"p{i}_name"] = f"代表{i}"
        post[f"p{i}_is_representative"] = "on"
    response = client.post(url, post)
    assert response.status_code == 400
    assert "代表人数不超过5人（《信访工作条例》第二十条）" in response.content.decode()
    # Another township's village is not a choice.
    response = client.post(url, {**post, "jurisdiction": world.village("b").pk, "p6_name": ""})
    assert response.status_code == 400 and "所选问题属地不存在或不在您的管辖范围内" in response.content.decode()
    # A wrong check character beside the petitioner's field.
    response = client.post(url, {**post, "p6_name": "", "p1_id_number": "140311198001010011"})
    assert response.status_code == 400 and "校验码错误" in response.content.decode()
    assert Petition.objects.count() == 0
    # Full-width digits read as half-width; five representatives are fine.
    response = client.post(url, {**post, "p6_name": "", "p6_is_representative": ""})
    assert response.status_code == 302
    petition = Petition.objects.get()
    assert petition.head_count == 8 and petition.petitioners.count() == 5 and petition.is_group


def test_another_townships_petition_is_404_on_every_route(world, client):
    petition = make_petition(world, "a")
    client.force_login(world.officer("b"))
    for name in ("detail", "act", "supervise", "extension_request", "petitioner_add"):
        assert client.get(reverse(f"petitions:{name}", kwargs={"pk": petition.pk})).status_code == 404, name
    row = petition.petitioners.get()
    assert client.post(reverse("petitions:petitioner_remove", kwargs={"pk": row.pk})).status_code == 404
    assert client.get(reverse("api:petition-detail", kwargs={"pk": petition.pk})).status_code == 404
    assert Petitioner.objects.filter(pk=row.pk).exists()


def test_the_api_registers_and_refuses_like_the_page(world, api):
    client = api(world.officer("a"))
    url = reverse("api:petition-list")
    body = {"jurisdiction": world.village("a").code, "form": "letter", "content": "反映拖欠工资", "head_count": 2,
            "hall_code": "YAYM-2026-0001",
            "petitioners": [{"name": "甲", "id_number": VALID_ID, "is_representative": True}, {"name": "乙"}]}
    response = client.post(url, body, format="json")
    assert response.status_code == 201, response.content.decode()
    data = response.json()
    assert data["hall_code"] == "YAYM-2026-0001" and data["state"] == "registered" and data["petitioner_name"] == "甲"
    rows = client.get(reverse("api:petitioner-list"), {"petition": data["id"]}).json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert [(r["name"], r["id_masked"]) for r in rows] == [("甲", "1403************1X"), ("乙", "")]
    assert VALID_ID not in str(rows)
    bad = client.post(url, {**body, "jurisdiction": world.village("b").code}, format="json")
    assert bad.status_code == 400 and "问题属地不存在或不在您的管辖范围内" in bad.json()["detail"]
    bad = client.post(url, {**body, "petitioners": [{"name": "甲", "id_number": "140311198001010011"}]}, format="json")
    assert bad.status_code == 400 and "校验码错误" in bad.json()["errors"]["petitioners.0.id_number"][0]
    six = [{"name": f"代表{i}", "is_representative": True} for i in range(6)]
    bad = client.post(url, {**body, "head_count": 6, "petitioners": six}, format="json")
    assert bad.status_code == 400 and "第二十条" in bad.json()["detail"]
    bad = client.post(url, {**body, "head_count": "many"}, format="json")
    assert bad.status_code == 400
    assert Petition.objects.count() == 1
    # The hall finds its visitor's petition by the code.
    listed = client.get(url, {"hall_code": "YAYM-2026-0001"}).json()
    assert [r["id"] for r in (listed["results"] if isinstance(listed, dict) else listed)] == [data["id"]]


def test_the_api_removes_a_petitioner_within_scope_only(world, api):
    petition = make_petition(world, "a", head_count=2, petitioners=[{"name": "甲"}, {"name": "乙"}])
    first, second = petition.petitioners.order_by("id")
    outsider = api(world.officer("b"))
    assert outsider.delete(reverse("api:petitioner-detail", kwargs={"pk": second.pk})).status_code == 404
    owner = api(world.officer("a"))
    assert owner.get(reverse("api:petitioner-detail", kwargs={"pk": second.pk})).json()["name"] == "乙"
    assert owner.delete(reverse("api:petitioner-detail", kwargs={"pk": second.pk})).status_code == 204
    last = owner.delete(reverse("api:petitioner-detail", kwargs={"pk": first.pk}))
    assert last.status_code == 400 and "至少要有一名信访人" in last.json()["detail"]
    assert list(petition.petitioners.values_list("name", flat=True)) == ["甲"]
    added = owner.post(reverse("api:petition-petitioners", kwargs={"pk": petition.pk}),
                       {"name": "丙", "id_number": "140311198001010011"}, format="json")
    assert added.status_code == 400 and "校验码错误" in added.json()["errors"]["id_number"][0]
