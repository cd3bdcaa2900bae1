"""The page, the API and the command: who may ask for which report (a township officer of another township or
of the district → 404, a grid worker or mediator → 403), bad input in Chinese, the job and its download for
its owner only, audited."""
from __future__ import annotations

import datetime as dt
import io
import os

import pytest
from django.core.management import call_command
from django.urls import reverse

from pingan.core.models import AuditEntry
from pingan.documents.render import docx_text
from pingan.jobs.models import Job
from pingan.jobs.testing import run_queued_jobs

pytestmark = pytest.mark.django_db
URL = "/reports/"
API = "/api/v1/reports/"


def post(login, user, **values):
    data = {"kind": "annual", "period": "2017", "jurisdiction": "", "format": "docx", **values}
    return login(user).post(URL, data)


def test_the_page_is_in_the_menu_of_those_who_may_generate_and_refused_to_the_others(world, client, login):
    for name in ("center_staff", "leader", "township_a", "district_admin"):
        response = login(world.users[name]).get(URL)
        assert response.status_code == 200, name
        body = response.content.decode()
        assert "平安建设报告" in body and 'name="period"' in body and f'value="{dt.date.today().year - 1}"' in body  # last year
        assert 'href="/reports/"' in body  # nav item
    for name in ("grid_a", "mediator_a", "village_a", "handler_a", "auditor"):
        client.logout()
        assert login(world.users[name]).get(URL).status_code == 403, name
        assert 'href="/reports/"' not in login(world.users[name]).get("/").content.decode()
        assert login(world.users[name]).post(URL, {"kind": "annual", "period": "2017", "format": "docx"}) \
            .status_code == 403
    assert Job.objects.count() == 0


def test_a_request_starts_a_job_whose_file_only_its_owner_downloads(year, client, login):
    officer = year.officer("a")
    response = post(login, officer, jurisdiction="河底")
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", kwargs={"pk": job.pk})
    assert job.kind == "report" and job.owner == officer and job.scope_path == year.township("a").path
    assert job.title == "河底镇2017年平安建设年度报告（Word）"
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    page = login(officer).get(reverse("jobs:detail", kwargs={"pk": job.pk})).content.decode()
    assert "河底镇2017年平安建设年度报告.docx" in page and "平安建设报告" in page
    response = login(officer).get(reverse("jobs:download", kwargs={"pk": job.pk}) + "?file=result")
    assert response.status_code == 200
    text = docx_text(b"".join(response.streaming_content))
    assert "本期累计排查各类风险隐患6件，整治5件，整治率83.3%" in text
    assert AuditEntry.objects.filter(action="report.generate", actor=officer, outcome="success").count() == 1
    assert AuditEntry.objects.filter(action="job.download", actor=officer).count() == 1
    # anyone else: 404, nothing downloaded
    for name in ("township_b", "center_staff", "leader"):
        client.logout()
        assert login(year.users[name]).get(reverse("jobs:download", kwargs={"pk": job.pk})).status_code == 404
    assert AuditEntry.objects.filter(action="job.download").count() == 1


def test_another_townships_or_the_districts_report_is_404_for_a_township_officer(world, login):
    officer = world.officer("a")
    for place in ("荫营镇", "140311100", "郊区", "140311", "矾窑村"):
        response = post(login, officer, jurisdiction=place)
        assert response.status_code == 404, place
        assert "不存在，或不在您的管辖范围内" in response.content.decode()
    assert Job.objects.count() == 0


@pytest.mark.parametrize("values, status, message", [
    ({"kind": "monthly", "period": "2017"}, 400, "与月度报告不符"),
    ({"kind": "quarterly", "period": "2017-Q5"}, 400, "季度无效"),
    ({"kind": "monthly", "period": "2017-13"}, 400, "月份无效"),
    ({"kind": "custom", "period": "2017-12-31~2017-01-01"}, 400, "晚于截止日期"),
    ({"kind": "custom", "period": "2007-01-01~2017-06-30"}, 400, "超过 10 年"),
    ({"kind": "custom", "period": "2017-02-30~2017-03-31"}, 400, "无效"),
    ({"kind": "weekly"}, 400, "报告类型“weekly”无效"),
    ({"period": ""}, 400, "请填写报告期"),
    ({"format": "pdf"}, 400, "报告格式“pdf”无效"),
    ({"jurisdiction": "不存在镇"}, 404, "辖区“不存在镇”不存在"),
    ({"jurisdiction": "x" * 300}, 404, "不存在"),
])
def test_bad_input_is_refused_in_chinese_and_starts_nothing(world, login, values, status, message):
    response = post(login, world.users["center_staff"], **values)
    assert response.status_code == status
    assert message in response.content.decode()
    assert Job.objects.count() == 0


def test_full_width_input_is_read_as_typed(world, login):
    response = post(login, world.users["center_staff"], kind="quarterly", period="２０１７－Ｑ１")
    assert response.status_code == 302
    assert Job.objects.get().parameters["period"] == "2017-Q1"


