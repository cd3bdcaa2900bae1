"""Crime statistics (刑事案件统计): monthly counts of criminal cases (立案数) by township and category.

These are aggregate figures, not records of persons: scope data kind "reference" (by place, like every
reference row). Who may use the pages, the API, the ledger and the indicators is narrowed on top (access.py):
the police's handlers (the source of the figures) but no other department's, and no village officer, grid
worker or mediator.
"""
from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models

from pingan.core.models import ScopedModel
from pingan.core.scoping import ScopedQuerySet

from .choices import MAX_COUNT


class CrimeCategory(models.Model):
    """A category of the police statistics list (杀人 … 其他). `serious`: counts as 八类 (configuration: the
    police list by default, the 刑法 Art.17 list in one step). One list for the installation."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("案件类别", max_length=40, unique=True)
    serious = models.BooleanField("计入八类案件", default=False)
    order = models.PositiveSmallIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "刑事案件类别"
        verbose_name_plural = "刑事案件类别"

    def __str__(self) -> str:
        return self.name


class CrimeCountQuerySet(ScopedQuerySet):
    pass


class CrimeCount(ScopedModel):
    """立案数 of one category in one township in one month. `jurisdiction` is the township; `month` is the first
    day of the month. Written only through services.crime_count_set / crime_counts_set (audited)."""

    month = models.DateField("月份", db_index=True, help_text="该月 1 日")
    category = models.ForeignKey(CrimeCategory, on_delete=models.PROTECT, related_name="counts",
                                 verbose_name="案件类别")
    count = models.PositiveIntegerField("立案数", validators=[MaxValueValidator(MAX_COUNT)])
    source = models.CharField("数据来源", max_length=200, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="填报人")

    objects = CrimeCountQuerySet.as_manager()
    scope_data_kind = "reference"

    class Meta:
        ordering = ["-month", "jurisdiction__code", "category__order"]
        verbose_name = "刑事案件月统计"
        verbose_name_plural = "刑事案件月统计"
        constraints = [
            models.UniqueConstraint(fields=["month", "jurisdiction", "category"], name="crimecount_unique",
                                    violation_error_message="该乡镇该月份该类别已有统计数。"),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction.name} {self.month:%Y-%m} {self.category.name}"

    @property
    def township(self):
        return self.jurisdiction
