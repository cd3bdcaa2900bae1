"""The repeat matcher on hand-written pairs, and the officer's decision (repeat_mark)."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pingan.core.models import AuditEntry
from pingan.petitions import repeats
from pingan.petitions.testing import make_petition

# (a, b, same matter?) — written by hand: paraphrases of one matter, and other matters of the same topic.
PAIRS = [
    ("固庄村王建国等4户反映，2016年阳五线拓宽征收耕地12亩，补偿款少发6.2万元。",
     "王建国（荫营镇固庄村）称：2016年修阳五线村里12亩地被征，4户共被少发补偿款6.2万元，要求补足。", True),
    ("鑫达建筑公司拖欠李秀英等8名农民工工资3.8万元，工地在锦绣花园小区。",
     "农民工李秀英来电：在锦绣花园小区工地给鑫达建筑公司干活，8个人的工资3.8万元被拖欠。", True),
    ("东村张志刚反映邻居翻建房屋占用其宅基地约23平方米。",
     "张志刚（东村）称邻居盖房越界23平方米，压了自家宅基地，请求重新划定界址。", True),
    ("官沟村因华润煤业井下采煤房屋开裂，刘桂兰等5户要求搬迁安置。",
     "刘桂兰反映华润煤业在官沟村下方开采造成沉陷，5户住房裂缝严重，要求纳入搬迁。", True),
    ("阳光新城小区3号楼电梯停运18天，晋阳物业公司不维修，业主陈海平投诉。",
     "陈海平反映阳光新城小区物业晋阳物业公司管理混乱，3号楼电梯连续18天停运。", True),
    ("平坦村赵玉梅一家4口，2015年申请低保被否决，质疑评议不公。",
     "平坦镇平坦村村民赵玉梅称，2015年申请最低生活保障没有通过，家里4口人，要求重新评议。", True),
    ("固庄村王建国等4户反映，2016年阳五线拓宽征收耕地12亩，补偿款少发6.2万元。",
     "西峪村郭小燕等9户反映，2014年义白路征收耕地47亩，补偿款少发21.7万元。", False),
    ("鑫达建筑公司拖欠李秀英等8名农民工工资3.8万元，工地在锦绣花园小区。",
     "宏盛劳务公司拖欠马福贵等26名农民工工资15.3万元，工地在滨河小区。", False),
    ("东村张志刚反映邻居翻建房屋占用其宅基地约23平方米。",
     "南庄村宋金莲反映邻居建房侵占其宅基地60平方米。", False),
    ("阳光新城小区3号楼电梯停运18天，晋阳物业公司不维修，业主陈海平投诉。",
     "康乐小区12号楼电梯停运46天，恒通物业不维修，业主韩跃进投诉。", False),
    ("平坦村赵玉梅一家4口，2015年申请低保被否决，质疑评议不公。",
     "荫营村吴长生一家7口，2013年申请低保被否决，质疑评议不公。", False),
    ("官沟村因华润煤业井下采煤房屋开裂，刘桂兰等5户要求搬迁安置。",
     "鑫达建筑公司拖欠李秀英等8名农民工工资3.8万元。", False),
]


def test_grams_normalise_full_width_and_drop_boilerplate():
    # NFKC makes "１２" into "12"; 反映/要求 are removed; punctuation splits runs.
    assert repeats.normalise("王某反映：欠款１２万元，要求归还") == "王某|欠款12万元|归还"
    assert repeats.grams("欠款１２万") == {"欠款", "款1", "12", "2万"}
    assert repeats.grams("") == set()


def test_weighted_jaccard_by_hand():
    a, b = {"甲乙", "乙丙", "丙丁"}, {"甲乙", "乙丙", "戊己"}
    assert repeats.weighted_jaccard(a, b) == pytest.approx(2 / 4)
    # Weighted: shared 1 + 1, union 1 + 1 + 3 + 3 = 8.
    assert repeats.weighted_jaccard(a, b, {"甲乙": 1, "乙丙": 1, "丙丁": 3, "戊己": 3}) == pytest.approx(2 / 8)
    assert repeats.weighted_jaccard(set(), b) == 0.0


# The topic's words and the usual phrasings are common in a real register: 240 other petitions told in those
# phrasings give them their weight (the idf) as they have it there.
PHRASINGS = [
    "村民反映征地补偿款少发，耕地被征收，修路时村里地被征，共被少发补偿款，要求补足",
    "农民工来电：在工地给公司干活，个人的工资被拖欠，拖欠农民工工资，工地欠薪",
    "村民称邻居盖房越界，压了自家宅基地，请求重新划定界址，翻建房屋占用其宅基地约平方米",
    "因煤业井下采煤房屋开裂，开采造成沉陷，住房裂缝严重，要求纳入搬迁，搬迁安置",
    "小区物业管理混乱，楼电梯连续停运，物业公司不维修，业主投诉",
    "村民称申请最低生活保障没有通过，家里口人，一家口，申请低保被否决，要求重新评议，质疑评议不公",
]
BACKGROUND = [f"第{i}件：{PHRASINGS[i % len(PHRASINGS)]}" for i in range(240)]


def test_matcher_separates_the_hand_written_pairs():
    index = repeats.Index()
    for i, text in enumerate(BACKGROUND):
        index.add(1000 + i, text)
    ids_of = {}
    for a, b, _same in PAIRS:
        for text in (a, b):
            if text not in ids_of:
                ids_of[text] = len(ids_of) + 1
                index.add(ids_of[text], text)
    for a, b, same in PAIRS:
        ids = [pk for pk, _score in index.query(b, exclude=[ids_of[b]], limit=5)]
        if same:
            assert ids[:1] == [ids_of[a]], b
        else:
            assert ids_of[a] not in ids, b


def test_huge_text_is_cut_not_failed():
    assert len(repeats.normalise("征" * 100000)) == repeats.MAX_TEXT


@pytest.fixture
def _fresh_index():
    repeats.reset_index()
    yield
    repeats.reset_index()


def test_candidates_same_person_and_similar_in_scope(world, _fresh_index):
    officer = world.officer("a")
    first = make_petition(world, "a", content="固庄村王建国反映阳五线征地补偿款少发6.2万元",
                          petitioners=[{"name": "王建国", "phone": "13900001111"}])
    second = make_petition(world, "a", content="王建国称修阳五线占地，6.2万元补偿款没有发",
                           petitioners=[{"name": "王建国", "phone": "13900001111"}])
    other = make_petition(world, "b", content="固庄村王建国反映阳五线征地补偿款少发6.2万元",
                          petitioners=[{"name": "王建国", "phone": "13900001111"}])
    found = repeats.candidates(officer, second)
    assert found["same_person"] == [first]          # township b's is not shown to township a
    assert [p for p, _ in found["similar"]] == []   # the similar one is already listed as the same person
    similar = repeats.similar(officer, "固庄村王建国反映阳五线征地补偿款少发6.2万元", exclude=[first.pk])
    assert other.pk not in [p.pk for p, _ in similar]


def test_repeat_mark_links_audits_and_refuses_bad_input(world, _fresh_index):
    officer = world.officer("a")
    first = make_petition(world, "a", registered_on=dt.date.today() - dt.timedelta(days=5))
    second = make_petition(world, "a")
    marked = repeats.repeat_mark(actor=officer, petition=second, original=first)
    second.refresh_from_db()
    assert (second.repeat_of_id, second.repeat_checked) == (first.pk, True)
    entry = AuditEntry.objects.filter(action="petition.repeat_mark").latest("pk")
    assert entry.detail == f"是重复信访（关联 {first.number}）"
    assert marked.repeat_of == first
    # A third linked to the repeat goes to the first matter.
    third = make_petition(world, "a")
    repeats.repeat_mark(actor=officer, petition=third, original=second)
    third.refresh_from_db()
    assert third.repeat_of_id == first.pk
    # Not a repeat.
    repeats.repeat_mark(actor=officer, petition=third, original=None)
    third.refresh_from_db()
    assert (third.repeat_of_id, third.repeat_checked) == (None, True)
    with pytest.raises(ValidationError, match="自己"):
        repeats.repeat_mark(actor=officer, petition=first, original=first)
    with pytest.raises(ValidationError, match="较晚登记"):
        repeats.repeat_mark(actor=officer, petition=make_petition(world, "a", registered_on=dt.date.today()
                                                                   - dt.timedelta(days=9)), original=third)
    other = make_petition(world, "b")
    with pytest.raises(ValidationError, match="管辖范围"):
        repeats.repeat_mark(actor=officer, petition=third, original=other)
    with pytest.raises(PermissionDenied):
        repeats.repeat_mark(actor=officer, petition=other, original=None)
    with pytest.raises(PermissionDenied):
        repeats.repeat_mark(actor=world.users["leader"], petition=third, original=None)
