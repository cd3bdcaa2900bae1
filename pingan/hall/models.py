"""The one window (一窗受理): visitors, matters with their one code (一案一码), 心理服务 appointments and the units
on duty in the centre.

Design (docs/modules/hall.md):
- A `HallVisitor` is the window's own register of who came, found again in one indexed step by the keyed hash
  of their ID number or phone (or by name). Visitors are often not residents of the district, so the people
  register (实有人口) is not the place for them; when a visitor's ID number matches a person the registering
  user may see, the visitor links to that `people.Person` (collected once, reused).
- A `Matter` is not a case kind: it is the envelope that carries one code from the window to whatever the
  matter became. Its own clock is 分流 within one working day (`route_due_at`); after that the case it became
  (a dispute, a petition, an event: each a case kind with its own deadlines, 督办 and 回访) carries the work,
  and the citizen's lookup reads that case's state. Making the matter a case of its own would give one
  grievance two clocks, two queues and two overdue counts.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from pingan.core.models import NumbersOnFile, ScopedModel
from pingan.core.personal import EncryptedTextField, LookupHashField, PhoneField
from pingan.core.scoping import ScopedQuerySet

from . import choices as c


class HallVisitor(ScopedModel, NumbersOnFile):
    """Someone who came to (or called, or wrote to) the hall. `jurisdiction` is the hall's place (the district
    centre or a township's centre). Numbers are kept encrypted, with a keyed hash for exact lookup and the mask
    that pages show; `phone_tail` (last 4 digits) checks the citizen's lookup of their matter."""

    name = models.CharField("姓名", max_length=50)
    phone_tail = LookupHashField("电话后四位散列", blank=True)
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name="实有人口")

    objects = ScopedQuerySet.as_manager()
    scope_data_kind = "person"

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "来访群众"
        verbose_name_plural = "来访群众"
        indexes = [models.Index(fields=["jurisdiction", "name"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.phone_masked or self.id_masked or '未留号码'}）"


class MatterQuerySet(ScopedQuerySet):
    def overdue_q(self, at=None) -> Q:
        """Not yet routed and past the 分流 due moment (one working day after registration)."""
        return Q(status=c.Status.REGISTERED, route_due_at__lt=at or timezone.now())


class Matter(ScopedModel):
    """One matter registered at the window (一窗受理) and its one code (一案一码).

    `code` (ZZ + yymmdd + 4 random characters) is what the citizen keeps; with the last 4 digits of their phone
    or the slip's `pin` it opens the public lookup. `route` is where the matter went; `case` (generic) and
    `case_number` the dispute, petition or event it became; `status` the matter's own stage (已登记 → 已分流 /
    已转介 / 已答复 → 已办结 after 回访)."""

    code = models.CharField("事项码", max_length=16, unique=True)
    pin = EncryptedTextField("查询码", blank=True)
    channel = models.CharField("渠道", max_length=10, choices=c.Channel.choices, default=c.Channel.VISIT)
    window = models.CharField("受理窗口", max_length=30, blank=True)
    visitor = models.ForeignKey(HallVisitor, on_delete=models.PROTECT, related_name="matters", verbose_name="来访人")
    head_count = models.PositiveIntegerField("来访人数", default=1,
                                             validators=[MinValueValidator(1), MaxValueValidator(9999)])
    topic = models.CharField("事由", max_length=100)
    category = models.CharField("问题类别", max_length=16, choices=c.Category.choices, db_index=True)
    summary = models.TextField("诉求内容", max_length=2000)
    mediation_applicable = models.BooleanField("适用调解", default=False)
    route = models.CharField("分流去向", max_length=16, choices=c.Route.choices, blank=True, db_index=True)
    route_unit = models.CharField("承接单位", max_length=100, blank=True)
    route_note = models.TextField("分流说明", max_length=2000, blank=True)
    non_mediation_reason = models.CharField("未选调解的原因", max_length=400, blank=True)
    case_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="转成的案件类型")
    case_id = models.PositiveBigIntegerField("转成的案件", null=True, blank=True)
    case = GenericForeignKey("case_type", "case_id")
    case_number = models.CharField("案件编号", max_length=40, blank=True)
    status = models.CharField("办理状态", max_length=12, choices=c.Status.choices, default=c.Status.REGISTERED,
                              db_index=True)
    answer_note = models.TextField("答复内容", max_length=2000, blank=True)
    reroute_count = models.PositiveIntegerField("改派次数", default=0)
    followup_on = models.DateField("回访日期", null=True, blank=True)
    followup_note = models.TextField("回访记录", max_length=2000, blank=True)
    satisfaction = models.CharField("满意度", max_length=12, choices=c.Satisfaction.choices, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name="登记人")
    registered_at = models.DateTimeField("登记时间", db_index=True)
    route_due_at = models.DateTimeField("分流期限")
    routed_at = models.DateTimeField("分流时间", null=True, blank=True)
    routed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name="分流人")

    objects = MatterQuerySet.as_manager()
    scope_data_kind = "case"

    class Meta:
        ordering = ["-registered_at", "-id"]
        verbose_name = "窗口受理事项"
        verbose_name_plural = "窗口受理事项"
        indexes = [models.Index(fields=["jurisdiction", "registered_at"]),
                   models.Index(fields=["visitor", "registered_at"])]

    def __str__(self) -> str:
        return f"{self.code} {self.topic}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("hall:matter_detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.status == c.Status.REGISTERED and self.route_due_at < timezone.now()


