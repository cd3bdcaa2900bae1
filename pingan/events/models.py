"""Grid events (网格事件): categories with their deadline rules and Open311 attributes, dispatch rules,
the events themselves with their photos, and the Open311 API keys."""
from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from pingan.core.models import ScopedModel
from pingan.core.personal import EncryptedTextField
from pingan.core.scoping import ScopedQuerySet, place_q
from pingan.cases.models import WorkflowCase, WorkflowQuerySet

from .choices import (
    Channel, DeadlineUnit, EventState, FieldType, PhotoRule, PublicDisplay, Satisfaction, Source, Urgency,
)
from .workflow import EVENT_KIND

DESCRIPTION_MAX = 4000


class ConfigQuerySet(ScopedQuerySet):
    """Configuration owned by a node (the district normally): visible in its subtree and to the nodes above,
    like departments, so a township sees the district's categories and rules, never a sibling's."""

    def visible_to(self, user):
        return self.filter(place_q(self.model, user))


class CategoryQuerySet(ConfigQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def leaves(self):
        return self.filter(parent__isnull=False)

    def public(self):
        """What a citizen or an Open311 client may report: active, public second-level categories. These are
        deliberately shown without login (the service list of the published API)."""
        return self.filter(is_active=True, is_public=True, parent__isnull=False, parent__is_active=True)


class Category(ScopedModel):
    """事件类别: a two-level list (大类 → 小类); events take a second-level category."""

    code = models.CharField("类别代码", max_length=10, unique=True,
                            help_text="大类两位数字，小类在大类代码后加两位，如 03、0301")
    name = models.CharField("名称", max_length=60)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name="所属大类")
    description = models.CharField("说明", max_length=300, blank=True)
    keywords = models.CharField("关键词", max_length=200, blank=True, help_text="逗号分隔，用于开放接口")
    is_sensitive = models.BooleanField("敏感类别", default=False,
                                       help_text="对外公开时位置只显示到网格，不显示具体坐标和地址")
    is_public = models.BooleanField("群众可报", default=True, help_text="出现在群众上报页和开放接口中")
    public_display = models.CharField(
        "公开展示", max_length=10, choices=PublicDisplay.choices, default=PublicDisplay.CITIZEN,
        help_text="开放接口的公开事件列表显示该类别的哪些事件；报告人信息任何时候都不公开，坐标只保留三位小数")
    deadline_amount = models.PositiveSmallIntegerField("处置时限", default=3, validators=[MinValueValidator(1)])
    deadline_unit = models.CharField("时限单位", max_length=16, choices=DeadlineUnit.choices,
                                     default=DeadlineUnit.WORKING_DAYS)
    urgent_deadline_amount = models.PositiveSmallIntegerField(
        "紧急时限", null=True, blank=True, validators=[MinValueValidator(1)],
        help_text="紧急、特急事件的时限（同一单位）；不填则与一般相同")
    photo_rule = models.CharField("照片要求", max_length=10, choices=PhotoRule.choices, default=PhotoRule.NONE)
    is_active = models.BooleanField("启用", default=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    objects = CategoryQuerySet.as_manager()
    scope_data_kind = "reference"

    class Meta:
        ordering = ["code"]
        verbose_name = "事件类别"
        verbose_name_plural = "事件类别"

    def __str__(self) -> str:
        return f"{self.parent.name}／{self.name}" if self.parent_id else self.name

    @property
    def level_label(self) -> str:
        return "小类" if self.parent_id else "大类"

    def photo_required(self, stage: str) -> bool:
        return self.photo_rule == PhotoRule.BOTH or self.photo_rule == stage

    def deadline_for(self, urgency: str) -> tuple[int, str]:
        if urgency != Urgency.NORMAL and self.urgent_deadline_amount:
            return self.urgent_deadline_amount, self.deadline_unit
        return self.deadline_amount, self.deadline_unit


class CategoryField(models.Model):
    """An extra field of a category, asked on the report forms and published as an Open311 attribute."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="fields", verbose_name="类别")
    code = models.SlugField("字段代码", max_length=40, help_text="英文字母、数字、下划线，如 pipe_size")
    label = models.CharField("字段名称", max_length=60)
    datatype = models.CharField("类型", max_length=20, choices=FieldType.choices, default=FieldType.STRING)
    required = models.BooleanField("必填", default=False)
    values = models.JSONField("可选值", default=list, blank=True,
                              help_text="单选/多选的可选值：[{\"key\": \"1\", \"name\": \"轻微\"}, …]")
    order = models.PositiveSmallIntegerField("排序", default=0)

    objects = ConfigQuerySet.as_manager()  # visible downwards like its category
    scope_path_lookup = "category__jurisdiction__path"
    scope_data_kind = "reference"

    class Meta:
        ordering = ["category", "order", "id"]
        verbose_name = "类别字段"
        verbose_name_plural = "类别字段"
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="events_field_unique_code")]

    def __str__(self) -> str:
        return f"{self.category.name}·{self.label}"

    @property
    def audit_scope_path(self) -> str:
        return self.category.jurisdiction.path

    def value_keys(self) -> list[str]:
        return [str(v.get("key")) for v in self.values or [] if isinstance(v, dict)]


class DispatchRule(ScopedModel):
    """派遣规则: for a category (小类, or a 大类 covering its 小类) in a place (the node and everything under it),
    the department or township that handles it and, optionally, a deadline overriding the category's."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="rules", verbose_name="事件类别")
    department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="承办部门")
    township = models.ForeignKey("geo.Node", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="承办乡镇", help_text="派给乡镇（街道）综治办处置时选择")
    deadline_amount = models.PositiveSmallIntegerField("处置时限", null=True, blank=True,
                                                       validators=[MinValueValidator(1)],
                                                       help_text="不填则按类别时限")
    deadline_unit = models.CharField("时限单位", max_length=16, choices=DeadlineUnit.choices, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    objects = ConfigQuerySet.as_manager()
    scope_data_kind = "reference"

    class Meta:
        ordering = ["category__code", "jurisdiction__path"]
        verbose_name = "派遣规则"
        verbose_name_plural = "派遣规则"
        constraints = [
            models.UniqueConstraint(fields=["category", "jurisdiction"], name="events_rule_unique_place"),
            models.CheckConstraint(condition=Q(department__isnull=False) | Q(township__isnull=False),
                                   name="events_rule_has_target"),
        ]

    def __str__(self) -> str:
        return f"{self.category.name} @ {self.jurisdiction.name} → {self.target_name}"

    @property
    def target_name(self) -> str:
        if self.department_id:
            return self.department.name
        return self.township.name if self.township_id else "—"


class Open311Key(ScopedModel):
    """An Open311 API key issued by the district to one channel (e.g. the 12345 hotline integration). Only a
    hash is stored; the key itself is shown once, when issued. Requests posted with it must lie inside its
    jurisdiction."""

    name = models.CharField("名称", max_length=60)
    channel = models.CharField("渠道", max_length=20, choices=Channel.choices, default=Channel.PARTNER)
    key_hash = models.CharField("密钥摘要", max_length=64, unique=True, editable=False)
    key_prefix = models.CharField("密钥前缀", max_length=8, editable=False)
    is_active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="签发人")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_data_kind = "reference"

    class Meta:
        ordering = ["name"]
        verbose_name = "开放接口密钥"
        verbose_name_plural = "开放接口密钥"

    def __str__(self) -> str:
        return f"{self.name}（{self.key_prefix}…）"


