"""The people and special_people ledgers: round trip, every bad cell reported, scope, masking on export."""
import datetime as dt

import pytest

from pingan import ledgers
from pingan.core import personal
from pingan.core.models import AuditEntry
from pingan.people.models import Person, SpecialEnrollment
from pingan.people.testing import make_enrollment, make_id, make_person

pytestmark = pytest.mark.django_db
GRID_A = "140311101211001"
PEOPLE_HEADER = "公民身份号码,姓名,性别,出生日期,民族,人口类型,所属网格,现住地址,户籍地址,联系电话,备注"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(kind, path, user, **kw):
    return ledgers.import_ledger(ledgers.get(kind), path, user=user, **kw)


def export_csv(kind, user, tmp_path, **kw):
    path = tmp_path / f"{kind}-out.csv"
    ledgers.export_ledger(ledgers.get(kind), str(path), user=user, **kw)
    return path.read_text(encoding="utf-8-sig")


def test_people_import_creates_encrypted_people_and_is_idempotent(world, tmp_path):
    a, b = make_id("19800101", sex="1"), make_id("19900202", sex="2")
    text = "\n".join([PEOPLE_HEADER, f"{a},张伟,男,,汉族,户籍人口,{GRID_A},固庄村东街1号,,13812345678,",
                      f"{b},李娜,,1990-02-02,,流动人口,河底镇/固庄村/固庄第一网格,,,,"])
    path = write(tmp_path, "people.csv", text)
    result = run("people", path, world.users["township_a"])
    assert result.ok and result.created == 2, [str(p) for p in result.problems]
    li = Person.objects.get(name="李娜")
    assert li.sex == "2" and li.birth_date == dt.date(1990, 2, 2) and li.person_type == "floating"
    assert personal.decrypt(Person.objects.get(name="张伟").id_cipher) == a
    assert a not in str(list(AuditEntry.objects.filter(action="person.import").values_list("changes", flat=True)))
    again = run("people", path, world.users["township_a"])
    assert again.ok and again.created == 0 and again.updated == 0 and again.unchanged == 2


def test_people_round_trip_export_then_import_changes_nothing(world, tmp_path):
    make_person(world, "a", name="王芳", phone="13912345678", current_address="固庄村西街2号")
    out = export_csv("people", world.users["township_a"], tmp_path, full=True, reason="核对人口信息")
    assert "王芳" in out and "13912345678" in out  # the township may reveal, and asked for full numbers
    path = write(tmp_path, "back.csv", out)
    result = run("people", path, world.users["township_a"])
    assert result.ok and result.unchanged == 1 and result.updated == 0


def test_export_masks_ids_for_roles_that_may_not_reveal(world, tmp_path, settings):
    id_number = make_id()
    person = make_person(world, "a", id_number=id_number, phone="13912345678")
    from pingan.accounts import permissions
    permissions.CAPABILITIES["people.import"].add("grid_worker")
    try:
        out = export_csv("people", world.users["grid_a"], tmp_path)
    finally:
        permissions.CAPABILITIES["people.import"].discard("grid_worker")
    assert person.id_masked in out and id_number not in out and "139****5678" in out


def test_a_10000_row_file_reports_every_bad_cell_and_writes_nothing(world, tmp_path):
    rows = [PEOPLE_HEADER]
    bad_rows = 0
    for i in range(10_000):
        id_number = make_id(f"19{50 + i % 40:02d}0{1 + i % 9}1{i % 9}", sex="1") if i % 3 else make_id("19700101", sex="2")
        if i % 1000 == 7:
            rows.append(f"{id_number[:17]}{'0' if id_number[17] != '0' else '1'},错{i},,,,户籍人口,{GRID_A},,,,")
            bad_rows += 1
        elif i % 1000 == 8:
            rows.append(f"{make_id('19800101', sex='1')},错{i},,,,户籍人口,{GRID_A},,,12345,")
            bad_rows += 1
        elif i % 1000 == 9:
            rows.append(f"{make_id('19800101', sex='1')},错{i},女,,,户籍人口,{GRID_A},,,,")
            bad_rows += 1
        else:
            rows.append(f"{id_number},人{i},,,,户籍人口,{GRID_A},,,,")
    path = write(tmp_path, "big.csv", "\n".join(rows))
    result = run("people", path, world.users["township_a"])
    assert not result.ok and not result.written
    messages = [str(p) for p in result.problems]
    assert result.invalid >= bad_rows
    assert any("校验码错误" in m for m in messages)
    assert any("“性别”列" in m and "不符" in m for m in messages)
    assert any("“联系电话”列" in m for m in messages)
    assert any("重复" in m for m in messages)  # the same ID twice in one file
    assert Person.objects.count() == 0


