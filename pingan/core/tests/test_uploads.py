"""The one upload validator (pingan/core/uploads.py) and the three places that store photos through it:
event photos, hazard photos, visit photos."""
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from pingan.core.uploads import clean_image

GPS_IFD = 0x8825
# 37°54'N 113°36'E: where a grid worker stood (piexif-free: Pillow writes the GPS IFD itself)
GPS = {1: "N", 2: (37.0, 54.0, 0.0), 3: "E", 4: (113.0, 36.0, 0.0)}


def _image_bytes(fmt="PNG", size=(40, 30), exif_gps=False) -> bytes:
    image = Image.new("RGB", size, (30, 120, 200))
    buffer = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif.get_ifd(GPS_IFD).update(GPS)
        image.save(buffer, fmt, exif=exif)
    else:
        image.save(buffer, fmt)
    return buffer.getvalue()


def _upload(data: bytes, name: str, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _bomb_png(width=20_000, height=20_000) -> bytes:
    """A valid PNG header claiming 400 megapixels, with almost no data: refused from the header alone."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def test_a_png_named_jpg_is_stored_as_png():
    cleaned = clean_image(_upload(_image_bytes("PNG"), "现场照片.jpg"))
    assert cleaned.file.name == "现场照片.png" and cleaned.content_type == "image/png"
    assert Image.open(io.BytesIO(cleaned.file.read())).format == "PNG"


def test_a_jpeg_keeps_its_type_and_a_gif_becomes_a_png():
    assert clean_image(_upload(_image_bytes("JPEG"), "a.png")).file.name == "a.jpg"
    gif = clean_image(_upload(_image_bytes("GIF"), "动图.gif"))
    assert gif.file.name == "动图.png" and gif.content_type == "image/png"


def test_a_text_file_named_jpg_is_refused_in_chinese():
    with pytest.raises(ValidationError) as exc:
        clean_image(_upload(b"just some text, not a picture\n" * 10, "照片.jpg"))
    assert exc.value.message_dict["photos"] == ["“照片.jpg”不是有效的图片文件（只接受 JPG、PNG、GIF、WebP、BMP 或 TIFF）。"]


def test_an_image_of_too_many_pixels_is_refused_before_decoding():
    with pytest.raises(ValidationError) as exc:
        clean_image(_upload(_bomb_png(), "bomb.png"), field="photo")
    assert "像素过多" in exc.value.message_dict["photo"][0]


def test_a_truncated_image_is_refused():
    data = _image_bytes("PNG", size=(200, 200))
    with pytest.raises(ValidationError):
        clean_image(_upload(data[: len(data) // 2], "half.png"))


def test_an_empty_or_oversized_file_is_refused():
    with pytest.raises(ValidationError) as empty:
        clean_image(_upload(b"", "a.jpg"))
    assert "空文件" in empty.value.message_dict["photos"][0]
    with pytest.raises(ValidationError) as big:
        clean_image(_upload(_image_bytes("PNG"), "a.png"), max_bytes=100)
    assert "上限" in big.value.message_dict["photos"][0]


def test_exif_and_its_gps_position_are_gone_after_re_encoding():
    original = _image_bytes("JPEG", exif_gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the position is really in the upload
    cleaned = clean_image(_upload(original, "IMG_0001.JPG"))
    data = cleaned.file.read()
    stored = Image.open(io.BytesIO(data))
    assert not stored.getexif().get_ifd(GPS_IFD) and 0x010F not in stored.getexif()
    assert b"PhoneMaker" not in data and b"PhoneMaker" in original


def test_a_large_photo_is_shrunk_to_the_callers_longest_side():
    cleaned = clean_image(_upload(_image_bytes("PNG", size=(3000, 1500)), "wide.png"), max_side=1600)
    assert (cleaned.width, cleaned.height) == (1600, 800)


# --- the three places that store photos -----------------------------------------------------------------------
@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.django_db
def test_an_event_photo_png_named_jpg_is_stored_as_png_without_gps(world, _media):
    from pingan.cases.models import WorkflowAttachment
    from pingan.events import services
    from pingan.events.testing import make_categories

    cats = make_categories(world)
    services.event_report(actor=world.users["grid_a"], category=cats["garbage"], description="垃圾",
                          attributes={"kind": "living"}, photos=[_upload(_image_bytes("PNG"), "手机.jpg")])
    attachment = WorkflowAttachment.objects.get(case_type="events.event")
    assert attachment.file.name.endswith(".png") and attachment.content_type == "image/png"
    assert Image.open(attachment.file.open("rb")).format == "PNG"


@pytest.mark.django_db
def test_a_hazard_photo_png_named_jpg_is_stored_as_png_and_a_text_file_is_refused(world, _media):
    import datetime as dt

    from pingan.cases.models import WorkflowAttachment
    from pingan.hazards.models import Hazard
    from pingan.hazards.services import hazard_register

    data = {"jurisdiction": world.village("a"), "screened_on": dt.date(2026, 1, 5),
            "hazard_type": "L02", "risk_level": "01", "description": "消防通道堵塞"}
    hazard_register(actor=world.officer("a"), data=data, photos=[_upload(_image_bytes("JPEG", exif_gps=True), "现场.png")])
    attachment = WorkflowAttachment.objects.get(case_type="hazards.hazard")
    assert attachment.file.name.endswith(".jpg") and attachment.content_type == "image/jpeg"
    assert not Image.open(attachment.file.open("rb")).getexif().get_ifd(GPS_IFD)
    with pytest.raises(ValidationError):
        hazard_register(actor=world.officer("a"), data=data, photos=[_upload(b"hello", "现场.jpg")])
    assert Hazard.objects.count() == 1


@pytest.mark.django_db
def test_a_visit_photo_is_stored_under_its_detected_type_without_gps(world, _media):
    import datetime as dt

    from pingan.people.services import visit_record
    from pingan.people.testing import make_enrollment

    enrollment = make_enrollment(world, "a", kind="released")
    visit = visit_record(actor=world.users["grid_a"], enrollment=enrollment, visited_on=dt.date.today(),
                         form="home", findings="在家，情况稳定",
                         photo=_upload(_image_bytes("JPEG", exif_gps=True), "走访.png"))
    assert visit.photo.name.endswith(".jpg")
    with visit.photo.open("rb") as handle:
        assert not Image.open(handle).getexif().get_ifd(GPS_IFD)
    with pytest.raises(ValidationError) as exc:
        visit_record(actor=world.users["grid_a"], enrollment=enrollment, visited_on=dt.date.today(), form="home",
                     findings="x", photo=_upload(b"plain text", "走访.jpg"))
    assert "不是有效的图片文件" in exc.value.message_dict["photo"][0]
