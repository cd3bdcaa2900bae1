"""The UI shell: Chinese error pages, navigation per role, the API schema and docs served locally."""
import pytest
from django.test import Client
from django.urls import reverse

from pingan.core import views


def test_an_unknown_page_is_a_chinese_404(world, login):
    response = login(world.officer("a")).get("/no-such-page/")
    assert response.status_code == 404
    assert "页面或记录不存在" in response.content.decode()


def test_a_server_error_page_is_chinese_and_self_contained(rf):
    response = views.error_500(rf.get("/"))
    body = response.content.decode()
    assert response.status_code == 500 and "系统出现内部错误" in body
    assert "http" not in body.replace('href="/"', "")  # no external asset on the error page


def test_a_403_page_is_chinese(world, login):
    response = login(world.officer("a")).get(reverse("accounts:user_list"))
    assert response.status_code == 403 and "没有访问此功能的权限" in response.content.decode()


def test_navigation_shows_only_what_the_role_may_use(world, login):
    township = login(world.officer("a")).get("/").context["nav_items"]
    labels = {item["label"] for item in township}
    assert "辖区网格" in labels and "账号管理" not in labels
    auditor = {item["label"] for item in login(world.users["auditor"]).get("/").context["nav_items"]}
    assert "辖区网格" not in auditor
    security = {item["label"] for item in login(world.users["security_admin"]).get("/").context["nav_items"]}
    assert "账号管理" in security


def test_pages_load_their_assets_from_this_server_only(world, login):
    body = login(world.officer("a")).get("/").content.decode()
    assert "cdn" not in body.lower() and "https://" not in body


@pytest.mark.parametrize("path", ["/static/pingan/pingan.css", "/static/leaflet/leaflet.js"])
def test_static_assets_are_served_by_the_app(db, path):
    from django.conf import settings
    response = Client().get(path)
    assert response.status_code == 200, f"{path} not served (STATIC_ROOT={settings.STATIC_ROOT})"


def test_the_openapi_schema_and_docs_are_served(world, login):
    client = login(world.officer("a"))
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/jurisdictions/" in paths and "/api/v1/me/" in paths
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn.jsdelivr" not in docs


@pytest.mark.parametrize("path", ["/django-admin/", "/django-admin/login/", "/django-admin/accounts/user/"])
def test_there_is_no_django_admin_to_bypass_the_lockout_and_the_audit(world, login, path):
    superuser = world.users["district_admin"]
    superuser.is_staff = superuser.is_superuser = True
    superuser.save()
    assert login(superuser).get(path).status_code == 404
