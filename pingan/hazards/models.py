"""The risk hazard register (风险隐患排查整治): one row per hazard screened, rectified through the workflow."""
from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from pingan.core.models import ScopedModel
from pingan.core.personal import PhoneField
from pingan.cases.models import WorkflowCase, WorkflowQuerySet

from .choices import HazardStatus, HazardType, RiskLevel
from .workflow import HAZARD_KIND  # noqa: F401  (registers the case kind with the engine)


class HazardQuerySet(WorkflowQuerySet):
    pass


class Hazard(ScopedModel, WorkflowCase):
    """A hazard screened in a village (排查登记) and its rectification (整治) up to acceptance (验收).

    `jurisdiction` is the village; `responsible_department` (整治责任单位) makes the hazard visible to that
    department's handlers wherever they sit. `responsible_unit_name` keeps the unit's name as written
    (ledger imports name units that are not in the department registry). `due_at` is the engine's one due
    moment: the end of 整治期限 while open for rectification, the acceptance deadline while 待验收.
    """

    number = models.CharField("编号", max_length=40, unique=True)
    state = models.CharField("整治状态", max_length=30, choices=HazardStatus.choices, default=HazardStatus.PENDING,
                             db_index=True)
    screened_on = models.DateField("排查日期", db_index=True)
    hazard_type = models.CharField("隐患类型", max_length=3, choices=HazardType.choices, db_index=True)
    risk_level = models.CharField("风险等级", max_length=2, choices=RiskLevel.choices, db_index=True)
    description = models.TextField("隐患描述", max_length=2000)
    location = models.CharField("具体位置", max_length=200, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True,
                                   validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True,
                                    validators=[MinValueValidator(-180), MaxValueValidator(180)])
    responsible_department = models.ForeignKey(
        "accounts.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="hazards",
        verbose_name="整治责任单位")
    responsible_unit_name = models.CharField("整治责任单位名称", max_length=100, blank=True)
    responsible_person = models.CharField("整治责任人", max_length=50, blank=True)
    responsible_phone = PhoneField("责任人电话", max_length=20, blank=True)
    rectify_deadline = models.DateField("整治期限")
    measures = models.TextField("整治措施", blank=True, max_length=2000)
    rectified_on = models.DateField("整治完成日期", null=True, blank=True)
    accepted_on = models.DateField("验收日期", null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="验收人")
    acceptance_note = models.TextField("验收意见", blank=True, max_length=2000)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="登记人")

    objects = HazardQuerySet.as_manager()
    scope_department_lookup = "responsible_department"
    scope_data_kind = "case"
    workflow_kind = "hazards.hazard"

    class Meta:
        ordering = ["-screened_on", "-id"]
        verbose_name = "风险隐患"
        verbose_name_plural = "风险隐患"
        indexes = [
            models.Index(fields=["state", "due_at"]),
            models.Index(fields=["screened_on", "state"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def status(self) -> HazardStatus:
        return HazardStatus(self.state)

    @property
    def unit_display(self) -> str:
        if self.responsible_department_id:
            return self.responsible_department.name
        return self.responsible_unit_name or "—"

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None
