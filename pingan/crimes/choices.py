"""Crime statistics: the categories of the police statistics list and the two lists of "serious" (八类) cases
(docs/modules/crimes.md, domain.md §5).

The categories themselves are data (`CrimeCategory`, loaded by migration 0002); these constants are the
defaults and the two presets the configuration page applies in one step.
"""
from __future__ import annotations

# (code, name, order) — the police statistics list (公安机关刑事案件统计), then two categories that only the
# 刑法 Art.17 list names and the police list counts under 其他 (贩卖毒品, 投放危险物质): an office that keeps
# them apart records them here; one that does not leaves them empty.
CATEGORIES = (
    ("homicide", "杀人", 10),
    ("injury", "伤害", 20),
    ("rape", "强奸", 30),
    ("robbery", "抢劫", 40),
    ("arson", "放火", 50),
    ("explosion", "爆炸", 60),
    ("kidnapping", "绑架", 70),
    ("hijacking", "劫持", 80),
    ("theft", "盗窃", 90),
    ("fraud", "诈骗", 100),
    ("drug_trafficking", "贩卖毒品", 110),
    ("poisoning", "投放危险物质", 120),
    ("other", "其他", 200),
)

# 八类 by the police statistics (the default): 杀人, 伤害, 强奸, 抢劫, 放火, 爆炸, 绑架, 劫持.
POLICE_SERIOUS = frozenset({"homicide", "injury", "rape", "robbery", "arson", "explosion", "kidnapping",
                            "hijacking"})
# 八类 by 刑法 Art.17 para.2 (故意杀人, 故意伤害致人重伤或者死亡, 强奸, 抢劫, 贩卖毒品, 放火, 爆炸, 投放危险物质),
# mapped onto the categories: 故意杀人 → 杀人; 故意伤害致人重伤或者死亡 → 伤害 (monthly counts do not tell a serious
# injury from a light one, so the whole 伤害 count is taken: the figure is an upper bound); 贩卖毒品 and
# 投放危险物质 → their own categories; 绑架 and 劫持 are not on the Art.17 list.
CRIMINAL_LAW_SERIOUS = frozenset({"homicide", "injury", "rape", "robbery", "drug_trafficking", "arson", "explosion",
                                  "poisoning"})

PRESETS = {
    "police": ("公安统计口径（默认）", POLICE_SERIOUS),
    "criminal_law": ("刑法第十七条口径", CRIMINAL_LAW_SERIOUS),
}

# A count above this for one township, month and category is a typing error, not a statistic.
MAX_COUNT = 100000
