"""实有人口 (people, households, rented houses), the six kinds of special population, their visits and the
configurable visit rules.

Personal data: the 公民身份号码 (or a foreigner's document number) and phone numbers are stored AES-GCM
encrypted (`*_cipher`), with a keyed hash for exact lookup (`*_hash`), the masked form shown to everyone
(`*_masked`) and the last four characters for searching (`*_tail`). Health fields are EncryptedTextFields.
Every record is scoped to the person's grid (`jurisdiction`).
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from pingan.core.models import ScopedModel
from pingan.core.personal import (
    BirthDateField, CipherTextField, EncryptedTextField, LookupHashField, PhoneField,
)
from pingan.core.scoping import ScopedQuerySet, place_q

from . import choices as c


class PersonQuerySet(ScopedQuerySet):
    def on(self, day: dt.date) -> "PersonQuerySet":
        """People registered on `day` (registered on or before it and not deregistered by then)."""
        return self.filter(registered_on__lte=day).filter(Q(deregistered_on__isnull=True) | Q(deregistered_on__gt=day))


class Household(ScopedModel):
    """户: a household registered in a grid, with its 户主 and members (Person.household)."""

    number = models.CharField("户号", max_length=30)
    household_type = models.CharField("户别", max_length=12, choices=c.HouseholdType.choices,
                                      default=c.HouseholdType.FAMILY)
    address = models.CharField("住址", max_length=200)
    head = models.ForeignKey("Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name="户主")

    scope_data_kind = "person"

    class Meta:
        ordering = ["jurisdiction__path", "number"]
        verbose_name = "户"
        verbose_name_plural = "户"
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "number"], name="people_household_unique_number")]

    def __str__(self) -> str:
        return f"户号 {self.number}"


class RentalHouse(ScopedModel):
    """出租房屋: owner, use (GB/T 31000 5.18) and tenants (Person.rental_house)."""

    address = models.CharField("房屋地址", max_length=200)
    owner = models.ForeignKey("Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_rentals",
                              verbose_name="房主（登记人口）")
    owner_name = models.CharField("房主姓名", max_length=50)
    owner_phone_cipher = CipherTextField("房主电话（密文）", blank=True)
    owner_phone_masked = models.CharField("房主电话", max_length=20, blank=True)
    use = models.CharField("出租用途", max_length=2, choices=c.RentalUse.choices, default=c.RentalUse.RESIDENCE)
    area = models.DecimalField("出租面积（平方米）", max_digits=8, decimal_places=1, null=True, blank=True,
                               validators=[MinValueValidator(0)])
    rooms = models.PositiveSmallIntegerField("出租间数", null=True, blank=True)
    registered_on = models.DateField("登记日期", default=dt.date.today)
    note = models.TextField("备注", blank=True)

    scope_data_kind = "person"

    class Meta:
        ordering = ["jurisdiction__path", "address"]
        verbose_name = "出租房屋"
        verbose_name_plural = "出租房屋"

    def __str__(self) -> str:
        return self.address


class Person(ScopedModel):
    """A person living in a grid (实有人口), with the shared GB/T 31000 person fields."""

    name = models.CharField("姓名", max_length=50, db_index=True)
    former_name = models.CharField("曾用名", max_length=50, blank=True)
    sex = models.CharField("性别", max_length=1, choices=c.Sex.choices)
    birth_date = BirthDateField("出生日期", null=True, blank=True)
    ethnicity = models.CharField("民族", max_length=2, choices=c.Ethnicity.choices, default=c.Ethnicity.HAN)
    native_place = models.CharField("籍贯", max_length=60, blank=True)
    marital_status = models.CharField("婚姻状况", max_length=2, choices=c.MaritalStatus.choices, blank=True)
    political_status = models.CharField("政治面貌", max_length=2, choices=c.PoliticalStatus.choices, blank=True)
    education = models.CharField("学历", max_length=2, choices=c.Education.choices, blank=True)
    religion = models.CharField("宗教信仰", max_length=30, blank=True)
    occupation = models.CharField("职业", max_length=60, blank=True)
    workplace = models.CharField("服务处所", max_length=120, blank=True)

    # 公民身份号码, or for 境外人员 the document number of `doc_type`.
    doc_type = models.CharField("证件类型", max_length=3, choices=c.ForeignDocType.choices, blank=True,
                                help_text="境外人员填写；中国公民留空（使用公民身份号码）")
    id_cipher = CipherTextField("证件号码（密文）", blank=True)
    id_hash = LookupHashField("证件号码查询散列", max_length=64, null=True, blank=True, unique=True)
    id_masked = models.CharField("证件号码", max_length=40, blank=True)
    id_tail = models.CharField("证件号码后四位", max_length=4, blank=True, db_index=True)
    nationality = models.CharField("国籍（地区）", max_length=40, blank=True)

    phone_cipher = CipherTextField("联系电话（密文）", blank=True)
    phone_hash = LookupHashField("联系电话查询散列", max_length=64, blank=True, db_index=True)
    phone_masked = models.CharField("联系电话", max_length=20, blank=True)
    phone_tail = models.CharField("电话后四位", max_length=4, blank=True, db_index=True)

    person_type = models.CharField("人口类型", max_length=12, choices=c.PersonType.choices, default=c.PersonType.REGISTERED)
    inflow_reason = models.CharField("流入原因", max_length=2, choices=c.InflowReason.choices, blank=True)
    residence_permit = models.CharField("居住证编号", max_length=30, blank=True)
    residence_permit_until = models.DateField("居住证有效期至", null=True, blank=True)
    left_behind_type = models.CharField("留守人员类型", max_length=2, choices=c.LeftBehindType.choices, blank=True)

    household_address = models.CharField("户籍地详址", max_length=200, blank=True)
    current_address = models.CharField("现住地详址", max_length=200, blank=True)
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="members",
                                  verbose_name="所在户")
    relation = models.CharField("与户主关系", max_length=2, choices=c.Relation.choices, blank=True)
    rental_house = models.ForeignKey(RentalHouse, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="tenants", verbose_name="承租房屋")

    registered_on = models.DateField("登记日期", default=dt.date.today)
    deregistered_on = models.DateField("注销日期", null=True, blank=True)
    note = models.TextField("备注", blank=True)

    objects = PersonQuerySet.as_manager()
    scope_data_kind = "person"

    class Meta:
        ordering = ["jurisdiction__path", "name", "id"]
        verbose_name = "实有人口"
        verbose_name_plural = "实有人口"
        indexes = [models.Index(fields=["jurisdiction", "person_type"], name="people_person_type_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def id_label(self) -> str:
        return self.get_doc_type_display() if self.doc_type else "公民身份号码"

    @property
    def birth_year(self) -> int | None:
        """What pages and the API show instead of the birth date: with the day beside a masked ID number the
        number could be rebuilt (security.md)."""
        return self.birth_date.year if self.birth_date else None

    @property
    def age_by_year(self) -> int | None:
        """Age counted by years (this year − birth year): shown beside the birth year, says nothing of the day."""
        return dt.date.today().year - self.birth_date.year if self.birth_date else None

    @property
    def age(self) -> int | None:
        if not self.birth_date:
            return None
        today = dt.date.today()
        return today.year - self.birth_date.year - ((today.month, today.day) < (self.birth_date.month, self.birth_date.day))


class EnrollmentQuerySet(ScopedQuerySet):
    def active_on(self, day: dt.date) -> "EnrollmentQuerySet":
        """Under management on `day`: enrolled by then, not released, 帮教 period not over."""
        return self.filter(enrolled_on__lte=day).filter(
            Q(released_on__isnull=True) | Q(released_on__gt=day)).filter(
            Q(planned_end_on__isnull=True) | Q(planned_end_on__gte=day))

    def active(self) -> "EnrollmentQuerySet":
        return self.active_on(dt.date.today())


class SpecialEnrollment(ScopedModel):
    """One person under management as one kind of special population (a person may be in several kinds).

    `next_visit_on` is the visit plan: derived from the kind, the risk level and the last visit by the
    configurable VisitRule table, and kept current by the services that change any of them.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="enrollments", verbose_name="人员")
    kind = models.CharField("人群类型", max_length=12, choices=c.SpecialKind.choices)
    enrolled_on = models.DateField("列管日期")
    released_on = models.DateField("解除列管日期", null=True, blank=True)
    planned_end_on = models.DateField("列管期满日期", null=True, blank=True,
                                      help_text="刑满释放人员：帮教期满（默认释放后 5 年）")
    risk_level = models.CharField("风险等级", max_length=8, blank=True)
    measures = models.TextField("管控帮扶措施", blank=True)
    responsible_users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="special_people",
                                               verbose_name="责任人（账号）")
    responsible_name = models.CharField("责任人", max_length=100, blank=True)
    responsible_phone = PhoneField("责任人电话", max_length=20, blank=True)
    last_visit_on = models.DateField("最近走访日期", null=True, blank=True)
    next_visit_on = models.DateField("下次走访日期", null=True, blank=True, db_index=True)

    objects = EnrollmentQuerySet.as_manager()
    scope_data_kind = "person"
    # Membership of a health kind (严重精神障碍, 艾滋病) is itself health data.
    scope_sensitive_rows = {"health": Q(kind__in=c.HEALTH_KINDS)}

    class Meta:
        ordering = ["next_visit_on", "id"]
        verbose_name = "特殊人群列管"
        verbose_name_plural = "特殊人群列管"
        constraints = [models.UniqueConstraint(fields=["person", "kind"], name="people_enrollment_unique_kind")]
        indexes = [models.Index(fields=["kind", "released_on"], name="people_enrollment_kind_idx")]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_kind_display()}）" if self.person_id else self.get_kind_display()

    @property
    def risk_label(self) -> str:
        return c.RISK_LABELS.get(self.risk_level, "") if self.risk_level else ""

    @property
    def is_health_kind(self) -> bool:
        return self.kind in c.HEALTH_KINDS

    @property
    def is_active(self) -> bool:
        today = dt.date.today()
        return (self.released_on is None or self.released_on > today) and \
            (self.planned_end_on is None or self.planned_end_on >= today)

    @property
    def is_overdue(self) -> bool:
        return bool(self.next_visit_on and self.next_visit_on < dt.date.today() and self.is_active)


