"""Exports of personal data (finding 2): personal numbers are masked in every export unless a role that may
reveal them asks for full values with a reason (and, when the district requires it, another such person
approves); the audit entry keeps the reason, the ledger, the place, the row count and whether values were
full. Values are read back from the exported files."""
from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from pingan.accounts import permissions
from pingan import ledgers
from pingan.core.models import AuditEntry
from pingan.jobs import services as job_services
from pingan.jobs.models import Job
from pingan.jobs.testing import run_queued_jobs
from pingan.people.testing import make_id, make_person

pytestmark = pytest.mark.django_db
ID_NUMBER_BIRTH = "19800101"


@pytest.fixture
def person(world):
    id_number = make_id(ID_NUMBER_BIRTH, side="a", sex="1")
    make_person(world, "a", name="王芳", id_number=id_number, phone="13912345678")
    return {"id": id_number, "phone": "13912345678"}


@pytest.fixture
def grid_may_export(monkeypatch):
    """The grid worker may export the people ledger in these tests (it may never reveal ID numbers)."""
    for capability in ("people.import", "ledgers.export"):
        monkeypatch.setitem(permissions.CAPABILITIES, capability,
                            set(permissions.CAPABILITIES[capability]) | {"grid_worker"})


def rows_of(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def export(user, tmp_path, **kw) -> dict[str, str]:
    path = tmp_path / "people.csv"
    ledgers.export_ledger(ledgers.get("people"), str(path), user=user, **kw)
    (row,) = rows_of(path)
    return row


def test_a_role_that_may_reveal_still_gets_masked_values_unless_it_asks(world, tmp_path, person):
    row = export(world.users["township_a"], tmp_path)
    assert row["姓名"] == "王芳"
    assert row["公民身份号码"] != person["id"] and "*" in row["公民身份号码"]
    assert person["id"][6:14] not in row["公民身份号码"]
    assert row["联系电话"] != person["phone"] and "*" in row["联系电话"]
    assert row["出生日期"] == "1980年"  # the year only: the date would fill in a masked number
    entry = AuditEntry.objects.get(action="ledger.export")
    assert entry.changes["full"] is False and entry.changes["rows"] == 1 and entry.changes["ledger"] == "people"
    assert "reason" not in entry.changes and "已脱敏" in entry.detail


def test_full_values_with_a_reason_are_written_and_audited_with_the_reason(world, tmp_path, person):
    row = export(world.users["township_a"], tmp_path, full=True, reason="  核对 低保 名单  ")
    assert row["公民身份号码"] == person["id"] and row["联系电话"] == person["phone"]
    assert row["出生日期"] == "1980-01-01"
    entry = AuditEntry.objects.get(action="ledger.export")
    assert entry.changes == {"ledger": "people", "rows": 1, "format": "csv", "jurisdiction": "",
                             "place": world.township("a").name, "full": True, "reason": "核对 低保 名单"}
    assert entry.actor == world.users["township_a"] and "事由：核对 低保 名单" in entry.detail


@pytest.mark.parametrize("reason", ["", "   ", "核对"])
def test_full_values_without_a_reason_of_four_characters_are_refused(world, tmp_path, person, reason):
    with pytest.raises(ValidationError, match="须填写事由（至少 4 个字）"):
        export(world.users["township_a"], tmp_path, full=True, reason=reason)
    assert not AuditEntry.objects.filter(action="ledger.export").exists()


def test_a_role_that_may_not_reveal_cannot_ask_for_full_values(world, tmp_path, person, grid_may_export):
    with pytest.raises(PermissionDenied, match="不能导出完整的身份号码"):
        export(world.users["grid_a"], tmp_path, full=True, reason="核对人口信息")
    row = export(world.users["grid_a"], tmp_path)
    assert row["公民身份号码"] != person["id"] and row["联系电话"] != person["phone"]


def test_with_approval_required_full_values_need_another_person_who_may_reveal(world, tmp_path, person, settings):
    settings.PINGAN_EXPORT_APPROVAL = True
    officer = world.users["township_a"]
    with pytest.raises(PermissionDenied, match="须经另一名有权查看身份号码的人员审批"):
        export(officer, tmp_path, full=True, reason="核对人口信息")
    with pytest.raises(PermissionDenied, match="审批人须是另一名"):
        export(officer, tmp_path, full=True, reason="核对人口信息", approved_by=officer)
    with pytest.raises(PermissionDenied, match="审批人须是另一名"):
        export(officer, tmp_path, full=True, reason="核对人口信息", approved_by=world.users["leader"])
    row = export(officer, tmp_path, full=True, reason="核对人口信息", approved_by=world.users["district_admin"])
    assert row["公民身份号码"] == person["id"]
    entry = AuditEntry.objects.get(action="ledger.export")
    assert entry.changes["approved_by"] == "district_admin" and entry.changes["reason"] == "核对人口信息"


# ------------------------------------------------------------------------------------------------ web
def job_of(response) -> Job:
    assert response.status_code == 302, response.content.decode()[:300]
    return Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def downloaded_row(client, job) -> dict[str, str]:
    response = client.get(reverse("jobs:download", args=[job.pk]), {"file": "result"})
    assert response.status_code == 200
    (row,) = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    return row


def test_the_web_export_is_masked_unless_full_is_asked_with_a_reason(world, client, person):
    client.force_login(world.users["township_a"])
    masked = job_of(client.post(reverse("ledgers:export"), {"kind": "people", "format": "csv"}))
    full = job_of(client.post(reverse("ledgers:export"), {"kind": "people", "format": "csv", "full": "1",
                                                              "reason": "核对人口信息"}))
    run_queued_jobs()
    assert downloaded_row(client, masked)["公民身份号码"] != person["id"]
    row = downloaded_row(client, full)
    assert row["公民身份号码"] == person["id"] and row["联系电话"] == person["phone"]
    download = AuditEntry.objects.filter(action="job.download", object_id=str(full.pk)).get()
    assert download.changes["full"] is True and download.changes["ledger"] == "people"


def test_the_web_refuses_full_values_without_reason_or_right_and_queues_nothing(world, client, person,
                                                                                grid_may_export):
    client.force_login(world.users["township_a"])
    response = client.post(reverse("ledgers:export"), {"kind": "people", "full": "1", "reason": "查"})
    assert response.status_code == 400 and "至少 4 个字" in response.content.decode()
    client.force_login(world.users["grid_a"])
    response = client.post(reverse("ledgers:export"), {"kind": "people", "full": "1", "reason": "核对人口信息"})
    assert response.status_code == 403 and "不能导出完整的身份号码" in response.content.decode()
    assert Job.objects.count() == 0


def test_with_approval_required_the_web_export_waits_for_a_second_person(world, client, person, settings):
    settings.PINGAN_EXPORT_APPROVAL = True
    owner = world.users["township_a"]
    client.force_login(owner)
    job = job_of(client.post(reverse("ledgers:export"), {"kind": "people", "format": "csv", "full": "1",
                                                             "reason": "核对人口信息"}))
    assert job.status == "awaiting_approval"
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == "awaiting_approval" and not AuditEntry.objects.filter(action="ledger.export").exists()
    # Not the owner (sent to the job's own page), not another township, not a role that may not reveal.
    client.force_login(owner)
    response = client.post(reverse("jobs:approval", args=[job.pk]), {"decision": "approve"})
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    for persona in ("township_b", "leader", "grid_a"):
        client.force_login(world.users[persona])
        assert client.get(reverse("jobs:approval", args=[job.pk])).status_code == 404, persona
        assert client.post(reverse("jobs:approval", args=[job.pk]), {"decision": "approve"}).status_code == 404
    job.refresh_from_db()
    assert job.status == "awaiting_approval"
    approver = world.users["district_admin"]
    client.force_login(approver)
    assert "核对人口信息" in client.get(reverse("jobs:list")).content.decode()
    response = client.post(reverse("jobs:approval", args=[job.pk]), {"decision": "approve"})
    assert response.status_code == 302
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == "succeeded" and job.approver == approver
    client.force_login(owner)
    assert downloaded_row(client, job)["公民身份号码"] == person["id"]
    assert AuditEntry.objects.get(action="job.approve", outcome="success").actor == approver
    assert AuditEntry.objects.get(action="ledger.export").changes["approved_by"] == "district_admin"


def test_a_refused_approval_exports_nothing(world, client, person, settings):
    settings.PINGAN_EXPORT_APPROVAL = True
    client.force_login(world.users["township_a"])
    job = job_of(client.post(reverse("ledgers:export"), {"kind": "people", "full": "1", "reason": "核对人口信息"}))
    client.force_login(world.users["district_admin"])
    response = client.post(reverse("jobs:approval", args=[job.pk]), {"decision": "reject", "note": ""})
    assert response.status_code == 400 and "请写明不同意的理由" in response.content.decode()
    client.post(reverse("jobs:approval", args=[job.pk]), {"decision": "reject", "note": "事由不充分"})
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == "rejected" and job.message == "审批未通过：事由不充分" and not job.result_file
    assert not AuditEntry.objects.filter(action="ledger.export").exists()
    assert AuditEntry.objects.get(action="job.reject").changes["note"] == "事由不充分"
    with pytest.raises(PermissionDenied):
        job_services.job_approve(actor=world.users["district_admin"], job=job)


# ------------------------------------------------------------------------------------------------ CLI
def cli(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_the_cli_masks_unless_full_and_a_reason_are_given(world, tmp_path, person):
    path = tmp_path / "p.csv"
    code, out, err = cli("export_ledger", "people", str(path), "--user", "district_admin")
    assert code == 0 and "已脱敏" in out and "已导出 1" in err
    (row,) = rows_of(path)
    assert row["公民身份号码"] != person["id"] and row["联系电话"] != person["phone"]
    code, out, _ = cli("export_ledger", "people", str(path), "--user", "district_admin", "--full",
                       "--reason", "上级核查名单")
    assert code == 0 and "完整值" in out
    (row,) = rows_of(path)
    assert row["公民身份号码"] == person["id"] and row["联系电话"] == person["phone"]
    assert AuditEntry.objects.filter(action="ledger.export").latest("id").changes["reason"] == "上级核查名单"


def test_the_cli_refuses_full_values_without_a_reason_or_under_required_approval(world, tmp_path, person, settings):
    path = tmp_path / "p.csv"
    code, _, err = cli("export_ledger", "people", str(path), "--user", "district_admin", "--full")
    assert code == 1 and "须填写事由" in err and not path.exists()
    code, _, err = cli("export_ledger", "people", str(path), "--user", "district_admin", "--reason", "核对人口信息")
    assert code == 1 and "--reason 只用于 --full" in err
    settings.PINGAN_EXPORT_APPROVAL = True
    code, _, err = cli("export_ledger", "people", str(path), "--user", "district_admin", "--full",
                       "--reason", "上级核查名单")
    assert code == 1 and "须经审批" in err and not path.exists()
    assert not AuditEntry.objects.filter(action="ledger.export").exists()
