"""The engine's write paths, proven on the hazard kind (and on events for the idempotency key):
registration in one transaction, the bulk path writing the same rows, declared effects, note-only steps,
reopening, the signal after commit, and "mine"."""
import dataclasses
import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pingan.cases import definitions, engine
from pingan.cases.definitions import Transition, assign, clear, get_kind, increment
from pingan.cases.models import CaseCounter, TransitionLog, WorkflowAttachment
from pingan.cases.signals import case_event
from pingan.core.models import AuditEntry
from pingan.hazards.choices import HazardStatus, HazardType, RiskLevel
from pingan.hazards.models import Hazard
from pingan.hazards.testing import make_hazard
from pingan.hazards.tests.conftest import png

BJ = zoneinfo.ZoneInfo("Asia/Shanghai")
S = HazardStatus


def build(world, side="a", **fields):
    data = dict(jurisdiction=world.village(side), screened_on=dt.date(2026, 11, 20), hazard_type=HazardType.FIRE,
                risk_level=RiskLevel.MEDIUM, description="废品收购站堆放易燃物",
                responsible_department=world.departments[f"police_{side}"], responsible_person=f"责任人{side}",
                rectify_deadline=dt.date(2026, 12, 10))
    data.update(fields)
    return Hazard(**data)


@pytest.fixture
def events_seen():
    seen = []

    def receiver(sender, **kwargs):
        seen.append(kwargs)

    case_event.connect(receiver, weak=False)
    yield seen
    case_event.disconnect(receiver)


# --- registration -------------------------------------------------------------------------------------
def test_registration_writes_number_state_due_moment_audit_log_and_photos(world, events_seen,
                                                                          django_capture_on_commit_callbacks):
    officer = world.officer("a")
    with django_capture_on_commit_callbacks(execute=True):
        hazard = engine.case_register(actor=officer, case=build(world), photos=[png()], note="排查发现",
                                      at=dt.date(2026, 11, 20))
    assert hazard._created is True
    # YH + township a's code + 排查日期 + the day's first sequence number.
    assert hazard.number == f"YH{world.township('a').code}20261120001"
    assert hazard.state == "pending" and hazard.closed_at is None and hazard.sent_back_count == 0
    assert hazard.due_at == dt.datetime(2026, 12, 11, 0, 0, tzinfo=BJ)  # the end of 整治期限 2026-12-10
    stored = Hazard.objects.get()
    assert (stored.number, stored.state, stored.due_at) == (hazard.number, "pending", hazard.due_at)
    entry = AuditEntry.objects.get(action="hazard.create")
    assert entry.object_id == str(hazard.pk) and entry.changes["photos"] == 1
    assert entry.changes["after"]["number"] == hazard.number and entry.changes["after"]["state"] == "pending"
    log = TransitionLog.objects.for_case(hazard).get()
    assert (log.kind, log.action, log.from_state, log.to_state, log.note) == ("create", "create", "", "pending", "排查发现")
    assert log.actor == officer and log.department == world.departments["police_a"]
    assert log.attachments.get().content_type == "image/png"
    assert [(e["event"], e["case"].pk, e["log"].pk) for e in events_seen] == [("registered", hazard.pk, log.pk)]


def test_a_registration_that_fails_writes_nothing_and_gives_its_number_back(world, events_seen, monkeypatch,
                                                                           django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError) as exc:
        engine.case_register(actor=world.officer("a"), case=build(world, hazard_type="ZZ"), at=dt.date(2026, 11, 20))
    assert "hazard_type" in exc.value.message_dict

    def broken(**kwargs):
        raise RuntimeError("log table unavailable")

    monkeypatch.setattr(engine, "_log", broken)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            engine.case_register(actor=world.officer("a"), case=build(world), at=dt.date(2026, 11, 20))
    assert not Hazard.objects.exists()
    assert not AuditEntry.objects.filter(action="hazard.create").exists()
    assert not TransitionLog.objects.exists() and not WorkflowAttachment.objects.exists()
    assert events_seen == []
    monkeypatch.undo()
    hazard = engine.case_register(actor=world.officer("a"), case=build(world), at=dt.date(2026, 11, 20))
    assert hazard.number.endswith("20261120001")  # the rolled-back numbers were given back
    assert CaseCounter.objects.get(prefix="YH").last == 1


