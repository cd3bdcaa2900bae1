"""Code tables of the dispute register: GB/T 31000-2015 表30 with 5.55 (事件规模), 5.56 (事件类别, two levels),
5.57 (当事人人员类别), 5.58 (化解方式), and the local 人民调解 statistics list that ledgers map onto 5.56
(/work/shared/reference/domain.md §3.2). Stored as code, shown as label, exported as label."""
from __future__ import annotations

from django.db import models


class DisputeState(models.TextChoices):
    """状态. The ledger's 状态 column: 排查登记 → REGISTERED, 调处中 → MEDIATING, 调处成功 → SETTLED or ARCHIVED
    (archived is a settled dispute whose 履行回访 is done), 调处失败 → FAILED, 已移交 → TRANSFERRED."""

    REGISTERED = "registered", "排查登记"
    MEDIATING = "mediating", "调处中"
    SETTLED = "settled", "调处成功（待回访）"
    ARCHIVED = "archived", "调处成功（已归档）"
    FAILED = "failed", "调处失败"
    TRANSFERRED = "transferred", "已移交"


# The states that count as 调处成功 (disputes.resolved, the ledger's 调处成功).
RESOLVED_STATES = (DisputeState.SETTLED, DisputeState.ARCHIVED)
# The states that count as in progress (disputes.in_progress: 排查登记 or 调处中).
IN_PROGRESS_STATES = (DisputeState.REGISTERED, DisputeState.MEDIATING)
# The ledger's 状态 labels → states; export writes the label of LEDGER_LABEL.
LEDGER_STATES = {
    "排查登记": (DisputeState.REGISTERED,),
    "调处中": (DisputeState.MEDIATING,),
    "调处成功": RESOLVED_STATES,
    "调处失败": (DisputeState.FAILED,),
    "已移交": (DisputeState.TRANSFERRED,),
}
LEDGER_LABEL = {state: label for label, states in LEDGER_STATES.items() for state in states}


class Scale(models.TextChoices):
    """事件规模 (GB/T 31000 5.55)."""

    INDIVIDUAL = "01", "个体性事件"
    GROUP = "02", "一般群体性事件"
    MAJOR_GROUP = "03", "重大群体性事件"


MASS_SCALES = (Scale.GROUP, Scale.MAJOR_GROUP)

# 事件类别 (GB/T 31000 5.56): first level two digits, second level four. Each group has xx99 其他 except 14
# and 16; a group without listed second-level codes takes the first-level code itself or xx99.
CATEGORY_GROUPS: dict[str, tuple[str, dict[str, str]]] = {
    "01": ("婚恋家庭", {"0101": "恋爱及婚姻", "0102": "抚养赡养监护", "0103": "分家与继承", "0199": "其他婚恋家庭"}),
    "02": ("邻里", {"0201": "用水排水通行通风采光", "0202": "相邻土地建筑利用", "0203": "相邻污染损害防止",
                   "0299": "其他邻里"}),
    "03": ("人格权", {"0399": "其他人格权"}),
    "04": ("物权相关", {"0402": "物业及其管理", "0499": "其他物权"}),
    "05": ("侵权相关", {"0501": "教育机构", "0502": "医疗损害", "0503": "交通事故", "0504": "环境污染",
                     "0505": "产品责任", "0506": "网络侵权", "0507": "劳务损害", "0599": "其他侵权"}),
    "06": ("合同及相关", {"0699": "其他合同"}),
    "07": ("劳动人事争议", {"0799": "其他劳动人事"}),
    "08": ("金融借贷", {"0899": "其他金融借贷"}),
    "09": ("土地及资源权属", {"0901": "土地承包经营", "0902": "宅基地使用", "0903": "山林矿产", "0904": "水域水利",
                        "0999": "其他土地及资源权属"}),
    "10": ("其他民商事", {"1099": "其他民商事"}),
    "11": ("城乡建设发展", {"1101": "国有土地上房屋征收", "1102": "农村集体土地征用", "1103": "城乡规划及拆违",
                       "1104": "基础设施建设及市政市容", "1105": "移民安置", "1199": "其他城乡建设发展"}),
    "12": ("涉民政", {"1201": "村(社区)选举和管理", "1202": "优抚救助", "1203": "区划边界", "1299": "其他涉民政"}),
    "13": ("其他行政执法", {"1399": "其他行政执法"}),
    "14": ("涉法涉诉", {"1401": "公安", "1402": "检察院", "1403": "法院", "1404": "司法行政"}),
    "15": ("涉组织涉纪检", {"1599": "其他涉组织涉纪检"}),
    "16": ("涉民族宗教", {"1601": "涉民族问题", "1602": "涉宗教问题"}),
    "99": ("其他", {"9999": "其他"}),
}


