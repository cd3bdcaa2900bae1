"""Every register's edit page: the form posted back as rendered with one field changed is stored (read back from
the database) and audited with that field's before and after only."""
import datetime as dt

import pytest
from django.urls import reverse

from pingan.core.models import AuditEntry
from pingan.core.testing_forms import form_post_data
from pingan.security import forms, services
from pingan.security.models import TeamMember
from pingan.security.testing import DAY, make_patrol, make_session, make_team

pytestmark = pytest.mark.django_db


def _member(world):
    return services.member_create(actor=None, data={"team": make_team(world, "a"), "name": "周一",
                                                    "jurisdiction": world.grid("a"), "joined_on": DAY})


def _officer(world):
    return services.officer_create(actor=None, data={"name": "吴二", "jurisdiction": world.village("a"), "since": DAY})


def _attendance(world):
    return services.attendance_create(actor=None, data={"session": make_session(world, "a"), "name": "郑三"})


CASES = [
    # (make, form, route, field, posted value, stored value, audit action)
    (_member, forms.TeamMemberForm, "members_edit", "role", "deputy", "deputy", "team_member.update"),
    (_member, forms.TeamMemberForm, "members_edit", "left_on", "2017-09-30", dt.date(2017, 9, 30), "team_member.update"),
    (_officer, forms.OfficerForm, "officers_edit", "phone", "0353-5012345", "0353-5012345", "security_officer.update"),
    (lambda w: make_patrol(w, "a"), forms.PatrolForm, "patrols_edit", "area", "学校周边", "学校周边", "patrol.update"),
    (lambda w: make_session(w, "a"), forms.SessionForm, "sessions_edit", "topic", "防范电信诈骗", "防范电信诈骗",
     "training.update"),
    (_attendance, forms.AttendanceForm, "attendances_edit", "unit", "河底镇调委会", "河底镇调委会", "attendance.update"),
]


@pytest.mark.parametrize("make, form_class, route, field, posted, stored, action", CASES,
                         ids=[f"{c[2]}-{c[3]}" for c in CASES])
def test_an_edit_is_stored_and_audited(world, login, make, form_class, route, field, posted, stored, action):
    obj = make(world)
    officer = world.officer("a")
    data = form_post_data(form_class(instance=obj, actor=officer))
    before = getattr(type(obj).objects.get(pk=obj.pk), field)
    data[field] = posted
    response = login(officer).post(reverse(f"security:{route}", args=[obj.pk]), data)
    assert response.status_code == 302, response.content.decode()[-1500:]
    assert getattr(type(obj).objects.get(pk=obj.pk), field) == stored
    entry = AuditEntry.objects.get(action=action, object_id=str(obj.pk))
    assert list(entry.changes) == [field]
    assert entry.changes[field][0] == (before.isoformat() if hasattr(before, "isoformat") else before)


def test_posting_the_form_unchanged_writes_nothing(world, login):
    member = _member(world)
    data = form_post_data(forms.TeamMemberForm(instance=member, actor=world.officer("a")))
    assert login(world.officer("a")).post(reverse("security:members_edit", args=[member.pk]), data).status_code == 302
    assert not AuditEntry.objects.filter(action="team_member.update").exists()


def test_moving_a_member_to_another_township_through_the_api_is_refused(world, api):
    member = _member(world)
    response = api(world.users["district_admin"]).patch(reverse("api:security-member-detail", args=[member.pk]),
                                                        {"jurisdiction": world.grid("b").pk}, format="json")
    assert response.status_code == 400 and "不属于队伍所在乡镇" in response.json()["detail"]
    assert TeamMember.objects.get(pk=member.pk).jurisdiction == world.grid("a")


