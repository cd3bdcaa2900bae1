"""The petition's official documents (《信访工作条例》), built by pingan.documents from templates the district
may replace: 受理告知书 (第二十三条), 不予受理告知书 (with the legal reason and article), 交办单 (第二十二条),
督办单 (from the case layer's 督办 record), 信访处理意见书 (第三十二条, with the right to 复查 within 30 days,
第三十五条) and 延期告知书 (第三十四条). Found by pingan.documents' autodiscovery."""
from __future__ import annotations

import datetime as dt

from pingan.cases.models import Extension, Supervision
from pingan.documents.blocks import Field, Para, Signatures, Title
from pingan.documents.context import cn_date
from pingan.documents.registry import DocumentType, register_document

from . import choices as c


def _office(petition) -> str:
    township = petition.jurisdiction.township()
    return f"{township.name}信访办" if township else "区信访局（区综治中心）"


def _place(petition) -> str:
    node = petition.jurisdiction
    return "".join(n.name for n in (node.ancestors() + [node]) if n.level in ("township", "village", "community"))


def _base(petition) -> dict:
    return {
        "number": petition.number,
        "petitioner": petition.petitioner_name or "信访人",
        "form": petition.get_form_display(),
        "registered_on": cn_date(petition.registered_on),
        "place": _place(petition),
        "topic": petition.topic_display if petition.topic_display != "—" else "",
        "content": petition.content,
        "office": _office(petition),
        "today": cn_date(dt.date.today()),
    }


def _accept_context(petition, user, full):
    return {**_base(petition), "accepted_on": cn_date(petition.accepted_on),
            "handling_due_on": cn_date(petition.handling_due_on),
            "handler": petition.assignee_display if petition.assignee_display != "—" else _office(petition)}


register_document(DocumentType(
    key="petitions.accept_notice",
    title="信访事项受理告知书",
    model="petitions.petition",
    body=(
        Title("信访事项受理告知书"),
        Para("编号：{{ number }}", align="right", indent=False),
        Para("{{ petitioner }}：", indent=False),
        Para("你（们）于{{ registered_on }}以{{ form }}形式提出的信访事项（{{ content }}），经审查，符合受理条件，"
             "本机关已于{{ accepted_on }}依法受理，由{{ handler }}办理。"),
        Para("依照《信访工作条例》第三十四条，信访事项应当自受理之日起60日内办结；情况复杂的，经批准可以适当延长办理"
             "期限，延长期限不得超过30日，并告知你（们）延期理由。本件办理期限至{{ handling_due_on }}。"),
        Para("特此告知。"),
        Signatures(["{{ office }}"]),
        Para("{{ today }}", align="right", indent=False),
    ),
    context=_accept_context,
    available=lambda p: bool(p.accepted_on or p.assigned_on),
    filename=lambda p: f"受理告知书-{p.number}.docx",
    variables={"number": "信访事项编号", "petitioner": "信访人", "registered_on": "登记日期", "form": "信访形式",
               "content": "诉求内容", "accepted_on": "受理日期", "handler": "办理单位",
               "handling_due_on": "办结期限", "office": "告知机关", "today": "告知日期"},
))


def _reject_context(petition, user, full):
    reason = petition.rejection_reason
    return {**_base(petition), "reason": petition.get_rejection_reason_display() if reason else "",
            "basis": c.REJECTION_BASIS.get(reason, "《信访工作条例》"), "note": _log_note(petition, "reject"),
            "rejected_on": cn_date(petition.rejected_on)}


def _log_note(petition, action: str) -> str:
    from pingan.cases.models import TransitionLog

    row = TransitionLog.objects.for_case(petition).filter(action=action).order_by("-at").first()
    return row.note if row else ""


