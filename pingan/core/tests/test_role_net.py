"""The role × route net: every URL pattern and API route, present and future, is walked with one persona of
every role, and each must see exactly what the role table (docs: the spec of who sees what) allows.

Who may see a record is worked out HERE, from the table written out below (role × data kind × place or
assignment), not by asking `visible_to` (pingan/core/scoping.py is what is under test):

- reference rows (the tree, accounts, departments, configuration): by place; configuration that the district
  or a township owns (categories, their fields, dispatch rules, departments) is also visible below it. The
  security admin sees accounts, departments and the tree only; the auditor only its own account.
- case rows (events, hazards, their attachments): by place; a grid worker also what it reported; a department
  handler ONLY the cases assigned to its department, wherever it sits.
- person rows: by place; never a department handler. Health rows (enrolments of 严重精神障碍/艾滋病, their
  visits, treatment episodes, fund spending on them): as person rows, and never a mediator.
- clue rows (专项行动线索, 举报线索保密): by place for the township office, the centre, the district and the
  leader only, never the village officer, the grid worker or the mediator; a department handler ONLY the clues
  handed to its department.
- the leader reads like a county officer and writes nothing: every write route answers 403 (or 404/405).

Every leak factory (pingan/*/testing.py) returns a record carrying a marker no other record shares. A page
or an API answer refused to a persona must carry none of the markers of the records it may not see; a
record the persona may see must show its marker on its detail routes (a positive control on every route),
and on the list routes that list its model. Writes (POST, PUT, PATCH, DELETE, every API action) on a record
a persona may not see, and every write of the leader, answer 403/404/405 and change nothing (read back).
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urljoin, urlparse

import pytest
from django.test import Client
from django.urls import reverse

from pingan.accounts.testing import add_role_net_personas
from pingan.core.testing import LEAK_VARIANTS, UNSCOPED_ROUTES
from pingan.core.tests.test_leaks import _discover_testing_modules, _kwarg_names, _model_and_kwargs, routes

# ---------------------------------------------------------------------------------------------------------
# The spec, written out (roles by their stored value, so the test does not read the code's role table).

HEALTH_KINDS = {"mental", "aids"}  # 严重精神障碍患者, 艾滋病危险人员

# Campaign clues are read by place only by these (举报线索保密: not the village, the grid or the mediator).
CLUE_PLACE_ROLES = {"district_admin", "center_staff", "township_officer", "leader"}

PLACE_ROLES = {"district_admin", "center_staff", "township_officer", "village_officer", "grid_worker", "mediator",
               "leader"}

# model label -> (data kind, sub-kind of reference data, visible below the owning node?)
#   below: "yes" = configuration owned above is visible downwards; "no" = place only; "open" = the spec does
#   not say (not checked for personas under the owning node, checked for everyone else).
MODEL_KINDS: dict[str, tuple[str, str, str]] = {
    "geo.node": ("reference", "tree", "no"),
    "geo.liaisonpoint": ("reference", "config", "open"),
    "accounts.user": ("reference", "account", "no"),
    "accounts.department": ("reference", "department", "yes"),
    "events.category": ("reference", "config", "yes"),
    "events.categoryfield": ("reference", "config", "yes"),
    "events.dispatchrule": ("reference", "config", "yes"),
    "events.open311key": ("reference", "config", "open"),
    "events.event": ("case", "", "no"),
    "hazards.hazard": ("case", "", "no"),
    "cases.workflowattachment": ("case", "", "no"),
    "notifications.notification": ("own", "", "no"),
    "people.person": ("person", "", "no"),
    "people.household": ("person", "", "no"),
    "people.rentalhouse": ("person", "", "no"),
    "people.fund": ("person", "", "open"),
    "people.specialenrollment": ("person", "", "no"),   # health when its kind is a health kind
    "people.visit": ("person", "", "no"),              # health when its enrolment's is
    "people.treatmentepisode": ("health", "", "no"),
    "people.fundspending": ("person", "", "no"),       # health when its enrolment's is
    # A background job is its owner's alone (its result holds what the owner may see): "own".
    "jobs.job": ("own", "", "no"),
    # Crime figures: aggregate statistics of a township (reference data by place, kept at township level).
    "crimes.crimecount": ("reference", "config", "no"),
    # A campaign is a programme: seen at and below the level that set it up; its clues are their own kind
    # ("clue": CLUE_PLACE_ROLES by place, a handler those handed to its department).
    "campaigns.campaign": ("reference", "config", "yes"),
    "campaigns.clue": ("clue", "", "no"),
    # 社会治安 registers: teams, cameras, training by place (handlers too); members, officers, attendance are
    # person rows; patrols are teams' own records, like cases by place (no department is assigned one).
    "security.team": ("reference", "config", "no"),
    "security.camera": ("reference", "config", "no"),
    "security.trainingsession": ("reference", "config", "no"),
    "security.teammember": ("person", "", "no"),
    "security.securityofficer": ("person", "", "no"),
    "security.attendance": ("person", "", "no"),
    "security.patrol": ("case", "", "no"),
    # Early warnings are seen like cases (a handler: those of its department's sources); rule settings are configuration.
    "alerts.alert": ("case", "", "no"),
    "alerts.alertrulesetting": ("reference", "config", "open"),
    # The one window: matters are cases of the hall's place (no department is assigned one: the case they become
    # is); visitors are person rows; 心理服务 appointments are health rows; counsellors, units on duty and the
    # schedule are the hall's configuration (whether a village sees its township hall's schedule: open).
    "hall.matter": ("case", "", "no"),
    "hall.hallvisitor": ("person", "", "no"),
    "hall.appointment": ("health", "", "no"),
    "hall.counsellor": ("reference", "config", "open"),
    "hall.dutyunit": ("reference", "config", "open"),
    "hall.dutyslot": ("reference", "config", "open"),
    # Disputes are cases by place (a handler: those assigned to its department, the resident unit that mediates
    # them); parties and sessions go with their dispute; screening campaigns are cases of the place that runs
    # them (whether its villages and grids see a township's campaign: open, they pick it when registering).
    # Mediation organisations and mediators are the register of the place (whether those below see them: open,
    # a dispute's accept form offers its place's and the levels above).
    "disputes.dispute": ("case", "", "no"),
    "disputes.disputeparty": ("case", "", "no"),
    "disputes.mediationsession": ("case", "", "no"),
    "disputes.screeningcampaign": ("case", "", "open"),
    "disputes.mediationorg": ("reference", "config", "open"),
    "disputes.mediator": ("reference", "config", "open"),
    # Subsidy rates are configuration of the district or a township (whether those below see a township's row:
    # open; the sheets read the nearest). Sheets, 例会 and their follow-ups are case records of their place.
    "disputes.subsidyrate": ("reference", "config", "open"),
    "disputes.subsidysheet": ("case", "", "no"),
    "disputes.meeting": ("case", "", "no"),
    "disputes.meetingfollowup": ("case", "", "no"),
    # Petitions are cases by place (a handler: those assigned to its department); petitioners go with their
    # petition; the lists assigned from above and the leaders' receptions are records of the place; the topic
    # list is configuration owned above and seen below.
    "petitions.petition": ("case", "", "no"),
    "petitions.petitioner": ("case", "", "no"),
    "petitions.assignedlist": ("case", "", "no"),
    "petitions.leaderreception": ("case", "", "no"),
    "petitions.topic": ("reference", "config", "yes"),
}

# The personas of the net: township A's people, township B's officer, three handlers (of the department the
# cases are assigned to, of another department in the same township, of a county department), the county roles.
PERSONAS = ("township_a", "township_b", "village_a", "grid_a", "mediator_a", "handler_a", "other_handler_a",
            "county_handler", "leader", "auditor", "security_admin", "district_admin", "center_staff")

REFUSED = (403, 404, 405)
# County roles that see everything by place: on write routes asked only while no narrower persona has shown
# the record (the positive control of the routes only the district uses), to keep the net fast.
FALLBACK_PERSONAS = {"district_admin", "center_staff"}
# The audit log is the auditor's duty (it reads the records' names there); everyone else is refused.
AUDIT_ROUTES = {"core:audit_log"}
READ_ROUTE = re.compile(r"(detail|node|log|history|attachment|photo|status|download|parties|sessions)$")
# Read routes whose answer is about the record without repeating its own fields: 200 is their positive control.
SILENT_ROUTES = {
    "jobs:status": "任务进度：只有数字",
    "jobs:download": "任务结果文件：内容是台账，不是任务名",
    "campaigns:report_download": "专项行动进展情况 .xlsx：压缩的表格文件，看不到名称",
    "disputes:subsidy_download": "误工补贴发放表导出页（GET）：只有地区、月份、件数、合计和“导出 Excel”按钮，不列案件；"
                                 "POST 开始后台任务（jobs）",
    "api:report-file": "报告文件：内容是 Word/Excel 报告，不是任务名",
    "api:dispute-parties": "纠纷的当事人列表（GET 读、POST 添加）：列出当事人，不重复纠纷本身的名称",
    "api:dispute-sessions": "纠纷的调解记录列表（GET 读、POST 添加）：列出调解记录，不重复纠纷本身的名称",
}
# POST routes a leader (read-only) may use because they change no record: route name -> why.
LEADER_READ_POSTS = {
    "api:report-create": "生成平安建设报告：读取统计数据、在后台生成文件（本人的任务），不改变任何业务记录；领导正是报告的读者",
}
# Write routes whose positive control needs a state the leak records cannot be in: route name -> why (none
# today; a route added here must say why, and its module's own tests must cover the allowed use).
NO_POSITIVE: dict[str, str] = {}
# Query strings some routes need to serve a record (none today: attachments are served by their own id).
def _route_query(name, rec) -> dict:
    return {}


def _api_action_payload(name: str) -> dict:
    """A valid body for an API action (the pages' forms feed the others), so a refusal is the role's, not the
    body's: 督办, 延期, a workflow step."""
    later = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    return {"note": f"{TEXT_FILL}：请加快整治", "reason": f"{TEXT_FILL}：材料未到", "new_deadline": later,
            "due_on": later, "action": "start", "measures": TEXT_FILL}


# Personas that probe writes through the API's other verbs (PUT, PATCH, DELETE) on a record they may not
# see or write; every persona probes POST.
VERB_PERSONAS = ("township_b", "other_handler_a", "mediator_a", "leader")
# Non-keyword routes that write (their GET is a form at most): the leader must be refused on them.
WRITE_WORDS = ("create", "new", "report", "upload", "confirm", "delete", "bulk", "enroll", "spend", "issue")
# Own-account routes every role uses (the leader changes its own password too).
OWN_ACCOUNT_ROUTES = {"accounts:password_change", "accounts:token_issue", "accounts:profile", "accounts:logout"}

# List routes and the models whose rows they list (the API lists say it by their queryset).
LIST_ROUTES: dict[str, tuple[str, ...]] = {
    "events:list": ("events.event",),
    "hazards:list": ("hazards.hazard",),
    "people:person_list": ("people.person",),
    "people:household_list": ("people.household",),
    "people:rental_list": ("people.rentalhouse",),
    "people:special_list": ("people.specialenrollment",),
    "people:fund_list": ("people.fund",),
    "geo:liaison_list": ("geo.liaisonpoint",),
    "accounts:user_list": ("accounts.user",),
    "accounts:department_list": ("accounts.department",),
    "events:category_list": ("events.category",),
    "events:key_list": ("events.open311key",),
    "campaigns:campaign_list": ("campaigns.campaign",),
    "campaigns:list": ("campaigns.clue",),
    "security:teams_list": ("security.team",),
    "security:members_list": ("security.teammember",),
    "security:officers_list": ("security.securityofficer",),
    "security:patrols_list": ("security.patrol",),
    "security:cameras_list": ("security.camera",),
    "security:sessions_list": ("security.trainingsession",),
    "security:attendances_list": ("security.attendance",),
    "disputes:list": ("disputes.dispute",),
    "petitions:list": ("petitions.petition",),
    "hall:counsellors_list": ("hall.counsellor",),
}
# Query parameters that name another place or record (filters); each is sent alone with a foreign value.
FOREIGN_FILTERS = ("jurisdiction", "place", "parent", "department", "category", "enrollment", "person", "fund",
                   "township", "grid", "household", "assigned_department", "responsible_department")
TEXT_FILL = "越权写入测试"


@dataclass
class Record:
    obj: Any
    variant: str
    side: str
    marker: str
    markers: tuple[str, ...]
    label: str
    kind: str          # reference / case / clue / person / health
    sub: str           # reference sub-kind
    below: str         # yes / no / open
    path: str
    department_id: int | None = None
    reporter_id: int | None = None
    owner_id: int | None = None

    def shown_in(self, body: str) -> bool:
        return any(m in body for m in self.markers)

    @property
    def name(self) -> str:
        return f"{self.label}{'[' + self.variant + ']' if self.variant else ''}（{self.side} 镇，{self.marker}）"


def _path_of(obj) -> str:
    label = obj._meta.label_lower
    if label == "geo.node":
        return obj.path
    if label == "accounts.user":
        return obj.scope.path
    if label == "notifications.notification":
        return obj.recipient.scope_path
    if label == "events.categoryfield":
        return obj.category.jurisdiction.path
    if label == "jobs.job":
        return obj.scope_path
    return obj.jurisdiction.path


def _enrollment_of(obj):
    label = obj._meta.label_lower
    if label == "people.specialenrollment":
        return obj
    return getattr(obj, "enrollment", None)


def make_record(obj, variant: str, side: str) -> Record:
    label = obj._meta.label_lower
    if label not in MODEL_KINDS:
        raise AssertionError(f"{label} 有 leak_factory，但 test_role_net.MODEL_KINDS 没有写它是哪类数据（按角色表补上）")
    kind, sub, below = MODEL_KINDS[label]
    marker = getattr(obj, "leak_marker", "")
    if len(marker) < 8:
        raise AssertionError(f"{label} 的 leak_factory 没有给记录加唯一标记（pingan.core.testing.marked）")
    enrollment = _enrollment_of(obj)
    if kind == "person" and enrollment is not None and enrollment.kind in HEALTH_KINDS:
        kind = "health"
    department = {"events.event": "assigned_department_id", "hazards.hazard": "responsible_department_id",
                  "disputes.dispute": "assigned_department_id",
                  "petitions.petition": "assigned_department_id",
                  "alerts.alert": "department_id",
                  "cases.workflowattachment": "department_id",
                  "campaigns.clue": "handed_to_department_id"}.get(label)
    return Record(obj=obj, variant=variant, side=side, marker=marker, markers=getattr(obj, "leak_markers", (marker,)),
                  label=label, kind=kind, sub=sub, below=below,
                  path=_path_of(obj), department_id=getattr(obj, department) if department else None,
                  reporter_id=getattr(obj, "reporter_id", None) if label == "events.event" else None,
                  owner_id=getattr(obj, "owner_id", None) if kind == "own" else None)


def may_see(user, rec: Record) -> bool | None:
    """The spec's answer: True, False, or None where the spec leaves it open (then nothing is asserted)."""
    role = user.role
    if rec.kind == "own":
        return user.pk == rec.owner_id
    scope = user.scope.path if user.scope_id else ""
    in_place = bool(scope) and rec.path.startswith(scope)
    above = bool(scope) and scope.startswith(rec.path) and not in_place  # the record's node is an ancestor
    if role == "auditor":
        return rec.label == "accounts.user" and rec.obj.pk == user.pk
    if role == "security_admin":
        if rec.kind != "reference" or rec.sub not in ("tree", "account", "department"):
            return False
        return in_place or (above and rec.below == "yes")
    if rec.kind == "reference":
        if in_place or (above and rec.below == "yes"):
            return True
        return None if above and rec.below == "open" else False
    if role == "dept_handler":
        return (rec.kind in ("case", "clue") and rec.department_id is not None
                and rec.department_id == user.department_id)
    if role not in PLACE_ROLES:
        return False
    if rec.kind == "clue" and role not in CLUE_PLACE_ROLES:
        return False
    if rec.kind == "health" and role in ("mediator", "leader"):  # PIPL Art.28: neither needs individual health records
        return False
    if rec.kind == "case" and role == "grid_worker" and rec.reporter_id == user.pk:
        return True
    if in_place:
        return True
    return None if above and rec.below == "open" else False


# ---------------------------------------------------------------------------------------------------------
# HTML forms on the pages the allowed personas get: their fields make the payload of the foreign writes, so
# an unscoped view would receive a valid request, not just an empty one.

class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(), "fields": {}}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            name, value = a["name"], a.get("value") or ""
            if kind in ("submit", "button", "file", "image") or name == "csrfmiddlewaretoken":
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a or name not in self._form["fields"]:
                    self._form["fields"][name] = value or "on"
                return
            if not value and kind != "hidden":
                value = {"date": dt.date.today().isoformat(), "number": "1"}.get(kind, TEXT_FILL)
            self._form["fields"][name] = value
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select:
            value = a.get("value") or ""
            if "selected" in a or (value and not self._form["fields"].get(self._select)):
                self._form["fields"][self._select] = value
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form["fields"][self._textarea] = ""

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._form is not None and self._textarea and not self._form["fields"][self._textarea].strip():
                self._form["fields"][self._textarea] = TEXT_FILL
            self._textarea = None