class EventQuerySet(WorkflowQuerySet):
    """Open/closed/overdue/mine are the case layer's (one overdue definition: an open state and `due_at`
    before now); events add what the public may see."""

    def published(self):
        """What the anonymous Open311 list may show: events of a category the district marks 公开展示 — all of
        them, or (the default) only citizens' own reports (public page, Open311). Grid workers' and the
        centre's internal reports are never published unless the district says so for that category."""
        citizen = Q(source__in=[Source.PUBLIC, Source.OPEN311])
        return self.filter(Q(category__public_display=PublicDisplay.ALL)
                           | Q(category__public_display=PublicDisplay.CITIZEN) & citizen)


def mask_name(name: str) -> str:
    """张三丰 → 张**: the history says a name was left without showing it to roles that may not see it."""
    name = (name or "").strip()
    return name[:1] + "*" * min(len(name) - 1, 4) if name else ""


class ReporterNameField(models.CharField):
    """A citizen's name: kept for the centre's call-back; the audit trail records it masked (张**), by field
    type like the other personal fields (pingan.core.personal, pingan.core.audit.redact)."""

    audit_redact = staticmethod(lambda value: mask_name(value) if isinstance(value, str) else value)

    def deconstruct(self):
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


def _new_token() -> str:
    return uuid.uuid4().hex


