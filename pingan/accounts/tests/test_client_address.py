"""The client address (finding 7): X-Forwarded-For and X-Request-ID are believed only from configured proxies,
and the counters that protect the login are shared by every worker (kept in the database, not in a cache)."""
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from pingan.core import limits
from pingan.core.middleware import client_address
from pingan.core.models import AuditEntry
from pingan.core.testing import TEST_PASSWORD

LOGIN = "/accounts/login/"


def _address(remote, forwarded=None, proxies=()):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **meta))


@pytest.fixture
def proxies(settings):
    settings.PINGAN_TRUSTED_PROXIES = ["10.0.0.5", "172.16.0.0/12"]
    return settings


def test_without_configured_proxies_the_forwarded_header_is_ignored(settings):
    settings.PINGAN_TRUSTED_PROXIES = []
    assert _address("203.0.113.7", "198.51.100.1") == "203.0.113.7"


def test_a_client_that_is_not_a_proxy_cannot_pick_its_address(proxies):
    assert _address("203.0.113.7", "198.51.100.1, 10.0.0.5") == "203.0.113.7"


def test_a_trusted_proxy_gives_the_client_address(proxies):
    assert _address("10.0.0.5", "198.51.100.1") == "198.51.100.1"


def test_the_right_most_address_that_is_not_a_proxy_is_the_client(proxies):
    # The client wrote "1.1.1.1" itself; our proxies (172.16.3.4, then 10.0.0.5) appended the rest.
    assert _address("10.0.0.5", "1.1.1.1, 198.51.100.1, 172.16.3.4") == "198.51.100.1"


def test_garbage_in_the_chain_stops_at_the_last_trusted_hop(proxies):
    assert _address("10.0.0.5", "1.1.1.1, not-an-ip") == "10.0.0.5"


def test_a_bad_proxy_setting_stops_start_up(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from pingan.settings import env_networks

    monkeypatch.setenv("PINGAN_TRUSTED_PROXIES", "10.0.0.5, 10.0.0.300")
    with pytest.raises(ImproperlyConfigured, match="10.0.0.300"):
        env_networks("PINGAN_TRUSTED_PROXIES")
    monkeypatch.setenv("PINGAN_TRUSTED_PROXIES", " 10.0.0.5 , 192.168.1.0/24 ")
    assert env_networks("PINGAN_TRUSTED_PROXIES") == ["10.0.0.5/32", "192.168.1.0/24"]


def test_rotating_the_forwarded_header_does_not_escape_the_address_counter(world, client, settings):
    settings.PINGAN_TRUSTED_PROXIES = []
    settings.PINGAN_LOCKOUT_ATTEMPTS = 2  # the address is held back after 2 × 3 = 6 failures
    for i in range(6):
        client.post(LOGIN, {"username": f"guess{i}", "password": "x"}, REMOTE_ADDR="203.0.113.9",
                    HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
    response = client.post(LOGIN, {"username": "township_b", "password": TEST_PASSWORD}, REMOTE_ADDR="203.0.113.9",
                           HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert response.status_code == 429


def test_rotating_the_forwarded_header_does_not_escape_the_account_lockout(world, client, settings):
    settings.PINGAN_LOCKOUT_ATTEMPTS = 3
    for i in range(3):
        client.post(LOGIN, {"username": "township_a", "password": "wrong"}, REMOTE_ADDR="203.0.113.9",
                    HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
    officer = world.officer("a")
    officer.refresh_from_db()
    assert officer.is_locked and officer.failed_logins == 3


def test_a_forged_address_and_request_id_do_not_reach_the_audit(world, client, settings):
    settings.PINGAN_TRUSTED_PROXIES = []
    response = client.post(LOGIN, {"username": "township_a", "password": "wrong"}, REMOTE_ADDR="203.0.113.9",
                           HTTP_X_FORWARDED_FOR="8.8.8.8", HTTP_X_REQUEST_ID="forged-id-123")
    entry = AuditEntry.objects.get(action="login", outcome="failure")
    assert entry.address == "203.0.113.9"
    assert entry.request_id != "forged-id-123" and response["X-Request-ID"] == entry.request_id


def test_a_trusted_proxy_sets_the_audit_address_and_request_id(world, client, proxies):
    client.post(LOGIN, {"username": "township_a", "password": "wrong"}, REMOTE_ADDR="10.0.0.5",
                HTTP_X_FORWARDED_FOR="198.51.100.23", HTTP_X_REQUEST_ID="nginx-req-42")
    entry = AuditEntry.objects.get(action="login", outcome="failure")
    assert (entry.address, entry.request_id) == ("198.51.100.23", "nginx-req-42")


def test_a_trusted_proxys_header_counts_each_client_separately(world, client, proxies):
    proxies.PINGAN_LOCKOUT_ATTEMPTS = 1  # held back after 3 failures
    for i in range(3):
        client.post(LOGIN, {"username": f"guess{i}", "password": "x"}, REMOTE_ADDR="10.0.0.5",
                    HTTP_X_FORWARDED_FOR="198.51.100.1")
    held = client.post(LOGIN, {"username": "township_a", "password": TEST_PASSWORD}, REMOTE_ADDR="10.0.0.5",
                       HTTP_X_FORWARDED_FOR="198.51.100.1")
    other = client.post(LOGIN, {"username": "township_b", "password": TEST_PASSWORD}, REMOTE_ADDR="10.0.0.5",
                        HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert held.status_code == 429 and other.status_code == 302


def test_the_address_counter_survives_a_cleared_cache(world, client, settings):
    settings.PINGAN_LOCKOUT_ATTEMPTS = 2
    for i in range(6):
        client.post(LOGIN, {"username": f"guess{i}", "password": "x"}, REMOTE_ADDR="203.0.113.50")
        cache.clear()  # what a second worker or a restart would see of a per-process cache
    assert limits.peek("login-fail:203.0.113.50") == 6
    response = client.post(LOGIN, {"username": "township_b", "password": TEST_PASSWORD}, REMOTE_ADDR="203.0.113.50")
    assert response.status_code == 429


def test_a_counter_counts_up_and_starts_again_after_its_window(db):
    import datetime as dt

    from django.utils import timezone

    assert [limits.hit("k", seconds=60) for _ in range(3)] == [1, 2, 3]
    limits.LimitCounter.objects.filter(key="k").update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert limits.peek("k") == 0
    assert limits.hit("k", seconds=60) == 1
    limits.reset("k")
    assert limits.peek("k") == 0


@pytest.mark.django_db(transaction=True)
def test_another_process_sees_the_same_counter(settings):
    from django.db import connection

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("the SQLite test database is in memory: only PostgreSQL (make test's second run) can share it")
    for _ in range(4):
        limits.hit("shared:198.51.100.77", seconds=600)
    name = connection.settings_dict["NAME"]
    code = (
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'pingan.settings'; django.setup();"
        "from django.db import connections; connections['default'].settings_dict['NAME'] = %r;"
        "from pingan.core import limits; print(limits.hit('shared:198.51.100.77', seconds=600))" % name
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip().splitlines()[-1] == "5"
    assert limits.peek("shared:198.51.100.77") == 5
