"""The ledger framework on its own: cleaning, places, readers, and a spec over geo.LiaisonPoint with a
two-column key (so the framework is proven apart from any case kind)."""
from __future__ import annotations

import datetime as dt

import pytest

from pingan import ledgers
from pingan.ledgers import (
    CellError, ChoiceColumn, IntegerColumn, LedgerSpec, PlaceColumn, TextColumn, clean_text, parse_date, parse_int,
)
from pingan.ledgers.places import PlaceIndex, name_key
from pingan.ledgers.registry import unregister
from pingan.core.models import AuditEntry
from pingan.geo.models import LiaisonPoint, Node


@pytest.mark.parametrize("raw,expected", [
    ("2017-03-05", dt.date(2017, 3, 5)), ("2017/3/5", dt.date(2017, 3, 5)), ("2017.3.5", dt.date(2017, 3, 5)),
    ("2017年3月5日", dt.date(2017, 3, 5)), ("2017年03月05", dt.date(2017, 3, 5)), ("20170305", dt.date(2017, 3, 5)),
    ("２０１７－０３－０５", dt.date(2017, 3, 5)), (" 2017-03-05 00:00:00 ", dt.date(2017, 3, 5)),
    (42799, dt.date(2017, 3, 5)), (42799.0, dt.date(2017, 3, 5)), ("42799", dt.date(2017, 3, 5)),
    (dt.datetime(2017, 3, 5, 8, 30), dt.date(2017, 3, 5)), (dt.date(2017, 3, 5), dt.date(2017, 3, 5)),
    (None, None), ("", None), ("  ", None),
])
def test_dates_are_read_in_every_office_form(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw,reason", [
    ("2017-02-30", "日期不存在"), ("2017-13-01", "日期不存在"), ("三月五日", "无法识别"), ("2017-3", "无法识别"),
    (0, "Excel 日期序号"), (-5, "Excel 日期序号"), ("2017年2月29日", "日期不存在"),
])
def test_bad_dates_raise_a_chinese_reason(raw, reason):
    with pytest.raises(CellError) as exc:
        parse_date(raw)
    assert reason in exc.value.reason


def test_text_is_made_half_width_and_trimmed():
    assert clean_text("　ＡＢＣ（１２３）　 x ") == "ABC(123) x"
    assert clean_text(12.0) == "12" and clean_text(None) == "" and clean_text(True) == "是"
    assert clean_text("a\u200bb") == "ab"
    assert parse_int("１,２３４") == 1234 and parse_int(3.0) == 3
    with pytest.raises(CellError):
        parse_int("3.5")
    with pytest.raises(CellError):
        parse_int("三")


def test_village_names_normalise_their_suffixes():
    assert name_key("固庄村委会") == "固庄村" == name_key("固庄村") == name_key("固庄村民委员会")
    assert name_key("桃坡社区居委会") == "桃坡社区"


@pytest.mark.django_db
def test_places_resolve_by_code_path_or_unique_name(world):
    index = PlaceIndex.load(world.users["district_admin"])
    levels = ("village", "community", "grid")
    village, grid = world.village("a"), world.grid("a")
    assert index.resolve("140311101211", levels).id == village.id
    assert index.resolve(grid.code, levels).id == grid.id
    assert index.resolve("河底镇/固庄村委会", levels).id == village.id
    assert index.resolve("河底镇 / 固庄村", levels).id == village.id
    assert index.resolve("郊区/河底镇/固庄村", levels).id == village.id
    assert index.resolve("固庄村", levels).id == village.id
    assert index.display_path(index.by_id[village.id]) == "河底镇/固庄村委会"
    for bad, reason in [("荫营镇/固庄村", "找不到"), ("140311101", "不是"), ("999999999999", "不存在")]:
        with pytest.raises(CellError) as exc:
            index.resolve(bad, levels)
        assert reason in exc.value.reason


class LiaisonLedger(LedgerSpec):
    kind = "test_liaison"
    label = "治安联络点"
    model = LiaisonPoint
    audit_action = "liaison_point.import"
    columns = [
        PlaceColumn("所属村(社区)", "jurisdiction_id", key=True, levels=("village", "community")),
        TextColumn("名称", "name", key=True, max_length=100),
        TextColumn("联络员", "contact_name", max_length=50),
        ChoiceColumn("类型", None, choices=[("a", "固定"), ("b", "流动")]),
        IntegerColumn("人数", None, min_value=1),
    ]


