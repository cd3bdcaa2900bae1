"""Loading a county's tree from CSV: the demo district, idempotency, and every kind of bad file."""
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pingan.core.models import AuditEntry
from pingan.geo.models import Node
from pingan.geo.services import LoadError, jurisdictions_load

JIAOQU = Path(__file__).resolve().parents[1] / "data" / "jiaoqu.csv"
HEADER = "code,name,level,parent_code\n"
COUNTY = "140311,郊区,county,140300\n"


@pytest.fixture
def loaded(db):
    return jurisdictions_load(actor=None, data=JIAOQU.read_bytes())


def test_it_loads_the_demo_district_with_its_real_codes(loaded):
    assert loaded.created == 140
    assert Node.objects.filter(level="township").count() == 8
    assert Node.objects.filter(level="village").count() == 101
    assert Node.objects.filter(level="community").count() == 30
    guzhuang = Node.objects.get(code="140311101211")
    assert guzhuang.name == "固庄村委会"
    assert guzhuang.path == "140311/140311101/140311101211/"
    assert guzhuang.parent.name == "河底镇"
    assert guzhuang.depth == 2


def test_loading_the_same_file_twice_changes_nothing(loaded):
    audit_before = AuditEntry.objects.count()
    again = jurisdictions_load(actor=None, data=JIAOQU.read_bytes())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 140)
    assert AuditEntry.objects.count() == audit_before


def test_every_created_node_is_audited(loaded):
    assert AuditEntry.objects.filter(action="jurisdiction.create").count() == 140


def test_a_renamed_node_is_updated_and_audited(loaded):
    text = JIAOQU.read_text(encoding="utf-8").replace("固庄村委会", "固庄村民委员会")
    result = jurisdictions_load(actor=None, data=text)
    assert result.updated == 1
    entry = AuditEntry.objects.filter(action="jurisdiction.update").get()
    assert entry.changes == {"name": ["固庄村委会", "固庄村民委员会"]}


def test_a_gb18030_file_is_read(db):
    data = (HEADER + COUNTY + "140311101,河底镇,township,140311\n").encode("gb18030")
    assert jurisdictions_load(actor=None, data=data).created == 2


def test_parents_may_come_after_children_in_the_file(db):
    data = HEADER + "140311101211,固庄村委会,village,140311101\n140311101,河底镇,township,140311\n" + COUNTY
    assert jurisdictions_load(actor=None, data=data).created == 3


@pytest.mark.parametrize("rows, message", [
    ("140311101211,固庄村委会,village,140311999\n", "上级代码“140311999”在文件和系统中都不存在"),
    ("140311101,河底镇,township,140311\n140311101,河底镇,township,140311\n", "与第 3 行重复"),
    ("140312101,河底镇,township,140311\n", "前缀与上级代码 140311 不符"),
    ("14031110,河底镇,township,140311\n", "长度应为 9 位"),
    ("14031110A,河底镇,township,140311\n", "不是数字代码"),
    ("１４０３１１１０１,河底镇,township,140311\n", "不是数字代码"),
    ("140311101,河底镇,town,140311\n", "层级“town”无效"),
    ("140311101,,township,140311\n", "名称为空"),
    ("140311101211,固庄,village,140311\n", "村不能隶属于县(市、区)"),
])
def test_a_bad_line_is_named_and_nothing_is_loaded(db, rows, message):
    with pytest.raises(LoadError) as caught:
        jurisdictions_load(actor=None, data=HEADER + COUNTY + rows)
    assert any(message in error for error in caught.value.errors), caught.value.errors
    assert Node.objects.count() == 0
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize("data, message", [
    ("", "文件为空"),
    ("code,name,level\n140311,郊区,county\n", "缺少列：parent_code"),
    (HEADER, "没有任何辖区数据行"),
    (b"\xff\xfe\x00\x00garbage\x80\x81", "编码无法识别"),
])
def test_an_empty_or_malformed_file_is_refused(db, data, message):
    with pytest.raises(LoadError) as caught:
        jurisdictions_load(actor=None, data=data)
    assert message in str(caught.value)
    assert Node.objects.count() == 0


def test_the_command_loads_and_reports(db, capsys):
    call_command("load_jurisdictions", str(JIAOQU))
    assert "新增 140" in capsys.readouterr().out
    call_command("load_jurisdictions", str(JIAOQU))
    assert "新增 0，更新 0，未变 140" in capsys.readouterr().out


def test_the_command_fails_with_a_message_and_loads_nothing(db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + COUNTY + "140311101211,固庄村委会,village,140311999\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("load_jurisdictions", str(bad))
    assert "第 3 行" in str(caught.value)
    assert Node.objects.count() == 0


def test_the_command_names_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="无法读取文件"):
        call_command("load_jurisdictions", str(tmp_path / "missing.csv"))


def test_a_county_loaded_alone_moves_under_its_city_when_the_city_arrives(loaded):
    jurisdictions_load(actor=None, data=HEADER + "140000,山西省,province,\n140300,阳泉市,city,140000\n")
    jurisdictions_load(actor=None, data=JIAOQU.read_bytes())
    guzhuang = Node.objects.get(code="140311101211")
    assert guzhuang.path == "140000/140300/140311/140311101/140311101211/"
    assert guzhuang.depth == 4
    assert AuditEntry.objects.filter(action="jurisdiction.move").count() == 1
