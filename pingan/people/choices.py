"""Codes of the people module (GB/T 31000-2015 4.2–4.4 and the national standards it cites).

Stored as code, shown as label, exported as label. Where the standard's list is long (民族 GB/T 3304) the
subset a North-China district meets is given with the standard's codes; 99/其他 covers the rest.
"""
from django.db import models


class Sex(models.TextChoices):  # GB/T 2261.1
    MALE = "1", "男"
    FEMALE = "2", "女"


class Ethnicity(models.TextChoices):  # GB/T 3304 (subset, standard codes)
    HAN = "01", "汉族"
    MONGOL = "02", "蒙古族"
    HUI = "03", "回族"
    TIBETAN = "04", "藏族"
    UYGHUR = "05", "维吾尔族"
    MIAO = "06", "苗族"
    YI = "07", "彝族"
    ZHUANG = "08", "壮族"
    BUYEI = "09", "布依族"
    KOREAN = "10", "朝鲜族"
    MANCHU = "11", "满族"
    DONG = "12", "侗族"
    YAO = "13", "瑶族"
    BAI = "14", "白族"
    TUJIA = "15", "土家族"
    OTHER = "97", "其他"
    NATURALISED = "98", "外国血统中国籍人士"


class MaritalStatus(models.TextChoices):  # GB/T 2261.2
    SINGLE = "10", "未婚"
    MARRIED = "20", "已婚"
    WIDOWED = "30", "丧偶"
    DIVORCED = "40", "离婚"
    UNKNOWN = "90", "未说明的婚姻状况"


class PoliticalStatus(models.TextChoices):  # GB/T 4762
    CPC = "01", "中共党员"
    CPC_PROBATIONARY = "02", "中共预备党员"
    CYL = "03", "共青团员"
    DEMOCRATIC = "04", "民主党派成员"
    NONPARTISAN = "12", "无党派人士"
    MASSES = "13", "群众"


class Education(models.TextChoices):  # GB/T 4658 (first level)
    POSTGRADUATE = "10", "研究生教育"
    UNIVERSITY = "20", "大学本科"
    COLLEGE = "30", "专科教育"
    SECONDARY = "60", "高中（中专）"
    JUNIOR = "70", "初中"
    PRIMARY = "80", "小学"
    NONE = "90", "其他（含未上学）"


class PersonType(models.TextChoices):  # 实有人口 types, GB/T 31000 4.2
    REGISTERED = "registered", "户籍人口"
    FLOATING = "floating", "流动人口"
    FOREIGN = "foreign", "境外人员"
    LEFT_BEHIND = "left_behind", "留守人员"


class InflowReason(models.TextChoices):  # GB/T 31000 5.11 流入原因
    WORK = "01", "务工"
    BUSINESS = "02", "经商"
    STUDY = "03", "就学"
    FAMILY = "04", "投亲靠友"
    MARRIAGE = "05", "婚嫁"
    MEDICAL = "06", "就医"
    SERVICE = "07", "服务"
    TRAVEL = "08", "旅游"
    OTHER = "99", "其他"


class LeftBehindType(models.TextChoices):  # GB/T 31000 5.15 留守人员类型
    ELDERLY = "01", "留守老人"
    WOMAN = "02", "留守妇女"
    CHILD = "03", "留守儿童"


class ForeignDocType(models.TextChoices):  # 境外人员证件种类
    PASSPORT = "414", "普通护照"
    HK_MACAO = "516", "港澳居民来往内地通行证"
    TAIWAN = "511", "台湾居民来往大陆通行证"
    PERMANENT = "553", "外国人永久居留身份证"
    OTHER = "990", "其他证件"


class Relation(models.TextChoices):  # GB/T 4761 家庭关系 (first level)
    HEAD = "02", "户主"
    SPOUSE = "10", "配偶"
    CHILD = "20", "子女"
    PARENT = "50", "父母"
    GRANDPARENT = "60", "祖父母或外祖父母"
    GRANDCHILD = "30", "孙子女或外孙子女"
    SIBLING = "70", "兄弟姐妹"
    OTHER = "99", "其他"


class HouseholdType(models.TextChoices):
    FAMILY = "family", "家庭户"
    COLLECTIVE = "collective", "集体户"


class RentalUse(models.TextChoices):  # GB/T 31000 5.18 出租用途
    RESIDENCE = "01", "居住"
    BUSINESS = "02", "生产经营"
    MIXED = "03", "居住兼生产经营"
    STORAGE = "04", "仓储"
    OTHER = "99", "其他"


class SpecialKind(models.TextChoices):  # GB/T 31000 4.3 (five kinds) and 4.4 重点青少年
    RELEASED = "released", "刑满释放人员"
    CORRECTION = "correction", "社区矫正人员"
    MENTAL = "mental", "严重精神障碍患者"
    DRUG = "drug", "吸毒人员"
    AIDS = "aids", "艾滋病危险人员"
    YOUTH = "youth", "重点青少年"


