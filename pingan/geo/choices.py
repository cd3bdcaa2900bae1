"""Jurisdiction levels (GB/T 31000 5.2: 04 县区, 05 乡镇街道, 06 村社区; grids below villages)."""
from django.db import models


class Level(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县(市、区)"
    TOWNSHIP = "township", "乡镇(街道)"
    VILLAGE = "village", "村"
    COMMUNITY = "community", "社区"
    GRID = "grid", "网格"


# Depth order; villages and communities share a level.
LEVEL_RANK = {
    Level.PROVINCE: 0,
    Level.CITY: 1,
    Level.COUNTY: 2,
    Level.TOWNSHIP: 3,
    Level.VILLAGE: 4,
    Level.COMMUNITY: 4,
    Level.GRID: 5,
}

# Digits of a statistical code at each level (统计用区划代码; grids add 3 digits to the village code).
CODE_LENGTH = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.VILLAGE: 12,
    Level.COMMUNITY: 12,
    Level.GRID: 15,
}

VILLAGE_LEVELS = (Level.VILLAGE, Level.COMMUNITY)

# Which level may hang under which (a county may sit directly under a province: 省直辖县级行政区).
ALLOWED_PARENTS = {
    Level.CITY: {Level.PROVINCE},
    Level.COUNTY: {Level.CITY, Level.PROVINCE},
    Level.TOWNSHIP: {Level.COUNTY},
    Level.VILLAGE: {Level.TOWNSHIP},
    Level.COMMUNITY: {Level.TOWNSHIP},
    Level.GRID: {Level.VILLAGE, Level.COMMUNITY},
}


def significant(code: str, level: str) -> str:
    """The digits of a code that identify it: province and city codes are often written zero-padded to six
    digits (140000, 140300); their children start with the first 2 or 4 digits only."""
    return code[: CODE_LENGTH[Level(level)]]


def code_length_ok(code: str, level: str) -> bool:
    length = CODE_LENGTH[Level(level)]
    if len(code) == length:
        return True
    return level in (Level.PROVINCE, Level.CITY) and len(code) == 6 and code[length:] == "0" * (6 - length)
