"""The dispute's official documents (人民调解法; found by pingan.documents' autodiscovery):

- 人民调解申请书: the applicant(s), the respondent(s), the request and the facts, signatures;
- 调解笔录: every session of the case (time, place, mediator, attendees, record), signatures;
- 人民调解协议书: number, the parties, facts and points in dispute with each side's responsibility, the agreed
  terms, manner and time of performance, one copy per party plus one kept by the committee (Art.28–29);
  offered once settled with a written agreement;
- 终止调解告知书: the reason and the routes the parties may take (Art.26); offered once mediation failed;
- 调解结果告知函: the result to the referrer (诉调/公调/检调/访调对接); offered for referrals once closed.

Personal numbers are masked unless the user asked for the full document (pingan.documents.context).
"""
from __future__ import annotations

from django.utils import timezone

from pingan.core import personal
from pingan.documents.blocks import Field, Para, Signatures, Table, Title
from pingan.documents.context import cn_date, id_number, phone
from pingan.documents.registry import DocumentType, register_document

from . import choices as c

CN_NUMBERS = "零一二三四五六七八九十"
CLOSED = (c.DisputeState.SETTLED, c.DisputeState.ARCHIVED, c.DisputeState.FAILED, c.DisputeState.TRANSFERRED)


def _cn(n: int) -> str:
    if 0 <= n <= 10:
        return CN_NUMBERS[n]
    if n < 20:
        return "十" + CN_NUMBERS[n - 10]
    if n < 100:
        return CN_NUMBERS[n // 10] + "十" + (CN_NUMBERS[n % 10] if n % 10 else "")
    return str(n)


def _plain(cipher: str) -> str:
    try:
        return personal.decrypt(cipher) if cipher else ""
    except ValueError:
        return ""


def _age(party) -> str:
    person = party.person
    if person is not None and person.birth_date:
        born = person.birth_date
    else:
        raw = _plain(party.id_cipher)
        try:
            born = personal.parse_id_number(raw).birth_date if raw else None
        except Exception:  # a stored number that no longer parses: no age rather than a wrong one
            born = None
    if born is None:
        return ""
    today = timezone.localdate()
    return str(today.year - born.year - ((today.month, today.day) < (born.month, born.day)))


def _party_row(party, full: bool) -> dict:
    person = party.person
    is_org = party.kind == c.PartyKind.ORGANISATION
    ethnicity = person.get_ethnicity_display() if person is not None and not is_org else ""
    return {
        "side": party.get_side_display(),
        "name": party.name + (f"（法定代表人或负责人：{party.representative}）" if is_org and party.representative else ""),
        "sex": party.get_sex_display() if party.sex else "",
        "age": "" if is_org else _age(party),
        "ethnicity": ethnicity,
        "id_number": id_number(_plain(party.id_cipher), full) if full else party.id_masked,
        "phone": phone(_plain(party.phone_cipher), full) if full else party.phone_masked,
        "address": party.address,
        "label": f"{party.get_side_display()} {party.name}",
    }


def _committee(dispute) -> str:
    return dispute.mediation_org.name if dispute.mediation_org_id else "人民调解委员会"


def _mediators(dispute) -> str:
    names = [dispute.mediator.name] if dispute.mediator_id else []
    names += [m.name for m in dispute.co_mediators.all() if m.pk != dispute.mediator_id]
    return "、".join(names)


def _common(dispute, full: bool) -> dict:
    parties = [_party_row(p, full) for p in dispute.parties.select_related("person").order_by("side", "id")]
    applicants = [p for p in parties if p["side"] == c.PartySide.APPLICANT.label]
    respondents = [p for p in parties if p["side"] == c.PartySide.RESPONDENT.label]
    node = dispute.jurisdiction
    return {
        "number": dispute.number,
        "title_of_case": dispute.title,
        "place": node.name + (f" {dispute.location}" if dispute.location else ""),
        "category": c.CATEGORY_LABELS.get(dispute.category, ""),
        "summary": dispute.summary,
        "occurred_on": cn_date(dispute.occurred_on),
        "registered_on": cn_date(dispute.registered_on),
        "parties": parties,
        "applicants": "、".join(p["name"] for p in applicants) or "—",
        "respondents": "、".join(p["name"] for p in respondents) or "—",
        "signers": [{"label": p["label"]} for p in parties],
        "committee": _committee(dispute),
        "mediators": _mediators(dispute),
        "mediator": dispute.mediator.name if dispute.mediator_id else "",
    }


PARTY_TABLE = Table((("地位", "row.side"), ("姓名或名称", "row.name"), ("性别", "row.sex"), ("年龄", "row.age"),
                     ("民族", "row.ethnicity"), ("公民身份号码", "row.id_number"), ("住址", "row.address"),
                     ("联系电话", "row.phone")), rows="parties")
SIGNERS = Table((("当事人", "row.label"), ("签名（盖章）或按指印", "''"), ("日期", "''")), rows="signers")
COMMON_VARIABLES = {
    "number": "纠纷编号", "title_of_case": "事件名称", "place": "发生地", "category": "事件类别",
    "summary": "事件简述", "occurred_on": "发生日期", "registered_on": "登记日期",
    "parties": "当事人列表（地位、姓名、性别、年龄、民族、证件号码默认脱敏、住址、电话默认脱敏）",
    "applicants": "申请人（甲方）", "respondents": "被申请人（乙方）", "signers": "签名栏（每位当事人一行）",
    "committee": "调解组织", "mediators": "调解员", "mediator": "主办调解员",
}


# --- 人民调解申请书 -------------------------------------------------------------------------------------------
def _application(dispute, user, full: bool) -> dict:
    return _common(dispute, full) | {"request": dispute.summary}


register_document(DocumentType(
    key="disputes.application",
    title="人民调解申请书",
    model="disputes.dispute",
    body=(
        Title("人民调解申请书"),
        Para("编号：{{ number }}", align="right", indent=False),
        Para("申请人与被申请人：", bold=True, indent=False),
        PARTY_TABLE,
        Field("纠纷名称", "title_of_case"),
        Field("纠纷发生时间及地点", "{{ occurred_on }} {{ place }}"),
        Para("申请事项及事实理由：", bold=True, indent=False),
        Para("{{ request }}"),
        Para("申请人自愿申请{{ committee }}调解上述纠纷。", indent=True),
        SIGNERS,
        Para("{{ registered_on }}", align="right", indent=False),
    ),
    context=_application,
    filename=lambda d: f"人民调解申请书-{d.number}.docx",
    variables=COMMON_VARIABLES | {"request": "申请事项及事实理由（事件简述）"},
))


# --- 调解笔录 ----------------------------------------------------------------------------------------------
def _record(dispute, user, full: bool) -> dict:
    sessions = [{"time": cn_date(s.held_on), "place": s.place, "mediator": s.mediator.name if s.mediator_id else "",
                 "attendees": s.attendees, "record": s.record}
                for s in dispute.sessions.select_related("mediator").order_by("held_on", "id")]
    return _common(dispute, full) | {"sessions": sessions, "session_count": str(len(sessions))}


register_document(DocumentType(
    key="disputes.record",
    title="调解笔录",
    model="disputes.dispute",
    body=(
        Title("调解笔录"),
        Para("编号：{{ number }}", align="right", indent=False),
        Field("纠纷名称", "title_of_case"),
        Field("调解组织", "committee"),
        Field("当事人", "{{ applicants }}；{{ respondents }}"),
        Table((("时间", "row.time"), ("地点", "row.place"), ("主持调解员", "row.mediator"),
               ("参加人员", "row.attendees"), ("记录", "row.record")), rows="sessions"),
        Para("以上笔录经当事人阅读（或向其宣读）无误。", indent=True),
        SIGNERS,
        Signatures(["调解员", "记录人"]),
    ),
    context=_record,
    available=lambda d: d.sessions.exists(),
    filename=lambda d: f"调解笔录-{d.number}.docx",
    variables=COMMON_VARIABLES | {"sessions": "调解记录（时间、地点、主持调解员、参加人员、记录）",
                                  "session_count": "调解次数"},
))


# --- 人民调解协议书 -----------------------------------------------------------------------------------------
def _copies(dispute) -> list[str]:
    labels = [f"{p.get_side_display()} {p.name} 执" for p in dispute.parties.order_by("side", "id")]
    return labels + [f"{_committee(dispute)} 留存"]


def _agreement(dispute, user, full: bool) -> dict:
    count = dispute.parties.count()
    return _common(dispute, full) | {
        "facts": dispute.facts or dispute.summary,
        "responsibilities": dispute.responsibilities or "—",
        "terms": dispute.agreement_terms,
        "performance": dispute.performance or "—",
        "agreement_on": cn_date(dispute.agreement_on),
        "copy_count": _cn(count + 1),
    }


register_document(DocumentType(
    key="disputes.agreement",
    title="人民调解协议书",
    model="disputes.dispute",
    body=(
        Title("人民调解协议书"),
        Para("编号：{{ number }}", align="right", indent=False),
        Para("当事人：", bold=True, indent=False),
        PARTY_TABLE,
        Para("纠纷主要事实、争议事项及各方责任：", bold=True, indent=False),
        Para("{{ facts }}"),
        Field("各方责任", "responsibilities"),
        Para("经{{ committee }}调解，当事人自愿达成如下协议：", bold=True, indent=False),
        Para("{{ terms }}"),
        Field("履行方式、时限", "performance"),
        Para("本协议书一式{{ copy_count }}份，当事人各执一份，人民调解委员会留存一份。"),
        Para("本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效。"
             "当事人可以自本协议生效之日起三十日内共同向人民法院申请司法确认。"),
        SIGNERS,
        Signatures(["人民调解员", "{{ committee }}（印章）"]),
        Para("{{ agreement_on }}", align="right", indent=False),
    ),
    context=_agreement,
    available=lambda d: d.state in (c.DisputeState.SETTLED, c.DisputeState.ARCHIVED)
    and d.agreement_form == c.AgreementForm.WRITTEN,
    copies=_copies,
    filename=lambda d: f"人民调解协议书-{d.number}.docx",
    variables=COMMON_VARIABLES | {"facts": "纠纷主要事实及争议事项", "responsibilities": "各方责任",
                                  "terms": "协议内容", "performance": "履行方式、时限", "agreement_on": "协议日期",
                                  "copy_count": "份数（当事人人数加一，中文数字）"},
))


# --- 终止调解告知书 -----------------------------------------------------------------------------------------
def _termination(dispute, user, full: bool) -> dict:
    return _common(dispute, full) | {
        "reason": dispute.failure_reason, "routes": dispute.other_routes or "仲裁、行政、诉讼",
        "closed_on": cn_date(dispute.closed_on),
    }


register_document(DocumentType(
    key="disputes.termination",
    title="终止调解告知书",
    model="disputes.dispute",
    body=(
        Title("终止调解告知书"),
        Para("编号：{{ number }}", align="right", indent=False),
        Para("{{ applicants }}、{{ respondents }}：", indent=False),
        Para("你们之间的{{ title_of_case }}，经{{ committee }}调解，因{{ reason }}，本委员会决定终止调解。"),
        Para("依照《中华人民共和国人民调解法》第二十六条的规定，你们可以依法通过{{ routes }}等途径维护自己的权利。"),
        Para("特此告知。"),
        Signatures(["{{ committee }}（印章）"]),
        Para("{{ closed_on }}", align="right", indent=False),
    ),
    context=_termination,
    available=lambda d: d.state == c.DisputeState.FAILED,
    filename=lambda d: f"终止调解告知书-{d.number}.docx",
    variables=COMMON_VARIABLES | {"reason": "终止调解原因", "routes": "告知的其他途径", "closed_on": "终止日期"},
))


# --- 调解结果告知函 ----------------------------------------------------------------------------------------
def _result(dispute) -> str:
    if dispute.state in (c.DisputeState.SETTLED, c.DisputeState.ARCHIVED):
        kind = dispute.get_agreement_form_display() or "协议"
        return f"调解成功，当事人于{cn_date(dispute.agreement_on)}达成{kind}：{dispute.agreement_terms}"
    if dispute.state == c.DisputeState.FAILED:
        return f"调解不成，已终止调解（{dispute.failure_reason}），已告知当事人可通过{dispute.other_routes}等途径解决"
    if dispute.state == c.DisputeState.TRANSFERRED:
        to = dispute.transferred_to.name if dispute.transferred_to_id else dispute.transferred_to_name
        return f"已移交{to or '其他单位'}处理"
    return ""


def _referral_notice(dispute, user, full: bool) -> dict:
    return _common(dispute, full) | {
        "referrer": dispute.referrer_display, "referrer_number": dispute.referrer_number or "—",
        "referred_on": cn_date(dispute.referred_on) or "—", "result": _result(dispute),
        "closed_on": cn_date(dispute.closed_on), "today_cn": cn_date(timezone.localdate()),
    }


register_document(DocumentType(
    key="disputes.referral_result",
    title="调解结果告知函",
    model="disputes.dispute",
    body=(
        Title("调解结果告知函"),
        Para("编号：{{ number }}", align="right", indent=False),
        Para("{{ referrer }}：", indent=False),
        Para("贵单位于{{ referred_on }}移送（委派）的{{ title_of_case }}（贵单位案号：{{ referrer_number }}），"
             "当事人{{ applicants }}与{{ respondents }}，经{{ committee }}调解，结果如下：{{ result }}。"),
        Field("办结日期", "closed_on"),
        Field("调解员", "mediators"),
        Para("特此函告。"),
        Signatures(["{{ committee }}（印章）"]),
        Para("{{ today_cn }}", align="right", indent=False),
    ),
    context=_referral_notice,
    available=lambda d: d.is_referral and d.state in CLOSED,
    filename=lambda d: f"调解结果告知函-{d.number}.docx",
    variables=COMMON_VARIABLES | {"referrer": "移送单位", "referrer_number": "移送单位案号", "referred_on": "移送日期",
                                  "result": "调解结果", "closed_on": "办结日期", "today_cn": "发函日期"},
))
