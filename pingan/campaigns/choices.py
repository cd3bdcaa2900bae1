"""Code tables of the special campaigns (专项行动) and their clues (线索)."""
from django.conf import settings
from django.db import models


class CampaignKind(models.TextChoices):
    CRIME_AND_EVIL = "crime_evil", "扫黑除恶"
    VILLAGE_BULLY = "village_bully", "村霸整治"
    KEY_AREA = "key_area", "重点区域整治"
    KEY_FIELD = "key_field", "重点领域整治"
    OTHER = "other", "其他"


class CampaignStatus(models.TextChoices):
    ONGOING = "ongoing", "进行中"
    ENDED = "ended", "已结束"


class ClueSource(models.TextChoices):
    PUBLIC_REPORT = "public", "群众举报"
    GRID_SCREENING = "grid", "网格员排查"
    DEPARTMENT_REFERRAL = "referral", "部门移送"
    OTHER = "other", "其他"


class ClueState(models.TextChoices):
    RECEIVED = "received", "已受理"
    VERIFYING = "verifying", "核查中"
    HANDED_POLICE = "handed_police", "已移交公安"
    HANDED_DISCIPLINE = "handed_discipline", "已移交纪检监察"
    CLOSED = "closed", "已办结"
    UNFOUNDED = "unfounded", "查否"


# Department categories (accounts.Department.category) of the two receiving units.
POLICE = "公安"
DISCIPLINE = "纪检监察"

# Deadlines. Verification: 15 working days from receipt (the clock runs on from 已受理 into 核查中), the time
# limit local 扫黑除恶 clue-handling rules commonly set for 核查; a handed-over clue: 30 natural days for the
# receiving unit's result. Local practice differs, so both are settings (PINGAN_CLUE_VERIFY_WORKING_DAYS,
# PINGAN_CLUE_HANDOVER_DAYS); 延期 and 督办 come from the case layer.
VERIFY_WORKING_DAYS = int(getattr(settings, "PINGAN_CLUE_VERIFY_WORKING_DAYS", 15))
HANDOVER_DAYS = int(getattr(settings, "PINGAN_CLUE_HANDOVER_DAYS", 30))
