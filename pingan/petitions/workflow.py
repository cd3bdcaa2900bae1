"""The petition workflow, declared for the case engine (《信访工作条例》2022; domain.md §3.3):

    待受理 ─受理→ 办理中 ─办结→ 已办结 / 已化解 / 已稳控 ─申请复查→ 复查中 ─复查答复→ 复查办结
      │  └─交办→ 办理中 (承办部门或乡镇)                       ─申请复核→ 复核中 ─复核答复→ 复核办结 (final)
      ├─转送→ 已转送 (outside the district's system)
      └─不予受理→ 不予受理 (with the legal reason)

Deadlines (natural days, the 条例's): 待受理 15 days from registration to 受理/转送/交办 (第二十二条);
受理告知 within 15 days (第二十三条, a note-only step stamping its date); 办理中 60 days from the 受理 date
(第三十四条; one 延期 of at most 30 days, approved by the level above, the petitioner told); 复查 requested
within 30 days of the reply and answered within 30 days (第三十五条); 复核 the same (第三十六条), after which
the same matter is not accepted again.
"""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pingan.accounts.choices import Role
from pingan.cases.definitions import CaseKind, DeadlinePolicy, State, Transition, assign, register
from pingan.cases.models import Extension

from . import choices as c

S = c.PetitionState

REGISTER = "petitions.register"
HANDLE = "petitions.handle"
DECIDE = "petitions.decide"


def responsible(user, petition) -> bool:
    """A department handler acts only on petitions assigned (交办) to its department; the other roles holding
    the capability act on what they see (their scope)."""
    if user.role == Role.DEPT_HANDLER:
        return bool(user.department_id) and user.department_id == petition.assigned_department_id
    return True


def _days_from(field: str, days: int):
    """A deadline of `days` natural days from the case's own date in `field` (受理日期, 复查申请日期), counted
    from today (the engine's start) so that the due day is that date + `days`; today when the field is empty."""
    def amount(case) -> int:
        start = getattr(case, field, None) or timezone.localdate()
        return max((start + dt.timedelta(days=days) - timezone.localdate()).days, 0)
    return amount


def _date(value):
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None


def sanwei_count(petition, data: dict) -> int:
    return sum(1 for name, _ in c.SANWEI if data.get(name, getattr(petition, name)) is True)


