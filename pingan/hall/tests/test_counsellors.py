"""心理咨询师名录 (pingan.registers): list, create, edit read back from the database, 停用 (never deleted once
booked), refusals (roles, another township), bad input answered in Chinese with nothing written, and no trace
of the appointments' notes on these pages or in the API."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from pingan.accounts.choices import Role
from pingan.accounts.models import User
from pingan.core.models import AuditEntry
from pingan.core.testing_forms import form_post_data
from pingan.hall import choices as c
from pingan.hall import services
from pingan.hall.forms import CounsellorForm
from pingan.hall.models import Appointment, Counsellor
from pingan.hall.testing import make_counsellor, make_matter

pytestmark = pytest.mark.django_db

NOTES = "来访者谈到失眠与家庭压力NOTEMARK，约两周后复诊"


@pytest.fixture(autouse=True)
def _holidays(db):
    from pingan.core.calendar.loader import load_holidays

    load_holidays()


def at(days, hour, minute=0):
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def staff(world, username="xinli_a", side="a", role=Role.CENTER_STAFF, scope=None):
    return User.objects.create(username=username, role=role, scope=scope or world.township(side), full_name="郝心怡")


def book(world, counsellor, days=2, hour=9, phone="13700000001"):
    matter = make_matter(world, "a", phone=phone, category=c.Category.PSYCH)
    return services.appointment_book(actor=world.officer("a"), visitor=matter.visitor, counsellor=counsellor,
                                     starts_at=at(days, hour), matter=matter)


def successes():
    return AuditEntry.objects.filter(outcome="success").count()


# ------------------------------------------------------------------------------------------------- list
def test_the_list_shows_the_townships_counsellors_in_a_fixed_number_of_queries(world, login,
                                                                               django_assert_max_num_queries):
    for i in range(8):
        make_counsellor(world, "a", name=f"河底咨询师{i}")
    make_counsellor(world, "b", name="荫营咨询师")
    client = login(world.officer("a"))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("hall:counsellors_list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "河底咨询师7" in body and "区心理咨询协会" in body and "荫营咨询师" not in body


def test_the_list_filters_by_hall_and_by_active_and_a_foreign_hall_is_a_400(world, login):
    on = make_counsellor(world, "a", name="在岗咨询师")
    off = make_counsellor(world, "a", name="停用咨询师")
    services.counsellor_deactivate(actor=world.officer("a"), counsellor=off)
    county = services.counsellor_create(actor=world.users["district_admin"], data={
        "jurisdiction": world.county, "name": "区中心咨询师"})
    admin = login(world.users["district_admin"])
    body = admin.get(reverse("hall:counsellors_list"), {"active": "no"}).content.decode()
    assert "停用咨询师" in body and "在岗咨询师" not in body
    body = admin.get(reverse("hall:counsellors_list"), {"jurisdiction": world.township("a").pk}).content.decode()
    assert on.name in body and off.name in body and county.name not in body
    # Township B asking for A's hall: 400, an empty list and a Chinese message.
    response = login(world.officer("b")).get(reverse("hall:counsellors_list"),
                                              {"jurisdiction": world.township("a").pk})
    body = response.content.decode()
    assert response.status_code == 400
    assert "在岗咨询师" not in body and "所选项不存在或不在您的管辖范围内" in body


def test_the_duty_page_and_the_navigation_link_to_the_register(world, login):
    client = login(world.officer("a"))
    url = reverse("hall:counsellors_list")
    assert f'href="{url}"' in client.get(reverse("hall:duty")).content.decode()
    assert f'href="{url}"' in client.get("/").content.decode()
    # A grid worker sees neither the register in the menu nor anything of the township's hall.
    make_counsellor(world, "a", name="网格不可见咨询师")
    grid = login(world.users["grid_a"])
    assert f'href="{url}"' not in grid.get("/").content.decode()
    assert "网格不可见咨询师" not in grid.get(url).content.decode()


# ------------------------------------------------------------------------------------ create and edit
def test_a_counsellor_is_added_through_the_form_and_read_back(world, login):
    account = staff(world)
    client = login(world.officer("a"))
    page = client.get(reverse("hall:counsellors_create")).content.decode()
    assert "郝心怡（xinli_a）" in page and "河底镇（乡镇综治中心）" in page and "荫营镇" not in page
    response = client.post(reverse("hall:counsellors_create"), {
        "name": "ＡＢ郝心怡", "organisation": "区心理咨询协会", "kind": "resident",
        "jurisdiction": world.township("a").pk, "user": account.pk, "is_active": "on"})
    assert response.status_code == 302
    stored = Counsellor.objects.get()
    # Full-width letters are made half-width; everything else as posted.
    assert (stored.name, stored.organisation, stored.kind, stored.jurisdiction, stored.user, stored.is_active) == (
        "AB郝心怡", "区心理咨询协会", "resident", world.township("a"), account, True)
    entry = AuditEntry.objects.get(action="counsellor.create", object_id=str(stored.pk))
    assert entry.actor == world.officer("a") and entry.changes["after"]["name"] == "AB郝心怡"


def test_editing_a_counsellor_changes_only_what_was_edited_and_audits_it(world, login):
    counsellor = make_counsellor(world, "a", name="贺明远")
    account = staff(world)
    form = CounsellorForm(instance=counsellor, actor=world.officer("a"))
    data = form_post_data(form)
    assert data == {"name": "贺明远", "organisation": "区心理咨询协会", "kind": "invited",
                    "jurisdiction": str(world.township("a").pk), "is_active": "on"}
    data.update(organisation="区精神卫生中心", kind="rotating", user=str(account.pk))
    client = login(world.officer("a"))
    response = client.post(reverse("hall:counsellors_edit", args=[counsellor.pk]), data)
    assert response.status_code == 302
    stored = Counsellor.objects.get(pk=counsellor.pk)
    assert (stored.name, stored.organisation, stored.kind, stored.user_id, stored.is_active,
            stored.jurisdiction_id) == ("贺明远", "区精神卫生中心", "rotating", account.pk, True, world.township("a").pk)
    assert AuditEntry.objects.get(action="counsellor.update", object_id=str(counsellor.pk)).changes == {
        "organisation": ["区心理咨询协会", "区精神卫生中心"], "kind": ["invited", "rotating"], "user": [None, account.pk]}
    # Unticking 在岗 on the form deactivates; ticking it again brings the counsellor back.
    data.pop("is_active")
    assert client.post(reverse("hall:counsellors_edit", args=[counsellor.pk]), data).status_code == 302
    assert Counsellor.objects.get(pk=counsellor.pk).is_active is False
    data["is_active"] = "on"
    assert client.post(reverse("hall:counsellors_edit", args=[counsellor.pk]), data).status_code == 302
    assert Counsellor.objects.get(pk=counsellor.pk).is_active is True


@pytest.mark.parametrize("change, message", [
    ({"name": ""}, "请填写姓名"),
    ({"name": "名" * 1000}, "姓名最多 50 字（现为 1000 字）。"),
    ({"name": "\u3000\u3000"}, "请填写姓名"),                     # full-width spaces only
    ({"organisation": "机" * 101}, "所属机构最多 100 字（现为 101 字）。"),
    ({"kind": "forever"}, "选择一个有效的选项"),
    ({"jurisdiction": "B"}, "所选项不存在或不在您的管辖范围内"),     # township B's hall
    ({"jurisdiction": "FULLWIDTH_B"}, "所选项不存在或不在您的管辖范围内"),  # its id in full-width digits
    ({"jurisdiction": "VILLAGE"}, "所选项不存在或不在您的管辖范围内"),   # a village is not a hall
    ({"jurisdiction": ""}, "请选择所属中心"),
    ({"user": "B"}, "所选项不存在或不在您的管辖范围内"),            # township B's account
])
def test_bad_input_on_the_create_form_is_a_400_in_chinese_and_writes_nothing(world, login, change, message):
    other = staff(world, "xinli_b", side="b")
    values = {"B": world.township("b").pk, "VILLAGE": world.village("a").pk,
              "FULLWIDTH_B": str(world.township("b").pk).translate(str.maketrans("0123456789", "０１２３４５６７８９"))}
    data = {"name": "郝心怡", "organisation": "区心理咨询协会", "kind": "invited",
            "jurisdiction": world.township("a").pk, "is_active": "on"}
    for key, value in change.items():
        data[key] = other.pk if (key == "user" and value == "B") else values.get(value, value)
    before = successes()
    response = login(world.officer("a")).post(reverse("hall:counsellors_create"), data)
    assert response.status_code == 400, response.status_code
    assert message in response.content.decode()
    assert Counsellor.objects.count() == 0 and successes() == before


def test_bad_input_on_the_edit_form_leaves_the_row_as_it_was(world, login):
    counsellor = make_counsellor(world, "a", name="贺明远")
    data = form_post_data(CounsellorForm(instance=counsellor, actor=world.officer("a")))
    client = login(world.officer("a"))
    before = successes()
    for change, message in (({"name": "x" * 1000}, "姓名最多 50 字"), ({"name": ""}, "请填写姓名"),
                            ({"jurisdiction": world.township("b").pk}, "所选项不存在或不在您的管辖范围内")):
        response = client.post(reverse("hall:counsellors_edit", args=[counsellor.pk]), {**data, **change})
        assert response.status_code == 400 and message in response.content.decode(), change
    stored = Counsellor.objects.get(pk=counsellor.pk)
    assert (stored.name, stored.jurisdiction_id) == ("贺明远", world.township("a").pk)
    assert successes() == before


def test_the_linked_account_must_read_the_halls_appointments_and_be_nobody_elses(world):
    officer = world.officer("a")
    first = make_counsellor(world, "a", name="甲")
    taken = staff(world, "xinli_a")
    services.counsellor_update(actor=officer, instance=first, data={"user": taken})
    cases = [
        (taken, "账号“xinli_a”已关联其他咨询师。"),
        (world.users["mediator_a"], "账号“mediator_a”的角色不能查看心理服务预约，不能关联为咨询师账号。"),
        (world.users["village_a"], "账号“village_a”的管辖范围不含所选中心，看不到该中心的预约，不能关联。"),
        (world.users["township_b"], "所选账号不存在或不在您的管辖范围内。"),
    ]
    for account, message in cases:
        with pytest.raises(ValidationError) as err:
            services.counsellor_create(actor=officer, data={"name": "乙", "user": account})
        assert err.value.message_dict == {"user": [message]}, account.username
    assert Counsellor.objects.count() == 1


def test_a_township_counsellors_hall_defaults_to_the_officers_and_cannot_be_the_county(world):
    made = services.counsellor_create(actor=world.officer("a"), data={"name": "丙"})
    assert made.jurisdiction == world.township("a")
    with pytest.raises(ValidationError) as err:
        services.counsellor_create(actor=world.officer("a"), data={"name": "丁", "jurisdiction": world.county})
    assert err.value.message_dict == {"jurisdiction": ["所选中心不在您的管辖范围内。"]}


def test_a_counsellor_with_appointments_stays_at_the_hall_they_were_booked_at(world):
    counsellor = make_counsellor(world, "a", name="贺明远")
    book(world, counsellor)
    with pytest.raises(ValidationError) as err:
        services.counsellor_update(actor=world.users["district_admin"], instance=counsellor,
                                   data={"jurisdiction": world.county})
    assert "不能改到其他中心" in err.value.message_dict["jurisdiction"][0]
    assert Counsellor.objects.get(pk=counsellor.pk).jurisdiction == world.township("a")


# ------------------------------------------------------------------------------------------ 停用 and delete
def test_a_deactivated_counsellor_is_not_offered_for_new_appointments(world, login, api):
    keep = make_counsellor(world, "a", name="在岗的贺明远")
    gone = make_counsellor(world, "a", name="调离的郝心怡")
    book(world, gone)   # one still to come: the page says so after 停用
    client = login(world.officer("a"))
    response = client.post(reverse("hall:counsellors_deactivate", args=[gone.pk]), follow=True)
    body = response.content.decode()
    assert response.status_code == 200 and "已停用" in body and "还有 1 次待进行的预约" in body
    assert Counsellor.objects.get(pk=gone.pk).is_active is False
    assert AuditEntry.objects.get(action="counsellor.deactivate", object_id=str(gone.pk)).changes == {
        "is_active": [True, False]}
    # The routing form of a new matter offers the active counsellor only.
    matter = make_matter(world, "a", phone="13700000009", category=c.Category.PSYCH)
    page = client.get(reverse("hall:matter_detail", args=[matter.pk])).content.decode()
    assert "在岗的贺明远" in page and "调离的郝心怡" not in page
    # Booking them anyway (page, API, service) is refused and writes nothing.
    before = Appointment.objects.count()
    response = client.post(reverse("hall:route", args=[matter.pk]), {
        "route": "psych", "counsellor": gone.pk, "starts_at": at(3, 10).strftime("%Y-%m-%dT%H:%M"),
        "minutes": 50, "non_mediation_reason": ""})
    assert response.status_code == 400 and "请选择在岗的心理咨询师" in response.content.decode()
    response = api(world.officer("a")).post(reverse("api:hall-matter-route", args=[matter.pk]), {
        "route": "psych", "counsellor": gone.pk, "starts_at": at(3, 10).isoformat()}, format="json")
    assert response.status_code == 400 and "请选择在岗的心理咨询师" in response.content.decode()
    with pytest.raises(ValidationError) as err:
        services.appointment_book(actor=world.officer("a"), visitor=matter.visitor, counsellor=gone,
                                  starts_at=at(3, 10))
    assert err.value.message_dict["counsellor"] == ["请选择在岗的心理咨询师。"]
    assert Appointment.objects.count() == before
    # Deactivating twice says so; the detail page no longer offers 停用 nor 删除 (appointments exist).
    with pytest.raises(ValidationError):
        services.counsellor_deactivate(actor=world.officer("a"), counsellor=gone)
    detail = client.get(reverse("hall:counsellors_detail", args=[gone.pk])).content.decode()
    assert reverse("hall:counsellors_deactivate", args=[gone.pk]) not in detail
    assert reverse("hall:counsellors_delete", args=[gone.pk]) not in detail
    assert "不能删除" in detail


def test_a_counsellor_with_appointments_is_never_deleted_and_one_without_is(world, login, api):
    booked = make_counsellor(world, "a", name="有预约的")
    book(world, booked)
    mistake = make_counsellor(world, "a", name="误录的")
    client = login(world.officer("a"))
    response = client.post(reverse("hall:counsellors_delete", args=[booked.pk]))
    assert response.status_code == 400 and "不能删除；请改为停用" in response.content.decode()
    response = api(world.officer("a")).delete(reverse("api:hall-counsellor-detail", args=[booked.pk]))
    assert response.status_code == 400 and "不能删除" in response.content.decode()
    assert Counsellor.objects.filter(pk=booked.pk).exists()
    assert client.post(reverse("hall:counsellors_delete", args=[mistake.pk])).status_code == 302
    assert not Counsellor.objects.filter(pk=mistake.pk).exists()
    entry = AuditEntry.objects.get(action="counsellor.delete", object_id=str(mistake.pk))
    assert entry.changes["before"]["name"] == "误录的"


# ------------------------------------------------------------------------------------------------ refusals
@pytest.mark.parametrize("persona", ["village_a", "grid_a", "mediator_a", "leader", "handler_a"])
def test_roles_without_the_duty_cannot_manage_the_register(world, login, api, persona):
    counsellor = make_counsellor(world, "a", name="贺明远")
    user = world.users[persona]
    client = login(user)
    before = (Counsellor.objects.count(), successes())
    assert client.get(reverse("hall:counsellors_create")).status_code == 403
    payload = {"name": "越权咨询师", "kind": "invited", "jurisdiction": world.township("a").pk, "is_active": "on"}
    assert client.post(reverse("hall:counsellors_create"), payload).status_code == 403
    assert client.post(reverse("hall:counsellors_edit", args=[counsellor.pk]), payload).status_code in (403, 404)
    assert client.post(reverse("hall:counsellors_deactivate", args=[counsellor.pk])).status_code in (403, 404)
    assert client.post(reverse("hall:counsellors_delete", args=[counsellor.pk])).status_code in (403, 404)
    assert api(user).post(reverse("api:hall-counsellor-list"), payload, format="json").status_code == 403
    assert api(user).patch(reverse("api:hall-counsellor-detail", args=[counsellor.pk]), {"is_active": False},
                           format="json").status_code in (403, 404)
    stored = Counsellor.objects.get(pk=counsellor.pk)
    assert (stored.name, stored.is_active) == ("贺明远", True)
    assert (Counsellor.objects.count(), successes()) == before
    with pytest.raises(PermissionDenied):
        services.counsellor_create(actor=user, data={"name": "越权咨询师", "jurisdiction": world.township("a")})
    assert AuditEntry.objects.filter(action="counsellor.create", outcome="failure", actor=user).exists()


def test_township_b_sees_nothing_of_township_as_counsellors(world, login, api):
    counsellor = make_counsellor(world, "a", name="河底镇的郝心怡")
    client = login(world.officer("b"))
    assert "河底镇的郝心怡" not in client.get(reverse("hall:counsellors_list")).content.decode()
    for name in ("hall:counsellors_detail", "hall:counsellors_edit", "hall:counsellors_delete"):
        assert client.get(reverse(name, args=[counsellor.pk])).status_code == 404, name
    assert client.post(reverse("hall:counsellors_deactivate", args=[counsellor.pk])).status_code == 404
    b = api(world.officer("b"))
    assert "河底镇的郝心怡" not in b.get(reverse("api:hall-counsellor-list")).content.decode()
    assert b.get(reverse("api:hall-counsellor-detail", args=[counsellor.pk])).status_code == 404
    assert b.patch(reverse("api:hall-counsellor-detail", args=[counsellor.pk]), {"name": "改名"},
                   format="json").status_code == 404
    assert Counsellor.objects.get(pk=counsellor.pk).name == "河底镇的郝心怡"
    with pytest.raises(PermissionDenied):
        services.counsellor_deactivate(actor=world.officer("b"), counsellor=counsellor)
    assert Counsellor.objects.get(pk=counsellor.pk).is_active is True


# --------------------------------------------------------------------------------------------------- API
def test_the_api_adds_and_patches_a_counsellor_and_reads_it_back(world, api):
    account = staff(world)
    client = api(world.officer("a"))
    response = client.post(reverse("api:hall-counsellor-list"), {
        "name": "郝心怡", "organisation": "区心理咨询协会", "kind": "resident", "user": account.pk}, format="json")
    assert response.status_code == 201, response.content.decode()
    made = Counsellor.objects.get()
    assert (made.jurisdiction, made.user, made.kind, made.is_active) == (world.township("a"), account, "resident", True)
    assert response.json() == {"id": made.pk, "name": "郝心怡", "organisation": "区心理咨询协会", "kind": "resident",
                               "kind_display": "常驻", "jurisdiction": world.township("a").pk, "hall_name": "河底镇",
                               "user": account.pk, "username": "xinli_a", "is_active": True}
    response = client.patch(reverse("api:hall-counsellor-detail", args=[made.pk]), {"is_active": False,
                                                                                    "organisation": "区精神卫生中心"},
                            format="json")
    assert response.status_code == 200
    stored = Counsellor.objects.get(pk=made.pk)
    assert (stored.is_active, stored.organisation, stored.name, stored.user) == (False, "区精神卫生中心", "郝心怡", account)
    assert AuditEntry.objects.get(action="counsellor.update", object_id=str(made.pk)).changes == {
        "organisation": ["区心理咨询协会", "区精神卫生中心"], "is_active": [True, False]}


@pytest.mark.parametrize("change, field, message", [
    ({"name": ""}, "name", "请填写姓名。"),
    ({"name": None}, "name", "请填写姓名。"),
    ({"name": "名" * 1000}, "name", "姓名最多 50 字。"),
    ({"name": "\u3000"}, "name", "请填写姓名。"),
    ({"kind": "forever"}, "kind", "入驻方式“forever”不是可选的值。"),
    ({"jurisdiction": "B"}, "jurisdiction", "所选项不存在或不在您的管辖范围内。"),
    ({"jurisdiction": "abc"}, "jurisdiction", "编号应为整数。"),
    ({"user": "B"}, "user", "所选项不存在或不在您的管辖范围内。"),
    ({"is_active": "perhaps"}, "is_active", "在岗应为 true 或 false。"),
])
def test_bad_input_to_the_api_is_a_400_in_chinese_and_writes_nothing(world, api, change, field, message):
    other = staff(world, "xinli_b", side="b")
    data = {"name": "郝心怡", "kind": "invited"}
    for key, value in change.items():
        data[key] = {"jurisdiction": world.township("b").pk, "user": other.pk}[key] if value == "B" else value
    before = successes()
    response = api(world.officer("a")).post(reverse("api:hall-counsellor-list"), data, format="json")
    assert response.status_code == 400
    body = response.content.decode()
    assert field in response.json() or field in body, body
    assert message in body, body
    assert Counsellor.objects.count() == 0 and successes() == before


# ----------------------------------------------------------------------------------------- no session notes
def test_nothing_of_the_appointments_notes_appears_in_the_register(world, login, api):
    account = staff(world)
    counsellor = make_counsellor(world, "a", user=account, name="郝心怡")
    appointment = book(world, counsellor)
    services.appointment_record(actor=account, appointment=appointment, status=c.AppointmentStatus.DONE, notes=NOTES)
    assert Appointment.objects.get(pk=appointment.pk).notes == NOTES     # the counsellor's own record is there
    urls = [reverse("hall:counsellors_list"), reverse("hall:counsellors_detail", args=[counsellor.pk]),
            reverse("hall:counsellors_edit", args=[counsellor.pk]),
            reverse("core:history", args=["hall.counsellor", counsellor.pk])]
    for user in (account, world.officer("a"), world.users["district_admin"]):
        client = login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200 and "NOTEMARK" not in response.content.decode(), (user, url)
        for url in (reverse("api:hall-counsellor-list"), reverse("api:hall-counsellor-detail", args=[counsellor.pk])):
            response = api(user).get(url)
            assert response.status_code == 200 and "NOTEMARK" not in response.content.decode(), (user, url)
