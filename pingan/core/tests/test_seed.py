"""The demo seed: the real district's structure, deterministic, and idempotent."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from pingan.accounts.models import Department, User
from pingan.core.models import AuditEntry
from pingan.geo.models import LiaisonPoint, Node

ROOT = Path(__file__).resolve().parents[3]
NAMED_ACCOUNTS = ["admin", "zhongxin", "hedi", "yinying", "lingdao", "shenji", "anquan", "wangge", "zhuangan"]


@pytest.fixture
def seeded(db):
    call_command("seed_demo", scale="small", structure_only=True, verbosity=0)


def test_the_seed_builds_the_district_and_re_running_it_adds_nothing(seeded):
    """One seeding, several checks: seeding is the slow part of this file."""
    _structure()
    _accounts()
    _hedi_scope()
    counts = (Node.objects.count(), User.objects.count(), LiaisonPoint.objects.count(), AuditEntry.objects.count())
    call_command("seed_demo", scale="small", structure_only=True, verbosity=0)
    assert (Node.objects.count(), User.objects.count(), LiaisonPoint.objects.count(), AuditEntry.objects.count()) == counts


def _structure():
    assert Node.objects.filter(level="township").count() == 8
    assert Node.objects.filter(level__in=["village", "community"]).count() == 131
    for village in Node.objects.filter(level__in=["village", "community"]):
        grids = list(village.children.all())
        assert 3 <= len(grids) <= 6
        for grid in grids:
            assert len(grid.code) == 15 and grid.code.startswith(village.code)
            assert grid.grid_worker_id and grid.grid_leader_id
        assert 37.70 <= float(village.latitude) <= 38.05 and 113.35 <= float(village.longitude) <= 113.80
    assert Node.objects.filter(is_pilot=True, level="township").count() == 2
    assert Node.objects.filter(is_pilot=True, level__in=["village", "community"]).count() == 14
    coverage = LiaisonPoint.objects.count() / 131
    assert 0.8 < coverage < 1.0  # "a liaison point for most villages"


def _accounts():
    users = {u.username: u for u in User.objects.filter(username__in=NAMED_ACCOUNTS).select_related("scope")}
    assert set(users) == set(NAMED_ACCOUNTS)
    assert users["admin"].role == "district_admin" and users["admin"].scope.code == "140311"
    assert users["hedi"].scope.name == "河底镇" and users["yinying"].scope.name == "荫营镇"
    assert users["shenji"].role == "auditor" and users["lingdao"].role == "leader"
    assert users["admin"].check_password("pingan-demo")
    assert Department.objects.filter(name="区公安分局").exists()


def _hedi_scope():
    """A township officer of 河底镇 sees 河底镇's villages and grids only."""
    hedi = User.objects.get(username="hedi")
    visible = Node.objects.visible_to(hedi)
    assert visible.filter(level__in=["village", "community"]).count() == Node.objects.get(code="140311101").children.count()
    assert not visible.filter(path__startswith="140311/140311100/").exists()
    assert all(n.path.startswith("140311/140311101/") for n in visible)


FINGERPRINT = (
    "import os, hashlib, django; os.environ['DJANGO_SETTINGS_MODULE']='pingan.settings'; django.setup();"
    "from django.core.management import call_command; call_command('migrate', verbosity=0);"
    "call_command('seed_demo', scale='small', structure_only=True, seed=SEED, verbosity=0);"
    "from pingan.geo.models import Node, LiaisonPoint; from pingan.accounts.models import User;"
    "rows = [repr(r) for r in Node.objects.order_by('code').values_list('code','latitude','longitude','is_pilot')];"
    "rows += [repr(r) for r in LiaisonPoint.objects.order_by('name').values_list('name','contact_name','contact_phone')];"
    "rows += [repr(r) for r in User.objects.order_by('username').values_list('username','full_name','phone')];"
    "print(hashlib.sha256('\\n'.join(rows).encode()).hexdigest())"
)


def _fingerprint(tmp_path, name, seed):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / name}"}
    result = subprocess.run([sys.executable, "-c", FINGERPRINT.replace("SEED", str(seed))], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="runs the seed in its own SQLite files; once is enough")
def test_the_same_seed_gives_the_same_data(tmp_path):
    assert _fingerprint(tmp_path, "one.sqlite3", 7) == _fingerprint(tmp_path, "two.sqlite3", 7)