def test_the_api_starts_the_job_and_gives_its_status_and_file_to_its_owner_only(year, api):
    staff = year.users["center_staff"]
    response = api(staff).post(API, {"kind": "annual", "period": "2017", "format": "xlsx"}, format="json")
    assert response.status_code == 202, response.content
    body = response.json()
    job = Job.objects.get(pk=body["id"])
    assert body["status"] == "queued" and body["title"] == "郊区2017年平安建设年度报告（Excel）"
    run_queued_jobs()
    status = api(staff).get(f"{API}{job.pk}/").json()
    assert status["status"] == "succeeded" and status["file_name"] == "郊区2017年平安建设年度报告.xlsx"
    response = api(staff).get(f"{API}{job.pk}/file/")
    assert response.status_code == 200
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [tuple(r[:5]) for r in wb["主要指标"].iter_rows(values_only=True)]
    assert ("风险隐患", "排查数", 10, 8, "上升25.0%") in rows
    for name in ("leader", "township_a", "district_admin"):
        assert api(year.users[name]).get(f"{API}{job.pk}/").status_code == 404
        assert api(year.users[name]).get(f"{API}{job.pk}/file/").status_code == 404


def test_the_api_refuses_roles_places_and_bad_bodies(world, api):
    assert api(world.users["grid_a"]).post(API, {"kind": "annual", "period": "2017", "format": "docx"},
                                           format="json").status_code == 403
    assert api(world.users["mediator_a"]).post(API, {"kind": "annual", "period": "2017", "format": "docx"},
                                               format="json").status_code == 403
    officer = world.officer("a")
    response = api(officer).post(API, {"kind": "annual", "period": "2017", "format": "docx",
                                       "jurisdiction": "140311"}, format="json")
    assert response.status_code == 404 and "不在您的管辖范围内" in response.json()["detail"]
    response = api(officer).post(API, {"kind": "monthly", "period": "2017", "format": "docx"}, format="json")
    assert response.status_code == 400 and "与月度报告不符" in response.json()["detail"]
    response = api(officer).post(API, {"kind": ["annual"], "period": {"a": 1}, "format": "docx"}, format="json")
    assert response.status_code == 400
    response = api(officer).post(API, [1, 2], format="json")
    assert response.status_code == 400
    assert api().post(API, {"kind": "annual"}, format="json").status_code in (401, 403)
    assert Job.objects.count() == 0


def test_the_command_writes_the_report_and_refuses_bad_input(year, tmp_path, capsys):
    out = tmp_path / "r.docx"
    call_command("report", "--kind", "annual", "--period", "2017", "--format", "docx", "--output", str(out))
    assert "本期累计排查各类风险隐患10件，整治9件，整治率90.0%" in docx_text(out.read_bytes())
    out = tmp_path / "hedi.xlsx"
    call_command("report", "--kind", "annual", "--period", "2017", "--jurisdiction", "140311101",
                 "--output", str(out), "--user", "township_a")
    from openpyxl import load_workbook

    rows = [tuple(r[:5]) for r in load_workbook(out)["主要指标"].iter_rows(values_only=True)]
    assert ("风险隐患", "排查数", 6, 5, "上升20.0%") in rows
    assert AuditEntry.objects.filter(action="report.generate").count() == 2

    bad = [
        (["--kind", "monthly", "--period", "2017"], "与月度报告不符"),
        (["--kind", "annual", "--period", "2017", "--jurisdiction", "999999"], "不存在"),
        (["--kind", "annual", "--period", "2017", "--user", "township_a", "--jurisdiction", "140311100"], "不在您的管辖范围内"),
        (["--kind", "annual", "--period", "2017", "--user", "grid_a"], "不能生成"),
        (["--kind", "annual", "--period", "2017", "--user", "nobody"], "不存在或已停用"),
        (["--kind", "annual", "--period", "2017", "--format", "pdf"], "报告格式“pdf”无效"),
        (["--kind", "annual", "--period", "2017", "--output", "/nonexistent/dir/r.docx"], "无法写入输出文件"),
        (["--kind", "annual", "--period", "2017", "--format", "docx", "--output", str(tmp_path)], "是一个目录"),
    ]
    for args, message in bad:
        if "--output" not in args:
            args = args + ["--output", str(tmp_path / "bad.docx")]
        capsys.readouterr()
        with pytest.raises(SystemExit) as exc:
            call_command("report", *args)
        assert exc.value.code == 2, args
        assert message in capsys.readouterr().err, args
    assert not (tmp_path / "bad.docx").exists()
    assert sorted(os.listdir(tmp_path)) == ["hedi.xlsx", "r.docx"]


def test_the_commands_own_argument_errors_are_in_chinese(world, tmp_path):
    from django.core.management.base import CommandError

    for args, message in [
        (["--period", "2017", "--output", str(tmp_path / "r.docx")], "缺少必填参数：--kind"),
        (["--kind", "annual", "--period", "2017", "--output", str(tmp_path / "r.docx"), "--bogus", "1"],
         "无法识别的参数：--bogus 1"),
    ]:
        with pytest.raises(CommandError) as exc:
            call_command("report", *args)
        assert message in str(exc.value), args
    assert list(tmp_path.iterdir()) == []