@pytest.mark.parametrize("line, fragment", [
    (f"{make_id('19990101')[:6]}19990231123X,甲,,,,户籍人口,{GRID_A},,,,", "不是真实的日期"),
    (f"140311750310121,乙,男,,,户籍人口,140311100206001,,,,", "不在您的管辖范围内"),
    (f"{make_id()},丙,,,,外星人口,{GRID_A},,,,", "不是可选的值"),
    (f",丁,,,,境外人员,{GRID_A},,,,", "证件类型和证件号码"),
    (f"{make_id()},,,,,户籍人口,{GRID_A},,,,", "必填"),
])
def test_bad_people_cells_are_reported_in_chinese(world, tmp_path, line, fragment):
    path = write(tmp_path, "bad.csv", PEOPLE_HEADER + "\n" + line)
    result = run("people", path, world.users["township_a"])
    assert not result.ok and any(fragment in str(p) for p in result.problems), [str(p) for p in result.problems]
    assert Person.objects.count() == 0


SPECIAL_HEADER = "公民身份号码,姓名,人群类型,列管日期,风险等级,管控帮扶措施,责任人,责任人电话,所属网格,解除列管日期"


def test_special_people_import_creates_missing_people_and_round_trips(world, tmp_path):
    known = make_person(world, "a", name="已登记")
    new_id = make_id("19700505", sex="1")
    text = "\n".join([SPECIAL_HEADER,
                      f"{personal.decrypt(known.id_cipher)},已登记,严重精神障碍患者,2024-01-01,3级,按时服药,刘芳,13800000000,{GRID_A},",
                      f"{new_id},新人员,吸毒人员,2024-02-01,高,,,,{GRID_A},"])
    path = write(tmp_path, "special.csv", text)
    result = run("special_people", path, world.users["township_a"])
    assert result.ok and result.created == 2, [str(p) for p in result.problems]
    created = Person.objects.get(name="新人员")
    assert created.person_type == "registered" and created.birth_date == dt.date(1970, 5, 5)
    mental = SpecialEnrollment.objects.get(kind="mental")
    assert mental.risk_level == "3" and mental.next_visit_on is not None
    out = export_csv("special_people", world.users["township_a"], tmp_path, full=True, reason="核对特殊人群")
    assert "3级" in out and "严重精神障碍患者" in out
    again = run("special_people", write(tmp_path, "back.csv", out), world.users["township_a"])
    assert again.ok and again.unchanged == 2 and again.updated == 0


@pytest.mark.parametrize("kind, level, fragment", [("严重精神障碍患者", "6级", "0–5 级"), ("吸毒人员", "3级", "高、中、低")])
def test_special_people_bad_risk_levels(world, tmp_path, kind, level, fragment):
    path = write(tmp_path, "bad.csv", SPECIAL_HEADER + f"\n{make_id()},某,{kind},2024-01-01,{level},,,,{GRID_A},")
    result = run("special_people", path, world.users["township_a"])
    assert not result.ok and any(fragment in str(p) for p in result.problems)
    assert SpecialEnrollment.objects.count() == 0 and Person.objects.count() == 0


def test_special_people_refuses_another_townships_person(world, tmp_path):
    other = make_person(world, "b", name="荫营人员")
    path = write(tmp_path, "other.csv", SPECIAL_HEADER +
                 f"\n{personal.decrypt(other.id_cipher)},荫营人员,吸毒人员,2024-01-01,高,,,,{GRID_A},")
    result = run("special_people", path, world.users["township_a"])
    assert not result.ok and any("管辖范围以外" in str(p) for p in result.problems)
    assert SpecialEnrollment.objects.count() == 0


def test_health_kinds_are_not_exported_to_roles_without_health_permission(world, tmp_path):
    make_enrollment(world, "a")
    from pingan.accounts import permissions
    permissions.CAPABILITIES["people.import"].add("mediator")
    try:
        out = export_csv("special_people", world.users["mediator_a"], tmp_path)
    finally:
        permissions.CAPABILITIES["people.import"].discard("mediator")
    assert "严重精神障碍患者" not in out
