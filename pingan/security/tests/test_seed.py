"""The demo seed: 2,861 volunteers in 8 volunteer teams (here the test district's 2 townships hold them), a liaison
point in every village, 100 治安管理员 where there are villages enough, 7,500 cameras, 300 trained in 2017; the
2017 statistics read them back; a second run adds nothing."""
import io
import json

import pytest
from django.core.management import call_command

from pingan.core.seed import SeedContext
from pingan.security.models import Attendance, Camera, Team, TeamMember
from pingan.security.seed import seed_security

pytestmark = pytest.mark.django_db


def test_the_seed_gives_the_2017_figures_and_is_idempotent(world):
    ctx = SeedContext(seed=2017, scale="small", structure_only=False, password="x", password_hash="x")
    seed_security(ctx)
    out = io.StringIO()
    call_command("stats", "--from", "2017-01-01", "--to", "2017-12-31", "--format", "json", stdout=out)
    stats = json.loads(out.getvalue())
    assert stats["forces"]["volunteers"] == 2861
    assert stats["liaison_points"]["coverage"] == 1.0
    assert stats["cameras"]["total"] == 7500
    assert stats["training"] == {"sessions": 12, "attendees": 300}
    assert stats["forces"]["officers"] == 2  # one per village: the test district has two
    counts = (Team.objects.count(), TeamMember.objects.count(), Camera.objects.count(), Attendance.objects.count())
    seed_security(ctx)
    assert (Team.objects.count(), TeamMember.objects.count(), Camera.objects.count(),
            Attendance.objects.count()) == counts
