"""The annual report's key sentences, one per module, against a small year built by hand on top of conftest's
`year` (hazards, disputes, warnings) — the same sentences the demo's 2017 report writes with the seed's figures
(1,369 hazards at 92.8%, crimes −26.94% / −68.66% …; pingan/core/tests/test_demo_2017.py pins the demo's
figures themselves).

Added here, worked by hand:
crimes     categories 盗窃 (not 八类) and 抢劫 (八类), counts per township and month:
           2016: A 盗窃 30 + 抢劫 5, B 盗窃 20 → 55 total, 5 serious
           2017: A 盗窃 25 + 抢劫 2, B 盗窃 15 → 42 total, 2 serious
           (42 − 55) / 55 = −0.23636 → −0.2364 → 同比下降23.64%; (2 − 5) / 5 = −0.6 → 同比下降60.00%
           per township: A 27 / 35 → −0.22857 → −22.9%, 2 / 5 → −60.0%; B 15 / 20 → −25.0%, 0 / 0 → —
campaigns  “村霸”问题专项整治 of the district 2017-04-01 … 2017-12-31 (and one that ended in 2016: not named);
           one clue of 2017 in A, handed to A's police and closed → 1 / 1 / 1
forces     A: 志愿者队伍 (04, founded 2015) with 3 members joined 2016-05-01, one left 2017-06-30 → 2 at the end
           of 2017, 3 at the end of 2016 (−1/3 → 下降33.3%); B: a patrol team (01) founded 2017-03-01 → 2 teams;
           officers: A since 2016-01-01, B since 2017-05-01 → 2 (2016: 1 → 上升100.0%)
cameras    A 2016-06-01 hd + networked, A 2017-03-01 watched 24h, B 2016-01-01 retired → 2 (2016: 1)
liaison    a point in A's village only → 1 of 2 villages, 50.0%
training   A 2017-04-10 with 3 attendees, B 2016-10-10 with 1 → 1 session (2016: 1 → 持平), 3 人次
people, special people, events, petitions, hall: no records → one sentence each, no table, no headline row
"""
from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from pingan.documents.render import docx_text
from pingan.reports import periods, services

pytestmark = pytest.mark.django_db
d = dt.date

HAZARDS = ("本期累计排查各类风险隐患10件，整治9件，整治率90.0%（排查数同比上升25.0%，整治率同比提高15.0个百分点）；"
           "至期末逾期未整治0件。")
DISPUTES = "本期共排查各类矛盾纠纷4件，调处3件，调处率75.0%（排查数同比上升100.0%）；其中群体性纠纷1件，期末仍在调处1件。"
CRIMES = ("本期刑事案件立案42起（去年同期55起），同比下降23.64%；"
          "其中八类社会危害严重案件立案2起（去年同期5起），同比下降60.00%。")
CAMPAIGNS = ("本期开展专项行动1项：“村霸”问题专项整治（2017年4月1日起）；受理专项行动线索1条，"
             "移交公安或纪检监察机关1条，办结1条。")
FORCES = "至期末，有治安管理员2人（同比上升100.0%），群防群治队伍2支，其中平安志愿者队伍1支，平安志愿者2名（同比下降33.3%）。"
CAMERAS = "至期末，建成视频监控探头2个（同比上升100.0%），其中高清探头1个、联网探头1个、24小时值守探头1个。"
LIAISON = "辖区2个村（社区）中1个设有基层治安联络点，覆盖率50.0%。"
TRAINING = "本期组织基层综治人员培训1场（与去年同期持平），培训3人次。"
EMPTY = ["本期平台中无实有人口记录。", "本期平台中无特殊人群记录。", "本期平台中无网格事件记录。",
         "本期平台中无信访记录。", "本期平台中无一窗受理记录。"]
SENTENCES = [HAZARDS, DISPUTES, CRIMES, CAMPAIGNS, FORCES, CAMERAS, LIAISON, TRAINING, *EMPTY]


