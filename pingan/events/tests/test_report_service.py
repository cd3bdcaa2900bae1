"""Reporting an event through the service: the checks every way in shares."""
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from pingan.core.models import AuditEntry

from pingan.cases.models import TransitionLog, WorkflowAttachment
from pingan.events import services
from pingan.events.choices import EventState, Source
from pingan.events.models import Event
from pingan.events.testing import jpeg_bytes

pytestmark = pytest.mark.django_db


def report(world, cats, **kw):
    args = dict(actor=world.users["grid_a"], category=cats["garbage"], description="村口垃圾堆放三天无人清理",
                attributes={"kind": "living"})
    args.update(kw)
    return services.event_report(**args)


def test_a_grid_workers_report_lands_in_their_grid_with_a_number_a_log_and_an_audit_entry(world, cats):
    result = report(world, cats, latitude="37.85", longitude="113.55")
    event = result.event
    assert result.created and event.jurisdiction == world.grid("a")
    assert event.number.startswith("SJ140311101")
    assert event.state == EventState.REPORTED and event.due_at is not None  # worked examples: test_deadlines.py
    assert event.reporter == world.users["grid_a"]
    assert AuditEntry.objects.filter(action="events.event.report", object_id=str(event.pk)).exists()
    log = TransitionLog.objects.get(case_type="events.event", case_id=event.pk)
    assert log.kind == "create"


def test_the_same_idempotency_key_sent_twice_creates_one_event(world, cats):
    first = report(world, cats, idempotency_key="offline-0001-abcdef")
    second = report(world, cats, idempotency_key="offline-0001-abcdef")
    assert first.created and not second.created
    assert first.event.pk == second.event.pk
    assert Event.objects.count() == 1
    assert AuditEntry.objects.filter(action="events.event.report").count() == 1


def test_another_users_idempotency_key_is_refused(world, cats):
    report(world, cats, idempotency_key="offline-0002-abcdef")
    with pytest.raises(ValidationError):
        report(world, cats, actor=world.users["village_a"], idempotency_key="offline-0002-abcdef")


@pytest.mark.parametrize("lat,lng,message", [
    ("39.9", "116.4", "不在本区范围内"),
    ("abc", "113.5", "不是数字"),
    ("37.8", "", "成对"),
    ("NaN", "113.5", "有效数字"),
])
def test_bad_coordinates_are_refused_and_nothing_is_written(world, cats, lat, lng, message):
    with pytest.raises(ValidationError) as exc:
        report(world, cats, latitude=lat, longitude=lng)
    assert message in str(exc.value)
    assert Event.objects.count() == 0 and TransitionLog.objects.count() == 0


def test_full_width_coordinates_are_read_as_numbers(world, cats):
    event = report(world, cats, latitude="３７.８５", longitude="１１３.５５").event
    assert event.latitude == Decimal("37.850000")


def test_a_missing_required_extra_field_and_an_empty_description_are_named(world, cats):
    with pytest.raises(ValidationError) as exc:
        report(world, cats, description="   ", attributes={"volume": "许多"})
    errors = exc.value.message_dict
    assert "请填写事件描述。" in errors["description"]
    assert any("垃圾种类" in m for m in errors["attribute[kind]"])
    assert any("数字" in m for m in errors["attribute[volume]"])


def test_a_description_over_the_limit_is_refused(world, cats):
    with pytest.raises(ValidationError) as exc:
        report(world, cats, description="很" * 10_000)
    assert "最多" in str(exc.value)


def test_html_in_the_description_is_stored_as_plain_text(world, cats):
    event = report(world, cats, description="<script>alert(1)</script>").event
    assert Event.objects.get(pk=event.pk).description == "<script>alert(1)</script>"


def test_a_grid_of_another_township_is_refused(world, cats):
    with pytest.raises(ValidationError) as exc:
        report(world, cats, actor=world.users["village_a"], jurisdiction=world.grid("b"))
    assert "不在您的管辖范围内" in str(exc.value)


def test_a_role_that_may_not_report_is_denied(world, cats):
    with pytest.raises(PermissionDenied):
        report(world, cats, actor=world.users["handler_a"])


def test_photos_are_resized_re_encoded_and_attached_to_the_first_log_line(world, cats):
    big = SimpleUploadedFile("现场.png", jpeg_bytes(size=(3000, 1500)), content_type="image/png")
    event = report(world, cats, photos=[big]).event
    attachment = WorkflowAttachment.objects.get(case_type="events.event", case_id=event.pk)
    from PIL import Image

    with attachment.file.open("rb") as fh:
        image = Image.open(fh)
        assert max(image.size) == 1600 and image.format == "JPEG"
    attachment.file.delete(save=False)


def test_a_file_that_is_not_an_image_is_refused(world, cats):
    fake = SimpleUploadedFile("照片.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        report(world, cats, photos=[fake])
    assert "不是有效的图片" in str(exc.value)
    assert Event.objects.count() == 0


def test_a_photo_over_ten_megabytes_is_refused(world, cats):
    class Huge:
        name = "大图.jpg"
        size = 50 * 1024 * 1024

    with pytest.raises(ValidationError) as exc:
        report(world, cats, photos=[Huge()])
    assert "10 MB" in str(exc.value)


def test_a_citizens_point_is_placed_in_the_nearest_grid_and_gets_a_lookup_code(world, cats):
    world.grid("a").latitude, world.grid("a").longitude = Decimal("37.900000"), Decimal("113.600000")
    world.grid("a").save()
    world.grid("b").latitude, world.grid("b").longitude = Decimal("37.800000"), Decimal("113.500000")
    world.grid("b").save()
    result = services.event_report(actor=None, category=cats["garbage"], description="河边有垃圾",
                                   latitude="37.801", longitude="113.501", source=Source.PUBLIC,
                                   attributes={"kind": "living"}, reporter_name="张三", reporter_phone="13900000000")
    assert result.event.jurisdiction == world.grid("b")
    assert len(result.lookup_code) == 8
    from pingan.events.intake import lookup_code_matches

    assert lookup_code_matches(result.event, result.lookup_code.lower())
    assert not lookup_code_matches(result.event, "WRONG123")
