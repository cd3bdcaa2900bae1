from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from pingan.core.api import ScopedReadOnlyViewSet

from .. import services
from ..filters import NotificationFilter
from ..models import Notification
from .serializers import NotificationSerializer


@extend_schema_view(
    list=extend_schema(summary="我的消息", description="只返回调用者本人的消息：未读在前，最新在前；"
                                                     "unread=true 只看未读，kind 按类别筛选。"),
    retrieve=extend_schema(summary="消息详情", description="只能读取本人的消息，他人的消息返回 404。"),
)
class NotificationViewSet(ScopedReadOnlyViewSet):
    """The caller's own inbox: read and mark read. (Marking all read is the inbox page's: a POST on the
    collection would read as a create to the role × route net.)"""

    queryset = Notification.objects.inbox_order()
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter

    @extend_schema(summary="标为已读", request=None,
                   responses={200: NotificationSerializer, 404: OpenApiResponse(description="消息不存在或不是本人的")})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        services.notification_mark_read(actor=request.user, notification=notification)
        return Response(NotificationSerializer(notification).data)
