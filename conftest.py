"""Fixtures for every app: the two-township world, personas as logged-in clients, the API client."""
import os

# Read by core/dbtriggers.py: the SQLite audit triggers are installed per test (Django flushes SQLite with DELETE).
os.environ["PINGAN_TESTING"] = "1"

import pytest  # noqa: E402
from django.core.cache import cache  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from pingan.accounts.testing import build_world  # noqa: E402

pytest_plugins = ["pytester"]  # test_conftest.py runs this conftest in a scratch project


class _ForgetTheRequest:
    """A log filter for the test run: Django logs every 4xx/5xx response with the request in the record, and
    pytest keeps every record of a test until it ends. The bad-input net posts 10 MB to each of ~1,000 routes
    in one test, so the records held ~10 GB of request bodies. The record keeps its message; the request goes."""

    def filter(self, record):
        if hasattr(record, "request"):
            record.request = None
        return True


def pytest_configure(config):
    import logging

    for name in ("django.request", "django.server", "django.security.csrf", "django.security.DisallowedHost",
                 "django.security.SuspiciousOperation", "django.security.RequestDataTooBig"):
        logging.getLogger(name).addFilter(_ForgetTheRequest())


@pytest.fixture(autouse=True)
def _isolated(settings):
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """force_login stands for a whole login, the second factor included for the roles that must use one
    (pingan.accounts.testing.pass_second_factor); pingan/accounts/tests/test_second_factor.py drives the real
    two-step login and its refusals."""
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        from pingan.accounts.testing import pass_second_factor

        pass_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


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


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser():
    """Debian's Chromium driven by Playwright's Python package (`make browser` installs it). Missing, the
    browser tests skip with a message on a developer's machine and fail under CI=true."""
    if not os.path.exists(CHROMIUM):
        message = "未安装 Chromium（运行 make browser，或 apt-get install chromium fonts-noto-cjk）"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}：CI 环境下浏览器测试不能跳过。", pytrace=False)
        pytest.skip(f"{message}，跳过浏览器测试")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM,
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="需要 PostgreSQL（make test 的第二轮会运行）")
        for item in items:
            if "postgres_only" in item.keywords:
                item.add_marker(skip)


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def _reference_data_functions():
    """RunPython code of migrations that declare REFERENCE_DATA = True (holidays, default visit rules)."""
    from importlib import import_module
    from pathlib import Path

    from django.apps import apps
    from django.db.migrations import RunPython

    functions = []
    for config in apps.get_app_configs():
        if not config.name.startswith("pingan."):
            continue
        folder = Path(config.path) / "migrations"
        for path in sorted(folder.glob("[0-9]*.py")):
            module = import_module(f"{config.name}.migrations.{path.stem}")
            if getattr(module, "REFERENCE_DATA", False):
                functions += [op.code for op in module.Migration.operations if isinstance(op, RunPython)]
    return functions


_FLUSHED = pytest.StashKey[bool]()


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """Mark the test whose transactional database was really set up: only that test's teardown flushes.
    A skipped test (a postgres_only test on SQLite, a browser test without Chromium) never gets here."""
    outcome = yield
    if fixturedef.argname == "_django_db_helper" and outcome.excinfo is None and _is_transactional(request.node):
        request.node.stash[_FLUSHED] = True


def _on_test_database() -> bool:
    """Is the default connection on the test database (never the development db.sqlite3 or `pingan`)?

    Once the test database is set up Django has put its name in settings_dict["NAME"]; it is TEST["NAME"] when
    configured (PINGAN_TEST_DB_NAME), else "test_" + the configured name (PostgreSQL, a SQLite file) or an
    in-memory SQLite database. (`creation._get_test_db_name()` cannot tell: after set-up it prefixes the test
    name again, "test_test_pingan", which made this check fail on PostgreSQL without PINGAN_TEST_DB_NAME, so
    the reference data was never put back there.)"""
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    configured = (connection.settings_dict.get("TEST") or {}).get("NAME")
    if configured:
        return name == str(configured)
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return True
    return name.rsplit("/", 1)[-1].startswith("test_")


def _load_reference_data(item) -> None:
    from django.apps import apps
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        for function in _reference_data_functions():
            function(apps, None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    """A transactional test also starts with the reference data in place (the loaders are idempotent), so it
    does not depend on the test before it having been flushed and reloaded by the teardown below."""
    yield
    if item.stash.get(_FLUSHED, False) and _on_test_database():
        _load_reference_data(item)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends with a flush that empties every table, reference data included; put the
    data the migrations loaded back, so the tests after it see the database a fresh migrate gives.
    Only after a flush that happened, and only on the test database (never the development db.sqlite3)."""
    yield
    if nextitem is None or not item.stash.get(_FLUSHED, False):
        return  # after the last test the session's database is already gone
    if not _on_test_database():
        return
    _load_reference_data(item)