@pytest.fixture
def liaison_spec():
    ledgers.register(LiaisonLedger)
    yield ledgers.get("test_liaison")
    unregister("test_liaison")


def csv_file(tmp_path, text, name="l.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.django_db
def test_a_generic_spec_with_a_two_column_key_upserts_and_audits(world, liaison_spec, tmp_path):
    admin = world.users["district_admin"]
    text = "所属村(社区),名称,联络员,类型,人数\n河底镇/固庄村,一号点,王五,固定,3\n荫营镇/矾窑村,一号点,赵六,流动,2\n"
    result = ledgers.import_ledger(liaison_spec, csv_file(tmp_path, text), user=admin)
    assert result.ok and result.created == 2
    assert AuditEntry.objects.filter(action="liaison_point.import").count() == 2
    text2 = text.replace("王五", "王小五")
    result = ledgers.import_ledger(liaison_spec, csv_file(tmp_path, text2, "b.csv"), user=admin)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    point = LiaisonPoint.objects.get(jurisdiction=world.village("a"))
    assert point.contact_name == "王小五"
    entry = AuditEntry.objects.filter(action="liaison_point.import", object_id=str(point.pk)).order_by("-id").first()
    assert entry.changes == {"contact_name": ["王五", "王小五"]}


@pytest.mark.django_db
def test_absent_optional_columns_leave_existing_values_alone(world, liaison_spec, tmp_path):
    admin = world.users["district_admin"]
    ledgers.import_ledger(liaison_spec, csv_file(tmp_path, "所属村(社区),名称,联络员\n固庄村,一号点,王五\n"), user=admin)
    result = ledgers.import_ledger(liaison_spec, csv_file(tmp_path, "所属村(社区),名称\n固庄村,一号点\n", "b.csv"),
                                   user=admin)
    assert result.unchanged == 1 and LiaisonPoint.objects.get().contact_name == "王五"


@pytest.mark.django_db
def test_column_types_report_their_own_reasons(world, liaison_spec, tmp_path):
    text = "所属村(社区),名称,联络员,类型,人数\n固庄村,,王五,临时,0\n固庄村,二号点,王五,固定,两个\n"
    result = ledgers.import_ledger(liaison_spec, csv_file(tmp_path, text), user=world.users["district_admin"])
    reasons = {(p.row, p.header): p.reason for p in result.problems}
    assert reasons[(2, "名称")] == "必填，不能为空"
    assert "不是可选的值" in reasons[(2, "类型")] and "固定" in reasons[(2, "类型")]
    assert reasons[(2, "人数")] == "不能小于 1"
    assert reasons[(3, "人数")] == "应为整数"
    assert LiaisonPoint.objects.count() == 0


@pytest.mark.django_db
def test_repeated_headers_and_roles_without_the_capability_are_refused(world, liaison_spec, tmp_path):
    result = ledgers.import_ledger(liaison_spec, csv_file(tmp_path, "名称,名称,所属村(社区)\na,b,固庄村\n"),
                                   user=world.users["district_admin"])
    assert "重复出现" in result.file_error
    from django.core.exceptions import PermissionDenied
    with pytest.raises(PermissionDenied):
        ledgers.import_ledger(liaison_spec, csv_file(tmp_path, "名称\na\n"), user=world.users["grid_a"])


def test_unknown_kinds_list_the_known_ones():
    with pytest.raises(ledgers.UnknownLedger) as exc:
        ledgers.get("nope")
    assert "hazards" in str(exc.value)


@pytest.mark.django_db
def test_a_node_tree_with_two_same_named_villages_needs_the_township(world):
    township = world.township("b")
    Node.objects.create(code="140311100299", name="固庄村委会", level="village", parent=township,
                        parent_code=township.code, path=township.path + "140311100299/", depth=township.depth + 1)
    index = PlaceIndex.load(world.users["district_admin"])
    with pytest.raises(CellError) as exc:
        index.resolve("固庄村", ("village",))
    assert "名称不唯一" in exc.value.reason and "河底镇/固庄村委会" in exc.value.reason
    assert index.resolve("荫营镇/固庄村", ("village",)).code == "140311100299"
