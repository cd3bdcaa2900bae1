"""Test support for background jobs: a leak factory (a finished export job owned by township `side`'s
officer, with a result file) and `run_queued_jobs`, which runs what a worker would, in the test's process."""
from __future__ import annotations

from pingan.core.testing import leak_factory, marked, new_marker

from .models import Job


def run_queued_jobs() -> list[Job]:
    """Run every queued job now, as the worker would (services.job_run), oldest first; returns them fresh."""
    from .services import job_run

    ids = list(Job.objects.filter(status=Job.Status.QUEUED).order_by("id").values_list("id", flat=True))
    for job_id in ids:
        job_run(job_id=job_id)
    return list(Job.objects.filter(id__in=ids).order_by("id"))


@leak_factory(Job)
def _job(world, side):
    from .services import job_create, job_run

    marker = new_marker()
    job = job_create(actor=world.officer(side), kind=Job.Kind.LEDGER_EXPORT,
                     title=f"风险隐患台账导出（{world.township(side).name}）{marker}",
                     parameters={"ledger": "hazards", "format": "csv", "jurisdiction": "", "full": False, "reason": ""})
    job_run(job_id=job.pk)
    job.refresh_from_db()
    return marked(job, marker)
