"""交办清单: create, attach, progress and overdue items, report back once, the .docx report."""
import datetime as dt
import io

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pingan.cases import engine
from pingan.core.models import AuditEntry
from pingan.documents.registry import document_type
from pingan.documents.services import document_generate
from pingan.petitions import choices as c
from pingan.petitions.lists import list_attach, list_create, list_items, list_progress, list_report
from pingan.petitions.models import AssignedList, Petition
from pingan.petitions.testing import make_petition

D = dt.date


def _list(world, side="a", **over):
    data = {"title": "2026年市交办清单", "assigning_body": "阳泉市信访局", "level": "city",
            "received_on": D(2026, 3, 1), "deadline": D(2026, 4, 30), "report_requirement": "办结后书面报告"}
    data.update(over)
    return list_create(actor=world.officer(side), data=data)


def _finish(world, petition):
    officer = world.officer("a")
    engine.transition(actor=officer, case=petition, action="accept", data={"accepted_on": petition.registered_on})
    engine.transition(actor=officer, case=petition, action="resolve", data={
        "opinion": c.Opinion.SUPPORT, "reply_on": petition.registered_on, "opinion_reasons": "诉求合理，予以支持",
        "sanwei_solved": True, "result_note": "补偿款已补发"})


def test_create_reads_back_and_refuses_bad_input(world, clock):
    clock(D(2026, 3, 5))
    made = _list(world)
    row = AssignedList.objects.get(pk=made.pk)
    assert (row.title, row.assigning_body, row.level, row.deadline, row.jurisdiction) == \
        ("2026年市交办清单", "阳泉市信访局", "city", D(2026, 4, 30), world.township("a"))
    assert AuditEntry.objects.filter(action="assignedlist.create", object_id=str(made.pk)).count() == 1
    with pytest.raises(ValidationError) as bad:
        _list(world, title="", level="county", deadline=D(2026, 2, 1))
    assert set(bad.value.message_dict) == {"title", "level", "deadline"}
    with pytest.raises(ValidationError, match="晚于今天"):
        _list(world, received_on=D(2026, 3, 6), deadline=D(2026, 4, 1))
    with pytest.raises(ValidationError, match="管辖范围"):
        _list(world, jurisdiction=world.township("b"))
    with pytest.raises(ValidationError):
        _list(world, title="清" * 101)
    with pytest.raises(PermissionDenied):
        list_create(actor=world.users["leader"], data={})
    assert AssignedList.objects.count() == 1


def test_attach_progress_overdue_and_report_once(world, clock):
    clock(D(2026, 3, 2))
    listed = _list(world, deadline=D(2026, 3, 20))
    items = [make_petition(world, "a", registered_on=D(2026, 3, 2)) for _ in range(3)]
    assert list_attach(actor=world.officer("a"), assigned_list=listed, petitions=items) == 3
    row = Petition.objects.get(pk=items[0].pk)
    assert (row.source, row.assigning_body, row.assigned_list_id) == (c.Source.ASSIGNED, "阳泉市信访局", listed.pk)
    _finish(world, items[0])
    progress = list_progress(listed, today=D(2026, 3, 25))
    # 1 of 3 finished → 33 %; the other two are past the list's deadline 2026-03-20 by 5 days... but their own
    # 转送交办 deadline (registered 03-02 + 15 = 03-17) is earlier: 8 days overdue.
    assert (progress["total"], progress["finished"], progress["percent"], progress["overdue"]) == (3, 1, 33, 2)
    late = [i for i in list_items(listed, today=D(2026, 3, 25)) if not i["finished"]]
    assert [(i["due"], i["overdue_days"]) for i in late] == [(D(2026, 3, 17), 8), (D(2026, 3, 17), 8)]
    clock(D(2026, 3, 25))
    with pytest.raises(ValidationError, match="还有 2 件未办结"):
        list_report(actor=world.officer("a"), assigned_list=listed, text="已办结一件")
    assert AssignedList.objects.get(pk=listed.pk).reported_on is None
    reported = list_report(actor=world.officer("a"), assigned_list=listed, text="已办结一件",
                           reason="两件涉及法院执行，正在协调")
    row = AssignedList.objects.get(pk=listed.pk)
    assert row.reported_on == D(2026, 3, 25)
    # clean_text (NFKC) makes the full-width comma half-width, as every text of the project.
    assert row.report_text == "已办结一件\n未办结 2 件的原因：两件涉及法院执行,正在协调"
    assert reported.pk == listed.pk
    with pytest.raises(ValidationError, match="不能重复报告"):
        list_report(actor=world.officer("a"), assigned_list=listed, text="再报一次", reason="x")
    with pytest.raises(ValidationError, match="已报告"):
        list_attach(actor=world.officer("a"), assigned_list=listed, petitions=[make_petition(world, "a")])


def test_attach_refuses_another_townships_petition_and_list(world, clock):
    clock(D(2026, 3, 2))
    listed = _list(world)
    other = make_petition(world, "b")
    with pytest.raises(ValidationError, match="管辖范围"):
        list_attach(actor=world.officer("a"), assigned_list=listed, petitions=[make_petition(world, "a"), other])
    assert not Petition.objects.filter(assigned_list=listed).exists()
    with pytest.raises(PermissionDenied):
        list_attach(actor=world.officer("b"), assigned_list=listed, petitions=[other])
    with pytest.raises(ValidationError, match="请选择"):
        list_attach(actor=world.officer("a"), assigned_list=listed, petitions=[])
    with pytest.raises(PermissionDenied):
        list_report(actor=world.officer("b"), assigned_list=listed, text="x")
    with pytest.raises(ValidationError, match="还没有"):
        list_report(actor=world.officer("a"), assigned_list=listed, text="x")


def test_report_document_lists_every_item(world, clock):
    clock(D(2026, 3, 2))
    listed = _list(world)
    petition = make_petition(world, "a", registered_on=D(2026, 3, 2))
    list_attach(actor=world.officer("a"), assigned_list=listed, petitions=[petition])
    _finish(world, petition)
    list_report(actor=world.officer("a"), assigned_list=listed, text="全部办结")
    doc = document_generate(actor=world.officer("a"), doc_type=document_type("petitions.list_report"), obj=listed)
    data = doc
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    cells = [cell.text for t in docx.Document(io.BytesIO(data)).tables for r in t.rows for cell in r.cells]
    assert "共 1 件" in text and "现已办结 1 件，办结率 100%" in text
    assert petition.number in cells and "补偿款已补发" in cells
