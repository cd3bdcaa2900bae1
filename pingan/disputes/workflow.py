"""The dispute workflow, declared for the case engine (人民调解法; domain.md §3.2):

    排查登记 ─受理指派→ 调处中 ─调解成功→ 调处成功（待回访） ─履行回访→ 已归档
        │                 ├─终止调解→ 调处失败 (the other routes explained, Art.26)
        └──────移交───────┴─────────→ 已移交 (公安、法院、信访 …)

Note-only steps: 报告公安 (Art.25, violence risk), 申请司法确认 / 司法确认结果 (Art.33, within 30 days of
the agreement), 考评定级 (the subsidy grade), 反馈移送单位 (诉调/公调/检调/访调对接: the result goes back
to the referrer). Deadlines: 受理指派 within 3 working days; mediation within 30 days (a district setting,
one 延期 of at most 30 days); after an agreement the 履行回访 date the mediator sets (15 days by default).
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from pingan.accounts.choices import Role
from pingan.cases.definitions import CaseKind, DeadlinePolicy, State, Transition, assign, clear, register

from .choices import DisputeState, OtherRoute

S = DisputeState

ASSIGN_WORKING_DAYS = 3
FOLLOWUP_DAYS = 15
JUDICIAL_CONFIRMATION_DAYS = 30  # 人民调解法 Art.33


def mediation_days(dispute=None) -> int:
    """调解期限 in natural days (PINGAN_DISPUTE_MEDIATION_DAYS, default 30)."""
    return int(getattr(settings, "PINGAN_DISPUTE_MEDIATION_DAYS", 30))


def _on_case(user, dispute) -> bool:
    profile = getattr(user, "mediator_profile", None)
    if profile is None:
        return False
    if dispute.mediator_id == profile.pk:
        return True
    return dispute.pk is not None and dispute.co_mediators.filter(pk=profile.pk).exists()


def responsible(user, dispute) -> bool:
    """Who works a dispute besides holding the capability: a department handler only on disputes assigned to
    its department (a resident unit's committee); a mediator only on the disputes they mediate (or, before
    anyone is assigned, those of their place); other roles on what they see."""
    if user.role == Role.DEPT_HANDLER:
        return bool(user.department_id) and user.department_id == dispute.assigned_department_id
    if user.role == Role.MEDIATOR:
        return dispute.mediator_id is None or _on_case(user, dispute)
    return True


def is_referral(user, dispute) -> bool:
    return bool(dispute.referrer_department_id or dispute.referrer_name) and responsible(user, dispute)


def _date(value):
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None


def validate(dispute, transition: Transition, data: dict) -> dict[str, str]:
    """What presence cannot check, in Chinese, by field."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    registered = dispute.registered_on
    for name in ("agreement_on", "followup_on", "judicial_applied_on", "judicial_decided_on",
                 "police_informed_on"):
        value = _date(data.get(name))
        if value is None:
            continue
        if value > today:
            errors[name] = "日期不能晚于今天。"
        elif registered and value < registered:
            errors[name] = f"日期不能早于登记日期（{registered:%Y-%m-%d}）。"
    if transition.name in ("accept",):
        org, mediator = data.get("mediation_org"), data.get("mediator")
        path = dispute.jurisdiction.path if dispute.jurisdiction_id else ""
        if org is not None and not path.startswith(org.jurisdiction.path):
            errors["mediation_org"] = "调解组织不在本纠纷所在地或其上级辖区，不能指派（不能跨乡镇指派）。"
        if mediator is not None:
            if org is not None and mediator.org_id != org.pk:
                errors["mediator"] = f"调解员{mediator.name}不属于所选调解组织。"
            elif not path.startswith(mediator.jurisdiction.path):
                errors["mediator"] = f"调解员{mediator.name}属于其他乡镇，不能指派。"
            elif not mediator.active:
                errors["mediator"] = f"调解员{mediator.name}已不在任。"
    if transition.name == "settle":
        if dispute.pk is not None and dispute.parties.count() < 2:
            errors["agreement_terms"] = "调解协议须写明双方当事人：请先登记至少两方当事人。"
        if not (data.get("agreement_terms") or "").strip():
            errors["agreement_terms"] = "请填写协议内容（当事人约定的权利义务）。"
        agreed, due = _date(data.get("agreement_on")), _date(data.get("followup_due_on"))
        if agreed and due and due < agreed:
            errors["followup_due_on"] = "回访期限不能早于协议日期。"
    if transition.name == "fail":
        routes = [r for r in (data.get("other_routes") or "").replace(",", "、").split("、") if r.strip()]
        known = set(OtherRoute.labels)
        if not routes:
            errors["other_routes"] = "终止调解须告知当事人可以依法通过仲裁、行政、司法等途径维护权利（人民调解法第二十六条）。"
        elif any(r.strip() not in known for r in routes):
            errors["other_routes"] = f"告知的其他途径只能是：{'、'.join(OtherRoute.labels)}。"
    if transition.name == "transfer" and not (data.get("transferred_to") or (data.get("transferred_to_name") or "").strip()):
        errors["transferred_to"] = "请选择或填写移交单位。"
    if transition.name == "judicial_apply":
        applied = _date(data.get("judicial_applied_on"))
        agreed = dispute.agreement_on
        if applied and agreed and applied > agreed + dt.timedelta(days=JUDICIAL_CONFIRMATION_DAYS):
            errors["judicial_applied_on"] = (
                f"司法确认须自调解协议生效之日起三十日内申请（人民调解法第三十三条），本案协议日期"
                f"{agreed:%Y-%m-%d}，期限已于{agreed + dt.timedelta(days=JUDICIAL_CONFIRMATION_DAYS):%Y-%m-%d}届满。")
        if dispute.agreement_form and dispute.agreement_form != "written":
            errors["judicial_applied_on"] = "口头协议不能申请司法确认，请先制作书面调解协议书。"
    if transition.name == "judicial_decide":
        if not dispute.judicial_applied_on:
            errors["judicial_result"] = "尚未申请司法确认。"
        decided = _date(data.get("judicial_decided_on"))
        if decided and dispute.judicial_applied_on and decided < dispute.judicial_applied_on:
            errors["judicial_decided_on"] = "裁定日期不能早于申请日期。"
    if transition.name == "grade":
        if dispute.pk is not None and dispute.subsidy_lines.filter(sheet__status="approved").exists():
            errors["grade"] = "本案已列入已审批的误工补贴发放表，不能再改等级。"
        if dispute.mediator_id is None:
            errors["grade"] = "本案没有主办调解员，无需评定补贴等级。"
    return errors


