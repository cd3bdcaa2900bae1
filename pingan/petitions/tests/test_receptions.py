"""领导接访/约访/下访: plan, attach petitions by number (scope), the schedule, a leader's own list."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pingan.core.models import AuditEntry
from pingan.petitions.models import LeaderReception
from pingan.petitions.receptions import leader_schedule, reception_attach, reception_save, schedule
from pingan.petitions.testing import make_petition

D = dt.date


def _data(**over):
    data = {"leader_name": "王镇长", "held_on": D(2026, 3, 10), "place": "镇信访接待室", "topic": "征地拆迁",
            "kind": "reception"}
    data.update(over)
    return data


def test_save_reads_back_and_attach_by_number(world, clock):
    clock(D(2026, 3, 12))
    officer = world.officer("a")
    r = reception_save(actor=officer, data=_data(outcome="当场答复", leader=world.users["leader"]))
    row = LeaderReception.objects.get(pk=r.pk)
    assert (row.leader_name, row.held_on, row.place, row.kind, row.outcome, row.jurisdiction, row.leader) == \
        ("王镇长", D(2026, 3, 10), "镇信访接待室", "reception", "当场答复", world.township("a"), world.users["leader"])
    p1, p2 = make_petition(world, "a"), make_petition(world, "a")
    assert reception_attach(actor=officer, reception=r, numbers=f"{p1.number}，{p2.number.lower()}") == 2
    assert set(r.petitions.values_list("pk", flat=True)) == {p1.pk, p2.pk}
    other = make_petition(world, "b")
    with pytest.raises(ValidationError, match=other.number):
        reception_attach(actor=officer, reception=r, numbers=f"{p1.number} {other.number}")
    with pytest.raises(ValidationError, match="请填写"):
        reception_attach(actor=officer, reception=r, numbers="  ")
    with pytest.raises(ValidationError, match="最多"):
        reception_attach(actor=officer, reception=r, numbers=["X" * 41])
    with pytest.raises(PermissionDenied):
        reception_attach(actor=world.officer("b"), reception=r, numbers=other.number)
    r2 = reception_save(actor=officer, reception=r, data=_data(kind="appointment", outcome="约定下周复谈"))
    assert LeaderReception.objects.get(pk=r2.pk).kind == "appointment"
    assert AuditEntry.objects.filter(object_id=str(r.pk), action__startswith="leaderreception.").count() == 3


def test_bad_input(world, clock):
    clock(D(2026, 3, 12))
    officer = world.officer("a")
    with pytest.raises(ValidationError) as bad:
        reception_save(actor=officer, data=_data(leader_name="", place="", held_on="2026-13-01", kind="phone"))
    assert set(bad.value.message_dict) == {"leader_name", "place", "held_on", "kind"}
    with pytest.raises(ValidationError, match="尚未进行"):
        reception_save(actor=officer, data=_data(held_on=D(2026, 3, 20), outcome="已答复"))
    with pytest.raises(ValidationError, match="管辖范围"):
        reception_save(actor=officer, data=_data(jurisdiction=world.township("b")))
    with pytest.raises(ValidationError):
        reception_save(actor=officer, data=_data(outcome="话" * 4001))
    with pytest.raises(PermissionDenied):
        reception_save(actor=world.users["leader"], data=_data())
    assert LeaderReception.objects.count() == 0


def test_schedule_and_leader_view(world, clock):
    clock(D(2026, 3, 12))
    officer = world.officer("a")
    past = reception_save(actor=officer, data=_data(held_on=D(2026, 3, 10)))
    soon = reception_save(actor=officer, data=_data(held_on=D(2026, 3, 25), leader=world.users["leader"]))
    later = reception_save(actor=officer, data=_data(held_on=D(2026, 3, 12), kind="visit_down"))
    reception_save(actor=world.officer("b"), data=_data(held_on=D(2026, 3, 13)))
    got = schedule(officer, today=D(2026, 3, 12))
    assert [r.pk for r in got["upcoming"]] == [later.pk, soon.pk]
    assert [r.pk for r in got["past"]] == [past.pk]
    assert list(leader_schedule(world.users["leader"])) == [soon]
