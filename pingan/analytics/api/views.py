"""GET /api/v1/stats/?from=&to=&jurisdiction=: the indicators JSON of `manage.py stats`, scoped to the caller."""
from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from pingan.core import indicators
from pingan.core.audit import record

from pingan.geo.params import BadRequest, default_period, parse_period, resolve_node


class StatsView(APIView):
    """统计指标：统计期 [from, to]（含两端）内某辖区及其下级的各项指标，按调用者的管辖范围计算。"""

    @extend_schema(
        summary="统计指标",
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="开始日期（含），默认今年 1 月 1 日"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="截止日期（含），默认今天；统计期不能倒置，最长 10 年"),
            OpenApiParameter("jurisdiction", OpenApiTypes.STR,
                             description="辖区：区划代码或名称（全称、简称如“河底”、村名如“固庄村”，重名时写“名称（所属乡镇）”），"
                                         "默认调用者的管辖范围；不存在或不在管辖范围内 404，重名 400"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        user = request.user
        if not user.may_see_data_kind("case") or not user.can("analytics.stats"):
            record(actor=user, action="analytics.stats", outcome="failure", detail="无统计指标权限")
            return Response({"detail": "您的角色不能查看统计指标。"}, status=403)
        default_from, default_to = default_period()
        try:
            start, end = parse_period(request.query_params.get("from") or default_from.isoformat(),
                                      request.query_params.get("to") or default_to.isoformat())
            node = resolve_node(request.query_params.get("jurisdiction"), user)
        except BadRequest as exc:
            return Response({"detail": exc.message}, status=exc.status)
        return Response(indicators.compute(indicators.Query(start, end, node, user)))


class DashboardView(APIView):
    """驾驶舱数据：统计期内各模块的数量、同比、近 12 个月趋势、按下级辖区和类别的分布、当前超期与督办，以及关键指标；
    每个数字都带有可核对的明细列表地址（url）。"""

    @extend_schema(
        summary="驾驶舱数据",
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="开始日期（含），默认今年 1 月 1 日"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="截止日期（含），默认今天；统计期不能倒置，最长 10 年"),
            OpenApiParameter("jurisdiction", OpenApiTypes.STR,
                             description="辖区：区划代码或名称，默认调用者的管辖范围；不存在或不在管辖范围内 404，重名 400"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        from ..figures import build
        from ..views import read_params

        user = request.user
        if not user.may_see_data_kind("case") or not user.can("analytics.stats"):
            record(actor=user, action="analytics.dashboard", outcome="failure", detail="无统计指标权限")
            return Response({"detail": "您的角色不能查看统计指标。"}, status=403)
        try:
            _params, start, end, node = read_params(request.query_params, user)
        except BadRequest as exc:
            return Response({"detail": exc.message}, status=exc.status)
        return Response(build(user, start, end, node))
