"""The hazard register's official document: 风险隐患整改通知书, sent by the township's 综治办 to the unit
responsible for rectifying a hazard (found by pingan.documents' autodiscovery)."""
from __future__ import annotations

from pingan.documents.blocks import Field, Para, Signatures, Title
from pingan.documents.context import cn_date, phone
from pingan.documents.registry import DocumentType, register_document

DEFAULT_REQUIREMENT = ("请你单位接到本通知后立即组织整改，落实防范措施，在整改期限前消除隐患，"
                       "并将整改情况书面报告乡镇（街道）综治办。逾期未整改或整改不到位的，将提请区综治中心督办。")


def _context(hazard, user, full: bool) -> dict:
    node = hazard.jurisdiction
    township = node.township()
    places = [n.name for n in (node.ancestors() + [node]) if n.level in ("village", "community", "grid")]
    contact = hazard.responsible_person or ""
    if hazard.responsible_phone:
        contact = f"{contact}（电话 {phone(hazard.responsible_phone, full)}）" if contact \
            else f"电话 {phone(hazard.responsible_phone, full)}"
    return {
        "number": hazard.number,
        "township": township.name if township else "",
        "place": "".join(places) + (f" {hazard.location}" if hazard.location else ""),
        "hazard_type": hazard.get_hazard_type_display(),
        "risk_level": hazard.get_risk_level_display(),
        "description": hazard.description,
        "unit": hazard.unit_display if hazard.unit_display != "—" else "",
        "contact": contact,
        "screened_on": cn_date(hazard.screened_on),
        "deadline": cn_date(hazard.rectify_deadline),
        "requirement": hazard.measures or DEFAULT_REQUIREMENT,
        "issued_on": cn_date(hazard.created_at),
    }


register_document(DocumentType(
    key="hazards.rectify_notice",
    title="风险隐患整改通知书",
    model="hazards.hazard",
    body=(
        Title("风险隐患整改通知书"),
        Para("编号：{{ number }}", align="right", indent=False),
        Para("{{ unit }}：", indent=False),
        Para("{{ screened_on }}排查发现，{{ place }}存在以下风险隐患，现通知你单位限期整改。"),
        Field("隐患类型", "hazard_type"),
        Field("风险等级", "risk_level"),
        Field("具体位置", "place"),
        Field("隐患描述", "description"),
        Field("整治责任单位", "unit"),
        Field("整治责任人", "contact"),
        Field("整改期限", "deadline"),
        Field("整改要求", "requirement"),
        Signatures(["{{ township }}综治办"]),
        Para("{{ issued_on }}", align="right", indent=False),
    ),
    context=_context,
    filename=lambda hazard: f"风险隐患整改通知书-{hazard.number}.docx",
    variables={
        "number": "隐患编号", "township": "所属乡镇（街道）", "place": "所在村（社区）、网格和具体位置",
        "hazard_type": "隐患类型", "risk_level": "风险等级（高/中/低）", "description": "隐患描述",
        "unit": "整治责任单位", "contact": "整治责任人及电话（电话默认脱敏）", "screened_on": "排查日期",
        "deadline": "整改期限", "requirement": "整改要求（登记的整治措施，未填时为通用要求）",
        "issued_on": "通知日期（登记日期）",
    },
))
