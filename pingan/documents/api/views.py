"""Documents API: the .docx of a record (masked personal numbers; scoped, audited like the page's download)
and the list of document types, optionally for one model. Each type has its own route, so each declares the
model it looks up (`queryset`), as the scoping nets require."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from pingan.core import audit
from pingan.core.scoping import get_visible_or_404

from .. import services
from ..registry import DocumentType, all_types
from ..render import DOCX_TYPE
from ..views import docx_response


class DocxRenderer(BaseRenderer):
    """Lets a client ask for the Word file by its media type (the file itself is an HttpResponse)."""

    media_type = DOCX_TYPE
    format = "docx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else b""


class DocumentTypeSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="文书类型代码，如 hazards.rectify_notice")
    title = serializers.CharField(help_text="文书名称")
    model = serializers.CharField(allow_blank=True, help_text="所属记录的模型，如 hazards.hazard；报告（不属于单条记录）为空")
    url = serializers.CharField(allow_blank=True, help_text="下载地址模板，{pk} 换成记录编号；报告为空（由 /api/v1/reports/ 生成）")
    variables = serializers.DictField(child=serializers.CharField(), help_text="模板可用的变量及其含义")


class DocumentTypeList(APIView):
    """Document types registered by the modules (no records: the same for every caller)."""

    @extend_schema(summary="文书类型列表", tags=["documents"],
                   parameters=[OpenApiParameter("model", str, description="只列出该模型的文书，如 hazards.hazard")],
                   responses={200: DocumentTypeSerializer(many=True)})
    def get(self, request):
        model = str(request.query_params.get("model", "") or "").strip().lower()
        rows = [{"key": t.key, "title": t.title, "model": t.model or "",
                 "url": "" if t.is_report else f"/api/v1/documents/{t.key}/{{pk}}/",
                 "variables": {name: t.variables.get(name, "") for name in t.variable_names()}}
                for t in all_types() if not model or t.model == model]
        return Response(DocumentTypeSerializer(rows, many=True).data)


def file_view(doc_type: DocumentType):
    """The API view of one type's .docx."""
    model = doc_type.model_class

    class DocumentFile(APIView):
        queryset = model.objects.all()
        renderer_classes = [JSONRenderer, DocxRenderer]

        @extend_schema(summary=f"生成{doc_type.title}（Word）", tags=["documents"],
                       operation_id=f"documents_{doc_type.key.replace('.', '_')}_file",
                       description="按调用者的管辖范围取记录；个人号码已脱敏；每次生成记入审计日志。",
                       responses={(200, DOCX_TYPE): OpenApiTypes.BINARY,
                                  403: OpenApiResponse(description="角色不能生成该文书（已记入审计日志）"),
                                  404: OpenApiResponse(description="记录不存在、不在管辖范围内，或当前阶段不能生成")})
        def get(self, request, pk):
            obj = get_visible_or_404(model, request.user, pk=pk)
            if not doc_type.is_available(obj):
                raise Http404
            if not doc_type.allowed(request.user):
                audit.denied(user=request.user, path=request.path)
                raise PermissionDenied
            data = services.document_generate(actor=request.user, doc_type=doc_type, obj=obj)
            return docx_response(data, doc_type.file_name(obj))

    DocumentFile.__name__ = DocumentFile.__qualname__ = f"DocumentFile_{doc_type.key.replace('.', '_')}"
    return DocumentFile