# ---------------------------------------------------------------------------------------------------------

def _body(response) -> str:
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)
    else:
        data = response.content
    return data.decode("utf-8", "replace")


@dataclass
class Net:
    world: Any
    records: list[Record]
    clients: dict[str, Client] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    forms: dict[str, dict] = field(default_factory=dict)   # action path -> fields
    checked: int = 0
    pending_positive: list = field(default_factory=list)
    positives: int = 0
    filtered: list = field(default_factory=list)

    # -- plumbing ---------------------------------------------------------------------------------------
    def user(self, persona):
        return self.world.users[persona]

    def client(self, persona) -> Client:
        if persona not in self.clients:
            c = Client(raise_request_exception=False)
            c.force_login(self.user(persona))
            try:  # a session that passed the second factor, where the roles need one
                from pingan.accounts.testing import pass_second_factor
            except ImportError:
                pass_second_factor = None
            if pass_second_factor is not None:
                pass_second_factor(c, self.user(persona))
            self.clients[persona] = c
        return self.clients[persona]

    def fail(self, cause: str, where: str, persona: str, what: str) -> None:
        self.problems.append(f"[{cause}] {where} — {persona}: {what}")

    def request(self, persona, method, url, data=None, json_body=False):
        c = self.client(persona)
        if method == "get":
            response = c.get(url, data or {})
        elif json_body or method in ("put", "patch", "delete"):
            response = getattr(c, method)(url, data=json.dumps(data or {}), content_type="application/json")
        else:
            response = c.post(url, data or {})
        self.checked += 1
        body = _body(response)
        if response.status_code >= 500:
            self.fail("服务器错误", f"{method.upper()} {url}", persona, f"返回 {response.status_code}")
        return response, body

    def harvest(self, page_url, body) -> None:
        parser = _Forms()
        try:
            parser.feed(body)
        except Exception:  # a page that is not HTML (JSON, a file): nothing to harvest
            return
        for form in parser.forms:
            if form["method"] != "post":
                continue
            action = urlparse(urljoin(page_url, form["action"])).path
            self.forms.setdefault(action, form["fields"])

    def leaked(self, body, persona, records=None) -> list[Record]:
        user = self.user(persona)
        return [r for r in (records or self.records) if r.shown_in(body) and may_see(user, r) is False]

    def snapshot(self, rec: Record):
        from pingan.core.models import AuditEntry

        row = type(rec.obj)._default_manager.filter(pk=rec.obj.pk).values().first()
        return row, AuditEntry.objects.filter(outcome="success").count()

    def check_unchanged(self, before, rec, where, persona):
        from pingan.core.models import AuditEntry

        after = self.snapshot(rec)
        if after[0] != before[0]:
            changed = sorted(k for k in (before[0] or {}) if (after[0] or {}).get(k) != (before[0] or {}).get(k)) \
                if after[0] else ["（整行被删除）"]
            self.fail("越权写入生效", where, persona, f"{rec.name} 被改动：{changed}")
        if after[1] != before[1]:
            actions = list(AuditEntry.objects.filter(outcome="success").order_by("-id")
                           .values_list("action", flat=True)[: after[1] - before[1]])
            self.fail("越权写入生效", where, persona, f"{rec.name}：写入了成功的审计记录 {actions}")

    # -- keyword routes (detail, edit, actions) ---------------------------------------------------------
    def records_for(self, model) -> list[Record]:
        return [r for r in self.records if type(r.obj) is model]

    def check_object_route(self, name, url, rec: Record, personas, *, read: bool, api: bool) -> None:
        """GET by every persona, then the writes of those who may not write it."""
        where = f"{name} {url}"
        positive = False
        for persona in personas:
            if rec.side == "b" and persona != "township_a":
                continue  # township B's records: the other township's officer is the one that matters
            if persona in FALLBACK_PERSONAS and positive and not read:
                continue  # (their record pages are still read: their forms, 督办 among them, feed the write probes)
            allowed = may_see(self.user(persona), rec)
            response, body = self.request(persona, "get", url, _route_query(name, rec))
            status = response.status_code
            if allowed is False:
                if status not in REFUSED:
                    self.fail("应拒绝却返回", where, persona, f"{rec.name} 返回 {status}（应为 403/404）")
                if rec.shown_in(body):
                    self.fail("泄露", where, persona, f"页面含 {rec.name} 的标记")
            elif allowed:
                if status == 200 and (rec.shown_in(body) or name in SILENT_ROUTES):
                    positive = True
                    self.positives += 1
                    self.harvest(url, body)
                elif read:
                    self.fail("应可见却被拒", where, persona,
                              f"{rec.name} 返回 {status}" + ("，但页面没有其标记" if status == 200 else ""))
                if not read and persona == "leader" and status not in REFUSED:
                    self.fail("领导可进入写入页面", where, persona, f"GET 返回 {status}（应为 403）")
            other = [l for l in self.leaked(body, persona) if l is not rec]
            for leak in other:
                self.fail("泄露", where, persona, f"页面含 {leak.name} 的标记")
        if positive or rec.side == "b" or name in NO_POSITIVE:
            pass
        elif read:
            self.fail("阳性对照失败", where, "（所有可见者）", f"没有一个有权的角色在此路由上看到 {rec.name}")
        else:
            self.pending_positive.append((name, url, rec))
        # Writes on the record by those who may not write it (a page that only reads takes no write: its POST
        # is the GET above again; an API detail route is probed with the verbs that would write).
        if read and not api:
            return
        for persona in personas:
            if rec.side == "b" and persona != "township_a":
                continue
            allowed = may_see(self.user(persona), rec)
            if allowed is not False and persona != "leader":
                continue
            methods = ["post"] if not read else []
            if api and persona in VERB_PERSONAS:
                methods += ["put", "patch", "delete"]
            for method in methods:
                before = self.snapshot(rec)
                payload = dict(self.forms.get(urlparse(url).path, {}))
                if api and not payload:
                    payload = _api_action_payload(name)
                response, body = self.request(persona, method, url, payload, json_body=api)
                if response.status_code not in REFUSED:
                    self.fail("越权写入未拒绝" if persona != "leader" else "领导可写", f"{method.upper()} {where}",
                              persona, f"{rec.name} 返回 {response.status_code}（应为 403/404/405）")
                for leak in self.leaked(body, persona):
                    self.fail("泄露", f"{method.upper()} {where}", persona, f"回应含 {leak.name} 的标记")
                self.check_unchanged(before, rec, f"{method.upper()} {where}", persona)

    def check_pending_positive(self) -> None:
        """Routes that only take POST (actions): an allowed persona's POST reaches the record (not 403/404).
        Run last: these POSTs may change the records."""
        writers = ("township_a", "district_admin", "center_staff", "handler_a", "security_admin", "grid_a")
        for name, url, rec in self.pending_positive:
            if name in NO_POSITIVE:
                continue
            statuses = []
            for persona in writers:
                if not may_see(self.user(persona), rec):
                    continue
                payload = dict(self.forms.get(urlparse(url).path, {})) or \
                    (_api_action_payload(name) if name.startswith("api:") else {})
                response, _ = self.request(persona, "post", url, payload, json_body=name.startswith("api:"))
                statuses.append(f"{persona} {response.status_code}")
                if response.status_code not in (403, 404, 405) and response.status_code < 500:
                    break
            else:
                self.fail("阳性对照失败", f"{name} {url}", "（有权的写入者）",
                          f"没有一个有权的角色能在此路由上打开或提交 {rec.name}：{', '.join(statuses)}")

    # -- routes without keywords ----------------------------------------------------------------------
    def check_page(self, name, url, personas, listed: tuple[str, ...] = (), writes: bool = False) -> None:
        where = f"{name} {url}"
        seen = {r.name: False for r in self.records if r.label in listed and r.side == "a"}
        widest = ""
        for persona in personas:
            response, body = self.request(persona, "get", url)
            if response.status_code == 200 and len(body) > len(widest):
                widest = body
            if name in AUDIT_ROUTES:
                if persona != "auditor" and response.status_code not in REFUSED:
                    self.fail("应拒绝却返回", where, persona, f"审计日志返回 {response.status_code}（只给审计管理员）")
                if persona == "auditor":
                    continue
            for leak in self.leaked(body, persona):
                self.fail("泄露", where, persona, f"页面含 {leak.name} 的标记")
            if response.status_code == 200:
                for rec in self.records:
                    if rec.label in listed and rec.side == "a" and may_see(self.user(persona), rec):
                        if rec.shown_in(body):
                            seen[rec.name] = True
                        else:
                            self.fail("列表漏掉可见记录", where, persona, f"列表没有 {rec.name}")
            if writes and persona == "leader" and name not in LEADER_READ_POSTS:
                if response.status_code not in REFUSED:
                    self.fail("领导可进入写入页面", where, persona, f"GET 返回 {response.status_code}（应为 403）")
                response, _ = self.request(persona, "post", url, {})
                if response.status_code not in REFUSED:
                    self.fail("领导可写", f"POST {where}", persona, f"返回 {response.status_code}（应为 403）")
        for rec_name, ok in seen.items():
            if not ok:
                self.fail("阳性对照失败", where, "（所有可见者）", f"没有一个有权的角色在列表里看到 {rec_name}")
        return widest

    def check_filters(self, name, url, personas, listed: tuple[str, ...], params: set[str]) -> None:
        """Foreign ids in the route's filters and foreign markers in its search leak nothing. A search sends
        the marker without its last characters, so the search box echoing it is not mistaken for a leak."""
        a = self.world
        police = a.departments["police_a"].pk
        foreign: dict[str, list] = {
            "jurisdiction": [a.township("a").code], "place": [a.village("a").code], "parent": [a.township("a").code],
            "township": [a.township("a").code], "grid": [a.grid("a").code], "department": [police],
            "assigned_department": [police], "responsible_department": [police],
        }
        for rec in self.records:
            if rec.side != "a":
                continue
            key = rec.label.split(".")[1]
            foreign.setdefault(key, []).append(rec.obj.pk)
            if key == "category":
                foreign[key].append(rec.obj.code)
            if key in ("visit", "fundspending", "treatmentepisode"):
                foreign.setdefault("enrollment", []).append(rec.obj.enrollment_id)
        queries = [{key: value} for key in sorted(params) if key in foreign for value in foreign[key]]
        search = [p for p in ("q", "search") if p in params]
        self.filtered.append(f"{name}: {sorted(k for k in params if k in foreign)} {search}")
        for persona in personas:
            user = self.user(persona)
            extra = [{p: r.marker[:-3]} for p in search for r in self.records
                     if r.label in listed and may_see(user, r) is False]
            for query in queries + extra:
                response, body = self.request(persona, "get", url, query)
                for leak in self.leaked(body, persona):
                    self.fail("筛选/搜索泄露", f"{name} {url}?{urlencode(query)}", persona, f"含 {leak.name} 的标记")