REGISTERED_POLICY = DeadlinePolicy(ASSIGN_WORKING_DAYS, "working_days")
MEDIATION_POLICY = DeadlinePolicy(mediation_days, "days")
FOLLOWUP_POLICY = DeadlinePolicy(FOLLOWUP_DAYS, "days", field="followup_due_on")

MEDIATE = "disputes.mediate"
ASSIGN = "disputes.assign"
RESOLVED = (S.SETTLED, S.ARCHIVED)
CLOSED = (S.SETTLED, S.ARCHIVED, S.FAILED, S.TRANSFERRED)

DISPUTE_KIND = register(CaseKind(
    label="disputes.dispute",
    verbose_name="矛盾纠纷",
    number_prefix="JF",
    states=(
        State(S.REGISTERED, S.REGISTERED.label),
        State(S.MEDIATING, S.MEDIATING.label),
        # Settled is open until the 履行回访: its due moment is the 回访期限.
        State(S.SETTLED, S.SETTLED.label),
        State(S.ARCHIVED, S.ARCHIVED.label, closed=True),
        State(S.FAILED, S.FAILED.label, closed=True),
        State(S.TRANSFERRED, S.TRANSFERRED.label, closed=True),
    ),
    initial=S.REGISTERED,
    transitions=(
        Transition("accept", "受理并指派调解", (S.REGISTERED,), S.MEDIATING, ASSIGN,
                   required=("mediation_org", "mediator"), optional=("resolution_method",),
                   effects=(assign("assigned_department"),)),
        Transition("settle", "调解成功", (S.MEDIATING,), S.SETTLED, MEDIATE,
                   required=("agreement_form", "agreement_terms", "agreement_on"),
                   optional=("facts", "responsibilities", "performance", "followup_due_on", "judicial_intended",
                             "outcome_note", "resolution_method"),
                   allowed=responsible, stamp={"closed_on": "today"}),
        Transition("fail", "终止调解", (S.MEDIATING,), S.FAILED, MEDIATE,
                   required=("failure_reason", "other_routes"), optional=("outcome_note",),
                   allowed=responsible, stamp={"closed_on": "today"}, style="secondary"),
        Transition("transfer", "移交其他单位", (S.REGISTERED, S.MEDIATING), S.TRANSFERRED, MEDIATE,
                   optional=("transferred_to", "transferred_to_name", "outcome_note"), note_required=True,
                   allowed=responsible, stamp={"closed_on": "today"}, style="secondary"),
        Transition("return", "退回重新指派", (S.MEDIATING,), S.REGISTERED, MEDIATE, note_required=True,
                   allowed=responsible, effects=(clear("mediator", "mediation_org", "assigned_department"),),
                   style="secondary"),
        Transition("followup", "履行回访", (S.SETTLED,), S.ARCHIVED, MEDIATE,
                   required=("followup_on", "followup_result"), optional=("followup_note",), allowed=responsible),
        Transition("inform_police", "报告公安（激化风险）", (S.REGISTERED, S.MEDIATING), "", MEDIATE,
                   required=("police_informed_on",), note_required=True, keeps_state=True, allowed=responsible,
                   stamp={}, style="danger"),
        Transition("judicial_apply", "申请司法确认", RESOLVED, "", MEDIATE,
                   required=("judicial_applied_on", "judicial_court"), keeps_state=True, allowed=responsible,
                   style="secondary"),
        Transition("judicial_decide", "登记司法确认结果", RESOLVED, "", MEDIATE,
                   required=("judicial_result", "judicial_decided_on"), keeps_state=True, allowed=responsible,
                   style="secondary"),
        Transition("grade", "考评定级", RESOLVED, "", "disputes.grade",
                   required=("grade",), optional=("evaluation",), keeps_state=True,
                   stamp={"graded_by": "actor", "graded_on": "today"}),
        Transition("report_back", "向移送单位反馈结果", CLOSED, "", MEDIATE,
                   required=("report_back_note",), keeps_state=True, allowed=is_referral,
                   stamp={"reported_back_on": "today"}),
        Transition("reopen", "重新调解", (S.FAILED, S.ARCHIVED), S.MEDIATING, ASSIGN, note_required=True,
                   style="secondary"),
    ),
    deadlines={
        S.REGISTERED: REGISTERED_POLICY,
        S.MEDIATING: MEDIATION_POLICY,
        S.SETTLED: FOLLOWUP_POLICY,
    },
    validate=validate,
    supervise_capability="disputes.supervise",
    extension_capability=MEDIATE,
    extension_approve_capability="disputes.approve_extension",
    may_act=responsible,
    supervision_days=3,
    extension_max_days=30,
))
