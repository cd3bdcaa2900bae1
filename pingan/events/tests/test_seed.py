"""Demo events: a year of events through the configured categories and rules, registered in bulk by the case
layer (state as history, one log line and one audit entry each, numbers and due moments from the engine);
deterministic, idempotent, none for a structure-only seed; plausible indicators."""
import datetime as dt

import pytest
from django.utils import timezone

from pingan.core.indicators import Query
from pingan.core.models import AuditEntry
from pingan.cases.models import CaseCounter, Supervision, TransitionLog
from pingan.core.seed import SeedContext
from pingan.events.choices import EventState as S
from pingan.events.models import Category, DispatchRule, Event
from pingan.events.seed import seed_events

pytestmark = pytest.mark.usefixtures("holidays")


@pytest.fixture
def holidays(db):
    from pingan.core.calendar.loader import load_holidays

    load_holidays()


def ctx(structure_only=False, scale="small"):
    return SeedContext(seed=7, scale=scale, structure_only=structure_only, password="x", password_hash="x")


def test_a_small_seed_makes_2016_2017_and_a_year_of_events_and_a_second_run_adds_nothing(world,
                                                                                        django_assert_max_num_queries):
    seed_events(ctx())
    # 2016: 720, 2017: 960 at every scale (all run their course, none left stuck); 360 in the last year.
    assert Event.objects.filter(reported_at__year=2016).count() == 720
    assert Event.objects.filter(reported_at__year=2017).count() == 960
    assert not Event.objects.filter(reported_at__year__lte=2017).overdue().exists()
    total = Event.objects.filter(reported_at__year__gt=2017).count()
    assert 300 <= total <= 400
    counts = (Event.objects.count(), TransitionLog.objects.count(), AuditEntry.objects.count(),
              Supervision.objects.count(), Category.objects.count(), DispatchRule.objects.count(),
              CaseCounter.objects.count())
    with django_assert_max_num_queries(30):
        seed_events(ctx())
    assert (Event.objects.count(), TransitionLog.objects.count(), AuditEntry.objects.count(),
            Supervision.objects.count(), Category.objects.count(), DispatchRule.objects.count(),
            CaseCounter.objects.count()) == counts


def test_the_demo_year_gives_plausible_indicators(world):
    seed_events(ctx())
    today = timezone.localdate()
    q = Query(node=world.county, date_from=today - dt.timedelta(days=366), date_to=today, user=None)
    assert q["events.reported"] > 300
    assert 0.7 <= q["events.closure_rate"] <= 0.98
    assert 0.5 <= q["events.on_time_rate"] < q["events.closure_rate"]
    assert 0.03 <= q["events.rework_rate"] <= 0.15
    assert Event.objects.overdue().exists()
    assert Event.objects.filter(state=S.CLOSED).exclude(satisfaction="").exists()
    assert Event.objects.filter(state=S.CLOSED, handled_at__gt=models_F("handled_due_at")).exists()  # closed late
    # Reported over the whole year, not in one day.
    months = {e.reported_at.strftime("%Y%m") for e in Event.objects.only("reported_at")}
    assert len(months) >= 12


def models_F(name):
    from django.db.models import F

    return F(name)


def test_every_event_is_consistent_with_its_log_and_has_an_audit_entry(world):
    seed_events(ctx())
    events = list(Event.objects.all())
    logs = {}
    for log in TransitionLog.objects.filter(case_type="events.event").order_by("at", "id"):
        logs.setdefault(log.case_id, []).append(log)
    audited = set(AuditEntry.objects.filter(action="events.event.seed").values_list("object_id", flat=True))
    supervised = set(Supervision.objects.filter(case_type="events.event").values_list("case_id", flat=True))
    numbers = set()
    for e in events:
        trail = logs[e.pk]
        # The bulk registration's one line, naming the state the simulated history left; 督办 after it.
        assert trail[0].action == "create" and trail[0].to_state == e.state and trail[0].from_state == ""
        assert [t.action for t in trail[1:]] == (["supervise"] if e.pk in supervised else [])
        assert str(e.pk) in audited
        assert e.number not in numbers and e.number.startswith("SJ")
        assert e.number[11:19] == timezone.localtime(e.reported_at).strftime("%Y%m%d")  # numbered by the report day
        numbers.add(e.number)
        if e.state in (S.DISPATCHED, S.HANDLING):
            assert e.due_at is not None and e.due_at > e.state_changed_at
            assert e.assigned_department_id or e.assigned_township_id
        if e.state in (S.CLOSED, S.REJECTED):
            assert e.closed_at and e.due_at is None
        if e.state == S.CLOSED:
            assert e.handled_at <= e.closed_at and e.handled_due_at is not None
        if e.pk in supervised:
            assert Event.objects.is_overdue(e)
        if e.source == "public":
            assert e.reporter_id is None and e.reporter_name


def test_a_live_report_after_the_seed_gets_a_fresh_number(world):
    from pingan.events import services

    seed_events(ctx())
    category = Category.objects.get(code="0401")
    report = services.event_report(actor=world.users["grid_a"], category=category, description="村口垃圾满溢")
    assert Event.objects.filter(number=report.event.number).count() == 1


def test_a_structure_only_seed_makes_the_categories_and_rules_but_no_events(world):
    seed_events(ctx(structure_only=True))
    assert not Event.objects.exists()
    assert Category.objects.filter(parent__isnull=True).count() == 7
    assert DispatchRule.objects.filter(township__isnull=False).exists()  # no 司法所 in the test world: the township
    assert AuditEntry.objects.filter(action="events.category.create").count() == Category.objects.count()


def test_the_planted_rise_of_last_month_is_warned_as_an_anomaly_with_its_expected_value(world):
    """Seven land and homestead disputes in one village last month against (almost) none in its previous twelve:
    the anomaly scan raises one orange warning for that village naming the observed count, the expected value
    (the mean of its own history) and the test."""
    from pingan.alerts.models import Alert
    from pingan.alerts.services import run_scan
    from pingan.events.seed import CLUSTER_SIZE

    seed_events(ctx())
    run_scan(keys=["events.anomaly"])
    alerts = list(Alert.objects.filter(rule="events.anomaly"))
    planted = [a for a in alerts if "矛盾纠纷线索" in a.title or "矛盾纠纷线索" in a.reason]
    assert len(planted) == 1, [a.title for a in alerts]
    alert = planted[0]
    assert alert.level == "orange"
    import re

    # The planted seven plus whatever the village's ordinary stream drew last month (this test tree has few
    # villages, so that is a few); the mean of its own months is stated with the test and its p value.
    found = re.search(r"月 (\d+) 件，过去 (\d+) 个月平均 ([\d.]+) 件（泊松检验 p=", alert.reason)
    assert found, alert.reason
    observed, months, expected = int(found[1]), int(found[2]), float(found[3])
    assert observed >= CLUSTER_SIZE and months >= 6 and expected < observed / 2
