"""Demo disputes: 2017 exactly as the seed report (59 screened, 53 resolved) at every scale, 2016 plausible,
the last twelve months outside both years, approved sheets, meetings, the demo mediator linked, the case
layer's bulk path, idempotent, nothing for a structure-only seed."""
import datetime as dt

import pytest
from django.utils import timezone

from pingan.cases.models import TransitionLog
from pingan.core.indicators import Query, compute
from pingan.core.models import AuditEntry
from pingan.core.seed import SeedContext
from pingan.disputes import choices as c
from pingan.disputes.models import Dispute, Mediator, Meeting, SubsidySheet
from pingan.disputes.seed import seed_disputes



def ctx(scale="small", **kw):
    return SeedContext(seed=2017, scale=scale, structure_only=kw.get("structure_only", False), password="x",
                       password_hash="x")


@pytest.mark.parametrize("scale", ["small", "district", "province"])
def test_2017_gives_59_screened_and_53_resolved_at_every_scale(world, scale):
    seed_disputes(ctx(scale))
    y2017 = compute(Query(dt.date(2017, 1, 1), dt.date(2017, 12, 31), world.county))["disputes"]
    assert (y2017["screened"], y2017["resolved"], y2017["resolution_rate"], y2017["in_progress"]) == (59, 53, 0.8983, 1)
    y2016 = compute(Query(dt.date(2016, 1, 1), dt.date(2016, 12, 31), world.county))["disputes"]
    assert (y2016["screened"], y2016["resolved"]) == (64, 56)
    recent = Dispute.objects.filter(registered_on__gte=timezone.localdate() - dt.timedelta(days=366))
    assert recent.count() == 72
    total = Dispute.objects.count()
    assert total == 64 + 59 + 72
    # 2017's six not resolved: 1 mediating, 3 failed, 2 transferred.
    rest = Dispute.objects.filter(registered_on__year=2017).exclude(state__in=c.RESOLVED_STATES)
    assert sorted(rest.values_list("state", flat=True)) == sorted(["mediating", "failed", "failed", "failed",
                                                                   "transferred", "transferred"])
    assert AuditEntry.objects.filter(action="dispute.seed_state").count() == total
    assert TransitionLog.objects.filter(case_type="disputes.dispute", action_label="演示数据").count() == total


def test_the_seed_makes_registers_sheets_meetings_and_is_idempotent(world):
    seed_disputes(ctx())
    # One committee per village and township, two industry committees, the centre's room.
    assert Mediator.objects.filter(user=world.users["mediator_a"]).count() == 1
    assert Dispute.objects.filter(mediator__user=world.users["mediator_a"]).exists()
    sheets_2017 = SubsidySheet.objects.filter(month__year=2017)
    assert sheets_2017.exists() and not sheets_2017.exclude(status=c.SheetStatus.APPROVED).exists()
    # Every graded 2017 case with a mediator is on one sheet of its closing month.
    graded = Dispute.objects.filter(closed_on__year=2017, state__in=c.RESOLVED_STATES, mediator__isnull=False) \
        .exclude(grade="")
    assert graded.count() == sum(s.lines.count() for s in sheets_2017)
    assert Meeting.objects.count() == 24
    assert Dispute.objects.filter(source__in=c.REFERRAL_SOURCES).exists()
    assert Dispute.objects.filter(reported_back_on__isnull=False).exists()
    before = (Dispute.objects.count(), Meeting.objects.count(), SubsidySheet.objects.count())
    seed_disputes(ctx())
    assert (Dispute.objects.count(), Meeting.objects.count(), SubsidySheet.objects.count()) == before


def test_a_structure_only_seed_makes_registers_but_no_disputes(world):
    seed_disputes(ctx(structure_only=True))
    assert not Dispute.objects.exists() and Mediator.objects.exists()