def test_a_bad_photo_refuses_the_registration_before_anything_is_written(world):
    from pingan.hazards.tests.conftest import not_image

    with pytest.raises(ValidationError) as exc:
        engine.case_register(actor=world.officer("a"), case=build(world), photos=[not_image()])
    assert "不是有效的图片文件" in exc.value.message_dict["photos"][0]
    assert not Hazard.objects.exists() and not CaseCounter.objects.exists()


def test_a_kind_may_say_which_township_numbers_its_cases(world, monkeypatch):
    kind = get_kind("hazards.hazard")
    monkeypatch.setattr(kind, "township", lambda case: world.township("b"))
    hazard = engine.case_register(actor=world.officer("a"), case=build(world), at=dt.date(2026, 11, 20))
    assert hazard.number == f"YH{world.township('b').code}20261120001"
    monkeypatch.setattr(kind, "township", None)
    assert engine.case_township(hazard) == world.township("a")  # the village's township by default
    assert engine.township_code(hazard) == world.township("a").code


def test_an_idempotency_key_returns_the_case_it_registered(world):
    from pingan.events.testing import EventCases
    from pingan.events.models import Event

    grid = world.users["grid_a"]
    first = engine.case_register(actor=grid, case=EventCases.build(world, "a"), idempotency_key="key-1")
    again = engine.case_register(actor=grid, case=EventCases.build(world, "a"), idempotency_key="key-1")
    assert first._created is True and again._created is False
    assert again.pk == first.pk and again.number == first.number
    assert Event.objects.count() == 1
    assert TransitionLog.objects.filter(case_type="events.event").count() == 1
    other = engine.case_register(actor=grid, case=EventCases.build(world, "a"), idempotency_key="key-2")
    assert other._created is True and other.pk != first.pk
    with pytest.raises(TypeError, match="idempotency_key"):
        engine.case_register(actor=world.officer("a"), case=build(world), idempotency_key="key-3")


# --- the bulk path ------------------------------------------------------------------------------------
def test_the_bulk_path_writes_the_same_rows(world):
    officer = world.officer("a")
    single = engine.case_register(actor=officer, case=build(world), at=dt.date(2026, 11, 20))
    pending = build(world, state_changed_at=dt.datetime(2026, 11, 20, 9, 0, tzinfo=BJ))
    done = build(world, "b", state=S.RECTIFIED, rectified_on=dt.date(2026, 11, 25), number="YH-LEDGER-7",
                 closed_at=dt.datetime(2026, 11, 25, 0, 0, tzinfo=BJ))
    awaiting = build(world, state=S.AWAITING_ACCEPTANCE, rectified_on=dt.date(2026, 11, 27),
                     state_changed_at=dt.datetime(2026, 11, 27, 16, 30, tzinfo=BJ))
    engine.case_register_bulk(actor=officer, cases=[pending, done, awaiting], audit_action="hazard.import")
    pending.refresh_from_db(), done.refresh_from_db(), awaiting.refresh_from_db()
    # Numbered like a registration (the day its state began), the given ledger number kept.
    assert pending.number == f"YH{world.township('a').code}20261120002"
    assert awaiting.number == f"YH{world.township('a').code}20261127001"
    assert done.number == "YH-LEDGER-7"
    # The same due moment as the single path; 待验收 5 working days from Friday 11-27 16:30: 11-30 (Mon) …
    # 12-04 (Fri) → 12-04 17:30; closed: none, closed when the ledger says.
    assert pending.due_at == single.due_at == dt.datetime(2026, 12, 11, 0, 0, tzinfo=BJ)
    assert awaiting.due_at == dt.datetime(2026, 12, 4, 17, 30, tzinfo=BJ)
    assert done.due_at is None and done.closed_at == dt.datetime(2026, 11, 25, 0, 0, tzinfo=BJ)
    assert pending.closed_at is None
    for case, state in ((pending, "pending"), (done, "rectified"), (awaiting, "awaiting_acceptance")):
        log = TransitionLog.objects.for_case(case).get()
        assert (log.kind, log.from_state, log.to_state, log.actor_id) == ("import", "", state, officer.pk)
        entry = AuditEntry.objects.get(action="hazard.import", object_id=str(case.pk))
        assert entry.changes["after"]["state"] == state and entry.changes["after"]["number"] == case.number
    with pytest.raises(ValidationError, match="没有“lost”这个状态"):
        engine.case_register_bulk(actor=officer, cases=[build(world, state="lost")])