def _category_choices() -> list[tuple[str, str]]:
    choices = []
    for code, (label, subs) in CATEGORY_GROUPS.items():
        choices.append((code, label))
        choices.extend((sub, f"{label}/{sub_label}") for sub, sub_label in subs.items())
    return choices


CATEGORY_CHOICES = _category_choices()
CATEGORY_LABELS = dict(CATEGORY_CHOICES)
# Grouped for a two-level <select>: [(group label, [(code, label)])].
CATEGORY_OPTGROUPS = [
    (label, [(code, f"{label}（大类）")] + [(sub, sub_label) for sub, sub_label in subs.items()])
    for code, (label, subs) in CATEGORY_GROUPS.items()
]


def category_group(code: str) -> str:
    """The first-level code of a category code ("0902" → "09")."""
    return (code or "")[:2]


# The local 人民调解 statistics list (what village ledgers say) → 5.56 (domain.md §3.2: "import maps these
# names to 5.56 codes"). Where the local name is broader than one second-level code, the first level.
LOCAL_CATEGORY_MAP = {
    "婚姻家庭": "01",
    "邻里": "02",
    "房屋宅基地": "0902",
    "合同": "06",
    "生产经营": "10",
    "损害赔偿": "05",
    "山林土地": "09",
    "征地拆迁": "1102",
    "环境污染": "0504",
    "劳动争议": "07",
    "医疗": "0502",
    "道路交通事故": "0503",
    "物业": "0402",
    "消防": "13",
    "其他": "99",
}


class PartyCategory(models.TextChoices):
    """当事人人员类别 (GB/T 31000 5.57); 专项 02xx takes priority over 一般 01xx."""

    STAFF = "0101", "机关企事业单位从业人员"
    FARMING = "0102", "农林牧渔从业人员"
    SELF_EMPLOYED = "0103", "个体或自由职业"
    SOLDIER = "0104", "军人"
    RETIRED = "0105", "离退休"
    STUDENT = "0106", "学生"
    UNEMPLOYED = "0107", "无业"
    OTHER_GENERAL = "0199", "其他"
    RESTRUCTURED = "0201", "涉企事业单位改制人员"
    VETERAN = "0202", "军队退役人员"
    FORMER_TEACHER = "0203", "原民办、国企教师"
    SOE_RETIREE = "0204", "国有企业退休职工"
    EDUCATED_YOUTH = "0205", "返城知青"
    BEREAVED_PARENT = "0206", "失独人员"
    MIGRANT_WORKER = "0207", "农村进城务工人员"
    OTHER_GROUP = "0299", "其他群体性诉求人员"


