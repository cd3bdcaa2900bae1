"""The case layer's contract, run on every registered case kind (`pingan.cases.definitions.kinds()`).

A new kind is covered by itself: it needs a test factory (`pingan.cases.testing.case_factory`) and a row in
each hand-written table below — a kind missing from a table fails `test_kind_is_covered`, naming the table.
The tables are the point: they are written out by hand from the issue and the kinds' documentation, not read
from the declarations, so a broken capability table or a changed `allowed` rule fails here.

Every case is made in township a (河底镇) of the test world, assigned to its 派出所 (police_a) where the kind
assigns; personas are the world's accounts (`pingan.accounts.testing.build_world`, plus the role net's
other-department handlers and a 区城管局 handler made here).
"""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from pingan.accounts.choices import Role
from pingan.accounts.testing import add_role_net_personas
from pingan.cases import engine
from pingan.cases.definitions import get_kind, kinds
from pingan.cases.models import Extension, Supervision, TransitionLog
from pingan.cases.testing import factory_for, make_case, persona, register, take
from pingan.core.models import AuditEntry

LABELS = sorted(k.label for k in kinds())

# --- the hand-written tables --------------------------------------------------------------------------------
# Who may take each transition on a township-a case in the transition's source state (personas who see the
# case; everyone else is refused). Events: 受理/不予立案/重复件/派遣/重新办理 by the centre and the township office;
# 签收/退回中心/反馈 by the department it was dispatched to only (police_a → handler_a, not the township office,
# not 区公安分局); 核查 and 退回重办 by the centre, the township office and the grid worker who reported it.
# Hazards: 整治 by the responsible department's handler and the township and village offices; 验收/退回 by the
# township office and the centre.
ALLOWED = {
    "events.event": {
        "register": {"district_admin", "center_staff", "township_a"},
        "reject": {"district_admin", "center_staff", "township_a"},
        "duplicate": {"district_admin", "center_staff", "township_a"},
        "dispatch": {"district_admin", "center_staff", "township_a"},
        "accept": {"handler_a"},
        "return": {"handler_a"},
        "feedback": {"handler_a"},
        "close": {"district_admin", "center_staff", "township_a", "grid_a"},
        "send_back": {"district_admin", "center_staff", "township_a", "grid_a"},
        "reopen": {"district_admin", "center_staff", "township_a"},
        "evaluate": {"district_admin", "center_staff", "township_a", "grid_a"},
    },
    "hazards.hazard": {
        "start": {"handler_a", "township_a", "village_a"},
        "complete": {"handler_a", "township_a", "village_a"},
        "accept": {"district_admin", "center_staff", "township_a"},
        "send_back": {"district_admin", "center_staff", "township_a"},
    },
    # Disputes (issue 10): 受理指派 and 重新调解 by the officers (village, township, centre, district) and a
    # mediator, never a department handler; the mediation steps also by the handler of the resident unit the
    # dispute is assigned to (police_a's mediation room) and by the mediator on the case; 考评定级 by the
    # township office and the centre only (not the mediator paid by it, not the village).
    "disputes.dispute": {
        "accept": {"district_admin", "center_staff", "township_a", "village_a", "mediator_a"},
        "settle": {"district_admin", "center_staff", "township_a", "village_a", "mediator_a", "handler_a"},
        "fail": {"district_admin", "center_staff", "township_a", "village_a", "mediator_a", "handler_a"},
        "transfer": {"district_admin", "center_staff", "township_a", "village_a", "mediator_a", "handler_a"},
        "return": {"district_admin", "center_staff", "township_a", "village_a", "mediator_a", "handler_a"},
        "followup": {"district_admin", "center_staff", "township_a", "village_a", "mediator_a", "handler_a"},
        "inform_police": {"district_admin", "center_staff", "township_a", "village_a", "mediator_a", "handler_a"},
        "judicial_apply": {"district_admin", "center_staff", "township_a", "village_a", "mediator_a", "handler_a"},
        "judicial_decide": {"district_admin", "center_staff", "township_a", "village_a", "mediator_a", "handler_a"},
        "grade": {"district_admin", "center_staff", "township_a"},
        "report_back": {"district_admin", "center_staff", "township_a", "village_a", "mediator_a", "handler_a"},
        "reopen": {"district_admin", "center_staff", "township_a", "village_a", "mediator_a"},
    },
    # Petitions (issue 11, 信访工作条例): 受理/交办/转送/不予受理/办结/复查/复核 by the centre and the township's
    # 信访 officer (petitions.decide), never a village officer nor a department handler; the handling steps
    # (受理告知, 调查, 听证, 处理意见) also by the handler of the department it is assigned to (police_a);
    # 延期告知 only once a 延期 has been approved (none on the contract's cases: nobody).
    "petitions.petition": {
        "accept": {"district_admin", "center_staff", "township_a"}, "assign": {"district_admin", "center_staff", "township_a"}, "forward": {"district_admin", "center_staff", "township_a"}, "reject": {"district_admin", "center_staff", "township_a"},
        "acknowledge": {"district_admin", "center_staff", "township_a", "handler_a"}, "investigate": {"district_admin", "center_staff", "township_a", "handler_a"}, "hearing": {"district_admin", "center_staff", "township_a", "handler_a"}, "draft_opinion": {"district_admin", "center_staff", "township_a", "handler_a"},
        "tell_extension": set(),
        "conclude": {"district_admin", "center_staff", "township_a"}, "resolve": {"district_admin", "center_staff", "township_a"}, "stabilise": {"district_admin", "center_staff", "township_a"},
        "review_request": {"district_admin", "center_staff", "township_a"}, "review_conclude": {"district_admin", "center_staff", "township_a"}, "recheck_request": {"district_admin", "center_staff", "township_a"}, "recheck_conclude": {"district_admin", "center_staff", "township_a"},
    },
}

