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
