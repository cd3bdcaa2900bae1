"""研判例会: the agenda proposed from the waiting warnings and overdue disputes, the record saved with the
warnings marked 已列入研判 through the alerts service, follow-ups (overdue shown, done recorded), bad input."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from pingan.alerts.models import Alert, Status
from pingan.alerts.services import run_scan
from pingan.disputes import alerts as rules
from pingan.disputes import choices as c
from pingan.disputes import meetings
from pingan.disputes.models import Meeting, MeetingFollowUp

from .b_helpers import dispute

HELD = dt.date(2017, 4, 8)


def _data(world, side="a", **extra):
    return {"jurisdiction": world.township(side), "kind": c.MeetingKind.REGULAR, "held_on": HELD,
            "place": "镇综治中心", "chair": "王书记", "attendees": "综治办、司法所、派出所", "decisions": "包案化解", **extra}


def test_the_agenda_holds_waiting_warnings_and_overdue_disputes_of_the_scope(world):
    mass = dispute(world, "a", scale=c.Scale.GROUP, registered=dt.date(2017, 3, 1))
    dispute(world, "b", scale=c.Scale.GROUP, registered=dt.date(2017, 3, 1))
    run_scan(keys=[rules.MASS, rules.OVERDUE])
    agenda = meetings.meeting_agenda(world.officer("a"))
    assert [a.source_id for a in agenda["alerts"] if a.rule == rules.MASS] == [str(mass.pk)]
    assert [d.pk for d in agenda["overdue"]] == [mass.pk]


def test_saving_a_meeting_puts_its_warnings_on_the_agenda_and_records_follow_ups(world):
    d = dispute(world, "a", scale=c.Scale.GROUP)
    run_scan(keys=[rules.MASS])
    alert = Alert.objects.get(rule=rules.MASS)
    meeting = meetings.meeting_create(
        actor=world.officer("a"), data=_data(world), disputes=[d], alerts=[alert],
        follow_ups=[{"task": "司法所三日内再次调解", "responsible": "河底司法所", "due_on": dt.date(2017, 4, 11)},
                    {"task": "", "responsible": "", "due_on": None}])
    alert.refresh_from_db()
    assert alert.status == Status.AGENDA and alert.agenda_item == "2017-04-08矛盾纠纷排查例会（河底镇）"
    assert list(meeting.disputes.all()) == [d] and list(meeting.alerts.all()) == [alert]
    [item] = meeting.follow_ups.all()
    assert (item.task, item.responsible, item.due_on, item.done_on) == ("司法所三日内再次调解", "河底司法所",
                                                                       dt.date(2017, 4, 11), None)
    assert list(meetings.overdue_follow_ups(Meeting.objects.all())) == [item]
    meetings.followup_update(actor=world.officer("a"), follow_up=item,
                             data={"done_on": dt.date(2017, 4, 10), "result": "已达成协议"})
    item.refresh_from_db()
    assert item.done_on == dt.date(2017, 4, 10) and not meetings.overdue_follow_ups(Meeting.objects.all()).exists()


def test_bad_input_writes_nothing(world):
    other = dispute(world, "b")
    with pytest.raises(ValidationError, match="晚于今天"):
        meetings.meeting_create(actor=world.officer("a"), data=_data(world, held_on=dt.date(2099, 1, 1)))
    with pytest.raises(ValidationError, match="不在本次会议的辖区"):
        meetings.meeting_create(actor=world.officer("a"), data=_data(world), disputes=[other])
    with pytest.raises(ValidationError, match="完成期限不能早于会议日期"):
        meetings.meeting_create(actor=world.officer("a"), data=_data(world), follow_ups=[
            {"task": "回访", "responsible": "司法所", "due_on": dt.date(2017, 4, 1)}])
    with pytest.raises(ValidationError, match="请填写责任单位"):
        meetings.meeting_create(actor=world.officer("a"), data=_data(world), follow_ups=[{"task": "回访"}])
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        meetings.meeting_create(actor=world.officer("a"), data=_data(world, "b"))
    with pytest.raises(PermissionDenied):
        meetings.meeting_create(actor=world.users["mediator_a"], data=_data(world))
    with pytest.raises(PermissionDenied):
        meetings.meeting_create(actor=world.users["leader"], data=_data(world))
    assert not Meeting.objects.exists() and not MeetingFollowUp.objects.exists()


def test_the_pages_propose_the_agenda_save_and_show_overdue_follow_ups(world, client):
    d = dispute(world, "a", scale=c.Scale.MAJOR_GROUP, people=40)
    run_scan(keys=[rules.MASS])
    alert = Alert.objects.get(rule=rules.MASS)
    client.force_login(world.officer("a"))
    page = client.get(reverse("disputes:meeting_create"))
    assert page.status_code == 200 and alert.title in page.content.decode() and d.number in page.content.decode()
    response = client.post(reverse("disputes:meeting_create"), {
        "jurisdiction": world.township("a").pk, "kind": "regular", "held_on": "2017-04-08", "place": "镇会议室",
        "chair": "王书记", "attendees": "各站所负责人", "decisions": "包案化解", "alerts": [str(alert.pk)],
        "disputes": d.number, "task_0": "派出所做好稳控", "responsible_0": "河底派出所", "due_0": "2017-04-10"})
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert Alert.objects.get(pk=alert.pk).status == Status.AGENDA
    detail = client.get(reverse("disputes:meetings_detail", args=[meeting.pk])).content.decode()
    assert "1 项逾期未完成" in detail and d.number in detail and alert.title in detail
    item = meeting.follow_ups.get()
    response = client.post(reverse("disputes:followup_done", args=[item.pk]), {"done_on": "2017-04-01"})
    assert response.status_code == 400 and "须在会议日期与今天之间" in response.content.decode()
    response = client.post(reverse("disputes:followup_done", args=[item.pk]), {"done_on": "2017-04-09",
                                                                              "result": "已稳控"})
    assert response.status_code == 302
    assert MeetingFollowUp.objects.get(pk=item.pk).done_on == dt.date(2017, 4, 9)
    # Another township's dispute by number, a date in the future: refused, nothing written.
    other = dispute(world, "b")
    response = client.post(reverse("disputes:meeting_create"), {
        "jurisdiction": world.township("a").pk, "kind": "regular", "held_on": "2017-04-09", "attendees": "甲",
        "decisions": "乙", "disputes": other.number})
    assert response.status_code == 400 and "找不到纠纷" in response.content.decode()
    response = client.post(reverse("disputes:meeting_create"), {
        "jurisdiction": world.township("a").pk, "kind": "regular", "held_on": "2099-04-09", "attendees": "甲",
        "decisions": "乙"})
    assert response.status_code == 400 and "晚于今天" in response.content.decode()
    assert Meeting.objects.count() == 1
    client.force_login(world.officer("b"))
    assert client.get(reverse("disputes:meetings_detail", args=[meeting.pk])).status_code == 404
    assert client.post(reverse("disputes:followup_done", args=[item.pk]), {"done_on": "2017-04-09"}).status_code == 404
