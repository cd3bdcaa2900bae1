"""Fixtures for every app: the two-township world, personas as logged-in clients, the API client."""
import os

# Read by core/dbtriggers.py: the SQLite audit triggers are installed per test (Django flushes SQLite with DELETE).
os.environ["PINGAN_TESTING"] = "1"

import pytest  # noqa: E402
from django.core.cache import cache  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from pingan.core.testing import build_world  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated(settings):
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def login(client):
    """login(user) -> a test client logged in as user (session auth)."""
    def _login(user):
        client.force_login(user)
        return client
    return _login


@pytest.fixture
def api():
    """api(user) -> a DRF client authenticated as user."""
    def _api(user=None):
        c = APIClient()
        if user is not None:
            c.force_authenticate(user)
        return c
    return _api


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="需要 PostgreSQL（make test 的第二轮会运行）")
        for item in items:
            if "postgres_only" in item.keywords:
                item.add_marker(skip)
