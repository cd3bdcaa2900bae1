"""Pages beyond the generic register pages: a patrol finding to a grid event, camera figures and map, training
totals; and the extra context of the team, patrol and session detail pages."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from pingan.core import audit
from pingan.core.scoping import get_visible_or_404, scoped
from pingan.core.views import require_capability
from pingan.geo.models import Node
from pingan.registers import apply_errors

from . import selectors, services
from .forms import PatrolEventForm
from .models import Attendance, Patrol, TeamMember


def _reference(request) -> None:
    if not request.user.may_see_data_kind("reference"):
        audit.denied(user=request.user, path=request.path)
        raise PermissionDenied("您的角色不能查看社会治安登记信息。")


# ------------------------------------------------------------------------------------ detail page contexts
def team_context(request, team) -> dict:
    members = TeamMember.objects.visible_to(request.user).filter(team=team).select_related("jurisdiction")
    return {"members": members[:200], "member_count": members.count(),
            "patrols": team.patrols.visible_to(request.user).select_related("event")[:20],
            "sees_people": request.user.may_see_data_kind("person")}


def patrol_context(request, patrol) -> dict:
    return {"can_convert": request.user.can("security.manage") and request.user.can("events.report")}


def session_context(request, session) -> dict:
    return {"attendances": Attendance.objects.visible_to(request.user).filter(session=session)
            .select_related("user", "person")[:500],
            "sees_people": request.user.may_see_data_kind("person")}


# ------------------------------------------------------------------------------- patrol finding → event
@require_capability("security.manage")
@require_http_methods(["GET", "POST"])
@scoped(Patrol)
def patrol_to_event(request, pk: int):
    """转为网格事件: the event registration prefilled from the finding; registers through the events module."""
    patrol = get_visible_or_404(Patrol.objects.select_related("team", "jurisdiction", "event"), request.user, pk=pk)
    if not request.user.can("events.report"):
        audit.denied(user=request.user, path=request.path)
        raise PermissionDenied("您的角色不能登记网格事件。")
    if patrol.event_id:
        messages.info(request, f"这条巡防发现已转为网格事件（编号 {patrol.event.number}），没有重复登记。")
        return redirect("events:detail", pk=patrol.event_id)
    initial = {"description": patrol.findings, "address": patrol.area}
    if patrol.jurisdiction.is_village or patrol.jurisdiction.is_grid:
        initial["jurisdiction"] = patrol.jurisdiction.pk
    form = PatrolEventForm(request.POST or None, user=request.user, patrol=patrol, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event, created = services.patrol_to_event(
                actor=request.user, patrol=patrol, category=data["category"], jurisdiction=data["jurisdiction"],
                description=data["description"], urgency=data["urgency"], address=data["address"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if created:
                messages.success(request, f"已转为网格事件，编号 {event.number}。")
            else:
                messages.info(request, f"这条巡防发现已转为网格事件（编号 {event.number}），没有重复登记。")
            return redirect("events:detail", pk=event.pk)
    return render(request, "security/patrol_event.html", {"patrol": patrol, "form": form},
                  status=400 if form.errors else 200)


# ------------------------------------------------------------------------------------------ cameras
def _place_param(request):
    code = (request.GET.get("place") or "").strip()
    if not code:
        return None, ""
    node = Node.objects.visible_to(request.user).filter(code=code[:15]).first()
    return node, ("" if node else "辖区代码不存在或不在您的管辖范围内。")


@login_required
def camera_stats(request):
    """视频监控统计 (GB/T 31000 表7): per village and township, and in total."""
    _reference(request)
    node, error = _place_param(request)
    townships, total = selectors.camera_figures(request.user, node) if not error else ([], None)
    return render(request, "security/camera_stats.html", {"townships": townships, "total": total, "error": error,
                                                           "place": request.GET.get("place", "")[:15]},
                  status=400 if error else 200)


@login_required
def camera_map(request):
    """探头分布图: a circle per village sized by its cameras, on a plain background unless tiles are configured."""
    _reference(request)
    return render(request, "security/camera_map.html", {"tile_url": getattr(settings, "PINGAN_TILE_URL", "")})


@login_required
def camera_map_data(request):
    _reference(request)
    return JsonResponse(selectors.camera_features(request.user), json_dumps_params={"ensure_ascii": False})


# ------------------------------------------------------------------------------------------ training
@login_required
def training_totals(request):
    """Unit × year → sessions, people trained."""
    _reference(request)
    return render(request, "security/training_totals.html", {"rows": selectors.training_totals(request.user),
                                                             "sees_people": request.user.may_see_data_kind("person")})

