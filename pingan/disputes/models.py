"""The dispute register (矛盾纠纷排查化解, GB/T 31000 表30) and what mediation needs around it: parties,
mediation organisations and mediators, sessions (调解笔录), screening campaigns (排查活动), the mediators'
lost-work subsidy (误工补贴) and the 研判 meetings (例会).

A dispute is a case kind on the case layer (`workflow.py`): the engine owns its state, due moment and log.
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from pingan.cases.models import WorkflowCase, WorkflowQuerySet
from pingan.core.models import NumbersOnFile, ScopedModel
from pingan.core.personal import PhoneField
from pingan.core.scoping import ScopedQuerySet
from pingan.people.choices import Sex

from . import choices as c
from .workflow import DISPUTE_KIND  # noqa: F401  (registers the case kind with the engine)


class MediationOrg(ScopedModel):
    """人民调解组织: a village or township committee, an industry committee, a resident unit of the centre.
    `jurisdiction` is where it sits (a village committee its village); `department` links a resident unit
    (派出所调解室, 人民法庭, 人社局劳动争议调解) whose handlers then see the disputes assigned to it."""

    name = models.CharField("组织名称", max_length=100)
    kind = models.CharField("组织类型", max_length=10, choices=c.OrgKind.choices)
    department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="所属部门")
    phone = PhoneField("联系电话", max_length=20, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    active = models.BooleanField("在用", default=True)

    scope_data_kind = "reference"

    class Meta:
        ordering = ["jurisdiction__path", "name"]
        verbose_name = verbose_name_plural = "调解组织"
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "name"], name="disputes_org_unique_name")]

    def __str__(self) -> str:
        return self.name


class Mediator(ScopedModel):
    """人民调解员 (the register): an organisation's member, optionally holding an account (role 调解员)."""

    name = models.CharField("姓名", max_length=50)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices, blank=True)
    org = models.ForeignKey(MediationOrg, on_delete=models.PROTECT, related_name="mediators",
                            verbose_name="所属调解组织")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="mediator_profile", verbose_name="系统账号")
    kind = models.CharField("专兼职", max_length=4, choices=c.MediatorKind.choices, default=c.MediatorKind.PART_TIME)
    phone = PhoneField("联系电话", max_length=20, blank=True)
    specialty = models.CharField("擅长领域", max_length=100, blank=True)
    training = models.TextField("培训情况", blank=True, max_length=2000)
    certified_on = models.DateField("聘任日期", null=True, blank=True)
    active = models.BooleanField("在任", default=True)

    scope_data_kind = "reference"

    class Meta:
        ordering = ["jurisdiction__path", "name"]
        verbose_name = verbose_name_plural = "人民调解员"

    def __str__(self) -> str:
        return f"{self.name}（{self.org.name}）"


class ScreeningCampaign(ScopedModel):
    """排查活动: a screening round that groups the disputes it found."""

    name = models.CharField("活动名称", max_length=100)
    start_on = models.DateField("开始日期")
    end_on = models.DateField("结束日期", null=True, blank=True)
    description = models.TextField("说明", blank=True, max_length=2000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="登记人")

    scope_data_kind = "case"

    class Meta:
        ordering = ["-start_on", "-id"]
        verbose_name = verbose_name_plural = "排查活动"

    def __str__(self) -> str:
        return self.name


class DisputeQuerySet(WorkflowQuerySet):
    def resolved(self):
        return self.filter(state__in=c.RESOLVED_STATES)