def _filter_params(pattern, body: str) -> set[str]:
    """The query parameters a list route reads: an API list's filter set and search, a page's GET form."""
    cls = getattr(pattern.callback, "cls", None)
    names: set[str] = set()
    if cls is not None:
        filterset = getattr(cls, "filterset_class", None)
        if filterset is not None:
            names |= set(filterset.base_filters)
        names |= set(getattr(cls, "filterset_fields", None) or [])
        if getattr(cls, "search_fields", None):
            names.add("search")
        return names
    names |= set(re.findall(r'<(?:input|select)[^>]*\bname="([a-z_]+)"', body))
    # Pages share their FilterSet with the API: the place filter may be read without a visible field.
    return (names | {"jurisdiction"}) - {"csrfmiddlewaretoken", "page"}


def build_net(world) -> Net:
    _discover_testing_modules()
    add_role_net_personas(world)
    records = []
    for model, variants in LEAK_VARIANTS.items():
        for variant, factory in variants.items():
            for side in ("a", "b"):
                records.append(make_record(factory(world, side), variant, side))
    return Net(world=world, records=records)


def _document_of(name: str):
    """The document type a documents route serves ("documents:<key>.download", "api:document-<key>-download")."""
    from pingan.documents.registry import document_type

    if name.startswith("documents:"):
        return document_type(name.split(":", 1)[1].rsplit(".", 1)[0])
    if name.startswith("api:document-") and name.count("-") >= 2:
        return document_type(name[len("api:document-"):].rsplit("-", 1)[0])
    return None


