"""The petition register (信访; 《信访工作条例》2022): petitions as a case kind on the case layer, their
petitioners, the configurable topic list (问题类别), the lists assigned from above (交办清单) and the leaders'
receptions (领导接访/约访/下访).

The engine (pingan/cases) owns a petition's state, due moment and log (workflow.py declares them); the
条例's own dates (转送/交办 and 受理告知 within 15 days, 办结 within 60 days of 受理, 复查 and 复核 windows)
are fields here, shown on the case's deadline panel (selectors.deadline_panel).
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from pingan.cases.models import WorkflowCase, WorkflowQuerySet
from pingan.core.models import NumbersOnFile, ScopedModel
from pingan.core.scoping import ScopedQuerySet, place_q

from . import choices as c
from .workflow import PETITION_KIND  # noqa: F401  (registers the case kind with the engine)


class TopicQuerySet(ScopedQuerySet):
    """Configuration owned by a node: seen in its subtree and by the nodes beneath it (a village officer reads
    the district's and its township's topics), never a sibling township's — like events' categories."""

    def visible_to(self, user):
        return self.filter(place_q(self.model, user))


class Topic(ScopedModel):
    """问题类别: the district's configurable topic list (征地拆迁, 劳资纠纷, 涉法涉诉 …). A petition links one
    and keeps the text as written (`Petition.topic_text`)."""

    name = models.CharField("问题类别", max_length=50)
    code = models.CharField("代码", max_length=10, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("在用", default=True)

    objects = TopicQuerySet.as_manager()
    scope_data_kind = "reference"

    class Meta:
        ordering = ["order", "name"]
        verbose_name = verbose_name_plural = "信访问题类别"
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "name"], name="petitions_topic_unique_name")]

    def __str__(self) -> str:
        return self.name


class AssignedList(ScopedModel):
    """交办清单: a list of petitions assigned from above (省/市/区), with its deadline and the report asked for.
    `jurisdiction` is the node that received it (the district root by default)."""

    title = models.CharField("清单名称", max_length=100)
    assigning_body = models.CharField("交办单位", max_length=100)
    level = models.CharField("交办层级", max_length=10, choices=c.ListLevel.choices)
    received_on = models.DateField("接收日期")
    deadline = models.DateField("办理期限")
    report_requirement = models.TextField("报告要求", blank=True, max_length=2000)
    reported_on = models.DateField("报告日期", null=True, blank=True)
    report_text = models.TextField("报告内容", blank=True, max_length=8000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="登记人")

    scope_data_kind = "case"

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = verbose_name_plural = "信访交办清单"

    def __str__(self) -> str:
        return self.title


class PetitionQuerySet(WorkflowQuerySet):
    def finished(self):
        """办结 with a result (已办结/已化解/已稳控, and the reviews answered after them)."""
        return self.filter(state__in=c.FINISHED_STATES)

    def backlog(self):
        return self.filter(is_backlog=True)


class Petition(ScopedModel, WorkflowCase):
    """A petition (信访事项) registered in any form (条例第十七条), 受理 or not, 转送/交办, handled to a
    信访处理意见书 and 办结 with 三到位一处理 (第二十七条), then possibly 复查 (第三十五条) and 复核 (第三十六条).

    `jurisdiction` is the 问题属地 (a village or a township). `assigned_department` / `assigned_township`
    are the unit a 交办 sends it to inside the district: its handlers see and handle it."""

    number = models.CharField("编号", max_length=40, unique=True)
    state = models.CharField("办理状态", max_length=20, choices=c.PetitionState.choices,
                             default=c.PetitionState.REGISTERED, db_index=True)
    form = models.CharField("信访形式", max_length=10, choices=c.Form.choices, db_index=True)
    registered_on = models.DateField("登记日期", default=dt.date.today, db_index=True)
    petitioner_name = models.CharField("信访人", max_length=100, blank=True,
                                       help_text="第一位信访人（或代表）的姓名，列表和台账显示用")
    petition_type = models.CharField("信访类型", max_length=12, choices=c.PetitionType.choices, blank=True,
                                     db_index=True)
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.PROTECT, related_name="petitions",
                              verbose_name="问题类别")
    topic_text = models.CharField("问题类别（原文）", max_length=100, blank=True)
    content = models.TextField("诉求内容", max_length=8000)
    head_count = models.PositiveIntegerField("人数", default=1, validators=[MinValueValidator(1),
                                                                          MaxValueValidator(100000)])
    is_group = models.BooleanField("集体访", default=False)
    source = models.CharField("来源", max_length=10, choices=c.Source.choices, default=c.Source.LOCAL, db_index=True)
    assigning_body = models.CharField("交办单位", max_length=100, blank=True)
    assigned_list = models.ForeignKey(AssignedList, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="petitions", verbose_name="交办清单")
    hall_code = models.CharField("一案一码", max_length=40, blank=True, db_index=True)
    # 第二十二条/第二十三条: 转送/交办 and 受理告知 within 15 days of registration.
    forward_due_on = models.DateField("转送交办期限", null=True, blank=True)
    acknowledge_due_on = models.DateField("受理告知期限", null=True, blank=True)
    acknowledged_on = models.DateField("受理告知日期", null=True, blank=True)
    acknowledge_method = models.CharField("告知方式", max_length=40, blank=True)
    # 受理 / 交办 / 转送 / 不予受理.
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="受理人")
    assigned_department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.PROTECT,
                                            related_name="+", verbose_name="承办部门")
    assigned_township = models.ForeignKey("geo.Node", null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+", verbose_name="承办乡镇")
    assigned_on = models.DateField("交办日期", null=True, blank=True)
    forwarded_to = models.CharField("转送机关", max_length=100, blank=True)
    forwarded_on = models.DateField("转送日期", null=True, blank=True)
    rejection_reason = models.CharField("不予受理理由", max_length=16, choices=c.RejectionReason.choices, blank=True)
    rejected_on = models.DateField("不予受理日期", null=True, blank=True)
    # 办理 (第三十四条: 60 days from 受理, one extension of at most 30 days).
    handling_due_on = models.DateField("办结期限", null=True, blank=True)
    investigation = models.TextField("调查核实情况", blank=True, max_length=8000)
    hearing_on = models.DateField("听证日期", null=True, blank=True)
    hearing_note = models.TextField("听证情况", blank=True, max_length=4000)
    extension_told_on = models.DateField("延期告知日期", null=True, blank=True)
    # 信访处理意见书 (第三十二条) and 办结 (第二十七条 三到位一处理).
    opinion = models.CharField("处理意见", max_length=10, choices=c.Opinion.choices, blank=True)
    opinion_reasons = models.TextField("意见及理由", blank=True, max_length=8000)
    reply_on = models.DateField("答复日期", null=True, blank=True)
    sanwei_solved = models.BooleanField("解决问题到位", default=False)
    sanwei_educated = models.BooleanField("思想教育到位", default=False)
    sanwei_assisted = models.BooleanField("帮扶救助到位", default=False)
    sanwei_lawful = models.BooleanField("依法处理", default=False)
    result_note = models.TextField("办理结果", blank=True, max_length=4000)
    closed_on = models.DateField("办结日期", null=True, blank=True, db_index=True)
    # 复查 (第三十五条) and 复核 (第三十六条).
    review_requested_on = models.DateField("复查申请日期", null=True, blank=True)
    review_due_on = models.DateField("复查期限", null=True, blank=True)
    review_body = models.CharField("复查机关", max_length=100, blank=True)
    review_decision = models.CharField("复查意见", max_length=10, choices=c.ReviewDecision.choices, blank=True)
    review_reasons = models.TextField("复查意见及理由", blank=True, max_length=8000)
    review_reply_on = models.DateField("复查答复日期", null=True, blank=True)
    recheck_requested_on = models.DateField("复核申请日期", null=True, blank=True)
    recheck_due_on = models.DateField("复核期限", null=True, blank=True)
    recheck_body = models.CharField("复核机关", max_length=100, blank=True)
    recheck_decision = models.CharField("复核意见", max_length=10, choices=c.ReviewDecision.choices, blank=True)
    recheck_reasons = models.TextField("复核意见及理由", blank=True, max_length=8000)
    recheck_reply_on = models.DateField("复核答复日期", null=True, blank=True)
    # 积案 (骨头案): 包案领导, 化解方案, 联席会议, result 化解/稳控.
    is_backlog = models.BooleanField("是否积案", default=False, db_index=True)
    lead_leader = models.CharField("包案领导", max_length=50, blank=True)
    lead_leader_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+", verbose_name="包案领导账号")
    resolution_plan = models.TextField("化解方案", blank=True, max_length=8000)
    backlog_outcome = models.CharField("积案结果", max_length=10, choices=c.BacklogOutcome.choices, blank=True)
    meetings = models.ManyToManyField("disputes.Meeting", blank=True, related_name="petitions",
                                      verbose_name="联席会议")
    # 重复信访 and 赴省进京.
    repeat_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="repeats",
                                  verbose_name="重复信访的原件")
    repeat_checked = models.BooleanField("已查重", default=False)
    heading_up = models.BooleanField("有赴省进京倾向", default=False, db_index=True)
    heading_up_note = models.TextField("赴省进京情况", blank=True, max_length=2000)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="登记人")
    idempotency_key = models.CharField("幂等键", max_length=64, unique=True, null=True, blank=True, editable=False)

    objects = PetitionQuerySet.as_manager()
    scope_data_kind = "case"
    scope_department_lookup = "assigned_department"
    workflow_kind = "petitions.petition"

    class Meta:
        ordering = ["-registered_on", "-id"]
        verbose_name = verbose_name_plural = "信访事项"
        indexes = [
            models.Index(fields=["state", "due_at"]),
            models.Index(fields=["registered_on", "state"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def sanwei_labels(self) -> list[str]:
        return [label for name, label in c.SANWEI if getattr(self, name)]

    @property
    def topic_display(self) -> str:
        return self.topic.name if self.topic_id else (self.topic_text or "—")

    @property
    def assignee_display(self) -> str:
        parts = []
        if self.assigned_department_id:
            parts.append(self.assigned_department.name)
        if self.assigned_township_id:
            parts.append(self.assigned_township.name)
        return "、".join(parts) or "—"


class Petitioner(NumbersOnFile):
    """信访人: a person (linked to the people register when found there). A group visit elects at most five
    representatives (条例第二十条). The ID number and phone are stored encrypted, with a keyed hash for exact
    lookup and a masked copy for display (pingan.core.personal)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="petitioners",
                                 verbose_name="信访事项")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="petitions_made", verbose_name="实有人口")
    name = models.CharField("姓名", max_length=50)
    address = models.CharField("住址", max_length=200, blank=True)
    is_representative = models.BooleanField("代表", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "petition__jurisdiction__path"
    scope_department_lookup = "petition__assigned_department"
    scope_data_kind = "case"

    class Meta:
        ordering = ["petition_id", "-is_representative", "id"]
        verbose_name = verbose_name_plural = "信访人"

    def __str__(self) -> str:
        return self.name

    @property
    def jurisdiction(self):
        """The petition's place (a petitioner is where its petition is: audit scope and the scoping tests read it)."""
        return self.petition.jurisdiction


class LeaderReception(ScopedModel):
    """领导接访/约访/下访 (条例第十八条): the leader, date, place, topic and the petitions received."""

    leader = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name="接访领导账号")
    leader_name = models.CharField("接访领导", max_length=50)
    held_on = models.DateField("接访日期")
    place = models.CharField("接访地点", max_length=200)
    topic = models.CharField("接访主题", max_length=200, blank=True)
    kind = models.CharField("接访方式", max_length=12, choices=c.ReceptionKind.choices,
                            default=c.ReceptionKind.RECEPTION)
    outcome = models.TextField("接访结果", blank=True, max_length=4000)
    petitions = models.ManyToManyField(Petition, blank=True, related_name="receptions", verbose_name="接待的信访事项")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="登记人")

    scope_data_kind = "case"

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = verbose_name_plural = "领导接访"

    def __str__(self) -> str:
        return f"{self.held_on} {self.leader_name}{self.get_kind_display()}"
