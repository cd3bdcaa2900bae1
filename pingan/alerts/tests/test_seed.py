"""The demo's alerts: after the scan the centre's staff work on some warnings through the services, by a fixed
rule worked out here by hand, once."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pingan.alerts.models import Alert
from pingan.alerts.seed import seed_alerts
from pingan.alerts.services import alert_raise
from pingan.core.models import AuditEntry
from pingan.core.seed import SeedContext

pytestmark = pytest.mark.django_db


def test_the_demo_staff_sign_handle_put_on_the_agenda_and_dismiss_some_warnings_once(world, monkeypatch):
    monkeypatch.setattr("pingan.alerts.seed.run_scan", lambda: {})
    start = timezone.now() - dt.timedelta(days=10)
    made = []
    for i in range(8):
        alert, _ = alert_raise(rule="disputes.violence", jurisdiction=world.village("a"), title=f"纠纷{i}有激化风险",
                               reason="演示", key=f"demo-test:{i}", at=start + dt.timedelta(hours=i))
        made.append(alert.pk)
    ctx = SeedContext(seed=7, scale="small", structure_only=False, password="x", password_hash="x")
    seed_alerts(ctx)
    # Oldest first: #0 the first dispute warning → dismissed; #2, #5 (i % 3 == 2) signed for; #4 (i % 5 == 4)
    # handled; #6 (i % 7 == 6) on the agenda; #1, #3, #7 stay new.
    statuses = [Alert.objects.get(pk=pk).status for pk in made]
    assert statuses == ["dismissed", "open", "acknowledged", "open", "handled", "acknowledged", "agenda", "open"]
    dismissed = Alert.objects.get(pk=made[0])
    assert dismissed.handled_note and dismissed.handled_by == world.users["center_staff"]
    assert AuditEntry.objects.filter(action="alert.acknowledge").count() == 2
    seed_alerts(ctx)  # once only
    assert [Alert.objects.get(pk=pk).status for pk in made] == statuses