class Counsellor(ScopedModel):
    """A psychological counsellor who sits in the centre's 心理服务 room, linked to their login account: only
    that account reads the session notes of their appointments."""

    name = models.CharField("姓名", max_length=50)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="counsellor", verbose_name="登录账号")
    organisation = models.CharField("所属机构", max_length=100, blank=True)
    kind = models.CharField("入驻方式", max_length=10, choices=c.DutyKind.choices, default=c.DutyKind.INVITED)
    is_active = models.BooleanField("在岗", default=True)

    objects = ScopedQuerySet.as_manager()
    scope_data_kind = "reference"

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "心理咨询师"
        verbose_name_plural = "心理咨询师"

    def __str__(self) -> str:
        return f"{self.name}（{self.organisation}）" if self.organisation else self.name


class Appointment(ScopedModel):
    """A 心理服务 appointment: a counsellor, a time slot (no double booking), who comes and from which matter.
    `notes` (session notes) are health data, encrypted, read by the appointment's counsellor only: never in
    lists, exports, the API for others, nor (by field type) in the audit trail's values."""

    counsellor = models.ForeignKey(Counsellor, on_delete=models.PROTECT, related_name="appointments",
                                   verbose_name="咨询师")
    visitor = models.ForeignKey(HallVisitor, on_delete=models.PROTECT, related_name="appointments",
                                verbose_name="来访人")
    matter = models.ForeignKey(Matter, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments",
                               verbose_name="受理事项")
    starts_at = models.DateTimeField("预约时间", db_index=True)
    minutes = models.PositiveIntegerField("时长（分钟）", default=50,
                                          validators=[MinValueValidator(15), MaxValueValidator(240)])
    room = models.CharField("咨询室", max_length=30, blank=True, default="心理服务室")
    status = models.CharField("状态", max_length=12, choices=c.AppointmentStatus.choices,
                              default=c.AppointmentStatus.BOOKED)
    notes = EncryptedTextField("咨询记录", blank=True)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name="预约人")

    objects = ScopedQuerySet.as_manager()
    scope_data_kind = "health"

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = "心理服务预约"
        verbose_name_plural = "心理服务预约"
        constraints = [models.UniqueConstraint(fields=["counsellor", "starts_at"],
                                               condition=Q(status="booked"), name="hall_appointment_no_double")]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.starts_at):%Y-%m-%d %H:%M} {self.counsellor.name}"

    @property
    def ends_at(self):
        import datetime as dt

        return self.starts_at + dt.timedelta(minutes=self.minutes)


class DutyUnit(ScopedModel):
    """A unit that sits in the centre: resident (常驻), rotating (轮驻) or invited (特邀: a lawyer, a retired
    judge, a counsellor as special mediator)."""

    name = models.CharField("单位或人员", max_length=100)
    kind = models.CharField("入驻方式", max_length=10, choices=c.DutyKind.choices)
    department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="对应部门")
    window = models.CharField("默认窗口或功能室", max_length=30, blank=True)
    services = models.CharField("受理事项", max_length=200, blank=True)
    contact = PhoneField("联系电话", blank=True)
    is_active = models.BooleanField("在用", default=True)

    objects = ScopedQuerySet.as_manager()
    scope_data_kind = "reference"

    class Meta:
        ordering = ["kind", "name", "id"]
        verbose_name = "入驻单位"
        verbose_name_plural = "入驻单位"

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


class DutySlot(ScopedModel):
    """One unit on duty at one window on one day (or half-day): the centre's duty schedule (值班表)."""

    unit = models.ForeignKey(DutyUnit, on_delete=models.CASCADE, related_name="slots", verbose_name="入驻单位")
    date = models.DateField("日期", db_index=True)
    period = models.CharField("时段", max_length=10, choices=c.Period.choices, default=c.Period.DAY)
    window = models.CharField("窗口或功能室", max_length=30, blank=True)
    person = models.CharField("值班人员", max_length=50, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_data_kind = "reference"

    class Meta:
        ordering = ["date", "period", "window", "id"]
        verbose_name = "值班安排"
        verbose_name_plural = "值班安排"
        constraints = [models.UniqueConstraint(fields=["unit", "date", "period"], name="hall_dutyslot_unique")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_period_display()} {self.unit.name}"
