"""Demo hazards: the report's shares, deterministic, idempotent, none for a structure-only seed."""
import datetime as dt

import pytest

from pingan.cases.models import Supervision, TransitionLog
from pingan.core.models import AuditEntry
from pingan.core.seed import SeedContext
from pingan.hazards.models import Hazard
from pingan.hazards.seed import seed_hazards

pytestmark = pytest.mark.usefixtures("holidays")


def ctx(**kw):
    return SeedContext(seed=7, scale="small", structure_only=kw.get("structure_only", False), password="x",
                       password_hash="x")


def test_a_small_seed_makes_2016_2017_as_published_and_the_last_twelve_months(world):
    seed_hazards(ctx())
    total = Hazard.objects.count()
    # 2016: 1185 screened, 1043 rectified; 2017 the seed report's 1369 and 1270 (92.8%); 1250 recent.
    assert total == 1185 + 1369 + 1250
    y2017 = Hazard.objects.filter(screened_on__year=2017)
    assert y2017.count() == 1369 and y2017.filter(state="rectified").count() == 1270
    y2016 = Hazard.objects.filter(screened_on__year=2016)
    assert y2016.count() == 1185 and y2016.filter(state="rectified").count() == 1043
    recent = Hazard.objects.filter(screened_on__gte=dt.date(2018, 1, 1))
    assert recent.count() == 1250
    rectified = recent.filter(state="rectified").count()
    assert 0.86 <= rectified / 1250 <= 0.97
    assert recent.overdue().exists()
    assert Supervision.objects.filter(case_type="hazards.hazard").exists()
    assert Hazard.objects.filter(risk_level="03").count() > Hazard.objects.filter(risk_level="01").count()
    assert Hazard.objects.values("hazard_type").distinct().count() >= 8
    # The case layer's bulk path: one audit entry and one 演示数据 log line per hazard, no direct writes.
    assert AuditEntry.objects.filter(action="hazard.seed_state").count() == total
    assert TransitionLog.objects.filter(case_type="hazards.hazard", action_label="演示数据").count() == total
    assert not Hazard.objects.filter(state__in=["pending", "rectifying", "awaiting_acceptance"],
                                     due_at__isnull=True).exists()
    assert not Hazard.objects.filter(state="rectified", closed_at__isnull=True).exists()
    seed_hazards(ctx())
    assert Hazard.objects.count() == total


def test_a_structure_only_seed_makes_no_hazards(world):
    seed_hazards(ctx(structure_only=True))
    assert not Hazard.objects.exists()
