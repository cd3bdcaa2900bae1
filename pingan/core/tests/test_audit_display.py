"""The audit trail as a person reads it: Chinese action labels, changes as labelled rows, personal data redacted at
read time, on the audit log and the history pages."""
import re
from pathlib import Path

import pytest
from django.urls import reverse

from pingan.accounts import services as account_services
from pingan.core import audit
from pingan.core.audit_display import ChangeRow, action_label, change_rows, channel_label, object_type_label
from pingan.core.models import AuditEntry
from pingan.cases.definitions import kinds
from pingan.geo.services import node_set_pilot

ROOT = Path(__file__).resolve().parents[2]  # pingan/
ASCII_LETTER = re.compile(r"[A-Za-z]")
# action="person.register", audit_action = "hazard.import" (argparse's action="store_true" is not an audit action)
LITERAL = re.compile(r"""(?<![A-Za-z0-9])(?:audit_)?action\s*=\s*["']([a-z][a-z0-9_.]*)["']""")
# action=f"{obj._meta.model_name}.reveal", action=f"{_entity(case)}.supervise"
SUFFIX = re.compile(r"""action\s*=\s*f["']\{[^}"']+\}\.([a-z_]+)["']""")
NOT_AUDIT = {"store_true", "store_false", "store_const", "append", "count"}


def _source_actions() -> tuple[set[str], set[str]]:
    literals, suffixes = set(), set()
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        literals |= set(LITERAL.findall(text)) - NOT_AUDIT
        suffixes |= set(SUFFIX.findall(text))
    return literals, suffixes


def _every_action() -> list[tuple[str, str]]:
    """(action, object_type) for every action the code writes: literals, f-string actions on each case kind and
    on people, the extension decisions, and every workflow step."""
    literals, suffixes = _source_actions()
    actions = [(a, "") for a in sorted(literals)]
    case_types = [kind.label for kind in kinds()]
    for suffix in sorted(suffixes | {"extension_approve", "extension_refuse"}):
        for object_type in case_types + ["people.person"]:
            actions.append((f"{object_type.split('.')[1]}.{suffix}", object_type))
    for kind in kinds():
        for transition in kind.transitions:
            actions.append((f"{kind.label.split('.')[1]}.{transition.name}", kind.label))
    return actions


def test_the_source_walk_finds_the_actions_services_write():
    literals, suffixes = _source_actions()
    assert {"person.register", "login", "account.update", "ledger.export", "hazard.import"} <= literals
    assert {"reveal", "supervise"} <= suffixes


@pytest.mark.django_db
@pytest.mark.parametrize("outcome", ["success", "failure"])
def test_every_action_in_the_source_reads_as_chinese(outcome):
    unreadable = {}
    for action, object_type in _every_action():
        label = action_label(action, outcome=outcome, object_type=object_type)
        if not label or ASCII_LETTER.search(label):
            unreadable[action] = label
    assert unreadable == {}


@pytest.mark.parametrize("action, outcome, object_type, changes, expected", [
    ("person.register", "success", "people.person", {}, "登记实有人口"),
    ("login", "success", "accounts.user", {}, "登录"),
    ("login", "failure", "", {}, "登录失败"),
    ("event.dispatch", "success", "events.event", {}, "派遣事件"),
    ("account.update", "success", "accounts.user", {}, "修改账号"),
    ("person.reveal", "success", "people.person", {"field": "id_number", "reason": "核对身份"}, "查看完整证件号码"),
    ("person.reveal", "failure", "people.person", {"field": "phone", "reason": ""}, "查看完整联系电话"),
    ("event.reveal", "success", "events.event", {"field": "reporter_email"}, "查看完整报告人邮箱"),
    ("ledger.export", "success", "ledger.people", {}, "导出台账"),
    ("event.supervise", "success", "events.event", {}, "督办事件"),
    # Codes nobody has labelled yet: the model's verbose name and the verb table.
    ("hazard.delete", "success", "hazards.hazard", {}, "删除风险隐患"),
    ("events.dispatchrule.create", "success", "events.dispatchrule", {}, "新建派遣规则"),
    ("node.archive", "success", "geo.node", {}, "辖区节点：其他操作"),
    ("teleport", "success", "", {}, "其他操作"),
])
def test_an_action_code_has_a_chinese_label(db, action, outcome, object_type, changes, expected):
    assert action_label(action, outcome=outcome, object_type=object_type, changes=changes) == expected


