"""Leak-test factories and test helpers for the grid-event module."""
from __future__ import annotations

import io

from django.utils import timezone

from pingan.cases.testing import case_factory
from pingan.core.testing import leak_factory, marked, new_marker, unscoped_route

from .choices import DeadlineUnit, FieldType, Source
from .models import Category, CategoryField, DispatchRule, Event, Open311Key

unscoped_route("events_public:report", "群众上报页：不登录，不显示任何辖区记录")
unscoped_route("events_public:lookup", "群众查询页：凭编号和查询码只显示状态，不显示报告人")
unscoped_route("events_public:discovery", "Open311 发现文档：不含事件数据")
unscoped_route("events_public:services", "Open311 服务目录：公开的事件类别")
unscoped_route("events_public:service", "Open311 服务定义：公开的事件类别字段")
unscoped_route("events_public:requests", "Open311 公开事件列表：不含报告人信息，敏感类别位置只到网格")
unscoped_route("events_public:request", "Open311 单个事件：不含报告人信息")
unscoped_route("events_public:token", "Open311 令牌查询：只返回事件编号")
unscoped_route("events:service_worker", "离线上报的 Service Worker 脚本，不含数据")


def make_categories(world=None) -> dict[str, Category]:
    """A small two-level list like the demo's, owned by the county."""
    from pingan.geo.models import Node

    county = world.county if world is not None else Node.objects.filter(level="county").order_by("path").first()
    env = Category.objects.create(jurisdiction=county, code="04", name="环境卫生")
    garbage = Category.objects.create(jurisdiction=county, code="0401", name="垃圾堆放", parent=env,
                                      deadline_amount=2, deadline_unit=DeadlineUnit.WORKING_DAYS)
    safety = Category.objects.create(jurisdiction=county, code="03", name="安全隐患")
    gas = Category.objects.create(jurisdiction=county, code="0301", name="燃气泄漏隐患", parent=safety,
                                  deadline_amount=4, deadline_unit=DeadlineUnit.WORKING_HOURS, urgent_deadline_amount=2)
    clue = Category.objects.create(jurisdiction=county, code="01", name="矛盾纠纷线索")
    family = Category.objects.create(jurisdiction=county, code="0101", name="家庭矛盾", parent=clue,
                                     is_sensitive=True, deadline_amount=3)
    CategoryField.objects.create(category=garbage, code="volume", label="大约方量", datatype=FieldType.NUMBER)
    CategoryField.objects.create(category=garbage, code="kind", label="垃圾种类", datatype=FieldType.SINGLE,
                                 required=True, values=[{"key": "living", "name": "生活垃圾"},
                                                        {"key": "building", "name": "建筑垃圾"}])
    return {"env": env, "garbage": garbage, "safety": safety, "gas": gas, "clue": clue, "family": family}


