"""A district's own template for one document type, replacing the default built from the type's body."""
from __future__ import annotations

from django.conf import settings
from django.db import models

from pingan.core.models import ScopedModel


class DocumentTemplate(ScopedModel):
    """The .docx a district uploaded for the document type `key` (one per type). `jurisdiction` is the uploader's
    scope node (the district for the centre's staff); every document of the type is then made from it, until
    it is reset to the default."""

    key = models.CharField("文书类型", max_length=100, unique=True)
    content = models.BinaryField("模板文件")
    filename = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("文件大小（字节）", default=0)
    sha256 = models.CharField("校验值", max_length=64, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="上传人")
    uploaded_at = models.DateTimeField("上传时间")

    scope_data_kind = "reference"

    class Meta:
        ordering = ["key"]
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"

    def __str__(self) -> str:
        return f"{self.key}（{self.filename}）"