class ReleasedDetail(models.Model):
    """刑满释放人员: 原罪名, 刑期, 释放日期, 帮教 level, 衔接 and 安置."""

    enrollment = models.OneToOneField(SpecialEnrollment, on_delete=models.CASCADE, primary_key=True, related_name="released")
    crime = models.CharField("原罪名", max_length=100)
    sentence = models.CharField("原判刑期", max_length=40, help_text="如 3年6个月")
    release_date = models.DateField("释放日期")
    assist_level = models.CharField("帮教类别", max_length=8, choices=c.ReleasedAssistLevel.choices,
                                    default=c.ReleasedAssistLevel.GENERAL)
    handed_over = models.BooleanField("已衔接", default=False)
    handover_note = models.CharField("衔接情况", max_length=200, blank=True)
    settled = models.BooleanField("已安置", default=False)
    settlement_note = models.CharField("安置情况", max_length=200, blank=True)

    class Meta:
        verbose_name = "刑满释放人员信息"


class CorrectionDetail(models.Model):
    """社区矫正人员 (社区矫正法 2019): 类别, period, 四史, 三涉, 矫正小组, 解除/终止."""

    enrollment = models.OneToOneField(SpecialEnrollment, on_delete=models.CASCADE, primary_key=True, related_name="correction")
    category = models.CharField("矫正类别", max_length=2, choices=c.CorrectionCategory.choices)
    judgment_on = models.DateField("判决（裁定、决定）生效日期", null=True, blank=True)
    reported_on = models.DateField("报到日期", null=True, blank=True)
    starts_on = models.DateField("矫正起始日期")
    ends_on = models.DateField("矫正终止日期")
    history_drug = models.BooleanField("吸毒史", default=False)
    history_escape = models.BooleanField("逃脱史", default=False)
    history_suicide = models.BooleanField("自杀史", default=False)
    history_assault = models.BooleanField("袭警史", default=False)
    involves_drugs = models.BooleanField("涉毒", default=False)
    involves_gang = models.BooleanField("涉黑", default=False)
    involves_guns = models.BooleanField("涉枪", default=False)
    group_members = models.CharField("矫正小组成员", max_length=200, blank=True)
    end_type = models.CharField("解除/终止类型", max_length=20, choices=c.CorrectionEnd.choices, blank=True)

    class Meta:
        verbose_name = "社区矫正人员信息"

    @property
    def reported_late(self) -> bool:
        """社区矫正法 Art.21: report within 10 days of the judgment taking effect."""
        return bool(self.judgment_on and self.reported_on and (self.reported_on - self.judgment_on).days > 10)


