"""Demo hazards: the report's shares, deterministic, idempotent, none for a structure-only seed."""
import pytest

from pingan.cases.models import TransitionLog
from pingan.core.models import AuditEntry
from pingan.core.seed import SeedContext
from pingan.hazards.models import Hazard
from pingan.hazards.seed import seed_hazards

pytestmark = pytest.mark.usefixtures("holidays")


def ctx(**kw):
    return SeedContext(seed=7, scale="small", structure_only=kw.get("structure_only", False), password="x",
                       password_hash="x")


def test_a_small_seed_makes_a_year_of_hazards_mostly_rectified_some_overdue(world):
    seed_hazards(ctx())
    total = Hazard.objects.count()
    assert total == 300
    rectified = Hazard.objects.filter(state="rectified").count()
    assert 0.86 <= rectified / total <= 0.97
    assert Hazard.objects.overdue().exists()
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
