"""Departments are data the district keeps: 公安分局, 派出所, 法院 … added and edited in the UI, audited."""
import pytest
from django.urls import reverse

from pingan.accounts.models import Department
from pingan.core.models import AuditEntry


def test_the_district_adds_a_department_and_it_is_audited(world, login):
    client = login(world.users["district_admin"])
    response = client.post(reverse("accounts:department_create"), {
        "jurisdiction": world.county.pk, "name": "区退役军人事务局", "category": "退役军人", "phone": "0353-1234567",
        "is_active": "on"})
    department = Department.objects.get(name="区退役军人事务局")
    assert response["Location"] == reverse("accounts:department_detail", args=[department.pk])
    assert AuditEntry.objects.filter(action="department.create", object_id=str(department.pk)).exists()


@pytest.mark.parametrize("overrides, message", [
    ({"name": ""}, "该字段是必填项"),
    ({"name": "区公安分局"}, "同一辖区内已有同名部门"),
    ({"jurisdiction": "VILLAGE"}, "选择一个有效的选项"),
])
def test_bad_department_input_is_refused(world, login, overrides, message):
    data = {"jurisdiction": world.county.pk, "name": "新部门", "category": "其他", "phone": "", "is_active": "on"}
    data.update(overrides)
    if data["jurisdiction"] == "VILLAGE":
        data["jurisdiction"] = world.village("a").pk
    before = Department.objects.count()
    response = login(world.users["district_admin"]).post(reverse("accounts:department_create"), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert Department.objects.count() == before


def test_a_township_sees_the_county_departments_but_not_a_sibling_townships(world, login):
    body = login(world.officer("a")).get(reverse("accounts:department_list")).content.decode()
    assert "区公安分局" in body and "河底派出所" in body and "荫营派出所" not in body


@pytest.mark.parametrize("persona", ["township_a", "center_staff", "security_admin"])
def test_only_the_district_admin_edits_departments(world, login, persona):
    department = world.departments["police_a"]
    response = login(world.users[persona]).post(reverse("accounts:department_edit", args=[department.pk]),
                                                {"name": "改名", "jurisdiction": department.jurisdiction_id, "category": "公安"})
    assert response.status_code == 403
    department.refresh_from_db()
    assert department.name == "河底派出所"