def object_routes(net: Net):
    """(name, url, record, read?, api?) for every keyword route and every record of its model; problems for
    routes that cannot be checked."""
    for route, name, pattern in routes():
        kwargs = _kwarg_names(pattern)
        if not kwargs or name in UNSCOPED_ROUTES:
            continue
        if name == "core:history":
            for rec in net.records:
                url = reverse(name, kwargs={"label": rec.label, "pk": rec.obj.pk})
                yield name, url, rec, True, False
            continue
        model, kwarg_attrs = _model_and_kwargs(pattern)
        if model is None:
            net.fail("路由未声明模型", name or route, "—", f"带参数 {kwargs}，但没有 @scoped 或 queryset")
            continue
        recs = net.records_for(model)
        if not recs:
            net.fail("模型没有 leak_factory", name or route, "—", f"查询 {model._meta.label}")
            continue
        doc = _document_of(name)
        for rec in recs:
            if doc is not None and not doc.is_available(rec.obj):
                # A document that does not apply to this record (an agreement of a dispute not settled) is a
                # 404 by design; the module's own tests open it on a record in the right state.
                continue
            try:
                url = reverse(name, kwargs={k: getattr(rec.obj, kwarg_attrs.get(k, k)) for k in kwargs})
            except Exception as exc:
                net.fail("无法生成地址", name, "—", f"{rec.name}：{exc}")
                continue
            yield name, url, rec, bool(READ_ROUTE.search(name)), name.startswith("api:")


