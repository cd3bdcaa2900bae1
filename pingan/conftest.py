"""Fixtures for every app's tests beside the root conftest.py: background jobs keep their files (uploads,
results) in a temporary folder per test, never in the working tree's var/jobs."""
import pytest


@pytest.fixture(autouse=True)
def _jobs_root(settings, tmp_path_factory):
    settings.PINGAN_JOBS_ROOT = tmp_path_factory.mktemp("jobs")
