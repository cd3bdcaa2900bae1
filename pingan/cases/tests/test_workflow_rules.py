"""The district decides which workflow steps need a photo; by default none does (减负)."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pingan.cases import engine
from pingan.core.models import AuditEntry

from pingan.cases.models import WorkflowRule
from pingan.cases.rules import workflow_rule_set
from pingan.hazards.testing import make_hazard


def test_no_step_needs_a_photo_until_the_district_says_so(world, login):
    page = login(world.users["district_admin"]).get(reverse("cases:rules"))
    assert page.status_code == 200
    assert "整治完成" in page.content.decode()
    assert all(not step["photo_required"] for group in page.context["groups"] for step in group["steps"])


def test_the_district_requires_a_photo_for_one_step_and_the_engine_enforces_it(world, login):
    client = login(world.users["district_admin"])
    response = client.post(reverse("cases:rules"), {"photo": ["hazards.hazard:complete"]})
    assert response.status_code == 302
    assert WorkflowRule.objects.get(case_type="hazards.hazard", action="complete").photo_required
    entry = AuditEntry.objects.get(action="workflow_rule.set")
    assert entry.changes == {"photo_required": [False, True]} and entry.actor == world.users["district_admin"]
    hazard = make_hazard(world, "a")
    with pytest.raises(ValidationError) as caught:
        engine.transition(actor=world.officer("a"), case=hazard, action="complete",
                          data={"rectified_on": dt.date.today(), "measures": "清理完毕"})
    assert "照片" in str(caught.value)
    # Saving the same choices again changes and audits nothing.
    client.post(reverse("cases:rules"), {"photo": ["hazards.hazard:complete"]})
    assert AuditEntry.objects.filter(action="workflow_rule.set").count() == 1


def test_an_unknown_step_is_refused(world):
    with pytest.raises(ValidationError):
        workflow_rule_set(actor=world.users["district_admin"], case_type="hazards.hazard", action="teleport",
                          photo_required=True)
    assert not WorkflowRule.objects.exists()


@pytest.mark.parametrize("persona", ["center_staff", "township_a", "grid_a", "security_admin"])
def test_only_the_district_admin_sets_rules(world, login, persona):
    response = login(world.users[persona]).post(reverse("cases:rules"), {"photo": ["hazards.hazard:complete"]})
    assert response.status_code == 403
    assert not WorkflowRule.objects.exists()