def jpeg_bytes(size=(64, 48), color=(200, 80, 40)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


def _category(world, side, marker=""):
    county = world.county
    parent = Category.objects.filter(code="98").first() or Category.objects.create(
        jurisdiction=county, code="98", name="乡镇自定类别")
    # A township's own category (a township may add local ones): visible in that township only.
    code = f"98{'1' if side == 'a' else '2'}1"
    if marker or Category.objects.filter(code=code).exists():
        code = f"98{'1' if side == 'a' else '2'}{Category.objects.filter(parent=parent).count() + 2}"
    return Category.objects.create(jurisdiction=world.township(side), code=code,
                                   name=f"{world.township(side).name}{marker}专项巡查", parent=parent)


def _shared_category(world, side):
    """The township's own category that the township's events, fields and rules hang on (made once)."""
    return Category.objects.filter(code=f"98{'1' if side == 'a' else '2'}1").first() or _category(world, side)


@leak_factory(Category)
def _leak_category(world, side):
    marker = new_marker()
    return marked(_category(world, side, marker), marker)


@leak_factory(CategoryField)
def _leak_field(world, side):
    marker = new_marker()
    category = _shared_category(world, side)
    n = CategoryField.objects.filter(category=category).count()
    return marked(CategoryField.objects.create(category=category, code=f"field_{side}{n}", label=f"{marker}字段"), marker)


@leak_factory(DispatchRule)
def _leak_rule(world, side):
    marker = new_marker()
    # A category of its own: one rule per (category, place).
    category = _category(world, side, marker)
    return marked(DispatchRule.objects.create(category=category, jurisdiction=world.township(side),
                                              department=world.departments[f"police_{side}"], note=f"{marker}规则"),
                  marker)


@leak_factory(Open311Key)
def _leak_key(world, side):
    from . import intake

    marker = new_marker()
    return marked(Open311Key.objects.create(jurisdiction=world.township(side), name=f"{marker}热线接口",
                                            key_hash=intake.hash_secret(f"leak-{marker}", "open311"),
                                            key_prefix=marker[-8:]), marker)


@leak_factory(Event)
def _leak_event(world, side):
    """An event reported by the township's grid worker with a photo, registered, dispatched to the township's
    派出所 and supervised (督办) by the centre: its handler sees it (by assignment), another department's handler
    does not (whatever its place), and the photo and supervision-reply routes have something to serve."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pingan.cases import engine

    from . import services

    marker = new_marker()
    category = _shared_category(world, side)
    report = services.event_report(actor=world.users[f"grid_{side}"], category=category,
                                   description=f"{marker}{world.village(side).short_name}路口积水",
                                   address=f"{world.village(side).short_name}{marker}路口", source=Source.GRID,
                                   photos=[SimpleUploadedFile("现场.jpg", jpeg_bytes(), content_type="image/jpeg")])
    event = report.event
    centre = world.users["center_staff"]
    engine.transition(actor=centre, case=event, action="register")
    engine.transition(actor=centre, case=event, action="dispatch",
                      data={"assigned_department": world.departments[f"police_{side}"]})
    event.refresh_from_db()
    engine.supervise(actor=centre, case=event, note=f"{marker}督办")
    event.refresh_from_db()
    return marked(event, marker, event.number)


# /healthz (pingan/core/health.py) was added with bench/bench_events.py, whose baseline it is.
unscoped_route("core:healthz", "健康检查：只返回 {\"status\": \"ok\"}，不查数据库、不含任何数据")


# The case layer's contract test (pingan/cases/tests/test_contract.py) makes this kind's cases with this.
@case_factory("events.event")
class EventCases:
    """A grid worker's report in township `side`'s grid, taken by the centre and dispatched to the township's
    派出所 (police_<side>)."""

    registrar = "grid_{side}"
    reporter = "grid_{side}"
    paths = {
        "registered": [("center_staff", "register")],
        "dispatched": [("center_staff", "register"), ("center_staff", "dispatch")],
        "handling": [("center_staff", "register"), ("center_staff", "dispatch"), ("handler_{side}", "accept")],
        "checking": [("center_staff", "register"), ("center_staff", "dispatch"), ("handler_{side}", "accept"),
                     ("handler_{side}", "feedback")],
        "closed": [("center_staff", "register"), ("center_staff", "dispatch"), ("handler_{side}", "accept"),
                   ("handler_{side}", "feedback"), ("center_staff", "close")],
        "rejected": [("center_staff", "reject")],
        "duplicate": [("center_staff", "duplicate")],
    }

    @staticmethod
    def _category(world):
        from pingan.events.models import Category
        from pingan.events.testing import make_categories

        return Category.objects.filter(code="0401").first() or make_categories(world)["garbage"]

    @staticmethod
    def build(world, side):
        from pingan.events.choices import Source
        from pingan.events.models import Event

        grid = world.grid(side)
        return Event(jurisdiction=grid, category=EventCases._category(world),
                     description=f"{world.village(side).short_name}路口垃圾堆放", address=f"{grid.name}路口",
                     attributes={"kind": "living"}, source=Source.GRID, reporter=world.users[f"grid_{side}"],
                     reported_at=timezone.now())

    @staticmethod
    def inputs(world, case, action):
        side = "a" if case.jurisdiction.path.startswith(world.township("a").path) else "b"
        if action == "dispatch":
            return {"data": {"assigned_department": world.departments[f"police_{side}"]}}
        if action == "feedback":
            return {"data": {"handling_result": "已清理完毕"}}
        if action == "duplicate":
            from pingan.cases.testing import register

            return {"data": {"duplicate_of": register(world, side, "events.event")}}
        if action in ("reject", "return", "send_back", "reopen"):
            return {"note": "理由：测试"}
        if action == "evaluate":
            return {"data": {"satisfaction": "satisfied"}}
        return {}

    @staticmethod
    def assign(world, side, department):
        """A new case of township `side` dispatched to `department` (派遣)."""
        from pingan.cases import engine
        from pingan.cases.testing import make_case

        case = make_case(world, side, "events.event", "registered")
        engine.transition(actor=world.users["center_staff"], case=case, action="dispatch",
                          data={"assigned_department": department})
        case.refresh_from_db()
        return case
