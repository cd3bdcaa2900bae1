"""Exports of any list page (pingan.ledgers.lists): the list's filters, scope and data kind; a background job;
masked numbers unless asked in full with a reason by a role that may reveal them; audited. Files are read back
(openpyxl, csv) and compared with values worked out by hand."""
from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from pingan.core.models import AuditEntry
from pingan.hazards.choices import RiskLevel
from pingan.hazards.testing import make_hazard
from pingan.jobs.models import Job
from pingan.jobs.testing import run_queued_jobs

pytestmark = pytest.mark.django_db
URL = "/ledgers/list-export/"


def post(client, list_route, query="", fmt="xlsx", **extra):
    return client.post(URL, {"list": list_route, "query": query, "format": fmt, **extra})


def job_file(client, response) -> bytes:
    """Follow the button: the job's page, run it as the worker would, download its file."""
    assert response.status_code == 302, response.content.decode()[:500]
    match = re.search(r"/jobs/(\d+)/", response["Location"])
    assert match, response["Location"]
    run_queued_jobs()
    job = Job.objects.get(pk=int(match.group(1)))
    assert job.status == Job.Status.SUCCEEDED, job.message
    download = client.get(reverse("jobs:download", args=[job.pk]) + "?file=result")
    assert download.status_code == 200
    return b"".join(download.streaming_content)


