"""Background jobs: only the owner sees a job, its progress and its files; downloads are audited and served
from outside the media folder; a failing job is recorded in Chinese; the real database worker runs a queued
job; progress reaches the page's JSON while the job runs."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from pingan.core.models import AuditEntry
from pingan.hazards.testing import make_hazard
from pingan.jobs import services
from pingan.jobs.models import Job
from pingan.jobs.testing import run_queued_jobs


def export_job(user, ledger="hazards", **parameters) -> Job:
    return services.job_create(actor=user, kind=Job.Kind.LEDGER_EXPORT, title=f"{ledger}导出",
                               parameters={"ledger": ledger, "format": "csv", "jurisdiction": "", "full": False,
                                           "reason": "", **parameters})


@pytest.mark.django_db
def test_a_job_is_queued_by_the_request_and_run_by_the_worker_function(world):
    make_hazard(world, "a", description="柴草堆放在消防通道")
    job = export_job(world.officer("a"))
    assert job.status == "queued" and job.task_id
    assert AuditEntry.objects.filter(action="job.create", object_id=str(job.pk)).exists()
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result["rows"] == 1
    assert job.progress_done == 1 and job.progress_total == 1
    assert job.message == "已导出风险隐患台账 1 行。"
    path = services.job_path(job, job.result_file)
    assert "柴草堆放在消防通道" in path.read_text(encoding="utf-8-sig")
    # Stored under the jobs folder, not under the public media folder.
    assert Path(settings.PINGAN_JOBS_ROOT).resolve() in path.parents
    assert Path(settings.MEDIA_ROOT).resolve() not in path.parents


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["township_b", "district_admin", "center_staff", "auditor", "security_admin",
                                     "leader", "grid_a"])
def test_nobody_but_the_owner_sees_a_job_its_status_or_its_files(world, client, persona):
    job = export_job(world.officer("a"))
    run_queued_jobs()
    client.force_login(world.users[persona])
    for url in (reverse("jobs:detail", args=[job.pk]), reverse("jobs:status", args=[job.pk]),
                reverse("jobs:download", args=[job.pk]) + "?file=result", reverse("jobs:approval", args=[job.pk])):
        assert client.get(url).status_code == 404, url
    assert job.title not in client.get(reverse("jobs:list")).content.decode()
    assert not AuditEntry.objects.filter(action="job.download").exists()


@pytest.mark.django_db
def test_the_owner_sees_the_page_the_json_status_and_downloads_with_an_audit_entry(world, client):
    owner = world.officer("a")
    make_hazard(world, "a")
    job = export_job(owner)
    client.force_login(owner)
    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert status == {"status": "queued", "status_label": "排队中", "done": 0, "total": 0, "stage": "",
                      "finished": False, "message": "已排队，等待后台处理。"}
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert f'data-status-url="{reverse("jobs:status", args=[job.pk])}"' in page and "<progress" in page
    run_queued_jobs()
    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert status["finished"] is True and status["done"] == 1 and status["total"] == 1
    response = client.get(reverse("jobs:download", args=[job.pk]), {"file": "result"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).decode("utf-8-sig").startswith("编号,")
    entry = AuditEntry.objects.get(action="job.download", actor=owner)
    assert entry.changes["ledger"] == "hazards" and entry.changes["rows"] == 1 and entry.changes["full"] is False
    assert client.get(reverse("jobs:download", args=[job.pk]), {"file": "errors"}).status_code == 404
    assert job.title in client.get(reverse("jobs:list")).content.decode()


@pytest.mark.django_db
def test_progress_written_while_a_job_runs_reaches_the_status_json(world, client):
    job = export_job(world.officer("a"))
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    job.refresh_from_db()
    services.Progress(job)(4000, 10000)
    client.force_login(world.officer("a"))
    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert status["done"] == 4000 and status["total"] == 10000 and status["finished"] is False


@pytest.mark.django_db
def test_a_job_whose_handler_breaks_is_recorded_as_failed_in_chinese(world, monkeypatch):
    from pingan.jobs import handlers

    def broken(job, progress):
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(handlers.HANDLERS, Job.Kind.LEDGER_EXPORT, broken)
    job = export_job(world.officer("a"))
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == "failed" and job.message == "任务执行出错，请稍后重试；如仍出错请联系系统管理员。"
    assert job.finished_at is not None and "disk on fire" not in job.message


@pytest.mark.django_db
def test_a_job_runs_once_even_if_the_worker_is_handed_it_twice(world):
    job = export_job(world.officer("a"))
    services.job_run(job_id=job.pk)
    services.job_run(job_id=job.pk)
    assert AuditEntry.objects.filter(action="ledger.export").count() == 1


@pytest.mark.django_db
def test_a_job_of_a_deactivated_owner_does_not_run(world):
    owner = world.officer("a")
    job = export_job(owner)
    type(owner).objects.filter(pk=owner.pk).update(is_active=False)
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == "failed" and "已停用" in job.message
    assert not AuditEntry.objects.filter(action="ledger.export").exists()


@pytest.mark.django_db
def test_the_export_job_checks_the_owners_rights_again_when_it_runs(world):
    job = export_job(world.officer("a"), jurisdiction=world.township("b").code)
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == "failed" and job.message == "区划代码不存在，或不在您的管辖范围内。"
    assert not job.result_file


@pytest.mark.django_db
def test_purge_removes_old_files_but_keeps_the_record(world):
    job = export_job(world.officer("a"))
    run_queued_jobs()
    job.refresh_from_db()
    path = services.job_path(job, job.result_file)
    assert path.exists()
    assert services.jobs_purge(older_than_days=1) == 0
    Job.objects.filter(pk=job.pk).update(finished_at=job.finished_at - dt.timedelta(days=2))
    assert services.jobs_purge(older_than_days=1) == 1
    job.refresh_from_db()
    assert not path.exists() and job.result_file == "" and job.status == "succeeded"


@pytest.mark.django_db(transaction=True)
def test_the_real_database_worker_runs_a_queued_job_once(world):
    """django-tasks' own `db_worker` (what `make run` starts) picks the queued task from the database and
    runs the job; nothing here calls the job's code directly."""
    from django_tasks_db.models import DBTaskResult

    make_hazard(world, "a", description="仓库堆放易燃物")
    job = export_job(world.officer("a"))
    assert job.status == "queued"
    task = DBTaskResult.objects.get(id=job.task_id)
    assert task.status == "READY"
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0",
                 stdout=io.StringIO(), stderr=io.StringIO())
    job.refresh_from_db()
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert job.status == "succeeded" and job.result["rows"] == 1
    assert "仓库堆放易燃物" in services.job_path(job, job.result_file).read_text(encoding="utf-8-sig")


@pytest.mark.django_db
def test_the_purge_command_overwrites_and_removes_old_files_and_is_audited(world):
    job = export_job(world.officer("a"))
    run_queued_jobs()
    job.refresh_from_db()
    path = services.job_path(job, job.result_file)
    Job.objects.filter(pk=job.pk).update(finished_at=job.finished_at - dt.timedelta(days=30))
    out = io.StringIO()
    call_command("purge_jobs", stdout=out)
    assert out.getvalue().strip() == "已清理 1 个后台任务的文件。"
    assert not path.exists() and not path.parent.exists()
    assert AuditEntry.objects.get(action="job.purge").changes == {"jobs": 1, "older_than_days": 7}
