"""Petition indicators as indicators.md defines them, counts worked out by hand."""
import datetime as dt

import pytest

from pingan.cases import engine
from pingan.core.indicators import Query
from pingan.petitions import choices as c
from pingan.petitions.testing import make_petition

D = dt.date
KEYS = ("petitions.received", "petitions.assigned", "petitions.assigned_resolved", "petitions.resolution_rate",
        "petitions.backlog", "petitions.backlog_resolved", "petitions.overdue")
RESULT = {"opinion": c.Opinion.SUPPORT, "opinion_reasons": "予以支持", "sanwei_solved": True}


def test_indicators_count_by_the_definitions(world, clock):
    officer = world.officer("a")
    clock(D(2026, 3, 2))
    assigned = {"source": c.Source.ASSIGNED, "assigning_body": "市信访局"}
    # Five petitions registered 2026-03-02:
    # 1 assigned, resolved (已化解), backlog;   2 assigned, stabilised (已稳控), backlog;
    # 3 assigned, concluded (已办结) then under 复查 (办理中 again: not resolved);   4 assigned, still 待受理;
    # 5 local, backlog, 办理中 past its 60 days.
    p1 = make_petition(world, "a", is_backlog=True, **assigned)
    p2 = make_petition(world, "a", is_backlog=True, **assigned)
    p3 = make_petition(world, "a", **assigned)
    make_petition(world, "a", **assigned)
    p5 = make_petition(world, "b", actor=world.officer("b"), is_backlog=True)
    # One registered outside the period (2026-04-01), assigned: not counted.
    clock(D(2026, 4, 1))
    make_petition(world, "a", registered_on=D(2026, 4, 1), **assigned)
    clock(D(2026, 3, 3))
    for p, action in ((p1, "resolve"), (p2, "stabilise"), (p3, "conclude")):
        engine.transition(actor=officer, case=p, action="accept", data={"accepted_on": D(2026, 3, 3)})
        engine.transition(actor=officer, case=p, action=action, data={**RESULT, "reply_on": D(2026, 3, 3)})
    engine.transition(actor=officer, case=p3, action="review_request", data={"review_requested_on": D(2026, 3, 3)})
    engine.transition(actor=world.officer("b"), case=p5, action="accept", data={"accepted_on": D(2026, 3, 3)})

    def values(date_to, node=None):
        q = Query(D(2026, 3, 1), date_to, node or world.county)
        return {k.split(".")[1]: q[k] for k in KEYS}

    # At the end of 2026-03-31: p4 is past its 15 days (due end of 03-17); p5 is within its 60 (due 05-02).
    v = values(D(2026, 3, 31))
    assert {k: v[k] for k in v if k != "resolution_rate"} == {
        "received": 5, "assigned": 4, "assigned_resolved": 2, "backlog": 3, "backlog_resolved": 2, "overdue": 1}
    assert v["resolution_rate"] == pytest.approx(0.5)
    # p3's 复查 is due 30 days from 03-03: end of 04-02; p5 end of 05-02; the April one (待受理) end of 04-16.
    # At the end of 05-03 the period holds six, four of them overdue: p3, p4, p5 and the April one.
    assert values(D(2026, 5, 3))["overdue"] == 4
    assert values(D(2026, 5, 3))["received"] == 6
    # Township a only: p5 (township b) is not counted.
    assert values(D(2026, 3, 31), world.township("a"))["backlog"] == 2


def test_a_repeat_is_not_counted_twice(world, clock):
    """Three petitions in March; the officer links the third as a repeat of the first: 受理数 2, not 3."""
    from pingan.petitions.repeats import repeat_mark

    clock(D(2026, 3, 2))
    first = make_petition(world, "a")
    make_petition(world, "a")
    third = make_petition(world, "a")
    q = Query(D(2026, 3, 1), D(2026, 3, 31), world.county)
    assert q["petitions.received"] == 3
    repeat_mark(actor=world.officer("a"), petition=third, original=first)
    assert Query(D(2026, 3, 1), D(2026, 3, 31), world.county)["petitions.received"] == 2
