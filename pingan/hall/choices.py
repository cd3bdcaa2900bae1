"""Code tables of the one window (一窗受理): channels, topics, routes, outcomes, duty kinds, appointments."""
from django.db import models


class Channel(models.TextChoices):
    VISIT = "visit", "来访"
    CALL = "call", "来电"
    LETTER = "letter", "来信"
    ONLINE = "online", "网上"


class Category(models.TextChoices):
    """What the matter is about (窗口登记的问题类别). `MEDIATION_APPLICABLE` says where 调解先行 applies."""

    FAMILY = "family", "婚恋家庭"
    NEIGHBOUR = "neighbour", "邻里纠纷"
    LABOUR = "labour", "劳动社保"
    LAND = "land", "土地房屋"
    EXPROPRIATION = "expropriation", "征地拆迁"
    CONTRACT = "contract", "合同债务"
    PROPERTY = "property", "物业服务"
    LITIGATION = "litigation", "涉法涉诉"
    POLICY = "policy", "政策咨询"
    PSYCH = "psych", "心理困扰"
    CITY = "city", "城市管理"
    OTHER = "other", "其他"


# Civil matters between people, where the centre offers mediation first (调解先行): choosing another route for
# one of these asks why not.
MEDIATION_APPLICABLE = {Category.FAMILY, Category.NEIGHBOUR, Category.LABOUR, Category.LAND, Category.CONTRACT,
                        Category.PROPERTY, Category.EXPROPRIATION}

# The 5.56 category a dispute made from the window takes (its main nature).
DISPUTE_CATEGORY = {
    Category.FAMILY: "0199", Category.NEIGHBOUR: "0299", Category.LABOUR: "0799", Category.LAND: "0999",
    Category.EXPROPRIATION: "1102", Category.CONTRACT: "0699", Category.PROPERTY: "0402", Category.OTHER: "9999",
}


class Route(models.TextChoices):
    MEDIATION = "mediation", "人民调解"
    PETITION = "petition", "信访"
    LITIGATION = "litigation", "诉讼服务"
    ARBITRATION = "arbitration", "劳动仲裁"
    LEGAL_AID = "legal_aid", "法律援助"
    LEGAL_ADVICE = "legal_advice", "法律咨询"
    PSYCH = "psych", "心理服务"
    DEPARTMENT = "department", "部门办理"
    ANSWERED = "answered", "当场答复"


# Routes that hand the matter to a unit with a referral note (no case of this platform).
REFERRAL_ROUTES = (Route.LITIGATION, Route.ARBITRATION, Route.LEGAL_AID, Route.LEGAL_ADVICE)


class Status(models.TextChoices):
    REGISTERED = "registered", "已登记"
    ROUTED = "routed", "已分流"
    REFERRED = "referred", "已转介"
    ANSWERED = "answered", "已答复"
    CLOSED = "closed", "已办结"


OPEN_STATUSES = (Status.REGISTERED, Status.ROUTED)


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class DutyKind(models.TextChoices):
    RESIDENT = "resident", "常驻"
    ROTATING = "rotating", "轮驻"
    INVITED = "invited", "特邀"


class Period(models.TextChoices):
    DAY = "day", "全天"
    MORNING = "morning", "上午"
    AFTERNOON = "afternoon", "下午"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "已预约"
    DONE = "done", "已完成"
    CANCELLED = "cancelled", "已取消"
    NO_SHOW = "no_show", "未到"
