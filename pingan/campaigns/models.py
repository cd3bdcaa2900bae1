"""Special campaigns (专项行动: 扫黑除恶, "村霸" 整治, 重点区域/领域整治): the campaign itself, its clues (线索) as a
case kind on the case layer, and the tags that join other matters (events, hazards, disputes, petitions …)
to a campaign."""
from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from pingan.cases.models import WorkflowCase, WorkflowQuerySet
from pingan.core.models import ScopedModel
from pingan.core.personal import EncryptedTextField
from pingan.core.scoping import ScopedQuerySet, place_q

from .choices import CampaignKind, CampaignStatus, ClueSource, ClueState
from .workflow import CLUE_KIND  # noqa: F401  (registers the case kind with the engine)


class CampaignQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        # A campaign is a programme, like configuration: a township sees the district's campaigns and its own,
        # never a sibling township's.
        return self.filter(place_q(self.model, user))


class Campaign(ScopedModel):
    """One campaign: its kind, period, lead unit and jurisdiction (the district or one township), goals, status.
    Its clues are `Clue` cases; other matters join it through `CampaignTag`."""

    name = models.CharField("行动名称", max_length=100)
    kind = models.CharField("行动类别", max_length=20, choices=CampaignKind.choices)
    start_on = models.DateField("开始日期")
    end_on = models.DateField("结束日期", null=True, blank=True)
    lead_department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", verbose_name="牵头单位")
    goals = models.TextField("工作目标", max_length=4000, blank=True)
    status = models.CharField("状态", max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.ONGOING)

    objects = CampaignQuerySet.as_manager()
    scope_data_kind = "reference"

    class Meta:
        ordering = ["-start_on", "-id"]
        verbose_name = "专项行动"
        verbose_name_plural = "专项行动"

    def __str__(self) -> str:
        return self.name


class ClueQuerySet(WorkflowQuerySet):
    pass


class Clue(ScopedModel, WorkflowCase):
    """A clue (线索) of a campaign, from receipt through verification to hand-over (police or discipline
    inspection) and closure, or 查否. `jurisdiction` is the village the clue concerns; the reporter's name and
    phone are stored encrypted and shown masked (a reporter may stay anonymous).

    Data kind "clue", not "case" (举报线索保密): a clue is often about the village's own cadres and names who
    reported it, so it is read by the township office, the centre and the leaders by place and by the unit it
    is handed to, never by the village officer, the grid worker or the mediator of its place
    (accounts.permissions.DATA_ACCESS)."""

    number = models.CharField("线索编号", max_length=40, unique=True)
    state = models.CharField("办理状态", max_length=30, choices=ClueState.choices, default=ClueState.RECEIVED,
                             db_index=True)
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="clues", verbose_name="专项行动")
    received_on = models.DateField("受理日期", db_index=True)
    source = models.CharField("线索来源", max_length=10, choices=ClueSource.choices)
    anonymous = models.BooleanField("匿名举报", default=False)
    reporter_name = EncryptedTextField("举报人姓名", blank=True)
    reporter_phone = EncryptedTextField("举报人电话", blank=True)
    summary = models.TextField("线索内容", max_length=4000)
    involved = models.TextField("涉及人员", max_length=1000, blank=True)
    verification_note = models.TextField("核查情况", max_length=4000, blank=True)
    handed_to_department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.PROTECT,
                                             related_name="+", verbose_name="移交单位")
    handed_on = models.DateField("移交日期", null=True, blank=True)
    result = models.TextField("办结结果", max_length=4000, blank=True)
    unfounded_reason = models.TextField("查否理由", max_length=4000, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name="登记人")

    objects = ClueQuerySet.as_manager()
    scope_data_kind = "clue"
    scope_department_lookup = "handed_to_department"
    workflow_kind = "campaigns.clue"

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = "专项行动线索"
        verbose_name_plural = "专项行动线索"
        indexes = [models.Index(fields=["state", "due_at"]), models.Index(fields=["campaign", "state"])]

    def __str__(self) -> str:
        return self.number


class CampaignTag(ScopedModel):
    """A matter of another kind (an event, a hazard, a dispute, a petition: any case kind but a clue) tagged to a
    campaign. `jurisdiction` is the tagged matter's, so the tag is scoped like the matter (data kind "case")."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tags", verbose_name="专项行动")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", verbose_name="事项类型")
    object_id = models.PositiveBigIntegerField("事项编号")
    tagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name="关联人")
    tagged_at = models.DateTimeField("关联时间", auto_now_add=True)

    scope_data_kind = "case"

    class Meta:
        ordering = ["-tagged_at", "-id"]
        verbose_name = "专项行动关联事项"
        verbose_name_plural = "专项行动关联事项"
        constraints = [models.UniqueConstraint(fields=["campaign", "content_type", "object_id"],
                                               name="campaigntag_unique",
                                               violation_error_message="该事项已加入此专项行动。")]