# Who sees a township-a case once it is with its unit (police_a): the district, the leader and township a's
# place roles by place, handler_a by assignment. Never township b, the auditor, the security admin, nor a
# handler of another department (区公安分局, 河底司法所, 区城管局).
SEES = {
    "events.event": {"district_admin", "center_staff", "leader", "township_a", "village_a", "grid_a", "mediator_a",
                     "handler_a"},
    # A hazard lies in the village: the grid worker below it does not see it.
    "hazards.hazard": {"district_admin", "center_staff", "leader", "township_a", "village_a", "mediator_a",
                       "handler_a"},
    # A dispute lies in the village too; its resident unit (police_a) handles it.
    "disputes.dispute": {"district_admin", "center_staff", "leader", "township_a", "village_a", "mediator_a",
                         "handler_a"},
    # A petition's 问题属地 is the village; the department it is assigned to (police_a) handles it.
    "petitions.petition": {"district_admin", "center_staff", "leader", "township_a", "village_a", "mediator_a",
                           "handler_a"},
}

# The state in which a case is with its handling unit (督办, 延期 and "mine" are tried there).
WITH_UNIT = {"events.event": "handling", "hazards.hazard": "rectifying", "disputes.dispute": "mediating",
             "petitions.petition": "handling"}
# 督办: the centre only (leaders read, they ask the centre).
SUPERVISORS = {"events.event": {"district_admin", "center_staff"}, "hazards.hazard": {"district_admin", "center_staff"},
               "disputes.dispute": {"district_admin", "center_staff", "township_a"},
               "petitions.petition": {"district_admin", "center_staff"}}
# Who answers a 督办 and asks for 延期 on a case with its unit.
HANDLERS = {"events.event": {"handler_a"}, "hazards.hazard": {"handler_a", "township_a", "village_a"},
            "disputes.dispute": {"district_admin", "center_staff", "township_a", "village_a", "mediator_a",
                                 "handler_a"},
            "petitions.petition": {"district_admin", "center_staff", "township_a", "handler_a"}}
# Who decides handler_a's 延期 request: the level above (the centre; for hazards also the township office
# over its department handler).
APPROVERS = {"events.event": {"district_admin", "center_staff"},
             "hazards.hazard": {"district_admin", "center_staff", "township_a"},
             "disputes.dispute": {"district_admin", "center_staff", "township_a"},
             "petitions.petition": {"district_admin", "center_staff", "township_a"}}
EXTENSION_MAX_DAYS = {"events.event": 30, "hazards.hazard": 90, "disputes.dispute": 30, "petitions.petition": 30}
# 退回 (counted for 返工率): transition, its source state.
SEND_BACKS = {"events.event": {"send_back": "checking"}, "hazards.hazard": {"send_back": "awaiting_acceptance"},
              "disputes.dispute": {}, "petitions.petition": {}}
# Reopen (a closed state back to an open one): transition -> (from, to, counters after one reopen).
REOPENS = {"events.event": {"reopen": ("closed", "registered", {"reopen_count": 1})}, "hazards.hazard": {},
           "disputes.dispute": {"reopen": ("failed", "mediating", {})},
           # 复查 and 复核 reopen a closed petition for review (第三十五条, 第三十六条).
           "petitions.petition": {"review_request": ("concluded", "reviewing", {}),
                                  "recheck_request": ("reviewed", "rechecking", {})}}
