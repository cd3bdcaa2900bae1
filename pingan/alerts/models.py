"""Early warnings (预警) and the per-place settings of the rules that raise them.

An `Alert` is one warning: which rule fired, where, how serious, why (`reason`, in Chinese with the numbers),
about what (`source`, any record, by content type and id, with its name kept for when it is gone), and what
was done about it. Modules raise alerts through `services.alert_raise`; a meeting in another app refers to
alerts (`agenda_item`), alerts know no meetings.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse

from pingan.core.models import ScopedModel
from pingan.core.scoping import ScopedQuerySet


class Level(models.TextChoices):
    RED = "red", "红色"
    ORANGE = "orange", "橙色"
    YELLOW = "yellow", "黄色"


class Status(models.TextChoices):
    """新预警 → 已签收 (someone in charge has seen it) → 已列入研判 (a meeting takes it up) → 已处置 or 已排除 (with
    a reason). Any waiting status may go straight to 已处置 or 已排除."""

    OPEN = "open", "新预警"
    ACKNOWLEDGED = "acknowledged", "已签收"
    AGENDA = "agenda", "已列入研判"
    HANDLED = "handled", "已处置"
    DISMISSED = "dismissed", "已排除"


class DataKind(models.TextChoices):
    CASE = "case", "案件"
    PERSON = "person", "人员"
    HEALTH = "health", "健康"
    CLUE = "clue", "线索"


# Still waiting for someone: a scan or the source's closure may close these.
ACTIVE = (Status.OPEN, Status.ACKNOWLEDGED, Status.AGENDA)
# Most serious first.
LEVEL_ORDER = {Level.RED: 0, Level.ORANGE: 1, Level.YELLOW: 2}


class AlertQuerySet(ScopedQuerySet):
    def active(self) -> "AlertQuerySet":
        return self.filter(status__in=ACTIVE)

    def for_source(self, source: Any) -> "AlertQuerySet":
        return self.filter(source_type=ContentType.objects.get_for_model(type(source)), source_id=str(source.pk))


class Alert(ScopedModel):
    """One early warning, raised once per `key` (a rule and its cause: "people.overdue_visit:12:2026-11-30").

    Seen by place like a case (`scope_data_kind = "case"`); a department handler sees only the alerts whose
    source was assigned to its department when the alert was raised (`department`), none otherwise. A warning
    about a person is person data, about a health kind's person health data (`data_kind`, scope_sensitive_rows):
    a department handler sees neither, a mediator and a leader no health ones. A warning about a campaign clue
    is clue data: only the roles that may read clues see it (a department handler only its own unit's).
    """

    rule = models.CharField("预警规则", max_length=60, db_index=True)
    module = models.CharField("所属模块", max_length=30, db_index=True)
    level = models.CharField("预警等级", max_length=8, choices=Level.choices)
    title = models.CharField("标题", max_length=200)
    reason = models.TextField("预警原因")
    data_kind = models.CharField("数据类别", max_length=8, choices=DataKind.choices, default=DataKind.CASE)
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="来源类型")
    source_id = models.CharField("来源编号", max_length=64, blank=True, default="")
    source = GenericForeignKey("source_type", "source_id")
    source_label = models.CharField("来源", max_length=200, blank=True, default="")
    department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="承办单位")
    key = models.CharField("预警键", max_length=200, unique=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.OPEN)
    raised_at = models.DateTimeField("预警时间", db_index=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", verbose_name="签收人")
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="处置人")
    handled_at = models.DateTimeField("处置时间", null=True, blank=True)
    handled_note = models.CharField("处置说明", max_length=500, blank=True, default="")
    agenda_item = models.CharField("研判议题", max_length=200, blank=True, default="")

    objects = AlertQuerySet.as_manager()
    scope_data_kind = "case"
    scope_department_lookup = "department"
    scope_sensitive_rows = {"person": Q(data_kind__in=[DataKind.PERSON, DataKind.HEALTH]),
                            "health": Q(data_kind=DataKind.HEALTH), "clue": Q(data_kind=DataKind.CLUE)}

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = "预警"
        verbose_name_plural = "预警"
        indexes = [
            models.Index(fields=["status", "level", "raised_at"], name="alerts_status_level_idx"),
            models.Index(fields=["jurisdiction"], name="alerts_jurisdiction_idx"),
            models.Index(fields=["source_type", "source_id"], name="alerts_source_idx"),
            models.Index(fields=["rule", "status"], name="alerts_rule_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}预警：{self.title}"

    def get_absolute_url(self) -> str:
        return reverse("alerts:detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def rule_label(self) -> str:
        from .registry import _RULES

        rule = _RULES.get(self.rule)
        return rule.label if rule else self.rule


class AlertRuleSetting(ScopedModel):
    """A district's or a township's choice for one rule: on or off, and its parameters (validated against the
    rule's declared types by `services.rule_setting_save`). The nearest setting above a place wins."""

    rule = models.CharField("预警规则", max_length=60)
    enabled = models.BooleanField("启用", default=True)
    params = models.JSONField("参数", default=dict, blank=True)
    note = models.CharField("设置说明", max_length=200, blank=True, default="",
                            help_text="为什么这样设置，如“国庆期间加密”")

    objects = ScopedQuerySet.as_manager()
    scope_data_kind = "reference"

    class Meta:
        ordering = ["jurisdiction__path", "rule"]
        verbose_name = "预警规则设置"
        verbose_name_plural = "预警规则设置"
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "rule"], name="alerts_setting_unique")]

    def __str__(self) -> str:
        from .registry import _RULES

        rule = _RULES.get(self.rule)
        return f"{rule.label if rule else self.rule}（{self.jurisdiction.name if self.jurisdiction_id else ''}）"

    def typed_params(self, rule: Any) -> dict[str, Any]:
        """The stored parameters the rule still declares, as their types (dates are stored as ISO text)."""
        values = {}
        for name, (default, _label) in rule.params.items():
            if name not in (self.params or {}):
                continue
            value = self.params[name]
            try:
                values[name] = dt.date.fromisoformat(value) if isinstance(default, dt.date) else int(value)
            except (TypeError, ValueError):
                continue  # a value stored by an older declaration: the default stands
        return values
