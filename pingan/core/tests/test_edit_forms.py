"""Core edit forms: changing an existing calendar day through the web page is stored and audited with its before
and after (issue 8, finding 3; the workflow-rules page is read back in test_workflow_rules.py)."""
import datetime as dt

from django.urls import reverse

from pingan.core.models import AuditEntry, CalendarDay


def test_the_district_renames_an_existing_calendar_day_and_the_database_holds_it(world, login):
    client = login(world.users["district_admin"])
    assert client.post(reverse("cases:calendar"), {"date": "2031-03-10", "is_workday": "0", "name": "防汛停工"}).status_code == 302
    assert client.post(reverse("cases:calendar"), {"date": "2031-03-10", "is_workday": "1", "name": "防汛调休上班"}).status_code == 302
    stored = CalendarDay.objects.get(date=dt.date(2031, 3, 10))
    assert (stored.name, stored.is_workday) == ("防汛调休上班", True)
    assert AuditEntry.objects.get(action="calendar_day.update", object_id=str(stored.pk)).changes == {
        "is_workday": [False, True], "name": ["防汛停工", "防汛调休上班"]}