# Steps whose declared effects change the case beyond its state: transition -> (source state, steps taken
# before it as (persona, action), the persona taking it, {field: (before, after)} as the audit entry of the
# step records them). "dept:<key>" is world.departments[key].pk. 退回中心 clears the unit; 重新办理 counts the
# reopening and clears the evaluation; 派遣 sets the unit.
EFFECTS = {
    "events.event": {
        "dispatch": ("registered", [], "center_staff", {"assigned_department": (None, "dept:police_a")}),
        "return": ("handling", [], "handler_a", {"assigned_department": ("dept:police_a", None)}),
        "reopen": ("closed", [("grid_a", "evaluate")], "center_staff",
                   {"reopen_count": (0, 1), "satisfaction": ("satisfied", "")}),
    },
    "hazards.hazard": {},
    # 受理指派 sets the unit from the organisation (police_a's room: unchanged for a case its room registered);
    # 退回重新指派 clears it.
    "disputes.dispute": {
        "accept": ("registered", [], "township_a", {}),
        "return": ("mediating", [], "township_a", {"assigned_department": ("dept:police_a", None)}),
    },
    # 交办 sets the unit (police_a, already named on the contract's cases: unchanged).
    "petitions.petition": {"assign": ("registered", [], "township_a", {})},
}
# Case numbers: prefix + township a's code.
NUMBER_PREFIX = {"events.event": "SJ140311101", "hazards.hazard": "YH140311101", "disputes.dispute": "JF140311101",
                 "petitions.petition": "XF140311101"}
# Who reported a case (and is told of its progress when someone else moves it), and what they hold after
# 受理 and 派遣 by the centre; None: the kind has no reporter to tell.
REPORTER = {"events.event": ("grid_a", ["report_progress"]), "hazards.hazard": None, "disputes.dispute": None,
            "petitions.petition": None}
# The API's route names (api:<basename>-detail …).
API_BASENAME = {"events.event": "event", "hazards.hazard": "hazard", "disputes.dispute": "dispute",
                "petitions.petition": "petition"}

# Campaign clues (campaigns.clue, docs/modules/campaigns.md): 核查, 移交公安/纪检监察 and 查否 by the township office
# and the centre; 办结 by the unit the clue was handed to (police_a → handler_a; 区纪委监委 has no persona) and
# the township office. A clue lies in the village, but clues are their own data kind (举报线索保密): the village
# officer, the grid worker and the mediator of its place do not see it.
ALLOWED["campaigns.clue"] = {
    "verify": {"district_admin", "center_staff", "township_a"},
    "hand_police": {"district_admin", "center_staff", "township_a"},
    "hand_discipline": {"district_admin", "center_staff", "township_a"},
    "unfounded": {"district_admin", "center_staff", "township_a"},
    "close": {"handler_a", "township_a"},
    "close_discipline": {"township_a"},
}
SEES["campaigns.clue"] = {"district_admin", "center_staff", "leader", "township_a", "handler_a"}
WITH_UNIT["campaigns.clue"] = "handed_police"
SUPERVISORS["campaigns.clue"] = {"district_admin", "center_staff"}
HANDLERS["campaigns.clue"] = {"handler_a", "township_a"}
APPROVERS["campaigns.clue"] = {"district_admin", "center_staff"}
EXTENSION_MAX_DAYS["campaigns.clue"] = 30
SEND_BACKS["campaigns.clue"] = {}
REOPENS["campaigns.clue"] = {}
EFFECTS["campaigns.clue"] = {
    "hand_police": ("verifying", [], "center_staff", {"handed_to_department": (None, "dept:police_a")}),
    "hand_discipline": ("verifying", [], "center_staff", {"handed_to_department": (None, "dept:discipline")}),
}
NUMBER_PREFIX["campaigns.clue"] = "XS140311101"
REPORTER["campaigns.clue"] = None
API_BASENAME["campaigns.clue"] = "clue"

TABLES = {"ALLOWED": ALLOWED, "SEES": SEES, "WITH_UNIT": WITH_UNIT, "SUPERVISORS": SUPERVISORS,
          "HANDLERS": HANDLERS, "APPROVERS": APPROVERS, "EXTENSION_MAX_DAYS": EXTENSION_MAX_DAYS,
          "SEND_BACKS": SEND_BACKS, "REOPENS": REOPENS, "NUMBER_PREFIX": NUMBER_PREFIX,
          "API_BASENAME": API_BASENAME, "REPORTER": REPORTER,
          "EFFECTS": EFFECTS}


@pytest.fixture(params=LABELS)
def label(request):
    return request.param


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _holidays(db):
    from pingan.core.calendar.loader import load_holidays

    load_holidays()


@pytest.fixture
def people(world):
    """Every persona of the world (both townships), the role net's other-department handlers, and a handler
    of 区城管局 (a county department that is not the police)."""
    from pingan.accounts.models import Department, User

    add_role_net_personas(world)
    chengguan = Department.objects.create(jurisdiction=world.county, name="区城管局", category="城管")
    world.departments["chengguan"] = chengguan
    world.users["chengguan_handler"] = User.objects.create(
        username="chengguan_handler", role=Role.DEPT_HANDLER, scope=world.county, department=chengguan,
        full_name="chengguan_handler")
    return world


