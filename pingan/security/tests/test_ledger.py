"""The cameras ledger: round trip, duplicate ids, points outside the district, bad cells, the command line, and
7,500 rows as a background job (the seed's size)."""
import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from pingan import ledgers
from pingan.core.models import AuditEntry
from pingan.jobs.models import Job
from pingan.jobs.testing import run_queued_jobs
from pingan.security.models import Camera
from pingan.security.testing import make_camera

pytestmark = pytest.mark.django_db
HEADERS = ["探头编号*", "名称*", "所属村(社区)*", "类型", "是否高清", "建设单位", "是否联网", "是否24小时值守", "状态",
           "视频平台编号", "经度", "纬度", "安装日期"]


def row(code="CAM-L-1", name="固庄村口", place="河底镇/固庄村", **cells):
    values = {"类型": "球机", "是否高清": "是", "建设单位": "区综治中心", "是否联网": "是", "是否24小时值守": "否",
              "状态": "在用", "视频平台编号": "34020000001320000001", "经度": "113.551000", "纬度": "37.851000",
              "安装日期": "2017-05-04"}
    values.update(cells)
    return [code, name, place] + [values[h] for h in HEADERS[3:]]


def write_csv(path, rows, headers=HEADERS):
    path.write_text("\n".join(",".join(r) for r in [headers, *rows]) + "\n", encoding="utf-8")
    return path


def spec():
    return ledgers.get("cameras")


def test_an_imported_row_is_stored_field_by_field(world, tmp_path):
    result = ledgers.import_ledger(spec(), str(write_csv(tmp_path / "c.csv", [row()])), user=world.officer("a"))
    assert result.ok and result.created == 1, result.summary()
    camera = Camera.objects.get(code="CAM-L-1")
    assert (camera.name, camera.jurisdiction, camera.camera_type, camera.hd, camera.networked, camera.watched_24h,
            camera.status, str(camera.longitude), str(camera.latitude), camera.installed_on.isoformat()) == (
        "固庄村口", world.village("a"), "ptz", True, True, False, "in_use", "113.551000", "37.851000", "2017-05-04")
    assert AuditEntry.objects.filter(action="camera.import", object_id=str(camera.pk)).count() == 1


def test_the_export_imports_back_unchanged(world, tmp_path):
    make_camera(world, "a", code="CAM-RT-1", owner="区综治中心", stream_id="3402-1")
    make_camera(world, "a", code="CAM-RT-2", hd=False, latitude=None, longitude=None)
    make_camera(world, "a", code="CAM-RT-3", status="faulty", camera_type="dome")
    for fmt in ("csv", "xlsx"):
        path = tmp_path / f"out.{fmt}"
        ledgers.export_ledger(spec(), str(path), user=world.officer("a"), fmt=fmt)
        before = AuditEntry.objects.filter(action="camera.import").count()
        result = ledgers.import_ledger(spec(), str(path), user=world.officer("a"))
        assert (result.ok, result.created, result.updated, result.unchanged) == (True, 0, 0, 3), result.summary()
        assert AuditEntry.objects.filter(action="camera.import").count() == before


def test_a_duplicate_id_in_a_file_fails_the_file_and_writes_nothing(world, tmp_path):
    result = ledgers.import_ledger(spec(), str(write_csv(tmp_path / "d.csv", [row("CAM-9"), row("CAM-9", "重复")])),
                                   user=world.officer("a"))
    assert not result.ok
    assert any("与第 2 行重复" in str(p) for p in result.problems), [str(p) for p in result.problems]
    assert Camera.objects.count() == 0


def test_a_point_outside_the_district_is_an_error(world, tmp_path):
    result = ledgers.import_ledger(spec(), str(write_csv(tmp_path / "o.csv", [
        row("CAM-IN"), row("CAM-OUT", 经度="116.407400", 纬度="39.904200")])), user=world.officer("a"))
    assert not result.ok
    assert [str(p) for p in result.problems if "不在本区范围内" in str(p)] == [
        "第 3 行“经度”列（值：116.407400）：探头位置（纬度 39.904200，经度 116.407400）不在本区范围内"]
    assert Camera.objects.count() == 0


def test_bad_cells_are_each_reported_in_chinese(world, tmp_path):
    result = ledgers.import_ledger(spec(), str(write_csv(tmp_path / "b.csv", [
        row("CAM-1", 类型="红外"), row("CAM-2", 是否高清="也许"), row("CAM-3", 安装日期="2017-02-30"),
        row("CAM-4", 纬度=""), row("CAM 5"), row("CAM-6", place="荫营镇/矾窑村"), row("CAM-7", 经度="东经113")])),
        user=world.officer("a"))
    text = "\n".join(str(p) for p in result.problems)
    for expected in ("第 2 行“类型”列", "第 3 行“是否高清”列", "日期不存在", "经度和纬度须同时填写",
                     "只能包含字母、数字", "不在您的管辖范围内", "应为十进制度数"):
        assert expected in text, text
    assert Camera.objects.count() == 0


def test_the_command_line_exits_non_zero_on_a_bad_file(world, tmp_path):
    path = write_csv(tmp_path / "cli.csv", [row("CAM-C1"), row("CAM-C1")])
    err = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("import_ledger", "cameras", str(path), "--user", "district_admin", stderr=err)
    assert exc.value.code == 1
    assert "重复" in err.getvalue() and Camera.objects.count() == 0


def test_seven_thousand_five_hundred_cameras_import_as_a_background_job(world, login, settings, tmp_path, capsys):
    settings.PINGAN_JOBS_ROOT = tmp_path / "jobs"
    rows = [row(f"14031110121113200{i:05d}"[-20:], f"固庄探头{i}", "140311101211") for i in range(7500)]
    data = ("\n".join(",".join(r) for r in [HEADERS, *rows]) + "\n").encode("utf-8")
    client = login(world.officer("a"))
    started = time.monotonic()
    response = client.post(reverse("ledgers:upload"), {"kind": "cameras", "file": SimpleUploadedFile(
        "cameras.csv", data, content_type="text/csv")})
    assert response.status_code == 302
    run_queued_jobs()
    check = Job.objects.get(kind="ledger_check")
    assert check.status == "succeeded", check.message
    checked = time.monotonic()
    assert client.post(reverse("ledgers:confirm"), {"job": check.pk}).status_code == 302
    run_queued_jobs()
    done = time.monotonic()
    job = Job.objects.get(kind="ledger_import")
    assert (job.status, job.result["created"]) == ("succeeded", 7500), job.message
    assert Camera.objects.count() == 7500
    assert AuditEntry.objects.filter(action="camera.import").count() == 7500
    with capsys.disabled():
        print(f"\n  cameras ledger, 7,500 rows: check job {checked - started:.1f} s, import job {done - checked:.1f} s")
