"""Codes of the grid-event module: labels in Chinese, names in English."""
from django.db import models


class DeadlineUnit(models.TextChoices):
    WORKING_HOURS = "working_hours", "工作小时"
    WORKING_DAYS = "working_days", "工作日"


class Urgency(models.TextChoices):
    NORMAL = "normal", "一般"
    URGENT = "urgent", "紧急"
    CRITICAL = "critical", "特急"


class Source(models.TextChoices):
    GRID = "grid", "网格员上报"
    CENTRE = "centre", "中心登记"
    PUBLIC = "public", "群众自报"
    OPEN311 = "open311", "接口接入"


class Channel(models.TextChoices):
    HOTLINE_12345 = "hotline_12345", "12345 热线"
    WECHAT = "wechat", "微信公众号/小程序"
    APP = "app", "移动应用"
    PARTNER = "partner", "其他系统对接"


class PhotoStage(models.TextChoices):
    REPORT = "report", "上报"
    FEEDBACK = "feedback", "处置反馈"
    CHECK = "check", "核查"


class PhotoRule(models.TextChoices):
    NONE = "none", "不强制"
    REPORT = "report", "上报时必须有照片"
    FEEDBACK = "feedback", "处置反馈时必须有照片"
    BOTH = "both", "上报和反馈都必须有照片"


class PublicDisplay(models.TextChoices):
    """公开展示: which events of a category the anonymous Open311 list shows (never reporter details)."""
    NONE = "none", "不公开"
    CITIZEN = "citizen", "只公开群众自己反映的事件"
    ALL = "all", "公开全部事件（含网格员、中心登记的）"


class FieldType(models.TextChoices):
    """Open311 GeoReport v2 attribute datatypes."""
    STRING = "string", "单行文字"
    NUMBER = "number", "数字"
    DATETIME = "datetime", "日期时间"
    TEXT = "text", "多行文字"
    SINGLE = "singlevaluelist", "单选"
    MULTI = "multivaluelist", "多选"


class EventState(models.TextChoices):
    """GB/T 30428: 信息收集 → 立案 → 派遣 → 处置 → 反馈 → 核查 → 结案 → 评价."""
    REPORTED = "reported", "待受理"
    REGISTERED = "registered", "已立案待派遣"
    DISPATCHED = "dispatched", "已派遣待处置"
    HANDLING = "handling", "处置中"
    CHECKING = "checking", "已反馈待核查"
    CLOSED = "closed", "已结案"
    REJECTED = "rejected", "不予立案"
    DUPLICATE = "duplicate", "重复件"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"