class Dispute(ScopedModel, WorkflowCase):
    """A dispute screened or brought in (排查登记), mediated (调处中) to an agreement (调处成功, then 履行回访
    and 归档) or terminated (调处失败) or transferred (已移交).

    `jurisdiction` is the village or grid where it arose. `registered_on` (登记日期) is the date the
    indicators count by. `source` with `referrer_*` records a referral (诉调/公调/检调/访调对接): the referring
    department reads the dispute (scope_reader_department_lookups) and is told the result. The mediation
    organisation's department (a resident unit) handles it (scope_department_lookup = assigned_department).
    """

    number = models.CharField("编号", max_length=40, unique=True)
    state = models.CharField("状态", max_length=20, choices=c.DisputeState.choices,
                             default=c.DisputeState.REGISTERED, db_index=True)
    title = models.CharField("事件名称", max_length=100)
    occurred_on = models.DateField("发生日期")
    registered_on = models.DateField("登记日期", default=dt.date.today, db_index=True)
    location = models.CharField("发生地点", max_length=200, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True,
                                   validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True,
                                    validators=[MinValueValidator(-180), MaxValueValidator(180)])
    scale = models.CharField("事件规模", max_length=2, choices=c.Scale.choices, default=c.Scale.INDIVIDUAL,
                             db_index=True)
    category = models.CharField("事件类别", max_length=4, choices=c.CATEGORY_CHOICES, db_index=True)
    people_count = models.PositiveIntegerField("涉及人数", default=2, validators=[MinValueValidator(1),
                                                                              MaxValueValidator(100000)])
    summary = models.TextField("事件简述", max_length=4000)
    units_involved = models.CharField("涉及单位", max_length=200, blank=True)
    source = models.CharField("来源", max_length=16, choices=c.Source.choices, default=c.Source.GRID, db_index=True)
    screening = models.ForeignKey(ScreeningCampaign, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="disputes", verbose_name="排查活动")
    # 对接: who referred it and under which number; the result goes back to them.
    referrer_department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.PROTECT,
                                            related_name="+", verbose_name="移送单位")
    referrer_name = models.CharField("移送单位名称", max_length=100, blank=True)
    referrer_number = models.CharField("移送单位案号", max_length=60, blank=True)
    referred_on = models.DateField("移送日期", null=True, blank=True)
    reported_back_on = models.DateField("结果反馈日期", null=True, blank=True)
    report_back_note = models.TextField("反馈内容", blank=True, max_length=2000)
    # 人民调解法 Art.25: a dispute that may turn violent is reported to the police.
    violence_risk = models.BooleanField("有激化风险", default=False)
    police_informed_on = models.DateField("报告公安日期", null=True, blank=True)
    # Mediation.
    mediation_org = models.ForeignKey(MediationOrg, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="disputes", verbose_name="化解组织")
    mediator = models.ForeignKey(Mediator, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="disputes", verbose_name="主办调解员")
    # The ledger's 化解组织 / 调解员 as written, kept when no register record matches exactly one (ledgers.md).
    mediation_org_name = models.CharField("化解组织名称", max_length=100, blank=True)
    mediator_name = models.CharField("调解员姓名", max_length=50, blank=True)
    co_mediators = models.ManyToManyField(Mediator, blank=True, related_name="co_disputes",
                                          verbose_name="协办调解员")
    assigned_department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.PROTECT,
                                            related_name="+", verbose_name="承办部门")
    resolution_method = models.CharField("化解方式", max_length=4, choices=c.ResolutionMethod.choices,
                                         default=c.ResolutionMethod.PEOPLES_MEDIATION, blank=True)
    # Outcome: an agreement (人民调解法 Art.28–29) …
    agreement_form = models.CharField("协议形式", max_length=8, choices=c.AgreementForm.choices, blank=True)
    facts = models.TextField("纠纷事实及争议焦点", blank=True, max_length=4000)
    responsibilities = models.TextField("各方责任", blank=True, max_length=4000)
    agreement_terms = models.TextField("协议内容", blank=True, max_length=4000)
    performance = models.CharField("履行方式及期限", max_length=400, blank=True)
    agreement_on = models.DateField("协议日期", null=True, blank=True)
    # … or a termination with the other routes explained (Art.26), or a transfer.
    failure_reason = models.TextField("终止调解原因", blank=True, max_length=2000)
    other_routes = models.CharField("告知的其他途径", max_length=60, blank=True,
                                    help_text="仲裁、行政途径、诉讼，以顿号分隔")
    transferred_to = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", verbose_name="移交单位")
    transferred_to_name = models.CharField("移交单位名称", max_length=100, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True, db_index=True)
    outcome_note = models.TextField("化解情况", blank=True, max_length=4000)
    # After an agreement: 履行回访 and the optional 司法确认 (Art.33, within 30 days).
    followup_due_on = models.DateField("回访期限", null=True, blank=True)
    followup_on = models.DateField("回访日期", null=True, blank=True)
    followup_result = models.CharField("履行情况", max_length=16, choices=c.FollowupResult.choices, blank=True)
    followup_note = models.TextField("回访记录", blank=True, max_length=2000)
    judicial_intended = models.BooleanField("当事人拟申请司法确认", default=False)
    judicial_applied_on = models.DateField("申请司法确认日期", null=True, blank=True)
    judicial_court = models.CharField("受理法院", max_length=100, blank=True)
    judicial_result = models.CharField("司法确认结果", max_length=12, choices=c.JudicialResult.choices, blank=True)
    judicial_decided_on = models.DateField("裁定日期", null=True, blank=True)
    # The reviewing officer's grade for the subsidy (考评).
    grade = models.CharField("案件等级", max_length=8, choices=c.Grade.choices, blank=True)
    graded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name="考评人")
    graded_on = models.DateField("考评日期", null=True, blank=True)
    evaluation = models.TextField("考评意见", blank=True, max_length=2000)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="登记人")
    idempotency_key = models.CharField("幂等键", max_length=64, unique=True, null=True, blank=True, editable=False)

    objects = DisputeQuerySet.as_manager()
    scope_data_kind = "case"
    scope_department_lookup = "assigned_department"
    scope_reader_department_lookups = ("referrer_department", "transferred_to")
    workflow_kind = "disputes.dispute"

    class Meta:
        ordering = ["-registered_on", "-id"]
        verbose_name = verbose_name_plural = "矛盾纠纷"
        indexes = [
            models.Index(fields=["state", "due_at"]),
            models.Index(fields=["registered_on", "state"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_mass(self) -> bool:
        return self.scale in c.MASS_SCALES

    @property
    def is_referral(self) -> bool:
        return self.source in c.REFERRAL_SOURCES

    @property
    def resolved(self) -> bool:
        return self.state in c.RESOLVED_STATES

    @property
    def referrer_display(self) -> str:
        if self.referrer_department_id:
            return self.referrer_department.name
        return self.referrer_name or "—"

    @property
    def category_group(self) -> str:
        return c.category_group(self.category)


class DisputeParty(NumbersOnFile):
    """A party (当事人): a person (linked to the people register when found there) or an organisation.

    The ID number and phone are stored the way the people register stores them: encrypted, with a keyed
    hash for exact lookup and a masked copy for display (pingan.core.personal)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="parties", verbose_name="纠纷")
    side = models.CharField("当事人地位", max_length=12, choices=c.PartySide.choices, default=c.PartySide.APPLICANT)
    kind = models.CharField("当事人类型", max_length=6, choices=c.PartyKind.choices, default=c.PartyKind.PERSON)
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="dispute_parties", verbose_name="实有人口")
    name = models.CharField("姓名或名称", max_length=100)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices, blank=True)
    category = models.CharField("人员类别", max_length=4, choices=c.PartyCategory.choices, blank=True)
    address = models.CharField("住址", max_length=200, blank=True)
    representative = models.CharField("法定代表人或负责人", max_length=50, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "dispute__jurisdiction__path"
    scope_department_lookup = "dispute__assigned_department"
    scope_data_kind = "case"

    class Meta:
        ordering = ["dispute_id", "side", "id"]
        verbose_name = verbose_name_plural = "纠纷当事人"

    def __str__(self) -> str:
        return self.name

    @property
    def jurisdiction(self):
        """The dispute's place (a party is where its dispute is: audit scope and the scoping tests read it)."""
        return self.dispute.jurisdiction


class MediationSession(models.Model):
    """One mediation session (调解记录, 人民调解法 Art.27): date, place, who attended, what was said."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="sessions", verbose_name="纠纷")
    held_on = models.DateField("调解日期")
    place = models.CharField("调解地点", max_length=200)
    mediator = models.ForeignKey(Mediator, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name="主持调解员")
    attendees = models.CharField("参加人员", max_length=400)
    record = models.TextField("调解笔录", max_length=20000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="记录人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "dispute__jurisdiction__path"
    scope_department_lookup = "dispute__assigned_department"
    scope_data_kind = "case"

    class Meta:
        ordering = ["dispute_id", "held_on", "id"]
        verbose_name = verbose_name_plural = "调解记录"

    def __str__(self) -> str:
        return f"{self.dispute.number} {self.held_on}"

    @property
    def jurisdiction(self):
        """The dispute's place (a session is where its dispute is: audit scope and the scoping tests read it)."""
        return self.dispute.jurisdiction


class SubsidyRate(ScopedModel):
    """The subsidy per case of each grade, set by the district (default 简易 50, 一般 100, 重大疑难 200 元).
    `jurisdiction` is the node the rate applies under (the district root by default)."""

    grade = models.CharField("案件等级", max_length=8, choices=c.Grade.choices)
    amount = models.DecimalField("补贴金额（元）", max_digits=8, decimal_places=2,
                                 validators=[MinValueValidator(0), MaxValueValidator(100000)])

    scope_data_kind = "reference"

    class Meta:
        ordering = ["jurisdiction__path", "grade"]
        verbose_name = verbose_name_plural = "误工补贴标准"
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "grade"], name="disputes_rate_unique")]


