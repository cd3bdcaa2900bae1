"""The workflow engine, proven on the hazard kind: who may act, from which state, with what input; the log,
the audit trail, 退回, 督办, 延期, case numbers and overdue derived at query time."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from pingan.core.calendar import add_working_days
from pingan.core.models import AuditEntry
from pingan.cases.models import Extension, Supervision, TransitionLog, WorkflowRule
from pingan.cases import engine
from pingan.cases.definitions import CaseKind, State, Transition
from pingan.cases.numbers import next_case_number
from pingan.hazards.models import Hazard
from pingan.hazards.testing import make_hazard
from pingan.hazards.tests.conftest import not_image, png


def today():
    return timezone.localdate()


def test_allowed_actions_follow_role_state_and_department(world):
    hazard = make_hazard(world, "a")
    names = lambda user: [t.name for t in engine.allowed_actions(user, hazard)]  # noqa: E731
    assert names(world.users["handler_a"]) == ["start", "complete"]
    assert names(world.officer("a")) == ["start", "complete"]
    assert names(world.users["county_handler"]) == []  # another department
    assert names(world.users["leader"]) == []          # leaders read only
    assert names(world.users["grid_a"]) == []
    engine.transition(actor=world.users["handler_a"], case=hazard, action="complete",
                      data={"rectified_on": today(), "measures": "已清理"})
    assert names(world.officer("a")) == ["accept", "send_back"]
    assert names(world.users["handler_a"]) == []


def test_a_role_that_may_not_take_a_transition_is_refused_and_audited(world):
    hazard = make_hazard(world, "a")
    for user in (world.users["leader"], world.users["grid_a"], world.users["county_handler"]):
        with pytest.raises(PermissionDenied):
            engine.transition(actor=user, case=hazard, action="start")
    hazard.refresh_from_db()
    assert hazard.state == "pending"
    assert AuditEntry.objects.filter(action="hazard.start", outcome="failure").count() == 3
    assert not TransitionLog.objects.for_case(hazard).filter(action="start").exists()


def test_a_transition_from_the_wrong_state_is_refused_in_chinese(world):
    hazard = make_hazard(world, "a")
    with pytest.raises(ValidationError) as exc:
        engine.transition(actor=world.users["center_staff"], case=hazard, action="accept")
    assert "当前状态为“待整治”" in exc.value.messages[0]
    assert Hazard.objects.get().state == "pending"


def test_completing_needs_a_date_not_in_the_future_and_not_before_screening(world):
    hazard = make_hazard(world, "a", screened_on=today() - dt.timedelta(days=5))
    handler = world.users["handler_a"]
    cases = [
        ({"rectified_on": None, "measures": "x"}, "rectified_on", "请填写整治完成日期"),
        ({"rectified_on": today(), "measures": ""}, "measures", "请填写整治措施"),
        ({"rectified_on": today() + dt.timedelta(days=1), "measures": "x"}, "rectified_on", "不能晚于今天"),
        ({"rectified_on": today() - dt.timedelta(days=30), "measures": "x"}, "rectified_on", "不能早于排查日期"),
    ]
    for data, field, message in cases:
        with pytest.raises(ValidationError) as exc:
            engine.transition(actor=handler, case=hazard, action="complete", data=data)
        assert message in " ".join(exc.value.message_dict[field])
    assert Hazard.objects.get().state == "pending"
    assert TransitionLog.objects.for_case(hazard).count() == 1


def test_an_unknown_action_is_a_clear_error(world):
    hazard = make_hazard(world, "a")
    with pytest.raises(ValidationError, match="没有“fly”这个操作"):
        engine.transition(actor=world.officer("a"), case=hazard, action="fly")


def test_a_photo_is_optional_unless_the_district_requires_one(world):
    handler = world.users["handler_a"]
    first = make_hazard(world, "a")
    engine.transition(actor=handler, case=first, action="complete", data={"rectified_on": today(), "measures": "已整改"})
    WorkflowRule.objects.create(case_type="hazards.hazard", action="complete", photo_required=True)
    second = make_hazard(world, "a")
    with pytest.raises(ValidationError) as exc:
        engine.transition(actor=handler, case=second, action="complete",
                          data={"rectified_on": today(), "measures": "已整改"})
    assert "须上传现场照片" in exc.value.message_dict["photos"][0]
    with pytest.raises(ValidationError) as exc:
        engine.transition(actor=handler, case=second, action="complete",
                          data={"rectified_on": today(), "measures": "已整改"}, photos=[not_image()])
    assert "不是有效的图片文件" in exc.value.message_dict["photos"][0]
    engine.transition(actor=handler, case=second, action="complete",
                      data={"rectified_on": today(), "measures": "已整改"}, photos=[png()])
    log = TransitionLog.objects.for_case(second).get(action="complete")
    assert log.attachments.get().content_type == "image/png"


def test_send_back_needs_a_reason_and_counts_for_rework(world):
    hazard = make_hazard(world, "a")
    engine.transition(actor=world.users["handler_a"], case=hazard, action="complete",
                      data={"rectified_on": today(), "measures": "已整改"})
    with pytest.raises(ValidationError) as exc:
        engine.transition(actor=world.officer("a"), case=hazard, action="send_back", note="  ")
    assert exc.value.message_dict["note"] == ["请填写退回理由。"]
    engine.transition(actor=world.officer("a"), case=hazard, action="send_back", note="围挡高度不够")
    hazard.refresh_from_db()
    assert hazard.state == "rectifying" and hazard.sent_back_count == 1
    log = TransitionLog.objects.for_case(hazard).get(action="send_back")
    assert log.kind == "send_back" and log.note == "围挡高度不够" and log.from_state == "awaiting_acceptance"
    entry = AuditEntry.objects.get(action="hazard.send_back")
    assert entry.changes["sent_back_count"] == [0, 1] and entry.changes["state"] == ["awaiting_acceptance", "rectifying"]


def test_overdue_is_derived_at_query_time(world):
    hazard = make_hazard(world, "a", screened_on=today() - dt.timedelta(days=10),
                         rectify_deadline=today() - dt.timedelta(days=1))
    assert list(Hazard.objects.overdue()) == [hazard]
    assert Hazard.objects.with_overdue().get().is_overdue is True
    # A date means the end of that day: due at the end of yesterday, not overdue as yesterday ends.
    assert not Hazard.objects.overdue(today() - dt.timedelta(days=1)).exists()
    engine.transition(actor=world.users["handler_a"], case=hazard, action="complete",
                      data={"rectified_on": today(), "measures": "x"})
    # 待验收 has its own deadline: 5 working days from today.
    assert not Hazard.objects.overdue().exists()
    assert Hazard.objects.overdue(add_working_days(today(), 6)).get() == hazard


def test_supervision_has_its_own_deadline_and_is_answered_once(world):
    hazard = make_hazard(world, "a")
    with pytest.raises(PermissionDenied):
        engine.supervise(actor=world.users["handler_a"], case=hazard, note="x")
    with pytest.raises(ValidationError) as exc:
        engine.supervise(actor=world.users["center_staff"], case=hazard, note="", due_on=today() - dt.timedelta(days=1))
    assert set(exc.value.message_dict) == {"note", "due_on"}
    supervision = engine.supervise(actor=world.users["center_staff"], case=hazard, note="请加快整治")
    assert supervision.due_on == add_working_days(today(), 3)
    assert supervision.department == world.departments["police_a"]
    assert list(Supervision.objects.visible_to(world.users["handler_a"])) == [supervision]
    assert not Supervision.objects.visible_to(world.users["handler_b"]).exists()
    with pytest.raises(PermissionDenied):
        engine.supervision_reply(actor=world.users["county_handler"], case=hazard, supervision=supervision, reply="x")
    engine.supervision_reply(actor=world.users["handler_a"], case=hazard, supervision=supervision, reply="已整改")
    with pytest.raises(ValidationError, match="已经反馈过了"):
        engine.supervision_reply(actor=world.users["handler_a"], case=hazard, supervision=supervision, reply="再次反馈")
    assert AuditEntry.objects.filter(action__in=["hazard.supervise", "hazard.supervision_reply"],
                                     outcome="success").count() == 2
    assert AuditEntry.objects.filter(action__in=["hazard.supervise", "hazard.supervision_reply"],
                                     outcome="failure").count() == 2


def test_extensions_are_approved_by_the_level_above_only(world):
    hazard = make_hazard(world, "a")
    handler, officer = world.users["handler_a"], world.officer("a")
    bad = [
        (engine.current_deadline(hazard), "须晚于当前期限"),
        (engine.current_deadline(hazard) + dt.timedelta(days=200), "不能超过 90 天"),
        ("2025-13-01", "请填写正确的延期日期"),
    ]
    for value, message in bad:
        with pytest.raises(ValidationError) as exc:
            engine.extension_request(actor=handler, case=hazard, new_deadline=value, reason="等待材料")
        assert message in exc.value.message_dict["new_deadline"][0]
    extension = engine.extension_request(actor=handler, case=hazard,
                                         new_deadline=engine.current_deadline(hazard) + dt.timedelta(days=7),
                                         reason="等待材料")
    with pytest.raises(ValidationError, match="已有一份待审批"):
        engine.extension_request(actor=handler, case=hazard,
                                 new_deadline=engine.current_deadline(hazard) + dt.timedelta(days=8), reason="再申请")
    for user in (handler, world.users["handler_b"], world.users["leader"], world.users["grid_a"]):
        with pytest.raises(PermissionDenied):
            engine.extension_decide(actor=user, case=hazard, extension=extension, approve=True)
    with pytest.raises(ValidationError) as exc:
        engine.extension_decide(actor=officer, case=hazard, extension=extension, approve=False)
    assert "不批准时请填写理由" in exc.value.message_dict["decision_note"][0]
    engine.extension_decide(actor=officer, case=hazard, extension=extension, approve=False, note="理由不足")
    hazard.refresh_from_db()
    assert Extension.objects.get().status == "refused" and engine.current_deadline(hazard) == extension.old_deadline
    # A township officer's own request goes to the centre.
    own = engine.extension_request(actor=officer, case=hazard,
                                   new_deadline=engine.current_deadline(hazard) + dt.timedelta(days=3), reason="雨季施工")
    assert not engine.may_approve_extension(officer, own, hazard)
    assert not engine.may_approve_extension(world.officer("b"), own, hazard)
    engine.extension_decide(actor=world.users["center_staff"], case=hazard, extension=own, approve=True)
    hazard.refresh_from_db()
    assert engine.current_deadline(hazard) == hazard.rectify_deadline == own.new_deadline
    assert hazard.due_at == engine.end_of_date(own.new_deadline)


def test_case_numbers_count_per_township_and_day(world):
    day = today()
    a1 = make_hazard(world, "a", screened_on=day)
    a2 = make_hazard(world, "a", screened_on=day)
    b1 = make_hazard(world, "b", screened_on=day)
    a3 = make_hazard(world, "a", screened_on=day - dt.timedelta(days=1))
    ta, tb = world.township("a").code, world.township("b").code
    assert [a1.number, a2.number, b1.number, a3.number] == [
        f"YH{ta}{day:%Y%m%d}001", f"YH{ta}{day:%Y%m%d}002", f"YH{tb}{day:%Y%m%d}001",
        f"YH{ta}{day - dt.timedelta(days=1):%Y%m%d}001"]


def test_a_rolled_back_registration_gives_its_number_back(world):
    day = today()
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            next_case_number("YH", "140311101", day)
            raise RuntimeError("rollback")
    with transaction.atomic():
        assert next_case_number("YH", "140311101", day).endswith("001")


def test_a_case_kind_declaration_is_checked():
    with pytest.raises(ValueError, match="未声明的状态"):
        CaseKind(label="x.y", verbose_name="测试", number_prefix="T", states=(State("a", "甲"),), initial="a",
                 transitions=(Transition("go", "前往", ("a",), "b", "x.go"),))
    with pytest.raises(ValueError, match="初始状态"):
        CaseKind(label="x.y", verbose_name="测试", number_prefix="T", states=(State("a", "甲"),), initial="z",
                 transitions=())