@pytest.fixture
def full_year(year):
    from pingan.campaigns.models import Campaign, Clue
    from pingan.crimes.models import CrimeCategory, CrimeCount
    from pingan.geo.models import LiaisonPoint
    from pingan.security.models import Attendance, Camera, SecurityOfficer, Team, TeamMember, TrainingSession

    theft = CrimeCategory.objects.create(code="t-theft", name="测试盗窃", serious=False, order=901)
    robbery = CrimeCategory.objects.create(code="t-robbery", name="测试抢劫", serious=True, order=902)
    for month, side, category, count in [
        (d(2016, 3, 1), "a", theft, 30), (d(2016, 4, 1), "a", robbery, 5), (d(2016, 5, 1), "b", theft, 20),
        (d(2017, 3, 1), "a", theft, 25), (d(2017, 4, 1), "a", robbery, 2), (d(2017, 5, 1), "b", theft, 15),
    ]:
        CrimeCount.objects.create(month=month, jurisdiction=year.township(side), category=category, count=count)

    county = year.county
    Campaign.objects.create(name="“村霸”问题专项整治", kind="village_bully", start_on=d(2017, 4, 1),
                            end_on=d(2017, 12, 31), jurisdiction=county)
    old = Campaign.objects.create(name="旧的专项行动", kind="other", start_on=d(2015, 1, 1), end_on=d(2016, 12, 31),
                                  jurisdiction=county)
    bully = Campaign.objects.get(kind="village_bully")
    Clue.objects.create(number="XS-A-1", state="closed", campaign=bully, received_on=d(2017, 5, 10), source="public",
                        summary="村干部强揽工程", jurisdiction=year.village("a"),
                        handed_to_department=year.departments["police_a"], handed_on=d(2017, 5, 20),
                        closed_on=d(2017, 8, 1), result="已查处")
    assert old.pk

    volunteers = Team.objects.create(name="固庄村平安志愿服务队", kind="04", founded_on=d(2015, 1, 1),
                                     jurisdiction=year.village("a"))
    for i, left in enumerate([None, None, d(2017, 6, 30)]):
        TeamMember.objects.create(team=volunteers, name=f"志愿者{i}", joined_on=d(2016, 5, 1), left_on=left,
                                  jurisdiction=year.village("a"))
    Team.objects.create(name="矾窑村巡逻队", kind="01", founded_on=d(2017, 3, 1), jurisdiction=year.village("b"))
    SecurityOfficer.objects.create(name="治安员甲", since=d(2016, 1, 1), jurisdiction=year.village("a"))
    SecurityOfficer.objects.create(name="治安员乙", since=d(2017, 5, 1), jurisdiction=year.village("b"))

    Camera.objects.create(code="T-CAM-1", name="村口", hd=True, networked=True, installed_on=d(2016, 6, 1),
                          jurisdiction=year.village("a"))
    Camera.objects.create(code="T-CAM-2", name="村委会", watched_24h=True, installed_on=d(2017, 3, 1),
                          jurisdiction=year.village("a"))
    Camera.objects.create(code="T-CAM-3", name="旧探头", status="retired", installed_on=d(2016, 1, 1),
                          jurisdiction=year.village("b"))

    LiaisonPoint.objects.create(name="固庄村治安联络点", jurisdiction=year.village("a"))

    session = TrainingSession.objects.create(held_on=d(2017, 4, 10), topic="矛盾纠纷排查", audience="grid_worker",
                                             jurisdiction=year.village("a"))
    for i in range(3):
        Attendance.objects.create(session=session, name=f"网格员{i}", jurisdiction=year.village("a"))
    old_session = TrainingSession.objects.create(held_on=d(2016, 10, 10), topic="治安防范", audience="officer",
                                                 jurisdiction=year.village("b"))
    Attendance.objects.create(session=old_session, name="治安员乙", jurisdiction=year.village("b"))
    return year


def annual(world, fmt):
    content, _name = services.report_generate(actor=None, period=periods.parse("annual", "2017"), node=world.county,
                                              fmt=fmt)
    return content


def test_the_annual_docx_writes_each_modules_sentence(full_year):
    content = annual(full_year, "docx")
    text = docx_text(content)
    for sentence in SENTENCES:
        assert sentence in text, sentence
    doc = Document(io.BytesIO(content))
    rows = [[c.text for c in r.cells] for t in doc.tables for r in t.rows]
    # crimes in the headline: the two counts only, 同比 with two decimals
    assert ["刑事案件", "刑事案件立案数", "42", "55", "下降23.64%"] in rows
    assert ["刑事案件", "八类案件立案数", "2", "5", "下降60.00%"] in rows
    assert not any(r[:2] == ["刑事案件", "立案数同比"] for r in rows)
    # crimes per township (立案数, 去年同期, 同比, 八类, 去年同期八类, 八类同比), 荫营镇 first by code
    assert ["荫营镇", "15", "20", "-25.0%", "0", "0", "—"] in rows
    assert ["河底镇", "27", "35", "-22.9%", "2", "5", "-60.0%"] in rows
    assert ["社会治安·治安联络点", "治安联络点覆盖率", "50.0%", "50.0%", "持平"] in rows
    # modules without records: no headline row, no table
    assert not any(r[0] in ("实有人口", "特殊人群", "网格事件", "信访", "一窗受理") for r in rows)
    assert "表　主要指标及同比" in text
    assert "实有人口分乡镇" not in text and "网格事件分乡镇" not in text


def test_the_annual_xlsx_writes_the_same_sentences(full_year):
    wb = load_workbook(io.BytesIO(annual(full_year, "xlsx")))
    cells = [c for row in wb["主要指标"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    for sentence in SENTENCES:
        assert sentence in cells, sentence
    head = [tuple(r[:5]) for r in wb["主要指标"].iter_rows(values_only=True)]
    assert ("刑事案件", "刑事案件立案数", 42, 55, "下降23.64%") in head
    assert not any(name.endswith("实有人口") or name.endswith("网格事件") for name in wb.sheetnames)
    assert "分乡镇-刑事案件" in wb.sheetnames
