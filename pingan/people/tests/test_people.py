"""People: registration with ID validation, masking and audited reveal, special kinds, visits and plans."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pingan.core import personal
from pingan.core.models import AuditEntry
from pingan.people import choices as c
from pingan.people import selectors, services
from pingan.people.models import Person, SpecialEnrollment, Visit, VisitRule
from pingan.people.testing import make_enrollment, make_id, make_person

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def person_post(world, side="a", **extra):
    data = {"jurisdiction": world.grid(side).pk, "name": "王秀英", "person_type": "registered", "ethnicity": "01",
            "id_number": make_id("19750310", side="a", sex="2"), "registered_on": TODAY.isoformat()}
    data.update(extra)
    return data


# ------------------------------------------------------------------------------------ registration
def test_a_grid_worker_registers_a_person_with_id_encrypted_and_sex_from_the_id(world, login):
    client = login(world.users["grid_a"])
    id_number = make_id("19750310", sex="2")
    response = client.post(reverse("people:person_create"), person_post(world, id_number=id_number, phone="13812345678"))
    assert response.status_code == 302
    person = Person.objects.get()
    assert person.sex == "2" and person.birth_date == dt.date(1975, 3, 10)
    assert person.id_masked == id_number[:4] + "************" + id_number[-2:]  # 4 + 12 stars + 2
    assert id_number not in person.id_cipher and personal.decrypt(person.id_cipher) == id_number
    assert person.phone_masked == "138****5678"
    entry = AuditEntry.objects.get(action="person.register")
    assert id_number not in str(entry.changes) and "13812345678" not in str(entry.changes)
    assert services.find_by_id_number(id_number) == person


@pytest.mark.parametrize("id_number, message", [
    ("14031119750310123X", "校验码错误"),
    (make_id("19990231"), "不是真实的日期"),
    ("1403111975031", "应为 18 位"),
])
def test_the_form_rejects_bad_id_numbers_in_chinese_and_writes_nothing(world, login, id_number, message):
    if "校验码" in message:
        good = make_id("19750310")
        id_number = good[:17] + ("0" if good[17] != "0" else "1")
    client = login(world.users["grid_a"])
    response = client.post(reverse("people:person_create"), person_post(world, id_number=id_number))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Person.objects.count() == 0 and not AuditEntry.objects.filter(action="person.register").exists()


def test_it_rejects_a_sex_that_disagrees_with_the_id(world, login):
    client = login(world.users["grid_a"])
    response = client.post(reverse("people:person_create"),
                           person_post(world, id_number=make_id("19750310", sex="2"), sex="1"))
    assert response.status_code == 400 and "与公民身份号码不符" in response.content.decode()
    assert Person.objects.count() == 0


def test_a_15_digit_old_id_and_full_width_digits_are_converted(world, login):
    client = login(world.users["grid_a"])
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in "140311750310121")
    assert client.post(reverse("people:person_create"), person_post(world, id_number=full_width)).status_code == 302
    person = Person.objects.get()
    expected = personal.parse_id_number("140311750310121").value
    assert personal.decrypt(person.id_cipher) == expected and expected.startswith("14031119750310")


def test_the_same_id_twice_is_refused(world):
    id_number = make_id()
    make_person(world, "a", id_number=id_number)
    with pytest.raises(ValidationError) as exc:
        make_person(world, "a", name="另一人", id_number=id_number)
    assert "已登记" in str(exc.value)


def test_a_grid_of_another_township_is_refused(world, login):
    client = login(world.users["grid_a"])
    response = client.post(reverse("people:person_create"), person_post(world, side="b"))
    assert response.status_code == 400 and "不在您的管辖范围内" in response.content.decode()
    assert Person.objects.count() == 0


def test_type_fields_are_required_by_type(world):
    with pytest.raises(ValidationError) as exc:
        make_person(world, "a", person_type=c.PersonType.FLOATING)
    assert "流入原因" in str(exc.value)
    with pytest.raises(ValidationError):
        make_person(world, "a", person_type=c.PersonType.LEFT_BEHIND)
    foreign = services.person_register(actor=None, grid=world.grid("a"), data={
        "name": "John Smith", "person_type": c.PersonType.FOREIGN, "doc_type": c.ForeignDocType.PASSPORT, "sex": "1",
        "nationality": "英国"}, doc_number="ｅ１２３４５６７８")
    assert foreign.id_masked == "E1*****78" and personal.decrypt(foreign.id_cipher) == "E12345678"


# --------------------------------------------------------------------------------- masking and reveal
def test_ids_and_phones_are_masked_in_list_detail_and_api(world, login, api):
    id_number = make_id()
    person = make_person(world, "a", id_number=id_number, phone="13912345678")
    for user in (world.users["grid_a"], world.users["township_a"]):
        client = login(user)
        for url in (reverse("people:person_list"), reverse("people:person_detail", args=[person.pk])):
            body = client.get(url).content.decode()
            assert person.id_masked in body and id_number not in body and "13912345678" not in body
        data = api(user).get("/api/v1/people/").json()
        assert data["results"][0]["id_number"] == person.id_masked
        assert id_number not in str(data) and "13912345678" not in str(data)


def test_a_reveal_needs_a_reason_and_is_audited(world, login):
    id_number = make_id()
    person = make_person(world, "a", id_number=id_number)
    client = login(world.users["township_a"])
    url = reverse("people:person_reveal", args=[person.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and "理由" in response.content.decode()
    response = client.post(url, {"reason": "核对社区矫正报到材料"})
    assert response.status_code == 200 and id_number in response.content.decode()
    entry = AuditEntry.objects.get(action="person.reveal", outcome="success")
    assert entry.changes["reason"] == "核对社区矫正报到材料" and entry.actor == world.users["township_a"]


def test_a_grid_worker_may_not_reveal_and_the_refusal_is_audited(world, login):
    person = make_person(world, "a")
    response = login(world.users["grid_a"]).post(reverse("people:person_reveal", args=[person.pk]),
                                                 {"reason": "想看看完整号码"})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action="person.reveal", outcome="failure").count() == 1


def test_another_townships_person_answers_404(world, login):
    person = make_person(world, "a")
    client = login(world.users["township_b"])
    assert client.get(reverse("people:person_detail", args=[person.pk])).status_code == 404
    assert client.post(reverse("people:person_reveal", args=[person.pk]), {"reason": "查看一下号码"}).status_code == 404


def test_search_by_name_tail_full_id_and_phone(world, login):
    id_number = make_id()
    person = make_person(world, "a", name="李建国", id_number=id_number, phone="13712345678")
    make_person(world, "a", name="张三丰")
    qs = Person.objects.all()
    assert list(selectors.search_people(qs, "建国")) == [person]
    assert person in selectors.search_people(qs, id_number[-4:])
    assert list(selectors.search_people(qs, id_number)) == [person]
    assert list(selectors.search_people(qs, "13712345678")) == [person]
    body = login(world.users["grid_a"]).get(reverse("people:person_list"), {"q": id_number}).content.decode()
    assert "李建国" in body and "张三丰" not in body


def test_person_list_query_count_is_pinned(world, login, django_assert_max_num_queries):
    for i in range(30):
        make_person(world, "a", name=f"人员{i:02d}")
    client = login(world.users["township_a"])
    client.get(reverse("people:person_list"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("people:person_list"))
    assert response.status_code == 200 and "人员29" in response.content.decode()


# ----------------------------------------------------------------------------------- special kinds
def test_community_correction_refuses_deprivation_of_political_rights_with_the_reason(world, login):
    person = make_person(world, "a")
    client = login(world.users["township_a"])
    response = client.post(reverse("people:special_enroll", args=[person.pk]) + "?kind=correction", {
        "kind": "correction", "enrolled_on": TODAY.isoformat(), "risk_level": "中", "d-category": "剥夺政治权利",
        "d-starts_on": TODAY.isoformat(), "d-ends_on": (TODAY + dt.timedelta(days=300)).isoformat()})
    assert response.status_code == 400
    body = response.content.decode()
    assert "剥夺政治权利不是社区矫正" in body and "2019" in body
    assert SpecialEnrollment.objects.count() == 0


def test_a_mental_risk_level_6_is_refused(world):
    person = make_person(world, "a")
    with pytest.raises(ValidationError) as exc:
        services.special_person_enroll(actor=None, person=person, kind=c.SpecialKind.MENTAL, enrolled_on=TODAY,
                                       risk_level="6", details={"diagnosis": "01"})
    assert "0–5 级" in str(exc.value)
    assert SpecialEnrollment.objects.count() == 0


def test_a_person_may_be_in_several_kinds(world):
    person = make_person(world, "a")
    make_enrollment(world, "a", person=person, kind=c.SpecialKind.DRUG, risk_level="high")
    make_enrollment(world, "a", person=person, kind=c.SpecialKind.RELEASED, risk_level="low")
    assert set(person.enrollments.values_list("kind", flat=True)) == {"drug", "released"}
    released = person.enrollments.get(kind="released")
    assert released.planned_end_on == dt.date(2028, 5, 1)  # 帮教 ends 5 years after release


def test_health_kinds_are_hidden_from_roles_without_health_permission(world, login, api):
    enrollment = make_enrollment(world, "a", kind=c.SpecialKind.MENTAL)
    assert enrollment in SpecialEnrollment.objects.visible_to(world.users["grid_a"])
    # The mediator works people but not their health: the enrolment does not exist for it.
    mediator = world.users["mediator_a"]
    assert not SpecialEnrollment.objects.visible_to(mediator).exists()
    assert login(mediator).get(reverse("people:special_detail", args=[enrollment.pk])).status_code == 404
    assert api(mediator).get("/api/v1/special-people/").json()["count"] == 0
    # A department handler sees no people registers at all: the pages refuse it.
    handler = world.users["handler_a"]
    assert not SpecialEnrollment.objects.visible_to(handler).exists()
    assert login(handler).get(reverse("people:special_detail", args=[enrollment.pk])).status_code in (403, 404)
    assert api(handler).get("/api/v1/special-people/").status_code in (403, 200)
    if api(handler).get("/api/v1/special-people/").status_code == 200:
        assert api(handler).get("/api/v1/special-people/").json()["count"] == 0


def test_health_details_are_encrypted_at_rest_and_not_in_the_audit_log(world):
    from django.db import connection

    enrollment = make_enrollment(world, "a", kind=c.SpecialKind.MENTAL)
    with connection.cursor() as cursor:
        cursor.execute("SELECT diagnosis FROM people_mentaldetail WHERE enrollment_id = %s", [enrollment.pk])
        raw = cursor.fetchone()[0]
    assert raw.startswith("v1.") and enrollment.mental.diagnosis == "01"
    entry = AuditEntry.objects.get(action="special_person.detail_create")
    assert entry.changes["after"]["diagnosis"] == "（已加密）"


# ------------------------------------------------------------------------------------------- visits
def test_a_mental_patient_is_planned_by_level(world):
    level1 = make_enrollment(world, "a", risk_level="1", enrolled_on=TODAY - dt.timedelta(days=30))
    level0 = make_enrollment(world, "a", person=make_person(world, "a", name="乙"), risk_level="0",
                             enrolled_on=TODAY - dt.timedelta(days=30))
    assert level1.next_visit_on == TODAY - dt.timedelta(days=16)
    assert level0.next_visit_on == TODAY + dt.timedelta(days=60)


def test_a_grid_worker_sees_due_people_and_records_a_visit_that_changes_level_and_date(world, login,
                                                                                     django_assert_max_num_queries):
    enrollment = make_enrollment(world, "a", risk_level="0", enrolled_on=TODAY - dt.timedelta(days=100))
    later = make_enrollment(world, "a", person=make_person(world, "a", name="本周应访"), risk_level="1",
                            enrolled_on=TODAY - dt.timedelta(days=14) + dt.timedelta(days=min(6 - TODAY.weekday(), 0)))
    client = login(world.users["grid_a"])
    with django_assert_max_num_queries(10):
        body = client.get(reverse("people:my_visits")).content.decode()
    assert "逾期" in body and enrollment.person.name in body
    assert body.index(enrollment.person.name) < body.index(later.person.name)  # overdue first
    response = client.post(reverse("people:visit_create", args=[enrollment.pk]), {
        "visited_on": TODAY.isoformat(), "form": "home", "findings": "情绪不稳，有喊叫威胁。", "risk_after": "3"})
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.risk_level == "3" and enrollment.last_visit_on == TODAY
    assert enrollment.next_visit_on == TODAY + dt.timedelta(days=14)
    visit = Visit.objects.get()
    assert visit.risk_before == "0" and visit.risk_after == "3" and not visit.on_time
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"visit.record", "special_person.visited", "special_person.replan"} <= actions


@pytest.mark.parametrize("data, message", [
    ({"visited_on": (TODAY + dt.timedelta(days=1)).isoformat(), "form": "home", "findings": "x"}, "晚于今天"),
    ({"visited_on": "2024-02-30", "form": "home", "findings": "x"}, "格式不正确"),
    ({"visited_on": TODAY.isoformat(), "form": "home", "findings": "x", "risk_after": "6"}, "0–5 级"),
    ({"visited_on": TODAY.isoformat(), "form": "fly", "findings": "x"}, "走访形式"),
    ({"visited_on": TODAY.isoformat(), "form": "home", "findings": ""}, "请填写走访情况"),
])
def test_bad_visits_are_refused_and_nothing_is_written(world, login, data, message):
    enrollment = make_enrollment(world, "a")
    response = login(world.users["grid_a"]).post(reverse("people:visit_create", args=[enrollment.pk]), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert Visit.objects.count() == 0


def test_the_visit_api_records_and_refuses_bad_input(world, api):
    enrollment = make_enrollment(world, "a")
    client = api(world.users["grid_a"])
    bad = client.post("/api/v1/visits/", {"enrollment": enrollment.pk, "visited_on": "2099-01-01", "form": "home",
                                          "findings": "正常"}, format="json")
    assert bad.status_code == 400 and "晚于今天" in bad.json()["detail"]
    assert client.post("/api/v1/visits/", {"enrollment": "abc"}, format="json").status_code == 400
    other = make_enrollment(world, "b")
    assert client.post("/api/v1/visits/", {"enrollment": other.pk, "visited_on": TODAY.isoformat(), "form": "home",
                                           "findings": "正常"}, format="json").status_code == 404
    ok = client.post("/api/v1/visits/", {"enrollment": enrollment.pk, "visited_on": TODAY.isoformat(), "form": "phone",
                                         "findings": "电话随访，服药规律"}, format="json")
    assert ok.status_code == 201 and Visit.objects.count() == 1


def test_an_empty_or_fake_photo_is_refused(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    enrollment = make_enrollment(world, "a")
    client = login(world.users["grid_a"])
    for upload, message in ((SimpleUploadedFile("a.jpg", b"", content_type="image/jpeg"), "空"),
                            (SimpleUploadedFile("a.jpg", b"not an image", content_type="image/jpeg"), "不是有效"),
                            (SimpleUploadedFile("a.exe", b"MZ....", content_type="application/x"), "JPG")):
        response = client.post(reverse("people:visit_create", args=[enrollment.pk]), {
            "visited_on": TODAY.isoformat(), "form": "home", "findings": "正常", "photo": upload})
        assert response.status_code == 400 and message in response.content.decode()
    assert Visit.objects.count() == 0


def test_the_township_sees_overdue_visits_and_the_other_township_does_not(world, login):
    enrollment = make_enrollment(world, "a", risk_level="2", enrolled_on=TODAY - dt.timedelta(days=60))
    body = login(world.users["township_a"]).get(reverse("people:overdue")).content.decode()
    assert enrollment.person.name in body and world.village("a").name in body
    home = login(world.users["township_a"]).get(reverse("core:home")).content.decode()
    assert "走访逾期" in home and world.village("a").name in home
    assert enrollment.person.name not in login(world.users["township_b"]).get(reverse("people:overdue")).content.decode()


def test_the_district_changes_a_rule_and_plans_follow(world, login):
    enrollment = make_enrollment(world, "a", risk_level="0", enrolled_on=TODAY - dt.timedelta(days=10))
    rule = VisitRule.objects.get(kind="mental", risk_level="0")
    assert login(world.users["township_a"]).post(reverse("people:visit_rules"), {f"days-{rule.pk}": "30"}).status_code == 403
    client = login(world.users["district_admin"])
    data = {f"days-{r.pk}": r.interval_days for r in VisitRule.objects.all()}
    data.update({f"per-{r.pk}": r.min_per_year for r in VisitRule.objects.all()})
    data[f"days-{rule.pk}"] = "abc"
    assert client.post(reverse("people:visit_rules"), data).status_code == 400
    data[f"days-{rule.pk}"] = "30"
    assert client.post(reverse("people:visit_rules"), data).status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.next_visit_on == TODAY + dt.timedelta(days=20)
    assert AuditEntry.objects.filter(action="visit_rule.update").count() == 1


def test_special_list_query_count_is_pinned(world, login, django_assert_max_num_queries):
    for i in range(20):
        make_enrollment(world, "a", person=make_person(world, "a", name=f"列管{i:02d}"),
                        kind=[c.SpecialKind.DRUG, c.SpecialKind.MENTAL][i % 2], risk_level="1")
    client = login(world.users["township_a"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("people:special_list"))
    assert response.status_code == 200 and "列管19" in response.content.decode()


def test_a_fund_is_not_overspent(world):
    from decimal import Decimal

    enrollment = make_enrollment(world, "a")
    fund = services.fund_create(actor=None, jurisdiction=world.county, name="严重精神障碍患者救治救助资金", year=TODAY.year,
                                amount=Decimal("200000"))
    services.fund_spend(actor=None, fund=fund, enrollment=enrollment, spent_on=TODAY, amount=Decimal("150000"),
                        purpose="强制医疗费用")
    with pytest.raises(ValidationError) as exc:
        services.fund_spend(actor=None, fund=fund, enrollment=enrollment, spent_on=TODAY, amount=Decimal("60000"),
                            purpose="住院费用")
    assert "余额不足" in str(exc.value)