def plain_routes():
    for route, name, pattern in routes():
        if _kwarg_names(pattern) or name in UNSCOPED_ROUTES or name in OWN_ACCOUNT_ROUTES - {"accounts:profile"}:
            continue
        if not name:
            continue
        yield name, pattern


def _listed(name, pattern) -> tuple[str, ...]:
    if name in LIST_ROUTES:
        return LIST_ROUTES[name]
    cls = getattr(pattern.callback, "cls", None)
    actions = getattr(pattern.callback, "actions", None) or {}
    if cls is not None and actions.get("get") == "list" and getattr(cls, "queryset", None) is not None:
        return (cls.queryset.model._meta.label_lower,)
    return ()


@pytest.fixture
def net(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_net(world)


def _report(net: Net) -> str:
    return f"{len(net.problems)} 处不符合角色表（共 {net.checked} 次请求）：\n" + "\n".join(net.problems)


@pytest.mark.django_db
def test_every_keyword_route_shows_a_record_to_those_the_role_table_allows_and_to_no_one_else(net):
    for name, url, rec, read, api in list(object_routes(net)):
        net.check_object_route(name, url, rec, PERSONAS, read=read, api=api)
    net.check_pending_positive()
    assert net.checked > 1000, "角色网几乎没有检查到任何路由"
    assert net.positives > 150, f"有权的角色只看到 {net.positives} 次记录：阳性对照几乎没有生效"
    assert not net.problems, _report(net)


@pytest.mark.django_db
def test_every_page_and_list_shows_each_persona_only_the_records_it_may_see(net):
    for name, pattern in plain_routes():
        try:
            url = reverse(name)
        except Exception as exc:
            net.fail("无法生成地址", name, "—", str(exc))
            continue
        listed = _listed(name, pattern)
        writes = any(word in name.split(":")[-1] for word in WRITE_WORDS)
        body = net.check_page(name, url, PERSONAS, listed=listed, writes=writes)
        if listed:
            personas = ("township_b", "other_handler_a") + (("mediator_a",) if listed[0].startswith("people.") else ())
            net.check_filters(name, url, personas, listed, _filter_params(pattern, body))
    assert net.checked > 500
    print("筛选与搜索：", *net.filtered, sep="\n")
    assert len(net.filtered) >= 10, net.filtered
    assert not net.problems, _report(net)


def _export(net: Net, persona: str, kind: str, code: str):
    """Ask for a ledger export as the web does (a background job), run the job, and fetch its file: the
    status and the body a persona gets, whichever step refused it."""
    from pingan.jobs.models import Job
    from pingan.jobs.services import job_run

    url = reverse("ledgers:export")
    response, body = net.request(persona, "post", url, {"kind": kind, "format": "csv", "jurisdiction": code})
    location = response.get("Location", "") if response.status_code in (301, 302) else ""
    match = re.search(r"/jobs/(\d+)/", location)
    if not match:
        return response.status_code, body
    for job_id in Job.objects.filter(status=Job.Status.QUEUED).values_list("id", flat=True):
        job_run(job_id=job_id)
    response, body = net.request(persona, "get", reverse("jobs:download", kwargs={"pk": int(match.group(1))}))
    return response.status_code, body


def _row_record(obj) -> Record:
    """A row with no marker (made on the way by a factory), judged by the same table."""
    obj.leak_marker, obj.leak_markers = "MK-unmarked-row", ()
    return make_record(obj, "", "")


def _check_stat_counts(net: Net) -> None:
    """A stat counts only rows the persona may see: the stats API's counts of events, hazards, people and
    people under management equal the number of rows in the database the role table gives the persona."""
    from pingan.events.models import Event
    from pingan.hazards.models import Hazard
    from pingan.people.models import Person, SpecialEnrollment

    today = dt.date.today()
    rows = {
        ("events", "reported"): [_row_record(e) for e in Event.objects.select_related("jurisdiction")],
        ("hazards", "screened"): [_row_record(h) for h in Hazard.objects.select_related("jurisdiction")],
        ("people", "total"): [_row_record(p) for p in Person.objects.select_related("jurisdiction")],
        ("special_people", "active"): [_row_record(e) for e in SpecialEnrollment.objects.select_related("jurisdiction")
                                       if e.released_on is None and (e.planned_end_on is None or e.planned_end_on >= today)],
    }
    url = reverse("api:stats")
    query = {"from": (today - dt.timedelta(days=30)).isoformat(), "to": today.isoformat()}
    for persona in ("township_a", "township_b", "village_a", "grid_a", "mediator_a", "handler_a", "other_handler_a",
                    "county_handler", "leader"):
        response, body = net.request(persona, "get", url, query)
        if response.status_code != 200:
            continue
        data = json.loads(body)
        user = net.user(persona)
        for (section, key), recs in rows.items():
            expected = sum(1 for r in recs if may_see(user, r))
            shown = (data.get(section) or {}).get(key)
            if shown is not None and shown != expected:
                net.fail("统计计入不可见的行" if shown > expected else "统计漏计可见的行", f"api:stats {section}.{key}",
                         persona, f"统计为 {shown}，按角色表应为 {expected}")


@pytest.mark.django_db
def test_exports_and_stats_for_another_township_give_nothing_of_it(net):
    """Every ledger export, with and without ?jurisdiction= of township A, holds only rows the persona may
    see (township A's officer gets its own records: the positive control); stats of township A asked by
    township B, the auditor and the security admin show nothing of A."""
    from pingan.ledgers import registry as ledgers

    world = net.world
    code_a = world.township("a").code
    for spec in ledgers.all_specs():
        label = spec.model._meta.label_lower
        own = [r for r in net.records if r.label == label and r.side == "a"]
        for persona in ("township_a", "township_b", "mediator_a", "other_handler_a", "auditor", "security_admin"):
            for code in ("", code_a):
                status, body = _export(net, persona, spec.kind, code)
                where = f"ledgers:export kind={spec.kind} jurisdiction={code or '（不填）'}"
                for leak in net.leaked(body, persona):
                    net.fail("导出泄露", where, persona, f"导出文件含 {leak.name} 的标记")
                if persona == "township_a":
                    missing = [r.name for r in own if may_see(net.user(persona), r) and not r.shown_in(body)]
                    if status != 200 or missing:
                        net.fail("阳性对照失败", where, persona, f"返回 {status}，导出文件缺少 {missing}")
                elif persona == "township_b" and code and status not in REFUSED:
                    net.fail("应拒绝却返回", where, persona, f"外乡镇的导出返回 {status}（应为 403/404）")
    _check_stat_counts(net)
    names = (world.township("a").name, world.village("a").short_name)
    for name in ("analytics:stats", "api:stats"):
        url = reverse(name)
        for persona in ("township_b", "auditor", "security_admin"):
            response, body = net.request(persona, "get", url, {"jurisdiction": code_a})
            shown = [n for n in names if n in body]
            if response.status_code == 200 and shown:
                net.fail("统计泄露", f"{name} {url}?jurisdiction={code_a}", persona, f"外乡镇统计可见（页面含 {shown}）")
            for leak in net.leaked(body, persona):
                net.fail("统计泄露", f"{name} {url}", persona, f"含 {leak.name} 的标记")
    assert not net.problems, _report(net)


def _api_create_payloads(world, side, records) -> dict[str, tuple]:
    """For each API route that creates: (label of the model it creates, a payload whose ids all lie in
    township `side`[, the persona whose duty it is when not the township's officer]). Sent by that persona it
    is valid (the positive control); sent by township B's officer with A's ids, and by the leader, it must
    write nothing."""
    def rec(label, variant=""):
        return next(r for r in records if r.label == label and r.variant == variant and r.side == side)

    from pingan.disputes.choices import Grade
    from pingan.disputes.models import SubsidyRate

    today = dt.date.today().isoformat()
    taken = set(SubsidyRate.objects.filter(jurisdiction=world.township(side)).values_list("grade", flat=True))
    free_grade = next(g for g in Grade.values if g not in taken)
    return {
        "api:event-list": ("events.event", {"category": rec("events.event").obj.category_id,
                                            "jurisdiction": world.grid(side).pk,
                                            "description": f"{TEXT_FILL}：路口积水，请尽快处理"}),
        "api:hazard-list": ("hazards.hazard", {"jurisdiction": world.village(side).code, "screened_on": today,
                                               "hazard_type": rec("hazards.hazard").obj.hazard_type,
                                               "risk_level": rec("hazards.hazard").obj.risk_level,
                                               "description": f"{TEXT_FILL}：消防通道堵塞",
                                               "responsible_department": world.departments[f"police_{side}"].pk}),
        "api:crimecount-list": ("crimes.crimecount", {"month": "2017-03", "township": world.township(side).code,
                                                      "category": "theft", "count": 3}),
        "api:clue-list": ("campaigns.clue", {"campaign": rec("campaigns.campaign").obj.pk, "received_on": today,
                                             "source": "public", "jurisdiction": world.village(side).code,
                                             "summary": f"{TEXT_FILL}：有人强揽工程"}),
        "api:visit-list": ("people.visit", {"enrollment": rec("people.specialenrollment").obj.pk, "visited_on": today,
                                            "form": "home", "findings": f"{TEXT_FILL}：情况稳定"}),
        "api:security-team-list": ("security.team", {"name": f"{TEXT_FILL}义务巡防队", "kind": "02",
                                                     "jurisdiction": world.village(side).pk}),
        "api:security-member-list": ("security.teammember", {"team": rec("security.team").obj.pk, "name": "王五",
                                                             "role": "member", "jurisdiction": world.village(side).pk,
                                                             "joined_on": today}),
        "api:security-officer-list": ("security.securityofficer", {"name": "赵六", "since": today,
                                                                   "jurisdiction": world.village(side).pk}),
        "api:security-patrol-list": ("security.patrol", {"team": rec("security.team").obj.pk, "patrolled_on": today,
                                                         "area": "固庄村主街", "findings": f"{TEXT_FILL}：无异常"}),
        "api:security-camera-list": ("security.camera", {"code": f"NET-{side}-{world.village(side).pk}-01",
                                                         "name": "村口探头", "camera_type": "bullet",
                                                         "jurisdiction": world.village(side).pk}),
        "api:security-session-list": ("security.trainingsession", {"held_on": today, "topic": "人民调解实务",
                                                                   "audience": "grid_worker",
                                                                   "jurisdiction": world.township(side).pk}),
        "api:security-attendance-list": ("security.attendance", {"session": rec("security.trainingsession").obj.pk,
                                                                 "name": "钱七"}),
        "api:dispute-list": ("disputes.dispute", {"jurisdiction": world.village(side).code, "title": "宅基地边界纠纷",
                                                  "category": "0902", "summary": f"{TEXT_FILL}：两家争边界",
                                                  "party1_name": "张三", "party2_name": "李四"}),
        "api:petition-list": ("petitions.petition", {"jurisdiction": world.village(side).code, "form": "letter",
                                                     "content": f"{TEXT_FILL}：反映道路损毁",
                                                     "petitioners": [{"name": "孙八"}]}),
        "api:petition-assigned-list-list": ("petitions.assignedlist", {"title": f"{TEXT_FILL}交办清单",
                                                                       "assigning_body": "市信访局", "level": "city",
                                                                       "received_on": today, "deadline": today,
                                                                       "jurisdiction": world.township(side).code}),
        "api:petition-reception-list": ("petitions.leaderreception", {"leader_name": "王镇长", "held_on": today,
                                                                      "place": f"{TEXT_FILL}接待室", "kind": "reception",
                                                                      "jurisdiction": world.township(side).code}),
        "api:hall-matter-list": ("hall.matter", {"visitor": rec("hall.hallvisitor").obj.pk, "category": "neighbour",
                                                 "topic": "邻里漏水", "summary": f"{TEXT_FILL}：楼上漏水"}),
        "api:hall-counsellor-list": ("hall.counsellor", {"name": f"{TEXT_FILL}咨询师", "organisation": "区心理咨询协会",
                                                         "kind": "invited", "jurisdiction": world.township(side).pk}),
        "api:disputes-org-list": ("disputes.mediationorg", {"name": f"{TEXT_FILL}调委会", "kind": "village",
                                                            "jurisdiction": world.village(side).pk}),
        "api:disputes-mediator-list": ("disputes.mediator", {"name": "周九", "org": rec("disputes.mediationorg").obj.pk,
                                                             "jurisdiction": world.village(side).pk}),
        "api:disputes-screening-list": ("disputes.screeningcampaign", {"name": "春季排查", "start_on": today,
                                                                        "jurisdiction": world.township(side).pk}),
        # Rates are set by the centre (disputes.configure); one per grade and place, so a grade township A lacks.
        "api:disputes-rate-list": ("disputes.subsidyrate", {"jurisdiction": world.township(side).pk,
                                                            "grade": free_grade, "amount": "60.00"}, "center_staff"),
        "api:disputes-meeting-list": ("disputes.meeting", {"jurisdiction": world.township(side).pk, "kind": "regular",
                                                           "held_on": today, "attendees": "综治办、司法所",
                                                           "decisions": f"{TEXT_FILL}：包案化解",
                                                           "disputes": [rec("disputes.dispute").obj.number]}),
        "api:disputes-subsidy-sheet-build": ("disputes.subsidysheet", {"node": world.township(side).pk,
                                                                       "month": "2017-03"}),
    }


@pytest.mark.django_db
def test_api_creates_with_another_townships_ids_write_nothing_and_the_leader_creates_nothing(net):
    from django.apps import apps

    from pingan.core.models import AuditEntry

    foreign = _api_create_payloads(net.world, "a", net.records)
    for route, name, pattern in routes():
        actions = getattr(pattern.callback, "actions", None) or {}
        if not name or not name.startswith("api:") or "post" not in actions or _kwarg_names(pattern):
            continue
        if name not in foreign:
            net.fail("未声明创建载荷", name, "—", "接受 POST 创建，但 _api_create_payloads 没有它的载荷（越权写入查不到）")
            continue
        label, payload, *duty = foreign[name]
        owner = duty[0] if duty else "township_a"
        model = apps.get_model(label)
        url = reverse(name)
        # township B with A's ids; the mediator with a health enrolment; the leader with its own county's.
        probes = [("township_b", payload), ("leader", payload)]
        if label == "people.visit":
            probes.append(("mediator_a", payload))
        for persona, data in probes:
            before = (model._default_manager.count(), AuditEntry.objects.filter(outcome="success").count())
            response, body = net.request(persona, "post", url, data, json_body=True)
            after = (model._default_manager.count(), AuditEntry.objects.filter(outcome="success").count())
            if response.status_code in (200, 201) or after != before:
                net.fail("越权写入生效" if persona != "leader" else "领导可写", f"POST {name} {url}", persona,
                         f"返回 {response.status_code}，{label} 行数 {before[0]}→{after[0]}，成功审计 {before[1]}→{after[1]}")
            elif persona == "leader" and response.status_code not in REFUSED:
                net.fail("领导可写", f"POST {name} {url}", persona, f"返回 {response.status_code}（应为 403）")
            for leak in net.leaked(body, persona):
                net.fail("泄露", f"POST {name} {url}", persona, f"回应含 {leak.name} 的标记")
        response, body = net.request(owner, "post", url, payload, json_body=True)
        if response.status_code != 201:
            net.fail("阳性对照失败", f"POST {name} {url}", owner, f"本乡镇的有效载荷返回 {response.status_code}：{body[:200]}")
    assert not net.problems, _report(net)


NODE_FIELDS = ("jurisdiction", "grid", "scope", "village", "parent", "township")


def _foreign_form(net: Net, fields: dict) -> dict | None:
    """Township A's officer's create form with every place, department, category and record field pointing
    at township A (in the format the form uses: pk or code); None when the form names nothing of A."""
    from pingan.geo.models import Node

    world = net.world
    data, foreign = dict(fields), False
    township_path = world.township("a").path
    for key, value in fields.items():
        by_code = str(value).isdigit() and len(str(value)) >= 6
        if key in NODE_FIELDS:
            node = Node.objects.filter(**({"code": value} if by_code else {"pk": value})).first() if str(value).isdigit() \
                else None
            level = node.level if node is not None else "grid"
            if node is None or not node.path.startswith(township_path):
                node = {"township": world.township("a"), "village": world.village("a")}.get(level, world.grid("a"))
            data[key], foreign = (node.code if by_code else node.pk), True
        elif key in ("department", "responsible_department", "assigned_department"):
            data[key], foreign = world.departments["police_a"].pk, True
        elif key == "category":
            category = next(r.obj for r in net.records if r.label == "events.event" and r.side == "a").category
            data[key], foreign = (category.code if not str(value).isdigit() or by_code else category.pk), True
        elif key in ("enrollment", "person", "household", "fund"):
            rec = next((r for r in net.records if r.label.endswith("." + key.replace("enrollment", "specialenrollment"))
                        and r.side == "a"), None)
            if rec is not None:
                data[key], foreign = rec.obj.pk, True
    return data if foreign else None


@pytest.mark.django_db
def test_create_forms_posted_with_another_townships_ids_write_nothing(net):
    """Every page that creates (its form as township A's officer fills it, every place and department field
    pointing into township A), posted by township B's officer: nothing written, nothing of A shown."""
    from pingan.core.models import AuditEntry

    probed = []
    for name, pattern in plain_routes():
        if not any(word in name.split(":")[-1] for word in WRITE_WORDS) or name.startswith("api:"):
            continue
        url = reverse(name)
        response, body = net.request("township_a", "get", url)
        parser = _Forms()
        parser.feed(body if response.status_code == 200 else "")
        forms = [f for f in parser.forms if f["method"] == "post"
                 and urlparse(urljoin(url, f["action"])).path == urlparse(url).path]
        data = _foreign_form(net, forms[0]["fields"]) if forms else None
        if data is None:
            continue
        probed.append(name)
        before = AuditEntry.objects.filter(outcome="success").count()
        response, body = net.request("township_b", "post", url, data)
        after = AuditEntry.objects.filter(outcome="success").count()
        if response.status_code in (201, 301, 302, 303) or after != before:
            actions = list(AuditEntry.objects.filter(outcome="success").order_by("-id")
                           .values_list("action", flat=True)[: max(after - before, 0)])
            net.fail("越权写入生效", f"POST {name} {url}", "township_b",
                     f"用河底镇的编号提交，返回 {response.status_code}，写入了 {actions}：{sorted(data)}")
        for leak in net.leaked(body, "township_b"):
            net.fail("泄露", f"POST {name} {url}", "township_b", f"回应含 {leak.name} 的标记")
    print("探测的创建页面：", probed)
    assert len(probed) >= 3, f"几乎没有可以探测的创建页面：{probed}"
    assert not net.problems, _report(net)


@pytest.mark.django_db
def test_the_role_table_of_the_net_says_what_the_spec_says(world):
    """The net's own rule, pinned on hand-picked cases (so a slip in may_see cannot hide a leak)."""
    net = build_net(world)
    by = {(r.label, r.variant, r.side): r for r in net.records}
    u = world.users
    event, hazard = by[("events.event", "", "a")], by[("hazards.hazard", "", "a")]
    mental, released = by[("people.specialenrollment", "", "a")], by[("people.specialenrollment", "other", "a")]
    category, person = by[("events.category", "", "a")], by[("people.person", "", "a")]
    assert may_see(u["handler_a"], event) and may_see(u["handler_a"], hazard)
    assert may_see(u["other_handler_a"], event) is False and may_see(u["county_handler"], hazard) is False
    assert may_see(u["mediator_a"], released) and may_see(u["mediator_a"], mental) is False
    assert may_see(u["handler_a"], person) is False and may_see(u["township_b"], person) is False
    assert may_see(u["grid_a"], category) and may_see(u["township_b"], category) is False
    assert may_see(u["leader"], released) and may_see(u["leader"], mental) is False
    assert may_see(u["auditor"], category) is False
    account = by[("accounts.user", "", "a")]
    assert may_see(u["security_admin"], account) and may_see(u["security_admin"], category) is False


@pytest.mark.django_db
def test_the_net_reports_a_leak_when_a_model_lets_everything_through(net, monkeypatch):
    """The net bites: with the hazards' scope switched off, township B's officer and the other department's
    handler read township A's hazard, and the net says so."""
    from pingan.hazards.models import HazardQuerySet

    monkeypatch.setattr(HazardQuerySet, "visible_to", lambda self, user: self.all(), raising=False)
    rec = next(r for r in net.records if r.label == "hazards.hazard" and r.side == "a")
    url = reverse("hazards:detail", kwargs={"pk": rec.obj.pk})
    net.check_object_route("hazards:detail", url, rec, ("township_a", "other_handler_a"), read=True, api=False)
    assert any("[泄露]" in p and "other_handler_a" in p and rec.marker in p for p in net.problems), net.problems
    net.problems.clear()
    rec_b = next(r for r in net.records if r.label == "hazards.hazard" and r.side == "b")
    net.check_page("hazards:list", reverse("hazards:list"), ("township_a",), listed=("hazards.hazard",))
    assert any("[泄露]" in p and rec_b.marker in p for p in net.problems), net.problems


@pytest.mark.django_db
def test_the_net_reports_health_rows_shown_to_a_mediator_when_the_health_rule_is_dropped(net, monkeypatch):
    """The net bites on the data-kind rule too: with enrolments scoped by place alone, the mediator reads a
    mental-health enrolment of its own township, and the net says so."""
    from pingan.people.models import EnrollmentQuerySet

    monkeypatch.setattr(EnrollmentQuerySet, "visible_to",
                        lambda self, user: self.filter(jurisdiction__path__startswith=user.scope.path))
    rec = next(r for r in net.records if r.label == "people.specialenrollment" and r.variant == "" and r.side == "a")
    url = reverse("api:special-person-detail", kwargs={"pk": rec.obj.pk})
    net.check_object_route("api:special-person-detail", url, rec, ("township_a", "mediator_a"), read=True, api=False)
    assert any("[泄露]" in p and "mediator_a" in p and rec.marker in p for p in net.problems), net.problems