def test_a_ledger_update_sets_the_state_as_history_through_the_engine(world):
    hazard = make_hazard(world, "a", screened_on=dt.date(2026, 11, 20), rectify_deadline=dt.date(2026, 12, 10))
    with pytest.raises(ValueError, match="due_at"):
        engine.case_import_update(actor=None, case=hazard, data={"due_at": None})
    changes = engine.case_import_update(actor=world.users["district_admin"], case=hazard,
                                        data={"rectify_deadline": dt.date(2026, 12, 15)})
    hazard.refresh_from_db()
    assert hazard.due_at == dt.datetime(2026, 12, 16, 0, 0, tzinfo=BJ)
    assert set(changes) == {"rectify_deadline", "due_at"}
    assert not TransitionLog.objects.for_case(hazard).filter(kind="import").exists()  # the state did not move
    engine.case_import_update(actor=world.users["district_admin"], case=hazard,
                              data={"state": S.RECTIFIED, "rectified_on": dt.date(2026, 11, 28),
                                    "closed_at": dt.datetime(2026, 11, 28, 0, 0, tzinfo=BJ)})
    hazard.refresh_from_db()
    assert hazard.state == "rectified" and hazard.due_at is None
    assert hazard.closed_at == dt.datetime(2026, 11, 28, 0, 0, tzinfo=BJ)
    log = TransitionLog.objects.for_case(hazard).get(kind="import")
    assert (log.from_state, log.to_state) == ("pending", "rectified")


# --- effects, note-only steps, reopening ----------------------------------------------------------------
@pytest.fixture
def extended_kind(monkeypatch):
    """The hazard kind with three extra steps declared the way events need them."""
    kind = get_kind("hazards.hazard")
    extra = (
        Transition("reassign", "改派", (S.PENDING,), S.PENDING, "hazards.accept",
                   effects=(assign("responsible_department"), clear("responsible_person"),
                            increment("sent_back_count"))),
        Transition("remark", "补充验收意见", (S.RECTIFIED,), "", "hazards.accept", optional=("acceptance_note",),
                   keeps_state=True),
        Transition("reopen", "重新整治", (S.RECTIFIED,), S.RECTIFYING, "hazards.accept", note_required=True,
                   effects=(clear("accepted_on", "accepted_by"),)),
    )
    changed = dataclasses.replace(kind, transitions=kind.transitions + extra)
    monkeypatch.setitem(definitions._KINDS, "hazards.hazard", changed)
    return changed


def _rectified(world):
    hazard = make_hazard(world, "a", screened_on=dt.date(2026, 11, 20), rectify_deadline=dt.date(2026, 12, 10))
    engine.transition(actor=world.users["handler_a"], case=hazard, action="complete",
                      data={"rectified_on": dt.date(2026, 11, 28), "measures": "已清理"})
    engine.transition(actor=world.officer("a"), case=hazard, action="accept")
    return hazard


def test_declared_effects_are_applied_in_the_transition_and_audited(world, extended_kind):
    hazard = make_hazard(world, "a", screened_on=dt.date(2026, 11, 20), rectify_deadline=dt.date(2026, 12, 10))
    due = hazard.due_at
    engine.transition(actor=world.officer("a"), case=hazard, action="reassign",
                      data={"responsible_department": world.departments["county_police"], "measures": "ignored"})
    hazard.refresh_from_db()
    assert hazard.responsible_department == world.departments["county_police"]
    assert hazard.responsible_person == "" and hazard.sent_back_count == 1 and hazard.measures == ""
    assert hazard.state == "pending" and hazard.due_at == due
    entry = AuditEntry.objects.get(action="hazard.reassign")
    assert entry.changes["responsible_department"] == [world.departments["police_a"].pk,
                                                       world.departments["county_police"].pk]
    assert entry.changes["responsible_person"] == ["责任人a", ""]
    assert entry.changes["sent_back_count"] == [0, 1]
    # Assign without a value clears (派遣 to nobody is refused by the kind's validate, not here).
    engine.transition(actor=world.officer("a"), case=hazard, action="reassign", data={})
    hazard.refresh_from_db()
    assert hazard.responsible_department is None and hazard.sent_back_count == 2


def test_a_note_only_step_logs_and_audits_without_moving_the_state(world, extended_kind):
    hazard = _rectified(world)
    closed_at = hazard.closed_at
    assert [t.name for t in engine.allowed_actions(world.officer("a"), hazard)] == ["remark", "reopen"]
    engine.transition(actor=world.officer("a"), case=hazard, action="remark", data={"acceptance_note": "复查合格"},
                      note="回访")
    hazard.refresh_from_db()
    assert hazard.state == "rectified" and hazard.closed_at == closed_at and hazard.due_at is None
    assert hazard.acceptance_note == "复查合格"
    log = TransitionLog.objects.for_case(hazard).get(action="remark")
    assert (log.from_state, log.to_state, log.note) == ("rectified", "rectified", "回访")
    entry = AuditEntry.objects.get(action="hazard.remark")
    assert entry.changes == {"acceptance_note": ["", "复查合格"]}