def model_of(label):
    from django.apps import apps

    return apps.get_model(label)


def who_sees(world, case):
    model = type(case)
    return {name for name, user in world.users.items() if model.objects.visible_to(user).filter(pk=case.pk).exists()}


def failures(action, user, case):
    return AuditEntry.objects.filter(action=action, actor=user, object_id=str(case.pk), outcome="failure").count()


def successes(action, case):
    return AuditEntry.objects.filter(action=action, object_type=case._meta.label_lower, object_id=str(case.pk),
                                     outcome="success").count()


def entity(case):
    return case._meta.model_name


def due_day(case):
    """The calendar day a case is due in: a moment at the end of a day (the next midnight) belongs to that day."""
    return timezone.localtime(case.due_at - dt.timedelta(microseconds=1)).date()


# --- coverage -----------------------------------------------------------------------------------------------
def test_kind_is_covered(label, people):
    kind = get_kind(label)
    factory_for(label)  # a factory is registered (LookupError names the hook otherwise)
    for name, table in TABLES.items():
        assert label in table, f"{label} has no row in the contract test's {name} table"
    assert set(ALLOWED[label]) == {t.name for t in kind.transitions}, \
        f"{label}: ALLOWED must list exactly the declared transitions"
    assert {t.name for t in kind.transitions if t.send_back} == set(SEND_BACKS[label])
    reopens = {t.name for t in kind.transitions
               if all(kind.state(s).closed for s in t.sources) and not t.keeps_state
               and not kind.state(t.target).closed}
    assert reopens == set(REOPENS[label])
    assert kind.extension_max_days == EXTENSION_MAX_DAYS[label]
    # Every role has a persona in the world, so every role is tried.
    assert set(Role.values) <= {u.role for u in people.users.values()}


# --- registration -------------------------------------------------------------------------------------------
def test_register(label, people, django_capture_on_commit_callbacks):
    kind = get_kind(label)
    factory = factory_for(label)
    with django_capture_on_commit_callbacks(execute=True):
        case = register(people, "a", label)
    assert case.pk and case.state == kind.initial
    assert case.number.startswith(NUMBER_PREFIX[label]) and len(case.number) == len(NUMBER_PREFIX[label]) + 8 + 3
    assert case.due_at is not None and case.due_at > timezone.now()
    assert case.closed_at is None and case.sent_back_count == 0
    log = TransitionLog.objects.for_case(case).get()
    assert (log.kind, log.from_state, log.to_state) == ("create", "", kind.initial)
    assert log.actor == persona(people, factory.registrar, "a")
    assert successes(f"{entity(case)}.create", case) == 1


# --- every transition, by every persona who sees the case ---------------------------------------------------
def test_transitions_allowed_and_refused(label, people):
    kind = get_kind(label)
    model = model_of(label)
    checked = []
    for t in kind.transitions:
        expected = ALLOWED[label][t.name]
        for source in t.sources:
            case = make_case(people, "a", label, source)
            seen = who_sees(people, case)
            # The declaration (capability + the kind's own rule) and the engine agree with the hand table.
            derived = {n for n in seen if people.users[n].can(t.capability)
                       and (t.allowed is None or t.allowed(people.users[n], case))}
            engine_says = {n for n in seen if t in engine.allowed_actions(people.users[n], case)}
            assert engine_says == expected, f"{label}.{t.name} from {source}: the engine allows {sorted(engine_says)}"
            assert derived == expected, f"{label}.{t.name} from {source}: the declaration allows {sorted(derived)}"
            # Refused: PermissionDenied, an audit row with outcome failure, nothing moved.
            for name in sorted(seen - expected):
                user = people.users[name]
                before = failures(f"{entity(case)}.{t.name}", user, case)
                with pytest.raises(PermissionDenied):
                    engine.transition(actor=user, case=case, action=t.name,
                                      **_inputs(people, case, t.name))
                assert failures(f"{entity(case)}.{t.name}", user, case) == before + 1, (label, t.name, name)
                case.refresh_from_db()
                assert case.state == source
            # Allowed: each allowed persona takes it on a case of its own.
            for i, name in enumerate(sorted(expected)):
                if i:
                    case = make_case(people, "a", label, source)
                logs = TransitionLog.objects.for_case(case).count()
                take(people, case, "a", name, t.name)
                assert case.state == (source if t.keeps_state else t.target), (label, t.name, name)
                log = TransitionLog.objects.for_case(case).order_by("-id").first()
                assert TransitionLog.objects.for_case(case).count() == logs + 1
                assert (log.action, log.actor_id, log.from_state) == (t.name, people.users[name].pk, source)
                assert successes(f"{entity(case)}.{t.name}", case) == 1, (label, t.name, name)
                checked.append((t.name, source, name))
    assert model.objects.count() > 0
    assert len(checked) == sum(len(ALLOWED[label][t.name]) * len(t.sources) for t in kind.transitions)