def validate(petition, transition: Transition, data: dict) -> dict[str, str]:
    """The 条例's rules that presence cannot check, in Chinese, citing the article."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    registered = petition.registered_on
    for name in ("accepted_on", "acknowledged_on", "hearing_on", "reply_on", "extension_told_on",
                 "review_requested_on", "review_reply_on", "recheck_requested_on", "recheck_reply_on"):
        value = _date(data.get(name))
        if value is None:
            continue
        if value > today:
            errors[name] = "日期不能晚于今天。"
        elif registered and value < registered:
            errors[name] = f"日期不能早于登记日期（{registered:%Y-%m-%d}）。"
    name = transition.name
    if name == "assign":
        dept, township = data.get("assigned_department"), data.get("assigned_township")
        if dept is None and township is None:
            errors["assigned_department"] = "交办须选择承办部门或承办乡镇（《信访工作条例》第二十二条）。"
        if township is not None and getattr(township, "level", "") != "township":
            errors["assigned_township"] = "承办乡镇须是乡镇（街道）。"
    if name in ("conclude", "resolve", "stabilise"):
        if sanwei_count(petition, data) < 1:
            errors["sanwei_solved"] = ("办结须写明“三到位一处理”中至少一项：解决问题到位、思想教育到位、帮扶救助到位"
                                       "或依法处理（《信访工作条例》第二十七条）。")
        if not (data.get("opinion_reasons") or petition.opinion_reasons or "").strip():
            errors["opinion_reasons"] = "请填写信访处理意见书的意见及理由（《信访工作条例》第三十二条）。"
        reply = _date(data.get("reply_on"))
        if reply and petition.accepted_on and reply < petition.accepted_on and "reply_on" not in errors:
            errors["reply_on"] = f"答复日期不能早于受理日期（{petition.accepted_on:%Y-%m-%d}）。"
    if name == "review_request":
        asked, reply = _date(data.get("review_requested_on")), petition.reply_on
        if asked and reply and "review_requested_on" not in errors:
            last = reply + dt.timedelta(days=c.REVIEW_REQUEST_DAYS)
            if asked < reply:
                errors["review_requested_on"] = f"复查申请日期不能早于答复日期（{reply:%Y-%m-%d}）。"
            elif asked > last:
                errors["review_requested_on"] = (
                    f"复查请求须自收到书面答复之日起30日内提出（《信访工作条例》第三十五条）：本件答复日期"
                    f"{reply:%Y-%m-%d}，申请期限已于{last:%Y-%m-%d}届满，不再受理复查请求。")
        elif asked and not reply:
            errors["review_requested_on"] = "本件尚无书面答复日期，不能申请复查。"
    if name == "recheck_request":
        if petition.state == S.RECHECKED:
            errors["recheck_requested_on"] = (
                "本件已经复核，复核意见为最终意见；信访人仍以同一事实和理由提出的，不再受理（《信访工作条例》"
                "第三十六条）。")
        else:
            asked, reply = _date(data.get("recheck_requested_on")), petition.review_reply_on
            if asked and reply and "recheck_requested_on" not in errors:
                last = reply + dt.timedelta(days=c.RECHECK_REQUEST_DAYS)
                if asked < reply:
                    errors["recheck_requested_on"] = f"复核申请日期不能早于复查答复日期（{reply:%Y-%m-%d}）。"
                elif asked > last:
                    errors["recheck_requested_on"] = (
                        f"复核请求须自收到复查意见之日起30日内提出（《信访工作条例》第三十六条）：复查答复日期"
                        f"{reply:%Y-%m-%d}，申请期限已于{last:%Y-%m-%d}届满。")
    if name == "review_conclude":
        replied, asked = _date(data.get("review_reply_on")), petition.review_requested_on
        if replied and asked and replied < asked and "review_reply_on" not in errors:
            errors["review_reply_on"] = f"复查答复日期不能早于复查申请日期（{asked:%Y-%m-%d}）。"
    if name == "recheck_conclude":
        replied, asked = _date(data.get("recheck_reply_on")), petition.recheck_requested_on
        if replied and asked and replied < asked and "recheck_reply_on" not in errors:
            errors["recheck_reply_on"] = f"复核答复日期不能早于复核申请日期（{asked:%Y-%m-%d}）。"
    return errors


def extended(user, petition) -> bool:
    """延期告知: by the handling unit, once an extension has been approved (第三十四条: the petitioner told why)."""
    if not responsible(user, petition) or petition.pk is None:
        return False
    return Extension.objects.for_case(petition).filter(status=Extension.Status.APPROVED).exists()


RESULT_FIELDS = ("opinion", "reply_on")
RESULT_OPTIONAL = ("opinion_reasons", "result_note") + tuple(name for name, _ in c.SANWEI)
OPEN_HANDLING = (S.REGISTERED, S.HANDLING)

PETITION_KIND = register(CaseKind(
    label="petitions.petition",
    verbose_name="信访事项",
    number_prefix="XF",
    states=(
        State(S.REGISTERED, S.REGISTERED.label),
        State(S.HANDLING, S.HANDLING.label),
        State(S.CONCLUDED, S.CONCLUDED.label, closed=True),
        State(S.RESOLVED, S.RESOLVED.label, closed=True),
        State(S.STABILISED, S.STABILISED.label, closed=True),
        State(S.REJECTED, S.REJECTED.label, closed=True),
        State(S.FORWARDED, S.FORWARDED.label, closed=True),
        State(S.REVIEWING, S.REVIEWING.label),
        State(S.REVIEWED, S.REVIEWED.label, closed=True),
        State(S.RECHECKING, S.RECHECKING.label),
        State(S.RECHECKED, S.RECHECKED.label, closed=True),
    ),
    initial=S.REGISTERED,
    transitions=(
        Transition("accept", "受理", (S.REGISTERED,), S.HANDLING, DECIDE, required=("accepted_on",),
                   optional=("petition_type",), stamp={"accepted_by": "actor"}),
        Transition("assign", "交办", OPEN_HANDLING, S.HANDLING, DECIDE, optional=("accepted_on",),
                   effects=(assign("assigned_department", "assigned_township"),), stamp={"assigned_on": "today"}),
        Transition("forward", "转送", (S.REGISTERED,), S.FORWARDED, DECIDE, required=("forwarded_to",),
                   stamp={"forwarded_on": "today"}, style="secondary"),
        Transition("reject", "不予受理", (S.REGISTERED,), S.REJECTED, DECIDE, required=("rejection_reason",),
                   note_required=True, stamp={"rejected_on": "today"}, style="danger"),
        Transition("acknowledge", "受理告知", OPEN_HANDLING, "", HANDLE, required=("acknowledged_on",),
                   optional=("acknowledge_method",), keeps_state=True, allowed=responsible, style="secondary"),
        Transition("investigate", "调查核实", (S.HANDLING,), "", HANDLE, required=("investigation",),
                   keeps_state=True, allowed=responsible, style="secondary"),
        Transition("hearing", "听证", (S.HANDLING,), "", HANDLE, required=("hearing_on", "hearing_note"),
                   keeps_state=True, allowed=responsible, style="secondary"),
        Transition("draft_opinion", "拟定处理意见", (S.HANDLING,), "", HANDLE,
                   required=("opinion", "opinion_reasons"), keeps_state=True, allowed=responsible,
                   style="secondary"),
        Transition("tell_extension", "延期告知信访人", (S.HANDLING,), "", HANDLE, required=("extension_told_on",),
                   note_required=True, keeps_state=True, allowed=extended, style="secondary"),
        Transition("conclude", "办结（已办结）", (S.HANDLING,), S.CONCLUDED, DECIDE, required=RESULT_FIELDS,
                   optional=RESULT_OPTIONAL, stamp={"closed_on": "today"}),
        Transition("resolve", "办结（已化解）", (S.HANDLING,), S.RESOLVED, DECIDE, required=RESULT_FIELDS,
                   optional=RESULT_OPTIONAL, stamp={"closed_on": "today"}),
        Transition("stabilise", "办结（已稳控）", (S.HANDLING,), S.STABILISED, DECIDE, required=RESULT_FIELDS,
                   optional=RESULT_OPTIONAL, stamp={"closed_on": "today"}, style="secondary"),
        Transition("review_request", "申请复查", c.RESULT_STATES, S.REVIEWING, DECIDE,
                   required=("review_requested_on",), optional=("review_body",), style="secondary"),
        Transition("review_conclude", "复查答复", (S.REVIEWING,), S.REVIEWED, DECIDE,
                   required=("review_decision", "review_reasons", "review_reply_on")),
        # A 复核 asked on a 复核办结 petition is refused by `validate` citing 第三十六条 (validate runs before the
        # engine's state check), so the refusal names the article rather than the state.
        Transition("recheck_request", "申请复核", (S.REVIEWED,), S.RECHECKING, DECIDE,
                   required=("recheck_requested_on",), optional=("recheck_body",), style="secondary"),
        Transition("recheck_conclude", "复核答复", (S.RECHECKING,), S.RECHECKED, DECIDE,
                   required=("recheck_decision", "recheck_reasons", "recheck_reply_on")),
    ),
    deadlines={
        S.REGISTERED: DeadlinePolicy(c.FORWARD_DAYS, "days", field="forward_due_on"),
        S.HANDLING: DeadlinePolicy(_days_from("accepted_on", c.HANDLING_DAYS), "days", field="handling_due_on"),
        S.REVIEWING: DeadlinePolicy(_days_from("review_requested_on", c.REVIEW_DAYS), "days", field="review_due_on"),
        S.RECHECKING: DeadlinePolicy(_days_from("recheck_requested_on", c.RECHECK_DAYS), "days",
                                     field="recheck_due_on"),
    },
    validate=validate,
    supervise_capability="petitions.supervise",
    extension_capability=HANDLE,
    extension_approve_capability="petitions.approve_extension",
    may_act=responsible,
    supervision_days=3,
    extension_max_days=c.EXTENSION_DAYS,
    max_extensions=1,
    extension_basis="（《信访工作条例》第三十四条：办理期限经批准可以延长一次，延长期限不得超过30日）",
))