class MentalDetail(models.Model):
    """严重精神障碍患者: 诊断, 监护人, 治疗, 帮扶, 以奖代补 (health data: encrypted, read by permission)."""

    enrollment = models.OneToOneField(SpecialEnrollment, on_delete=models.CASCADE, primary_key=True, related_name="mental")
    diagnosis = EncryptedTextField("诊断类型", choices=c.MentalDiagnosis.choices)
    guardian_name = models.CharField("监护人", max_length=50, blank=True)
    guardian_phone = PhoneField("监护人电话", max_length=20, blank=True)
    treatment = EncryptedTextField("治疗情况", choices=c.MentalTreatment.choices, blank=True)
    help_note = EncryptedTextField("帮扶情况", blank=True)
    reward_subsidy = models.BooleanField("以奖代补", default=False)

    class Meta:
        verbose_name = "严重精神障碍患者信息"


class DrugDetail(models.Model):
    """吸毒人员: 管控情况."""

    enrollment = models.OneToOneField(SpecialEnrollment, on_delete=models.CASCADE, primary_key=True, related_name="drug")
    control_status = models.CharField("管控情况", max_length=2, choices=c.DrugControl.choices, default=c.DrugControl.CONTROLLED)
    first_found_on = models.DateField("初次发现日期", null=True, blank=True)
    drug_type = models.CharField("滥用毒品种类", max_length=60, blank=True)

    class Meta:
        verbose_name = "吸毒人员信息"


