"""The ledger pages: upload → preview with every error → confirm; template; export; limits and scope."""
from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pingan.core import ledger_views
from pingan.core.models import AuditEntry
from pingan.hazards.models import Hazard
from pingan.hazards.tests.test_ledger import HEADERS, row

pytestmark = pytest.mark.django_db


def csv_upload(rows, name="h.csv", headers=HEADERS):
    lines = [",".join(headers)] + [",".join(r) for r in rows]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode("utf-8"), content_type="text/csv")


def test_the_index_lists_the_hazards_ledger_with_template_and_export(world, login):
    response = login(world.officer("a")).get(reverse("core:ledgers"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "风险隐患" in body and "下载空白模板" in body and "上传并检查" in body


def test_the_blank_template_has_the_headers_and_a_notes_sheet(world, login):
    response = login(world.officer("a")).get(reverse("core:ledger_template") + "?kind=hazards")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [c.value for c in book.worksheets[0][1]] == HEADERS
    assert book.worksheets[1].title == "填写说明"


def test_upload_previews_then_confirm_writes(world, login):
    client = login(world.officer("a"))
    response = client.post(reverse("core:ledger_upload"), {"kind": "hazards", "file": csv_upload([row()])})
    assert response.status_code == 200
    assert Hazard.objects.count() == 0
    token = response.context["token"]
    assert "确认导入" in response.content.decode()
    response = client.post(reverse("core:ledger_confirm"), {"token": token})
    assert response.status_code == 200
    assert Hazard.objects.get().number == "YH-001"
    assert AuditEntry.objects.filter(action="hazard.import", actor=world.officer("a")).count() == 1
    # The token is spent: confirming again writes nothing and says so.
    response = client.post(reverse("core:ledger_confirm"), {"token": token}, follow=True)
    assert "已失效" in response.content.decode()
    assert Hazard.objects.count() == 1


def test_preview_shows_every_error_and_confirm_with_skip_invalid_offers_an_errors_workbook(world, login):
    client = login(world.officer("a"))
    rows = [row(), row(number="YH-002", screened="2017-02-30"), row(number="YH-003", place="荫营镇/矾窑村")]
    response = client.post(reverse("core:ledger_upload"), {"kind": "hazards", "file": csv_upload(rows)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "日期不存在" in body and "不在您的管辖范围内" in body
    assert Hazard.objects.count() == 0
    response = client.post(reverse("core:ledger_confirm"), {"token": response.context["token"], "skip_invalid": "1"})
    assert response.status_code == 200
    assert list(Hazard.objects.values_list("number", flat=True)) == ["YH-001"]
    errors = client.get(reverse("core:ledger_errors") + f"?token={response.context['errors_token']}")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(errors.streaming_content))).active
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
def test_bad_files_answer_400_in_chinese_and_write_nothing(world, login, name, content, message):
    client = login(world.officer("a"))
    response = client.post(reverse("core:ledger_upload"),
                           {"kind": "hazards", "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Hazard.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(world, login, monkeypatch):
    monkeypatch.setattr(ledger_views, "MAX_UPLOAD_BYTES", 1024)
    client = login(world.officer("a"))
    big = csv_upload([row(number=f"YH-{i:04d}") for i in range(40)])
    response = client.post(reverse("core:ledger_upload"), {"kind": "hazards", "file": big})
    assert response.status_code == 413
    assert "文件太大" in response.content.decode()
    assert Hazard.objects.count() == 0


def test_an_unknown_ledger_kind_is_a_400(world, login):
    client = login(world.officer("a"))
    response = client.post(reverse("core:ledger_upload"), {"kind": "nope", "file": csv_upload([row()])})
    assert response.status_code == 400 and "没有名为" in response.content.decode()
    assert login(world.officer("a")).get(reverse("core:ledger_export") + "?kind=nope").status_code == 400


def test_roles_without_the_capability_are_refused(world, login):
    assert login(world.users["grid_a"]).get(reverse("core:ledgers")).status_code == 403
    response = login(world.users["leader"]).post(reverse("core:ledger_upload"),
                                                 {"kind": "hazards", "file": csv_upload([row()])})
    assert response.status_code == 403
    assert login(world.users["auditor"]).get(reverse("core:ledger_export") + "?kind=hazards").status_code == 403


def test_export_holds_only_the_users_township_and_is_audited(world, login, tmp_path):
    from pingan.core import ledgers

    path = tmp_path / "h.csv"
    path.write_bytes(csv_upload([row(), row(number="YH-B", place="荫营镇/矾窑村")]).read())
    ledgers.import_ledger(ledgers.get("hazards"), str(path), user=world.users["district_admin"])
    response = login(world.officer("b")).get(reverse("core:ledger_export") + "?kind=hazards")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [r[0] for r in list(sheet.values)[1:]] == ["YH-B"]
    assert AuditEntry.objects.filter(action="ledger.export", actor=world.officer("b")).exists()
    # Another township's code answers 404.
    url = reverse("core:ledger_export") + f"?kind=hazards&jurisdiction={world.township('a').code}"
    assert login(world.officer("b")).get(url).status_code == 404
    csv_response = login(world.officer("b")).get(reverse("core:ledger_export") + "?kind=hazards&format=csv")
    assert b"".join(csv_response.streaming_content).decode("utf-8-sig").splitlines()[0] == ",".join(HEADERS)
