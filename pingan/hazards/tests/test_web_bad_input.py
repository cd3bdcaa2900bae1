"""Bad input through the pages: a Chinese message, a 4xx, nothing written."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pingan.cases.models import TransitionLog, WorkflowAttachment
from pingan.hazards.models import Hazard
from pingan.hazards.testing import make_hazard

from .conftest import not_image

pytestmark = pytest.mark.usefixtures("holidays")


def form(world, **change):
    data = {"jurisdiction": world.village("a").pk, "screened_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
            "hazard_type": "03", "risk_level": "02", "description": "两户因排水沟走向争执"}
    data.update(change)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("change,message", [
    ({"jurisdiction": None}, "请选择隐患所在的村(社区)或网格"),
    ({"description": None}, "请填写隐患描述"),
    ({"screened_on": "2024-02-30"}, "排查日期格式不正确"),
    ({"screened_on": "昨天"}, "排查日期格式不正确"),
    ({"hazard_type": "07"}, "隐患类型不正确"),
    ({"rectify_deadline": "2001-01-01"}, "整治期限不能早于排查日期"),
    ({"latitude": "abc"}, "纬度应为数字"),
    ({"latitude": "37.8"}, "经纬度须同时填写或同时留空"),
])
def test_registration_rejects_bad_input(world, client, change, message):
    client.force_login(world.officer("a"))
    response = client.post(reverse("hazards:create"), form(world, **change))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Hazard.objects.exists()


def test_another_townships_village_and_department_are_refused(world, client):
    client.force_login(world.officer("a"))
    response = client.post(reverse("hazards:create"), form(world, jurisdiction=world.village("b").pk))
    assert response.status_code == 400 and "不在您的管辖范围内" in response.content.decode()
    response = client.post(reverse("hazards:create"),
                           form(world, responsible_department=world.departments["police_b"].pk))
    assert response.status_code == 400 and "不在您的管辖范围内" in response.content.decode()
    assert not Hazard.objects.exists()


def test_a_non_image_photo_is_refused_and_nothing_is_written(world, client):
    client.force_login(world.users["grid_a"])
    response = client.post(reverse("hazards:create"), {**form(world, jurisdiction=world.grid("a").pk),
                                                       "photos": [not_image()]})
    assert response.status_code == 400 and "不是有效的图片文件" in response.content.decode()
    assert not Hazard.objects.exists() and not WorkflowAttachment.objects.exists()


def test_full_width_dates_are_read(world, client):
    client.force_login(world.officer("a"))
    day = timezone.localdate() - dt.timedelta(days=1)
    wide = day.isoformat().translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
    response = client.post(reverse("hazards:create"), form(world, screened_on=wide))
    assert response.status_code == 302
    assert Hazard.objects.get().screened_on == day


def test_leaders_cannot_open_the_registration_form(world, client):
    client.force_login(world.users["leader"])
    assert client.get(reverse("hazards:create")).status_code == 403
    assert client.get(reverse("hazards:list")).status_code == 200


def test_a_future_rectification_date_and_wrong_steps_answer_400_or_403(world, client):
    hazard = make_hazard(world, "a")
    url = reverse("hazards:act", args=[hazard.pk])
    client.force_login(world.users["handler_a"])
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    response = client.post(url, {"action": "complete", "rectified_on": future, "measures": "x"})
    assert response.status_code == 400 and "整治完成日期不能晚于今天" in response.content.decode()
    response = client.post(url, {"action": "complete", "rectified_on": "2024-13-01", "measures": "x"})
    assert response.status_code == 400 and "整治完成日期格式不正确" in response.content.decode()
    response = client.post(url, {"action": "accept"})
    assert response.status_code == 403
    response = client.post(url, {})
    assert response.status_code == 400 and "请选择要执行的操作" in response.content.decode()
    client.force_login(world.users["handler_b"])
    assert client.post(url, {"action": "start"}).status_code == 404
    hazard.refresh_from_db()
    assert hazard.state == "pending"
    assert TransitionLog.objects.for_case(hazard).count() == 1


def test_supervision_and_extension_forms_reject_bad_input(world, client):
    hazard = make_hazard(world, "a")
    client.force_login(world.users["center_staff"])
    response = client.post(reverse("hazards:supervise", args=[hazard.pk]), {"note": "", "due_on": "x"})
    assert response.status_code == 400 and "请填写督办意见" in response.content.decode()
    client.force_login(world.users["handler_a"])
    response = client.post(reverse("hazards:extension_request", args=[hazard.pk]),
                           {"new_deadline": "2000-01-01", "reason": "x"})
    assert response.status_code == 400 and "延期日期须晚于" in response.content.decode()
    # The handler may not decide extensions at all (403, before the form is read); the township may, and its
    # bad input is a 400.
    assert client.post(reverse("hazards:extension_decide", args=[hazard.pk]), {"extension": "abc"}).status_code == 403
    client.force_login(world.officer("a"))
    response = client.post(reverse("hazards:extension_decide", args=[hazard.pk]), {"extension": "abc"})
    assert response.status_code == 400
    client.force_login(world.users["handler_a"])
    response = client.post(reverse("hazards:supervision_reply", args=[hazard.pk]), {"supervision": 999, "reply": "x"})
    assert response.status_code == 400 and "找不到这条待反馈的督办" in response.content.decode()


def test_the_list_rejects_a_bad_filter_in_chinese(world, client):
    client.force_login(world.officer("a"))
    response = client.get(reverse("hazards:list"), {"screened_from": "2024-99-01"})
    assert response.status_code == 400 and "查询条件有误" in response.content.decode()
