"""events.* indicators computed by hand on a small set of events."""
import datetime as dt

import pytest
from django.utils import timezone

from pingan.core.indicators import Query, compute
from pingan.cases import engine
from pingan.events import services
from pingan.events.models import Event

pytestmark = pytest.mark.django_db


def _event(world, cats, text="垃圾"):
    return services.event_report(actor=world.users["grid_a"], category=cats["garbage"], description=text,
                                 attributes={"kind": "living"}).event


def _through(world, event, *, send_back=False):
    centre, handler = world.users["center_staff"], world.users["handler_a"]
    engine.transition(actor=centre, case=event, action="register")
    engine.transition(actor=centre, case=event, action="dispatch",
                      data={"assigned_department": world.departments["police_a"]})
    engine.transition(actor=handler, case=event, action="feedback", data={"handling_result": "已处理"})
    if send_back:
        engine.transition(actor=centre, case=event, action="send_back", note="没处理完")
        engine.transition(actor=handler, case=event, action="feedback", data={"handling_result": "处理完"})
    engine.transition(actor=centre, case=event, action="close")


def test_events_indicators_count_closure_on_time_and_rework(world, cats):
    on_time, late, reworked, open_one, duplicate = (_event(world, cats, f"第{i}件垃圾") for i in range(5))
    _through(world, on_time)
    _through(world, late)
    _through(world, reworked, send_back=True)
    engine.transition(actor=world.users["center_staff"], case=duplicate, action="duplicate",
                      data={"duplicate_of": on_time})
    # Test-only writes of what the engine records at 处置反馈 (the handling due moment then in force): the late
    # one fed back three days after it; the others before theirs.
    for event in (on_time, reworked):
        Event.objects.filter(pk=event.pk).update(handled_due_at=timezone.now() + dt.timedelta(hours=1))
    Event.objects.filter(pk=late.pk).update(handled_due_at=timezone.now() - dt.timedelta(days=3))
    Event.objects.filter(pk=on_time.pk).update(dispatched_at=F_minus(on_time, hours=10))
    today = timezone.localdate()
    result = compute(Query(today - dt.timedelta(days=1), today, world.county), keys=["events"])["events"]
    assert result["reported"] == 4  # the duplicate is not counted twice
    assert result["registered"] == 3 and result["dispatched"] == 3
    assert result["closed"] == 3 and result["closed_on_time"] == 2
    assert result["closure_rate"] == 0.75 and result["on_time_rate"] == 0.5 and result["rework_rate"] == 0.25
    assert set(result["avg_handling_hours_by_department"]) == {"河底派出所"}
    assert result["avg_handling_hours_by_township"]["河底镇"] >= 3.3
    # Township B sees none of township A's events.
    other = compute(Query(today - dt.timedelta(days=1), today, world.township("b"),
                          world.users["township_b"]), keys=["events"])["events"]
    assert other["reported"] == 0 and other["closure_rate"] is None


def F_minus(event, hours):
    event.refresh_from_db()
    return event.handled_at - dt.timedelta(hours=hours)