class SubsidySheet(ScopedModel):
    """A month's subsidy sheet (误工补贴发放表) for a township or the district: built from the disputes closed
    调处成功 and graded in that month; frozen once approved (amounts copied into its lines)."""

    month = models.DateField("月份")  # the first day of the month
    status = models.CharField("状态", max_length=10, choices=c.SheetStatus.choices, default=c.SheetStatus.DRAFT)
    total = models.DecimalField("合计（元）", max_digits=12, decimal_places=2, default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="制表人")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="审批人")
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)

    scope_data_kind = "case"

    class Meta:
        ordering = ["-month", "jurisdiction__path"]
        verbose_name = verbose_name_plural = "误工补贴发放表"
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "month"], name="disputes_sheet_unique_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y年%m月} {self.jurisdiction.name}"


class SubsidyLine(models.Model):
    """One case on a sheet: its mediator, organisation, grade and the amount at the time of the sheet."""

    sheet = models.ForeignKey(SubsidySheet, on_delete=models.CASCADE, related_name="lines", verbose_name="发放表")
    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="subsidy_lines", verbose_name="纠纷")
    mediator = models.ForeignKey(Mediator, null=True, on_delete=models.PROTECT, related_name="subsidy_lines",
                                 verbose_name="调解员")
    org = models.ForeignKey(MediationOrg, null=True, on_delete=models.PROTECT, related_name="+",
                            verbose_name="调解组织")
    grade = models.CharField("案件等级", max_length=8, choices=c.Grade.choices)
    amount = models.DecimalField("补贴金额（元）", max_digits=8, decimal_places=2)

    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "sheet__jurisdiction__path"
    scope_data_kind = "case"

    class Meta:
        ordering = ["sheet_id", "mediator_id", "dispute_id"]
        verbose_name = verbose_name_plural = "误工补贴明细"
        constraints = [models.UniqueConstraint(fields=["dispute"], name="disputes_subsidy_once_per_case")]


