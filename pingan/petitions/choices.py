"""Code tables of the petition register (信访; 《信访工作条例》2022, domain.md §3.3)."""
from django.db import models


class PetitionState(models.TextChoices):
    """The case's state on the case layer (workflow.py). The ledger's 办理状态 has five values: 待受理, 办理中,
    已办结, 已化解, 已稳控; the review states read as 办理中 (复查中/复核中) or as the result reviewed."""

    REGISTERED = "registered", "待受理"
    HANDLING = "handling", "办理中"
    CONCLUDED = "concluded", "已办结"
    RESOLVED = "resolved", "已化解"
    STABILISED = "stabilised", "已稳控"
    REJECTED = "rejected", "不予受理"
    FORWARDED = "forwarded", "已转送"
    REVIEWING = "reviewing", "复查中"
    REVIEWED = "reviewed", "复查办结"
    RECHECKING = "rechecking", "复核中"
    RECHECKED = "rechecked", "复核办结"


# Finished with a result (办结): the ledger's 已办结/已化解/已稳控 and the reviews answered after them.
RESULT_STATES = (PetitionState.CONCLUDED, PetitionState.RESOLVED, PetitionState.STABILISED)
FINISHED_STATES = RESULT_STATES + (PetitionState.REVIEWED, PetitionState.RECHECKED)


class Form(models.TextChoices):
    """信访形式 (条例第十七条)."""

    ONLINE = "online", "网上信访"
    LETTER = "letter", "来信"
    CALL = "call", "来电"
    FAX = "fax", "传真"
    VISIT = "visit", "来访"


class PetitionType(models.TextChoices):
    """信访类型 (条例第二十九条至第三十一条)."""

    SUGGESTION = "suggestion", "建议意见类"
    ACCUSATION = "accusation", "检举控告类"
    APPEAL = "appeal", "申诉求决类"


class Source(models.TextChoices):
    """来源: 本级受理 or 上级交办 (the 交办数 of petitions.assigned)."""

    LOCAL = "local", "本级受理"
    ASSIGNED = "assigned", "上级交办"


class Opinion(models.TextChoices):
    """信访处理意见书的处理意见 (条例第三十二条)."""

    SUPPORT = "support", "支持"
    EXPLAIN = "explain", "解释说明"
    REJECT = "reject", "不予支持"


class RejectionReason(models.TextChoices):
    """不予受理的理由, each with its legal basis (read by the 不予受理告知书)."""

    LEGAL_ROUTE = "legal_route", "应当通过诉讼、仲裁、行政复议等法定途径解决"
    ALREADY_LEGAL = "already_legal", "已经或者依法应当通过诉讼、仲裁、行政复议等法定途径解决"
    NOT_COMPETENT = "not_competent", "不属于本机关职权范围"
    WITHDRAWN = "withdrawn", "信访人撤回信访事项"
    FINAL = "final", "已复核终结，同一事实和理由不再受理"
    IN_PROGRESS = "in_progress", "同一信访事项正在办理期间"


REJECTION_BASIS = {
    RejectionReason.LEGAL_ROUTE: "《信访工作条例》第三十一条第一项",
    RejectionReason.ALREADY_LEGAL: "《信访工作条例》第三十一条第一项",
    RejectionReason.NOT_COMPETENT: "《信访工作条例》第二十二条、第二十三条",
    RejectionReason.WITHDRAWN: "《信访工作条例》第二十三条",
    RejectionReason.FINAL: "《信访工作条例》第三十六条",
    RejectionReason.IN_PROGRESS: "《信访工作条例》第二十三条",
}


class ReviewDecision(models.TextChoices):
    """复查/复核意见."""

    UPHOLD = "uphold", "维持原处理意见"
    CHANGE = "change", "变更原处理意见"
    REVOKE = "revoke", "撤销原处理意见，重新办理"


class BacklogOutcome(models.TextChoices):
    """积案的结果: 化解 or 稳控."""

    RESOLVED = "resolved", "化解"
    STABILISED = "stabilised", "稳控"


class ListLevel(models.TextChoices):
    """交办清单的交办层级."""

    PROVINCE = "province", "省"
    CITY = "city", "市"
    DISTRICT = "district", "区"


class ReceptionKind(models.TextChoices):
    """领导接访方式 (条例第十八条)."""

    RECEPTION = "reception", "接访"
    APPOINTMENT = "appointment", "约访"
    VISIT_DOWN = "visit_down", "下访"


# 三到位一处理 (条例第二十七条): the four booleans of a finished petition and their labels.
SANWEI = (
    ("sanwei_solved", "解决问题到位"),
    ("sanwei_educated", "思想教育到位"),
    ("sanwei_assisted", "帮扶救助到位"),
    ("sanwei_lawful", "依法处理"),
)

# 条例 deadlines, in natural days.
FORWARD_DAYS = 15        # 第二十二条: 转送、交办 within 15 days
ACKNOWLEDGE_DAYS = 15    # 第二十三条: 受理告知 within 15 days
HANDLING_DAYS = 60       # 第三十四条: 办结 within 60 days of 受理
EXTENSION_DAYS = 30      # 第三十四条: one extension of at most 30 days
REVIEW_REQUEST_DAYS = 30  # 第三十五条: 复查 requested within 30 days of the reply
REVIEW_DAYS = 30         # 第三十五条: answered within 30 days
RECHECK_REQUEST_DAYS = 30  # 第三十六条
RECHECK_DAYS = 30        # 第三十六条
MAX_REPRESENTATIVES = 5  # 第二十条
