"""Benchmark: grid events under load, on PostgreSQL, served by gunicorn (two workers) on loopback.

Measures requests/s and p95 latency of
  (a) reporting an event through the API (POST /api/v1/events/, token auth, a unique idempotency key each),
  (b) a department handler's work queue (/events/queue/, session login),
  (c) the bare JSON view /healthz served by the same server in the same run — the baseline,
and prints each one's throughput as a share of the baseline (target: reporting ≥ 40%). The database first
holds --events bench events (inserted in bulk with COPY, kept between runs; default 100,000 — the issue's
target is the queue p95 < 150 ms with 1,000,000: `--events 1000000`).

Load is generated only on 127.0.0.1, by a bounded pool of Python threads (http.client), each scenario for a
bounded time; gunicorn is stopped at the end whatever happens.

    make bench                                   # all benchmarks
    .venv/bin/python bench/bench_events.py [--events N] [--seconds S] [--threads T] [--port P]
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingan.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pingan_bench")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from pingan.accounts.models import User  # noqa: E402
from pingan.ledgers import bulk_insert  # noqa: E402
from pingan.cases.models import TransitionLog
from pingan.events.choices import EventState, Source  # noqa: E402
from pingan.events.models import Category, Event  # noqa: E402
from pingan.events.seed import seed_configuration  # noqa: E402
from pingan.geo.models import Node  # noqa: E402

BENCH_KEY = "bench-"     # the bulk-inserted events (kept between runs)
LOAD_KEY = "benchload-"  # events reported by the load (deleted at the end)
HOST = "127.0.0.1"
S = EventState


# --- data ------------------------------------------------------------------------------------------------
def ensure_events(target: int) -> int:
    """Bring the bench events up to `target` rows (bulk COPY, batches of 20,000); returns how many were added."""
    have = Event.objects.filter(idempotency_key__startswith=BENCH_KEY).count()
    if have >= target:
        return 0
    county = Node.objects.get(code="140311")
    categories = [c for c in Category.objects.filter(parent__isnull=False)]
    grids = list(Node.objects.filter(path__startswith=county.path, level="grid").values_list("pk", flat=True))
    from pingan.accounts.models import Department

    departments = list(Department.objects.values_list("pk", flat=True))
    townships = list(Node.objects.filter(parent=county, level="township").values_list("pk", flat=True))
    rng = random.Random(have)
    now = timezone.now()
    added = 0
    for start in range(have, target, 20000):
        batch = []
        for i in range(start, min(start + 20000, target)):
            # Three years of events: the last two weeks' partly open, older ones closed but for a few stuck.
            reported = now - dt.timedelta(minutes=rng.randrange(60, 3 * 365 * 24 * 60))
            recent = now - reported < dt.timedelta(days=14)
            state = rng.choices([S.CLOSED, S.REJECTED, S.DISPATCHED, S.HANDLING, S.CHECKING, S.REGISTERED, S.REPORTED],
                                [50, 3, 15, 15, 7, 5, 5] if recent else [966, 30, 2, 2, 0, 0, 0])[0]
            category = rng.choice(categories)
            to_township = rng.random() < 0.15
            dispatched = state not in (S.REPORTED, S.REGISTERED, S.REJECTED)
            due = reported + dt.timedelta(days=rng.randrange(1, 8))
            open_ = state not in (S.CLOSED, S.REJECTED)
            batch.append(Event(
                number=f"SJB{i:012d}", idempotency_key=f"{BENCH_KEY}{i}", jurisdiction_id=rng.choice(grids),
                category=category, description=f"基准测试事件 {i}：{category.name}", source=Source.GRID,
                reported_at=reported, state=state, state_changed_at=reported + dt.timedelta(hours=2),
                registered_at=reported + dt.timedelta(hours=1) if state != S.REPORTED else None,
                dispatched_at=reported + dt.timedelta(hours=2) if dispatched else None,
                assigned_department_id=None if not dispatched or to_township else rng.choice(departments),
                assigned_township_id=rng.choice(townships) if dispatched and to_township else None,
                due_at=due if open_ else None,
                handled_at=due - dt.timedelta(hours=5) if state in (S.CHECKING, S.CLOSED) else None,
                handled_due_at=due if state in (S.CHECKING, S.CLOSED) else None,
                closed_at=due if state in (S.CLOSED, S.REJECTED) else None,
            ))
        with transaction.atomic():
            bulk_insert(Event, batch)
        added += len(batch)
        print(f"  已插入 {start + len(batch):,} / {target:,} 件", flush=True)
    with connection.cursor() as cursor:
        # VACUUM too: it sets the visibility map, without which the open-events index cannot answer the
        # 已超期 count alone (autovacuum does the same on a live database, later).
        cursor.execute(f"VACUUM ANALYZE {Event._meta.db_table}")
    return added


def delete_load_events() -> int:
    ids = list(Event.objects.filter(idempotency_key__startswith=LOAD_KEY).values_list("pk", flat=True))
    for start in range(0, len(ids), 5000):
        chunk = ids[start:start + 5000]
        TransitionLog.objects.filter(case_type="events.event", case_id__in=chunk).delete()
        Event.objects.filter(pk__in=chunk).delete()
    return len(ids)


def credentials():
    """A grid worker's API token and a department handler's session cookie."""
    from importlib import import_module

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from rest_framework.authtoken.models import Token

    worker = User.objects.filter(role="grid_worker", is_active=True, scope__level="grid").order_by("pk").first()
    handler = (User.objects.filter(username="gongan").first()
               or User.objects.filter(role="dept_handler", is_active=True).exclude(department=None).order_by("pk").first())
    if worker is None or handler is None:
        raise SystemExit("基准数据库中没有网格员或部门承办人账号：请先运行 bench/prepare.py。")
    now = timezone.now()
    User.objects.filter(pk__in=[worker.pk, handler.pk]).update(password_changed_at=now)
    token, _ = Token.objects.get_or_create(user=worker)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(handler.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    handler.refresh_from_db()
    store[HASH_SESSION_KEY] = handler.get_session_auth_hash()
    store.create()
    category = Category.objects.filter(parent__isnull=False, is_active=True, photo_rule="none").order_by("code").first()
    return worker, token.key, handler, store.session_key, category


# --- server ----------------------------------------------------------------------------------------------
def free_port(preferred: int) -> int:
    for port in [preferred] + list(range(preferred + 1, preferred + 50)):
        with socket.socket() as s:
            try:
                s.bind((HOST, port))
                return port
            except OSError:
                continue
    raise SystemExit("找不到空闲端口。")


def start_server(port: int) -> subprocess.Popen:
    env = {**os.environ, "DEBUG": "0", "ALLOWED_HOSTS": HOST, "DJANGO_SETTINGS_MODULE": "pingan.settings"}
    proc = subprocess.Popen(
        [os.path.join(ROOT, ".venv", "bin", "gunicorn"), "pingan.wsgi:application", "--workers", "2",
         "--bind", f"{HOST}:{port}", "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("gunicorn 启动失败。")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    stop_server(proc)
    raise SystemExit("gunicorn 30 秒内没有就绪。")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# --- load ------------------------------------------------------------------------------------------------
class Scenario:
    def __init__(self, name, method, path, headers=None, body=None, expect=(200,)):
        self.name, self.method, self.path = name, method, path
        self.headers, self.body, self.expect = headers or {}, body, expect


def run_load(port: int, scenario: Scenario, seconds: float, threads: int, max_requests: int = 200_000):
    """`threads` workers, each with its own keep-alive connection, until `seconds` pass (or max_requests)."""
    stop_at = time.monotonic() + seconds
    lock = threading.Lock()
    sent = [0]
    latencies: list[float] = []
    errors: list[str] = []

    def worker():
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        mine, bad = [], []
        while time.monotonic() < stop_at:
            with lock:
                if sent[0] >= max_requests:
                    break
                sent[0] += 1
            body = scenario.body() if callable(scenario.body) else scenario.body
            began = time.perf_counter()
            try:
                conn.request(scenario.method, scenario.path, body=body, headers=scenario.headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                bad.append(type(exc).__name__)
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
                continue
            elapsed = time.perf_counter() - began
            if status in scenario.expect:
                mine.append(elapsed)
            else:
                bad.append(str(status))
        conn.close()
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for f in [pool.submit(worker) for _ in range(threads)]:
            f.result()
    wall = time.perf_counter() - began
    latencies.sort()
    return {
        "name": scenario.name, "ok": len(latencies), "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5], "rps": len(latencies) / wall if wall else 0.0,
        "p50": percentile(latencies, 0.50), "p95": percentile(latencies, 0.95),
    }


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(q * len(values)))] * 1000


def show(result, baseline=None) -> None:
    ratio = f"{result['rps'] / baseline['rps']:.0%}" if baseline and baseline["rps"] else "—"
    extra = f"  错误 {result['errors']} {result['error_kinds']}" if result["errors"] else ""
    print(f"  {result['name']:<26} {result['ok']:>7} 次  {result['rps']:>8.1f} 次/秒  p50 {result['p50']:>7.1f} ms"
          f"  p95 {result['p95']:>7.1f} ms  相对基准 {ratio}{extra}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description="网格事件压测：上报接口、待办队列与空 JSON 视图（基准）")
    parser.add_argument("--events", type=int, default=100_000, help="库中基准事件数（默认 100000；目标 1000000）")
    parser.add_argument("--seconds", type=float, default=8.0, help="每个场景的压测秒数（默认 8）")
    parser.add_argument("--threads", type=int, default=8, help="并发线程数（默认 8，上限 64）")
    parser.add_argument("--port", type=int, default=8105, help="gunicorn 端口（默认 8105，被占用时顺延）")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("本基准测试需要 PostgreSQL（DATABASE_URL）。")
    if not 1 <= args.threads <= 64 or not 0 < args.seconds <= 120 or not 0 <= args.events <= 5_000_000:
        raise SystemExit("参数超出范围：--threads 1–64，--seconds 0–120，--events 0–5000000。")

    county = Node.objects.filter(code="140311").first()
    if county is None:
        raise SystemExit("基准数据库中没有郊区的区划树：请先运行 bench/prepare.py。")
    with transaction.atomic():
        seed_configuration(county)
    began = time.perf_counter()
    added = ensure_events(args.events)
    if added:
        took = time.perf_counter() - began
        print(f"  批量插入 {added:,} 件事件：{took:.1f} 秒（{added / took:,.0f} 件/秒）")
    total = Event.objects.count()
    worker, token, handler, session, category = credentials()
    waiting = Event.objects.filter(assigned_department=handler.department, state__in=[S.DISPATCHED, S.HANDLING]).count()
    print(f"  库中事件 {total:,} 件；承办人“{handler.username}”（{handler.department.name}）待办 {waiting:,} 件；"
          f"gunicorn 2 个进程，{args.threads} 个线程压测，每场景 {args.seconds:g} 秒", flush=True)

    port = free_port(args.port)
    counter = [0]
    run_id = uuid.uuid4().hex[:8]

    def report_body():
        counter[0] += 1
        return json.dumps({"category": category.pk, "description": f"基准测试上报：村口垃圾堆放 {counter[0]}",
                           "jurisdiction": worker.scope_id, "urgency": "normal",
                           "idempotency_key": f"{LOAD_KEY}{run_id}-{uuid.uuid4().hex[:16]}"})

    scenarios = {
        "baseline": Scenario("空 JSON 视图 /healthz", "GET", "/healthz"),
        "report": Scenario("上报事件 POST /api/v1/events/", "POST", "/api/v1/events/",
                           {"Authorization": f"Token {token}", "Content-Type": "application/json",
                            "Accept": "application/json"}, report_body, expect=(201,)),
        "queue": Scenario("承办人待办 /events/queue/", "GET", "/events/queue/",
                          {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}),
    }
    proc = start_server(port)
    try:
        for scenario in scenarios.values():  # warm up each worker (imports, connections, caches)
            run_load(port, scenario, 1.0, 2)
        results = {}
        for key in ("baseline", "report", "queue"):
            results[key] = run_load(port, scenarios[key], args.seconds, args.threads)
        single = run_load(port, scenarios["queue"], min(args.seconds, 5.0), 1)
        single["name"] = "待办（单线程，无排队）"
    finally:
        stop_server(proc)
        removed = delete_load_events()
    print("  结果：")
    show(results["baseline"])
    show(results["report"], results["baseline"])
    show(results["queue"], results["baseline"])
    show(single, results["baseline"])
    report_share = results["report"]["rps"] / results["baseline"]["rps"] if results["baseline"]["rps"] else 0
    print(f"  上报吞吐 / 空视图吞吐 = {report_share:.0%}（目标 ≥ 40%）："
          f"{'达标' if report_share >= 0.4 else '未达标'}")
    print(f"  待办页 p95（单线程）{single['p95']:.1f} ms，库中 {total:,} 件（目标：100 万件时 < 150 ms）："
          f"{'达标' if single['p95'] < 150 else '未达标'}")
    print(f"  已删除压测上报的事件 {removed:,} 件。")
    failed = any(r["errors"] for r in results.values()) or any(r["ok"] == 0 for r in results.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