class Meeting(ScopedModel):
    """A 研判 meeting (矛盾纠纷排查例会, 研判会, 联席会议): who met, which disputes and warnings they discussed,
    what they decided and the follow-ups."""

    kind = models.CharField("会议类型", max_length=10, choices=c.MeetingKind.choices, default=c.MeetingKind.REGULAR)
    held_on = models.DateField("会议日期")
    place = models.CharField("会议地点", max_length=200, blank=True)
    chair = models.CharField("主持人", max_length=50, blank=True)
    attendees = models.TextField("参会人员", max_length=2000)
    disputes = models.ManyToManyField(Dispute, blank=True, related_name="meetings", verbose_name="研判的纠纷")
    alerts = models.ManyToManyField("alerts.Alert", blank=True, related_name="+", verbose_name="列入研判的预警")
    decisions = models.TextField("议定事项", max_length=4000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="记录人")

    scope_data_kind = "case"

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = verbose_name_plural = "研判例会"

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_kind_display()}"


class MeetingFollowUp(models.Model):
    """A follow-up decided at a meeting: what, who, by when, done when."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="follow_ups", verbose_name="会议")
    task = models.CharField("督办事项", max_length=400)
    responsible = models.CharField("责任单位或责任人", max_length=100)
    due_on = models.DateField("完成期限", null=True, blank=True)
    done_on = models.DateField("完成日期", null=True, blank=True)
    result = models.CharField("落实情况", max_length=400, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "meeting__jurisdiction__path"
    scope_data_kind = "case"

    class Meta:
        ordering = ["meeting_id", "id"]
        verbose_name = verbose_name_plural = "例会督办事项"


def _connect_receivers() -> None:
    """The referrer's notice on close (disputes/notify.py), the navigation and the home panel (home.py),
    attached once the models are loaded."""
    from . import home  # noqa: F401
    from .notify import connect

    connect()


_connect_receivers()
