"""The ledger pages as background jobs: upload → check job (preview with every error) → confirm → import job;
template; export job; limits and scope. The worker is run in the test's process (jobs.testing.run_queued_jobs)."""
from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pingan.core.models import AuditEntry
from pingan.hazards.models import Hazard
from pingan.hazards.tests.test_ledger import HEADERS, row
from pingan.jobs.models import Job
from pingan.jobs.testing import run_queued_jobs

pytestmark = pytest.mark.django_db


def csv_upload(rows, name="h.csv", headers=HEADERS):
    lines = [",".join(headers)] + [",".join(r) for r in rows]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode("utf-8"), content_type="text/csv")


def job_of(response) -> Job:
    assert response.status_code == 302, response.content.decode()[:500]
    return Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def download(client, job, which="result") -> bytes:
    response = client.get(reverse("jobs:download", args=[job.pk]), {"file": which})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_index_lists_the_hazards_ledger_with_template_and_export(world, login):
    response = login(world.officer("a")).get(reverse("ledgers:index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "风险隐患" in body and "下载空白模板" in body and "上传并检查" in body and "我的后台任务" in body


def test_the_blank_template_has_the_headers_and_a_notes_sheet(world, login):
    response = login(world.officer("a")).get(reverse("ledgers:template") + "?kind=hazards")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [c.value for c in book.worksheets[0][1]] == HEADERS
    assert book.worksheets[1].title == "填写说明"


def test_upload_queues_a_check_then_confirm_queues_the_import_that_writes(world, login):
    client = login(world.officer("a"))
    check = job_of(client.post(reverse("ledgers:upload"), {"kind": "hazards", "file": csv_upload([row()])}))
    assert check.kind == "ledger_check" and check.status == "queued"
    page = client.get(reverse("jobs:detail", args=[check.pk])).content.decode()
    assert "<progress" in page and "jobs/progress.js" in page and "<script>" not in page
    run_queued_jobs()
    assert Hazard.objects.count() == 0  # the check writes nothing
    page = client.get(reverse("jobs:detail", args=[check.pk]))
    assert "确认导入（新增 1，更新 0）" in page.content.decode()
    imported = job_of(client.post(reverse("ledgers:confirm"), {"job": check.pk}))
    run_queued_jobs()
    imported.refresh_from_db()
    assert imported.status == "succeeded" and imported.result["created"] == 1
    assert Hazard.objects.get().number == "YH-001"
    assert AuditEntry.objects.filter(action="hazard.import", actor=world.officer("a")).count() == 1
    # The upload is spent: confirming again writes nothing and says so.
    response = client.post(reverse("ledgers:confirm"), {"job": check.pk}, follow=True)
    assert "已失效" in response.content.decode()
    assert Hazard.objects.count() == 1


def test_the_check_shows_every_error_and_skip_invalid_offers_an_errors_workbook(world, login):
    client = login(world.officer("a"))
    rows = [row(), row(number="YH-002", screened="2017-02-30"), row(number="YH-003", place="荫营镇/矾窑村")]
    check = job_of(client.post(reverse("ledgers:upload"), {"kind": "hazards", "file": csv_upload(rows)}))
    run_queued_jobs()
    body = client.get(reverse("jobs:detail", args=[check.pk])).content.decode()
    assert "日期不存在" in body and "不在您的管辖范围内" in body and "只导入正确的 1 行" in body
    assert Hazard.objects.count() == 0
    imported = job_of(client.post(reverse("ledgers:confirm"), {"job": check.pk, "skip_invalid": "1"}))
    run_queued_jobs()
    assert list(Hazard.objects.values_list("number", flat=True)) == ["YH-001"]
    sheet = openpyxl.load_workbook(io.BytesIO(download(client, Job.objects.get(pk=imported.pk), "errors"))).active
    values = list(sheet.values)
    assert values[0][len(HEADERS)] == "错误原因"
    assert [r[0] for r in values[1:]] == ["YH-002", "YH-003"]


@pytest.mark.parametrize("name,content,message", [
    ("h.xlsx", b"this is not a spreadsheet", "不是有效的 Excel"),
    ("h.xlsx", b"PK\x03\x04broken zip", "已损坏"),
    ("h.csv", b"", "文件是空的"),
    ("h.txt", b"a,b", "只能导入 .xlsx 或 .csv"),
    ("h.xls", b"\xd0\xcf\x11\xe0", "另存为 .xlsx"),
])
def test_plainly_bad_files_answer_400_in_chinese_at_once_and_queue_nothing(world, login, name, content, message):
    client = login(world.officer("a"))
    response = client.post(reverse("ledgers:upload"),
                           {"kind": "hazards", "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Job.objects.count() == 0 and Hazard.objects.count() == 0


def test_a_file_whose_columns_are_wrong_fails_its_check_job_with_a_chinese_message(world, login):
    client = login(world.officer("a"))
    check = job_of(client.post(reverse("ledgers:upload"),
                               {"kind": "hazards", "file": csv_upload([["x"]], headers=["编号"])}))
    run_queued_jobs()
    check.refresh_from_db()
    assert check.status == "failed" and "缺少必填列" in check.message
    assert "确认导入" not in client.get(reverse("jobs:detail", args=[check.pk])).content.decode()


def test_a_file_over_the_size_limit_is_refused_with_413(world, login, settings):
    settings.PINGAN_UPLOAD_MAX_MB = 1
    client = login(world.officer("a"))
    big = SimpleUploadedFile("h.csv", b"x" * (1024 * 1024 + 1), content_type="text/csv")
    response = client.post(reverse("ledgers:upload"), {"kind": "hazards", "file": big})
    assert response.status_code == 413
    assert "文件太大（1.0 MB），网页导入最多 1 MB；请拆分文件" in response.content.decode()
    assert Job.objects.count() == 0


def test_an_upload_declaring_a_huge_body_is_refused_before_it_is_read(world, login, settings):
    settings.PINGAN_UPLOAD_MAX_MB = 1
    client = login(world.officer("a"))
    response = client.post(reverse("ledgers:upload"), {"kind": "hazards", "file": csv_upload([row()])},
                           CONTENT_LENGTH=str(50 * 1024 * 1024))
    assert response.status_code == 413 and "文件太大" in response.content.decode()
    assert Job.objects.count() == 0


def test_an_unknown_ledger_kind_is_a_400(world, login):
    client = login(world.officer("a"))
    response = client.post(reverse("ledgers:upload"), {"kind": "nope", "file": csv_upload([row()])})
    assert response.status_code == 400 and "没有名为" in response.content.decode()
    assert client.get(reverse("ledgers:export") + "?kind=nope").status_code == 400
    assert client.post(reverse("ledgers:export"), {"kind": "nope"}).status_code == 400


def test_roles_without_the_capability_are_refused(world, login):
    assert login(world.users["grid_a"]).get(reverse("ledgers:index")).status_code == 403
    response = login(world.users["leader"]).post(reverse("ledgers:upload"),
                                                 {"kind": "hazards", "file": csv_upload([row()])})
    assert response.status_code == 403
    assert login(world.users["auditor"]).get(reverse("ledgers:export") + "?kind=hazards").status_code == 403
    assert login(world.users["auditor"]).post(reverse("ledgers:export"), {"kind": "hazards"}).status_code == 403
    assert Job.objects.count() == 0


def test_export_holds_only_the_users_township_and_is_audited(world, login, tmp_path):
    from pingan import ledgers

    path = tmp_path / "h.csv"
    path.write_bytes(csv_upload([row(), row(number="YH-B", place="荫营镇/矾窑村")]).read())
    ledgers.import_ledger(ledgers.get("hazards"), str(path), user=world.users["district_admin"])
    client = login(world.officer("b"))
    job = job_of(client.post(reverse("ledgers:export"), {"kind": "hazards"}))
    run_queued_jobs()
    sheet = openpyxl.load_workbook(io.BytesIO(download(client, job))).active
    assert [r[0] for r in list(sheet.values)[1:]] == ["YH-B"]
    export = AuditEntry.objects.get(action="ledger.export", actor=world.officer("b"))
    assert export.changes["rows"] == 1 and export.changes["ledger"] == "hazards" and export.changes["full"] is False
    assert AuditEntry.objects.filter(action="job.download", actor=world.officer("b"), object_id=str(job.pk)).exists()
    # Another township's code answers 404 and queues nothing.
    response = client.post(reverse("ledgers:export"), {"kind": "hazards", "jurisdiction": world.township("a").code})
    assert response.status_code == 404 and Job.objects.count() == 1
    csv_job = job_of(client.post(reverse("ledgers:export"), {"kind": "hazards", "format": "csv"}))
    run_queued_jobs()
    assert download(client, csv_job).decode("utf-8-sig").splitlines()[0] == ",".join(HEADERS)


def test_the_export_form_offers_full_numbers_only_to_roles_that_may_reveal(world, login):
    page = login(world.users["district_admin"]).get(reverse("ledgers:export"), {"kind": "people"})
    assert page.status_code == 200 and 'name="full"' in page.content.decode()
    page = login(world.users["district_admin"]).get(reverse("ledgers:export"), {"kind": "hazards"})
    assert 'name="full"' not in page.content.decode()
