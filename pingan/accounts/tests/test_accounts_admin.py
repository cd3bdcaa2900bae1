"""Account administration (系统管理员: working accounts; 安全管理员: their security), role separation, API tokens."""
import pytest
from django.urls import reverse

from pingan.accounts.choices import Role
from pingan.accounts.models import User
from pingan.core.models import AuditEntry


def _form(world, **overrides):
    data = {"username": "new_grid", "full_name": "新网格员", "role": Role.GRID_WORKER, "scope": world.grid("a").pk,
            "department": "", "post": "专职网格员", "phone": "13800000000", "email": "", "expires_at": "",
            "is_active": "on", "password": "Wang-Ge-2026!"}
    data.update(overrides)
    return data


def test_the_system_admin_creates_an_account_with_a_temporary_password_and_it_is_audited(world, login):
    client = login(world.users["district_admin"])
    response = client.post(reverse("accounts:user_create"), _form(world))
    assert response.status_code == 302
    user = User.objects.get(username="new_grid")
    assert user.scope == world.grid("a") and user.check_password("Wang-Ge-2026!")
    assert user.role == Role.GRID_WORKER and user.phone == "13800000000"
    entry = AuditEntry.objects.get(action="account.create", object_id=str(user.pk))
    assert "password" not in entry.changes["after"]
    assert entry.changes["after"]["role"] == "grid_worker"


@pytest.mark.parametrize("overrides, message", [
    ({"password": "123"}, "密码"),
    ({"role": Role.DEPT_HANDLER}, "部门承办人必须指定所属部门"),
    ({"scope": ""}, "该字段是必填项"),
    ({"scope": "999999"}, "选择一个有效的选项"),
    ({"role": "boss"}, "选择一个有效的选项"),
    ({"expires_at": "2026-02-30T10:00"}, "输入一个有效的日期"),
    ({"username": ""}, "该字段是必填项"),
])
def test_bad_account_input_is_refused_and_nothing_is_written(world, login, overrides, message):
    client = login(world.users["district_admin"])
    before = User.objects.count()
    response = client.post(reverse("accounts:user_create"), _form(world, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert User.objects.count() == before


def test_a_duplicate_username_is_refused(world, login):
    client = login(world.users["district_admin"])
    response = client.post(reverse("accounts:user_create"), _form(world, username="township_a"))
    assert response.status_code == 400 and "已存在" in response.content.decode()


@pytest.mark.parametrize("persona", ["township_a", "auditor", "leader", "grid_a"])
def test_only_the_system_and_security_admins_open_the_account_pages(world, login, persona):
    client = login(world.users[persona])
    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert client.post(reverse("accounts:user_create"), _form(world)).status_code == 403
    assert AuditEntry.objects.filter(action="permission_denied", actor=world.users[persona]).exists()


def test_three_role_separation_the_auditor_and_security_admin_see_no_case_data(world, login):
    auditor = login(world.users["auditor"])
    assert auditor.get(reverse("geo:tree")).status_code == 403
    assert auditor.get(reverse("core:audit_log")).status_code == 200
    security = login(world.users["security_admin"])
    assert security.get(reverse("core:audit_log")).status_code == 403
    assert not world.users["security_admin"].may_see_data_kind("case")
    assert not world.users["security_admin"].may_see_data_kind("person")
    assert not world.users["auditor"].may_see_data_kind("case")


def test_the_unlock_action_is_audited(world, login):
    from django.utils import timezone
    import datetime as dt

    locked = world.users["grid_a"]
    locked.locked_until = timezone.now() + dt.timedelta(minutes=10)
    locked.failed_logins = 5
    locked.save()
    client = login(world.users["security_admin"])
    assert client.post(reverse("accounts:user_unlock", args=[locked.pk])).status_code == 302
    assert AuditEntry.objects.get(action="account.unlock", object_id=str(locked.pk)).changes["failed_logins"] == [5, 0]
    locked.refresh_from_db()
    assert not locked.is_locked
    assert AuditEntry.objects.filter(action="account.unlock", object_id=str(locked.pk)).exists()


def test_the_user_list_pins_its_query_count(world, login, django_assert_max_num_queries):
    client = login(world.users["security_admin"])
    with django_assert_max_num_queries(9):
        assert client.get(reverse("accounts:user_list")).status_code == 200


def test_an_api_token_is_issued_audited_and_works(world, login, client):
    web = login(world.officer("a"))
    response = web.post(reverse("accounts:token_issue"))
    key = response.context["token"]
    assert AuditEntry.objects.filter(action="api_token.issue", actor=world.officer("a")).exists()
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    me = api.get("/api/v1/me/").json()
    assert me["username"] == "township_a" and me["scope"] == "140311101"
    api.credentials(HTTP_AUTHORIZATION="Token wrong")
    bad = api.get("/api/v1/me/")
    assert bad.status_code == 401 and "令牌无效" in bad.json()["detail"]


def test_the_home_page_shows_each_role_its_own_panels(world, login):
    security = login(world.users["security_admin"]).get("/").content.decode()
    assert "账号安全" in security and "今日审计" not in security and "我的辖区" in security
    auditor = login(world.users["auditor"]).get("/").content.decode()
    assert "今日审计" in auditor and "账号安全" not in auditor and "我的辖区" not in auditor
    township = login(world.officer("a")).get("/").content.decode()
    assert "我的辖区：河底镇" in township and "账号安全" not in township