def _inputs(world, case, action):
    given = factory_for(case._meta.label_lower).inputs(world, case, action)
    return {"data": given.get("data") or {}, "note": given.get("note", "")}


# --- 督办 and its reply -------------------------------------------------------------------------------------
def test_supervise_and_reply(label, people):
    case = make_case(people, "a", label, WITH_UNIT[label])
    seen = who_sees(people, case)
    assert seen == SEES[label]
    assert {n for n in seen if engine.may_supervise(people.users[n], case)} == SUPERVISORS[label]
    for name in sorted(seen - SUPERVISORS[label]):
        with pytest.raises(PermissionDenied):
            engine.supervise(actor=people.users[name], case=case, note="请加快办理")
        assert failures(f"{entity(case)}.supervise", people.users[name], case) == 1
    assert not Supervision.objects.for_case(case).exists()

    supervision = engine.supervise(actor=people.users["center_staff"], case=case, note="请三日内办结")
    assert supervision.status == "open" and supervision.by == people.users["center_staff"]
    assert successes(f"{entity(case)}.supervise", case) == 1
    assert TransitionLog.objects.for_case(case).filter(kind="supervise").count() == 1
    # The handling unit finds it among the supervisions it sees.
    assert Supervision.objects.visible_to(people.users["handler_a"]).filter(pk=supervision.pk).exists()
    assert not Supervision.objects.visible_to(people.users["handler_b"]).filter(pk=supervision.pk).exists()

    assert {n for n in seen if engine.may_handle(people.users[n], case)} == HANDLERS[label]
    for name in sorted(seen - HANDLERS[label]):
        with pytest.raises(PermissionDenied):
            engine.supervision_reply(actor=people.users[name], supervision=supervision, case=case, reply="已办")
        assert failures(f"{entity(case)}.supervision_reply", people.users[name], case) == 1
    engine.supervision_reply(actor=people.users["handler_a"], supervision=supervision, case=case, reply="已安排人员")
    supervision.refresh_from_db()
    assert (supervision.status, supervision.replied_by) == ("answered", people.users["handler_a"])
    assert successes(f"{entity(case)}.supervision_reply", case) == 1
    with pytest.raises(ValidationError):
        engine.supervision_reply(actor=people.users["handler_a"], supervision=supervision, case=case, reply="再答")


# --- 延期 ---------------------------------------------------------------------------------------------------
def test_extension(label, people):
    case = make_case(people, "a", label, WITH_UNIT[label])
    handler, centre = people.users["handler_a"], people.users["center_staff"]
    due = due_day(case)
    limit = EXTENSION_MAX_DAYS[label]
    # Beyond the kind's limit: refused, nothing written.
    with pytest.raises(ValidationError) as exc:
        engine.extension_request(actor=handler, case=case, new_deadline=due + dt.timedelta(days=limit + 1),
                                 reason="材料未到")
    assert f"{limit} 天" in str(exc.value)
    assert not Extension.objects.for_case(case).exists()
    # A role that does not handle the case: refused and audited.
    with pytest.raises(PermissionDenied):
        engine.extension_request(actor=people.users["leader"], case=case, new_deadline=due + dt.timedelta(days=5),
                                 reason="材料未到")
    assert failures(f"{entity(case)}.extension_request", people.users["leader"], case) == 1

    new_day = due + dt.timedelta(days=limit)  # exactly the limit is allowed
    extension = engine.extension_request(actor=handler, case=case, new_deadline=new_day, reason="材料未到")
    assert extension.status == "pending"
    assert successes(f"{entity(case)}.extension_request", case) == 1
    # One pending request at a time.
    with pytest.raises(ValidationError) as exc:
        engine.extension_request(actor=handler, case=case, new_deadline=due + dt.timedelta(days=5), reason="又")
    assert "待审批" in str(exc.value)
    assert Extension.objects.for_case(case).count() == 1

    seen = who_sees(people, case)
    assert {n for n in seen if engine.may_approve_extension(people.users[n], extension, case)} == APPROVERS[label]
    for name in sorted(seen - APPROVERS[label]):
        with pytest.raises(PermissionDenied):
            engine.extension_decide(actor=people.users[name], extension=extension, case=case, approve=True)
        assert failures(f"{entity(case)}.extension_decide", people.users[name], case) == 1
    engine.extension_decide(actor=centre, extension=extension, case=case, approve=True)
    extension.refresh_from_db()
    case.refresh_from_db()
    assert extension.status == "approved"
    # Granted: due at the end of the new day (a date a person typed), local time.
    assert timezone.localtime(case.due_at) == timezone.make_aware(dt.datetime.combine(new_day + dt.timedelta(days=1),
                                                                                      dt.time()))
    assert successes(f"{entity(case)}.extension_approve", case) == 1
    assert TransitionLog.objects.for_case(case).filter(kind="extension_decision").count() == 1
    with pytest.raises(ValidationError):  # decided once
        engine.extension_decide(actor=centre, extension=extension, case=case, approve=False, note="不同意")


