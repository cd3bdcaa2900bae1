"""An event's one due moment (`due_at`, the case engine's), pinned with worked examples: every expected value is
worked out by hand and written out, never computed by the code under test. Office hours are the default
08:30–17:30, Beijing time. The clock is set by replacing django.utils.timezone.now for the test.

    2026-11-27 Fri · 11-30 Mon · 12-01 Tue · 12-02 Wed · 12-03 Thu · 12-04 Fri
    国庆节 2026: off 10-01 (Thu) … 10-07 (Wed); 09-30 (Wed) and 10-08 (Thu) are working days.

Test categories (events.testing.make_categories): 垃圾堆放 2 working days; 燃气泄漏隐患 4 working hours, 紧急/特急 2.
"""
import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from pingan.cases import engine
from pingan.cases.models import TransitionLog
from pingan.core.models import AuditEntry
from pingan.events import open311, services
from pingan.events.choices import DeadlineUnit, EventState as S
from pingan.events.models import DispatchRule, Event
from pingan.events.workflow import EVENT_KIND

pytestmark = pytest.mark.django_db
BJ = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(m, d, hh=0, mm=0, y=2026):
    return dt.datetime(y, m, d, hh, mm, tzinfo=BJ)


@pytest.fixture(autouse=True)
def _holidays(db):
    from pingan.core.calendar.loader import load_holidays

    load_holidays()


@pytest.fixture
def clock(monkeypatch):
    """clock(moment) sets "now" for the engine, the stamps and the log rows."""
    def set_to(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(dt.timezone.utc))
    return set_to


def _report(world, category, **kw):
    args = dict(actor=world.users["grid_a"], category=category, description="现场有情况",
                attributes={"kind": "living"} if category.code == "0401" else {})
    args.update(kw)
    return services.event_report(**args).event


def _dispatched(world, cats, clock, category="gas", when=at(11, 30, 16, 30), department="police_a", **kw):
    centre = world.users["center_staff"]
    clock(when - dt.timedelta(hours=2))
    event = _report(world, cats[category], **kw)
    engine.transition(actor=centre, case=event, action="register")
    clock(when)
    engine.transition(actor=centre, case=event, action="dispatch",
                      data={"assigned_department": world.departments[department]})
    return event


def test_a_report_and_its_registration_are_due_by_the_close_of_the_next_working_day(world, cats, clock):
    clock(at(11, 27, 16, 30))  # Friday
    event = _report(world, cats["garbage"])
    assert event.state == S.REPORTED and event.due_at == at(11, 30, 17, 30)  # Monday's close
    clock(at(11, 30, 9, 0))
    engine.transition(actor=world.users["center_staff"], case=event, action="register")
    assert event.due_at == at(12, 1, 17, 30)
    assert Event.objects.get(pk=event.pk).due_at == at(12, 1, 17, 30)


def test_handling_in_working_hours_runs_from_dispatch_and_accepting_keeps_it(world, cats, clock):
    # 燃气 4 working hours from Monday 16:30: 1 hour Monday, 3 hours Tuesday from 08:30 → Tuesday 11:30.
    event = _dispatched(world, cats, clock)
    assert event.due_at == at(12, 1, 11, 30) and event.dispatched_at == at(11, 30, 16, 30)
    clock(at(12, 1, 9, 0))
    engine.transition(actor=world.users["handler_a"], case=event, action="accept")
    assert event.state == S.HANDLING and event.due_at == at(12, 1, 11, 30)
    # Past due: overdue by the one definition, on the list and in one event alike.
    assert not Event.objects.filter(pk=event.pk).overdue(at(12, 1, 11, 30)).exists()
    assert Event.objects.filter(pk=event.pk).overdue(at(12, 1, 11, 31)).exists()
    assert Event.objects.is_overdue(event, at(12, 1, 11, 31)) and not Event.objects.is_overdue(event, at(12, 1, 11))


def test_an_urgent_event_gets_the_categorys_urgent_deadline(world, cats, clock):
    # 燃气 紧急: 2 working hours from Monday 16:30 → 1 hour Monday, 1 hour Tuesday → Tuesday 09:30.
    event = _dispatched(world, cats, clock, urgency="urgent")
    assert event.due_at == at(12, 1, 9, 30)


