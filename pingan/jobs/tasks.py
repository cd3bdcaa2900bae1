"""The one task the worker runs: a job by its id. The job row holds everything else (services.job_run)."""
from __future__ import annotations

from django_tasks import task


@task()
def run_job(job_id: int) -> None:
    from .services import job_run

    job_run(job_id=job_id)
