"""Code tables of the hazard register (GB/T 31000-2015 5.19, 5.60/5.63, plus the district's local types)."""
from django.db import models


class HazardType(models.TextChoices):
    """隐患类型: GB/T 31000 5.19, then the local extension (codes L01–L04, not in the standard)."""

    FIRE = "01", "火灾"
    PUBLIC_ORDER = "02", "治安"
    DISPUTE = "03", "矛盾纠纷"
    HAZARDOUS_CHEMICALS = "04", "危化物品"
    EPIDEMIC = "05", "疾病传染"
    OTHER = "99", "其他"
    LAND_EXPROPRIATION = "L01", "征地拆迁"
    VILLAGE_MINE = "L02", "村矿矛盾"
    WORK_SAFETY = "L03", "安全生产"
    MASS_FINANCE = "L04", "涉众金融"


class RiskLevel(models.TextChoices):
    """风险等级 / 危害程度 (GB/T 31000 5.60/5.63)."""

    HIGH = "01", "高"
    MEDIUM = "02", "中"
    LOW = "03", "低"


class HazardStatus(models.TextChoices):
    """整治状态 (workflow states). Ledger 整治状态: 未整治 → PENDING; 整治中 → RECTIFYING or AWAITING_ACCEPTANCE;
    已整治 → RECTIFIED."""

    PENDING = "pending", "待整治"
    RECTIFYING = "rectifying", "整治中"
    AWAITING_ACCEPTANCE = "awaiting_acceptance", "待验收"
    RECTIFIED = "rectified", "已整治"


# Default 整治期限 in working days from screening, when the register leaves it empty.
DEFAULT_RECTIFY_WORKING_DAYS = {RiskLevel.HIGH: 10, RiskLevel.MEDIUM: 20, RiskLevel.LOW: 30}
# 验收 must happen within this many working days after the rectification is reported.
ACCEPTANCE_WORKING_DAYS = 5
