"""The events ledger: an export in the district office's shape (labels, not codes; deadlines, overdue,
rework, satisfaction), scoped by the exporting user and --jurisdiction, citizens' details only for those who
may see them; and export only — every import path answers so in Chinese and writes nothing."""
import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from pingan import ledgers
from pingan.core.models import AuditEntry
from pingan.cases import engine
from pingan.cases.models import TransitionLog
from pingan.events import services
from pingan.events.choices import Source
from pingan.events.ledgers import EXPORT_ONLY_MESSAGE
from pingan.events.models import DispatchRule, Event

pytestmark = pytest.mark.django_db


def cli(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


@pytest.fixture
def events(world, cats):
    """A closed event of township A that was sent back once and evaluated, an open one of B, and a citizen's
    report in A with a name and phone."""
    DispatchRule.objects.create(category=cats["garbage"], jurisdiction=world.county,
                                department=world.departments["county_police"])
    centre, worker = world.users["center_staff"], world.users["grid_a"]
    done = services.event_report(actor=worker, category=cats["garbage"], description="固庄村口垃圾堆放",
                                 attributes={"kind": "living"}, urgency="urgent").event
    # 派遣 to the rule's unit, as the 派遣 form proposes it (services.dispatch_plan).
    unit = services.dispatch_plan(done)["assigned_department"]
    for action, data, note in [("register", {}, ""), ("dispatch", {"assigned_department": unit}, ""),
                               ("feedback", {"handling_result": "已清运"}, ""), ("send_back", {}, "没清干净"),
                               ("feedback", {"handling_result": "已再次清运"}, ""), ("close", {}, "")]:
        actor = world.users["county_handler"] if action == "feedback" else centre
        engine.transition(actor=actor, case=done, action=action, data=data, note=note)
    engine.transition(actor=worker, case=done, action="evaluate", data={"satisfaction": "basic"})
    # What the engine records at 处置反馈 (workflow.py: the handling due moment then in force), written here by
    # the test until the engine's "due_at" stamp exists: the close of a working day after the feedback.
    Event.objects.filter(pk=done.pk).update(handled_due_at=timezone.make_aware(
        dt.datetime.combine(timezone.localdate() + dt.timedelta(days=3), dt.time(17, 30))))
    open_b = services.event_report(actor=world.users["grid_b"], category=cats["gas"], description="矾窑村燃气味").event
    citizen = services.event_report(actor=None, category=cats["garbage"], description="河边有垃圾",
                                    address="河底镇固庄村河边", source=Source.PUBLIC, attributes={"kind": "building"},
                                    reporter_name="张三丰", reporter_phone="13912345678").event
    return {"done": done, "open_b": open_b, "citizen": citizen}


def test_the_export_shows_labels_deadlines_rework_and_satisfaction(world, events, tmp_path):
    path = tmp_path / "events.csv"
    code, out, err = cli("export_ledger", "events", str(path), "--user", "center_staff")
    assert code == 0 and "3 行" in out
    headers, rows = read(path)
    for header in ["编号", "上报日期", "所属网格/村(社区)", "事件类别", "紧急程度", "事件描述", "来源渠道", "承办单位",
                   "办理期限", "状态", "办结日期", "是否超期", "是否返工", "满意度"]:
        assert header in headers
    done = next(r for r in rows if r["编号"] == events["done"].number)
    assert done["事件类别"] == "环境卫生／垃圾堆放" and done["紧急程度"] == "紧急" and done["状态"] == "已结案"
    assert done["所属网格/村(社区)"] == "河底镇/固庄村委会/固庄第一网格"
    assert done["来源渠道"] == "网格员上报" and done["承办单位"] == "区公安分局"
    assert done["是否返工"] == "是" and done["是否超期"] == "否" and done["满意度"] == "基本满意"
    assert done["办结日期"] and done["办理期限"].endswith("17:30") and done["处置时限"]
    open_b = next(r for r in rows if r["编号"] == events["open_b"].number)
    assert open_b["状态"] == "待受理" and open_b["是否返工"] == "否" and open_b["办结日期"] == ""
    entry = AuditEntry.objects.filter(action="ledger.export", object_type="ledger.events").get()
    assert entry.changes["rows"] == 3


def test_an_overdue_open_event_is_marked_overdue(world, events, tmp_path):
    Event.objects.filter(pk=events["open_b"].pk).update(due_at=timezone.now() - dt.timedelta(hours=3))
    path = tmp_path / "events.csv"
    assert cli("export_ledger", "events", str(path), "--user", "district_admin")[0] == 0
    _, rows = read(path)
    assert next(r for r in rows if r["编号"] == events["open_b"].number)["是否超期"] == "是"


def test_a_citizens_details_go_only_to_those_who_may_see_them_and_the_phone_is_masked(world, events, tmp_path):
    centre_file, leader_file = tmp_path / "centre.csv", tmp_path / "leader.csv"
    assert cli("export_ledger", "events", str(centre_file), "--user", "center_staff")[0] == 0
    assert cli("export_ledger", "events", str(leader_file), "--user", "leader")[0] == 0
    _, rows = read(centre_file)
    citizen = next(r for r in rows if r["编号"] == events["citizen"].number)
    assert citizen["报告人"] == "张三丰" and citizen["报告人电话"] == "139****5678"
    assert citizen["来源渠道"] == "群众自报"
    leader_text = leader_file.read_text(encoding="utf-8-sig")
    _, rows = read(leader_file)
    citizen = next(r for r in rows if r["编号"] == events["citizen"].number)
    assert citizen["报告人"] == "群众（信息不公开）" and citizen["报告人电话"] == ""
    assert "张三丰" not in leader_text and "5678" not in leader_text
    for path in (centre_file, leader_file):
        assert "13912345678" not in path.read_text(encoding="utf-8-sig")


def test_a_township_exports_only_its_own_events_and_not_outside_its_scope(world, events, tmp_path):
    path = tmp_path / "a.csv"
    assert cli("export_ledger", "events", str(path), "--user", "township_a")[0] == 0
    _, rows = read(path)
    assert {r["编号"] for r in rows} == {events["done"].number, events["citizen"].number}
    assert "荫营镇" not in path.read_text(encoding="utf-8-sig")
    code, _, err = cli("export_ledger", "events", str(tmp_path / "b.csv"), "--user", "township_a",
                       "--jurisdiction", world.township("b").code)
    assert code != 0 and "管辖范围" in err


def test_jurisdiction_limits_a_district_export_to_one_township(world, events, tmp_path):
    path = tmp_path / "b.csv"
    assert cli("export_ledger", "events", str(path), "--user", "district_admin",
               "--jurisdiction", world.township("b").code)[0] == 0
    _, rows = read(path)
    assert [r["编号"] for r in rows] == [events["open_b"].number]


def test_a_grid_worker_may_not_export_the_ledger(world, events, tmp_path):
    code, _, err = cli("export_ledger", "events", str(tmp_path / "x.csv"), "--user", "grid_a")
    assert code != 0 and "您的角色不能导出网格事件台账" in err
    assert not (tmp_path / "x.csv").exists() or (tmp_path / "x.csv").stat().st_size == 0


def test_importing_the_events_ledger_says_it_is_export_only_and_writes_nothing(world, events, tmp_path):
    path = tmp_path / "events.csv"
    assert cli("export_ledger", "events", str(path), "--user", "district_admin")[0] == 0
    Event.objects.filter(pk=events["done"].pk).update(description="改过")
    before = (Event.objects.count(), AuditEntry.objects.count(), TransitionLog.objects.count())
    for extra in ([], ["--dry-run"], ["--skip-invalid"]):
        code, out, err = cli("import_ledger", "events", str(path), "--user", "district_admin", *extra)
        assert code != 0 and EXPORT_ONLY_MESSAGE in err and "Traceback" not in err
    assert (Event.objects.count(), AuditEntry.objects.count(), TransitionLog.objects.count()) == before
    assert Event.objects.get(pk=events["done"].pk).description == "改过"
    with pytest.raises(Exception) as exc:
        ledgers.import_ledger(ledgers.get("events"), str(path), user=world.users["district_admin"])
    assert EXPORT_ONLY_MESSAGE in str(exc.value)


def test_the_web_offers_the_events_ledger_for_export_only(world, events, login):
    client = login(world.users["district_admin"])
    page = client.get(reverse("ledgers:index"))
    assert "events" in [s.kind for s in page.context["export_specs"]]
    assert "events" not in [s.kind for s in page.context["import_specs"]]
    before = (Event.objects.count(), AuditEntry.objects.count())
    response = client.post(reverse("ledgers:upload"), {
        "kind": "events", "file": SimpleUploadedFile("events.csv", "编号\nSJ1\n".encode())})
    assert response.status_code == 403 and "只能导出" in response.content.decode()
    assert Event.objects.count() == before[0]
    response = client.post(reverse("ledgers:export"), {"kind": "events", "format": "csv"})
    assert response.status_code == 302  # to the export job's page
    from pingan.jobs.testing import run_queued_jobs

    job = run_queued_jobs()[-1]
    response = client.get(reverse("jobs:download", args=[job.pk]), {"file": "result"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert events["done"].number in body


def test_the_blank_template_lists_the_columns(world, login):
    client = login(world.users["district_admin"])
    response = client.get(reverse("ledgers:template"), {"kind": "events"})
    assert response.status_code == 200