class AidsDetail(models.Model):
    """艾滋病危险人员: 感染途径, 关注类型, 收治 (health data: encrypted)."""

    enrollment = models.OneToOneField(SpecialEnrollment, on_delete=models.CASCADE, primary_key=True, related_name="aids")
    route = EncryptedTextField("感染途径", choices=c.AidsRoute.choices)
    attention = EncryptedTextField("关注类型", choices=c.AidsAttention.choices)
    care = EncryptedTextField("收治情况", choices=c.AidsCare.choices, blank=True)

    class Meta:
        verbose_name = "艾滋病危险人员信息"


class YouthDetail(models.Model):
    """重点青少年 (GB/T 31000 4.4): 类型, 监护人, 帮扶手段."""

    enrollment = models.OneToOneField(SpecialEnrollment, on_delete=models.CASCADE, primary_key=True, related_name="youth")
    youth_type = models.CharField("人员类型", max_length=2, choices=c.YouthType.choices)
    guardian_name = models.CharField("监护人", max_length=50, blank=True)
    help_means = models.CharField("帮扶手段", max_length=200, blank=True)

    class Meta:
        verbose_name = "重点青少年信息"


class TreatmentEpisode(ScopedModel):
    """A treatment episode of a 严重精神障碍患者; compulsory (强制) episodes are the seed's "4 sent"."""

    enrollment = models.ForeignKey(SpecialEnrollment, on_delete=models.PROTECT, related_name="episodes", verbose_name="患者")
    compulsory = models.BooleanField("强制医疗（送治）", default=True)
    hospital = models.CharField("医院", max_length=100)
    started_on = models.DateField("入院日期")
    ended_on = models.DateField("出院日期", null=True, blank=True)
    reason = EncryptedTextField("送治原因", blank=True)

    scope_data_kind = "health"

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = "住院治疗"
        verbose_name_plural = "住院治疗"

    def __str__(self) -> str:
        return f"{self.hospital} {self.started_on:%Y-%m-%d}"


class FundQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """Funds in the user's subtree and the funds above it (a township spends the district's fund)."""
        return self.filter(place_q(self.model, user))


