"""Personal data machinery: GB 11643 ID numbers, encryption, lookup hashes, masking, the audited reveal."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pingan.core import personal
from pingan.core.models import AuditEntry


def make_id(first17: str) -> str:
    return first17 + personal.check_char(first17)


VALID_MALE = make_id("14031119900101123")  # digit 17 = 3: male
VALID_FEMALE = make_id("14031119850615002")  # digit 17 = 2: female


def test_it_accepts_a_valid_id_and_reads_birth_date_and_sex():
    parsed = personal.parse_id_number(VALID_MALE)
    assert parsed.value == VALID_MALE
    assert parsed.birth_date == dt.date(1990, 1, 1)
    assert parsed.sex == personal.SEX_MALE and parsed.sex_label == "男"
    assert personal.parse_id_number(VALID_FEMALE).sex == personal.SEX_FEMALE


def test_it_knows_the_published_check_digit_example():
    # GB 11643 example number: 11010519491231002X
    assert personal.check_char("11010519491231002") == "X"
    assert personal.parse_id_number("11010519491231002x").value == "11010519491231002X"


def test_it_rejects_a_wrong_check_digit_naming_the_right_one():
    wrong = VALID_MALE[:17] + ("0" if VALID_MALE[17] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        personal.parse_id_number(wrong)
    assert "校验码错误" in exc.value.messages[0]
    assert f"应为 {VALID_MALE[17]}" in exc.value.messages[0]


def test_it_rejects_an_impossible_birth_date():
    with pytest.raises(ValidationError) as exc:
        personal.parse_id_number(make_id("14031119990231123"))
    assert "1999-02-31 不是真实的日期" in exc.value.messages[0]


def test_it_rejects_a_birth_date_in_the_future():
    future = dt.date.today().year + 1
    with pytest.raises(ValidationError) as exc:
        personal.parse_id_number(make_id(f"140311{future}0101123"))
    assert "不合理" in exc.value.messages[0]


def test_it_normalises_full_width_digits_spaces_and_lowercase_x():
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in VALID_MALE)
    assert personal.parse_id_number(f"  {full_width} ").value == VALID_MALE
    assert personal.parse_id_number("１１０１０５１９４９１２３１００２ｘ").value == "11010519491231002X"


def test_it_converts_a_15_digit_old_id_with_the_19_century():
    parsed = personal.parse_id_number("140311900101123")
    assert parsed.converted_from_15
    assert parsed.value == make_id("14031119900101123")
    assert parsed.birth_date == dt.date(1990, 1, 1)


def test_it_rejects_a_15_digit_id_when_conversion_is_not_allowed():
    with pytest.raises(ValidationError) as exc:
        personal.parse_id_number("140311900101123", allow_15=False)
    assert "15 位旧身份证号码" in exc.value.messages[0]


def test_it_rejects_an_impossible_date_in_a_15_digit_id():
    with pytest.raises(ValidationError) as exc:
        personal.parse_id_number("140311990231123")
    assert "不是真实的日期" in exc.value.messages[0]


@pytest.mark.parametrize("raw, fragment", [
    ("", "不能为空"),
    ("1403111990", "应为 18 位"),
    ("14031119900101123A", "格式不正确"),
    ("1403111990010112X3", "格式不正确"),
    ("000000199001011234", "地址码"),
])
def test_it_rejects_malformed_ids_with_a_chinese_message(raw, fragment):
    with pytest.raises(ValidationError) as exc:
        personal.parse_id_number(raw)
    assert fragment in exc.value.messages[0]


def test_it_rejects_a_sex_that_disagrees_with_the_id():
    parsed = personal.parse_id_number(VALID_MALE)
    personal.check_sex_agrees(parsed, "1")
    personal.check_sex_agrees(parsed, "男")
    with pytest.raises(ValidationError) as exc:
        personal.check_sex_agrees(parsed, "女")
    assert "与公民身份号码不符" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        personal.check_birth_agrees(parsed, dt.date(1990, 1, 2))


def test_encryption_round_trips_and_is_not_deterministic():
    a, b = personal.encrypt(VALID_MALE), personal.encrypt(VALID_MALE)
    assert a != b and VALID_MALE not in a
    assert personal.decrypt(a) == VALID_MALE == personal.decrypt(b)
    assert personal.encrypt("") == "" and personal.decrypt("") == ""


def test_tampered_ciphertext_is_refused():
    token = personal.encrypt("秘密")
    tampered = token[:-4] + ("AAAA" if token[-4:] != "AAAA" else "BBBB")
    with pytest.raises(ValueError):
        personal.decrypt(tampered)


def test_the_lookup_hash_is_keyed_stable_and_separated_by_namespace():
    h = personal.lookup_hash(VALID_MALE)
    assert h == personal.lookup_hash(VALID_MALE) and len(h) == 64
    import hashlib
    assert h != hashlib.sha256(VALID_MALE.encode()).hexdigest()
    assert h != personal.lookup_hash(VALID_MALE, namespace="phone")


def test_a_different_field_key_gives_different_hashes(settings):
    before = personal.lookup_hash(VALID_MALE)
    settings.PINGAN_FIELD_KEY = "another-key-" + "x" * 40
    assert personal.lookup_hash(VALID_MALE) != before


def test_masking_ids_and_phones():
    # The county, the whole birth date and the sequence are hidden: 4 + 12 stars + 2.
    assert personal.mask_id("14031119900101123X") == "1403************3X"
    assert personal.mask_phone("13812345678") == "138****5678"
    assert personal.mask_phone("0353-1234567") == "0353-*****67"
    assert personal.mask_id("E12345678") == "E1*****78"
    assert personal.mask_id("") == "" and personal.mask_phone("") == ""


@pytest.mark.parametrize("raw, expected", [("13812345678", "13812345678"), ("１３８１２３４５６７８", "13812345678"),
                                           ("+86 138 1234 5678", "13812345678"), ("0353-1234567", "0353-1234567"),
                                           ("", "")])
def test_it_cleans_valid_phones(raw, expected):
    assert personal.parse_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "2381234567x", "138123456789"])
def test_it_rejects_bad_phones(raw):
    with pytest.raises(ValidationError) as exc:
        personal.parse_phone(raw)
    assert "联系电话" in exc.value.messages[0]


@pytest.mark.django_db
def test_reveal_checks_the_capability_and_audits_success_and_refusal(world):
    from pingan.accounts.permissions import register_capability

    register_capability("test.reveal_id", {world.users["district_admin"].role})
    node = world.grid("a")
    token = personal.encrypt(VALID_MALE)
    admin = world.users["district_admin"]
    with pytest.raises(ValidationError):
        personal.reveal(actor=admin, obj=node, field="id_number", label="公民身份号码", ciphertext=token, reason="",
                        capability="test.reveal_id")
    value = personal.reveal(actor=admin, obj=node, field="id_number", label="公民身份号码", ciphertext=token,
                            reason="核对低保申请材料", capability="test.reveal_id")
    assert value == VALID_MALE
    entry = AuditEntry.objects.filter(action="node.reveal", outcome="success").get()
    assert entry.changes == {"field": "id_number", "reason": "核对低保申请材料"}
    assert VALID_MALE not in str(entry.changes) and entry.actor == admin
    with pytest.raises(PermissionDenied):
        personal.reveal(actor=world.users["grid_a"], obj=node, field="id_number", label="公民身份号码",
                        ciphertext=token, reason="想看看号码", capability="test.reveal_id")
    assert AuditEntry.objects.filter(action="node.reveal", outcome="failure").count() == 1