def test_working_hours_across_the_national_day_holiday(world, cats, clock):
    # Wednesday 2026-09-30 16:30 + 4 working hours: 1 hour that day, 10-01…10-07 off, Thursday 10-08 → 11:30.
    event = _dispatched(world, cats, clock, when=at(9, 30, 16, 30))
    assert event.due_at == at(10, 8, 11, 30)


def test_the_dispatch_rules_own_deadline_applies_to_its_own_unit_only(world, cats, clock):
    DispatchRule.objects.create(category=cats["garbage"], jurisdiction=world.county,
                                department=world.departments["county_police"], deadline_amount=1,
                                deadline_unit=DeadlineUnit.WORKING_DAYS)
    # To the rule's unit: the rule's 1 working day from Monday → Tuesday's close.
    ruled = _dispatched(world, cats, clock, category="garbage", department="county_police")
    assert ruled.due_at == at(12, 1, 17, 30)
    # To another unit: the category's 2 working days → Wednesday's close.
    other = _dispatched(world, cats, clock, category="garbage", department="police_a")
    assert other.due_at == at(12, 2, 17, 30)
    plan = services.dispatch_plan(other, at=at(11, 30, 16, 30))
    assert plan["assigned_department"] == world.departments["county_police"]
    assert plan["deadline_text"] == "1 工作日" and plan["due_at"] == at(12, 1, 17, 30)


def test_feedback_leaves_checking_its_own_due_moment(world, cats, clock):
    event = _dispatched(world, cats, clock)  # due Tuesday 11:30
    clock(at(12, 1, 10, 0))
    engine.transition(actor=world.users["handler_a"], case=event, action="feedback",
                      data={"handling_result": "已关阀通风"})
    event.refresh_from_db()
    assert event.state == S.CHECKING and event.handled_at == at(12, 1, 10, 0)
    # 待核查: 2 working days from Tuesday → Thursday's close.
    assert event.due_at == at(12, 3, 17, 30)


def test_feedback_records_the_handling_due_moment_then_in_force(world, cats, clock):
    event = _dispatched(world, cats, clock)  # due Tuesday 11:30
    clock(at(12, 1, 10, 0))
    engine.transition(actor=world.users["handler_a"], case=event, action="feedback",
                      data={"handling_result": "已关阀通风"})
    event.refresh_from_db()
    assert event.state == S.CHECKING and event.handled_at == at(12, 1, 10, 0)
    # 待核查: 2 working days from Tuesday → Thursday's close.
    assert event.due_at == at(12, 3, 17, 30)
    assert event.handled_due_at == at(12, 1, 11, 30)


def test_a_send_back_gives_handling_a_new_due_moment_from_the_send_back(world, cats, clock):
    event = _dispatched(world, cats, clock, category="garbage")  # due Wednesday 17:30
    clock(at(12, 1, 10, 0))
    engine.transition(actor=world.users["handler_a"], case=event, action="feedback", data={"handling_result": "已清运"})
    clock(at(12, 2, 9, 0))
    engine.transition(actor=world.users["center_staff"], case=event, action="send_back", note="没清干净")
    # 2 working days from Wednesday → Friday 12-04's close; counted for 返工率.
    assert event.state == S.HANDLING and event.due_at == at(12, 4, 17, 30) and event.sent_back_count == 1


def test_an_approved_extension_moves_the_due_moment_to_the_end_of_the_new_day(world, cats, clock):
    event = _dispatched(world, cats, clock)  # due Tuesday 11:30
    clock(at(12, 1, 9, 0))
    extension = engine.extension_request(actor=world.users["handler_a"], case=event, new_deadline=dt.date(2026, 12, 4),
                                         reason="需更换管道")
    engine.extension_decide(actor=world.users["center_staff"], extension=extension, case=event, approve=True)
    assert Event.objects.get(pk=event.pk).due_at == at(12, 5)  # the end of Friday 12-04


