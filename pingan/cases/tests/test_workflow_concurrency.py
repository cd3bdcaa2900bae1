"""Two people acting on the same case at the same moment, on PostgreSQL with two real connections."""
import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from pingan.accounts.testing import build_world
from pingan.cases import engine
from pingan.hazards.models import Hazard
from pingan.hazards.testing import make_hazard

# Transactional: two real connections. conftest.py reloads the migrations' reference data after the flush.
pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _race(funcs):
    barrier = threading.Barrier(len(funcs))
    results = [None] * len(funcs)

    def run(i, func):
        try:
            barrier.wait(timeout=10)
            results[i] = ("ok", func())
        except Exception as exc:  # noqa: BLE001 - the loser's error is the result under test
            results[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(funcs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_two_people_completing_the_same_hazard_one_wins_the_other_is_told():
    assert connection.vendor == "postgresql"
    world = build_world()
    hazard = make_hazard(world, "a")
    today = timezone.localdate()

    def complete(user):
        return lambda: engine.transition(actor=user, case=Hazard.objects.get(pk=hazard.pk), action="complete",
                                         data={"rectified_on": today, "measures": f"{user.username} 完成整治"})

    results = _race([complete(world.users["handler_a"]), complete(world.officer("a"))])
    outcomes = sorted(r[0] for r in results)
    assert outcomes == ["error", "ok"], results
    error = next(r[1] for r in results if r[0] == "error")
    assert isinstance(error, ValidationError)
    assert "当前状态为“待验收”" in error.messages[0] and "可能已被他人处理" in error.messages[0]
    hazard.refresh_from_db()
    assert hazard.state == "awaiting_acceptance"
    from pingan.cases.models import TransitionLog

    assert TransitionLog.objects.for_case(hazard).filter(action="complete").count() == 1


def test_simultaneous_registrations_get_distinct_consecutive_numbers():
    world = build_world()
    day = timezone.localdate() - dt.timedelta(days=1)
    funcs = [lambda i=i: make_hazard(world, "a", screened_on=day, description=f"并发登记{i}") for i in range(6)]
    results = _race(funcs)
    assert all(r[0] == "ok" for r in results), results
    numbers = sorted(Hazard.objects.values_list("number", flat=True))
    prefix = f"YH{world.township('a').code}{day:%Y%m%d}"
    assert numbers == [f"{prefix}{i:03d}" for i in range(1, 7)]


def test_two_registrations_with_one_idempotency_key_make_one_case():
    """The loser of the race hits the unique key inside its savepoint and gets the winner's case back."""
    from pingan.cases.models import TransitionLog
    from pingan.events.testing import EventCases
    from pingan.core.calendar.loader import load_holidays
    from pingan.events.models import Event

    load_holidays()
    world = build_world()
    grid = world.users["grid_a"]
    built = [EventCases.build(world, "a") for _ in range(4)]  # the category is made once, before the race
    funcs = [lambda case=case: engine.case_register(actor=grid, case=case, idempotency_key="race-1") for case in built]
    results = _race(funcs)
    assert all(r[0] == "ok" for r in results), results
    cases = [r[1] for r in results]
    assert len({c.pk for c in cases}) == 1
    assert sorted(c._created for c in cases) == [False, False, False, True]
    assert Event.objects.count() == 1
    assert TransitionLog.objects.filter(case_type="events.event").count() == 1
