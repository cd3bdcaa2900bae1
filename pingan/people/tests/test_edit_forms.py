"""People edit forms (a person, a special-population enrolment) post a change through the web page and the
database holds it, with the audit entry's before and after (issue 8, finding 3)."""
import pytest
from django.urls import reverse

from pingan.core.models import AuditEntry
from pingan.core.testing_forms import form_post_data
from pingan.people.models import MentalDetail, Person, SpecialEnrollment
from pingan.people.testing import make_enrollment, make_person

pytestmark = pytest.mark.django_db


def test_a_township_edits_a_person_and_the_database_holds_the_change(world, login):
    person = make_person(world, occupation="农民", current_address="固庄村西街1号")
    client = login(world.officer("a"))
    url = reverse("people:person_edit", args=[person.pk])
    data = form_post_data(client.get(url).context["form"])
    data.update(occupation="个体经营", current_address="固庄村东街8号")
    response = client.post(url, data)
    assert response.status_code == 302
    stored = Person.objects.get(pk=person.pk)
    assert (stored.occupation, stored.current_address, stored.name) == ("个体经营", "固庄村东街8号", "测试人员A甲")
    entry = AuditEntry.objects.get(action="person.update", object_id=str(person.pk))
    assert entry.changes["occupation"] == ["农民", "个体经营"]
    assert entry.changes["current_address"] == ["固庄村西街1号", "固庄村东街8号"]


def test_a_township_edits_an_enrolment_and_its_details_and_the_database_holds_them(world, login):
    enrollment = make_enrollment(world, risk_level="1")
    client = login(world.officer("a"))
    url = reverse("people:special_edit", args=[enrollment.pk])
    page = client.get(url)
    data = {**form_post_data(page.context["form"]), **form_post_data(page.context["dform"])}
    data.update({"risk_level": "3", "measures": "每周走访一次", "d-guardian_name": "监护人乙"})
    response = client.post(url, data)
    assert response.status_code == 302
    stored = SpecialEnrollment.objects.get(pk=enrollment.pk)
    assert (stored.risk_level, stored.measures) == ("3", "每周走访一次")
    assert MentalDetail.objects.get(enrollment=enrollment).guardian_name == "监护人乙"
    changes = AuditEntry.objects.get(action="special_person.update", object_id=str(enrollment.pk)).changes
    assert changes["risk_level"] == ["1", "3"] and changes["measures"] == ["", "每周走访一次"]
    detail_changes = AuditEntry.objects.get(action="special_person.detail_update", object_id=str(enrollment.pk)).changes
    assert detail_changes["guardian_name"] == ["监护人甲", "监护人乙"]