class Event(ScopedModel, WorkflowCase):
    """网格事件: one report, from a grid worker's phone, a citizen, the centre or an Open311 client."""

    number = models.CharField("事件编号", max_length=32, unique=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="events", verbose_name="事件类别")
    description = models.TextField("事件描述", validators=[MaxLengthValidator(DESCRIPTION_MAX)])
    address = models.CharField("地址", max_length=200, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    urgency = models.CharField("紧急程度", max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    attributes = models.JSONField("补充信息", default=dict, blank=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.GRID, db_index=True)
    channel = models.CharField("渠道", max_length=20, choices=Channel.choices, blank=True)
    api_key = models.ForeignKey(Open311Key, null=True, blank=True, on_delete=models.PROTECT, related_name="events",
                                verbose_name="接口密钥")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="reported_events", verbose_name="上报人")
    # A citizen's own details: kept for the centre's call-back, never shown on a public page or API.
    reporter_name = ReporterNameField("报告人姓名", max_length=50, blank=True)
    # Phone and e-mail are encrypted at rest; pages, the API, the ledger and the audit trail show the masked
    # companions, and the full value only comes out through an audited reveal (services.event_reveal_reporter).
    reporter_phone = EncryptedTextField("报告人电话（密文）", blank=True)
    reporter_phone_masked = models.CharField("报告人电话", max_length=20, blank=True)
    reporter_email = EncryptedTextField("报告人邮箱（密文）", blank=True)
    reporter_email_masked = models.CharField("报告人邮箱", max_length=254, blank=True)
    reported_at = models.DateTimeField("上报时间", db_index=True)
    idempotency_key = models.CharField("幂等键", max_length=64, unique=True, null=True, blank=True, editable=False)
    lookup_code_hash = models.CharField("查询码摘要", max_length=64, blank=True, editable=False)
    public_token = models.CharField("公开令牌", max_length=32, unique=True, default=_new_token, editable=False)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="duplicates", verbose_name="重复于")
    # Workflow (the engine keeps state, state_changed_at, due_at — the one due moment —, sent_back_count,
    # closed_at).
    state = models.CharField("状态", max_length=30, choices=EventState.choices, default=EventState.REPORTED,
                             db_index=True)
    registered_at = models.DateTimeField("立案时间", null=True, blank=True)
    assigned_department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.PROTECT,
                                            related_name="events", verbose_name="承办部门")
    assigned_township = models.ForeignKey("geo.Node", null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+", verbose_name="承办乡镇")
    dispatched_at = models.DateTimeField("派遣时间", null=True, blank=True)
    handled_at = models.DateTimeField("反馈时间", null=True, blank=True)
    # 按期结案: the handling due moment in force when the unit reported back (extensions included), stamped by
    # the engine at 处置反馈 — the one record of "handled on time" (handled_at <= handled_due_at).
    handled_due_at = models.DateTimeField("反馈时的处置期限", null=True, blank=True, editable=False)
    handling_result = models.TextField("处置情况", blank=True, validators=[MaxLengthValidator(DESCRIPTION_MAX)])
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="核查人")
    check_note = models.TextField("核查意见", blank=True, validators=[MaxLengthValidator(DESCRIPTION_MAX)])
    satisfaction = models.CharField("评价", max_length=12, choices=Satisfaction.choices, blank=True)
    evaluation_note = models.CharField("评价意见", max_length=500, blank=True)
    reopen_count = models.PositiveSmallIntegerField("重新办理次数", default=0)

    objects = EventQuerySet.as_manager()
    # Never in the audit trail (the engine leaves them out of its entries): the lookup hash and public token
    # (secrets), and the citizen's phone and e-mail (encrypted at rest; the trail keeps the masked companions).
    audit_exclude_fields = ("lookup_code_hash", "public_token", "reporter_phone", "reporter_email")
    scope_data_kind = "case"
    scope_department_lookup = "assigned_department"
    workflow_kind = "events.event"

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = "网格事件"
        verbose_name_plural = "网格事件"
        indexes = [
            models.Index(fields=["category", "reported_at"]),
            models.Index(fields=["state", "due_at"]),
            models.Index(fields=["assigned_department", "state"]),
            # Open events by current deadline (a few percent of the table): the queue's 已超期 count reads it
            # alone (index-only, the scope columns included) and its pages walk it in order.
            # Its condition is the workflow's open states in the declaration's order (as the queries name them,
            # so PostgreSQL matches the two); the migration holds the literal list, a test keeps them equal.
            models.Index(fields=["due_at", "id"], include=["jurisdiction", "assigned_department"],
                         condition=Q(state__in=EVENT_KIND.open_states), name="events_open_due_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def title(self) -> str:
        return f"{self.category.name}（{self.jurisdiction.name}）"