def test_return_clears_the_unit_and_reopen_counts_and_clears_the_evaluation(world, cats, clock):
    centre, handler = world.users["center_staff"], world.users["handler_a"]
    event = _dispatched(world, cats, clock)
    clock(at(12, 1, 9, 0))
    engine.transition(actor=handler, case=event, action="return", note="不属于本单位")
    event.refresh_from_db()
    assert event.state == S.REGISTERED and event.assigned_department is None and event.assigned_township is None
    entry = AuditEntry.objects.filter(action="event.return", object_id=str(event.pk)).get()
    assert entry.changes["assigned_department"] == [world.departments["police_a"].pk, None]
    for action, actor, data in [("dispatch", centre, {"assigned_department": world.departments["police_a"]}),
                                ("feedback", handler, {"handling_result": "已处理"}), ("close", centre, {}),
                                ("evaluate", world.users["grid_a"], {"satisfaction": "unsatisfied",
                                                                     "evaluation_note": "味道还在"})]:
        engine.transition(actor=actor, case=event, action=action, data=data)
    clock(at(12, 2, 9, 0))
    engine.transition(actor=centre, case=event, action="reopen", note="群众反映仍有气味")
    event.refresh_from_db()
    assert event.state == S.REGISTERED and event.reopen_count == 1 and event.closed_at is None
    assert event.satisfaction == "" and event.evaluation_note == ""
    assert event.due_at == at(12, 3, 17, 30)  # 已立案待派遣: the close of the next working day


def test_evaluation_is_a_step_of_the_declaration_that_keeps_the_event_closed(world, cats, clock):
    centre, worker = world.users["center_staff"], world.users["grid_a"]
    event = _dispatched(world, cats, clock)
    engine.transition(actor=world.users["handler_a"], case=event, action="feedback", data={"handling_result": "已处理"})
    engine.transition(actor=centre, case=event, action="close")
    closed_at = Event.objects.get(pk=event.pk).closed_at
    with pytest.raises(ValidationError) as exc:
        engine.transition(actor=worker, case=event, action="evaluate", data={"satisfaction": "unsatisfied"})
    assert exc.value.message_dict["evaluation_note"] == ["不满意时请写明原因。"]
    engine.transition(actor=worker, case=event, action="evaluate", data={"satisfaction": "basic"})
    event.refresh_from_db()
    assert (event.state, event.satisfaction, event.closed_at, event.due_at) == (S.CLOSED, "basic", closed_at, None)
    log = TransitionLog.objects.for_case(event).filter(action="evaluate").get()
    assert (log.from_state, log.to_state, log.data) == (S.CLOSED, S.CLOSED, {"satisfaction": "basic"})
    assert AuditEntry.objects.filter(action="event.evaluate", object_id=str(event.pk)).count() == 1
    # Another grid worker may not evaluate it.
    assert "evaluate" not in [t.name for t in engine.allowed_actions(world.users["grid_b"], event)]


def test_open311_expects_the_current_due_moment_while_with_the_unit(world, cats, clock):
    event = _dispatched(world, cats, clock)
    event = Event.objects.select_related("category", "jurisdiction", "assigned_department").get(pk=event.pk)
    assert open311.public_request(event)["expected_datetime"] == "2026-12-01T11:30:00+08:00"


def test_the_open_due_index_names_the_workflows_open_states():
    index = next(i for i in Event._meta.indexes if i.name == "events_open_due_idx")
    assert index.condition == Q(state__in=["reported", "registered", "dispatched", "handling", "checking"])
    assert EVENT_KIND.open_states == ["reported", "registered", "dispatched", "handling", "checking"]
    # The migration's literal condition is the same list (makemigrations --check finds no change).


def test_the_categorys_photo_rule_at_feedback_is_enforced_by_the_engine(world, cats, clock):
    """A category whose 照片要求 is 处置反馈时必须有照片: the handler's feedback without a photo is refused (and
    nothing is written); with the rule off, the same feedback goes through."""
    from pingan.events.choices import PhotoRule

    cats["gas"].photo_rule = PhotoRule.FEEDBACK
    cats["gas"].save(update_fields=["photo_rule"])
    event = _dispatched(world, cats, clock)
    handler = world.users["handler_a"]
    with pytest.raises(ValidationError) as refused:
        engine.transition(actor=handler, case=event, action="feedback", data={"handling_result": "已关阀"})
    assert "须上传现场照片" in " ".join(refused.value.message_dict["photos"])
    assert Event.objects.get(pk=event.pk).state == S.DISPATCHED
    cats["gas"].photo_rule = PhotoRule.NONE
    cats["gas"].save(update_fields=["photo_rule"])
    engine.transition(actor=handler, case=Event.objects.get(pk=event.pk), action="feedback",
                      data={"handling_result": "已关阀"})
    assert Event.objects.get(pk=event.pk).state == S.CHECKING
