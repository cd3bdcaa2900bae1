"""API helpers shared by every app: the exception handler and the scoped viewset base. The JSON parser
(`pingan.core.parsers.JSONParser`) and the filter backend (`pingan.core.filters.FilterBackend`) live outside
this package, which imports DRF's views: DRF imports them while it defines its views."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from pingan.core.services import validation_message

_MESSAGES = {
    exceptions.NotAuthenticated: "请先登录或提供有效的 API 令牌。",
    exceptions.AuthenticationFailed: "身份验证失败：令牌无效或账号已停用。",
    exceptions.PermissionDenied: "您没有执行此操作的权限。",
    exceptions.NotFound: "您要找的记录不存在，或不在您的管辖范围内。",
    exceptions.MethodNotAllowed: "不支持该请求方法。",
    exceptions.UnsupportedMediaType: "不支持的请求内容类型。",
    exceptions.ParseError: "请求内容格式错误，无法解析。",
    exceptions.Throttled: "请求过于频繁，请稍后再试。",
}


def exception_handler(exc, context):
    """DRF errors in Chinese; Django's ValidationError from a service becomes a 400, never a 500."""
    if isinstance(exc, ValidationError):
        data = exc.message_dict if hasattr(exc, "message_dict") else {"detail": exc.messages}
        return Response({"detail": validation_message(exc), "errors": data}, status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is not None:
        for cls, message in _MESSAGES.items():
            if isinstance(exc, cls) and isinstance(response.data, dict) and "detail" in response.data:
                if str(exc.detail) != str(exc.default_detail) and _is_chinese(str(exc.detail)):
                    break  # our own message (a parser's, the token rules') says what is wrong
                response.data["detail"] = message
                break
    return response


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only API over `queryset.visible_to(request.user)`; objects outside scope are 404."""

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)