register_document(DocumentType(
    key="petitions.reject_notice",
    title="信访事项不予受理告知书",
    model="petitions.petition",
    body=(
        Title("信访事项不予受理告知书"),
        Para("编号：{{ number }}", align="right", indent=False),
        Para("{{ petitioner }}：", indent=False),
        Para("你（们）于{{ registered_on }}以{{ form }}形式提出的信访事项（{{ content }}），经审查，"
             "{{ reason }}。依照{{ basis }}，本机关决定不予受理。"),
        Field("具体理由", "note"),
        Para("对依法应当通过诉讼、仲裁、行政复议等法定途径解决的，请依照有关法律、行政法规规定的程序向有关机关提出。"),
        Para("特此告知。"),
        Signatures(["{{ office }}"]),
        Para("{{ rejected_on }}", align="right", indent=False),
    ),
    context=_reject_context,
    # Drafted while the decision on acceptance is open (待受理) and kept once rejected; an accepted petition can no
    # longer be refused (the reject step leaves 待受理 only), so it is not offered then.
    available=lambda p: p.state in (c.PetitionState.REGISTERED, c.PetitionState.REJECTED),
    filename=lambda p: f"不予受理告知书-{p.number}.docx",
    variables={"number": "信访事项编号", "petitioner": "信访人", "registered_on": "登记日期", "form": "信访形式",
               "content": "诉求内容", "reason": "不予受理理由", "basis": "法律依据（条例条款）",
               "note": "具体理由（不予受理时填写的说明）", "office": "告知机关", "rejected_on": "不予受理日期"},
))


def _assign_context(petition, user, full):
    return {**_base(petition), "assignee": petition.assignee_display, "assigned_on": cn_date(petition.assigned_on),
            "handling_due_on": cn_date(petition.handling_due_on),
            "source": petition.get_source_display(), "assigning_body": petition.assigning_body or "—",
            "head_count": petition.head_count}


register_document(DocumentType(
    key="petitions.assign_sheet",
    title="信访事项交办单",
    model="petitions.petition",
    body=(
        Title("信访事项交办单"),
        Para("编号：{{ number }}", align="right", indent=False),
        Para("{{ assignee }}：", indent=False),
        Para("现将下列信访事项交你单位办理（《信访工作条例》第二十二条）。请依法及时受理，自受理之日起15日内书面告知"
             "信访人（第二十三条），于{{ handling_due_on }}前办结，并将办理结果报送本机关。"),
        Field("信访人", "petitioner"),
        Field("人数", "head_count"),
        Field("信访形式", "form"),
        Field("登记日期", "registered_on"),
        Field("问题属地", "place"),
        Field("问题类别", "topic"),
        Field("来源", "source"),
        Field("上级交办单位", "assigning_body"),
        Field("诉求内容", "content"),
        Field("交办日期", "assigned_on"),
        Field("办结期限", "handling_due_on"),
        Signatures(["{{ office }}"]),
    ),
    context=_assign_context,
    available=lambda p: bool(p.assigned_on),
    filename=lambda p: f"交办单-{p.number}.docx",
    variables={"number": "信访事项编号", "assignee": "承办单位", "petitioner": "信访人", "head_count": "人数",
               "form": "信访形式", "registered_on": "登记日期", "place": "问题属地", "topic": "问题类别",
               "source": "来源", "assigning_body": "上级交办单位", "content": "诉求内容", "assigned_on": "交办日期",
               "handling_due_on": "办结期限", "office": "交办机关"},
))


def _supervision(petition):
    return Supervision.objects.for_case(petition).order_by("-created_at", "-id").first()


def _supervise_context(petition, user, full):
    s = _supervision(petition)
    return {**_base(petition), "assignee": petition.assignee_display if petition.assignee_display != "—"
            else _office(petition), "supervision_note": s.note if s else "", "supervisor": s.by_name if s else "",
            "supervised_on": cn_date(s.created_at) if s else "", "reply_due_on": cn_date(s.due_on) if s else "",
            "handling_due_on": cn_date(petition.handling_due_on or petition.forward_due_on)}


register_document(DocumentType(
    key="petitions.supervise_sheet",
    title="信访事项督办单",
    model="petitions.petition",
    body=(
        Title("信访事项督办单"),
        Para("编号：{{ number }}", align="right", indent=False),
        Para("{{ assignee }}：", indent=False),
        Para("{{ petitioner }}反映的信访事项（登记日期{{ registered_on }}，{{ content }}），办理期限至"
             "{{ handling_due_on }}。现予督办，请于{{ reply_due_on }}前将办理情况书面反馈。"),
        Field("督办意见", "supervision_note"),
        Field("督办人", "supervisor"),
        Field("督办日期", "supervised_on"),
        Field("反馈期限", "reply_due_on"),
        Signatures(["{{ office }}"]),
    ),
    context=_supervise_context,
    available=lambda p: p.pk is not None and _supervision(p) is not None,
    filename=lambda p: f"督办单-{p.number}.docx",
    variables={"number": "信访事项编号", "assignee": "承办单位", "petitioner": "信访人", "registered_on": "登记日期",
               "content": "诉求内容", "handling_due_on": "办理期限", "supervision_note": "督办意见（最近一次）",
               "supervisor": "督办人", "supervised_on": "督办日期", "reply_due_on": "反馈期限", "office": "督办机关"},
))