class ResolutionMethod(models.TextChoices):
    """化解方式 (GB/T 31000 5.58)."""

    MEDIATION = "01", "调解"
    JUDICIAL_MEDIATION = "0101", "司法调解"
    ADMINISTRATIVE_MEDIATION = "0102", "行政调解"
    PEOPLES_MEDIATION = "0103", "人民调解"
    ARBITRAL_MEDIATION = "0104", "仲裁调解"
    COMMERCIAL_MEDIATION = "0105", "商事调解"
    INDUSTRY_MEDIATION = "0106", "行业调解"
    LAWYER_MEDIATION = "0107", "律师调解"
    OTHER_MEDIATION = "0199", "其他调解"
    ARBITRATION = "02", "仲裁"
    CIVIL_ARBITRATION = "0201", "民商事仲裁"
    LAND_ARBITRATION = "0202", "农村土地承包经营纠纷仲裁"
    LABOUR_ARBITRATION = "0203", "劳动人事争议仲裁"
    OTHER_ARBITRATION = "0204", "其他仲裁"
    ADMINISTRATIVE_REVIEW = "03", "行政复议"
    ADMINISTRATIVE_RULING = "04", "行政裁决"
    LITIGATION = "05", "诉讼"
    SETTLEMENT = "06", "协商和解"


class Source(models.TextChoices):
    """纠纷来源. The referring sources are the 对接 routes (人民调解法 Art.18; 访调对接)."""

    GRID = "grid", "网格员排查"
    APPLICATION = "application", "当事人申请"
    VISIT = "visit", "群众来访"
    OWN_INITIATIVE = "own", "调委会主动调解"
    POLICE = "police", "公安移送（公调对接）"
    COURT = "court", "法院委派（诉调对接）"
    PROCURATORATE = "procuratorate", "检察院移送（检调对接）"
    PETITION = "petition", "信访转来（访调对接）"
    INDUSTRY = "industry", "行业组织移送"
    HALL = "hall", "综治中心窗口受理"
    OTHER = "other", "其他"


# Sources that name a referrer who is told the result (诉调/公调/检调/访调对接).
REFERRAL_SOURCES = (Source.POLICE, Source.COURT, Source.PROCURATORATE, Source.PETITION, Source.INDUSTRY)


class PartyKind(models.TextChoices):
    PERSON = "person", "自然人"
    ORGANISATION = "org", "法人或其他组织"


class PartySide(models.TextChoices):
    APPLICANT = "applicant", "申请人（甲方）"
    RESPONDENT = "respondent", "被申请人（乙方）"
    OTHER = "other", "其他当事人"


class AgreementForm(models.TextChoices):
    WRITTEN = "written", "书面协议"
    ORAL = "oral", "口头协议"


class OtherRoute(models.TextChoices):
    """Routes a terminated mediation explains to the parties (人民调解法 Art.26)."""

    ARBITRATION = "arbitration", "仲裁"
    ADMINISTRATIVE = "administrative", "行政途径"
    LITIGATION = "litigation", "诉讼"


class FollowupResult(models.TextChoices):
    PERFORMED = "performed", "已履行"
    PARTLY = "partly", "部分履行"
    NOT_PERFORMED = "not_performed", "未履行"


class JudicialResult(models.TextChoices):
    CONFIRMED = "confirmed", "裁定确认有效"
    REJECTED = "rejected", "裁定驳回申请"


class Grade(models.TextChoices):
    """案件等级 for the mediator's lost-work subsidy (seed: 50 / 100 / 200 元, amounts configurable)."""

    SIMPLE = "simple", "简易"
    GENERAL = "general", "一般"
    MAJOR = "major", "重大疑难"


DEFAULT_GRADE_AMOUNTS = {Grade.SIMPLE: 50, Grade.GENERAL: 100, Grade.MAJOR: 200}


class OrgKind(models.TextChoices):
    """人民调解组织."""

    VILLAGE = "village", "村(居)人民调解委员会"
    TOWNSHIP = "township", "乡镇(街道)人民调解委员会"
    INDUSTRY = "industry", "行业性专业性人民调解委员会"
    CENTRE = "centre", "综治中心常驻调解室"
    OTHER = "other", "其他调解组织"


class MediatorKind(models.TextChoices):
    FULL_TIME = "full", "专职"
    PART_TIME = "part", "兼职"


class SheetStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    APPROVED = "approved", "已审批"


class MeetingKind(models.TextChoices):
    REGULAR = "regular", "矛盾纠纷排查例会"
    ANALYSIS = "analysis", "研判会"
    JOINT = "joint", "联席会议"