def test_reopening_clears_closed_at_and_gives_a_new_due_moment(world, extended_kind):
    hazard = _rectified(world)
    assert hazard.closed_at is not None and hazard.due_at is None
    with pytest.raises(ValidationError):
        engine.transition(actor=world.officer("a"), case=hazard, action="reopen")
    engine.transition(actor=world.officer("a"), case=hazard, action="reopen", note="群众反映复发")
    hazard.refresh_from_db()
    assert hazard.state == "rectifying" and hazard.closed_at is None
    assert hazard.accepted_on is None and hazard.accepted_by is None
    assert hazard.due_at == dt.datetime(2026, 12, 11, 0, 0, tzinfo=BJ)  # 整治期限 2026-12-10 again
    entry = AuditEntry.objects.get(action="hazard.reopen")
    assert entry.changes["state"] == ["rectified", "rectifying"] and entry.changes["closed_at"][1] is None


def test_moving_between_states_of_one_policy_keeps_the_due_moment(world, monkeypatch):
    from pingan.cases.deadlines import DeadlinePolicy

    kind = get_kind("hazards.hazard")
    shared = DeadlinePolicy(4, "working_hours")
    monkeypatch.setitem(kind.deadlines, S.PENDING, shared)
    monkeypatch.setitem(kind.deadlines, S.RECTIFYING, shared)
    hazard = make_hazard(world, "a", screened_on=dt.date(2026, 11, 27), rectify_deadline=dt.date(2026, 12, 10))
    # Registered as of Friday 11-27 (from 00:00, so from 08:30): 4 working hours → 12:30 the same day.
    assert hazard.due_at == dt.datetime(2026, 11, 27, 12, 30, tzinfo=BJ)
    engine.transition(actor=world.users["handler_a"], case=hazard, action="start")
    hazard.refresh_from_db()
    assert hazard.state == "rectifying" and hazard.due_at == dt.datetime(2026, 11, 27, 12, 30, tzinfo=BJ)


def test_every_write_signals_after_commit(world, events_seen, django_capture_on_commit_callbacks):
    hazard = make_hazard(world, "a", screened_on=dt.date(2026, 11, 20), rectify_deadline=dt.date(2026, 12, 10))
    handler, officer, centre = world.users["handler_a"], world.officer("a"), world.users["center_staff"]
    with django_capture_on_commit_callbacks(execute=True):
        supervision = engine.supervise(actor=centre, case=hazard, note="请加快")
        engine.supervision_reply(actor=handler, supervision=supervision, case=hazard, reply="已在整治")
        extension = engine.extension_request(actor=handler, case=hazard, new_deadline=dt.date(2026, 12, 20),
                                             reason="等待材料")
        engine.extension_decide(actor=officer, extension=extension, case=hazard, approve=True)
        engine.transition(actor=handler, case=hazard, action="complete",
                          data={"rectified_on": dt.date(2026, 11, 28), "measures": "已清理"})
        engine.transition(actor=officer, case=hazard, action="send_back", note="不合格")
    assert [e["event"] for e in events_seen] == ["supervised", "supervision_replied", "extension_requested",
                                                 "extension_decided", "transition", "sent_back"]
    assert events_seen[0]["supervision"] == supervision and events_seen[3]["extension"] == extension
    assert events_seen[4]["transition"].name == "complete" and events_seen[5]["actor"] == officer
    assert all(e["log"].case_id == hazard.pk for e in events_seen)


def test_a_refused_or_failed_transition_sends_nothing(world, events_seen, django_capture_on_commit_callbacks):
    hazard = make_hazard(world, "a")
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ValidationError):
            engine.transition(actor=world.users["handler_a"], case=hazard, action="complete", data={})
    assert events_seen == []


