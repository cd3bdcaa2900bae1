"""Event configuration edit forms (category, dispatch rule) post a change through the web page and the database
holds it, with the audit entry's before and after (issue 8, finding 3)."""
from django.urls import reverse

from pingan.core.models import AuditEntry
from pingan.core.testing_forms import form_post_data
from pingan.events import services
from pingan.events.models import Category, DispatchRule


def test_the_district_edits_a_category_and_the_database_holds_the_change(world, login, cats):
    garbage = cats["garbage"]
    client = login(world.users["district_admin"])
    url = reverse("events:category_edit", args=[garbage.pk])
    data = form_post_data(client.get(url).context["form"])
    data.update(name="垃圾乱堆乱放", deadline_amount="5")
    response = client.post(url, data)
    assert response.status_code == 302
    stored = Category.objects.get(pk=garbage.pk)
    assert (stored.name, stored.deadline_amount, stored.code) == ("垃圾乱堆乱放", 5, "0401")
    entry = AuditEntry.objects.get(action="events.category.update", object_id=str(garbage.pk))
    assert entry.changes == {"deadline_amount": [2, 5], "name": ["垃圾堆放", "垃圾乱堆乱放"]}


def test_the_district_edits_a_dispatch_rule_and_the_database_holds_the_change(world, login, cats):
    rule = services.dispatch_rule_save(actor=None, data={
        "category": cats["gas"], "jurisdiction": world.township("a"), "department": world.departments["police_a"],
        "township": None, "deadline_amount": None, "deadline_unit": "", "note": ""})
    client = login(world.users["district_admin"])
    url = reverse("events:rule_edit", args=[rule.pk])
    data = form_post_data(client.get(url).context["form"])
    data.update(department=world.departments["county_police"].pk, deadline_amount="3", deadline_unit="working_days",
                note="燃气归区分局")
    response = client.post(url, data)
    assert response.status_code == 302
    stored = DispatchRule.objects.get(pk=rule.pk)
    assert (stored.department_id, stored.deadline_amount, stored.deadline_unit, stored.note) == (
        world.departments["county_police"].pk, 3, "working_days", "燃气归区分局")
    entry = AuditEntry.objects.get(action="events.rule.update", object_id=str(rule.pk))
    assert entry.changes == {"deadline_amount": [None, 3], "deadline_unit": ["", "working_days"],
                             "department": [world.departments["police_a"].pk, world.departments["county_police"].pk],
                             "note": ["", "燃气归区分局"]}