class Fund(ScopedModel):
    """A fund for special populations (e.g. the district's 200,000 元 for severe mental disorders)."""

    name = models.CharField("资金名称", max_length=100)
    year = models.PositiveSmallIntegerField("年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    amount = models.DecimalField("资金总额（元）", max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])

    objects = FundQuerySet.as_manager()
    scope_data_kind = "person"

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = "专项资金"
        verbose_name_plural = "专项资金"

    def __str__(self) -> str:
        return f"{self.year}年{self.name}"


class FundSpending(ScopedModel):
    """One spending from a fund for a person under management (treatment, subsidy, help)."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="spendings", verbose_name="资金")
    enrollment = models.ForeignKey(SpecialEnrollment, on_delete=models.PROTECT, related_name="spendings", verbose_name="人员")
    episode = models.ForeignKey(TreatmentEpisode, null=True, blank=True, on_delete=models.SET_NULL, related_name="spendings",
                                verbose_name="对应住院")
    spent_on = models.DateField("支出日期")
    amount = models.DecimalField("金额（元）", max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])
    purpose = models.CharField("用途", max_length=200)

    scope_data_kind = "person"
    scope_sensitive_rows = {"health": Q(enrollment__kind__in=c.HEALTH_KINDS)}

    class Meta:
        ordering = ["-spent_on", "-id"]
        verbose_name = "资金支出"
        verbose_name_plural = "资金支出"

    def __str__(self) -> str:
        return f"{self.spent_on:%Y-%m-%d} {self.amount} 元"


def visit_photo_path(instance: "Visit", filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"people/visits/{dt.date.today():%Y/%m}/{instance.enrollment_id}-{dt.datetime.now():%H%M%S%f}.{ext}"


class Visit(ScopedModel):
    """A 走访/随访 of a person under management: when, by whom, how, what was found, the new risk level."""

    enrollment = models.ForeignKey(SpecialEnrollment, on_delete=models.PROTECT, related_name="visits", verbose_name="走访对象")
    visited_on = models.DateField("走访日期")
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name="走访人")
    visitor_name = models.CharField("走访人姓名", max_length=50)
    form = models.CharField("走访形式", max_length=12, choices=c.VisitForm.choices)
    findings = EncryptedTextField("走访情况")
    risk_before = models.CharField("走访前风险等级", max_length=8, blank=True)
    risk_after = models.CharField("评估风险等级", max_length=8, blank=True)
    due_on = models.DateField("计划走访日期", null=True, blank=True)
    on_time = models.BooleanField("按期", default=True)
    photo = models.FileField("照片（可选）", upload_to=visit_photo_path, blank=True)

    scope_data_kind = "person"
    scope_sensitive_rows = {"health": Q(enrollment__kind__in=c.HEALTH_KINDS)}

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = "走访记录"
        verbose_name_plural = "走访记录"
        indexes = [models.Index(fields=["due_on"], name="people_visit_due_idx")]

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d} {self.get_form_display()}走访"


class VisitRule(models.Model):
    """How often a kind (and risk level) is visited; edited by the district, no code change needed.

    `risk_level` "" is the kind's default. `min_per_year` caps the interval (4 a year → at most 91 days).
    """

    kind = models.CharField("人群类型", max_length=12, choices=c.SpecialKind.choices)
    risk_level = models.CharField("风险等级", max_length=8, blank=True)
    interval_days = models.PositiveSmallIntegerField("走访间隔（天）", validators=[MinValueValidator(1), MaxValueValidator(366)])
    min_per_year = models.PositiveSmallIntegerField("每年至少走访次数", default=0, validators=[MaxValueValidator(52)])

    class Meta:
        ordering = ["kind", "risk_level"]
        verbose_name = "走访规则"
        verbose_name_plural = "走访规则"
        constraints = [models.UniqueConstraint(fields=["kind", "risk_level"], name="people_visitrule_unique")]

    def __str__(self) -> str:
        level = c.RISK_LABELS.get(self.risk_level, "默认")
        return f"{self.get_kind_display()} {level}：每 {self.interval_days} 天"

    @property
    def effective_days(self) -> int:
        if self.min_per_year:
            return min(self.interval_days, 365 // self.min_per_year)
        return self.interval_days