def _opinion_context(petition, user, full):
    reply = petition.reply_on
    return {**_base(petition), "opinion": petition.get_opinion_display() if petition.opinion else "",
            "reasons": petition.opinion_reasons, "investigation": petition.investigation or "—",
            "sanwei": "、".join(petition.sanwei_labels) or "—", "reply_on": cn_date(reply),
            "review_by": cn_date(reply + dt.timedelta(days=c.REVIEW_REQUEST_DAYS)) if reply else "收到本意见书之日起30日"}


register_document(DocumentType(
    key="petitions.opinion",
    title="信访处理意见书",
    model="petitions.petition",
    body=(
        Title("信访处理意见书"),
        Para("编号：{{ number }}", align="right", indent=False),
        Para("{{ petitioner }}：", indent=False),
        Para("你（们）于{{ registered_on }}提出的信访事项（{{ content }}）已办理完毕。依照《信访工作条例》第三十二条，"
             "现将处理意见告知如下："),
        Field("调查核实情况", "investigation"),
        Field("处理意见", "opinion"),
        Field("意见及理由", "reasons"),
        Para("对本处理意见不服的，可以自收到本意见书之日起30日内（即{{ review_by }}前）请求原办理机关的上一级机关复查"
             "（《信访工作条例》第三十五条）。"),
        Signatures(["{{ office }}"]),
        Para("{{ reply_on }}", align="right", indent=False),
    ),
    context=_opinion_context,
    # Drafted during handling, issued at 办结 (not for a petition never accepted).
    available=lambda p: bool(p.opinion) or p.state == c.PetitionState.HANDLING,
    filename=lambda p: f"信访处理意见书-{p.number}.docx",
    variables={"number": "信访事项编号", "petitioner": "信访人", "registered_on": "登记日期", "content": "诉求内容",
               "investigation": "调查核实情况", "opinion": "处理意见（支持/解释说明/不予支持）",
               "reasons": "意见及理由", "sanwei": "三到位一处理", "reply_on": "答复日期",
               "review_by": "复查申请截止日期", "office": "办理机关"},
))


def _approved_extension(petition):
    """The approved extension; before approval the pending request (the notice drafted for the approver)."""
    rows = Extension.objects.for_case(petition)
    return (rows.filter(status=Extension.Status.APPROVED).order_by("-decided_at", "-id").first()
            or rows.filter(status=Extension.Status.PENDING).order_by("-id").first())


def _extension_context(petition, user, full):
    e = _approved_extension(petition)
    return {**_base(petition), "reason": e.reason if e else "", "old_deadline": cn_date(e.old_deadline) if e else "",
            "new_deadline": cn_date(e.new_deadline) if e else ""}


register_document(DocumentType(
    key="petitions.extension_notice",
    title="信访事项延期办理告知书",
    model="petitions.petition",
    body=(
        Title("信访事项延期办理告知书"),
        Para("编号：{{ number }}", align="right", indent=False),
        Para("{{ petitioner }}：", indent=False),
        Para("你（们）于{{ registered_on }}提出的信访事项（{{ content }}），因{{ reason }}，不能在原定期限"
             "{{ old_deadline }}前办结。依照《信访工作条例》第三十四条，经本机关负责人批准，办理期限延长至"
             "{{ new_deadline }}。"),
        Para("特此告知。"),
        Signatures(["{{ office }}"]),
        Para("{{ today }}", align="right", indent=False),
    ),
    context=_extension_context,
    available=lambda p: p.pk is not None and _approved_extension(p) is not None,
    filename=lambda p: f"延期告知书-{p.number}.docx",
    variables={"number": "信访事项编号", "petitioner": "信访人", "registered_on": "登记日期", "content": "诉求内容",
               "reason": "延期理由", "old_deadline": "原办结期限", "new_deadline": "延长后的办结期限",
               "office": "告知机关", "today": "告知日期"},
))