# --- 退回 and reopen ---------------------------------------------------------------------------------------
def test_send_back_counts(label, people):
    for action, source in SEND_BACKS[label].items():
        case = make_case(people, "a", label, source)
        who = sorted(ALLOWED[label][action])[0]
        take(people, case, "a", who, action)
        assert case.sent_back_count == 1
        log = TransitionLog.objects.for_case(case).order_by("-id").first()
        assert (log.kind, log.action) == ("send_back", action)
        assert successes(f"{entity(case)}.{action}", case) == 1


def test_reopen(label, people):
    for action, (source, target, counters) in REOPENS[label].items():
        case = make_case(people, "a", label, source)
        assert case.closed_at is not None
        who = sorted(ALLOWED[label][action])[0]
        take(people, case, "a", who, action)
        assert case.state == target and case.closed_at is None and case.due_at is not None
        for field, value in counters.items():
            assert getattr(case, field) == value
        assert successes(f"{entity(case)}.{action}", case) == 1


def test_declared_effects_are_written_and_audited(label, people):
    kind = get_kind(label)
    assert {t.name for t in kind.transitions if t.effects} == set(EFFECTS[label])

    def value(v):
        return people.departments[v[5:]].pk if isinstance(v, str) and v.startswith("dept:") else v

    for action, (source, before_steps, who, changes) in EFFECTS[label].items():
        case = make_case(people, "a", label, source)
        for step_who, step in before_steps:
            take(people, case, "a", step_who, step)
        for field, (before, _after) in changes.items():
            assert getattr(case, type(case)._meta.get_field(field).attname) == value(before), (action, field)
        take(people, case, "a", who, action)
        entry = AuditEntry.objects.filter(action=f"{entity(case)}.{action}", object_id=str(case.pk),
                                          outcome="success").get()
        for field, (before, after) in changes.items():
            assert getattr(case, type(case)._meta.get_field(field).attname) == value(after), (action, field)
            assert entry.changes[field] == [value(before), value(after)], (action, field, entry.changes)


# --- overdue: from due_at only ------------------------------------------------------------------------------
def test_overdue_is_computed_from_due_at_only(label, people, client, api):
    kind = get_kind(label)
    model = model_of(label)
    late = make_case(people, "a", label, WITH_UNIT[label])
    on_time = make_case(people, "a", label, WITH_UNIT[label])
    closed = make_case(people, "a", label, next(s.name for s in kind.states if s.closed
                                                 and s.name in factory_for(label).paths))
    now = timezone.now()
    # Test-only writes: the engine owns due_at; this puts the moment in the past without waiting for it.
    model.objects.filter(pk__in=[late.pk, closed.pk]).update(due_at=now - dt.timedelta(minutes=1))
    model.objects.filter(pk=on_time.pk).update(due_at=now + dt.timedelta(minutes=1))
    assert set(model.objects.overdue().values_list("pk", flat=True)) == {late.pk}
    flags = dict(model.objects.with_overdue().values_list("pk", "is_overdue"))
    assert flags == {late.pk: True, on_time.pk: False, closed.pk: False}
    # At a given moment: two minutes later both open ones are overdue.
    later = now + dt.timedelta(minutes=2)
    assert set(model.objects.filter(model.objects.overdue_q(later)).values_list("pk", flat=True)) == {
        late.pk, on_time.pk}
    # The page and the API say 已超期 / is_overdue from the same due_at.
    ns = namespace(label)
    client.force_login(people.users["center_staff"])
    assert "已超期" in client.get(reverse(f"{ns}:detail", kwargs={"pk": late.pk})).content.decode()
    assert "已超期" not in client.get(reverse(f"{ns}:detail", kwargs={"pk": on_time.pk})).content.decode()
    assert "已超期" not in client.get(reverse(f"{ns}:detail", kwargs={"pk": closed.pk})).content.decode()
    page = client.get(reverse(f"{ns}:queue"), {"tab": "overdue"})
    assert page.status_code == 200
    shown = page.content.decode()
    assert late.number in shown and "已超期" in shown
    assert on_time.number not in shown and closed.number not in shown
    reader = api(people.users["center_staff"])
    flags = {pk: reader.get(reverse(f"api:{API_BASENAME[label]}-detail", kwargs={"pk": pk})).json()["is_overdue"]
             for pk in (late.pk, on_time.pk, closed.pk)}
    assert flags == {late.pk: True, on_time.pk: False, closed.pk: False}
    listed = reader.get(reverse(f"api:{API_BASENAME[label]}-list")).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert {row["id"]: row["is_overdue"] for row in rows} == {late.pk: True, on_time.pk: False, closed.pk: False}