def xlsx_rows(content: bytes) -> list[dict]:
    ws = load_workbook(io.BytesIO(content), read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def csv_rows(content: bytes) -> list[dict]:
    assert content.startswith(b"\xef\xbb\xbf"), "csv 须带 UTF-8 BOM，Excel 才能正确打开中文"
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def hazards(world):
    """Township A: 3 high-risk and 2 low-risk hazards; township B: 1 high-risk hazard."""
    high = [make_hazard(world, "a", risk_level=RiskLevel.HIGH, description=f"甲镇高风险隐患{i}") for i in range(3)]
    low = [make_hazard(world, "a", risk_level=RiskLevel.LOW, description=f"甲镇低风险隐患{i}") for i in range(2)]
    other = make_hazard(world, "b", risk_level=RiskLevel.HIGH, description="乙镇高风险隐患")
    return {"high": high, "low": low, "other": other}


def test_a_filtered_hazard_list_exports_exactly_its_three_rows_as_xlsx(world, login, hazards):
    client = login(world.users["township_a"])
    page = client.get("/hazards/?risk_level=01")
    assert "导出 Excel" in page.content.decode() and 'name="query" value="risk_level=01"' in page.content.decode()
    rows = xlsx_rows(job_file(client, post(client, "hazards:list", "risk_level=01")))
    assert sorted(r["编号"] for r in rows) == sorted(h.number for h in hazards["high"])
    assert {r["风险等级"] for r in rows} == {"高"}
    assert hazards["other"].number not in {r["编号"] for r in rows}
    entry = AuditEntry.objects.get(action="hazard.export")
    assert entry.changes["rows"] == 3 and entry.changes["filters"] == {"risk_level": "01"}
    assert entry.changes["list"] == "hazards:list" and entry.changes["full"] is False
    assert AuditEntry.objects.filter(action="job.download").count() == 1


def _body(client, response) -> tuple[int, str]:
    if response.status_code != 302:
        return response.status_code, response.content.decode()
    content = job_file(client, response)
    return 200, content.decode("utf-8-sig")


def test_no_list_export_holds_another_townships_records_and_each_owner_gets_its_own(world, client):
    """Every list export (with the leak factories' records of both townships): township B's officer, grid
    worker and handler get nothing of township A (its name, code, village, the records' markers), and
    township A's officer finds its own records in the exports of their lists (the positive control)."""
    from pingan.core.testing import LEAK_FACTORIES
    from pingan.core.tests.test_leaks import _discover_testing_modules
    from pingan.ledgers import lists

    _discover_testing_modules()
    records = {side: {model: factory(world, side) for model, factory in LEAK_FACTORIES.items()} for side in "ab"}
    markers_a = world.markers("a") + [getattr(obj, "leak_marker", "") for obj in records["a"].values()]
    markers_a = [m for m in markers_a if m]
    entries = lists.all_lists()
    assert len(entries) >= 25
    shown_own = []
    for entry in entries:
        for username in ("township_b", "grid_b", "handler_b", "mediator_b", "auditor", "security_admin"):
            if username == "auditor" and entry.route == "core:audit_log":
                continue  # the audit trail of the whole district is the auditor's to read (and export)
            client.force_login(world.users[username])
            status, body = _body(client, post(client, entry.route, fmt="csv"))
            assert status in (200, 403), (entry.route, username, status, body[:300])
            leaked = [m for m in markers_a if m in body]
            assert not leaked, f"{entry.route} 导出给 {username} 含甲镇的 {leaked}"
        client.force_login(world.users["township_a"])
        status, body = _body(client, post(client, entry.route, fmt="csv"))
        own = records["a"].get(entry.model)
        if status == 200 and own is not None and getattr(own, "leak_marker", "") in body:
            shown_own.append(entry.route)
    # Hand-counted: the lists whose model has a leak factory whose marker sits in an exported column.
    assert {"hazards:list", "disputes:list", "petitions:list", "events:list", "people:person_list",
            "security:cameras_list", "campaigns:list", "alerts:list"} <= set(shown_own), shown_own


def test_the_same_list_as_csv_has_a_bom_and_the_two_low_risk_rows(world, login, hazards):
    client = login(world.users["township_a"])
    rows = csv_rows(job_file(client, post(client, "hazards:list", "risk_level=03&page=2", fmt="csv")))
    assert sorted(r["编号"] for r in rows) == sorted(h.number for h in hazards["low"])
    assert [r["风险等级"] for r in rows] == ["低", "低"]


def test_the_district_gets_both_townships_and_township_b_only_its_own(world, login, hazards):
    client = login(world.users["center_staff"])
    rows = xlsx_rows(job_file(client, post(client, "hazards:list", "risk_level=01")))
    assert len(rows) == 4  # 3 of township A + 1 of township B
    client = login(world.users["township_b"])
    rows = xlsx_rows(job_file(client, post(client, "hazards:list", "")))
    assert [r["编号"] for r in rows] == [hazards["other"].number]


@pytest.fixture
def people(world):
    from pingan.people.testing import make_id, make_person

    id_a = make_id("19800101", side="a", sex="1")
    make_person(world, "a", name="王芳", id_number=id_a, phone="13912345678")
    make_person(world, "b", name="李强", id_number=make_id("19810202", side="b"), phone="13700001111")
    return {"id": id_a, "phone": "13912345678"}


def test_people_are_exported_masked_by_default(world, login, people):
    client = login(world.users["township_a"])
    (row,) = csv_rows(job_file(client, post(client, "people:person_list", "", fmt="csv")))
    assert row["姓名"] == "王芳"
    assert row["公民身份号码"] == people["id"][:4] + "*" * 12 + people["id"][-2:]
    assert row["联系电话"] == "139****5678"
    assert "李强" not in str(row)
    entry = AuditEntry.objects.get(action="person.export")
    assert entry.changes["full"] is False and entry.changes["rows"] == 1 and "已脱敏" in entry.detail


def test_full_numbers_with_the_right_and_a_reason_are_written_and_audited(world, login, people):
    client = login(world.users["township_a"])
    response = post(client, "people:person_list", "", fmt="csv", full="1", reason="核对低保名单")
    (row,) = csv_rows(job_file(client, response))
    assert row["公民身份号码"] == people["id"] and row["联系电话"] == "13912345678"
    entry = AuditEntry.objects.get(action="person.export")
    assert entry.changes["full"] is True and entry.changes["reason"] == "核对低保名单"
    assert "事由：核对低保名单" in entry.detail
    assert AuditEntry.objects.filter(action="job.download", actor=world.users["township_a"]).count() == 1


def test_full_numbers_without_a_reason_are_refused_in_chinese_and_make_no_job(world, login, people):
    client = login(world.users["township_a"])
    response = post(client, "people:person_list", "", fmt="csv", full="1", reason="核对")
    assert response.status_code == 400
    assert "须填写事由（至少 4 个字）" in response.content.decode()
    assert not Job.objects.exists()


def test_full_numbers_without_the_reveal_right_are_refused_403_and_audited(world, login, people):
    village = world.users["village_a"]  # may export people (people.import), may not reveal ID numbers
    client = login(village)
    assert "导出 Excel" in client.get("/people/").content.decode()
    assert "导出完整号码" not in client.get("/people/").content.decode()
    response = post(client, "people:person_list", "", fmt="csv", full="1", reason="核对低保名单")
    assert response.status_code == 403
    assert "不能导出完整的身份号码和电话" in response.content.decode()
    assert AuditEntry.objects.filter(action="permission_denied", actor=village, outcome="failure").count() == 1
    assert not Job.objects.exists()


def test_a_role_without_the_clue_data_kind_gets_403_audited_and_no_button(world, login):
    village = world.users["village_a"]  # exports ledgers, but clues are not its data kind (举报线索保密)
    client = login(village)
    response = post(client, "campaigns:list", "")
    assert response.status_code == 403
    assert "您的角色不能导出专项行动线索列表。" in response.content.decode()
    assert AuditEntry.objects.filter(action="permission_denied", actor=village).count() == 1
    assert not Job.objects.exists()
    client = login(world.users["township_a"])
    assert "导出 Excel" in client.get("/campaigns/clues/").content.decode()


def test_a_role_without_the_export_right_gets_no_button_and_403(world, login, hazards):
    client = login(world.users["grid_a"])
    page = client.get("/hazards/")
    assert page.status_code == 200 and "导出 Excel" not in page.content.decode()
    assert post(client, "hazards:list", "").status_code == 403


@pytest.mark.parametrize("query, message", [
    ("screened_from=2017-13-45", "排查日期起"),
    ("risk_level=09", "风险等级"),
    ("department=1e30", "整治责任单位"),
])
def test_bad_filter_values_answer_a_chinese_400_and_make_no_job(world, login, hazards, query, message):
    client = login(world.users["township_a"])
    response = post(client, "hazards:list", query)
    body = response.content.decode()
    assert response.status_code == 400 and "查询条件有误，未导出" in body and message in body
    assert not Job.objects.exists()


def test_an_unknown_list_or_format_answers_400(world, login):
    client = login(world.users["township_a"])
    response = post(client, "hazards:nothing", "")
    assert response.status_code == 400 and "没有这个列表的导出" in response.content.decode()
    response = post(client, "hazards:list", "", fmt="pdf")
    assert response.status_code == 400 and "导出格式只能是" in response.content.decode()
    assert client.get(URL).status_code == 405
    assert not Job.objects.exists()


def test_events_list_exports_its_filtered_rows_and_a_bad_date_is_400(world, login):
    from pingan.events import services as event_services
    from pingan.events.testing import make_categories

    cats = make_categories(world)

    def report(side, text):
        return event_services.event_report(actor=world.users[f"grid_{side}"], category=cats["garbage"],
                                           description=text, attributes={"kind": "living"}).event

    events = [report("a", f"甲镇垃圾{i}") for i in range(3)]
    report("b", "乙镇垃圾")
    client = login(world.users["township_a"])
    rows = xlsx_rows(job_file(client, post(client, "events:list", f"q={events[1].number}")))
    assert [r["编号"] for r in rows] == [events[1].number]
    response = post(client, "events:list", "from=2017-02-30")
    assert response.status_code == 400 and "格式不正确" in response.content.decode()


def test_the_worker_checks_the_owners_rights_and_scope_again(world, login, hazards):
    officer = world.users["township_a"]
    client = login(officer)
    post(client, "hazards:list", "risk_level=01")
    post(client, "hazards:list", "risk_level=01")
    first, second = Job.objects.order_by("id")
    officer.role = "grid_worker"  # lost the export right before the worker ran
    officer.save(update_fields=["role"])
    from pingan.jobs.services import job_run

    job_run(job_id=first.pk)
    first.refresh_from_db()
    assert first.status == Job.Status.FAILED and first.message == "您的角色不能导出风险隐患列表。"
    assert not first.result_file
    officer.role = "township_officer"
    officer.scope = world.township("b")  # moved to township B: the export is of B's rows
    officer.save(update_fields=["role", "scope"])
    job_run(job_id=second.pk)
    second.refresh_from_db()
    assert second.status == Job.Status.SUCCEEDED and second.result["rows"] == 1
    assert "_query" not in second.parameters and second.parameters["filters"] == {"risk_level": "01"}


def test_only_the_owner_sees_the_job_page_and_downloads_the_file(world, login, hazards):
    client = login(world.users["township_a"])
    response = post(client, "hazards:list", "risk_level=01")
    run_queued_jobs()
    job = Job.objects.get()
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "风险隐患列表，共 3 行" in page and "下载" in page and "返回风险隐患列表" in page
    for other in ("township_b", "center_staff", "district_admin", "auditor"):
        client = login(world.users[other])
        assert client.get(f"/jobs/{job.pk}/").status_code == 404
        assert client.get(f"/jobs/{job.pk}/download/?file=result").status_code == 404
    assert response.status_code == 302


def test_twenty_thousand_rows_are_written_by_the_job_a_chunk_at_a_time(world, login, tmp_path):
    """20,000 households: the job writes them all; the export's peak memory stays far below what holding the
    20,000 rows at once costs (the rows are read 2,000 at a time and streamed to the file)."""
    import tracemalloc

    from pingan.ledgers import lists
    from pingan.people.models import Household
    from pingan.people.selectors import households

    grid = world.grid("a")
    Household.objects.bulk_create([Household(jurisdiction=grid, number=f"H{i:05d}", address=f"固庄村{i}号")
                                   for i in range(20_000)], batch_size=2000)
    owner = world.users["township_a"]
    entry = lists.get_list("people:household_list")
    tracemalloc.start()
    rows = list(households(owner))
    _size, held = tracemalloc.get_traced_memory()
    del rows
    tracemalloc.stop()
    tracemalloc.start()
    count = lists.export_list(entry, str(tmp_path / "h.csv"), user=owner, params=lists.parse_query(""), fmt="csv")
    _size, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 20_000
    assert peak < held / 3, f"导出峰值 {peak / 1e6:.1f} MB，一次装入全部行 {held / 1e6:.1f} MB"
    client = login(owner)
    content = job_file(client, post(client, "people:household_list", "q=固庄村1999", fmt="csv"))
    assert [r["户号"] for r in csv_rows(content)] == ["H01999", "H19990", "H19991", "H19992", "H19993", "H19994",
                                                     "H19995", "H19996", "H19997", "H19998", "H19999"]
    job = Job.objects.get()
    assert job.progress_done == 11 and job.progress_total == 11