@pytest.mark.parametrize("channel, expected", [
    ("web", "网页"), ("api", "接口"), ("internal", "系统内部"), ("job", "后台任务"),
    ("cli:import_ledger", "命令行（导入台账）"), ("cli:admin_account", "命令行（管理员账号维护）"),
    ("cli:something_new", "命令行"), ("", "—"), ("carrier_pigeon", "其他渠道"),
])
def test_a_channel_reads_as_chinese(channel, expected):
    assert channel_label(channel) == expected


def test_an_object_type_reads_as_its_model_or_ledger_name(db):
    assert object_type_label("people.person") == "实有人口"
    assert object_type_label("geo.node") == "辖区节点"
    assert object_type_label("ledger.hazards") == "风险隐患台账"
    assert object_type_label("ledger.gone") == "台账"
    assert object_type_label("nope.model") == "其他对象"


def test_a_field_pair_reads_as_its_label_before_and_after(db):
    assert change_rows("geo.node", {"is_pilot": [False, True]}) == [ChangeRow("试点", "change", "否", "是")]


def test_choices_show_their_labels_empty_shows_a_dash_and_fks_their_id(db):
    rows = change_rows("people.person", {"before": {"sex": "1", "marital_status": "", "household": None},
                                         "after": {"sex": "2", "marital_status": "", "household": 7}})
    assert rows == [ChangeRow("性别", "change", "男", "女"), ChangeRow("所在户", "change", "—", "#7")]


def test_a_new_records_values_are_listed_with_labels(db):
    rows = change_rows("people.person", {"after": {"person_type": "floating", "name": "王五"}, "photos": 2})
    assert rows == [ChangeRow("人口类型", "after", after="流动人口"), ChangeRow("姓名", "after", after="王五"),
                    ChangeRow("照片数", "value", after="2")]


def test_the_primary_key_reads_as_its_number(db):
    assert change_rows("geo.node", {"after": {"id": 5}}) == [ChangeRow("编号", "after", after="5")]


def test_a_reveal_names_the_field_and_the_reason(db):
    rows = change_rows("people.person", {"field": "id_number", "reason": "核对身份信息"})
    assert rows == [ChangeRow("查看的字段", "value", after="证件号码"), ChangeRow("理由", "value", after="核对身份信息")]


def test_unknown_keys_and_non_model_objects_read_without_english(db):
    rows = change_rows("ledger.people", {"ledger": "people", "rows": 12, "full": False, "mystery_key": "x"})
    assert rows == [ChangeRow("台账", "value", after="实有人口台账"), ChangeRow("行数", "value", after="12"),
                    ChangeRow("完整证件号码", "value", after="否"), ChangeRow("其他信息", "value", after="x")]
    assert change_rows("", {}) == []


def test_old_plaintext_personal_data_is_redacted_at_read_time(db):
    """An entry written before redaction existed: birth date, ID ciphertext and lookup hash in plaintext."""
    rows = change_rows("people.person", {"after": {"birth_date": "1986-04-23", "id_cipher": "v1:QUJDREVGRw==",
                                                   "id_hash": "9f" * 32}})
    assert rows == [ChangeRow("出生日期", "after", after="1986年"),
                    ChangeRow("证件号码（密文）", "after", after="（已加密）"),
                    ChangeRow("证件号码查询散列", "after", after="（已加密）")]


def test_another_models_personal_fields_on_an_enrolment_entry_are_redacted(db):
    """special_person.detail_update records a detail model's fields on the enrolment's entry."""
    rows = change_rows("people.specialenrollment", {"diagnosis": ["", "精神分裂症"], "guardian_phone": ["", "13912345678"]})
    assert rows == [ChangeRow("诊断类型", "change", "—", "（已加密）"), ChangeRow("监护人电话", "change", "—", "139****5678")]