# --- "mine" means mine --------------------------------------------------------------------------------------
def test_mine_means_mine(label, people):
    model = model_of(label)
    factory = factory_for(label)
    police_a = make_case(people, "a", label, WITH_UNIT[label])
    police_b = make_case(people, "b", label, WITH_UNIT[label])
    county = factory.assign(people, "a", people.departments["county_police"])
    mine = lambda name: set(model.objects.mine(people.users[name]).values_list("pk", flat=True))  # noqa: E731
    assert mine("handler_a") == {police_a.pk}
    assert mine("handler_b") == {police_b.pk}
    assert mine("county_handler") == {county.pk}
    assert mine("chengguan_handler") == set()
    assert mine("other_handler_a") == set()
    assert mine("township_a") == {police_a.pk, county.pk}
    assert mine("township_b") == {police_b.pk}
    assert mine("center_staff") == {police_a.pk, police_b.pk, county.pk}


# --- notifications ------------------------------------------------------------------------------------------
def test_the_right_people_are_notified(label, people, django_capture_on_commit_callbacks):
    from pingan.notifications.models import Notification

    factory = factory_for(label)

    def inbox(name, case):
        return sorted(Notification.objects.filter(recipient=people.users[name], case_type=label, case_id=case.pk)
                      .values_list("kind", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        case = factory.assign(people, "a", people.departments["county_police"])
    assert inbox("county_handler", case) == ["assigned"]
    assert inbox("chengguan_handler", case) == []
    assert inbox("handler_a", case) == []
    assert inbox("handler_b", case) == []
    if REPORTER[label]:
        # The grid worker who reported it hears how the report goes (立案 and 派遣 merged into one digest).
        reporter, kinds_told = REPORTER[label]
        assert inbox(reporter, case) == kinds_told

    with django_capture_on_commit_callbacks(execute=True):
        supervision = engine.supervise(actor=people.users["center_staff"], case=case, note="请加快")
    assert inbox("county_handler", case) == ["assigned", "supervised"]
    assert inbox("chengguan_handler", case) == []
    with django_capture_on_commit_callbacks(execute=True):
        engine.supervision_reply(actor=people.users["county_handler"], supervision=supervision, case=case,
                                 reply="已处理")
    assert inbox("center_staff", case) == ["supervision_replied"]

    due = due_day(case)
    with django_capture_on_commit_callbacks(execute=True):
        extension = engine.extension_request(actor=people.users["county_handler"], case=case,
                                             new_deadline=due + dt.timedelta(days=3), reason="等待检测报告")
    assert inbox("center_staff", case) == ["extension_requested", "supervision_replied"]
    with django_capture_on_commit_callbacks(execute=True):
        engine.extension_decide(actor=people.users["district_admin"], extension=extension, case=case, approve=False,
                                note="请按期办结")
    assert inbox("county_handler", case) == ["assigned", "extension_decided", "supervised"]
    # Nobody is told of their own step; nobody outside the case is told anything.
    assert inbox("district_admin", case) == []
    for name in ("township_b", "handler_b", "auditor", "security_admin", "leader"):
        assert inbox(name, case) == []


def test_send_back_notifies_the_unit(label, people, django_capture_on_commit_callbacks):
    from pingan.notifications.models import Notification

    for action, source in SEND_BACKS[label].items():
        case = make_case(people, "a", label, source)
        who = sorted(ALLOWED[label][action])[0]
        with django_capture_on_commit_callbacks(execute=True):
            take(people, case, "a", who, action)
        assert list(Notification.objects.filter(case_type=label, case_id=case.pk, kind="sent_back")
                    .values_list("recipient__username", flat=True)) == ["handler_a"]


# --- the pages and the API: leaks, refusals, the queue --------------------------------------------------------
CASE_ROUTES = ("detail", "act", "supervise", "supervision_reply", "extension_request", "extension_decide")
API_READS = ("detail", "log", "attachment")
API_WRITES = ("act", "supervise", "supervision-reply", "extension", "extension-decide")


def namespace(label):
    """The kind's URL namespace (its surface is declared where its pages are: loading the URLconf loads it)."""
    from django.urls import get_resolver

    from pingan.cases.views import surface_for

    get_resolver().url_patterns  # noqa: B018
    return surface_for(label).namespace


def _form_value(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_another_townships_case_is_404_on_every_route(label, people, client, api):
    ns = namespace(label)
    case_b = make_case(people, "b", label, WITH_UNIT[label])
    engine.supervise(actor=people.users["center_staff"], case=case_b, note="请加快")
    action = engine.allowed_actions(people.users["handler_b"], case_b)[0].name
    for name in ("township_a", "handler_a", "village_a", "county_handler"):
        client.force_login(people.users[name])
        for route in CASE_ROUTES:
            url = reverse(f"{ns}:{route}", kwargs={"pk": case_b.pk})
            assert client.get(url).status_code == 404, (name, route)
            assert client.post(url, {"action": action, "note": "x", "reason": "x", "reply": "x"}).status_code == 404, \
                (name, route)
    for name in ("township_a", "handler_a", "village_a", "county_handler"):
        client = api(people.users[name])
        for route in API_READS:
            url = reverse(f"api:{API_BASENAME[label]}-{route}", kwargs={"pk": case_b.pk})
            assert client.get(url).status_code == 404, (name, route)
        for route in API_WRITES:
            url = reverse(f"api:{API_BASENAME[label]}-{route}", kwargs={"pk": case_b.pk})
            assert client.post(url, {"action": action, "note": "x", "reason": "x", "reply": "x"},
                               format="json").status_code == 404, (name, route)
        listed = client.get(reverse(f"api:{API_BASENAME[label]}-list")).json()
        rows = listed["results"] if isinstance(listed, dict) else listed
        assert case_b.pk not in [row["id"] for row in rows], name
    case_b.refresh_from_db()
    assert case_b.state == WITH_UNIT[label]
    assert Supervision.objects.for_case(case_b).filter(status="open").count() == 1
    assert not Extension.objects.for_case(case_b).exists()


def test_a_refused_step_on_the_page_is_403_and_audited(label, people, client):
    kind = get_kind(label)
    ns = namespace(label)
    case = make_case(people, "a", label, WITH_UNIT[label])
    seen = who_sees(people, case)
    tried = 0
    for t in kind.transitions:
        if case.state not in t.sources:
            continue
        for name in sorted(seen - ALLOWED[label][t.name]):
            user = people.users[name]
            client.force_login(user)
            url = reverse(f"{ns}:act", kwargs={"pk": case.pk})
            before = failures(f"{entity(case)}.{t.name}", user, case)
            denied = AuditEntry.objects.filter(action="permission_denied", actor=user, object_repr=url).count()
            response = client.post(url, {"action": t.name, "note": "x"})
            assert response.status_code == 403, (t.name, name)
            if user.can("data.write"):
                assert failures(f"{entity(case)}.{t.name}", user, case) == before + 1, (t.name, name)
            else:  # a read-only role (the leader) is refused before the step is read, audited by its path
                assert AuditEntry.objects.filter(action="permission_denied", actor=user, object_repr=url,
                                                 outcome="failure").count() == denied + 1, (t.name, name)
            tried += 1
    case.refresh_from_db()
    assert case.state == WITH_UNIT[label] and tried > 0


def test_a_step_taken_on_the_page(label, people, client):
    kind = get_kind(label)
    ns = namespace(label)
    case = make_case(people, "a", label, WITH_UNIT[label])
    t = next(t for t in kind.transitions if case.state in t.sources and "handler_a" in ALLOWED[label][t.name]
             and not t.note_required)
    given = factory_for(label).inputs(people, case, t.name)
    client.force_login(people.users["handler_a"])
    post = {"action": t.name, "note": given.get("note", "")} | {k: _form_value(v) for k, v in
                                                                 (given.get("data") or {}).items()}
    response = client.post(reverse(f"{ns}:act", kwargs={"pk": case.pk}), post)
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert case.state == (WITH_UNIT[label] if t.keeps_state else t.target)  # a note-only step keeps the state
    assert successes(f"{entity(case)}.{t.name}", case) == 1


def test_the_handlers_queue_shows_only_their_cases(label, people, client):
    ns = namespace(label)
    ours = make_case(people, "a", label, WITH_UNIT[label])
    county = factory_for(label).assign(people, "a", people.departments["county_police"])
    theirs = make_case(people, "b", label, WITH_UNIT[label])
    label_model = type(ours)
    label_model.objects.filter(pk__in=[ours.pk, county.pk, theirs.pk]).update(
        due_at=timezone.now() - dt.timedelta(hours=1))
    for c in (ours, county, theirs):
        engine.supervise(actor=people.users["center_staff"], case=c, note="请加快")
    client.force_login(people.users["handler_a"])
    url = reverse(f"{ns}:queue")
    shown = ""
    response = client.get(url)
    assert response.status_code == 200
    tabs = [tab for tab, _count in response.context["tabs"]]
    assert tabs
    for tab in tabs:
        page = client.get(url, {"tab": tab.name})
        assert page.status_code == 200
        shown += page.content.decode()
        # Every count is of the handler's own cases: the one case of police_a at most.
        assert dict((t.name, n) for t, n in page.context["tabs"])[tab.name] <= 1, tab.name
    assert ours.number in shown
    assert county.number not in shown and theirs.number not in shown
