import pytest

from pingan.crimes.testing import put


@pytest.fixture(autouse=True)
def categories(db):
    from pingan.crimes.testing import ensure_categories

    ensure_categories()


@pytest.fixture
def figures(world):
    # 2017: 伤害 15 (a), 盗窃 200 (a) + 143 (b); 2016: 伤害 40 (a), 抢劫 27 (a), 盗窃 300 (a) + 123 (b).
    # Totals 358 ← 490 (−26.9%), 八类 15 ← 67 (−77.6%). 上期 of 2017 is 2016 itself (twelve months before).
    put(world, "a", 2017, 1, "injury", 15)
    put(world, "a", 2017, 6, "theft", 200)
    put(world, "b", 2017, 12, "theft", 143)
    put(world, "a", 2016, 3, "injury", 40)
    put(world, "a", 2016, 7, "robbery", 27)
    put(world, "a", 2016, 5, "theft", 300)
    put(world, "b", 2016, 12, "theft", 123)