# --- mine -----------------------------------------------------------------------------------------------
def test_mine_is_what_the_users_duty_handles(world):
    a = make_hazard(world, "a")
    b = make_hazard(world, "b")
    county = make_hazard(world, "a", responsible_department=world.departments["county_police"])
    mine = lambda user: set(Hazard.objects.mine(user))  # noqa: E731
    assert mine(world.users["handler_a"]) == {a}                # only police_a's, not township a's others
    assert mine(world.users["county_handler"]) == {county}      # 区公安分局 sees its own only
    assert mine(world.officer("a")) == {a, county}               # the township's
    assert mine(world.officer("b")) == {b}
    assert mine(world.users["center_staff"]) == {a, b, county}   # the district
    assert mine(world.users["grid_a"]) == set(Hazard.objects.visible_to(world.users["grid_a"]))
    assert Hazard.objects.mine(world.users["handler_a"]).overdue(timezone.now() + dt.timedelta(days=400)).get() == a


def test_the_engine_refuses_a_case_outside_the_actors_scope_whatever_called_it(world):
    """Township b's officer holds the capabilities of every hazard step, 督办 reply and 延期, but a hazard of
    township a is not theirs: the engine itself refuses each write (audited), not only the page or API."""
    hazard = make_hazard(world, "a")
    stranger = world.officer("b")
    before = AuditEntry.objects.filter(outcome="failure").count()
    with pytest.raises(PermissionDenied):
        engine.transition(actor=stranger, case=hazard, action="start", data={"measures": "越权整治"})
    with pytest.raises(PermissionDenied):
        engine.extension_request(actor=stranger, case=hazard, new_deadline=hazard.rectify_deadline
                                 + dt.timedelta(days=5), reason="越权申请")
    assert Hazard.objects.get(pk=hazard.pk).state == HazardStatus.PENDING
    assert AuditEntry.objects.filter(outcome="failure").count() == before + 2
    assert not TransitionLog.objects.for_case(hazard).exclude(kind="create").exists()


# --- how many extensions ------------------------------------------------------------------------------
def test_max_extensions_refuses_a_request_beyond_the_approved_count(world, monkeypatch):
    """A kind may allow a number of approved 延期 in all (petitions: one, 信访工作条例第三十四条): the next
    request is refused naming the limit (and the kind's rule), nothing written; without the setting (every other
    kind) a second extension is asked as before."""
    hazard = make_hazard(world, "a", screened_on=dt.date(2026, 11, 20), rectify_deadline=dt.date(2026, 12, 10))
    handler, officer = world.users["handler_a"], world.officer("a")
    first = engine.extension_request(actor=handler, case=hazard, new_deadline=dt.date(2026, 12, 20), reason="等材料")
    engine.extension_decide(actor=officer, extension=first, case=hazard, approve=True)
    kind = get_kind("hazards.hazard")
    assert kind.max_extensions is None
    monkeypatch.setitem(definitions._KINDS, "hazards.hazard", dataclasses.replace(kind, max_extensions=1))
    with pytest.raises(ValidationError) as refused:
        engine.extension_request(actor=handler, case=hazard, new_deadline=dt.date(2026, 12, 28), reason="还要等")
    assert refused.value.message_dict == {"new_deadline": ["此风险隐患已延期 1 次，不能再申请延期。"]}
    monkeypatch.setitem(definitions._KINDS, "hazards.hazard",
                        dataclasses.replace(kind, max_extensions=1, extension_basis="（某规定第三条）"))
    with pytest.raises(ValidationError) as refused:
        engine.extension_request(actor=handler, case=hazard, new_deadline=dt.date(2026, 12, 28), reason="还要等")
    assert refused.value.message_dict == {"new_deadline": ["此风险隐患已延期 1 次，不能再申请延期（某规定第三条）。"]}
    # The basis is named when a request goes beyond the days allowed too.
    with pytest.raises(ValidationError) as refused:
        engine.extension_request(actor=handler, case=hazard, new_deadline=dt.date(2027, 12, 28), reason="还要等")
    assert refused.value.message_dict == {"new_deadline": ["一次延期不能超过 90 天（某规定第三条）。"]}
    assert engine.case_extensions(hazard).count() == 1
    # A refused one does not count: with two allowed, the second is asked.
    monkeypatch.setitem(definitions._KINDS, "hazards.hazard", dataclasses.replace(kind, max_extensions=2))
    second = engine.extension_request(actor=handler, case=hazard, new_deadline=dt.date(2026, 12, 28), reason="再等")
    engine.extension_decide(actor=officer, extension=second, case=hazard, approve=False, note="不批准")
    third = engine.extension_request(actor=handler, case=hazard, new_deadline=dt.date(2026, 12, 28), reason="又等")
    assert third.status == "pending"