# ------------------------------------------------------------------------------------------------- pages
def _table_body(response) -> str:
    body = response.content.decode()
    return body[body.index("<tbody>"):body.index("</tbody>")]


@pytest.fixture
def old_person_entry(world):
    """An entry as written before redaction existed, on a person of township A."""
    from pingan.people.testing import make_person

    person = make_person(world, "a", name="赵六", current_address="固庄一号院")
    return AuditEntry.objects.create(
        actor=world.users["district_admin"], actor_name="district_admin", request_id="0123abcd", channel="cli:import_ledger",
        action="person.update", object_type="people.person", object_id=str(person.pk), object_repr="赵六",
        scope_path=audit.object_scope_path(person),
        changes={"birth_date": ["1986-04-23", "1986-04-24"], "id_cipher": ["v1:T0xEQ0lQSEVS", "v1:TkVXQ0lQSEVS"]},
    ), person


def test_the_audit_log_shows_chinese_labels_and_no_codes(world, login, old_person_entry):
    node_set_pilot(actor=world.users["district_admin"], node=world.village("a"), is_pilot=True)
    login(world.users["district_admin"]).post(reverse("geo:node_pilot", args=[world.village("b").code]), {"is_pilot": "on"})
    account_services.login_failed(username="grid_a", address="10.0.0.9")
    response = login(world.users["auditor"]).get(reverse("core:audit_log"))
    assert response.status_code == 200
    rows = _table_body(response)
    for shown in ("设置试点", "试点", "否 → 是", "辖区节点", "系统内部", "网页", "登录失败", "修改实有人口信息", "命令行（导入台账）",
                  "出生日期", "1986年 → 1986年", "（已加密） → （已加密）", "成功", "失败"):
        assert shown in rows, shown
    text = re.sub(r"<[^>]+>", " ", rows)
    # Account names and request ids are the only Latin letters a reader sees.
    assert ASCII_LETTER.findall(re.sub(r"district_admin|grid_a|\b[0-9a-f]{8}\b", "", text)) == []
    for code in ("jurisdiction.set_pilot", "is_pilot", "person.update", "birth_date", "id_cipher", "geo.node",
                 "people.person", "cli:import_ledger", "login", "failure", "1986-04-23", "T0xEQ0lQSEVS"):
        assert code not in rows, code


def test_the_auditor_searches_the_log_by_the_chinese_label(world, login):
    node_set_pilot(actor=world.users["district_admin"], node=world.village("a"), is_pilot=True)
    account_services.login_failed(username="grid_a", address="10.0.0.9")
    client = login(world.users["auditor"])
    found = [e.action for e in client.get(reverse("core:audit_log"), {"action": "设置试点"}).context["page"]]
    assert found == ["jurisdiction.set_pilot"]
    found = [e.action for e in client.get(reverse("core:audit_log"), {"action": "登录失败"}).context["page"]]
    assert found == ["login"]


def test_a_history_page_shows_chinese_labels_and_no_field_names(world, login):
    village = world.village("a")
    node_set_pilot(actor=world.users["district_admin"], node=village, is_pilot=True)
    response = login(world.users["district_admin"]).get(reverse("core:history", args=["geo.node", village.pk]))
    assert response.status_code == 200
    rows = _table_body(response)
    assert "设置试点" in rows and "试点：" in rows and "否 → 是" in rows and "成功" in rows
    assert "jurisdiction.set_pilot" not in rows and "is_pilot" not in rows and "False" not in rows


def test_a_history_page_redacts_an_old_entrys_plaintext(world, login, old_person_entry):
    entry, person = old_person_entry
    response = login(world.officer("a")).get(reverse("core:history", args=["people.person", person.pk]))
    assert response.status_code == 200
    rows = _table_body(response)
    assert "修改实有人口信息" in rows and "出生日期：" in rows and "1986年 → 1986年" in rows
    assert "1986-04-2" not in rows and "v1:" not in rows and "birth_date" not in rows