# Kinds whose very membership is health data (PIPL Art.28): seen only by roles allowed health data.
HEALTH_KINDS = frozenset({SpecialKind.MENTAL, SpecialKind.AIDS})


class MentalRisk(models.TextChoices):  # 危险性评估 0–5级
    L0 = "0", "0级"
    L1 = "1", "1级"
    L2 = "2", "2级"
    L3 = "3", "3级"
    L4 = "4", "4级"
    L5 = "5", "5级"


MENTAL_RISK_MEANING = {
    "0": "无符合以下 1–5 级中的任何行为",
    "1": "口头威胁，喊叫，但没有打砸行为",
    "2": "打砸行为，局限在家里，针对财物，能被劝说制止",
    "3": "明显打砸行为，不分场合，针对财物，不能接受劝说而停止",
    "4": "持续的打砸行为，不分场合，针对财物或人，不能接受劝说而停止（包括自伤、自杀）",
    "5": "持械针对人的任何暴力行为，或者纵火、爆炸等行为",
}


class GeneralRisk(models.TextChoices):  # 风险等级 of the other kinds (5.60: 01 高, 02 中, 03 低)
    HIGH = "high", "高"
    MEDIUM = "medium", "中"
    LOW = "low", "低"


RISK_LABELS = {**dict(MentalRisk.choices), **dict(GeneralRisk.choices)}


class ReleasedAssistLevel(models.TextChoices):  # 危险性评估 of 刑满释放人员
    KEY = "key", "重点帮教"
    GENERAL = "general", "一般帮教"


class CorrectionCategory(models.TextChoices):  # 社区矫正法 Art.2 (2019): these four only
    CONTROL = "01", "管制"
    PROBATION = "02", "缓刑"
    PAROLE = "03", "假释"
    MEDICAL_PAROLE = "04", "暂予监外执行"


CORRECTION_NOT_ANY_MORE = {"剥夺政治权利": "剥夺政治权利不是社区矫正：2019 年《社区矫正法》规定社区矫正对象只有管制、缓刑、假释、暂予监外执行四类，"
                                         "剥夺政治权利由公安机关执行。"}


class CorrectionEnd(models.TextChoices):
    EXPIRED = "expired", "矫正期满解除"
    REVOKED_PROBATION = "revoked_probation", "撤销缓刑（终止）"
    REVOKED_PAROLE = "revoked_parole", "撤销假释（终止）"
    IMPRISONED = "imprisoned", "暂予监外执行收监（终止）"
    DEATH = "death", "死亡（终止）"


class MentalDiagnosis(models.TextChoices):  # GB/T 31000 5.31 (six severe mental disorders)
    SCHIZOPHRENIA = "01", "精神分裂症"
    SCHIZOAFFECTIVE = "02", "分裂情感性障碍"
    DELUSIONAL = "03", "持久的妄想性障碍（偏执性精神病）"
    BIPOLAR = "04", "双相（情感）障碍"
    EPILEPSY = "05", "癫痫所致精神障碍"
    RETARDATION = "06", "精神发育迟滞伴发精神障碍"
    OTHER = "99", "其他"


class MentalTreatment(models.TextChoices):
    NONE = "none", "未治疗"
    INTERMITTENT = "intermittent", "间断门诊治疗"
    CONTINUOUS = "continuous", "连续门诊治疗"
    INPATIENT = "inpatient", "住院治疗"


class DrugControl(models.TextChoices):  # 吸毒人员管控情况
    CONTROLLED = "01", "在控"
    LOST = "02", "失控"
    DEAD = "03", "死亡"
    ABROAD = "04", "出国（境）"
    ABSTINENT_3Y = "05", "戒断三年未复吸"
    ABSTINENT = "06", "戒断不满三年"


class AidsRoute(models.TextChoices):  # 感染途径
    SEXUAL = "01", "性传播"
    BLOOD = "02", "血液传播"
    MOTHER = "03", "母婴传播"
    UNKNOWN = "99", "不详"


class AidsAttention(models.TextChoices):  # 关注类型
    INFECTED = "01", "艾滋病病毒感染者"
    PATIENT = "02", "艾滋病病人"
    HIGH_RISK = "03", "高危行为人群"


class AidsCare(models.TextChoices):  # 收治情况
    TREATED = "01", "已收治"
    NOT_TREATED = "02", "未收治"
    REFUSED = "03", "拒绝收治"


class YouthType(models.TextChoices):  # GB/T 31000 4.4 重点青少年类型
    IDLE = "01", "闲散青少年"
    MISBEHAVING = "02", "不良行为青少年"
    VAGRANT = "03", "流浪乞讨未成年人"
    PRISONERS_CHILD = "04", "服刑人员未成年子女"
    LEFT_BEHIND_CHILD = "05", "农村留守儿童"
    OTHER = "99", "其他"


class VisitForm(models.TextChoices):
    HOME = "home", "上门"
    PHONE = "phone", "电话"
    APPOINTMENT = "appointment", "约见"
